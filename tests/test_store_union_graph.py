"""The default graph is the set-union of the named graphs (store/union_graph.py).

pyoxigraph's union flag repeats a triple once per graph holding it; each published version
therefore keeps the union in its default graph. These tests check the invariant after
every kind of write, that readers see a set, and that the index stays out of dumps.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pyoxigraph as ox
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diplograph.store import VersionedStore, union_graph, write_dumps

ARTICLE = "https://w3id.org/diplograph/graph/article/"
EX = "http://example.org/"
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
DEFAULT = ox.DefaultGraph()


def t(s: str, o: str) -> ox.Triple:
    return ox.Triple(ox.NamedNode(EX + s), ox.NamedNode(EX + "p"), ox.Literal(o))


def raw(store: VersionedStore) -> ox.Store:
    """The published database itself, index included."""
    return ox.Store.read_only(str(store.reader().path))


def assert_union_invariant(store: VersionedStore) -> None:
    db = raw(store)
    in_default = {
        (str(q.subject), str(q.predicate), str(q.object))
        for q in db.quads_for_pattern(None, None, None, DEFAULT)
    }
    in_named = {
        (str(q.subject), str(q.predicate), str(q.object))
        for q in db
        if not isinstance(q.graph_name, ox.DefaultGraph)
    }
    assert in_default == in_named
    assert union_graph.materialized(store.reader().metadata)


def select_all(store: VersionedStore) -> list[str]:
    rows = store.reader().store.query(
        "SELECT ?s ?p ?o WHERE { ?s ?p ?o }", use_default_graph_as_union=True
    )
    return [f"{r['s']} {r['p']} {r['o']}" for r in rows]


# ----------------------------------------------------------------- what readers see
def test_a_triple_in_many_graphs_is_one_solution(tmp_path: Path) -> None:
    store = VersionedStore.open(tmp_path / "s")
    label = ox.Triple(ox.NamedNode(EX + "Q881"), LABEL, ox.Literal("Sudan"))
    with store.writer() as batch:
        for n in range(5):
            batch.replace_graph(f"{ARTICLE}{n}", [label, t(f"e{n}", "x")])
    rows = list(
        store.reader().store.query(
            f"SELECT ?l WHERE {{ <{EX}Q881> <{LABEL.value}> ?l }}", use_default_graph_as_union=True
        )
    )
    assert [r["l"].value for r in rows] == ["Sudan"]
    # pyoxigraph's own union flag would have answered five rows (the bug this fixes)
    assert len(list(raw(store).query("SELECT * { ?s ?p ?o }", use_default_graph_as_union=True))) > (
        len(select_all(store))
    )
    assert len(select_all(store)) == len(set(select_all(store))) == 6
    # GRAPH still sees each article's own triples, and quads are the named ones only
    graphs = store.reader().store.query(
        f"SELECT ?g WHERE {{ GRAPH ?g {{ <{EX}Q881> ?p ?o }} }}", use_default_graph_as_union=True
    )
    assert len(list(graphs)) == 5
    assert len(store.reader().store) == 10
    assert all(not isinstance(q.graph_name, ox.DefaultGraph) for q in store.reader().store)


def test_a_triple_leaves_the_default_graph_with_the_last_graph_holding_it(tmp_path: Path) -> None:
    store = VersionedStore.open(tmp_path / "s")
    shared = t("shared", "1")
    with store.writer() as batch:
        batch.replace_graph(ARTICLE + "a", [shared, t("a", "1")])
        batch.replace_graph(ARTICLE + "b", [shared])
    with store.writer() as batch:
        batch.replace_graph(ARTICLE + "a", [t("a", "2")])
    assert f'<{EX}shared> <{EX}p> "1"' in select_all(store)
    assert f'<{EX}a> <{EX}p> "1"' not in select_all(store)
    with store.writer() as batch:
        batch.remove_graph(ARTICLE + "b")
    assert f'<{EX}shared> <{EX}p> "1"' not in select_all(store)
    assert_union_invariant(store)


def test_triples_without_a_graph_name_are_kept_in_the_default_data_graph(tmp_path: Path) -> None:
    store = VersionedStore.open(tmp_path / "s")
    plain = t("loaded", "1")
    with store.writer() as batch:
        batch.add([ox.Quad(plain.subject, plain.predicate, plain.object)])
        batch.replace_graph(ARTICLE + "a", [t("a", "1")])
        batch.dump_writer = write_dumps
    meta = store.reader().metadata
    assert meta["graphs"] == {ARTICLE + "a": 1, union_graph.DEFAULT_DATA_GRAPH: 1}
    assert meta["triples"] == 2
    assert f'<{EX}loaded> <{EX}p> "1"' in select_all(store)
    assert_union_invariant(store)
    # the dumps hold the named graphs only: no copy of the index
    quads = list(
        ox.parse(
            gzip.decompress((store.dumps_dir() / "all.nq.gz").read_bytes()), ox.RdfFormat.N_QUADS
        )
    )
    assert sorted(str(q.graph_name) for q in quads) == sorted(
        [f"<{ARTICLE}a>", f"<{union_graph.DEFAULT_DATA_GRAPH}>"]
    )
    asserted = gzip.decompress((store.dumps_dir() / "asserted.ttl.gz").read_bytes())
    assert len(list(ox.parse(asserted, ox.RdfFormat.N_TRIPLES))) == 2


def test_a_native_load_rebuilds_the_index(tmp_path: Path) -> None:
    store = VersionedStore.open(tmp_path / "s")
    with store.writer() as batch:
        batch.replace_graph(ARTICLE + "a", [t("a", "1"), t("shared", "1")])
    data = (
        f'<{EX}shared> <{EX}p> "1" <{ARTICLE}b> .\n'
        f'<{EX}b> <{EX}p> "1" <{ARTICLE}b> .\n'
        f'<{EX}nameless> <{EX}p> "1" .\n'
    )
    with store.writer() as batch:
        batch.store.load(data.encode(), format=ox.RdfFormat.N_QUADS)
        batch.store.update(f'INSERT DATA {{ <{EX}updated> <{EX}p> "1" }}')
    assert_union_invariant(store)
    db = raw(store)
    unnamed = ox.NamedNode(union_graph.DEFAULT_DATA_GRAPH)
    assert {str(q.subject) for q in db.quads_for_pattern(None, None, None, unnamed)} == {
        f"<{EX}nameless>",
        f"<{EX}updated>",
    }
    assert len(select_all(store)) == 5


def old_layout_store(path: Path) -> VersionedStore:
    """A store as the previous release wrote it: triples without a graph name in the
    default graph, no union index, no metadata key."""
    store = VersionedStore.open(path)
    with store.writer() as batch:
        batch.replace_graph(ARTICLE + "a", [t("a", "1"), t("shared", "1")])
        batch.replace_graph(ARTICLE + "b", [t("shared", "1")])
        batch.add([ox.Quad(ox.NamedNode(EX + "old"), ox.NamedNode(EX + "p"), ox.Literal("1"))])
    version = store.reader()
    meta_path = version.path.parent / "meta.json"
    meta = json.loads(meta_path.read_text())
    del meta[union_graph.METADATA_KEY]
    meta["graphs"] = {ARTICLE + "a": 2, ARTICLE + "b": 1, "": 1}
    meta_path.write_text(json.dumps(meta))
    store._snapshot = None
    db = ox.Store(str(version.path))
    unnamed = ox.NamedNode(union_graph.DEFAULT_DATA_GRAPH)
    db.clear_graph(DEFAULT)
    db.extend(
        ox.Quad(q.subject, q.predicate, q.object)
        for q in list(db.quads_for_pattern(None, None, None, unnamed))
    )
    db.remove_graph(unnamed)
    db.flush()
    del db
    return store


def test_a_version_from_before_the_index_is_read_as_a_union_and_migrated(tmp_path: Path) -> None:
    """Versions published before the index have triples of their own in the default graph
    and no metadata key: readers use the union flag; the next writer builds the index."""
    store = old_layout_store(tmp_path / "s")
    old_reader = store.reader().store
    assert not isinstance(old_reader, union_graph.UnionView)
    assert (
        len(list(old_reader.query("SELECT * { ?s ?p ?o }", use_default_graph_as_union=True))) == 4
    )
    with store.writer() as batch:
        batch.replace_graph(ARTICLE + "c", [t("c", "1")])
    assert_union_invariant(store)
    assert store.reader().metadata["graphs"] == {
        ARTICLE + "a": 2,
        ARTICLE + "b": 1,
        ARTICLE + "c": 1,
        union_graph.DEFAULT_DATA_GRAPH: 1,
    }
    assert len(select_all(store)) == 4


def test_serve_upgrades_an_old_store_before_serving_it(tmp_path: Path) -> None:
    store = old_layout_store(tmp_path / "s")
    assert store.upgrade() is True
    assert_union_invariant(store)
    assert len(select_all(store)) == 3  # "shared" is stated by two articles, once here
    assert store.upgrade() is False  # once is enough
    # what `diplograph serve` runs before it starts listening
    from diplograph.cli.serve import _upgrade

    again = old_layout_store(tmp_path / "t")
    _upgrade(tmp_path / "t")
    assert_union_invariant(again)


# ----------------------------------------------------------------- the invariant
_SUBJECTS = st.sampled_from(["a", "b", "c"])
_TRIPLES = st.builds(t, _SUBJECTS, st.sampled_from(["1", "2"]))
_GRAPHS = st.sampled_from([ARTICLE + "x", ARTICLE + "y", ARTICLE + "z", None])


def _op() -> st.SearchStrategy[tuple]:
    return st.one_of(
        st.tuples(st.just("replace"), _GRAPHS, st.lists(_TRIPLES, max_size=4)),
        st.tuples(st.just("remove_graph"), _GRAPHS),
        st.tuples(st.just("add"), _GRAPHS, _TRIPLES),
        st.tuples(st.just("remove"), _GRAPHS, _TRIPLES),
        st.tuples(st.just("load"), _GRAPHS, _TRIPLES),
        st.tuples(st.just("clear"), _GRAPHS),
    )


def _apply(batch, op: tuple) -> None:  # type: ignore[no-untyped-def]
    kind, graph = op[0], op[1]
    node = ox.NamedNode(graph) if graph else DEFAULT
    if kind == "replace":
        if graph is None:
            batch.store.clear_graph(DEFAULT)
            batch.add([ox.Quad(x.subject, x.predicate, x.object) for x in op[2]])
        else:
            batch.replace_graph(graph, op[2])
    elif kind == "remove_graph":
        batch.store.remove_graph(node)
    elif kind == "add":
        batch.store.add(ox.Quad(op[2].subject, op[2].predicate, op[2].object, node))
    elif kind == "remove":
        batch.store.remove(ox.Quad(op[2].subject, op[2].predicate, op[2].object, node))
    elif kind == "load":
        where = f" <{graph}>" if graph else ""
        line = f"{op[2].subject} {op[2].predicate} {op[2].object}{where} .\n"
        batch.store.load(line.encode(), format=ox.RdfFormat.N_QUADS)
    else:
        batch.store.clear_graph(node)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(batches=st.lists(st.lists(_op(), min_size=1, max_size=5), min_size=1, max_size=3))
def test_every_write_keeps_the_default_graph_the_union_of_the_named_graphs(
    tmp_path_factory, batches: list[list[tuple]]
) -> None:  # type: ignore[no-untyped-def]
    store = VersionedStore.open(tmp_path_factory.mktemp("s") / "s")
    for ops in batches:
        with store.writer() as batch:
            for op in ops:
                _apply(batch, op)
        assert_union_invariant(store)
        rows = select_all(store)
        assert len(rows) == len(set(rows))
        meta = store.reader().metadata
        assert "" not in meta["graphs"]
        assert meta["triples"] == len(store.reader().store)
