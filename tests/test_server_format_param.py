"""The ``format=`` parameter and Accept as SPARQLWrapper and other common clients send them.

SPARQLWrapper (rdflib.github.io/sparqlwrapper) puts its return format in ``format=``,
``output=`` and ``results=`` and also sends an Accept header; for TSV, JSON-LD and RDF/XML
it repeats each parameter with the media type. Every one of its nine return formats is
checked against every query form: status, Content-Type and a body that parses.
"""

from __future__ import annotations

import csv
import io
import json
import warnings
import xml.etree.ElementTree as ET
from urllib.parse import quote, urlsplit

import pytest
import rdflib
from werkzeug.test import TestResponse

from diplograph.server.negotiation import choose
from tests import server_fixtures

sample_store = server_fixtures.sample_store
app = server_fixtures.app
client = server_fixtures.client
live_server = server_fixtures.live_server

DG = "https://w3id.org/diplograph/ontology#"
QUERIES = {
    "SELECT": f"SELECT DISTINCT ?s WHERE {{ ?s a <{DG}State> }} ORDER BY ?s",
    "ASK": f"ASK {{ ?s a <{DG}State> }}",
    "CONSTRUCT": f"CONSTRUCT {{ ?s a <{DG}State> }} WHERE {{ ?s a <{DG}State> }}",
    "DESCRIBE": "DESCRIBE <https://w3id.org/diplograph/id/entity/Q750>",
}
FORMS = tuple(QUERIES)
SRX_NS = "{http://www.w3.org/2005/sparql-results#}"

SRJ = "application/sparql-results+json"
SRX = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"
TTL = "text/turtle"
RDFXML = "application/rdf+xml"
JSONLD = "application/ld+json"

#: SPARQLWrapper's return formats (its constants' values) -> the answer for
#: (SELECT and ASK, CONSTRUCT and DESCRIBE); None = 406.
EXPECTED: dict[str, tuple[str | None, str | None]] = {
    "json": (SRJ, JSONLD),
    "xml": (SRX, RDFXML),
    "turtle": (None, TTL),
    "n3": (None, TTL),
    "rdf": (None, RDFXML),
    "rdf+xml": (None, RDFXML),
    "csv": (CSV, None),
    "tsv": (TSV, None),
    "json-ld": (None, JSONLD),
}
CASES = [(fmt, form) for fmt in EXPECTED for form in FORMS]


def expected(fmt: str, form: str) -> str | None:
    results, graph = EXPECTED[fmt]
    return graph if form in ("CONSTRUCT", "DESCRIBE") else results


def parse_rdf(data: bytes | str, rdflib_format: str) -> rdflib.Graph:
    with warnings.catch_warnings():
        # rdflib's JSON-LD and N3 parsers use its own deprecated ConjunctiveGraph API.
        warnings.simplefilter("ignore", DeprecationWarning)
        return rdflib.Graph().parse(data=data, format=rdflib_format)


def check_body(form: str, media_type: str, data: bytes, requested: str = "") -> None:
    """The body parses as ``media_type`` and holds the sample data's answer."""
    if form in ("CONSTRUCT", "DESCRIBE"):
        graph = parse_rdf(data, {TTL: "turtle", RDFXML: "xml", JSONLD: "json-ld"}[media_type])
        if form == "CONSTRUCT":
            assert len(graph) == 6
        else:
            assert rdflib.Literal("Bolivia") in set(graph.objects())
        if requested == "n3":  # the Turtle answer is an N3 document too
            assert len(parse_rdf(data, "n3")) == len(graph)
        return
    text = data.decode("utf-8")
    if media_type == SRJ:
        doc = json.loads(text)
        if form == "ASK":
            assert doc["boolean"] is True
        else:
            assert len(doc["results"]["bindings"]) == 6
    elif media_type == SRX:
        tree = ET.fromstring(data)
        if form == "ASK":
            assert tree.find(SRX_NS + "boolean").text == "true"
        else:
            assert len(list(tree.iter(SRX_NS + "uri"))) == 6
    elif media_type == CSV:
        table = list(csv.reader(io.StringIO(text, newline="")))
        if form == "ASK":
            assert table == [["_askResult"], ["true"]]
        else:
            assert table[0] == ["s"] and len(table) == 7
    elif media_type == TSV:
        lines = text.splitlines()
        if form == "ASK":
            assert lines == ["?_askResult", "true"]
        else:
            assert lines[0] == "?s" and len(lines) == 7
    else:
        raise AssertionError(f"unexpected media type {media_type}")


def check(resp: TestResponse, form: str, want: str | None, requested: str = "") -> None:
    if want is None:
        assert resp.status_code == 406, resp.data
        assert resp.mimetype == "text/plain"
        return
    assert resp.status_code == 200, resp.data
    assert resp.mimetype == want
    check_body(form, want, resp.data, requested)


@pytest.mark.parametrize(("fmt", "form"), CASES)
def test_format_parameter_alone(client, fmt, form):
    resp = client.get(f"/sparql?query={quote(QUERIES[form])}&format={quote(fmt)}")
    check(resp, form, expected(fmt, form), fmt)


@pytest.mark.parametrize(("fmt", "form"), CASES)
def test_sparqlwrapper_requests(client, fmt, form):
    """The exact request SPARQLWrapper builds (URL and Accept), replayed in-process."""
    sparqlwrapper = pytest.importorskip("SPARQLWrapper")
    wrapper = sparqlwrapper.SPARQLWrapper("http://localhost/sparql")
    wrapper.setQuery(QUERIES[form])
    wrapper.setReturnFormat(fmt)
    with warnings.catch_warnings():
        # SPARQLWrapper warns (and sends Accept: */*) for combinations it finds odd,
        # e.g. Turtle for a SELECT.
        warnings.simplefilter("ignore", RuntimeWarning)
        built = wrapper._createRequest()
    url = urlsplit(built.full_url)
    assert "format=" in url.query
    headers = {k: v for k, v in built.header_items() if k.lower() == "accept"}
    resp = client.get(f"{url.path}?{url.query}", headers=headers)
    check(resp, form, expected(fmt, form), fmt)


@pytest.mark.parametrize(
    ("fmt", "form", "accept"),
    [
        ("n3", "CONSTRUCT", "application/n-triples"),
        ("rdf+xml", "DESCRIBE", "text/turtle"),
        ("json", "CONSTRUCT", "text/turtle"),
        ("csv", "ASK", SRJ),
        ("tsv", "SELECT", "text/csv"),
    ],
)
def test_format_parameter_wins_over_accept(client, fmt, form, accept):
    resp = client.get(
        f"/sparql?query={quote(QUERIES[form])}&format={quote(fmt)}", headers={"Accept": accept}
    )
    check(resp, form, expected(fmt, form), fmt)


@pytest.mark.parametrize(
    "value",
    ["text/n3", "text/rdf+n3", "application/n3", "application/turtle", "application/x-turtle"],
)
def test_n3_and_old_turtle_media_types_get_turtle(client, value):
    """As Accept or as a ``format=`` value: a Turtle document is valid N3."""
    query = quote(QUERIES["CONSTRUCT"])
    by_accept = client.get(f"/sparql?query={query}", headers={"Accept": value})
    by_format = client.get(f"/sparql?query={query}&format={quote(value)}")
    for resp in (by_accept, by_format):
        assert resp.status_code == 200
        assert resp.headers["Content-Type"] == "text/turtle; charset=utf-8"
        check_body("CONSTRUCT", TTL, resp.data, "n3")


def test_ask_as_csv_and_tsv_by_accept(client):
    query = quote(QUERIES["ASK"])
    for media_type in (CSV, TSV):
        resp = client.get(f"/sparql?query={query}", headers={"Accept": media_type})
        assert resp.status_code == 200
        assert resp.headers["Content-Type"] == f"{media_type}; charset=utf-8"
        check_body("ASK", media_type, resp.data)
    false = client.get(
        f"/sparql?query={quote('ASK { <urn:x:none> ?p ?o }')}&format=csv"
    ).data.decode()
    assert false == "_askResult\r\nfalse\r\n"
    # Without Accept (or with */*) ASK still answers SPARQL JSON.
    assert client.get(f"/sparql?query={query}").mimetype == SRJ


def test_unescaped_plus_in_a_format_value(client):
    """``?format=rdf+xml`` typed into a URL arrives as ``rdf xml``; a space is never part of
    a format name, so it is read as the ``+`` the client meant."""
    construct = quote(QUERIES["CONSTRUCT"])
    resp = client.get(f"/sparql?query={construct}&format=rdf+xml")
    check(resp, "CONSTRUCT", RDFXML)
    resp = client.get(f"/sparql?query={construct}&format=application/rdf+xml")
    check(resp, "CONSTRUCT", RDFXML)
    select = quote(QUERIES["SELECT"])
    resp = client.get(f"/sparql?query={select}&format=application/sparql-results+json")
    check(resp, "SELECT", SRJ)


def test_choose_reads_a_space_as_plus():
    offers = ("text/turtle", "application/rdf+xml")
    aliases = {"rdf+xml": "application/rdf+xml"}
    assert choose(None, "rdf xml", offers, aliases) == "application/rdf+xml"
    assert choose(None, " application/rdf xml ", offers, {}) == "application/rdf+xml"
    assert choose(None, "rdf  xml", offers, aliases) is None


def test_unavailable_format_values_are_406_with_the_choices(client):
    select = quote(QUERIES["SELECT"])
    resp = client.get(f"/sparql?query={select}&format=turtle")
    assert resp.status_code == 406
    message = resp.data.decode()
    assert "format=turtle" in message and "SELECT" in message
    for name in ("json", "xml", "csv", "tsv", SRJ, CSV):
        assert name in message
    construct = quote(QUERIES["CONSTRUCT"])
    resp = client.get(f"/sparql?query={construct}&format=yaml")
    assert resp.status_code == 406
    message = resp.data.decode()
    assert "format=yaml" in message
    for name in ("turtle", "n3", "rdfxml", "jsonld", TTL, RDFXML):
        assert name in message
    # An unacceptable Accept header alone keeps the generic message.
    resp = client.get(f"/sparql?query={construct}", headers={"Accept": "text/html"})
    assert resp.status_code == 406 and "text/turtle" in resp.data.decode()


@pytest.mark.parametrize("fmt", ["n3", "rdf+xml", "xml", "turtle"])
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_real_sparqlwrapper_against_the_live_server(live_server, fmt):
    """SPARQLWrapper itself, over HTTP: CONSTRUCT as N3, RDF/XML (and the default XML)."""
    sparqlwrapper = pytest.importorskip("SPARQLWrapper")
    wrapper = sparqlwrapper.SPARQLWrapper(live_server.url + "/sparql")
    wrapper.setQuery(QUERIES["CONSTRUCT"])
    wrapper.setReturnFormat(fmt)
    result = wrapper.query()
    content_type = result.info()["content-type"]
    converted = result.convert()  # warns (an error here) if the answer is not what it asked
    if fmt in ("n3", "turtle"):
        assert content_type == "text/turtle; charset=utf-8"
        assert result._get_responseFormat() == sparqlwrapper.TURTLE
        assert isinstance(converted, bytes)
        assert len(parse_rdf(converted, fmt)) == 6
    else:
        assert content_type == "application/rdf+xml; charset=utf-8"
        assert result._get_responseFormat() == sparqlwrapper.RDFXML
        assert len(converted) == 6


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "xml"])
def test_real_sparqlwrapper_ask(live_server, fmt):
    sparqlwrapper = pytest.importorskip("SPARQLWrapper")
    wrapper = sparqlwrapper.SPARQLWrapper(live_server.url + "/sparql")
    wrapper.setQuery(QUERIES["ASK"])
    wrapper.setReturnFormat(fmt)
    converted = wrapper.query().convert()
    if fmt == "json":
        assert converted["boolean"] is True
    elif fmt == "xml":
        assert converted.getElementsByTagName("boolean")[0].firstChild.data == "true"
    else:
        assert converted.decode().split() == [
            "_askResult" if fmt == "csv" else "?_askResult",
            "true",
        ]
