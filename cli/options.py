"""Options shared by several subcommands, with their defaults explained."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import click
from platformdirs import user_data_dir

from diplograph.cli.errors import Unusable

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


def open_store_for_writing(
    store_path: Path | None, backend: str | None = None, backend_update: str | None = None
):  # -> VersionedStore | RemoteStore | _CreatedOnFirstUse (same interface)
    """The store a batch will be written to: opened now if it exists, so that a wrong
    --store fails before the input is read; else created only when the batch is written,
    so that rejected input leaves no new store behind."""
    path = resolve_store(store_path)
    if not path.exists() or (path.is_dir() and not any(path.iterdir())):
        return _CreatedOnFirstUse(lambda: open_store(store_path, backend, backend_update))
    return open_store(store_path, backend, backend_update)


class _CreatedOnFirstUse:
    """Stands for a store that does not exist yet; the first attribute used (the writer,
    once the batch was read, mapped, validated and reasoned over) creates it."""

    def __init__(self, create: Callable[[], Any]):
        self._create = create
        self._store: Any = None

    def __getattr__(self, name: str) -> Any:
        if self._store is None:
            self._store = self._create()
        return getattr(self._store, name)


def with_store_options(command):
    """--store, --backend and --backend-update, in that order."""
    return store_option(backend_option(backend_update_option(command)))


class OutputFile(click.Path):
    """A file a command will write, checked when the options are parsed: a folder that does
    not exist or cannot be written is a usage error (2) before any work is done, instead of
    a traceback after it."""

    def __init__(self, *, allow_dash: bool = False) -> None:
        super().__init__(dir_okay=False, writable=True, allow_dash=allow_dash, path_type=Path)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        path = super().convert(value, param, ctx)
        if self.allow_dash and str(path) == "-":
            return path
        folder = Path(path).parent
        if not folder.is_dir():
            problem = "does not exist" if not folder.exists() else "is not a folder"
            self.fail(f"cannot write {path}: the folder {folder} {problem}", param, ctx)
        if not os.access(folder, os.W_OK | os.X_OK):
            self.fail(f"cannot write {path}: the folder {folder} is not writable", param, ctx)
        return path


#: Errors of writing a file (rather than of producing what is written into it).
_WRITE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EROFS})


def write_output(path: Path, option: str, write: Callable[[IO[bytes]], None]) -> None:
    """Write ``path`` through a temporary sibling renamed over it at the end.

    An error or Ctrl-C half-way leaves no partial file (and an existing one intact); a
    file that cannot be written after all (the folder vanished, disk full) is one line
    naming it and ``option``, exit code 2.
    """
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "wb") as handle:
            write(handle)
        os.replace(temporary, path)
    except OSError as error:
        ours = error.filename in (str(temporary), str(path)) or error.errno in _WRITE_ERRNOS
        if not ours:
            raise
        raise Unusable(f"cannot write {path} ({option}): {error.strerror}") from None
    finally:
        temporary.unlink(missing_ok=True)
