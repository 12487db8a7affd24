"""The public endpoint lets nothing in: read-only, no outbound requests, no files, no markup.

Attacks are sent to the real Flask app (worker processes and all) over a real store. The
SSRF tests do not trust status codes alone: a local HTTP listener stands where a
``SERVICE``/``LOAD``/``FROM`` target would be fetched, and it must receive no connection.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
import pytest

from diplograph.ingest.facts import Article, Entity, Fact
from diplograph.ingest.to_rdf import IngestRun, article_to_graph, event_iri
from diplograph.ontology.namespaces import BASE, article_graph
from diplograph.store import VersionedStore
from diplograph.store.terms import oxigraph_triples
from tests.server_fixtures import build_store, running_app

SCRIPT = "<script>alert('xss')</script>"
HOSTILE_ARTICLE = "xss-probe"
HOSTILE_FACT = Fact(
    article=HOSTILE_ARTICLE,
    type="accusation",
    actor=Entity(name='"><script>alert(1)</script>', kind="country"),
    target=Entity(name="Ruritania <img src=x onerror=alert(2)>", kind="country"),
    evidence=f"Ruritania was accused {SCRIPT} of spying",
    attributed_to="</p><script>alert(3)</script>",
    status="alleged",
    date="2024-05-01",
)

#: An article whose "original URL" is a script: no page may turn it into a live link.
JS_URL_ARTICLE = Article(id="js-url-probe", url="javascript:alert(document.domain)")


# ------------------------------------------------------------------------ fixtures
class Listener:
    """A loopback TCP server that records every connection it receives."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(16)
        self.socket.settimeout(0.2)
        self.port = self.socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/sparql"
        self.connections: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.socket.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(1)
                try:
                    self.connections.append(conn.recv(4096))
                except OSError:
                    self.connections.append(b"")
                conn.sendall(b"HTTP/1.1 500 No\r\nContent-Length: 0\r\n\r\n")

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.socket.close()


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The server sample plus one article whose every string is an XSS payload."""
    run = IngestRun(
        id="security-test",
        started_at=datetime(2026, 1, 1, tzinfo=UTC),
        extractor="security test",
        extractor_version="1",
    )
    article = Article(id=HOSTILE_ARTICLE, title=f"Spies {SCRIPT}", outlet='"><b>outlet</b>')
    quads = []
    for item, facts in ((article, [HOSTILE_FACT]), (JS_URL_ARTICLE, [])):
        graph = article_to_graph(item, item.id, facts, run)
        name = ox.NamedNode(article_graph(item.id))
        quads += [ox.Quad(t.subject, t.predicate, t.object, name) for t in oxigraph_triples(graph)]
    path = tmp_path_factory.mktemp("security") / "store"
    build_store(path, quads)
    return path


@pytest.fixture(scope="module")
def app(hostile_store: Path) -> Iterator:
    yield from running_app(STORE=VersionedStore.open(hostile_store, create=False))


@pytest.fixture
def client(app):  # type: ignore[no-untyped-def]
    return app.test_client()


def triple_count(client) -> int:  # type: ignore[no-untyped-def]
    response = client.get(
        "/sparql",
        query_string={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert response.status_code == 200, response.text
    return int(response.json["results"]["bindings"][0]["n"]["value"])


def assert_refused(response, *words: str) -> None:  # type: ignore[no-untyped-def]
    assert 400 <= response.status_code < 500, (response.status_code, response.text)
    assert response.mimetype == "text/plain"
    for word in words:
        assert word.lower() in response.text.lower(), response.text


# ------------------------------------------------------------------------ read-only
UPDATES = [
    "INSERT DATA { <http://example.org/s> <http://example.org/p> 1 }",
    "DELETE DATA { <http://example.org/s> <http://example.org/p> 1 }",
    "DELETE WHERE { ?s ?p ?o }",
    "WITH <http://example.org/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "CLEAR ALL",
    "CLEAR DEFAULT",
    "DROP ALL",
    "CREATE GRAPH <http://example.org/g>",
    "PREFIX ex: <http://example.org/>\n# a comment\ninsert data { ex:s ex:p ex:o }",
    "ADD DEFAULT TO <http://example.org/g>",
]


@pytest.mark.parametrize("update", UPDATES)
def test_updates_are_refused_in_every_protocol_form(client, update: str) -> None:
    before = triple_count(client)
    forms = [
        client.get("/sparql", query_string={"query": update}),
        client.get("/sparql", query_string={"update": update}),
        client.post("/sparql", data={"update": update}),
        client.post("/sparql", data={"query": update}),
        client.post("/sparql", data=update, content_type="application/sparql-update"),
        client.post("/sparql", data=update, content_type="application/sparql-query"),
    ]
    for response in forms:
        assert_refused(response)
    assert triple_count(client) == before


def test_no_other_route_accepts_writes(client) -> None:
    update = "INSERT DATA { <http://example.org/s> <http://example.org/p> 1 }"
    before = triple_count(client)
    for path in ("/sparql", "/update", "/store", "/dumps/", "/id/entity/x", "/graph/x", "/"):
        for method in ("PUT", "DELETE", "PATCH"):
            response = client.open(path, method=method, data=update)
            assert response.status_code in (404, 405), (method, path, response.status_code)
    assert triple_count(client) == before


# ------------------------------------------------------------------------ SSRF
def ssrf_queries(url: str) -> list[str]:
    return [
        f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
        f"select * where {{ service <{url}> {{ ?s ?p ?o }} }}",
        f"PREFIX r: <{url.rsplit('/', 1)[0]}/>\nSELECT * {{ SERVICE r:sparql {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?x ?y ?z . SERVICE<{url}>{{?s ?p ?o}} }}",
        f"SELECT * WHERE {{ VALUES ?e {{ <{url}> }} SERVICE ?e {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ # SERVICE is not hidden by comments\nSERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"LOAD <{url}>",
        f"LOAD SILENT <{url}> INTO GRAPH <http://example.org/g>",
    ]


def test_service_and_load_never_reach_the_network(client, listener: Listener) -> None:
    for query in ssrf_queries(listener.url):
        for response in (
            client.get("/sparql", query_string={"query": query}),
            client.post("/sparql", data=query, content_type="application/sparql-query"),
        ):
            assert_refused(response)
    time.sleep(0.3)
    assert listener.connections == [], "a query made the server open a connection"


def test_dataset_clauses_never_fetch_remote_graphs(client, listener: Listener) -> None:
    """FROM, FROM NAMED and the protocol's graph parameters name graphs; they fetch nothing."""
    select = "SELECT (COUNT(*) AS ?n) "
    cases = [
        ({"query": f"{select} FROM <{listener.url}> WHERE {{ ?s ?p ?o }}"}, 200),
        (
            {"query": f"{select} FROM NAMED <{listener.url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"},
            200,
        ),
        ({"query": f"{select} WHERE {{ ?s ?p ?o }}", "default-graph-uri": listener.url}, 200),
        ({"query": f"DESCRIBE <{listener.url}>"}, 200),
    ]
    for params, expected in cases:
        response = client.get("/sparql", query_string=params)
        assert response.status_code == expected, (params, response.text)
    time.sleep(0.3)
    assert listener.connections == [], "a dataset clause made the server fetch a graph"


# ------------------------------------------------------------------------ local files
FILE_QUERIES = [
    "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
    "SELECT * FROM NAMED <FILE:///etc/passwd> WHERE { GRAPH ?g { ?s ?p ?o } }",
    "BASE <file:///etc/> SELECT * FROM <passwd> WHERE { ?s ?p ?o }",
    "PREFIX f: <file:///etc/> SELECT * WHERE { GRAPH f:passwd { ?s ?p ?o } }",
    "LOAD <file:///etc/passwd>",
    "SELECT * WHERE { SERVICE <file:///etc/passwd> { ?s ?p ?o } }",
]


@pytest.mark.parametrize("query", FILE_QUERIES)
def test_file_iris_are_refused(client, query: str) -> None:
    assert_refused(client.get("/sparql", query_string={"query": query}))


@pytest.mark.parametrize("parameter", ["default-graph-uri", "named-graph-uri"])
def test_file_iris_are_refused_as_graph_parameters(client, parameter: str) -> None:
    response = client.get(
        "/sparql",
        query_string={
            "query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1",
            parameter: "file:///etc/passwd",
        },
    )
    assert_refused(response, "file")


def test_escaped_file_iris_are_refused(client) -> None:
    query = "SELECT (STR(<\\u0066ile:///etc/passwd>) AS ?x) WHERE {}"
    assert_refused(client.get("/sparql", query_string={"query": query}))


# ------------------------------------------------------------------------ path traversal
TRAVERSALS = [
    "/dumps/..%2fCURRENT",
    "/dumps/..%2f..%2fFORMAT",
    "/dumps/%2e%2e%2fmeta.json",
    "/dumps/..%5cmeta.json",
    "/dumps/all.nq.gz%00.txt",
    "/dumps/%00",
    "/dumps/manifest.json%00",
    "/dumps/....%2f%2fCURRENT",
    "/dumps/%252e%252e%252fCURRENT",
    "/id/..%2f..%2fCURRENT",
    "/id/entity/..%2f..%2f..%2fetc%2fpasswd",
    "/id/%2e%2e/%2e%2e/FORMAT",
    "/id/entity/%00",
    "/id/entity/Q142%00",
    "/id/article/..",
    "/graph/..%2f..%2fCURRENT",
    "/graph/article/%00",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_path_traversal_is_not_found(client, path: str) -> None:
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 404, (path, response.status_code, response.data[:200])
    assert b"diplograph-store" not in response.data
    assert b"root:" not in response.data


def test_real_dump_and_entity_still_served(client) -> None:
    """The traversal refusals are not a blanket 404: the legitimate paths work."""
    with client.get("/dumps/all.nq.gz") as response:
        assert response.status_code == 200
    event = event_iri(HOSTILE_FACT)[len(BASE) - 1 :]
    assert client.get(event, headers={"Accept": "text/html"}).status_code == 200


# ------------------------------------------------------------------------ size caps
def test_long_get_query_is_414(client, app) -> None:
    limit = app.config["MAX_URL_LENGTH"]
    query = "SELECT * WHERE { ?s ?p ?o } #" + "x" * limit
    response = client.get("/sparql?query=" + quote(query))
    assert response.status_code == 414


def test_long_post_body_is_413(client, app) -> None:
    body = "SELECT * WHERE { ?s ?p ?o } #" + "x" * app.config["MAX_CONTENT_LENGTH"]
    response = client.post("/sparql", data=body, content_type="application/sparql-query")
    assert response.status_code == 413
    response = client.post("/sparql", data={"query": body})
    assert response.status_code == 413


def test_query_longer_than_the_query_cap_is_refused(client, app) -> None:
    limit = app.config["MAX_QUERY_LENGTH"]
    query = "SELECT * WHERE { ?s ?p ?o } #" + "x" * limit
    assert len(query.encode()) < app.config["MAX_CONTENT_LENGTH"]
    response = client.post("/sparql", data=query, content_type="application/sparql-query")
    assert response.status_code == 413


def test_long_page_path_is_414(client, app) -> None:
    response = client.get("/id/entity/" + "a" * app.config["MAX_URL_LENGTH"])
    assert response.status_code == 414


# ------------------------------------------------------------------------ HTML output
def html_pages() -> list[str]:
    event = event_iri(HOSTILE_FACT)[len(BASE) - 1 :]
    return [
        "/",
        "/dumps/",
        "/ontology",
        event,
        f"/id/article/{HOSTILE_ARTICLE}",
        "/id/entity/country/ruritania-img-src-x-onerror-alert-2",
        "/id/entity/country/script-alert-1-script",
    ]


@pytest.mark.parametrize("path", html_pages())
def test_html_pages_carry_a_content_security_policy(client, path: str) -> None:
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200, (path, response.status_code)
    assert response.mimetype == "text/html"
    policy = response.headers.get("Content-Security-Policy", "")
    directives = {d.split()[0]: d.split()[1:] for d in policy.split(";") if d.strip()}
    assert directives.get("default-src") == ["'self'"], policy
    assert "'unsafe-inline'" not in directives.get("script-src", ["'unsafe-inline'"]), policy
    assert directives.get("object-src") == ["'none'"], policy
    assert directives.get("frame-ancestors") == ["'none'"], policy
    assert response.headers.get("X-Content-Type-Options") == "nosniff"


@pytest.mark.parametrize("path", html_pages()[4:])
def test_hostile_values_are_escaped_in_html(client, path: str) -> None:
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200, path
    html = response.get_data(as_text=True)
    for payload in ("<script>alert", "<img src=x", "<b>outlet"):
        assert payload not in html, f"{payload!r} reached {path} unescaped"
    assert "&lt;script&gt;" in html or "&lt;img" in html, "the hostile value is not shown at all"


def test_evidence_with_script_renders_as_text(client) -> None:
    event = event_iri(HOSTILE_FACT)[len(BASE) - 1 :]
    html = client.get(event, headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "accused &lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt; of spying" in html


def test_article_url_with_a_script_scheme_is_not_linked(client) -> None:
    response = client.get(f"/id/article/{JS_URL_ARTICLE.id}", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert 'href="javascript:' not in response.get_data(as_text=True).replace("&#58;", ":")


# ------------------------------------------------------------------------ availability
CROSS_PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.mark.slow
def test_health_and_cheap_queries_answer_while_expensive_queries_saturate(
    hostile_store: Path, tmp_path: Path
) -> None:
    """Availability: 16 never-ending queries against one worker must not starve the rest.

    A real `diplograph serve` (one query worker, 3 s deadline) gets a burst of cross
    products; meanwhile /health must answer within 1 s and a cheap query must get its
    answer, or a 429 with Retry-After, within the queue wait plus 1 s. The attackers get
    200, 429 or 503, never another error.
    """
    from concurrent.futures import ThreadPoolExecutor

    import requests

    from tests.server_fixtures import LiveServer

    store = tmp_path / "store"
    shutil.copytree(hostile_store, store)
    server = LiveServer(store, "--workers", "1", "--timeout", "3", "--no-access-log")
    try:
        with ThreadPoolExecutor(16) as pool:
            attacks = [
                pool.submit(
                    requests.post, server.url + "/sparql", data={"query": CROSS_PRODUCT}, timeout=60
                )
                for _ in range(16)
            ]
            time.sleep(0.5)
            started = time.monotonic()
            health = requests.get(server.url + "/health", timeout=5)
            health_seconds = time.monotonic() - started
            started = time.monotonic()
            cheap = requests.get(
                server.url + "/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=30
            )
            cheap_seconds = time.monotonic() - started
            statuses = sorted(f.result().status_code for f in attacks)
    finally:
        server.stop()
    assert set(statuses) <= {200, 429, 503}, statuses
    assert health.status_code == 200
    assert health_seconds < 1.0, f"/health took {health_seconds:.1f} s"
    assert cheap.status_code in (200, 429)
    if cheap.status_code == 429:
        assert cheap.headers.get("Retry-After", "").isdigit()
    assert cheap_seconds < 1.0 + 2.0, f"a cheap query took {cheap_seconds:.1f} s"
