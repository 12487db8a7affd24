"""`diplograph load`: an RDF file as-is into the store (no extraction, no SHACL, no reasoning)."""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

import click
import pyoxigraph as ox

from diplograph.cli.errors import Rejected, handle_errors
from diplograph.cli.options import graph_option, open_store, quiet_option, with_store_options
from diplograph.cli.progress import note

FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".jsonld": ox.RdfFormat.JSON_LD,
}


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_store_options
@graph_option(
    "Put every triple into this named graph, replacing it (default: the graphs the"
    " file names; triples with no graph go to the graph"
    " https://w3id.org/diplograph/graph/default). Queries see every graph as one default"
    " graph either way."
)
@click.option(
    "--format",
    "format_name",
    type=click.Choice(sorted(k.lstrip(".") for k in FORMATS)),
    default=None,
    help="Syntax of FILE (default: from its extension, before .gz for a gzipped file such as"
    " the server's dumps).",
)
@quiet_option
@handle_errors
def load(
    file: Path,
    store_path: Path | None,
    backend: str | None,
    backend_update: str | None,
    graph_iri: str | None,
    format_name: str | None,
    quiet: bool,
) -> None:
    """Import the RDF FILE (Turtle, N-Triples, N-Quads, TriG, RDF/XML, JSON-LD) as-is.

    A FILE ending in .gz is read gzipped (data.ttl.gz is Turtle).

    The whole file is parsed before the store is touched: a syntax error rejects it
    (exit code 1, with the line and column) and the store is unchanged. The reserved
    graphs (ontology, inferred, article graphs) cannot be loaded into: use `ingest`.
    """
    from diplograph.ontology.namespaces import ARTICLE_GRAPH_PREFIX, INFERRED_GRAPH, ONTOLOGY_GRAPH
    from diplograph.store import write_dumps

    quads = read_rdf_file(file, format_name)
    target = ox.NamedNode(graph_iri) if graph_iri is not None else None
    if target is not None:
        quads = [ox.Quad(q.subject, q.predicate, q.object, target) for q in quads]
    reserved = [
        q.graph_name.value
        for q in quads
        if isinstance(q.graph_name, ox.NamedNode)
        and (
            q.graph_name.value in (ONTOLOGY_GRAPH, INFERRED_GRAPH)
            or q.graph_name.value.startswith(ARTICLE_GRAPH_PREFIX)
        )
    ]
    if reserved:
        raise Rejected(f"{file}: graph <{reserved[0]}> is managed by Diplograph; use `ingest`")
    store = open_store(store_path, backend, backend_update)
    with store.writer() as batch:
        if graph_iri is not None:
            batch.remove_graph(graph_iri)
        batch.add(quads)
        batch.dump_writer = write_dumps
    note(
        f"loaded {len(quads)} quad(s) from {file} into {store.path} ({store.current_version()})",
        quiet,
    )


def read_rdf_file(file: Path, format_name: str | None = None) -> list[ox.Quad]:
    """Every quad of the RDF ``file``, parsed strictly; its syntax from ``format_name`` or
    its extension (before .gz for a gzipped file). Raises Rejected with the file's name
    (and the line and column of a syntax error)."""
    gzipped = file.suffix.lower() == ".gz"
    suffix = Path(file.stem).suffix.lower() if gzipped else file.suffix.lower()
    rdf_format = FORMATS["." + format_name] if format_name else FORMATS.get(suffix)
    if rdf_format is None:
        raise Rejected(
            f"{file}: unknown RDF syntax for extension {suffix or file.suffix!r}; give --format"
            f" ({', '.join(sorted(k.lstrip('.') for k in FORMATS))})"
        )
    base = file.absolute().as_uri()
    try:
        if gzipped:
            with gzip.open(file, "rb") as unpacked:
                return list(ox.parse(unpacked, format=rdf_format, base_iri=base))
        return list(ox.parse(path=str(file), format=rdf_format, base_iri=base))
    except SyntaxError as error:
        where = "" if gzipped else _xml_position(file, rdf_format, error)
        raise Rejected(f"{file}: {error}{where}") from None
    except (gzip.BadGzipFile, zlib.error, EOFError) as error:
        raise Rejected(f"{file}: not a complete gzip file ({error})") from None


def _xml_position(file: Path, rdf_format: ox.RdfFormat, error: SyntaxError) -> str:
    """Where an RDF/XML file stops being XML: pyoxigraph's XML errors carry no position."""
    if rdf_format is not ox.RdfFormat.RDF_XML or error.lineno:
        return ""
    from xml.parsers import expat

    parser = expat.ParserCreate()
    try:
        with open(file, "rb") as handle:
            parser.ParseFile(handle)
    except expat.ExpatError as xml_error:
        return f" (line {xml_error.lineno}, column {xml_error.offset + 1})"
    return ""
