"""The ontology's SKOS concepts (statuses, CAMEO and PLOVER codes) dereference like data IRIs."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from tests import server_fixtures

sample_store = server_fixtures.sample_store
app = server_fixtures.app
client = server_fixtures.client

BASE = "https://w3id.org/diplograph/"


@pytest.mark.parametrize("path", ["/status/occurred", "/cameo/04", "/plover/CONSULT"])
def test_concept_iri_dereferences_to_its_description(client, path: str) -> None:
    resp = client.get(path, headers={"Accept": "text/turtle"})
    assert resp.status_code == 200
    assert resp.mimetype == "text/turtle"
    triples = list(ox.parse(resp.data, ox.RdfFormat.TURTLE))
    subject = ox.NamedNode(BASE + path.lstrip("/"))
    labels = [
        t for t in triples if t.subject == subject and t.predicate.value.endswith("prefLabel")
    ]
    assert labels, f"{path} has no skos:prefLabel in {resp.data[:300]!r}"
    page = client.get(path, headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.mimetype == "text/html"


@pytest.mark.parametrize(
    ("path", "scheme"),
    [("/status/", "status/occurred"), ("/cameo/", "cameo/04"), ("/plover/", "plover/CONSULT")],
)
def test_concept_schemes_dereference(client, path: str, scheme: str) -> None:
    """Every status page links its scheme (skos:inScheme): that link must not be a 404."""
    resp = client.get(path, headers={"Accept": "application/n-triples"})
    assert resp.status_code == 200
    assert f"<{BASE}{path.lstrip('/')}>" in resp.data.decode()
    concept = client.get("/" + scheme, headers={"Accept": "text/html"}).data.decode()
    assert f'href="{path}"' in concept
    assert client.get(path, headers={"Accept": "text/html"}).status_code == 200


@pytest.mark.parametrize("path", ["/status/no-such-status", "/cameo/..%2f..%2fetc", "/plover/%00"])
def test_unknown_or_malformed_concepts_are_404(client, path: str) -> None:
    assert client.get(path).status_code == 404
