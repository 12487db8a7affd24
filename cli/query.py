"""`diplograph query`: SPARQL against the store, as a readable table or a standard format."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import pyoxigraph as ox

from diplograph.cli.errors import Rejected, handle_errors
from diplograph.cli.options import open_store, with_store_options
from diplograph.server.sparql_tokens import has_dataset_clause, tokens

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
    " 'table' prints Turtle; or N-Triples, JSON-LD, RDF/XML ('xml').",
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

    A syntax error is rejected (exit code 1); an @FILE that cannot be read is a usage
    error (exit code 2).

    The default graph is the union of all graphs, unless the query names its own dataset
    with FROM / FROM NAMED; GRAPH addresses one article graph, the ontology graph or the
    inferred graph.
    """

    text = _read_query(sparql)
    snapshot = open_store(store_path, backend, backend_update, create=False).reader()
    try:
        # pyoxigraph's union flag would override the query's own FROM / FROM NAMED
        union = not has_dataset_clause(tokens(text))
        results = snapshot.store.query(text, use_default_graph_as_union=union)
    except SyntaxError as error:
        raise Rejected(f"SPARQL syntax error: {error}") from None
    out = sys.stdout.buffer
    if isinstance(results, ox.QueryBoolean):
        if output_format == "table":
            click.echo("true" if bool(results) else "false")
        else:
            results.serialize(out, RESULT_FORMATS.get(output_format, ox.QueryResultsFormat.JSON))
    elif isinstance(results, ox.QuerySolutions):
        if output_format == "table":
            _print_table(results)
        elif output_format in RESULT_FORMATS:
            results.serialize(out, RESULT_FORMATS[output_format])
        else:
            raise click.BadParameter(
                f"{output_format} is for CONSTRUCT/DESCRIBE", param_hint="--format"
            )
    else:
        fmt = GRAPH_FORMATS.get("turtle" if output_format == "table" else output_format)
        if fmt is None:
            raise click.BadParameter(f"{output_format} is for SELECT/ASK", param_hint="--format")
        results.serialize(out, fmt)
    out.flush()


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
