"""`diplograph validate`: facts or RDF against the SHACL shapes, with pySHACL's exit codes."""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.command()
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
def validate(files: tuple[Path, ...]) -> None:
    """Check FILES against the Diplograph SHACL shapes without storing anything.

    A .jsonl file is read as facts and mapped to RDF first; any other file is read as RDF
    (Turtle, N-Triples, N-Quads, TriG, RDF/XML, JSON-LD by extension). The report names
    the article, the fact (event IRI), the shape and the constraint of every violation.

    Exit codes (as pySHACL's): 0 conforms, 1 does not conform, 2 an input could not be read.
    """
    from rdflib import Graph

    from diplograph.ingest.pipeline import IngestError, new_runs, read_inputs
    from diplograph.ingest.to_rdf import article_to_graph
    from diplograph.shapes.validate import EXIT_ERROR, ShaclError
    from diplograph.shapes.validate import validate as run_validate

    data = Graph()
    try:
        facts = [f for f in files if f.suffix == ".jsonl"]
        if facts:
            runs = new_runs()
            for item in read_inputs(facts):
                data += article_to_graph(item.article, item.article.id, item.facts, runs[False])
        for path in files:
            if path.suffix == ".jsonl":
                continue
            data += _read_rdf(path)
        report = run_validate(data)
    except (IngestError, ShaclError, SyntaxError, ValueError) as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(EXIT_ERROR)
    click.echo(report.format())
    sys.exit(report.exit_code)


def _read_rdf(path: Path):  # -> rdflib.Graph
    """All triples of an RDF file, parsed strictly (as `load` does) and merged.

    rdflib's parsers are lenient (a Turtle IRI with a space only logs a warning), so a
    file that `load` refuses would otherwise be reported as conforming.
    """
    import pyoxigraph as ox

    from diplograph.cli.load import FORMATS, _xml_position
    from diplograph.store.terms import rdflib_graph

    rdf_format = FORMATS.get(path.suffix.lower())
    if rdf_format is None:
        known = ", ".join(sorted(FORMATS))
        raise ValueError(f"{path}: unknown RDF syntax for extension {path.suffix!r} ({known})")
    try:
        quads = ox.parse(path=str(path), format=rdf_format, base_iri=path.absolute().as_uri())
        return rdflib_graph(list(quads))
    except SyntaxError as error:
        raise ValueError(
            f"{path}: cannot parse as RDF: {error}{_xml_position(path, rdf_format, error)}"
        ) from None
