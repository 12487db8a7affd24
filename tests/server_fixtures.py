"""Fixtures for the server tests: a real versioned store, the Flask app, a live server process.

Import what a test module needs: ``from tests.server_fixtures import app, client, ...``.
The store holds ``tests/data/server-sample.trig`` (articles, events, entities shaped like
the RDF mapping's output), the real ontology in its graph, and its dumps.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests

from diplograph.ontology.namespaces import ONTOLOGY_GRAPH
from diplograph.server import create_app
from diplograph.store import VersionedStore, write_dumps

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_TRIG = ROOT / "tests" / "data" / "server-sample.trig"
ONTOLOGY_TTL = ROOT / "ontology" / "diplograph.ttl"


def build_store(path: Path, extra_quads: list[ox.Quad] | None = None) -> VersionedStore:
    """A versioned store at ``path`` holding the sample data, the ontology and dumps."""
    vs = VersionedStore.open(path)
    with vs.writer() as batch:
        batch.store.load(path=str(SAMPLE_TRIG), format=ox.RdfFormat.TRIG)
        batch.store.load(
            path=str(ONTOLOGY_TTL),
            format=ox.RdfFormat.TURTLE,
            to_graph=ox.NamedNode(ONTOLOGY_GRAPH),
        )
        if extra_quads:
            batch.store.extend(extra_quads)
        batch.dump_writer = write_dumps
    return vs


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("server-store") / "store"
    build_store(path)
    return path


def ingested_article(root: Path, name: str, text: str, published: str) -> Path:
    """A store made by the real CLI from one article written to ``root``: its path."""
    from click.testing import CliRunner

    from diplograph.cli.main import cli

    article = root / f"{name}.txt"
    article.write_text(text, encoding="utf-8")
    (root / f"{name}.meta.json").write_text(f'{{"published": "{published}"}}', "utf-8")
    result = CliRunner().invoke(cli, ["ingest", str(article), "--store", str(root / "s"), "-q"])
    assert result.exit_code == 0, result.output
    return root / "s"


def running_app(**store: object) -> Iterator:
    """A test app (2 workers, 10 s timeout) over ``STORE_PATH=`` or ``STORE=``; closed after."""
    application = create_app(
        {**store, "QUERY_WORKERS": 2, "QUERY_TIMEOUT": 10.0, "ACCESS_LOG": False, "TESTING": True}
    )
    yield application
    application.extensions["diplograph"].close()


@pytest.fixture(scope="session")
def app(sample_store: Path) -> Iterator:
    yield from running_app(STORE_PATH=str(sample_store))


@pytest.fixture()
def client(app):  # type: ignore[no-untyped-def]
    return app.test_client()


class LiveServer:
    """A `diplograph serve` process on a free loopback port."""

    def __init__(self, store: Path, *extra: str, env: dict[str, str] | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = store.parent / f"serve-{self.port}.log"
        cmd = [
            sys.executable,
            "-m",
            "diplograph.cli.main",
            "serve",
            "--store",
            str(store),
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            *extra,
        ]
        self._log_file = self.log.open("wb")
        self.process = subprocess.Popen(
            cmd,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
        )
        self.wait_ready()

    def wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log.read_text(errors='replace')}")
            try:
                if requests.get(self.url + "/health", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"server not ready: {self.log.read_text(errors='replace')}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self._log_file.close()


#: ~1,100 triples to the fourth power: hours of work for any engine without a shortcut.
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
CHEAP = "ASK { ?s ?p ?o }"


def one_worker_server(directory: Path, *options: str) -> LiveServer:
    """`diplograph serve` with one query worker and no preemption over a fresh sample store
    in ``directory``: what the tests of timeouts, waiting and disconnects need."""
    store = directory / "store"
    build_store(store)
    return LiveServer(store, "--workers", "1", "--preempt-wait", "0", *options)


def query_worker_processes(server_pid: int) -> list:  # type: ignore[type-arg]
    """The query worker processes of a server: children of its forkserver (or spawned)."""
    import psutil

    procs = psutil.Process(server_pid).children(recursive=True)
    forkservers = [
        p for p in procs if p.ppid() == server_pid and "forkserver" in " ".join(p.cmdline())
    ]
    if forkservers:
        return [p for p in procs if p.ppid() == forkservers[0].pid]
    return [p for p in procs if "spawn_main" in " ".join(p.cmdline())]


@pytest.fixture(scope="session")
def live_server(sample_store: Path) -> Iterator[LiveServer]:
    server = LiveServer(sample_store, "--workers", "2", "--timeout", "3")
    yield server
    server.stop()
