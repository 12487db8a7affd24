"""`diplograph export`: the store's facts back as JSON Lines, or its relation network."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import pyoxigraph as ox

from diplograph.cli.errors import handle_errors
from diplograph.cli.options import resolve_store, store_option


@click.group()
def export() -> None:
    """Export what the store holds in non-RDF formats."""


@export.command()
@store_option
@click.option(
    "--article",
    "article_ids",
    multiple=True,
    metavar="ID",
    help="Only these articles (repeatable; default: all).",
)
@click.option(
    "--articles/--no-articles",
    "with_articles",
    default=True,
    show_default=True,
    help="Include the article metadata records (omitted when an article has no metadata).",
)
@handle_errors
def facts(store_path: Path | None, article_ids: tuple[str, ...], with_articles: bool) -> None:
    """Print every fact in the store as JSON Lines (the format `ingest` reads).

    Ingesting a facts file and exporting it gives the same facts back (lossless round
    trip); articles are printed in id order.
    """
    from diplograph.ingest.facts import Article, write_records
    from diplograph.ingest.from_rdf import records_from_graph
    from diplograph.ingest.pipeline import article_ids_in
    from diplograph.ontology.namespaces import article_graph
    from diplograph.store import VersionedStore
    from diplograph.store.terms import rdflib_graph

    snapshot = VersionedStore.open(resolve_store(store_path), create=False).reader()
    wanted = sorted(article_ids) if article_ids else sorted(article_ids_in(snapshot.store))
    for article_id in wanted:
        quads = snapshot.store.quads_for_pattern(
            None, None, None, ox.NamedNode(article_graph(article_id))
        )
        records = records_from_graph(rdflib_graph(quads))
        if not with_articles:
            records = [r for r in records if not isinstance(r, Article)]
        write_records(records, sys.stdout)
