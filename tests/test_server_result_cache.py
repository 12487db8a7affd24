"""The answer cache: repeated queries on one data version are answered without a worker,
volatile queries never are, and a new version is never answered from the old one."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient
from prometheus_client.parser import text_string_to_metric_families
from werkzeug.test import TestResponse

from diplograph.server.result_cache import CachedAnswer, ResultCache
from tests import server_fixtures
from tests.server_fixtures import build_store, running_app

DG = "https://w3id.org/diplograph/ontology#"
STATES = f"SELECT DISTINCT ?s WHERE {{ ?s a <{DG}State> }} ORDER BY ?s"


RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def in_a_new_article(subject: str, predicate: str, obj: ox.NamedNode | ox.Literal) -> ox.Quad:
    """One statement about ``subject`` (a path under the data base IRI), as an article
    ingested later would add it."""
    base = "https://w3id.org/diplograph/"
    return ox.Quad(
        ox.NamedNode(base + subject),
        ox.NamedNode(predicate),
        obj,
        ox.NamedNode(base + "graph/article/new"),
    )


def answer(size: int, form: str = "SELECT") -> CachedAnswer:
    return CachedAnswer({"form": form, "count": 1, "truncated": False}, b"x" * size)


# -- the cache itself -------------------------------------------------------------------


def test_least_recently_used_answers_go_first_when_the_bytes_run_out() -> None:
    cache = ResultCache(max_bytes=400)
    for key in "abcd":
        assert cache.put("v1", key, answer(100))
    assert cache.get("v1", "a") is not None  # now b is the least recently used
    assert cache.put("v1", "e", answer(100))
    assert cache.get("v1", "b") is None
    assert [cache.get("v1", k) is not None for k in "acde"] == [True] * 4
    assert cache.size == 400 and len(cache) == 4


def test_an_answer_larger_than_a_quarter_of_the_cache_is_not_kept() -> None:
    cache = ResultCache(max_bytes=400)
    cache.put("v1", "small", answer(10))
    assert not cache.put("v1", "big", answer(101))
    assert cache.get("v1", "big") is None
    assert cache.get("v1", "small") is not None


def test_an_answer_for_another_version_replaces_the_old_versions_answers() -> None:
    cache = ResultCache(max_bytes=1000)
    cache.put("v000001", "q", answer(10))
    assert cache.get("v000002", "q") is None  # never an old version's answer
    cache.put("v000002", "q", answer(20))
    assert cache.get("v000001", "q") is None
    got = cache.get("v000002", "q")
    assert got is not None and len(got.body) == 20
    assert cache.size == 20 and len(cache) == 1


def test_storing_the_same_key_again_counts_its_bytes_once() -> None:
    cache = ResultCache(max_bytes=1000)
    cache.put("v1", "q", answer(100))
    cache.put("v1", "q", answer(50))
    assert cache.size == 50 and len(cache) == 1


def test_concurrent_use_keeps_the_byte_count_exact() -> None:
    cache = ResultCache(max_bytes=10_000)

    def work(offset: int) -> None:
        for i in range(2000):
            key = (offset + i) % 300
            if cache.get("v1", key) is None:
                cache.put("v1", key, answer(1 + key % 97))

    threads = [threading.Thread(target=work, args=(n * 37,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    held = [cache.get("v1", k) for k in range(300)]
    assert cache.size == sum(len(a.body) for a in held if a is not None)
    assert cache.size <= 10_000


# -- through the app (real store, real workers) -----------------------------------------

app = server_fixtures.app
sample_store = server_fixtures.sample_store
client = server_fixtures.client


def get(
    client: FlaskClient, query: str, accept: str = "application/sparql-results+json"
) -> TestResponse:
    return client.get("/sparql?query=" + quote(query), headers={"Accept": accept})


def metric(client: FlaskClient, name: str, **labels: str) -> float:
    """The sum of /metrics samples called ``name`` with these labels (prometheus parser)."""
    text = client.get("/metrics").get_data(as_text=True)
    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == name and labels.items() <= sample.labels.items()
    )


def queries_counted(client: FlaskClient, outcome: str) -> float:
    return metric(client, "diplograph_sparql_queries_total", outcome=outcome)


def test_a_repeated_query_is_answered_from_the_cache_with_the_same_answer(client) -> None:
    query = STATES + " # repeated " + __name__
    first = get(client, query)
    assert first.status_code == 200
    assert first.headers["Cache-Status"] == "diplograph; fwd=uri-miss; stored"
    ok, cached = queries_counted(client, "ok"), queries_counted(client, "cached")
    second = get(client, query)
    assert second.status_code == 200
    assert second.headers["Cache-Status"] == "diplograph; hit"
    assert second.data == first.data and json.loads(second.data)["results"]["bindings"]
    for header in ("ETag", "Content-Type", "Diplograph-Result-Count", "Diplograph-Data-Version"):
        assert second.headers[header] == first.headers[header]
    # the hit was counted as such, and no worker evaluated it
    assert queries_counted(client, "cached") == cached + 1
    assert queries_counted(client, "ok") == ok
    held = metric(client, "diplograph_answer_cache_bytes")
    assert held >= len(first.data)
    assert metric(client, "diplograph_answer_cache_entries") >= 1


def test_each_format_and_each_row_cap_has_its_own_answer(client) -> None:
    query = STATES + " # formats " + __name__
    json_answer = get(client, query)
    csv_first = get(client, query, "text/csv")
    assert csv_first.headers["Cache-Status"].endswith("stored")
    csv_again = get(client, query, "text/csv")
    assert csv_again.headers["Cache-Status"] == "diplograph; hit"
    assert csv_again.data == csv_first.data != json_answer.data
    assert csv_again.headers["Content-Type"].startswith("text/csv")


def test_a_post_repeats_a_gets_answer_without_becoming_cacheable_by_url(client) -> None:
    query = STATES + " # post " + __name__
    get(client, query)
    posted = client.post(
        "/sparql",
        data=query.encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": "application/json"},
    )
    assert posted.headers["Cache-Status"] == "diplograph; hit"
    assert posted.headers["Cache-Control"] == "no-store"
    assert "ETag" not in posted.headers


@pytest.mark.parametrize(
    "query",
    [
        "SELECT (RAND() AS ?r) WHERE {}",
        "SELECT ?now WHERE { BIND(now() AS ?now) }",
        "SELECT (STRUUID() AS ?u) WHERE {}",
        "SELECT (UUID() AS ?u) WHERE {}",
        "CONSTRUCT { ?b <http://example.org/p> 1 } WHERE { BIND(BNODE() AS ?b) }",
    ],
)
def test_a_query_whose_answer_changes_every_time_is_never_cached_nor_tagged(
    client, query: str
) -> None:
    accept = "application/n-triples" if query.startswith("CONSTRUCT") else "application/json"
    for _ in range(2):
        resp = get(client, query, accept)
        assert resp.status_code == 200
        assert resp.headers["Cache-Status"] == "diplograph; fwd=bypass; detail=volatile"
        assert resp.headers["Cache-Control"] == "no-store"
        assert "ETag" not in resp.headers and "Last-Modified" not in resp.headers


def test_a_volatile_query_is_evaluated_even_with_a_matching_validator(client) -> None:
    # an If-Modified-Since in the future matches every version: a tagged answer would be 304
    resp = client.get(
        "/sparql?query=" + quote("SELECT (RAND() AS ?r) WHERE {}"),
        headers={
            "Accept": "application/json",
            "If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT",
        },
    )
    assert resp.status_code == 200


def test_errors_are_not_cached(client) -> None:
    query = "SELECT * WHERE { ?s ?p }"
    assert get(client, query).status_code == 400
    again = get(client, query)
    assert again.status_code == 400
    assert "Cache-Status" not in again.headers


def test_a_new_version_is_answered_from_the_new_data(tmp_path: Path) -> None:
    store = build_store(tmp_path / "store")
    extra = in_a_new_article("id/entity/Q_new", RDF_TYPE, ox.NamedNode(DG + "State"))
    for application in running_app(STORE=store):
        c = application.test_client()
        before = get(c, STATES)
        assert get(c, STATES).headers["Cache-Status"] == "diplograph; hit"
        with store.writer() as batch:
            batch.store.add(extra)
        after = get(c, STATES)
        assert after.headers["Cache-Status"] == "diplograph; fwd=uri-miss; stored"
        assert after.headers["Diplograph-Data-Version"] != before.headers["Diplograph-Data-Version"]
        rows = json.loads(after.data)["results"]["bindings"]
        assert len(rows) == len(json.loads(before.data)["results"]["bindings"]) + 1
        assert get(c, STATES).data == after.data


def test_the_cache_can_be_turned_off(sample_store: Path) -> None:
    for application in running_app(STORE_PATH=str(sample_store), RESULT_CACHE_SIZE=0):
        c = application.test_client()
        for _ in range(2):
            resp = get(c, STATES)
            assert resp.status_code == 200
            assert "Cache-Status" not in resp.headers
        assert application.extensions["diplograph"].result_cache is None


# -- pages ----------------------------------------------------------------------------------

HTML = {"Accept": "text/html"}


@pytest.mark.parametrize(
    ("path", "accept"),
    [
        ("/id/entity/Q750", "text/html"),
        ("/id/entity/Q750", "text/turtle"),
        ("/ontology", "text/html"),
        ("/network", "text/html"),
    ],
)
def test_a_page_is_rendered_once_per_version(client, path: str, accept: str) -> None:
    # the session's app may have served the page already: look at the first and a repeat
    first = client.get(path, headers={"Accept": accept})
    assert first.status_code == 200
    assert first.headers["Cache-Status"] in ("diplograph; fwd=uri-miss; stored", "diplograph; hit")
    again = client.get(path, headers={"Accept": accept})
    assert again.headers["Cache-Status"] == "diplograph; hit"
    assert again.data == first.data
    for header in ("Content-Type", "ETag", "Last-Modified", "Vary"):
        assert again.headers[header] == first.headers[header]


def test_each_representation_and_host_has_its_own_page(client) -> None:
    turtle = client.get("/id/entity/Q801", headers={"Accept": "text/turtle"})
    html = client.get("/id/entity/Q801", headers=HTML)
    assert turtle.data != html.data and html.headers["Content-Type"].startswith("text/html")
    other_host = client.get("/id/entity/Q801", headers=HTML, base_url="http://elsewhere.example")
    assert other_host.headers["Cache-Status"].startswith("diplograph; fwd=uri-miss")


def test_a_missing_resource_is_not_cached(client) -> None:
    for _ in range(2):
        resp = client.get("/id/entity/Q0", headers=HTML)
        assert resp.status_code == 404
        assert "Cache-Status" not in resp.headers


def test_a_page_shows_the_new_version_after_a_publish(tmp_path: Path) -> None:
    store = build_store(tmp_path / "store")
    label = in_a_new_article(
        "id/entity/Q750", RDFS_LABEL, ox.Literal("Plurinational State of Bolivia", language="en")
    )
    for application in running_app(STORE=store):
        c = application.test_client()
        c.get("/id/entity/Q750", headers={"Accept": "application/n-triples"})
        cached = c.get("/id/entity/Q750", headers={"Accept": "application/n-triples"})
        assert cached.headers["Cache-Status"] == "diplograph; hit"
        assert b"Plurinational" not in cached.data
        with store.writer() as batch:
            batch.store.add(label)
        fresh = c.get("/id/entity/Q750", headers={"Accept": "application/n-triples"})
        assert fresh.headers["Cache-Status"] == "diplograph; fwd=uri-miss; stored"
        assert b"Plurinational" in fresh.data
