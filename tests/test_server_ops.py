"""/health, /metrics, the JSON access log and the settings documentation."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from urllib.parse import quote

from tests import server_fixtures

sample_store = server_fixtures.sample_store
app = server_fixtures.app
client = server_fixtures.client

DOCS = Path(__file__).resolve().parents[1] / "docs" / "server.md"


def test_health(client, app):
    resp = client.get("/health")
    body = resp.get_json()
    snap = app.extensions["diplograph"].source.snapshot()
    assert resp.status_code == 200
    assert body["status"] == "ok" and body["version"] == snap.version
    assert body["triples"] == snap.metadata["triples"]
    assert resp.headers["Cache-Control"] == "no-store"


def test_metrics_count_requests_queries_and_store(client, app):
    client.get("/sparql?query=ASK%20%7B%7D")
    client.get("/sparql?query=ASK%20%7B")
    text = client.get("/metrics").data.decode()
    assert re.search(
        r'diplograph_http_requests_total\{method="GET",route="/sparql",status="200"\} \d', text
    )
    assert 'diplograph_http_requests_total{method="GET",route="/sparql",status="400"}' in text
    assert 'diplograph_sparql_queries_total{form="ASK",outcome="ok"}' in text
    assert "diplograph_http_request_duration_seconds_bucket" in text
    assert "diplograph_sparql_query_timeouts_total 0.0" in text
    triples = app.extensions["diplograph"].source.snapshot().metadata["triples"]
    assert f"diplograph_store_triples {float(triples)}" in text
    size = float(re.search(r"^diplograph_store_bytes (\S+)$", text, re.M).group(1))
    assert size > 10_000


def test_access_log_is_one_json_line_per_request(sample_store, caplog):
    from diplograph.server import create_app

    logged = create_app({"STORE_PATH": str(sample_store), "ACCESS_LOG": True})
    with caplog.at_level(logging.INFO, logger="diplograph.access"):
        logged.test_client().get("/health", headers={"User-Agent": "probe/1"})
    entries = [json.loads(r.getMessage()) for r in caplog.records if r.name == "diplograph.access"]
    assert len(entries) == 1
    entry = entries[0]
    assert entry["path"] == "/health" and entry["status"] == 200
    assert entry["user_agent"] == "probe/1" and entry["duration_ms"] >= 0
    assert entry["time"].endswith("+00:00")
    assert entry["cache"] is None  # the answer cache has no part in /health


def test_access_log_says_what_the_answer_cache_did(sample_store, caplog):
    from diplograph.server import create_app

    logged = create_app({"STORE_PATH": str(sample_store), "ACCESS_LOG": True})
    client = logged.test_client()
    volatile = "/sparql?query=" + quote("SELECT (RAND() AS ?r) WHERE {}")
    repeated = "/sparql?query=" + quote("ASK { ?s ?p ?o } # access log")
    with caplog.at_level(logging.INFO, logger="diplograph.access"):
        for path in (repeated, repeated, volatile):
            assert client.get(path).status_code == 200
    entries = [json.loads(r.getMessage()) for r in caplog.records if r.name == "diplograph.access"]
    assert [e["cache"] for e in entries] == ["stored", "hit", "bypass"]
    logged.extensions["diplograph"].close()


def test_every_setting_is_documented():
    from diplograph.server.settings import SETTINGS

    docs = DOCS.read_text(encoding="utf-8")
    for setting in SETTINGS:
        assert f"`{setting.name}`" in docs, setting.name
        assert setting.help, setting.name


def test_unknown_setting_is_an_error(sample_store):
    import pytest

    from diplograph.server import create_app

    with pytest.raises(KeyError, match="QUERY_TIMEOUTS"):
        create_app({"STORE_PATH": str(sample_store), "QUERY_TIMEOUTS": 3})


def test_a_plain_oxigraph_directory_can_be_served(tmp_path):
    import pyoxigraph as ox

    from diplograph.server import create_app

    plain = ox.Store(str(tmp_path / "oxigraph"))
    plain.add(
        ox.Quad(
            ox.NamedNode("urn:x:s"),
            ox.NamedNode("urn:x:p"),
            ox.Literal("o"),
            ox.NamedNode("urn:x:g"),
        )
    )
    plain.flush()
    del plain
    app = create_app(
        {"STORE_PATH": str(tmp_path / "oxigraph"), "QUERY_WORKERS": 1, "ACCESS_LOG": False}
    )
    try:
        c = app.test_client()
        health = c.get("/health").get_json()
        assert health["triples"] == 1 and health["version"].startswith("d")
        resp = c.get("/sparql?query=SELECT%20%3Fo%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D")
        assert resp.get_json()["results"]["bindings"] == [{"o": {"type": "literal", "value": "o"}}]
        assert c.get("/dumps/?format=json").get_json()["files"] == []
    finally:
        app.extensions["diplograph"].close()
