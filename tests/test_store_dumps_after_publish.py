"""Dumps after publishing, incremental graph counts and selective fsync of a new version.

Dumps are written once a version is published, into a temporary folder renamed to
``dumps/`` when complete; until then (and if the writer dies) the newest complete dumps
of an older version are served. Graph counts are kept incrementally and must equal a full
recount; only files a batch created are fsynced.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from diplograph.ontology.namespaces import INFERRED_GRAPH, ONTOLOGY_GRAPH
from diplograph.store import VersionedStore, versioned, write_dumps
from diplograph.store.dumps import DUMPS, read_manifest, read_manifest_document

ARTICLE = "https://w3id.org/diplograph/graph/article/"
EX = "http://example.org/"


def quad(s: str, o: str, graph: str | None) -> ox.Quad:
    g = ox.NamedNode(graph) if graph else ox.DefaultGraph()
    return ox.Quad(ox.NamedNode(EX + s), ox.NamedNode(EX + "p"), ox.Literal(o), g)


def triple(s: str, o: str) -> ox.Triple:
    return ox.Triple(ox.NamedNode(EX + s), ox.NamedNode(EX + "p"), ox.Literal(o))


def full_recount(store: VersionedStore) -> dict[str, int]:
    return versioned._count_all(store.reader().store)


# ----------------------------------------------------------------------- counts
def test_incremental_counts_equal_a_full_recount_after_many_batches(tmp_path: Path) -> None:
    store = VersionedStore.open(tmp_path / "s")
    onto = ox.NamedNode(ONTOLOGY_GRAPH)
    inferred = ox.NamedNode(INFERRED_GRAPH)
    steps: list[Any] = [
        lambda b: b.replace_graph(ARTICLE + "a", [triple("a", "1"), triple("b", "2")]),
        lambda b: b.replace_graph(ARTICLE + "b", [triple("a", "1")]),
        lambda b: b.store.extend([quad("x", "1", INFERRED_GRAPH), quad("y", "2", INFERRED_GRAPH)]),
        lambda b: b.store.load(
            b'<http://example.org/o> <http://example.org/p> "o" .',
            format=ox.RdfFormat.N_TRIPLES,
            to_graph=onto,
        ),
        lambda b: b.add([quad("d", "1", None), quad("d", "2", None)]),
        lambda b: b.store.remove(quad("x", "1", INFERRED_GRAPH)),
        lambda b: b.replace_graph(ARTICLE + "a", [triple("c", "3")]),
        lambda b: b.remove_graph(ARTICLE + "b"),
        lambda b: b.store.remove(quad("d", "1", None)),
        lambda b: b.store.update(f"INSERT DATA {{ GRAPH <{ARTICLE}u> {{ <{EX}u> <{EX}p> 1 }} }}"),
        lambda b: b.store.add(quad("e", "1", ARTICLE + "a")),
        lambda b: b.store.clear_graph(inferred),
        lambda b: b.replace_graph(ARTICLE + "a", []),
    ]
    incremental = 0
    for step in steps:
        with store.writer() as batch:
            step(batch)
            incremental += batch.changed_graphs is not None
        meta = store.reader().metadata
        assert meta["graphs"] == full_recount(store), f"after step {steps.index(step)}"
        assert meta["triples"] == sum(meta["graphs"].values())
    assert incremental == len(steps) - 1, "only the SPARQL update needs a full recount"


def test_changes_of_unknown_extent_fall_back_to_a_full_recount(tmp_path: Path) -> None:
    store = VersionedStore.open(tmp_path / "s")
    with store.writer() as batch:
        batch.store.load(
            f'<{EX}a> <{EX}p> "1" <{ARTICLE}q> .'.encode(), format=ox.RdfFormat.N_QUADS
        )
        assert batch.changed_graphs is None
    assert store.reader().metadata["graphs"] == {ARTICLE + "q": 1}
    assert store.reader().metadata["changed_graphs"] is None
    with store.writer() as batch:
        batch.replace_graph(ARTICLE + "r", [triple("a", "1")])
    assert store.reader().metadata["changed_graphs"] == [ARTICLE + "r"]


# ----------------------------------------------------------------------- fsync
def test_only_files_the_batch_created_are_fsynced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = VersionedStore.open(tmp_path / "s")
    with store.writer() as batch:
        batch.store.extend(quad(f"s{i}", str(i), ARTICLE + "big") for i in range(2000))
        batch.store.flush()
        batch.store.optimize()  # SST files that the next version will hard-link
    base = store.version_dir(store.current_version() or "")
    synced: set[int] = set()  # inodes: the staging folder is renamed afterwards
    real_fsync = os.fsync

    def recording_fsync(fd: int) -> None:
        synced.add(os.fstat(fd).st_ino)
        real_fsync(fd)

    monkeypatch.setattr(versioned.os, "fsync", recording_fsync)
    with store.writer() as batch:
        batch.replace_graph(ARTICLE + "small", [triple("a", "1")])
    new = store.version_dir(store.current_version() or "")
    base_inodes = {p.stat().st_ino for p in base.rglob("*") if p.is_file()}
    linked = [p for p in new.rglob("*") if p.is_file() and p.stat().st_ino in base_inodes]
    assert [p for p in linked if p.suffix == ".sst"], "the checkpoint should hard-link SSTs"
    assert not {p.stat().st_ino for p in linked} & synced, "a linked file was fsynced again"
    created = {p for p in new.rglob("*") if p.is_file()} - set(linked)
    assert new / "meta.json" in created
    unsynced = [p.name for p in created if p.stat().st_ino not in synced]
    assert not unsynced, f"files the batch created were not fsynced: {unsynced}"


# ----------------------------------------------------------------------- dumps
def manifest_of(folder: Path) -> dict[str, dict[str, Any]]:
    return {e["name"]: e for e in read_manifest(folder)}


def dumped_store(path: Path) -> VersionedStore:
    """A store with one published article graph ("a") and that version's dumps."""
    store = VersionedStore.open(path)
    with store.writer() as batch:
        batch.replace_graph(ARTICLE + "a", [triple("a", "1")])
        batch.dump_writer = write_dumps
    return store


def test_the_version_is_published_before_its_dumps_are_written(tmp_path: Path) -> None:
    store = dumped_store(tmp_path / "s")
    first = store.current_version()
    seen: dict[str, Any] = {}

    def watching_writer(snapshot_store: ox.Store, folder: Path, **kwargs: Any) -> list:
        seen["current"] = store.current_version()
        seen["served"] = store.dumps_dir()
        seen["reader_triples"] = len(store.reader().store)
        return write_dumps(snapshot_store, folder, **kwargs)

    with store.writer() as batch:
        batch.replace_graph(ARTICLE + "b", [triple("b", "2")])
        batch.dump_writer = watching_writer
    second = store.current_version()
    assert seen["current"] == second, "readers see the new version before its dumps"
    assert seen["reader_triples"] == 2
    assert seen["served"] == store.version_dir(first or "") / "dumps", "older dumps served"
    assert store.dumps_dir() == store.version_dir(second or "") / "dumps"
    document = read_manifest_document(store.dumps_dir())
    assert document["version"] == second
    assert {e["version"] for e in document["files"]} == {second}


def test_a_failed_dump_leaves_no_half_file_and_the_next_run_repairs(tmp_path: Path) -> None:
    store = dumped_store(tmp_path / "s")
    complete = store.dumps_dir()

    def dying_writer(snapshot_store: ox.Store, folder: Path, **kwargs: Any) -> list:
        folder.mkdir(parents=True)
        (folder / "all.nq.gz").write_bytes(b"half")
        raise OSError("disk full")

    with pytest.raises(versioned.DumpsError, match="is published"), store.writer() as batch:
        batch.replace_graph(ARTICLE + "b", [triple("b", "2")])
        batch.dump_writer = dying_writer
    assert store.current_version() == "v000002", "the data was published all the same"
    assert store.dumps_dir() == complete
    assert not list(store.version_dir("v000002").glob(".dumps-*")), "temporary folder left"
    assert store.refresh_dumps() == "v000002"
    assert manifest_of(store.dumps_dir())["all.nq.gz"]["triples"] == 2


def test_a_killed_dump_writer_is_cleaned_up_and_repaired(tmp_path: Path) -> None:
    root = tmp_path / "s"
    store = dumped_store(root)
    script = textwrap.dedent(
        f"""
        import os, pyoxigraph as ox
        from diplograph.store import VersionedStore, write_dumps
        def dying(store, folder, **kwargs):
            write_dumps(store, folder, **kwargs)
            (folder / "manifest.json").unlink()  # killed just before the manifest
            os.kill(os.getpid(), 9)
        store = VersionedStore.open({str(root)!r})
        with store.writer() as batch:
            t = ox.Triple(ox.NamedNode("http://x"), ox.NamedNode("http://p"), ox.Literal("v"))
            batch.replace_graph({ARTICLE + "b"!r}, [t])
            batch.dump_writer = dying
        """
    )
    result = subprocess.run([sys.executable, "-c", script], check=False)
    assert result.returncode == -9
    assert store.current_version() == "v000002"
    assert list(store.version_dir("v000002").glob(".dumps-*")), "the kill left a temp folder"
    assert store.dumps_dir() == store.version_dir("v000001") / "dumps"
    with store.writer() as batch:  # a writer without dumps cleans the dead one's folder
        batch.replace_graph(ARTICLE + "c", [triple("c", "3")])
    assert not list(root.glob("versions/*/.dumps-*"))
    assert store.dumps_dir() == store.version_dir("v000001") / "dumps"
    assert store.refresh_dumps() == "v000003"
    assert manifest_of(store.dumps_dir())["all.nq.gz"]["triples"] == 3


def test_a_dump_writer_waits_out_a_data_writer_cleaning_up(tmp_path: Path) -> None:
    """A data writer holds the dumps lock for a moment to remove a dead dump writer's
    folder; a dump writer arriving then must still dump (the cleaner never will)."""
    import threading

    store = dumped_store(tmp_path / "s")
    with store.writer() as batch:  # published without dumps
        batch.replace_graph(ARTICLE + "c", [triple("c", "3")])
    current = store.current_version()
    cleaner = VersionedStore.open(tmp_path / "s", create=False)
    holding = threading.Event()

    def clean_up() -> None:  # what writer() does in _remove_leftovers
        with cleaner._dumps_lock() as held:
            assert held
            holding.set()
            time.sleep(0.3)

    thread = threading.Thread(target=clean_up)
    thread.start()
    holding.wait(5)
    try:
        assert store.refresh_dumps() == current
    finally:
        thread.join(5)
    assert store.dumps_dir() == store.version_dir(current or "") / "dumps"


def test_only_one_dump_writer_and_it_dumps_the_newest_version(tmp_path: Path) -> None:
    store = VersionedStore.open(tmp_path / "s")
    with store.writer() as batch:
        batch.replace_graph(ARTICLE + "a", [triple("a", "1")])
    calls: list[str] = []

    def publishing_writer(snapshot_store: ox.Store, folder: Path, **kwargs: Any) -> list:
        calls.append(kwargs["header"]["version"])
        if len(calls) == 1:  # another ingest publishes while these dumps are written
            assert store.refresh_dumps() is None, "a second dump writer must not start"
            with store.writer() as batch:
                batch.replace_graph(ARTICLE + "b", [triple("b", "2")])
        return write_dumps(snapshot_store, folder, **kwargs)

    assert store.refresh_dumps(publishing_writer) == "v000002"
    assert calls == ["v000001", "v000002"]
    assert store.dumps_dir() == store.version_dir("v000002") / "dumps"


def test_unchanged_single_graph_dumps_are_linked_not_rewritten(tmp_path: Path) -> None:
    store = VersionedStore.open(tmp_path / "s")
    with store.writer() as batch:
        batch.replace_graph(ONTOLOGY_GRAPH, [triple("o", "1")])
        batch.replace_graph(INFERRED_GRAPH, [triple("i", "1")])
        batch.replace_graph(ARTICLE + "a", [triple("a", "1")])
        batch.dump_writer = write_dumps
    first = store.dumps_dir()
    with store.writer() as batch:
        batch.replace_graph(ARTICLE + "b", [triple("b", "2")])
        batch.replace_graph(INFERRED_GRAPH, [triple("i", "2")])
    with store.writer() as batch:  # two versions since the last dumps
        batch.replace_graph(ARTICLE + "c", [triple("c", "3")])
        batch.dump_writer = write_dumps
    second = store.dumps_dir()
    assert second != first
    same = (first / "ontology.ttl.gz").stat().st_ino == (second / "ontology.ttl.gz").stat().st_ino
    assert same, "the unchanged ontology dump should be shared"
    assert (first / "inferred.ttl.gz").stat().st_ino != (second / "inferred.ttl.gz").stat().st_ino
    assert manifest_of(second)["inferred.ttl.gz"]["triples"] == 1
    with store.writer() as batch:
        batch.replace_graph(ONTOLOGY_GRAPH, [triple("o", "1"), triple("o", "2")])
        batch.dump_writer = write_dumps
    third = store.dumps_dir()
    assert (third / "ontology.ttl.gz").stat().st_ino != (second / "ontology.ttl.gz").stat().st_ino
    assert manifest_of(third)["ontology.ttl.gz"]["triples"] == 2


def test_old_versions_serving_dumps_are_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = dumped_store(tmp_path / "s")
    serving = store.dumps_dir()
    monkeypatch.setattr(versioned, "OLD_VERSION_GRACE_SECONDS", -1.0)
    for value in "234":
        with store.writer() as batch:
            batch.replace_graph(ARTICLE + "a", [triple("a", value)])
    assert store.dumps_dir() == serving and serving.is_dir()
    kept = sorted(p.name for p in (store.path / "versions").iterdir())
    # v000000 went; v000001 stays for its dumps; v000002 is the newest superseded one
    assert kept == ["v000001", "v000002", "v000003", "v000004"], kept


# ----------------------------------------------------------------------- contents
def test_dumps_round_trip_to_the_same_data(tmp_path: Path) -> None:
    store = VersionedStore.open(tmp_path / "s")
    tricky = ox.Literal('line\nbreak "quoted" .\n end', language="en")
    with store.writer() as batch:
        batch.add([quad("d", "default", None)])
        batch.replace_graph(
            ARTICLE + "a",
            [triple("a", "1"), ox.Triple(ox.NamedNode(EX + "t"), ox.NamedNode(EX + "p"), tricky)],
        )
        batch.replace_graph(ARTICLE + "b", [triple("a", "1"), triple("b", "2")])
        batch.store.add(
            ox.Quad(
                ox.BlankNode("n1"),
                ox.NamedNode(EX + "p"),
                ox.BlankNode("n2"),
                ox.NamedNode(ARTICLE + "b"),
            )
        )
        batch.replace_graph(INFERRED_GRAPH, [triple("i", "1")])
        batch.replace_graph(ONTOLOGY_GRAPH, [triple("o", "1")])
        batch.dump_writer = write_dumps
    folder = store.dumps_dir()
    manifest = manifest_of(folder)
    assert set(manifest) == {spec.name for spec in DUMPS}
    quads = list(
        ox.parse(gzip.decompress((folder / "all.nq.gz").read_bytes()), ox.RdfFormat.N_QUADS)
    )
    expected = list(store.reader().store)
    assert len(quads) == len(expected) == manifest["all.nq.gz"]["triples"] == 8

    def key(q: ox.Quad) -> tuple[str, ...]:  # blank node labels may differ
        return tuple(
            "_" if isinstance(t, ox.BlankNode) else str(t)
            for t in (q.subject, q.predicate, q.object, q.graph_name)
        )

    assert sorted(map(key, quads)) == sorted(map(key, expected))
    asserted = list(
        ox.parse(gzip.decompress((folder / "asserted.ttl.gz").read_bytes()), ox.RdfFormat.TURTLE)
    )
    # a/1 once, and the default graph's triple: data loaded without a graph is asserted too
    assert manifest["asserted.ttl.gz"]["triples"] == len(asserted) == 5
    assert "default" in {t.object.value for t in asserted}
    assert str(tricky) in {str(t.object) for t in asserted}
    for name in ("inferred.ttl.gz", "ontology.ttl.gz"):
        parsed = list(ox.parse(gzip.decompress((folder / name).read_bytes()), ox.RdfFormat.TURTLE))
        assert len(parsed) == manifest[name]["triples"] == 1
    assert json.loads((folder / "manifest.json").read_text())["version"] == "v000001"


def test_ingest_with_background_dumps_writes_them_in_a_detached_process(tmp_path: Path) -> None:
    import time

    from tests.conftest import DATA

    root = tmp_path / "s"
    cli = Path(sys.executable).with_name("diplograph")
    facts = str(DATA / "semantic-facts.jsonl")
    done = subprocess.run(
        [str(cli), "ingest", "--store", str(root), "--quiet", "--background-dumps", facts],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    store = VersionedStore.open(root, create=False)
    current = store.current_version()
    log = root / "dumps.log"

    def finished() -> bool:
        return (store.dumps_dir() / "manifest.json").is_file() and "dumps of" in log.read_text()

    deadline = time.monotonic() + 60
    while not finished() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert finished(), log.read_text()
    assert store.dumps_dir().parent.name == current
    manifest = manifest_of(store.dumps_dir())
    assert manifest["all.nq.gz"]["triples"] == store.reader().metadata["triples"]
    assert "dumps of" in (root / "dumps.log").read_text()


def test_the_large_inferred_graph_is_spooled_and_appended_in_whole_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """all.nq.gz dumps the inferred graph on its own thread into a spool file, appended last
    in pieces; tiny pieces make every piece boundary fall inside the spool."""
    from diplograph.store import dumps

    monkeypatch.setattr(dumps, "PIECE_BYTES", 50)
    store = VersionedStore.open(tmp_path / "s")
    tricky = ox.Literal('ends with " .\n and goes on', language="en")
    inferred = [triple(f"i{n}", "x" * (n % 7)) for n in range(40)]
    inferred.append(ox.Triple(ox.NamedNode(EX + "t"), ox.NamedNode(EX + "p"), tricky))
    with store.writer() as batch:
        batch.replace_graph(ARTICLE + "a", [triple("a", "1")])
        batch.replace_graph(INFERRED_GRAPH, inferred)
        batch.dump_writer = write_dumps
    folder = store.dumps_dir()
    quads = list(
        ox.parse(gzip.decompress((folder / "all.nq.gz").read_bytes()), ox.RdfFormat.N_QUADS)
    )
    assert sorted(map(str, quads)) == sorted(map(str, store.reader().store))
    assert manifest_of(folder)["all.nq.gz"]["triples"] == len(quads) == 42
    assert not list(folder.parent.rglob(".all.nq.gz.*")), "the spool file is removed"


def test_line_pieces_end_at_line_ends(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from diplograph.store import dumps

    monkeypatch.setattr(dumps, "PIECE_BYTES", 7)
    path = tmp_path / "lines"
    text = b"".join(b"%d %s .\n" % (n, b"y" * n) for n in range(30))
    path.write_bytes(text + b"tail")
    pieces = list(dumps._line_pieces(path))
    assert b"".join(pieces) == text + b"tail"
    assert all(piece.endswith(b"\n") for piece in pieces[:-1])
