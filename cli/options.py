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
    return default_store()[0]


def default_store() -> tuple[Path, str]:
    """The store used without --store, and where that choice came from (for messages)."""
    configured = os.environ.get(STORE_ENV)
    if configured:
        return Path(configured).expanduser(), f"the store from ${STORE_ENV}"
    return _user_data_store(), "the default store"


def _user_data_store() -> Path:
    return Path(user_data_dir("diplograph", appauthor=False)) / "store"


def describe_default_store() -> str:
    """The default store for --help, resolved when the help is shown."""
    configured = os.environ.get(STORE_ENV)
    if configured:
        return f"${STORE_ENV}, now {Path(configured).expanduser()} (unset: {_user_data_store()})"
    return f"${STORE_ENV} if set, else {_user_data_store()}"


class StoreOption(click.Option):
    """--store, whose help names the default store as it resolves when the help is shown
    (not when the module was imported): ``help`` may hold ``{default}``."""

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        template = self.help or ""
        self.help = template.replace("{default}", describe_default_store())
        try:
            return super().get_help_record(ctx)
        finally:
            self.help = template


store_option = click.option(
    "--store",
    "store_path",
    cls=StoreOption,
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Store directory. Default: {default}.",
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


def check_published(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """--published: a day that exists, written YYYY-MM-DD (as article metadata must be)."""
    from diplograph.ingest.facts import is_valid_date

    if value is not None and not (len(value) == 10 and is_valid_date(value)):
        raise click.BadParameter(f"{value!r} is not a date YYYY-MM-DD")
    return value


def published_option(help_text: str):
    """--published YYYY-MM-DD, checked when parsed: a bad date is a usage error (2)."""
    return click.option(
        "--published",
        metavar="YYYY-MM-DD",
        default=None,
        callback=check_published,
        help=help_text,
    )


def graph_option(help_text: str):
    """--graph IRI, checked when parsed: a string that is no IRI is a usage error (2)."""
    return click.option(
        "--graph", "graph_iri", metavar="IRI", default=None, callback=check_iri, help=help_text
    )


def check_iri(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """An IRI option (--graph): one pyoxigraph refuses is a usage error (2)."""
    import pyoxigraph as ox

    if value is not None:
        try:
            ox.NamedNode(value)
        except ValueError as error:
            raise click.BadParameter(f"{value!r} is not an IRI: {error}") from None
    return value


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
