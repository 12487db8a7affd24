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
    (Turtle, N-Triples, N-Quads, TriG, RDF/XML, JSON-LD by extension, gzipped if it ends
    in .gz), parsed strictly as `load` parses it (rdflib's lenient parsers would let a
    file that `load` refuses pass as conforming). The report names
    the article, the fact (event IRI), the shape and the constraint of every violation.

    Exit codes (as pySHACL's): 0 conforms, 1 does not conform, 2 an input could not be read.
    """
    from rdflib import Graph

    from diplograph.cli.errors import Rejected
    from diplograph.cli.load import read_rdf_file
    from diplograph.ingest.pipeline import IngestError, input_kind, new_runs, read_inputs
    from diplograph.ingest.to_rdf import article_to_graph
    from diplograph.shapes.validate import EXIT_ERROR, ShaclError
    from diplograph.shapes.validate import validate as run_validate
    from diplograph.store.terms import rdflib_graph

    data = Graph()
    try:
        facts = [f for f in files if input_kind(f) == "facts"]
        if facts:
            runs = new_runs()
            for item in read_inputs(facts):
                data += article_to_graph(item.article, item.article.id, item.facts, runs[False])
        for path in files:
            if input_kind(path) != "facts":
                data += rdflib_graph(read_rdf_file(path))
        report = run_validate(data)
    except (IngestError, Rejected, ShaclError, SyntaxError, ValueError) as error:
        for line in str(error).splitlines() or [""]:  # every bad input of a batch
            click.echo(f"error: {line}", err=True)
        sys.exit(EXIT_ERROR)
    click.echo(report.format())
    sys.exit(report.exit_code)
