"""Start the SPARQL servers under test on loopback, wait until they answer, stop them.

``diplograph serve`` reads the versioned store. The Oxigraph server (PyPI ``oxigraph``)
runs read-only over a database directory, either one loaded with our dump (named graphs
only) and ``--union-default-graph``, as a user who downloads the dump would run it, or
our own version's database as it is (its default graph is our union index). All three
are up during the query measurements, but only one is sent requests at a time
(bench/queries.py), so they never share the two cores.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

STARTUP_SECONDS = 120.0
HOST = "127.0.0.1"


class ServerError(RuntimeError):
    """A server did not start (its log tail is in the message)."""


@dataclass
class Server:
    """A running server process and its SPARQL query endpoint."""

    name: str
    endpoint: str
    process: subprocess.Popen[bytes]
    log_path: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def stop(self) -> None:
        """SIGTERM, then SIGKILL after 15 s; never leaves the process behind."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def oxigraph_binary() -> str:
    """The ``oxigraph`` CLI of the PyPI package, next to this Python or on PATH."""
    candidate = Path(sys.executable).with_name("oxigraph")
    if candidate.is_file():
        return str(candidate)
    found = shutil.which("oxigraph")
    if found is None:
        raise ServerError("the `oxigraph` server is not installed (pip install oxigraph)")
    return found


def diplograph_command(store: Path, port: int, extra: Sequence[str] = ()) -> list[str]:
    return [
        sys.executable,
        "-m",
        "diplograph.cli.main",
        "serve",
        "--store",
        str(store),
        "--host",
        HOST,
        "--port",
        str(port),
        *extra,
    ]


def oxigraph_command(database: Path, port: int, *, union: bool = True) -> list[str]:
    return [
        oxigraph_binary(),
        "serve-read-only",
        "--location",
        str(database),
        "--bind",
        f"{HOST}:{port}",
        *(["--union-default-graph"] if union else []),
    ]


@contextlib.contextmanager
def diplograph_server(store: Path, log_dir: Path, extra: Sequence[str] = ()) -> Iterator[Server]:
    """``diplograph serve`` on a free loopback port, ready to answer."""
    port = free_port()
    base = f"http://{HOST}:{port}"
    with _running(
        "diplograph",
        diplograph_command(store, port, extra),
        f"{base}/sparql",
        f"{base}/health",
        log_dir,
    ) as server:
        yield server


@contextlib.contextmanager
def oxigraph_server(
    database: Path, log_dir: Path, *, union: bool = True, name: str = "oxigraph"
) -> Iterator[Server]:
    """The Oxigraph server, read-only over ``database``, ready to answer; with ``union``
    its default graph is the union of the named graphs (a bag: see union_graph.py)."""
    port = free_port()
    base = f"http://{HOST}:{port}"
    probe = f"{base}/query?" + urllib.parse.urlencode({"query": "ASK {}"})
    command = oxigraph_command(database, port, union=union)
    with _running(name, command, f"{base}/query", probe, log_dir) as server:
        yield server


@contextlib.contextmanager
def _running(
    name: str, command: list[str], endpoint: str, probe: str, log_dir: Path
) -> Iterator[Server]:
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"{name}-server.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    server = Server(name, endpoint, process, log_path)
    try:
        _wait_ready(server, probe)
        yield server
    finally:
        server.stop()


def _wait_ready(server: Server, probe: str) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise ServerError(
                f"{server.name} server exited with code {server.process.returncode}:\n"
                + _tail(server.log_path)
            )
        try:
            with urllib.request.urlopen(probe, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    raise ServerError(
        f"{server.name} server did not answer within {STARTUP_SECONDS:.0f} s:\n"
        + _tail(server.log_path)
    )


def _tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"
