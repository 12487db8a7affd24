"""The pages and example queries against the REAL pipeline's output (bundled samples through
extract -> map -> validate -> reason -> store), so the page queries cannot drift from the
RDF mapping unnoticed."""

from __future__ import annotations

import json
import re
from urllib.parse import quote

import pytest

from diplograph.server import create_app
from diplograph.server.examples import load_examples

pytestmark = pytest.mark.slow

HTML = {"Accept": "text/html"}
DG = "https://w3id.org/diplograph/ontology#"


@pytest.fixture(scope="module")
def real_app(tmp_path_factory):  # type: ignore[no-untyped-def]
    from diplograph.ingest.pipeline import ensure_sample_store

    path = tmp_path_factory.mktemp("pipeline") / "store"
    ensure_sample_store(path)
    app = create_app({"STORE_PATH": str(path), "QUERY_WORKERS": 2, "ACCESS_LOG": False})
    yield app
    app.extensions["diplograph"].close()


def _select(client, query: str) -> list[dict]:  # type: ignore[no-untyped-def]
    resp = client.get("/sparql?query=" + quote(query))
    assert resp.status_code == 200, resp.data
    return json.loads(resp.data)["results"]["bindings"]


def test_entity_page_lists_every_fact_of_the_busiest_state(real_app):
    client = real_app.test_client()
    top = _select(
        client,
        f"""PREFIX dg: <{DG}>
        SELECT ?e (COUNT(DISTINCT ?event) AS ?n) WHERE {{
          ?e a dg:State . ?event dg:actor|dg:target|dg:participant|dg:place ?e .
          ?event a dg:Event }} GROUP BY ?e ORDER BY DESC(?n) ?e LIMIT 1""",
    )[0]
    iri, expected = top["e"]["value"], int(top["n"]["value"])
    assert expected >= 3
    path = "/" + iri.split("https://w3id.org/diplograph/", 1)[1]
    html = client.get(path, headers=HTML).data.decode()
    assert html.count('<tr class="fact') == expected
    assert '<svg class="timeline"' in html or "No dated facts" in html
    articles = set(re.findall(r'href="(/id/article/[^"]+)"', html))
    events = set(re.findall(r'href="(/id/event/[^"]+)"', html))
    assert articles and len(events) == expected
    for link in sorted(articles)[:3] + sorted(events)[:3]:
        page = client.get(link, headers=HTML)
        assert page.status_code == 200, link
        assert "<h1>" in page.data.decode()


@pytest.mark.parametrize("example", load_examples(), ids=lambda e: e.name)
def test_examples_run_on_the_real_graph(real_app, example):
    rows = _select(real_app.test_client(), example.query)
    assert isinstance(rows, list)


def test_inferred_relations_show_on_state_pages(real_app):
    client = real_app.test_client()
    rows = _select(
        client,
        f"""PREFIX dg: <{DG}>
        SELECT ?a ?b WHERE {{ GRAPH <https://w3id.org/diplograph/graph/inferred> {{
          ?a dg:hasDiplomaticTiesWith|dg:metWith|dg:signedAgreementWith ?b }} }} LIMIT 1""",
    )
    assert rows, "the bundled samples must infer at least one state relation"
    a = rows[0]["a"]["value"]
    html = client.get("/" + a.split("https://w3id.org/diplograph/", 1)[1], headers=HTML).data
    assert b"State-level relations" in html
