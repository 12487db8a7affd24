"""Protocol behaviour against a real `diplograph serve` process (waitress, worker processes):
SPARQLWrapper round trips, the W3C protocol suite (when ../shared is present), a new store
version picked up while serving."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests
from SPARQLWrapper import CSV, JSON, TSV, TURTLE, XML, SPARQLWrapper

from diplograph.store import VersionedStore
from tests import server_fixtures
from tests.server_fixtures import LiveServer

sample_store = server_fixtures.sample_store
live_server = server_fixtures.live_server

pytestmark = pytest.mark.slow

DG = "https://w3id.org/diplograph/ontology#"
STATES = f"SELECT DISTINCT ?s WHERE {{ ?s a <{DG}State> }} ORDER BY ?s"


def wrapper(server: LiveServer, method: str, fmt: str, query: str) -> SPARQLWrapper:
    sw = SPARQLWrapper(server.url + "/sparql")
    sw.setMethod(method)
    sw.setReturnFormat(fmt)
    sw.setQuery(query)
    return sw


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_select_in_every_format(live_server, method):
    rows = wrapper(live_server, method, JSON, STATES).query().convert()["results"]["bindings"]
    states = [r["s"]["value"] for r in rows]
    assert len(states) == 6
    xml = wrapper(live_server, method, XML, STATES).query().convert()
    assert [u.firstChild.data for u in xml.getElementsByTagName("uri")] == states
    csv_text = wrapper(live_server, method, CSV, STATES).query().convert().decode()
    assert csv_text.splitlines()[1:] == states
    tsv_text = wrapper(live_server, method, TSV, STATES).query().convert().decode()
    assert tsv_text.splitlines()[1:] == [f"<{s}>" for s in states]


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_ask_construct_describe(live_server, method):
    ask = wrapper(live_server, method, JSON, f"ASK {{ ?s a <{DG}Accusation> }}")
    assert ask.query().convert()["boolean"] is True
    construct = wrapper(
        live_server,
        method,
        TURTLE,
        f"CONSTRUCT {{ ?s a <{DG}State> }} WHERE {{ ?s a <{DG}State> }}",
    )
    graph = construct.query().convert()
    assert len(set(ox.parse(graph, format=ox.RdfFormat.TURTLE))) == 6
    describe = wrapper(
        live_server, method, TURTLE, "DESCRIBE <https://w3id.org/diplograph/id/entity/Q750>"
    )
    described = list(ox.parse(describe.query().convert(), format=ox.RdfFormat.TURTLE))
    assert ox.Literal("Bolivia") in {q.object for q in described}


def test_the_server_prints_its_url_and_logs_json(live_server):
    requests.get(live_server.url + "/health", timeout=5)
    log = live_server.log.read_text()
    assert f"http://127.0.0.1:{live_server.port}/" in log
    access = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    assert any(e["path"] == "/health" and e["status"] == 200 for e in access)


def test_waitress_serves_not_the_flask_dev_server(live_server):
    resp = requests.get(live_server.url + "/health", timeout=5)
    assert resp.headers["Server"] == "diplograph"


def test_a_new_version_is_served_without_restart(tmp_path):
    store = tmp_path / "store"
    server_fixtures.build_store(store)
    server = LiveServer(store, "--workers", "1")
    try:
        count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <urn:x:new> { ?s ?p ?o } }"
        before = requests.get(server.url + "/sparql", params={"query": count}, timeout=10)
        assert before.json()["results"]["bindings"][0]["n"]["value"] == "0"
        vs = VersionedStore.open(store)
        with vs.writer() as batch:
            batch.store.add(
                ox.Quad(
                    ox.NamedNode("urn:x:s"),
                    ox.NamedNode("urn:x:p"),
                    ox.Literal("new"),
                    ox.NamedNode("urn:x:new"),
                )
            )
        after = requests.get(server.url + "/sparql", params={"query": count}, timeout=10)
        assert after.json()["results"]["bindings"][0]["n"]["value"] == "1"
        assert after.headers["ETag"] != before.headers["ETag"]
        assert after.headers["Diplograph-Data-Version"] != before.headers["Diplograph-Data-Version"]
    finally:
        server.stop()


def test_w3c_protocol_suite_and_extras(shared_dir: Path, tmp_path: Path):
    """The shared conformance harness: all 23 W3C query/SD tests and all 18 extras pass."""
    store = tmp_path / "store"
    vs = VersionedStore.open(store)
    with vs.writer() as batch:
        batch.store.load(
            path=str(shared_dir / "tools" / "protocol-data" / "protocol-dataset.nq"),
            format=ox.RdfFormat.N_QUADS,
        )
    server = LiveServer(store, "--workers", "2")
    try:
        out = subprocess.run(
            [
                sys.executable,
                str(shared_dir / "tools" / "sparql_protocol_check.py"),
                server.url + "/sparql",
                "--load",
                "none",
                "--extras",
                "--timeout",
                "20",
            ],
            capture_output=True,
            text=True,
            timeout=240,
        )
    finally:
        server.stop()
    assert out.stdout.strip().splitlines()[-1] == "41 passed, 0 failed", out.stdout
    assert out.returncode == 0
