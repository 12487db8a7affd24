"""`diplograph reason`: rebuild the inferred graph from every stored article."""

from __future__ import annotations

from pathlib import Path

import click

from diplograph.cli.errors import handle_errors
from diplograph.cli.options import engine_option, open_store, quiet_option, with_store_options
from diplograph.cli.progress import note, progress_reporter


@click.command()
@with_store_options
@engine_option
@quiet_option
@handle_errors
def reason(
    store_path: Path | None,
    backend: str | None,
    backend_update: str | None,
    engine: str,
    quiet: bool,
) -> None:
    """Recompute all inferences (normally kept up to date incrementally by `ingest`).

    Use it after changing the reasoning engine or to check the incremental result; the
    new inferred graph is published atomically like an ingest.
    """
    from diplograph.ingest import inferred_graph
    from diplograph.store import write_dumps

    store = open_store(store_path, backend, backend_update, create=False)
    with progress_reporter(quiet) as progress, store.writer() as batch:
        inferred_graph.ensure_ontology(batch)
        size = inferred_graph.rebuild(
            batch,
            engine=engine,
            progress=(lambda done, total: progress("rebuild", done, total)) if progress else None,
        )
        batch.dump_writer = write_dumps
    note(f"inferred graph rebuilt with {engine}: {size} triples ({store.current_version()})", quiet)
