"""Options shared by several subcommands, with their defaults explained."""

from __future__ import annotations

import os
from pathlib import Path

import click
from platformdirs import user_data_dir

STORE_ENV = "DIPLOGRAPH_STORE"


def default_store_path() -> Path:
    """$DIPLOGRAPH_STORE, else the platform's user data directory (e.g. ~/.local/share)."""
    configured = os.environ.get(STORE_ENV)
    if configured:
        return Path(configured).expanduser()
    return Path(user_data_dir("diplograph", appauthor=False)) / "store"


store_option = click.option(
    "--store",
    "store_path",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help=(
        f"Store directory. Default: ${STORE_ENV} if set, else "
        f"{default_store_path() if not os.environ.get(STORE_ENV) else 'the user data directory'}."
    ),
)

quiet_option = click.option(
    "--quiet",
    "-q",
    is_flag=True,
    help="No progress bar or summary (progress is also off when stderr is not a terminal).",
)


def resolve_store(path: Path | None) -> Path:
    return path if path is not None else default_store_path()


engine_option = click.option(
    "--engine",
    type=click.Choice(["reasonable", "owlrl"]),
    default="reasonable",
    show_default=True,
    help="OWL RL engine: the native `reasonable` (fast) or the pure-Python reference `owlrl`"
    " (same inferences, tested).",
)

backend_option = click.option(
    "--backend",
    metavar="URL",
    default=None,
    envvar="DIPLOGRAPH_BACKEND",
    help="Keep the graph in a remote SPARQL 1.1 store: its query endpoint URL (e.g. an"
    " Oxigraph server's http://host:7878/query, started with --union-default-graph). Default:"
    " $DIPLOGRAPH_BACKEND, else the embedded store. --store then only holds bookkeeping.",
)
backend_update_option = click.option(
    "--backend-update",
    metavar="URL",
    default=None,
    envvar="DIPLOGRAPH_BACKEND_UPDATE",
    help="The remote's SPARQL Update endpoint. Default: the --backend URL with its last path"
    " segment ('query' or 'sparql') replaced by 'update'.",
)


def open_store(
    store_path: Path | None,
    backend: str | None = None,
    backend_update: str | None = None,
    *,
    create: bool = True,
):  # -> VersionedStore | RemoteStore (same interface)
    """The embedded store at --store, or the remote --backend with bookkeeping at --store."""
    from diplograph.store import VersionedStore

    path = resolve_store(store_path)
    if backend:
        from diplograph.store.remote import RemoteStore

        return RemoteStore.open(backend, path, update_url=backend_update, create=True)
    return VersionedStore.open(path, create=create)


def with_store_options(command):
    """--store, --backend and --backend-update, in that order."""
    return store_option(backend_option(backend_update_option(command)))
