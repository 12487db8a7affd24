"""`diplograph dump`: the whole store (or one graph) as RDF, to stdout or a file."""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import click
import pyoxigraph as ox

from diplograph.cli.errors import Unusable, handle_errors
from diplograph.cli.options import (
    OutputFile,
    graph_option,
    open_store,
    with_store_options,
    write_output,
)
from diplograph.store import union_graph
from diplograph.store.dumps import PREFIXES

FORMATS = {
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
}


@click.command()
@with_store_options
@click.option(
    "--format",
    "format_name",
    type=click.Choice(list(FORMATS)),
    default="nq",
    show_default=True,
    help="nq and trig keep the named graphs; ttl and nt merge all graphs into one (use"
    " --graph for one graph).",
)
@graph_option(
    "Only this named graph (default: all). Not an IRI: usage error (exit code 2); a graph"
    " the store does not hold: exit code 2, before anything is written."
)
@click.option(
    "--out",
    type=OutputFile(),
    default=None,
    help="Write here (atomically: a temporary file renamed at the end) instead of stdout;"
    " its folder must exist (else exit code 2, before the store is read).",
)
@handle_errors
def dump(
    store_path: Path | None,
    backend: str | None,
    backend_update: str | None,
    format_name: str,
    graph_iri: str | None,
    out: Path | None,
) -> None:
    """Write the store's current version as RDF.

    The published dumps (gzip, with counts and SHA-256) are also in the store's dumps
    folder and at /dumps/ on the server.
    """

    store = open_store(store_path, backend, backend_update, create=False)
    snapshot = store.reader()
    rdf_format = FORMATS[format_name]
    graph = ox.NamedNode(graph_iri) if graph_iri else None
    if graph is not None:
        quads = iter(snapshot.store.quads_for_pattern(None, None, None, graph))
        first = next(quads, None)
        if first is None:  # as `export facts --article` with an article it does not hold
            raise Unusable(
                f"no such graph in {store.path}: <{graph_iri}> (--graph; `diplograph info`"
                " lists the graphs)"
            )
        quads = itertools.chain([first], quads)
        if rdf_format in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
            items = quads
        else:
            items = (ox.Triple(q.subject, q.predicate, q.object) for q in quads)
    elif rdf_format in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
        items = iter(snapshot.store)
    elif union_graph.materialized(snapshot.metadata):  # the default graph is the merge
        items = snapshot.store.query("CONSTRUCT WHERE { ?s ?p ?o }")
    else:  # a union of graphs that may repeat triples (an older store, a remote)
        items = snapshot.store.query(
            "CONSTRUCT { ?s ?p ?o } WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }",
            use_default_graph_as_union=True,
        )
    prefixes = PREFIXES if rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
    if out is None:
        ox.serialize(items, sys.stdout.buffer, rdf_format, prefixes=prefixes)
        sys.stdout.buffer.flush()
        return
    write_output(
        out, "--out", lambda handle: ox.serialize(items, handle, rdf_format, prefixes=prefixes)
    )
