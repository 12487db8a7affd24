"""Unit tests of the server's small parts: Accept parsing, the query tokenizer, the result
writers (checked against pyoxigraph's own serialisers), the timeline layout."""

from __future__ import annotations

import io
import json

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from diplograph.server import results, timeline
from diplograph.server.errors import HTTPProblem
from diplograph.server.negotiation import choose, negotiate, parse_accept
from diplograph.server.query_check import inspect_query
from diplograph.server.sparql_tokens import tokens

# -- negotiation ------------------------------------------------------------------------------


def test_parse_accept_reads_q_and_params():
    ranges = parse_accept("text/html;level=1;q=0.5, */*;q=0.1, application/json, bad, x/y;q=oops")
    assert [(r.type, r.subtype, r.q) for r in ranges] == [
        ("text", "html", 0.5),
        ("*", "*", 0.1),
        ("application", "json", 1.0),
        ("x", "y", 1.0),
    ]
    assert ranges[0].params == (("level", "1"),)


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "a/json"),
        ("", "a/json"),
        ("*/*", "a/json"),
        ("text/*", "text/csv"),
        ("text/csv;q=0.4, a/xml;q=0.6", "a/xml"),
        ("text/*;q=0.9, text/csv;q=0.1", "text/tsv"),  # the most specific range decides
        ("a/json;q=0, */*", "a/xml"),
        ("image/png", None),
        ("a/json;q=0.5, a/xml;q=0.5", "a/json"),  # ties go to the server's order
    ],
)
def test_negotiate(accept, expected):
    assert negotiate(accept, ["a/json", "a/xml", "text/csv", "text/tsv"]) == expected


def test_format_parameter_wins_and_unknown_format_is_none():
    offers = ["a/json", "text/csv"]
    assert choose("a/json", "csv", offers, {"csv": "text/csv"}) == "text/csv"
    assert choose("a/json", "TEXT/CSV", offers, {}) == "text/csv"
    assert choose("a/json", "pdf", offers, {}) is None


@given(st.text(max_size=200))
def test_negotiate_never_raises(header):
    assert negotiate(header, ["a/b", "c/d"]) in (None, "a/b", "c/d")


# -- query inspection ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "form"),
    [
        ("SELECT * {}", "SELECT"),
        ("  # comment\nBASE <http://x/> PREFIX a: <http://a/> prefix : <http://b/> ask {}", "ASK"),
        ("construct where { ?s ?p ?o }", "CONSTRUCT"),
        ("DESCRIBE <http://x>", "DESCRIBE"),
        ("nonsense", ""),
    ],
)
def test_query_form(query, form):
    assert inspect_query(query).form == form


@pytest.mark.parametrize(
    "query",
    [
        'SELECT * { ?s ?p "SERVICE <http://evil/>" }',
        "SELECT * { ?s <http://x/service> ?o } # SERVICE <http://evil/>",
        "PREFIX service: <http://x/> SELECT * { ?s service:load ?service }",
        "SELECT ?load ?insert { ?load ?insert ?drop }",
        "SELECT * { ?s ?p '''multi\nline SERVICE''' }",
    ],
)
def test_keywords_inside_strings_comments_names_are_fine(query):
    assert inspect_query(query).form == "SELECT"


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * { SERVICE <http://127.0.0.1/> { ?s ?p ?o } }",
        "SELECT * { Service Silent ?endpoint { ?s ?p ?o } }",
        "PREFIX x: <http://x/> INSERT DATA { x:a x:b x:c }",
        "with <http://g> delete { ?s ?p ?o } where { ?s ?p ?o }",
        "ASK { <FILE:///etc/passwd> ?p ?o }",
    ],
)
def test_refused_queries(query):
    with pytest.raises(HTTPProblem) as info:
        inspect_query(query)
    assert info.value.status == 400


def test_remembered_queries_are_refused_every_time_and_long_ones_still_checked():
    from diplograph.server import query_check

    refused = "SELECT * WHERE { SERVICE <http://evil/> { ?s ?p ?o } }"
    for _ in range(2):
        with pytest.raises(HTTPProblem):
            inspect_query(refused)
    accepted = "SELECT ?s WHERE { ?s ?p ?o }"
    assert inspect_query(accepted) is inspect_query(accepted)  # remembered
    padding = " " * query_check.REMEMBERED_QUERY_LENGTH
    with pytest.raises(HTTPProblem):
        inspect_query(padding + refused)
    assert inspect_query(padding + accepted).form == "SELECT"


def test_tokenizer_keeps_iris_and_operators_apart():
    kinds = [t.kind for t in tokens("FILTER(?a < ?b && ?c > 1) <http://x>")]
    assert kinds.count("iri") == 1 and kinds.count("var") == 3


@settings(max_examples=300)
@given(st.text(max_size=300))
def test_inspect_query_only_ever_raises_http_problems(text):
    try:
        inspect_query(text)
    except HTTPProblem as exc:
        assert exc.status == 400


# -- result writers ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def store() -> ox.Store:
    s = ox.Store()
    ex = "http://example.org/"
    s.add(
        ox.Quad(
            ox.NamedNode(ex + "a"), ox.NamedNode(ex + "p"), ox.Literal('x, "y"\n\tz', language="en")
        )
    )
    s.add(
        ox.Quad(
            ox.NamedNode(ex + "a"),
            ox.NamedNode(ex + "p"),
            ox.Literal("42", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
        )
    )
    s.add(ox.Quad(ox.BlankNode("b0"), ox.NamedNode(ex + "p"), ox.Literal("plain <&> é")))
    s.add(ox.Quad(ox.NamedNode(ex + "c"), ox.NamedNode(ex + "q"), ox.NamedNode(ex + "a")))
    return s


QUERY = (
    "SELECT ?s ?o ?missing WHERE { ?s ?p ?o OPTIONAL { ?s <http://nowhere/> ?missing } } "
    "ORDER BY ?o"
)


def _ours(store: ox.Store, media_type: str) -> bytes:
    result = store.query(QUERY)
    sink = io.BytesIO()
    results.write_solutions([v.value for v in result.variables], list(result), media_type, sink)
    return sink.getvalue()


@pytest.mark.parametrize(
    ("media_type", "fmt"),
    [
        (results.JSON, ox.QueryResultsFormat.JSON),
        (results.XML, ox.QueryResultsFormat.XML),
        (results.TSV, ox.QueryResultsFormat.TSV),
    ],
)
def test_solution_writers_agree_with_pyoxigraph(store, media_type, fmt):
    ours = list(ox.parse_query_results(_ours(store, media_type), format=fmt))
    theirs = list(ox.parse_query_results(store.query(QUERY).serialize(format=fmt), format=fmt))
    assert [str(list(s)) for s in ours] == [str(list(s)) for s in theirs]
    assert len(ours) == 4


def test_csv_writer_matches_pyoxigraph_bytes(store):
    assert _ours(store, results.CSV) == store.query(QUERY).serialize(
        format=ox.QueryResultsFormat.CSV
    )


def test_json_writer_output_is_standard_json(store):
    data = json.loads(_ours(store, results.JSON))
    assert data["head"]["vars"] == ["s", "o", "missing"]
    literal = next(b["o"] for b in data["results"]["bindings"] if b["o"].get("xml:lang"))
    assert literal == {"type": "literal", "value": 'x, "y"\n\tz', "xml:lang": "en"}


def test_boolean_writers():
    for value in (True, False):
        sink = io.BytesIO()
        results.write_boolean(value, results.JSON, sink)
        assert (
            bool(ox.parse_query_results(sink.getvalue(), format=ox.QueryResultsFormat.JSON))
            is value
        )
        sink = io.BytesIO()
        results.write_boolean(value, results.XML, sink)
        assert (
            bool(ox.parse_query_results(sink.getvalue(), format=ox.QueryResultsFormat.XML)) is value
        )


# -- timeline --------------------------------------------------------------------------------


def test_fractional_years_follow_precision():
    assert timeline.fractional_year("2022") == 2022.5
    assert timeline.fractional_year("2021-08") == pytest.approx(2021 + 7.5 / 12)
    assert timeline.fractional_year("2020-01-01") == pytest.approx(2020 + 0.5 / 366)
    assert timeline.fractional_year(None) is None and timeline.fractional_year("soon") is None


def test_timeline_layout_orders_dots_and_counts_undated():
    points = [
        timeline.Point("2023-10-31", "severance", "/e/2", "b"),
        timeline.Point("2020-12-10", "ties", "/e/1", "a"),
        timeline.Point(None, "ties", "/e/3", "c"),
    ]
    t = timeline.build(points)
    assert t is not None and t.undated == 1
    assert [d.href for d in t.dots] == ["/e/1", "/e/2"]
    assert t.dots[0].x < t.dots[1].x
    assert [lane.label for lane in t.lanes] == ["severance", "ties"]
    assert [tick.label for tick in t.ticks] == ["2020", "2021", "2022", "2023", "2024"]
    assert timeline.build([timeline.Point(None, "x", "/e", "t")]) is None


@pytest.mark.parametrize(
    "query",
    [
        "SELECT (STR(<\\u0066ile:///etc/passwd>) AS ?x) WHERE {}",
        "ASK { <\\U00000046ILE:///etc/passwd> ?p ?o }",
    ],
)
def test_escaped_file_iris_are_refused(query):
    with pytest.raises(HTTPProblem, match="file:"):
        inspect_query(query)


def test_iri_tokens_keep_codepoint_escapes():
    (tok,) = tokens("<http://example.org/caf\\u00e9>")
    assert tok.kind == "iri"


@pytest.mark.parametrize(
    "header, accepted",
    [
        (None, False),
        ("identity", False),
        ("gzip", True),
        ("GZIP;q=1", True),
        ("deflate, x-gzip", True),
        ("*", True),
        ("gzip;q=0", False),
        ("br, gzip;q=0, identity", False),
    ],
)
def test_accepts_gzip(header, accepted):
    from werkzeug.test import EnvironBuilder
    from werkzeug.wrappers import Request

    from diplograph.server.compression import accepts_gzip

    headers = {"Accept-Encoding": header} if header is not None else {}
    assert accepts_gzip(Request(EnvironBuilder(headers=headers).get_environ())) is accepted
