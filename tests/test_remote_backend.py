"""The remote backend: ingest, query, export and serve against a real Oxigraph server process."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import DATA
from tests.server_fixtures import free_port
from tests.test_end_to_end import normalised

FACTS = DATA / "israel-morocco.jsonl"
DG = "https://w3id.org/diplograph/ontology#"
INFERRED = "https://w3id.org/diplograph/graph/inferred"


def oxigraph_binary() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(found).exists():
        pytest.fail("the oxigraph server (PyPI package `oxigraph`, in the test extra) is missing")
    return found


def wait_for(url: str, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"{url} did not answer within {seconds} s")


@pytest.fixture
def oxigraph(tmp_path: Path) -> Iterator[str]:
    """A read-write Oxigraph server on loopback whose default graph is the union."""
    port = free_port()
    process = subprocess.Popen(
        [
            oxigraph_binary(),
            "serve",
            "--location",
            str(tmp_path / "oxigraph"),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/query?query=ASK%7B%7D", process)
        yield f"{base}/query"
    finally:
        process.terminate()
        process.wait(timeout=30)


def remote_json(endpoint: str, query: str) -> list[dict]:
    url = endpoint + "?" + urllib.parse.urlencode({"query": query})
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)["results"]["bindings"]


def count(endpoint: str) -> int:
    rows = remote_json(endpoint, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    return int(rows[0]["n"]["value"])


def test_ingest_export_and_reingest_against_a_remote_store(invoke, oxigraph, tmp_path) -> None:
    local = tmp_path / "bookkeeping"
    backend = ("--backend", oxigraph, "--store", local)
    invoke("ingest", FACTS, *backend, "--quiet")
    # the facts are in the remote, not only in the bookkeeping store
    visits = remote_json(oxigraph, f"PREFIX dg: <{DG}> SELECT ?e WHERE {{ ?e a dg:OfficialVisit }}")
    assert len(visits) == 1
    inferred = remote_json(
        oxigraph,
        f"PREFIX dg: <{DG}> SELECT ?s WHERE {{ GRAPH <{INFERRED}> {{ ?s dg:hasVisited ?o }} }}",
    )
    assert len(inferred) == 1
    exported = invoke("export", "facts", *backend).stdout.splitlines()
    assert normalised(exported) == normalised(FACTS.read_text().splitlines())
    before = count(oxigraph)
    invoke("ingest", FACTS, *backend, "--quiet")
    assert count(oxigraph) == before, "re-ingest replaces, never duplicates"
    table = invoke(
        "query", f"PREFIX dg: <{DG}> SELECT ?e WHERE {{ ?e a dg:Meeting }}", *backend
    ).stdout
    assert "1 row(s)" in table


def test_a_rejected_batch_leaves_the_remote_unchanged(invoke, oxigraph, tmp_path) -> None:
    backend = ("--backend", oxigraph, "--store", tmp_path / "bookkeeping")
    invoke("ingest", FACTS, *backend, "--quiet")
    before = count(oxigraph)
    bad = tmp_path / "bad.jsonl"
    bad.write_text(FACTS.read_text().replace('"type": "meeting"', '"type": "summit"'))
    invoke("ingest", bad, *backend, expect=1)
    assert count(oxigraph) == before


def test_a_second_writer_with_its_own_bookkeeping_stays_consistent(
    invoke, oxigraph, tmp_path
) -> None:
    """Another client wrote in between: the support index is rebuilt from the remote."""
    invoke("ingest", FACTS, "--backend", oxigraph, "--store", tmp_path / "a", "--quiet")
    changed = tmp_path / "changed.jsonl"
    changed.write_text(
        "".join(
            line + "\n" for line in FACTS.read_text().splitlines() if "official_visit" not in line
        )
    )
    invoke("ingest", changed, "--backend", oxigraph, "--store", tmp_path / "b", "--quiet")
    visited = remote_json(
        oxigraph,
        f"PREFIX dg: <{DG}> SELECT * WHERE {{ GRAPH <{INFERRED}> {{ ?s dg:hasVisited ?o }} }}",
    )
    assert visited == [], "the visit's inference went with the visit"
    ties = remote_json(
        oxigraph,
        f"PREFIX dg: <{DG}> SELECT * WHERE"
        f" {{ GRAPH <{INFERRED}> {{ ?s dg:hasDiplomaticTiesWith ?o }} }}",
    )
    assert ties, "inferences still supported by other facts stay"


def test_serve_answers_from_the_remote(oxigraph, tmp_path, invoke) -> None:
    local = tmp_path / "bookkeeping"
    invoke("ingest", FACTS, "--backend", oxigraph, "--store", local, "--quiet")
    port = free_port()
    executable = Path(sys.executable).with_name("diplograph")
    process = subprocess.Popen(
        [
            str(executable),
            "serve",
            "--backend",
            oxigraph,
            "--store",
            str(local),
            "--port",
            str(port),
            "--no-access-log",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/health", process)
        rows = remote_json(
            f"http://127.0.0.1:{port}/sparql",
            f"PREFIX dg: <{DG}> SELECT ?e WHERE {{ ?e a dg:OfficialVisit }}",
        )
        assert len(rows) == 1
        # others may write to the remote store: its answers are never cached here
        query = urllib.parse.quote(f"PREFIX dg: <{DG}> ASK {{ ?e a dg:OfficialVisit }}")
        for _ in range(2):
            with urllib.request.urlopen(
                f"http://127.0.0.1:{port}/sparql?query={query}", timeout=30
            ) as resp:
                assert resp.status == 200 and resp.headers["Cache-Status"] is None
        page = urllib.request.urlopen(
            urllib.request.Request(
                f"http://127.0.0.1:{port}/id/entity/Q801", headers={"Accept": "text/html"}
            ),
            timeout=30,
        ).read()
        assert b"Israel" in page
    finally:
        process.terminate()
        process.wait(timeout=30)
