"""SPARQL 1.1 Protocol behaviour of /sparql through the Flask test client (real store, real
worker processes)."""

from __future__ import annotations

import csv
import gzip
import io
import json
import xml.etree.ElementTree as ET
from urllib.parse import quote

import pyoxigraph as ox
import pytest

from tests import server_fixtures
from tests.server_fixtures import build_store

sample_store = server_fixtures.sample_store
app = server_fixtures.app
client = server_fixtures.client

DG = "https://w3id.org/diplograph/ontology#"
G_2023 = "https://w3id.org/diplograph/graph/article/t-2023-bo-il"
G_2020 = "https://w3id.org/diplograph/graph/article/t-2020-il-ma"
STATES = f"SELECT DISTINCT ?s WHERE {{ ?s a <{DG}State> }} ORDER BY ?s"
CONSTRUCT = f"CONSTRUCT {{ ?s a <{DG}State> }} WHERE {{ ?s a <{DG}State> }}"
SRX = "{http://www.w3.org/2005/sparql-results#}"


def get(client, query: str, accept: str | None = None, params: str = "", **kw):  # type: ignore[no-untyped-def]
    headers = {"Accept": accept} if accept else {}
    headers.update(kw.pop("headers", {}))
    return client.get("/sparql?query=" + quote(query) + params, headers=headers, **kw)


def bindings(resp) -> list[dict]:  # type: ignore[no-untyped-def]
    return json.loads(resp.data)["results"]["bindings"]


# -- operations -----------------------------------------------------------------------------


def test_get_select_defaults_to_sparql_json(client):
    resp = get(client, STATES)
    assert resp.status_code == 200
    assert resp.mimetype == "application/sparql-results+json"
    values = [b["s"]["value"] for b in bindings(resp)]
    assert len(values) == 6 and values == sorted(values)
    assert resp.headers["Diplograph-Result-Count"] == "6"
    assert "Diplograph-Result-Truncated" not in resp.headers


def test_post_form_and_post_direct_give_the_same_answer(client):
    form = client.post("/sparql", data={"query": STATES})
    direct = client.post(
        "/sparql", data=STATES.encode(), content_type="application/sparql-query; charset=utf-8"
    )
    assert form.status_code == direct.status_code == 200
    assert bindings(form) == bindings(direct) == bindings(get(client, STATES))
    assert "ETag" not in form.headers and form.headers["Cache-Control"] == "no-store"


def test_default_graph_uri_restricts_the_default_graph(client):
    q = f"SELECT DISTINCT ?s WHERE {{ ?s a <{DG}Event> }}"
    everything = bindings(get(client, q))
    only_2023 = bindings(get(client, q, params="&default-graph-uri=" + quote(G_2023)))
    assert len(everything) == 7
    assert {b["s"]["value"].split("/")[-2] for b in only_2023} == {"t-2023-bo-il"}
    both = get(
        client, q, params=f"&default-graph-uri={quote(G_2023)}&default-graph-uri={quote(G_2020)}"
    )
    assert len(bindings(both)) == 4


def test_named_graph_uri_restricts_graph_patterns(client):
    q = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    resp = get(client, q, params="&named-graph-uri=" + quote(G_2023))
    assert [b["g"]["value"] for b in bindings(resp)] == [G_2023]
    # and the default graph is then empty (the protocol dataset replaces the union)
    assert (
        bindings(get(client, "SELECT * { ?s ?p ?o }", params="&named-graph-uri=" + quote(G_2023)))
        == []
    )


def test_the_querys_own_dataset_replaces_the_union(client):
    """FROM / FROM NAMED in the query apply (SPARQL 1.1 Query §13.2); the protocol's
    default-graph-uri / named-graph-uri override them (Protocol §2.1.4)."""

    def q(dataset: str) -> str:
        return f"SELECT DISTINCT ?s {dataset} WHERE {{ ?s a <{DG}Event> }}"

    from_2023 = bindings(get(client, q(f"FROM <{G_2023}>")))
    assert {b["s"]["value"].split("/")[-2] for b in from_2023} == {"t-2023-bo-il"}
    assert bindings(get(client, q("FROM <http://example.org/no-such-graph>"))) == []
    named = f"SELECT DISTINCT ?g FROM NAMED <{G_2020}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"
    assert [b["g"]["value"] for b in bindings(get(client, named))] == [G_2020]
    # FROM NAMED alone: an empty default graph
    assert bindings(get(client, q(f"FROM NAMED <{G_2020}>"))) == []
    ask = get(client, f"ASK FROM <{G_2020}> {{ ?e a <{DG}Accusation> }}").get_json()
    assert ask["boolean"] is False
    # a FROM inside a string is not a dataset clause
    text = f'SELECT DISTINCT ?s WHERE {{ ?s a <{DG}Event> FILTER("FROM" != "x") }}'
    assert len(bindings(get(client, text))) == 7
    overridden = get(client, q(f"FROM <{G_2023}>"), params="&default-graph-uri=" + quote(G_2020))
    assert {b["s"]["value"].split("/")[-2] for b in bindings(overridden)} == {"t-2020-il-ma"}


def test_the_default_graph_is_a_set_not_one_copy_per_graph(client, invoke, sample_store):
    """Israel's label is stated by two article graphs: the union default graph (an RDF
    graph, a set) holds it once, as SPARQL requires; GRAPH still sees both statements."""
    israel = "https://w3id.org/diplograph/id/entity/Q801"
    label = f"SELECT ?l WHERE {{ <{israel}> <http://www.w3.org/2000/01/rdf-schema#label> ?l }}"
    assert [b["l"]["value"] for b in bindings(get(client, label))] == ["Israel"]
    counts = bindings(get(client, "SELECT (COUNT(*) AS ?n) (COUNT(DISTINCT *) AS ?d) { ?s ?p ?o }"))
    assert counts[0]["n"]["value"] == counts[0]["d"]["value"]
    per_graph = f"SELECT ?g WHERE {{ GRAPH ?g {{ <{israel}> a <{DG}State> }} }}"
    assert len(bindings(get(client, per_graph))) == 2
    described = get(client, f"DESCRIBE <{israel}>", "application/n-triples").data.splitlines()
    assert len(described) == len(set(described)) == 8  # label, type, QID, 5 inferred ties
    cli = invoke("query", label, "--store", sample_store, "--format", "csv")
    assert cli.stdout.split() == ["l", "Israel"]


def test_the_readmes_date_filter_keeps_every_precision(client):
    """README, "Dates": a typed comparison drops month-precision dates; the ISO text does not."""
    typed = f"""SELECT ?e WHERE {{ ?e <{DG}date> ?d
        FILTER(?d >= "2022-01-01"^^<http://www.w3.org/2001/XMLSchema#date>
               && ?d < "2023-01-01"^^<http://www.w3.org/2001/XMLSchema#date>) }}"""
    text = f"""SELECT ?e WHERE {{ ?e <{DG}date> ?d
        FILTER(STR(?d) >= "2022" && STR(?d) < "2023") }}"""
    by_type = {b["e"]["value"] for b in bindings(get(client, typed))}
    by_text = {b["e"]["value"] for b in bindings(get(client, text))}
    assert by_type < by_text
    assert any(e.endswith("t-2022-ua-ir/0000000000000005") for e in by_text - by_type)  # 2022-10


def test_relative_iris_resolve_against_the_endpoint(client):
    resp = get(client, "CONSTRUCT { <s> <p> 1 } WHERE {}", "application/n-triples")
    assert resp.status_code == 200
    assert resp.data.startswith(b"<http://localhost/s> <http://localhost/p> ")
    # the endpoint's URL is remembered per host: each client's own Host header still counts
    for host in ("a.example", "b.example:8080", "a.example"):
        other = get(
            client,
            "CONSTRUCT { <s> <p> 1 } WHERE {}",
            "application/n-triples",
            headers={"Host": host},
        )
        assert other.data.startswith(f"<http://{host}/s> ".encode())


# -- refusals -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "INSERT DATA { <http://a> <http://b> <http://c> }",
        "PREFIX : <http://x/> DELETE WHERE { ?s ?p ?o }",
        "LOAD <http://example.org/data.ttl>",
        "CLEAR ALL",
        "drop graph <http://x>",
    ],
)
def test_updates_are_refused_with_a_clear_message(client, query):
    resp = client.post("/sparql", data={"query": query})
    assert resp.status_code == 400
    assert b"read-only" in resp.data


def test_update_parameter_and_update_media_type_are_refused(client):
    resp = client.post("/sparql", data={"update": "CLEAR ALL"})
    assert resp.status_code == 400 and b"read-only" in resp.data
    resp = client.post("/sparql", data=b"CLEAR ALL", content_type="application/sparql-update")
    assert resp.status_code == 415 and b"read-only" in resp.data


def test_service_is_refused_but_the_word_in_a_string_is_fine(client):
    resp = get(client, "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }")
    assert resp.status_code == 400 and b"SERVICE" in resp.data
    resp = get(client, "select * where { service silent <http://x/> { ?s ?p ?o } }")
    assert resp.status_code == 400
    ok = get(client, 'SELECT ("SERVICE <http://x>" AS ?x) WHERE {} # SERVICE')
    assert ok.status_code == 200


def test_file_iris_are_refused(client):
    assert get(client, "ASK { <file:///etc/passwd> ?p ?o }").status_code == 400
    resp = get(client, "ASK {}", params="&default-graph-uri=" + quote("file:///etc/passwd"))
    assert resp.status_code == 400


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_other_methods_get_405_with_allow(client, method):
    resp = getattr(client, method)("/sparql?query=ASK%20%7B%7D")
    assert resp.status_code == 405
    assert "GET" in resp.headers["Allow"] and "POST" in resp.headers["Allow"]


def test_more_than_one_query_is_400(client):
    assert client.get("/sparql?query=ASK%20%7B%7D&query=ASK%20%7B%7D").status_code == 400
    resp = client.post(
        "/sparql?query=ASK%20%7B%7D", data=b"ASK {}", content_type="application/sparql-query"
    )
    assert resp.status_code == 400


@pytest.mark.parametrize(
    ("content_type", "status"),
    [
        ("text/plain", 415),
        (None, 415),
        ("application/json", 415),
        ("application/sparql-query; charset=UTF-16", 415),
        ("application/x-www-form-urlencoded; charset=latin-1", 415),
    ],
)
def test_wrong_media_type_or_charset(client, content_type, status):
    kwargs = {"content_type": content_type} if content_type else {}
    resp = client.post("/sparql", data=b"query=ASK%20%7B%7D", **kwargs)
    assert resp.status_code == status


def test_body_that_is_not_utf8_is_400(client):
    resp = client.post(
        "/sparql",
        data="ASK { ?s ?p 'é' }".encode("latin-1"),
        content_type="application/sparql-query",
    )
    assert resp.status_code == 400 and b"UTF-8" in resp.data


def test_syntax_error_is_400_with_position(client):
    resp = get(client, "SELECT * WHERE { ?s ?p }")
    assert resp.status_code == 400
    assert resp.mimetype == "text/plain"
    assert b"syntax error at line 1, column " in resp.data
    assert len(resp.data.decode().strip().splitlines()) == 1


def test_an_undefined_prefix_is_one_line_naming_it(client):
    """pyoxigraph lists every character a name may hold, over many lines; the endpoint
    answers one line, as the CLI does (server/syntax_errors.py)."""
    resp = get(client, "SELECT * WHERE {\n  ?s a dg:Event }")
    assert resp.status_code == 400
    text = resp.data.decode().strip()
    assert text == (
        "SPARQL syntax error at line 2, column 8: undefined prefix 'dg:' in dg:Event"
        " (declare it: PREFIX dg: <...>)"
    )


def test_missing_query_on_post_is_400(client):
    assert client.post("/sparql", data={"format": "json"}).status_code == 400


# -- formats ------------------------------------------------------------------------------


def test_select_formats_parse_and_agree(client):
    rows = {b["s"]["value"] for b in bindings(get(client, STATES))}
    xml = get(client, STATES, "application/sparql-results+xml")
    assert xml.mimetype == "application/sparql-results+xml"
    tree = ET.fromstring(xml.data)
    assert {u.text for u in tree.iter(SRX + "uri")} == rows
    csv_resp = get(client, STATES, "text/csv")
    assert csv_resp.mimetype == "text/csv"
    table = list(csv.reader(io.StringIO(csv_resp.data.decode())))
    assert table[0] == ["s"] and {r[0] for r in table[1:]} == rows
    tsv = get(client, STATES, "text/tab-separated-values").data.decode().splitlines()
    assert tsv[0] == "?s" and {line.strip("<>") for line in tsv[1:]} == rows
    for fmt, media in (
        ("json", "application/sparql-results+json"),
        ("tsv", "text/tab-separated-values"),
    ):
        assert get(client, STATES, params="&format=" + fmt).mimetype == media


def test_ask_formats(client):
    q = f"ASK {{ ?s a <{DG}State> }}"
    assert json.loads(get(client, q).data)["boolean"] is True
    tree = ET.fromstring(get(client, q, "application/sparql-results+xml").data)
    assert tree.find(SRX + "boolean").text == "true"
    # SPARQL CSV/TSV have no boolean: Jena's one-column `_askResult` table is answered.
    csv_resp = get(client, q, "text/csv")
    assert csv_resp.status_code == 200 and csv_resp.mimetype == "text/csv"
    assert list(csv.reader(io.StringIO(csv_resp.data.decode()))) == [["_askResult"], ["true"]]
    assert get(client, q, "text/tab-separated-values").data == b"?_askResult\ntrue\n"
    assert get(client, q, "text/html").status_code == 406


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        (None, ox.RdfFormat.TURTLE),
        ("text/turtle", ox.RdfFormat.TURTLE),
        ("application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("application/ld+json", ox.RdfFormat.JSON_LD),
        ("application/rdf+xml", ox.RdfFormat.RDF_XML),
        ("application/n-quads", ox.RdfFormat.N_QUADS),
        ("application/trig", ox.RdfFormat.TRIG),
    ],
)
def test_construct_formats_parse(client, accept, fmt):
    resp = get(client, CONSTRUCT, accept)
    assert resp.status_code == 200
    assert resp.mimetype == fmt.media_type
    parsed = list(ox.parse(resp.data, format=fmt))
    assert len({str(t) for t in parsed}) == 6


@pytest.mark.parametrize(
    ("query", "accept", "content_type"),
    [
        (STATES, "application/sparql-results+json", "application/sparql-results+json"),
        (STATES, "application/sparql-results+xml", "application/sparql-results+xml; charset=utf-8"),
        (STATES, "text/csv", "text/csv; charset=utf-8"),
        (STATES, "text/tab-separated-values", "text/tab-separated-values; charset=utf-8"),
        (CONSTRUCT, "text/turtle", "text/turtle; charset=utf-8"),
        (CONSTRUCT, "application/rdf+xml", "application/rdf+xml; charset=utf-8"),
        (CONSTRUCT, "application/trig", "application/trig; charset=utf-8"),
        (CONSTRUCT, "application/n-triples", "application/n-triples"),
        (CONSTRUCT, "application/ld+json", "application/ld+json"),
    ],
)
def test_text_and_xml_results_say_their_charset(client, query, accept, content_type):
    assert get(client, query, accept).headers["Content-Type"] == content_type


def test_the_accept_header_decides_for_each_request(client):
    """Negotiation is remembered per Accept header, never across different headers."""
    for accept, expected in [
        ("text/csv", "text/csv"),
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("text/csv", "text/csv"),
        ("text/csv;q=0.1, application/sparql-results+xml", "application/sparql-results+xml"),
    ]:
        assert get(client, STATES, accept).mimetype == expected
    assert get(client, STATES, "text/html").status_code == 406
    assert get(client, STATES, "text/html", params="&format=csv").mimetype == "text/csv"


def test_format_names_follow_the_query_form(client):
    assert get(client, CONSTRUCT, params="&format=json").mimetype == "application/ld+json"
    assert get(client, CONSTRUCT, params="&format=xml").mimetype == "application/rdf+xml"
    assert get(client, STATES, params="&format=xml").mimetype == "application/sparql-results+xml"
    assert get(client, STATES, params="&format=ttl").status_code == 406
    # SPARQLWrapper's N3 and RDFXML names (and the media types it repeats them with).
    assert get(client, CONSTRUCT, params="&format=n3").mimetype == "text/turtle"
    assert get(client, CONSTRUCT, params="&format=rdf%2Bxml").mimetype == "application/rdf+xml"
    assert get(client, CONSTRUCT, "text/n3").mimetype == "text/turtle"
    assert get(client, STATES, params="&format=n3").status_code == 406


def test_describe(client):
    resp = get(client, "DESCRIBE <https://w3id.org/diplograph/id/entity/Q750>")
    assert resp.status_code == 200 and resp.mimetype == "text/turtle"
    triples = list(ox.parse(resp.data, format=ox.RdfFormat.TURTLE))
    assert any(t.object == ox.Literal("Bolivia") for t in triples)


def test_accept_q_values_and_never_html(client):
    resp = get(client, STATES, "text/csv;q=0.5, application/sparql-results+xml;q=0.9")
    assert resp.mimetype == "application/sparql-results+xml"
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert get(client, STATES, browser).mimetype == "application/sparql-results+xml"
    assert get(client, STATES, "*/*").mimetype == "application/sparql-results+json"
    assert get(client, STATES, "text/html").status_code == 406
    assert get(client, STATES, "application/json").mimetype == "application/sparql-results+json"
    assert get(client, STATES, params="&format=nonsense").status_code == 406
    assert get(client, STATES, "text/csv;q=0").status_code == 406  # only type refused


# -- caching, CORS, gzip, limits ------------------------------------------------------------


def test_etag_and_last_modified_give_304(client):
    first = get(client, STATES)
    etag = first.headers["ETag"]
    assert etag.startswith('W/"v') and first.headers["Last-Modified"]
    again = get(client, STATES, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    since = get(client, STATES, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304
    other = get(client, STATES, "text/csv", headers={"If-None-Match": etag})
    assert other.status_code == 200  # another representation, another tag


def test_cors_simple_and_preflight(client):
    resp = get(client, STATES, headers={"Origin": "https://example.org"})
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    pre = client.options(
        "/sparql",
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert 200 <= pre.status_code < 300
    assert pre.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in pre.headers["Access-Control-Allow-Methods"]
    assert "content-type" in pre.headers["Access-Control-Allow-Headers"].lower()


def test_gzip_when_accepted(client):
    values = " ".join(str(i) for i in range(500))
    q = "SELECT ?x WHERE { VALUES ?x { " + values + " } }"
    resp = client.post("/sparql", data={"query": q}, headers={"Accept-Encoding": "gzip"})
    assert resp.headers["Content-Encoding"] == "gzip"
    assert len(json.loads(gzip.decompress(resp.data))["results"]["bindings"]) == 500
    plain = client.post("/sparql", data={"query": q})
    assert "Content-Encoding" not in plain.headers


def test_query_and_body_length_caps(client, app):
    limit = app.config["MAX_URL_LENGTH"]
    long_query = "SELECT * WHERE { ?s ?p ?o } #" + "x" * limit
    assert get(client, long_query).status_code == 414
    big = app.config["MAX_CONTENT_LENGTH"] + 10
    resp = client.post(
        "/sparql", data=b"ASK {} #" + b"x" * big, content_type="application/sparql-query"
    )
    assert resp.status_code == 413


def test_result_cap_is_signalled(tmp_path):
    from diplograph.server import create_app

    build_store(tmp_path / "store")
    capped = create_app(
        {
            "STORE_PATH": str(tmp_path / "store"),
            "MAX_RESULT_ROWS": 2,
            "QUERY_WORKERS": 1,
            "ACCESS_LOG": False,
        }
    )
    try:
        c = capped.test_client()
        resp = get(c, STATES)
        body = json.loads(resp.data)
        assert len(body["results"]["bindings"]) == 2
        assert resp.headers["Diplograph-Result-Truncated"] == "true"
        assert resp.headers["Diplograph-Result-Limit"] == "2"
        assert "MAX_RESULT_ROWS" in resp.headers["Warning"]
        assert body["diplograph"]["truncated"] is True and "LIMIT" in body["diplograph"]["message"]
        xml = get(c, STATES, "application/sparql-results+xml")
        assert b"Result cut at 2 rows" in xml.data
        graph = get(c, CONSTRUCT)
        assert graph.headers["Diplograph-Result-Truncated"] == "true"
        assert len(list(ox.parse(graph.data, format=ox.RdfFormat.TURTLE))) == 2
        small = get(c, STATES + " LIMIT 2")
        assert "Diplograph-Result-Truncated" not in small.headers
    finally:
        capped.extensions["diplograph"].close()


# -- service description --------------------------------------------------------------------


def test_service_description_and_void(client, app):
    resp = client.get("/sparql")
    assert resp.status_code == 200 and resp.mimetype == "text/turtle"
    triples = list(ox.parse(resp.data, format=ox.RdfFormat.TURTLE))
    sd = "http://www.w3.org/ns/sparql-service-description#"
    void = "http://rdfs.org/ns/void#"

    def objects(pred: str) -> list:
        return [t.object for t in triples if t.predicate.value == pred]

    assert objects(sd + "endpoint") == [ox.NamedNode("http://localhost/sparql")]
    names = {o.value for o in objects(sd + "name")}
    assert G_2023 in names and len(names) == 5
    assert len(objects(void + "dataDump")) == 4
    assert "http://localhost/dumps/all.nq.gz" in {o.value for o in objects(void + "dataDump")}
    counts = sorted(int(o.value) for o in objects(void + "triples"))
    meta = app.extensions["diplograph"].source.snapshot().metadata
    # the dataset carries the total, then one count per named graph; the default graph
    # (their set union, smaller than the total when articles share triples) none
    assert counts == sorted([meta["triples"], *meta["graphs"].values()])
    assert objects("http://purl.org/dc/terms/license")
    assert objects("http://purl.org/dc/terms/modified")
    html = client.get("/sparql", headers={"Accept": "text/html"})
    assert html.mimetype == "text/html" and b"yasgui" in html.data.lower()
    rdfxml = client.get("/sparql", headers={"Accept": "application/rdf+xml"})
    assert rdfxml.mimetype == "application/rdf+xml"


def test_large_results_are_streamed_and_complete(tmp_path):
    from diplograph.server import create_app

    build_store(tmp_path / "store")
    streaming = create_app(
        {
            "STORE_PATH": str(tmp_path / "store"),
            "STREAM_THRESHOLD": 1000,
            "QUERY_WORKERS": 1,
            "ACCESS_LOG": False,
        }
    )
    try:
        c = streaming.test_client()
        q = "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }"
        resp = c.get("/sparql?query=" + quote(q))
        assert resp.is_streamed and "Content-Length" not in resp.headers
        rows = json.loads(resp.get_data())["results"]["bindings"]
        assert len(rows) == int(resp.headers["Diplograph-Result-Count"]) > 1000
        zipped = c.get("/sparql?query=" + quote(q), headers={"Accept-Encoding": "gzip"})
        assert zipped.headers["Content-Encoding"] == "gzip"
        assert json.loads(gzip.decompress(zipped.get_data()))["results"]["bindings"] == rows
        # the worker is free again afterwards
        assert get(c, "ASK {}").status_code == 200
    finally:
        streaming.extensions["diplograph"].close()


def test_forwarded_headers_only_count_behind_a_trusted_proxy(sample_store):
    from diplograph.server import create_app

    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "kg.example.org"}
    for trust, expected in (
        (True, "https://kg.example.org/sparql"),
        (False, "http://localhost/sparql"),
    ):
        proxied = create_app(
            {"STORE_PATH": str(sample_store), "TRUST_PROXY": trust, "ACCESS_LOG": False}
        )
        body = proxied.test_client().get("/sparql", headers=forwarded).data.decode()
        assert f"<{expected}> a sd:Service" in body
