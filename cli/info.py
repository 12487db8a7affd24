"""`diplograph info`: what a store holds (version, graphs, triples, dumps)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from diplograph.cli.errors import handle_errors
from diplograph.cli.options import open_store, with_store_options


@click.command()
@with_store_options
@click.option("--json", "as_json", is_flag=True, help="Print the version metadata as JSON.")
@handle_errors
def info(
    store_path: Path | None, backend: str | None, backend_update: str | None, as_json: bool
) -> None:
    """Show the store's published version, its graphs and triple counts, and its dumps."""
    from diplograph.ontology.namespaces import ARTICLE_GRAPH_PREFIX
    from diplograph.store.dumps import manifest_files, read_manifest_document

    store = open_store(store_path, backend, backend_update, create=False)
    meta = store.reader().metadata
    # Dumps are written after publishing: the newest complete ones may hold an older version.
    dumps = read_manifest_document(store.dumps_dir(meta["version"]))
    if as_json:
        click.echo(json.dumps({**meta, "dumps": dumps}, indent=1, sort_keys=True))
        return
    graphs: dict[str, int] = meta["graphs"]
    articles = [g for g in graphs if g.startswith(ARTICLE_GRAPH_PREFIX)]
    click.echo(f"store:      {store.path}")
    click.echo(f"version:    {meta['version']} (published {meta['published_at']})")
    click.echo(f"triples:    {meta['triples']}")
    click.echo(f"articles:   {len(articles)} ({sum(graphs[g] for g in articles)} triples)")
    for name, count in graphs.items():
        if name not in articles:
            click.echo(f"graph:      {name or '(default graph)'} ({count} triples)")
    files = manifest_files(dumps)
    if not files:
        click.echo("dumps:      none yet (written after publishing; see `ingest --dumps`)")
    elif dumps.get("version") not in (None, meta["version"]):
        click.echo(f"dumps:      of {dumps['version']} (those of {meta['version']} are not ready)")
    for entry in files:
        click.echo(
            f"dump:       {entry['name']} {entry['triples']} triples, {entry['bytes']} bytes"
        )
