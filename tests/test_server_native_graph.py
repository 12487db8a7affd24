"""Graph results in N-Triples/N-Quads are serialised natively in the worker, counted by
line and cut at the cap exactly like the Python path (query_workers._run_native_graph)."""

from __future__ import annotations

import io
from typing import Any

import pyoxigraph as ox
import pytest

from diplograph.server import results
from diplograph.server.query_workers import Job, _run_job, _run_native_graph

EX = "http://example.org/"
DESCRIBE = f"DESCRIBE <{EX}s0>"
CONSTRUCT = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"


class _Conn:
    """Stands in for the worker's pipe: keeps every message sent."""

    def __init__(self) -> None:
        self.sent: list[tuple[Any, ...]] = []

    def send(self, message: tuple[Any, ...]) -> None:
        self.sent.append(message)


@pytest.fixture(scope="module")
def store() -> ox.Store:
    s = ox.Store()
    for i in range(30):
        s.add(
            ox.Quad(
                ox.NamedNode(f"{EX}s{i % 3}"),
                ox.NamedNode(f"{EX}p{i}"),
                ox.Literal(f"line one\nline two {i}", language="en"),
                ox.DefaultGraph(),
            )
        )
    return s


def _body(conn: _Conn) -> tuple[dict[str, Any], bytes]:
    kind, head, body = conn.sent[-1]
    assert kind == "done"
    return head, body


def _python_path(store: ox.Store, query: str) -> set[ox.Triple]:
    sink = io.BytesIO()
    results.write_graph(list(store.query(query)), "text/turtle", sink)
    return set(_triples(sink.getvalue(), ox.RdfFormat.TURTLE))


def _triples(body: bytes, fmt: ox.RdfFormat) -> list[ox.Triple]:
    """Parsed statements as triples (pyoxigraph parses into default-graph quads)."""
    return [q.triple if isinstance(q, ox.Quad) else q for q in ox.parse(body, format=fmt)]


@pytest.mark.parametrize("query", [DESCRIBE, CONSTRUCT])
@pytest.mark.parametrize("media_type", ["application/n-triples", "application/n-quads"])
def test_native_graph_equals_the_python_path(store, query, media_type):
    conn = _Conn()
    job = Job(store_path="", query=query, form=query.split()[0], media_type=media_type)
    assert _run_native_graph(store, job, {}, conn)
    head, body = _body(conn)
    parsed = _triples(body, ox.RdfFormat.from_media_type(media_type))
    assert set(parsed) == _python_path(store, query)
    assert head["count"] == len(parsed) and head["truncated"] is False


def test_past_the_cap_the_python_path_cuts_and_says_so(store):
    capped = Job(
        store_path="",
        query=CONSTRUCT,
        form="CONSTRUCT",
        media_type="application/n-triples",
        max_rows=7,
    )
    assert not _run_native_graph(store, capped, {}, _Conn())
    conn = _Conn()
    _run_job(store, capped, conn)
    head, body = _body(conn)
    assert head["truncated"] is True and head["count"] == 7
    assert len(list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))) == 7


def test_other_forms_and_formats_take_the_general_path(store):
    for form, media_type, query in [
        ("CONSTRUCT", "text/turtle", CONSTRUCT),
        ("SELECT", "application/n-triples", "SELECT * WHERE { ?s ?p ?o }"),
    ]:
        job = Job(store_path="", query=query, form=form, media_type=media_type)
        conn = _Conn()
        assert not _run_native_graph(store, job, {}, conn)
        assert conn.sent == []


def test_a_syntax_error_is_reported_by_the_general_path(store):
    job = Job(
        store_path="", query="DESCRIBE <x", form="DESCRIBE", media_type="application/n-triples"
    )
    conn = _Conn()
    _run_job(store, job, conn)
    assert conn.sent[0][0] == "error" and conn.sent[0][1] == 400
