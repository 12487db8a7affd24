"""Dereferenceable IRIs: entity, event and article pages, RDF by content negotiation,
the ontology, named graphs, VoID; escaping, CSP and path traversal."""

from __future__ import annotations

import json
import re

import pyoxigraph as ox
import pytest

from tests import server_fixtures

sample_store = server_fixtures.sample_store
app = server_fixtures.app
client = server_fixtures.client

HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
BOLIVIA = "https://w3id.org/diplograph/id/entity/Q750"
ISRAEL = "https://w3id.org/diplograph/id/entity/Q801"
DG = "https://w3id.org/diplograph/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_DATE = ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")


def test_entity_page_has_label_kind_wikidata_facts_and_timeline(client):
    resp = client.get("/id/entity/Q750", headers=HTML)
    assert resp.status_code == 200 and resp.mimetype == "text/html"
    html = resp.data.decode()
    assert "<h1>Bolivia</h1>" in html
    assert '<a href="/ontology#State">state</a>' in html
    assert 'href="http://www.wikidata.org/entity/Q750"' in html
    assert html.count('<tr class="fact') == 2
    assert "relations severed" in html and "accusation" in html
    # each fact links to its event and its source article, with local paths
    assert 'href="/id/event/t-2023-bo-il/0000000000000003"' in html
    assert 'href="/id/article/t-2023-bo-il">Bolivia cuts ties with Israel</a>' in html
    # timeline: one dot per dated fact, each linking to the event
    assert len(re.findall(r"<circle class=\"dot\"", html)) == 2
    assert '<svg class="timeline"' in html
    assert "Content-Security-Policy" in resp.headers
    assert "script-src 'self'" in resp.headers["Content-Security-Policy"]
    assert "Accept" in resp.headers["Vary"]


def test_evidence_with_markup_is_escaped(client):
    html = client.get("/id/entity/Q750", headers=HTML).data.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt; crimes &amp; &#34;abuses&#34;" in html
    event = client.get("/id/event/t-2023-bo-il/0000000000000004", headers=HTML).data.decode()
    assert "<script>alert" not in event and "&lt;script&gt;" in event


def test_unaffirmed_facts_are_marked(client):
    html = client.get("/id/entity/Q794", headers=HTML).data.decode()  # Iran
    assert "according to Ukraine" in html
    assert 'class="dot-unaffirmed"' in html
    # Ukraine's accusation makes a relation; the alleged, attributed supply of drones not.
    relations = html.split('<dl class="relations">', 1)[1].split("</dl>", 1)[0]
    assert "accused by" in relations and ">Ukraine</a>" in relations
    assert "cooperates militarily" not in relations and ">Russia</a>" not in relations


def test_planned_facts_are_hollow_on_the_timeline(client):
    html = client.get("/id/entity/Q1028", headers=HTML).data.decode()  # Morocco
    dots = dict(re.findall(r'<circle class="(dot[\w-]*)"[^>]*><title>[^:]*· ([^:]+):', html))
    assert dots == {"dot": "relations established", "dot-unaffirmed": "official visit"}


def test_state_relations_from_the_inferred_graph(client):
    html = client.get("/id/entity/Q1028", headers=HTML).data.decode()  # Morocco
    assert "State-level relations" in html
    assert "has diplomatic ties with" in html.lower() or "diplomatic ties" in html.lower()
    assert 'href="/id/entity/Q801">Israel</a>' in html


def test_state_relations_are_grouped_by_relation(client, monkeypatch):
    """Each relation is named once with its count; long lists start folded."""
    html = client.get("/id/entity/Q1028", headers=HTML).data.decode()  # Morocco
    section = html.split('<dl class="relations">', 1)[1].split("</dl>", 1)[0]
    names = re.findall(r"<dt>([^<]+) <span class=\"count\">\((\d+)\)</span></dt>", section)
    assert names and len({name for name, _ in names}) == len(names)
    for dd, (_, count) in zip(re.findall(r"<dd>(.*?)</dd>", section, re.S), names, strict=True):
        assert dd.count("<a href=") == int(count)
    assert "<details>" not in section
    monkeypatch.setattr("diplograph.server.pages.RELATIONS_SHOWN", 0)
    # same data version: only a page rendered anew shows the patched setting
    monkeypatch.setattr(client.application.extensions["diplograph"], "result_cache", None)
    folded = client.get("/id/entity/Q1028", headers=HTML).data.decode()
    folded_section = folded.split('<dl class="relations">', 1)[1].split("</dl>", 1)[0]
    assert folded_section.count("<details><summary>") == len(names)
    # the other long lists fold too: here the one city where Morocco's events took place
    cities = folded.split("<dt>Cities where events took place</dt>", 1)[1].split("</dd>", 1)[0]
    assert "<details>" in cities and '<a href="/id/entity/Q3551">Rabat</a>' in cities


def test_event_page(client):
    html = client.get("/id/event/t-2022-ua-ir/0000000000000005", headers=HTML).data.decode()
    assert "<h1>military cooperation: Iran → Russia <small>2022-10</small></h1>" in html
    assert "<title>military cooperation: Iran → Russia – " in html
    assert "military cooperation" in html
    assert "Ukraine says Iran has supplied Russia with attack drones" in html
    assert "alleged" in html and "According to" in html
    assert 'href="/id/article/t-2022-ua-ir"' in html
    assert 'href="/id/entity/Q794">Iran</a>' in html


def test_article_page_lists_its_facts(client):
    html = client.get("/id/article/t-2022-ua-ir", headers=HTML).data.decode()
    assert "<h1>Kyiv says Tehran supplied drones</h1>" in html
    assert html.count('<tr class="fact') == 3


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        (None, ox.RdfFormat.TURTLE),
        ("text/turtle", ox.RdfFormat.TURTLE),
        ("application/ld+json", ox.RdfFormat.JSON_LD),
        ("application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("application/rdf+xml", ox.RdfFormat.RDF_XML),
    ],
)
def test_entity_rdf_by_content_negotiation(client, accept, fmt):
    resp = client.get("/id/entity/Q750", headers={"Accept": accept} if accept else {})
    assert resp.status_code == 200 and resp.mimetype == fmt.media_type
    triples = {(q.subject, q.predicate, q.object) for q in ox.parse(resp.data, format=fmt)}
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    assert (ox.NamedNode(BOLIVIA), label, ox.Literal("Bolivia")) in triples
    assert "Accept" in resp.headers["Vary"]


@pytest.mark.parametrize("path", ["/id/entity/Q801", "/ontology"])
def test_page_json_ld_is_compacted_with_the_sites_prefixes(client, path):
    """People and plain-JSON tools read "rdfs:label", not the expanded form; the graph is
    the same as the N-Triples one (rdflib.compare, with the difference shown if not)."""
    import rdflib
    from rdflib.compare import graph_diff, to_isomorphic

    resp = client.get(path, headers={"Accept": "application/ld+json"})
    document = json.loads(resp.data)
    assert document["@context"]["dg"] == "https://w3id.org/diplograph/ontology#"
    assert any("rdfs:label" in node for node in document["@graph"])
    # parsed by pyoxigraph (rdflib's JSON-LD parser warns of its own deprecations)
    as_nt = ox.serialize(
        ox.parse(resp.data, format=ox.RdfFormat.JSON_LD), format=ox.RdfFormat.N_TRIPLES
    )
    compacted = to_isomorphic(rdflib.Graph().parse(data=as_nt, format="nt"))
    nt = client.get(path, headers={"Accept": "application/n-triples"}).data
    expected = to_isomorphic(rdflib.Graph().parse(data=nt, format="nt"))
    _both, only_json_ld, only_nt = graph_diff(compacted, expected)
    assert compacted == expected, (
        f"only in JSON-LD: {sorted(only_json_ld)[:5]}; only in N-Triples: {sorted(only_nt)[:5]}"
    )


def test_entity_rdf_leads_to_the_events_naming_it(client):
    """Linked-data clients follow links: from Israel to the events that name it in a role
    (the actor of a planned visit, the target of three events), not to their mentions."""
    resp = client.get("/id/entity/Q801", headers={"Accept": "application/n-triples"})
    triples = {
        (q.subject.value, q.predicate.value, q.object.value)
        for q in ox.parse(resp.data, format=ox.RdfFormat.N_TRIPLES)
    }
    into = {(s.rsplit("/", 2)[-2], p.rsplit("#", 1)[-1]) for s, p, o in triples if o == ISRAEL}
    assert into == {
        ("t-2023-bo-il", "target"),
        ("t-2020-il-ma", "target"),
        ("t-2020-il-ma", "actor"),
    }
    assert not {p for s, p, o in triples if o == ISRAEL} - {
        DG + "actor",
        DG + "target",
        DG + "participant",
        DG + "place",
        DG + "hasDiplomaticTiesWith",
        DG + "accusedBy",
        DG + "severedTiesWith",
        DG + "accused",
    }
    article = client.get("/id/article/t-2022-ua-ir?format=nt").data.decode()
    assert article.count("<http://www.w3.org/ns/prov#wasDerivedFrom>") == 3


def test_json_clients_get_json_ld_and_pages_link_their_rdf(client):
    resp = client.get("/id/entity/Q750", headers={"Accept": "application/json"})
    assert resp.status_code == 200 and resp.mimetype == "application/ld+json"
    assert client.get("/id/entity/Q750?format=json").mimetype == "application/ld+json"
    html = client.get("/id/entity/Q750", headers=HTML).data.decode()
    for fmt in ("ttl", "jsonld", "nt", "rdf"):
        link = re.search(rf'<link rel="alternate" type="([^"]+)" href="\?format={fmt}">', html)
        assert link, fmt
        linked = client.get("/id/entity/Q750?format=" + fmt)
        assert linked.status_code == 200 and linked.mimetype == link.group(1)
    assert 'rel="alternate"' not in client.get("/network", headers=HTML).data.decode()


def test_event_rdf_includes_its_mentions(client):
    resp = client.get("/id/event/t-2020-il-ma/0000000000000001?format=nt")
    assert resp.mimetype == "application/n-triples"
    text = resp.data.decode()
    assert "0000000000000001/actor> <https://w3id.org/diplograph/ontology#mentionName>" in text


def test_a_node_without_a_label_is_titled_by_its_kind_and_path(client):
    html = client.get("/id/event/t-2020-il-ma/0000000000000001/actor", headers=HTML).data.decode()
    title = re.search(r"<title>(.*?)</title>", html)
    assert title and title.group(1).startswith(
        "Mention: event/t-2020-il-ma/0000000000000001/actor"
    ), "not just its last segment ('actor')"


def test_unknown_resources_and_traversal_are_404(client):
    assert client.get("/id/entity/Q999999999").status_code == 404
    for path in (
        "/id/..%2f..%2fetc%2fpasswd",
        "/id/entity/%2e%2e/%2e%2e/x",
        "/id/entity/Q750%00",
        "/graph/..%2fontology",
        "/id/entity/a%0ab",
    ):
        assert client.get(path, headers=HTML).status_code == 404, path


def test_resource_etag_revalidation(client):
    first = client.get("/id/entity/Q750", headers=HTML)
    again = client.get("/id/entity/Q750", headers={**HTML, "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_ontology_html_and_rdf(client):
    html = client.get("/ontology", headers=HTML).data.decode()
    assert 'id="RelationsSevered"' in html and "Diplograph ontology" in html
    # our terms keep their own fragment; imported ones with the same local name differ
    anchors = re.findall(r' id="([^"]+)"', html)
    assert len(anchors) == len(set(anchors))
    assert 'id="Person"' in html and 'id="prov-Person"' in html
    ttl = client.get("/ontology")
    assert ttl.mimetype == "text/turtle"
    triples = list(ox.parse(ttl.data, format=ox.RdfFormat.TURTLE))
    assert len(triples) > 300


@pytest.mark.parametrize(
    ("accept", "media_type", "rdf_format"),
    [
        ("application/xml", "application/rdf+xml", ox.RdfFormat.RDF_XML),
        ("text/xml", "application/rdf+xml", ox.RdfFormat.RDF_XML),
        ("text/plain", "application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("text/n3", "text/turtle", ox.RdfFormat.TURTLE),
        ("application/json", "application/ld+json", ox.RdfFormat.JSON_LD),
    ],
)
def test_a_page_answers_generic_types_as_the_endpoint_does(client, accept, media_type, rdf_format):
    resp = client.get("/id/entity/Q750", headers={"Accept": accept})
    assert resp.status_code == 200 and resp.mimetype == media_type
    turtle = client.get("/id/entity/Q750", headers={"Accept": "text/turtle"}).data
    same = set(ox.parse(resp.data, format=rdf_format))
    assert same == set(ox.parse(turtle, format=ox.RdfFormat.TURTLE))


def test_the_ontology_version_iri_dereferences(client):
    ttl = client.get("/ontology")
    owl_version = "http://www.w3.org/2002/07/owl#versionIRI"
    triples = list(ox.parse(ttl.data, format=ox.RdfFormat.TURTLE))
    (version_iri,) = [t.object.value for t in triples if t.predicate.value == owl_version]
    path = "/ontology/" + version_iri.rsplit("/", 1)[-1]
    same = client.get(path)
    assert same.status_code == 200 and same.data == ttl.data
    assert "Diplograph ontology" in client.get(path, headers=HTML).data.decode()
    other = client.get("/ontology/9.9.9")
    assert other.status_code == 404 and b"not '9.9.9'" in other.data


def test_named_graph_and_void(client, app):
    g = client.get("/graph/article/t-2023-bo-il?format=nt")
    graphs = app.extensions["diplograph"].source.snapshot().metadata["graphs"]
    expected = graphs["https://w3id.org/diplograph/graph/article/t-2023-bo-il"]
    assert g.status_code == 200 and len(g.data.decode().strip().splitlines()) == expected
    assert client.get("/graph/article/none").status_code == 404
    void = client.get("/.well-known/void")
    assert void.mimetype == "text/turtle" and b"void:dataDump" in void.data


def test_base_iri_is_configurable(sample_store):
    from diplograph.server import create_app

    other = create_app(
        {
            "STORE_PATH": str(sample_store),
            "BASE_IRI": "https://example.org/kg/",
            "ACCESS_LOG": False,
        }
    )
    # Data IRIs of the sample are under w3id.org, so under another base nothing resolves...
    assert other.test_client().get("/id/entity/Q750").status_code == 404
    with pytest.raises(ValueError, match="BASE_IRI"):
        create_app({"STORE_PATH": str(sample_store), "BASE_IRI": "https://example.org/kg"})


def test_long_fact_lists_are_paged_newest_first(tmp_path, monkeypatch):
    """An entity page shows PAGE_FACTS facts, newest first, with the true total and links
    to older pages; every page is its own cacheable resource."""
    from diplograph.server import create_app, page_queries
    from tests.server_fixtures import build_store

    dg = "https://w3id.org/diplograph/ontology#"
    graph = ox.NamedNode("https://w3id.org/diplograph/graph/article/t-2023-bo-il")
    extra = []
    for number, date in (("91", "2021-03-04"), ("92", "2024-05-06")):
        event = ox.NamedNode(f"https://w3id.org/diplograph/id/event/t-2023-bo-il/{number}")
        extra += [
            ox.Quad(event, ox.NamedNode(RDF_TYPE), ox.NamedNode(dg + "Protest"), graph),
            ox.Quad(event, ox.NamedNode(dg + "actor"), ox.NamedNode(BOLIVIA), graph),
            ox.Quad(event, ox.NamedNode(dg + "date"), ox.Literal(date, datatype=XSD_DATE), graph),
        ]
    build_store(tmp_path / "store", extra)
    paged = create_app({"STORE_PATH": str(tmp_path / "store"), "ACCESS_LOG": False})
    monkeypatch.setattr(page_queries, "PAGE_FACTS", 3)
    try:
        c = paged.test_client()
        first = c.get("/id/entity/Q750", headers=HTML)
        html = first.data.decode()
        assert "<dt>Facts</dt><dd>4</dd>" in html  # all of them, not the page's
        dates = re.findall(r'<td class="date">([^<]*)</td>', html)
        assert dates == ["2024-05-06", "2023-10-31", "2023-10-31"]
        assert "Facts 1–3 of 4, newest first (page 1" in html
        assert 'rel="next" href="?page=2"' in html and 'rel="prev"' not in html
        second = c.get("/id/entity/Q750?page=2", headers=HTML)
        html = second.data.decode()
        assert re.findall(r'<td class="date">([^<]*)</td>', html) == ["2021-03-04"]
        assert 'rel="prev" href="?page=1"' in html and 'rel="next"' not in html
        assert second.headers["ETag"] != first.headers["ETag"]
        assert c.get("/id/entity/Q750?page=3", headers=HTML).status_code == 404
        for bad in ("0", "-1", "two", "1.5", "\u0661"):
            resp = c.get(f"/id/entity/Q750?page={bad}", headers=HTML)
            assert resp.status_code == 400 and "page must be" in resp.data.decode()
        monkeypatch.setattr(page_queries, "PAGE_FACTS", 500)
        monkeypatch.setattr(paged.extensions["diplograph"], "result_cache", None)
        html = c.get("/id/entity/Q750", headers=HTML).data.decode()
        assert html.count('<tr class="fact') == 4 and 'rel="next"' not in html
    finally:
        paged.extensions["diplograph"].close()


def test_links_never_use_script_schemes(tmp_path):
    from diplograph.server import create_app
    from tests.server_fixtures import build_store

    dg = "https://w3id.org/diplograph/ontology#"
    graph = ox.NamedNode("https://w3id.org/diplograph/graph/article/t-2023-bo-il")
    article = ox.NamedNode("https://w3id.org/diplograph/id/article/t-2023-bo-il")
    extra = [
        ox.Quad(
            article,
            ox.NamedNode("https://schema.org/url"),
            ox.Literal("javascript:alert(1)"),
            graph,
        ),
        ox.Quad(
            ox.NamedNode(BOLIVIA),
            ox.NamedNode(dg + "wikidata"),
            ox.NamedNode("javascript:alert(2)"),
            graph,
        ),
        ox.Quad(
            ox.NamedNode(BOLIVIA),
            ox.NamedNode("http://www.w3.org/2002/07/owl#sameAs"),
            ox.NamedNode("urn:isbn:0451450523"),
            graph,
        ),
    ]
    build_store(tmp_path / "store", extra)
    hostile = create_app({"STORE_PATH": str(tmp_path / "store"), "ACCESS_LOG": False})
    c = hostile.test_client()
    article_html = c.get("/id/article/t-2023-bo-il", headers=HTML).data.decode()
    entity_html = c.get("/id/entity/Q750", headers=HTML).data.decode()
    for html in (article_html, entity_html):
        assert not re.search(r'href="\s*javascript:', html, re.I)
    assert "javascript:alert(1)" in article_html  # shown as text
    assert "/sparql?query=DESCRIBE" in entity_html  # other schemes: a local DESCRIBE
    resource = c.get("/id/entity/Q750?format=nt").data.decode()
    assert "<urn:isbn:0451450523>" in resource
