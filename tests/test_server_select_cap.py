"""The engine-side result cap (select_cap.py): rewritten queries answer exactly like the
originals, and rows are counted exactly in every format pyoxigraph writes."""

from __future__ import annotations

import json
import os

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from diplograph.server.select_cap import capped_select, count_rows

EX = "http://example.org/"


@pytest.fixture(scope="module")
def store() -> ox.Store:
    s = ox.Store()
    for i in range(40):
        s.add(
            ox.Quad(
                ox.NamedNode(f"{EX}s{i}"),
                ox.NamedNode(f"{EX}p{i % 3}"),
                ox.Literal(i),
                ox.NamedNode(f"{EX}g{i % 2}"),
            )
        )
    return s


QUERIES = [
    "SELECT ?o ?s WHERE { ?s ?p ?o } ORDER BY DESC(?o)",
    "SELECT * WHERE { ?s ?p ?o } ORDER BY ?o",
    "PREFIX ex: <http://example.org/> SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } "
    "GROUP BY ?p ORDER BY ?p",
    "SELECT ?x ?y WHERE { } VALUES (?y ?x) { (1 2) (3 4) }",
    "SELECT DISTINCT ?p WHERE { ?s ?p ?o } ORDER BY DESC(?p) LIMIT 2 OFFSET 1",
    "SELECT ?z ?s WHERE { ?s ?p ?o OPTIONAL { ?s <http://x> ?z } } ORDER BY ?s LIMIT 3",
    "BASE <http://example.org/> SELECT ?s { ?s <p1> ?o } ORDER BY ?s",
    "SELECT (STR(?o) AS ?text) ?s WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?text",
    "SELECT * {}",
]


def _table(result: ox.QuerySolutions) -> tuple[list[str], list[list[str | None]]]:
    names = [v.value for v in result.variables]
    return names, [[str(row[n]) if row[n] is not None else None for n in names] for row in result]


@pytest.mark.parametrize("query", QUERIES)
def test_rewritten_query_gives_the_same_table(store, query):
    capped = capped_select(query, 1000)
    assert capped is not None
    kwargs = {"use_default_graph_as_union": True}
    assert _table(store.query(capped, **kwargs)) == _table(store.query(query, **kwargs))


def test_the_cap_applies():
    s = ox.Store()
    capped = capped_select("SELECT ?x WHERE { VALUES ?x { 1 2 3 4 5 } }", 3)
    assert len(list(s.query(capped))) == 3


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?s FROM <http://g> WHERE { ?s ?p ?o }",
        "SELECT * FROM NAMED <http://g> { GRAPH ?g { ?s ?p ?o } }",
        "ASK {}",
        "CONSTRUCT WHERE { ?s ?p ?o }",
        "SELECT WHERE { ?s ?p ?o }",
    ],
)
def test_queries_that_are_not_rewritten(query):
    assert capped_select(query, 10) is None


PIECES = st.sampled_from([*'ab,{}[]"\\\n\r\t<>&;é', "<result>", ',{"', "{}", '"bindings":[{"'])
LITERALS = st.lists(PIECES, max_size=8).map("".join)


@settings(max_examples=int(os.environ.get("DIPLOGRAPH_FUZZ_EXAMPLES", "150")), deadline=None)
@given(values=st.lists(st.one_of(st.none(), LITERALS), max_size=12), lang=st.booleans())
def test_count_rows_is_exact_in_every_format(values, lang):
    rows = " ".join(
        "(UNDEF)" if v is None else "(" + json.dumps(v) + ("@en" if lang else "") + ")"
        for v in values
    )
    query = f"SELECT ?x WHERE {{ VALUES (?x) {{ {rows} }} }}"
    s = ox.Store()
    for fmt in (
        ox.QueryResultsFormat.JSON,
        ox.QueryResultsFormat.XML,
        ox.QueryResultsFormat.CSV,
        ox.QueryResultsFormat.TSV,
    ):
        body = s.query(query).serialize(format=fmt)
        media_type = fmt.media_type.split(";")[0]
        assert count_rows(body, media_type) == len(values), (fmt, body)
