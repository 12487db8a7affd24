"""Where events took place on entity pages: a city lies in its state (the gazetteer's
located_in, written as schema:containedInPlace), from an article ingested by the real
pipeline and served by the real app."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.server_fixtures import ingested_article, running_app

HTML = {"Accept": "text/html"}
TEXT = "Russian Foreign Minister Sergey Lavrov arrived in Istanbul on Monday for a visit.\n"
TURKEY = "https://w3id.org/diplograph/id/entity/Q43"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ingested_article(
        tmp_path_factory.mktemp("places"), "lavrov-istanbul", TEXT, "2021-06-30"
    )


@pytest.fixture(scope="module")
def client(store: Path) -> Iterator:
    for application in running_app(STORE_PATH=str(store)):
        yield application.test_client()


def test_a_city_page_names_the_state_it_lies_in(client) -> None:
    html = client.get("/id/entity/city/istanbul", headers=HTML).data.decode()
    assert '<dt>Lies in</dt>\n    <dd><a href="/id/entity/Q43">Turkey</a></dd>' in html


def test_a_state_page_names_the_cities_where_events_took_place(client) -> None:
    html = client.get("/id/entity/Q43", headers=HTML).data.decode()
    assert "<dt>Cities where events took place</dt>" in html
    assert '<a href="/id/entity/city/istanbul">Istanbul</a>' in html
    assert "<dt>Lies in</dt>" not in html


def test_the_graph_answers_what_happened_in_a_state(client) -> None:
    query = (
        "PREFIX dg: <https://w3id.org/diplograph/ontology#> "
        "PREFIX schema: <https://schema.org/> "
        "SELECT ?visitor ?city WHERE { ?event a dg:OfficialVisit ; dg:actor ?visitor ; "
        f"dg:place ?city . ?city schema:containedInPlace <{TURKEY}> }}"
    )
    resp = client.get(
        "/sparql",
        query_string={"query": query},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert resp.status_code == 200
    rows = resp.get_json()["results"]["bindings"]
    assert [(r["visitor"]["value"], r["city"]["value"]) for r in rows] == [
        (
            "https://w3id.org/diplograph/id/entity/Q159",
            "https://w3id.org/diplograph/id/entity/city/istanbul",
        )
    ]
