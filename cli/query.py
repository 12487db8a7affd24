"""`diplograph query`: SPARQL against the store, as a readable table or a standard format."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import IO

import click
import pyoxigraph as ox

from diplograph.cli.errors import Rejected, handle_errors
from diplograph.cli.options import open_store, with_store_options
from diplograph.server.sparql_tokens import Token, has_dataset_clause, prologue_end, tokens
from diplograph.server.syntax_errors import syntax_error_message

RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "xml": ox.RdfFormat.RDF_XML,
}


@click.command()
@click.argument("sparql")
@with_store_options
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json", "xml", "csv", "tsv", "turtle", "ntriples", "jsonld"]),
    default="table",
    show_default=True,
    help="SELECT/ASK: a readable table, or SPARQL JSON/XML/CSV/TSV. CONSTRUCT/DESCRIBE:"
    " 'table' prints Turtle; or N-Triples, JSON-LD, RDF/XML ('xml'). A format of the other"
    " kind is a usage error (exit code 2).",
)
@handle_errors
def query(
    sparql: str,
    store_path: Path | None,
    backend: str | None,
    backend_update: str | None,
    output_format: str,
) -> None:
    """Run the SPARQL query SPARQL ('@FILE' reads it from a file, '-' from stdin).

    A syntax error is rejected (exit code 1, with its line and column), and so is, as by
    the server's endpoint, SPARQL Update (INSERT, DELETE, DROP ...: change data with
    `ingest` or `load`); a SERVICE that cannot be reached fails in one line (exit code 1).
    An @FILE that cannot be read is a usage error (exit code 2).

    The default graph is the union of all graphs, unless the query names its own dataset
    with FROM / FROM NAMED; GRAPH addresses one article graph, the ontology graph or the
    inferred graph.
    """

    text = _read_query(sparql)
    toks = tokens(text)
    # A query that parses starts with its form, so the format is checked here, once, before
    # the store is read; a text whose form the tokenizer cannot tell fails to parse below.
    form = query_form(toks)
    _check_format(form, output_format)
    snapshot = open_store(store_path, backend, backend_update, create=False).reader()
    try:
        # pyoxigraph's union flag would override the query's own FROM / FROM NAMED
        union = not has_dataset_clause(toks)
        results = snapshot.store.query(text, use_default_graph_as_union=union)
    except SyntaxError as error:
        raise Rejected(syntax_error_message(str(error), text, toks)) from None
    except OSError as error:  # e.g. a SERVICE that cannot be reached
        raise Rejected(f"the query failed: {error}") from None
    out = _EndsWithNewline(sys.stdout.buffer)
    try:
        if isinstance(results, ox.QueryBoolean):
            if output_format == "table":
                click.echo("true" if bool(results) else "false")
            else:
                results.serialize(out, RESULT_FORMATS[output_format])
        elif isinstance(results, ox.QuerySolutions):
            if output_format == "table":
                _print_table(results)
            else:
                results.serialize(out, RESULT_FORMATS[output_format])
        else:
            results.serialize(out, GRAPH_FORMATS.get(output_format, ox.RdfFormat.TURTLE))
    except BrokenPipeError:
        raise
    except OSError as error:  # raised while the results are evaluated
        raise Rejected(f"the query failed: {error}") from None
    out.finish()


def query_form(toks: list[Token]) -> str:
    """SELECT, ASK, CONSTRUCT, DESCRIBE, or "" (unknown: the parser will say why).

    SPARQL Update is refused, as the server's endpoint refuses it (server/query_check.py):
    this command only reads. SERVICE is allowed here, unlike on the endpoint (where it
    would let anyone make the server send requests): a local user may join the store with
    Wikidata's endpoint; a SERVICE that fails is reported in one line.
    """
    from diplograph.server.query_check import QUERY_FORMS, UPDATE_KEYWORDS

    i = prologue_end(toks)
    first = toks[i].text.upper() if i < len(toks) and toks[i].kind == "word" else ""
    if first in UPDATE_KEYWORDS:
        raise Rejected(
            f"SPARQL Update ({first}) is not accepted: `diplograph query` only reads the"
            " store. Data changes go through `diplograph ingest` (or `load` for RDF files)."
        )
    return first if first in QUERY_FORMS else ""


def _check_format(form: str, output_format: str) -> None:
    """A results format for a graph, or a graph format for results, is a usage error."""
    if output_format == "table" or not form:
        return
    if form in ("SELECT", "ASK") and output_format not in RESULT_FORMATS:
        raise click.BadParameter(
            f"{output_format} is for CONSTRUCT/DESCRIBE; {form} gives table, json, xml, csv or tsv",
            param_hint="--format",
        )
    if form in ("CONSTRUCT", "DESCRIBE") and output_format not in GRAPH_FORMATS:
        raise click.BadParameter(
            f"{output_format} is for SELECT/ASK; {form} gives table (Turtle), turtle,"
            " ntriples, jsonld or xml",
            param_hint="--format",
        )


class _EndsWithNewline:
    """stdout for pyoxigraph's serializers, which end SPARQL JSON/XML, JSON-LD and an ASK
    answer in CSV/TSV without a newline: finish() adds one, so that the shell prompt
    starts on a line of its own and `query ... | wc -l` counts the last line."""

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self._last = b"\n"  # nothing written: nothing to end

    def write(self, data: bytes) -> int:
        if data:
            self._last = bytes(data[-1:])
        return self._raw.write(data)

    def flush(self) -> None:
        self._raw.flush()

    def finish(self) -> None:
        if self._last != b"\n":
            self._raw.write(b"\n")
        self._raw.flush()


def _read_query(argument: str) -> str:
    if argument == "-":
        return sys.stdin.read()
    if argument.startswith("@"):
        path = Path(argument[1:])
        try:
            return path.read_text(encoding="utf-8")
        except OSError as error:  # a file named on the command line: a usage error
            raise click.BadParameter(
                f"cannot read the query file {path}: {error.strerror}", param_hint="'SPARQL'"
            ) from None
        except UnicodeDecodeError as error:
            raise Rejected(f"{path}: not valid UTF-8 (byte {error.start})") from None
    return argument


def _print_table(solutions: ox.QuerySolutions) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    names = [v.value for v in solutions.variables]
    table = Table(*names, show_lines=False, header_style="bold")
    count = 0
    for row in solutions:
        table.add_row(*[Text(_cell(row[name])) for name in names])
        count += 1
    console = Console(soft_wrap=False, width=None if sys.stdout.isatty() else 200)
    console.print(table)
    console.print(f"{count} row(s)", style="dim")


def _cell(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.Literal):
        return term.value
    if isinstance(term, ox.NamedNode):
        return term.value
    return str(term)
