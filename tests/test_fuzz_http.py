"""Property tests of the HTTP layer: no request, however malformed, gets a 500.

Hypothesis builds requests from random methods, paths (real routes with random tails,
percent-encoded junk, traversal pieces), query strings (the SPARQL protocol's parameters
with random and half-valid values), headers (content negotiation, conditional requests,
encodings, random names) and bodies, and sends them to the real Flask app over a real
store with its query worker processes. Every response must be a deliberate answer: any
status below 500, or 503 (a query that outran its deadline), and the body must be fully
readable (streamed results included).

The example count comes from a hypothesis profile, as in ``test_fuzz_extractor.py``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diplograph.server import create_app
from tests.server_fixtures import build_store

settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.register_profile(
    "bench",
    max_examples=int(os.environ.get("DIPLOGRAPH_FUZZ_EXAMPLES", "10000")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
PROFILE = settings.get_profile(os.environ.get("DIPLOGRAPH_FUZZ_PROFILE", "ci"))

#: Requests sent and their status codes (read by bench/fuzz.py).
STATUSES: dict[int, int] = {}
#: The requests answered 503 (deadline passed), for bench/fuzz.py to show.
TIMEOUTS: list[str] = []

ROUTES = [
    "/",
    "/sparql",
    "/health",
    "/metrics",
    "/dumps/",
    "/dumps/manifest.json",
    "/dumps/all.nq.gz",
    "/dumps/asserted.ttl.gz",
    "/ontology",
    "/dataset",
    "/.well-known/void",
    "/id/",
    "/id/entity/Q142",
    "/id/article/",
    "/id/event/",
    "/graph/",
    "/graph/ontology",
    "/graph/inferred",
    "/graph/article/",
    "/static/site.css",
    "/static/",
    "/favicon.ico",
]
PIECES = ["..", ".", "%2e%2e", "..%2f", "%2f", "%00", "%ff", "%", "%zz", "//", "~", "%c0%af", "\\"]
QUERIES = [
    "SELECT * WHERE { ?s ?p ?o } LIMIT 3",
    "ASK { ?s ?p ?o }",
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 5",
    "DESCRIBE <https://w3id.org/diplograph/id/entity/Q142>",
    "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
    "SELECT ?x WHERE { BIND(1/0 AS ?x) }",
    'SELECT * WHERE { ?s ?p ?o FILTER(REGEX(?o, "(a+)+$")) } LIMIT 1',
    "SELECT * WHERE { ?s ?p ?o } ORDER BY ?o OFFSET 2 LIMIT 2",
    "SELECT (STRDT('x', <http://www.w3.org/2001/XMLSchema#integer>) + 1 AS ?n) {}",
    "SELECT * { VALUES ?x { 1 2 } } GROUP BY ?x HAVING (?x > 1)",
]
MEDIA_TYPES = [
    "*/*",
    "text/html",
    "application/xhtml+xml",
    "text/turtle",
    "application/ld+json",
    "application/n-triples",
    "application/rdf+xml",
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
    "application/json",
    "text/plain",
    "image/png",
    "application/*",
    "text/*;q=0",
    "*/*;q=0.1, text/html;q=0.9",
    "text/html;q=abc",
    ";;;",
    "",
]
HEADER_TEXT = st.text(
    alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"),
    max_size=60,
)


def encoded(text: str) -> str:
    return quote(text, safe="")


@st.composite
def paths(draw: st.DrawFn) -> str:
    path = draw(st.sampled_from(["/sparql"] * len(ROUTES) + ROUTES))  # half go to /sparql
    for _ in range(draw(st.sampled_from([0, 0, 0, 1, 2, 3]))):
        piece = draw(
            st.one_of(
                st.sampled_from(PIECES),
                st.text(max_size=12).map(encoded),
                st.from_regex(r"[A-Za-z0-9._~-]{0,12}", fullmatch=True),
            )
        )
        path = path.rstrip("/") + "/" + piece
    return path


@st.composite
def query_strings(draw: st.DrawFn) -> list[tuple[str, str]]:
    names = st.sampled_from(
        ["query"] * 6 + ["update", "format", "default-graph-uri", "named-graph-uri", "timeout", "x"]
    )
    values = st.one_of(
        st.sampled_from(QUERIES),
        st.sampled_from(QUERIES).flatmap(
            lambda q: st.integers(0, len(q)).map(lambda i: q[:i])  # cut mid-token
        ),
        st.sampled_from([*MEDIA_TYPES, "json", "xml", "csv", "tsv", "turtle", "html"]),
        st.sampled_from(["http://example.org/g", "file:///etc/passwd", "urn:x", "not an iri"]),
        st.text(max_size=40),
    )
    return draw(st.lists(st.tuples(names, values), max_size=4))


@st.composite
def headers(draw: st.DrawFn) -> dict[str, str]:
    chosen: dict[str, str] = {}
    if draw(st.booleans()):
        chosen["Accept"] = ", ".join(draw(st.lists(st.sampled_from(MEDIA_TYPES), max_size=3)))
    for name in (
        "Accept-Encoding",
        "If-None-Match",
        "If-Modified-Since",
        "Range",
        "Accept-Language",
        "Origin",
        "X-Forwarded-For",
        "Access-Control-Request-Headers",
    ):
        if draw(st.integers(0, 4)) == 0:
            chosen[name] = draw(
                st.one_of(
                    HEADER_TEXT,
                    st.sampled_from(
                        [
                            "gzip",
                            "*",
                            '"v000001-x"',
                            'W/"x"',
                            "bytes=0-10",
                            "bytes=5-1",
                            "Wed, 21 Oct 2015 07:28:00 GMT",
                            "Thu, 01 Jan 1970 00:00:00 GMT",
                        ]
                    ),
                )
            )
    if draw(st.integers(0, 4)) == 0:
        name = draw(st.from_regex(r"X-[A-Za-z0-9-]{1,20}", fullmatch=True))
        chosen[name] = draw(HEADER_TEXT)
    return chosen


CONTENT_TYPES = st.sampled_from(
    [
        None,
        "application/x-www-form-urlencoded",
        "application/x-www-form-urlencoded; charset=latin-1",
        "application/sparql-query",
        "application/sparql-query; charset=utf-16",
        "application/sparql-update",
        "multipart/form-data; boundary=x",
        "text/plain",
        "application/json",
        "garbage",
    ]
)
BODIES = st.one_of(
    st.binary(max_size=200),
    st.sampled_from(QUERIES).map(str.encode),
    st.sampled_from(QUERIES).map(lambda q: ("query=" + quote(q)).encode()),
    st.just(b"query=%ff%fe"),
)
METHODS = st.sampled_from(
    ["GET"] * 6 + ["POST"] * 4 + ["HEAD", "OPTIONS", "PUT", "DELETE", "PATCH", "TRACE"]
)


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    store: Path = tmp_path_factory.mktemp("fuzz-http") / "store"
    build_store(store)
    application = create_app(
        {
            "STORE_PATH": str(store),
            "QUERY_WORKERS": 2,
            "QUERY_TIMEOUT": 5.0,
            "ACCESS_LOG": False,
            "TESTING": False,  # exceptions become 500s, as in production, instead of raising
        }
    )
    yield application
    application.extensions["diplograph"].close()


@settings(PROFILE)
@given(
    method=METHODS,
    path=paths(),
    params=query_strings(),
    request_headers=headers(),
    content_type=CONTENT_TYPES,
    body=BODIES,
)
def test_no_request_gets_a_500(
    app,
    method: str,
    path: str,
    params: list[tuple[str, str]],
    request_headers: dict[str, str],
    content_type: str | None,
    body: bytes,
) -> None:
    client = app.test_client()
    query = "&".join(f"{encoded(k)}={encoded(v)}" for k, v in params)
    url = path + ("?" + query if query else "")
    kwargs = {}
    if method in ("POST", "PUT", "PATCH"):
        kwargs = {"data": body, "content_type": content_type}
    with client.open(url, method=method, headers=request_headers, **kwargs) as response:
        response.get_data()  # a streamed body must stream to the end without error
        status = response.status_code
    STATUSES[status] = STATUSES.get(status, 0) + 1
    if status == 503:
        TIMEOUTS.append(f"{method} {url} {content_type or ''} {body[:100]!r}")
    assert status < 500 or status == 503, f"{method} {url} {request_headers} -> {status}"
