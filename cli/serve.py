"""`diplograph serve`: publish a store over HTTP (SPARQL endpoint, dumps, pages, query UI)."""

from __future__ import annotations

from pathlib import Path

import click

from diplograph.cli.errors import Unusable, handle_errors
from diplograph.cli.options import (
    StoreOption,
    backend_option,
    backend_update_option,
    default_store,
)
from diplograph.server.query_workers import WAITING_PER_WORKER, default_workers
from diplograph.server.settings import SETTINGS_BY_NAME


def _default(name: str) -> object:
    return SETTINGS_BY_NAME[name].default


def _check_base_iri(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    """The app refuses a base without a trailing '/': say so as a usage error."""
    if not value.endswith("/"):
        raise click.BadParameter(f"{value!r} must end with '/'")
    return value


@click.command("serve")
@click.option(
    "--store",
    "store_path",
    cls=StoreOption,
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Store directory to serve. Default: {default}; if that default store is empty, the"
    " bundled sample articles are ingested into it first.",
)
@backend_option
@backend_update_option
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Interface to listen on (127.0.0.1: this machine only; 0.0.0.0: all).",
)
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="TCP port (0 picks a free one; the URL is printed).",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 256),
    default=None,
    help="Query worker processes = queries evaluated at once. "
    f"Default: two per CPU core, at least 4 (here {default_workers()}).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(0.1, 86400),
    default=_default("QUERY_TIMEOUT"),
    show_default=True,
    help="Seconds a query may run; then its worker is killed and the client gets 503.",
)
@click.option(
    "--max-rows",
    type=click.IntRange(1),
    default=_default("MAX_RESULT_ROWS"),
    show_default=True,
    help="Result-row cap; longer results are cut and flagged (Diplograph-Result-Truncated header).",
)
@click.option(
    "--memory-limit",
    type=click.IntRange(0),
    default=_default("QUERY_MEMORY_LIMIT") // 2**20,
    show_default=True,
    help="MiB of heap per query worker; a query needing more gets 503. 0 = no limit.",
)
@click.option(
    "--result-cache",
    type=click.IntRange(0),
    default=_default("RESULT_CACHE_SIZE") // 2**20,
    show_default=True,
    help="MiB of query answers and pages kept for the current data version, so a repeated "
    "query or page needs no new evaluation (not with --backend; not for "
    "RAND/NOW/UUID/STRUUID/BNODE). 0 = off.",
)
@click.option(
    "--preempt-wait",
    type=click.FloatRange(0),
    default=_default("PREEMPT_WAIT"),
    show_default=True,
    help="A query waiting this long for a worker, while the waiting line is at least half "
    "full, stops the longest-running slow query (503 to its client). 0 = never preempt.",
)
@click.option(
    "--queue-wait",
    type=click.FloatRange(0),
    default=_default("QUEUE_WAIT"),
    show_default=True,
    help="Seconds a query waits for a free worker before the answer is 429.",
)
@click.option(
    "--max-waiting",
    type=click.IntRange(0),
    default=None,
    help="Most queries that may wait for a free worker; more get 429 at once. Preemption "
    "(--preempt-wait) starts only when this line is at least half full. "
    f"Default: {WAITING_PER_WORKER} per worker.",
)
@click.option(
    "--threads",
    type=click.IntRange(1, 1024),
    default=None,
    help="HTTP threads of waitress. Default: workers + waiting queries + 8, so that "
    "/health and pages are served while every query slot is taken.",
)
@click.option(
    "--base-iri",
    default=_default("BASE_IRI"),
    show_default=True,
    help="Base of the data IRIs the server dereferences (/id/..., /ontology); ends with '/'.",
    callback=_check_base_iri,
)
@click.option(
    "--trust-proxy",
    is_flag=True,
    default=False,
    help="Honour X-Forwarded-* headers of one reverse proxy in front of the server.",
)
@click.option(
    "--access-log/--no-access-log",
    default=True,
    show_default=True,
    help="One JSON line per request on stderr.",
)
@handle_errors
def serve(
    store_path: Path | None,
    backend: str | None,
    backend_update: str | None,
    host: str,
    port: int,
    workers: int | None,
    timeout: float,
    max_rows: int,
    memory_limit: int,
    result_cache: int,
    preempt_wait: float,
    queue_wait: float,
    max_waiting: int | None,
    threads: int | None,
    base_iri: str,
    trust_proxy: bool,
    access_log: bool,
) -> None:
    """Serve the SPARQL 1.1 endpoint (/sparql), dumps (/dumps/), entity pages (/id/...),
    the ontology (/ontology), the query UI (/), /health and /metrics with waitress.

    It does not start (exit code 3) when the store is missing, damaged or, with --backend,
    unreachable, nor (exit code 2) when it cannot listen on --host and --port. Ctrl-C or
    SIGTERM stops it (exit code 0).
    """
    from diplograph.server.run import CannotListen, run_server

    remote = None
    if backend:
        from diplograph.store.remote import RemoteStore

        remote = RemoteStore.open(
            backend, store_path or default_store()[0], update_url=backend_update
        )
    elif store_path is None:
        store_path, source = default_store()
        from diplograph.ingest.pipeline import ensure_sample_store

        click.echo(f"Using {source}: {store_path}", err=True)
        ensure_sample_store(store_path)
    if remote is None:
        _upgrade(store_path)
    config = {
        **({"STORE": remote} if remote is not None else {"STORE_PATH": str(store_path)}),
        "QUERY_WORKERS": workers or default_workers(),
        "QUERY_TIMEOUT": timeout,
        "MAX_RESULT_ROWS": max_rows,
        "QUERY_MEMORY_LIMIT": memory_limit * 2**20,
        "RESULT_CACHE_SIZE": result_cache * 2**20,
        "QUEUE_WAIT": queue_wait,
        "PREEMPT_WAIT": preempt_wait,
        "MAX_WAITING_QUERIES": max_waiting,
        "BASE_IRI": base_iri,
        "TRUST_PROXY": trust_proxy,
        "ACCESS_LOG": access_log,
    }
    try:
        run_server(
            config,
            host=host,
            port=port,
            threads=threads,
            announce=lambda line: click.echo(line, err=False),
        )
    except CannotListen as error:
        hint = f" (use --{error.option} to choose another)" if error.option else ""
        raise Unusable(f"{error}{hint}") from None


def _upgrade(store_path: Path) -> None:
    """A store an older Diplograph wrote gets its union index before it is served, so
    that queries see the default graph as a set from the first request."""
    from diplograph.store import StoreError, VersionedStore

    if not (store_path / "FORMAT").is_file():
        return  # a plain Oxigraph directory, or nothing (run_server reports that)
    store = VersionedStore.open(store_path, create=False)
    if not store.needs_upgrade():
        return
    click.echo(f"Upgrading {store_path}: indexing the union of its graphs ...", err=True)
    try:
        store.upgrade()
    except (OSError, StoreError) as error:  # e.g. a read-only volume: serve it as it is
        click.echo(
            f"Could not upgrade {store_path} ({error}); serving it as it is, where a triple"
            " stated by several articles matches once per article until the next ingest",
            err=True,
        )
