"""Who acted for whom on entity pages: from articles ingested by the real pipeline (the
extractor gives each participant the party they act for, the mapping writes it as
prov:actedOnBehalfOf), served by the real app."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.server_fixtures import ingested_article, running_app

HTML = {"Accept": "text/html"}
TEXT = (
    "Foreign Minister Yair Lapid met his Moroccan counterpart Nasser Bourita in Rabat on Tuesday.\n"
)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ingested_article(
        tmp_path_factory.mktemp("acting-for"), "lapid-rabat", TEXT, "2021-08-12"
    )


@pytest.fixture(scope="module")
def client(store: Path) -> Iterator:
    for application in running_app(STORE_PATH=str(store)):
        yield application.test_client()


def test_a_person_page_names_the_party_the_person_acted_for(client) -> None:
    html = client.get("/id/entity/person/yair-lapid", headers=HTML).data.decode()
    assert '<dt>Acted for</dt>\n    <dd><a href="/id/entity/Q801">Israel</a></dd>' in html


def test_a_state_page_names_the_persons_acting_for_it(client) -> None:
    html = client.get("/id/entity/Q1028", headers=HTML).data.decode()
    assert "<dt>Persons acting for it</dt>" in html
    assert '<a href="/id/entity/person/nasser-bourita">Nasser Bourita</a>' in html
    assert "yair-lapid" not in html.split("<dt>Facts</dt>")[0]


def test_the_graph_answers_who_acted_for_whom(client) -> None:
    query = (
        "PREFIX prov: <http://www.w3.org/ns/prov#> "
        "SELECT ?person ?party WHERE { ?person prov:actedOnBehalfOf ?party } ORDER BY ?person"
    )
    resp = client.get(
        "/sparql",
        query_string={"query": query},
        headers={"Accept": "application/sparql-results+json"},
    )
    rows = [
        (b["person"]["value"].rsplit("/", 1)[1], b["party"]["value"].rsplit("/", 1)[1])
        for b in resp.get_json()["results"]["bindings"]
    ]
    assert rows == [("nasser-bourita", "Q1028"), ("yair-lapid", "Q801")]
