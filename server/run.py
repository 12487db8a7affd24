"""Serve the app with waitress, a production WSGI server (never Flask's development server).

waitress is pure Python, multi-threaded and portable; the expensive work (SPARQL) happens
in the query worker processes, so request threads only parse, negotiate and copy bytes.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import logging.handlers
import queue
import signal
import sys
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from diplograph.server import create_app
from diplograph.server.query_workers import ResultCut

if TYPE_CHECKING:
    from flask import Flask


def configure_logging(access_log: bool) -> logging.handlers.QueueListener:
    """JSON access lines (already formatted) and server messages go to stderr.

    Access lines are written by a background thread (the returned listener, to be stopped
    at shutdown, which flushes it): a request thread only queues its line, and the write
    to stderr (a terminal or a pipe that may be slow) stays off the request's path.
    """
    # No log format here uses the caller's file and line, thread or process names, which
    # logging would otherwise look up for every record (the logging HOWTO's "Optimization").
    logging._srcfile = None  # type: ignore[attr-defined]
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    lines: queue.SimpleQueue[logging.LogRecord] = queue.SimpleQueue()
    listener = logging.handlers.QueueListener(lines, handler)
    listener.start()
    access = logging.getLogger("diplograph.access")
    access.handlers[:] = [logging.handlers.QueueHandler(lines)]
    access.setLevel(logging.INFO if access_log else logging.WARNING)
    access.propagate = False
    other = logging.StreamHandler(sys.stderr)
    other.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    for name in ("diplograph.server", "waitress"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [other]
        logger.setLevel(logging.INFO)
        logger.propagate = False
    logging.getLogger("waitress").addFilter(_no_traceback_for_cut_results)
    return listener


def _no_traceback_for_cut_results(record: logging.LogRecord) -> bool:
    """Drop waitress's traceback for a streamed result cut on purpose (ResultCut): the
    worker pool has logged one line saying why, and the connection is meant to drop."""
    return not (record.exc_info and isinstance(record.exc_info[1], ResultCut))


class CannotListen(Exception):
    """The server cannot listen on ``host``:``port``; ``option`` ("host", "port", or "" if
    unclear) is the setting to change. Raised before any worker is started."""

    def __init__(self, host: str, port: int, reason: str, option: str):
        super().__init__(f"cannot listen on {_shown(host)}:{port}: {reason}")
        self.host, self.port, self.reason, self.option = host, port, reason, option


def _shown(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _listen_problem(error: OSError | ValueError) -> tuple[str, str] | None:
    """(why, the setting to change) when creating the server failed on its address."""
    if isinstance(error, ValueError):  # waitress: getaddrinfo found nothing, or a bug
        if "host/port" in str(error):
            return "not an address or a host name this machine can resolve", "host"
        return None
    if error.errno == errno.EADDRINUSE:
        return "address already in use", "port"
    if error.errno == errno.EADDRNOTAVAIL:
        return "not an address of this machine", "host"
    if error.errno == errno.EACCES:
        return "permission denied (ports below 1024 need privileges)", "port"
    return error.strerror or str(error), ""


def check_store(app: Flask) -> None:
    """Open the current version once before listening, so that a missing or damaged store
    stops the start with StoreError (the CLI's exit code 3) instead of a server that says
    it is serving and answers every request with 500."""
    from diplograph.store import StoreError

    source = app.extensions["diplograph"].source
    try:
        source.snapshot()
    except LookupError as error:  # a versioned store's StoreError, as the source reports it
        raise StoreError(str(error)) from error
    except (OSError, RuntimeError, ValueError) as error:  # a plain Oxigraph directory
        where = getattr(source, "path", "the store")
        raise StoreError(f"cannot serve {where}: {error}") from error


def run_server(
    config: Mapping[str, Any],
    host: str = "127.0.0.1",
    port: int = 8000,
    threads: int | None = None,
    announce: Callable[[str], None] = print,
) -> None:
    """Build the app for ``config`` and serve it until SIGINT/SIGTERM.

    Raises StoreError (store missing or damaged) or CannotListen (address in use or not
    this machine's) before announcing anything.
    """
    import waitress

    from diplograph.store import StoreError

    try:
        app = create_app(config)
    except FileNotFoundError as error:  # neither a Diplograph store nor an Oxigraph database
        raise StoreError(str(error)) from None
    state = app.extensions["diplograph"]
    settings = state.settings
    access_lines: logging.handlers.QueueListener | None = None
    server = None
    try:
        check_store(app)
        workers = int(settings["QUERY_WORKERS"])
        # Every query holds a thread while it runs or waits; the rest serve /health, pages,
        # dumps and instant 429s, so they must exist beyond the query slots.
        query_threads = workers + state.max_waiting()
        try:
            server = waitress.create_server(
                app,
                host=host,
                port=port,
                threads=threads or query_threads + 8,
                ident="diplograph",
                max_request_body_size=int(settings["MAX_CONTENT_LENGTH"]) + 1,
                channel_timeout=max(120, int(float(settings["QUERY_TIMEOUT"])) + 30),
                connection_limit=1000,
                # Hand a response to the socket in pieces of up to 256 KiB rather than
                # waitress's 18,000 bytes: a typical result then leaves in one send()
                # instead of a dozen (100k triples: -0.1 ms on 10-230 KB results).
                send_bytes=256 * 1024,
                # Keep reading a connection while its request runs, so that a client that
                # hangs up is noticed (environ["waitress.client_disconnected"]) and its
                # query stopped.
                channel_request_lookahead=1,
                expose_tracebacks=False,
            )
        except (OSError, ValueError) as error:
            problem = _listen_problem(error)
            if problem is None:
                raise
            raise CannotListen(host, port, *problem) from None
        access_lines = configure_logging(bool(settings["ACCESS_LOG"]))
        state.start_pool()  # spawn the workers now, not on the first query

        def stop(signum: int, _frame: Any) -> None:
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, stop)
        url = f"http://{_shown(host)}:{server.effective_port}"
        announce(f"Diplograph serving {url}/ (SPARQL endpoint {url}/sparql)")
        with contextlib.suppress(KeyboardInterrupt):  # SIGINT or SIGTERM: a clean stop
            server.run()
    finally:
        if server is not None:
            server.close()
        state.close()
        if access_lines is not None:
            access_lines.stop()
