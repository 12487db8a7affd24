"""Relation-network pictures: the layouts (server/network.py) and the /network and entity
pages that draw them from the inferred graph."""

from __future__ import annotations

import math
import re

import pyoxigraph as ox
import pytest
from rdflib import RDFS

from diplograph.ontology import ontology_graph
from diplograph.ontology.namespaces import DG, INFERRED_GRAPH
from diplograph.ontology.reasoning import infer_terms
from diplograph.ontology.reasoning_terms import from_oxigraph
from diplograph.server import network
from tests import server_fixtures

sample_store = server_fixtures.sample_store
app = server_fixtures.app
client = server_fixtures.client

HTML = {"Accept": "text/html"}
ACCUSED, ACCUSED_BY, MET = DG + "accused", DG + "accusedBy", DG + "metWith"


def _name(iri: str) -> str:
    return iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1].rsplit(":", 1)[-1]


def _link(iri: str) -> str:
    return "/e/" + _name(iri)


# -- layouts ------------------------------------------------------------------------------


def test_every_state_relation_has_exactly_one_tone():
    graph = ontology_graph()
    relations = {
        str(p)
        for p in graph.transitive_subjects(RDFS.subPropertyOf, DG.stateRelation)
        if p != DG.stateRelation
    }
    assert network.CONFLICT_RELATIONS.isdisjoint(network.COOPERATION_RELATIONS)
    assert relations == network.CONFLICT_RELATIONS | network.COOPERATION_RELATIONS


@pytest.mark.parametrize(
    ("relations", "tone"),
    [({MET}, "cooperation"), ({ACCUSED, ACCUSED_BY}, "conflict"), ({MET, ACCUSED}, "mixed")],
)
def test_tone(relations, tone):
    assert network.tone(relations) == tone


def test_ego_ranks_by_kinds_of_relation_and_counts_the_rest():
    pairs = [(MET, "x:a"), (ACCUSED, "x:a"), (MET, "x:b"), (MET, "x:c"), (ACCUSED, "x:d")]
    pairs += [(MET, "x:me")]  # a relation with itself is not drawn
    picture = network.ego("x:me", pairs, _name, _link, limit=2)
    assert picture is not None and picture.hidden == 2
    centre, *others = picture.nodes
    assert (centre.css, centre.x, centre.y) == ("centre", picture.width / 2, picture.height / 2)
    # x:a has two kinds; then x:b wins the tie by name. Drawn in tone order around the circle.
    assert [n.label for n in others] == ["b", "a"]
    assert [e.css for e in picture.edges] == ["tie-cooperation", "tie-mixed"]
    assert picture.edges[1].width > picture.edges[0].width
    assert picture.edges[1].title == "me – a: accused, metWith"
    assert all(n.href == "/e/" + n.label for n in picture.nodes)
    radius = {round(math.hypot(n.x - centre.x, n.y - centre.y)) for n in others}
    assert len(radius) == 1  # all on one circle


def test_ego_without_counterparts_draws_nothing():
    assert network.ego("x:me", [(MET, "x:me")], _name, _link) is None


def test_ties_read_each_pair_once_or_per_direction():
    triples = [("x:a", ACCUSED, "x:b"), ("x:b", ACCUSED_BY, "x:a"), ("x:b", MET, "x:a")]
    triples += [("x:a", MET, "x:b"), ("x:a", MET, "x:a")]
    (tie,) = network.ties_from(triples, directed=False)
    assert (tie.source, tie.target, tie.relations) == ("x:a", "x:b", {ACCUSED, MET})
    directed = network.ties_from([("x:a", ACCUSED, "x:b"), ("x:b", ACCUSED, "x:a")], True)
    assert [(t.source, t.target) for t in directed] == [("x:a", "x:b"), ("x:b", "x:a")]


def test_overview_places_entities_on_a_circle_and_ends_arrows_at_the_rim():
    entities = ["x:a", "x:b", "x:c", "x:d"]
    ties = network.ties_from([("x:a", ACCUSED, "x:c"), ("x:a", ACCUSED, "x:zz")], True)
    picture = network.overview(entities, ties, _name, _link, directed=True, hidden=7)
    assert picture is not None and picture.hidden == 7
    assert [n.label for n in picture.nodes] == ["a", "b", "c", "d"]
    (edge,) = picture.edges  # the tie to an entity not drawn is left out
    assert edge.arrow and edge.css == "tie-conflict"
    node = {n.label: n for n in picture.nodes}
    end_x, end_y = map(float, edge.path.rsplit(" ", 1)[-1].split(","))
    gap = math.hypot(end_x - node["c"].x, end_y - node["c"].y)
    assert node["c"].r < gap < node["c"].r + 3
    assert node["a"].r > node["b"].r  # a drawn tie makes a node bigger
    assert network.overview([], [], _name, _link, directed=False) is None


# -- pages --------------------------------------------------------------------------------


def test_the_sample_holds_the_state_relations_the_reasoner_infers():
    """The pages below draw the sample's inferred graph: it must be what reasoning gives."""
    relations = network.CONFLICT_RELATIONS | network.COOPERATION_RELATIONS
    articles, written = [], set()
    for quad in ox.parse(path=server_fixtures.SAMPLE_TRIG, format=ox.RdfFormat.TRIG):
        triple = tuple(from_oxigraph(t) for t in (quad.subject, quad.predicate, quad.object))
        if quad.graph_name == ox.NamedNode(INFERRED_GRAPH):
            written.add(triple)
        else:
            articles.append(triple)
    inferred = {t for t in infer_terms(articles) if t[1] in relations}
    assert inferred and {t for t in written if t[1] in relations} == inferred


def _svg(html: str) -> str:
    return html.split('<svg class="network"', 1)[1].split("</svg>", 1)[0]


def test_network_page_draws_the_inferred_relations(client):
    resp = client.get("/network", headers=HTML)
    assert resp.status_code == 200 and resp.mimetype == "text/html"
    html = resp.data.decode()
    svg = _svg(html)
    assert 'href="/id/entity/Q1028"' in svg and 'href="/id/entity/Q801"' in svg  # Morocco, Israel
    assert "Israel – Morocco: " in svg or "Morocco – Israel: " in svg
    assert "marker-end" not in svg  # all relations together: no direction
    assert 'href="/network"' in html  # the site navigation links the page
    assert 'href="?relation=accused&amp;top=30"' in html
    assert "?relation=accusedBy" not in html  # inverses add nothing to the menu


def test_network_page_for_one_directed_relation_has_arrows(client):
    html = client.get("/network?relation=accused", headers=HTML).data.decode()
    svg = _svg(html)
    paths = re.findall(r'<path class="tie ([\w-]+)"[^>]*?(marker-end="[^"]*")?>', svg)
    assert paths and all(css == "tie-conflict" and marker for css, marker in paths)
    assert "Bolivia – Israel: accused" in svg
    assert '<a href="?relation=accused&amp;top=30" aria-current="page">' in html


def test_network_page_limits_the_entities(client):
    full = _svg(client.get("/network", headers=HTML).data.decode())
    small = client.get("/network?top=3", headers=HTML).data.decode()
    assert _svg(small).count("<circle") == 3 < full.count("<circle")
    assert re.search(r"\d+ more not drawn", small)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("relation=friends", "relation must be one of: accused, "),
        ("top=1", "top must be a whole number from 2 to 80"),
        ("top=x", "top must be a whole number from 2 to 80"),
    ],
)
def test_network_page_refuses_bad_parameters(client, query, message):
    resp = client.get("/network?" + query, headers=HTML)
    assert resp.status_code == 400
    assert message in resp.data.decode()


def test_network_page_revalidates(client):
    first = client.get("/network?relation=metWith", headers=HTML)
    assert first.headers["ETag"]
    again = client.get(
        "/network?relation=metWith", headers={**HTML, "If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304
    other = client.get("/network?relation=accused", headers=HTML)
    assert other.headers["ETag"] != first.headers["ETag"]


def test_entity_page_draws_its_ego_network(client):
    html = client.get("/id/entity/Q1028", headers=HTML).data.decode()  # Morocco
    svg = _svg(html)
    assert '<circle class="centre"' in svg
    assert 'href="/id/entity/Q801"' in svg  # Israel, linked to its page
    bolivia = client.get("/id/entity/Q750", headers=HTML).data.decode()
    assert "Bolivia – Israel: accused, severed ties with" in _svg(bolivia)
    russia = client.get("/id/entity/Q159", headers=HTML).data.decode()
    assert '<svg class="network"' not in russia  # no affirmed relation, no picture
