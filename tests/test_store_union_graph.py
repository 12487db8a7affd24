"""The default graph is the set-union of the named graphs (store/union_graph.py).

pyoxigraph's union flag repeats a triple once per graph holding it; each published version
therefore keeps the union in its default graph. These tests check the invariant after
every kind of write, that readers see a set, and that the index stays out of dumps.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from click.testing import Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diplograph.store import Batch, VersionedStore, union_graph, write_dumps

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
_KINDS = ("add", "remove", "load", "update", "bulk", "load_into")


def _op() -> st.SearchStrategy[tuple[Any, ...]]:
    return st.one_of(
        st.tuples(st.just("replace"), _GRAPHS, st.lists(_TRIPLES, max_size=4)),
        st.tuples(st.sampled_from(["remove_graph", "clear"]), _GRAPHS),
        st.tuples(st.sampled_from(_KINDS), _GRAPHS, _TRIPLES),
        st.tuples(st.just("clear_all"), st.none()),
    )


Key = tuple[str, str, str]


def _key(triple: ox.Triple | ox.Quad) -> Key:
    return (str(triple.subject), str(triple.predicate), str(triple.object))


def _apply(batch: Batch, op: tuple[Any, ...], model: dict[str, set[Key]]) -> None:
    """Apply ``op`` to the batch and to ``model`` (graph IRI -> triples it should hold)."""
    kind, graph = op[0], op[1]
    node = ox.NamedNode(graph) if graph else DEFAULT
    home = graph or union_graph.DEFAULT_DATA_GRAPH  # where a triple without a graph lives
    if kind == "replace":
        if graph is None:
            batch.store.clear_graph(DEFAULT)
            batch.add([ox.Quad(x.subject, x.predicate, x.object) for x in op[2]])
        else:
            batch.replace_graph(graph, op[2])
        model[home] = {_key(x) for x in op[2]}
    elif kind in ("remove_graph", "clear"):
        (batch.store.remove_graph if kind == "remove_graph" else batch.store.clear_graph)(node)
        model[home] = set()
    elif kind == "clear_all":
        batch.store.clear()
        model.clear()
    else:
        triple = op[2]
        quad = ox.Quad(triple.subject, triple.predicate, triple.object, node)
        if kind == "remove":
            batch.store.remove(quad)
            model.setdefault(home, set()).discard(_key(triple))
            return
        if kind == "add":
            batch.store.add(quad)
        elif kind == "bulk":
            batch.store.bulk_extend([quad])
        elif kind == "load":
            where = f" <{graph}>" if graph else ""
            line = f"{triple.subject} {triple.predicate} {triple.object}{where} .\n"
            batch.store.load(line.encode(), format=ox.RdfFormat.N_QUADS)
        elif kind == "load_into":  # a triple file into a graph (the default one included)
            line = f"{triple.subject} {triple.predicate} {triple.object} .\n"
            batch.store.load(line.encode(), format=ox.RdfFormat.N_TRIPLES, to_graph=node)
        else:  # a SPARQL update
            block = f"{triple.subject} {triple.predicate} {triple.object}"
            where = f"GRAPH <{graph}> {{ {block} }}" if graph else block
            batch.store.update(f"INSERT DATA {{ {where} }}")
        model.setdefault(home, set()).add(_key(triple))
        assert quad in batch.store


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(batches=st.lists(st.lists(_op(), min_size=1, max_size=5), min_size=1, max_size=3))
def test_every_write_keeps_the_named_graphs_and_their_union_right(
    tmp_path_factory: pytest.TempPathFactory, batches: list[list[tuple[Any, ...]]]
) -> None:
    """Any sequence of batch writes leaves exactly the named graphs a model predicts
    (triples without a graph name in DEFAULT_DATA_GRAPH, removals included), and the
    default graph is their union: after loads and updates as after plain writes."""
    store = VersionedStore.open(tmp_path_factory.mktemp("s") / "s")
    model: dict[str, set[Key]] = {}
    for ops in batches:
        with store.writer() as batch:
            for op in ops:
                _apply(batch, op, model)
        held: dict[str, set[Key]] = {}
        for q in store.reader().store:
            held.setdefault(q.graph_name.value, set()).add(_key(q))
        assert held == {g: triples for g, triples in model.items() if triples}
        assert_union_invariant(store)
        rows = select_all(store)
        assert len(rows) == len(set(rows))
        meta = store.reader().metadata
        assert "" not in meta["graphs"]
        assert meta["triples"] == len(store.reader().store)


def test_the_first_batch_on_an_old_store_can_remove_its_unnamed_triples(tmp_path: Path) -> None:
    store = old_layout_store(tmp_path / "s")
    old = ox.Quad(ox.NamedNode(EX + "old"), ox.NamedNode(EX + "p"), ox.Literal("1"))
    with store.writer() as batch:
        assert old in batch.store
        batch.store.remove(old)
        assert old not in batch.store
    assert f'<{EX}old> <{EX}p> "1"' not in select_all(store)
    assert_union_invariant(store)


def test_loading_a_dataset_into_a_graph_keeps_its_named_graphs(tmp_path: Path) -> None:
    """``to_graph`` takes the file's triples without a graph name, as pyoxigraph's load."""
    store = VersionedStore.open(tmp_path / "s")
    trig = f'<{EX}a> <{EX}p> "1" . <{EX}g> {{ <{EX}b> <{EX}p> "2" }}'
    with store.writer() as batch:
        batch.store.load(trig.encode(), format=ox.RdfFormat.TRIG, to_graph=ox.NamedNode(EX + "t"))
    assert store.reader().metadata["graphs"] == {EX + "g": 1, EX + "t": 1}
    assert_union_invariant(store)


def test_cli_dumps_leave_the_index_out(tmp_path: Path, invoke: Callable[..., Result]) -> None:
    store = VersionedStore.open(tmp_path / "s")
    shared = t("shared", "1")
    with store.writer() as batch:
        batch.replace_graph(ARTICLE + "a", [shared, t("a", "1")])
        batch.replace_graph(ARTICLE + "b", [shared])
    triples = invoke("dump", "--store", tmp_path / "s", "--format", "nt").stdout.splitlines()
    assert len(triples) == len(set(triples)) == 2  # the merge: "shared" once
    nquads = invoke("dump", "--store", tmp_path / "s", "--format", "nq").stdout.encode()
    quads = list(ox.parse(nquads, ox.RdfFormat.N_QUADS))
    assert len(quads) == 3 and all(isinstance(q.graph_name, ox.NamedNode) for q in quads)
    view = store.reader().store
    assert ox.Quad(shared.subject, shared.predicate, shared.object) in view
    dumped = list(ox.parse(view.dump(format=ox.RdfFormat.N_QUADS), ox.RdfFormat.N_QUADS))
    assert len(dumped) == 3
