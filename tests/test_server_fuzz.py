"""Property test of the HTTP layer: random methods, paths, parameters, headers and bodies
never produce a 5xx (issue 7). Runs through the Flask test client with real workers."""

from __future__ import annotations

import os
from urllib.parse import quote

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import server_fixtures

sample_store = server_fixtures.sample_store
app = server_fixtures.app

EXAMPLES = int(os.environ.get("DIPLOGRAPH_FUZZ_EXAMPLES", "150"))

PATHS = st.sampled_from(
    [
        "/sparql",
        "/",
        "/dumps/",
        "/dumps/all.nq.gz",
        "/id/entity/Q750",
        "/id/",
        "/ontology",
        "/graph/inferred",
        "/health",
        "/queries.json",
        "/.well-known/void",
        "/id/event/x/../y",
    ]
)
QUERIES = st.one_of(
    st.text(max_size=200),
    st.sampled_from(
        [
            "ASK {}",
            "SELECT * { ?s ?p ?o } LIMIT 3",
            "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 2",
            "DESCRIBE <http://x>",
            "SELECT * { SERVICE <http://x> {} }",
            "INSERT DATA {}",
            "SELECT (1/0 AS ?x) {}",
            "SELECT * { ?s ?p ?o FILTER(REGEX(?o, '(')) }",
        ]
    ),
)
HEADER_VALUES = st.one_of(
    st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=60),
    st.sampled_from(
        [
            "text/html",
            "*/*;q=0",
            "application/sparql-results+json;q=2",
            "gzip;q=abc",
            "bytes=5-1",
            '"etag"',
            "Thu, 01 Jan 1970 00:00:00 GMT",
        ]
    ),
)
HEADER_NAMES = st.sampled_from(
    [
        "Accept",
        "Accept-Encoding",
        "Content-Type",
        "If-None-Match",
        "If-Modified-Since",
        "Range",
        "Origin",
        "Access-Control-Request-Method",
    ]
)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    method=st.sampled_from(["GET", "POST", "PUT", "DELETE", "OPTIONS", "HEAD", "PATCH"]),
    path=PATHS,
    suffix=st.text(alphabet="abc%/.:?&=#\x00", max_size=8),
    params=st.lists(
        st.tuples(
            st.sampled_from(
                ["query", "format", "default-graph-uri", "named-graph-uri", "update", "x"]
            ),
            QUERIES,
        ),
        max_size=3,
    ),
    headers=st.dictionaries(HEADER_NAMES, HEADER_VALUES, max_size=4),
    body=st.one_of(st.none(), st.binary(max_size=200), QUERIES.map(lambda q: q.encode("utf-8"))),
)
def test_no_request_makes_a_server_error(app, method, path, suffix, params, headers, body):
    client = app.test_client()
    query_string = "&".join(f"{quote(k)}={quote(v)}" for k, v in params)
    url = path + quote(suffix, safe="/%?&=") + ("?" + query_string if query_string else "")
    url = "/" + url.lstrip("/")  # "//x" would be a network-path reference to host x
    resp = client.open(url, method=method, headers=headers, data=body)
    resp.get_data()
    resp.close()
    assert resp.status_code < 500, (method, url, headers, resp.status_code, resp.data[:300])
