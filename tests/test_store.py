"""The versioned store: whole batches, rollback of failed ones, cleanup after dead writers."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from diplograph.store import StoreError, StoreLockedError, VersionedStore, write_dumps
from diplograph.store.versioned import STAGING_PREFIX

G1 = "https://w3id.org/diplograph/graph/article/one"
G2 = "https://w3id.org/diplograph/graph/article/two"


def triple(subject: str, value: str) -> ox.Triple:
    return ox.Triple(
        ox.NamedNode(f"http://example.org/{subject}"),
        ox.NamedNode("http://example.org/p"),
        ox.Literal(value),
    )


def snapshot_bytes(root: Path) -> dict[str, bytes]:
    """Every published file, for byte-for-byte comparisons."""
    files = {}
    current = (root / "CURRENT").read_text().strip()
    for path in sorted((root / "versions" / current).rglob("*")):
        if path.is_file() and path.name not in {"LOCK", "LOG"}:
            files[str(path.relative_to(root))] = path.read_bytes()
    files["CURRENT"] = (root / "CURRENT").read_bytes()
    return files


def test_new_store_has_an_empty_published_version(tmp_path: Path) -> None:
    store = VersionedStore.open(tmp_path / "s")
    snap = store.reader()
    assert snap.version == "v000000"
    assert len(snap.store) == 0
    assert snap.metadata["triples"] == 0


def test_batch_is_published_whole(tmp_path: Path) -> None:
    store = VersionedStore.open(tmp_path / "s")
    with store.writer() as batch:
        batch.replace_graph(G1, [triple("a", "1"), triple("b", "2")])
        batch.replace_graph(G2, [triple("c", "3")])
    snap = store.reader()
    assert snap.version == "v000001"
    assert snap.metadata["graphs"] == {G1: 2, G2: 1}
    assert snap.metadata["triples"] == 3


def test_replace_graph_replaces_rather_than_adds(tmp_path: Path) -> None:
    store = VersionedStore.open(tmp_path / "s")
    for value in ("1", "2"):
        with store.writer() as batch:
            batch.replace_graph(G1, [triple("a", value)])
    rows = list(store.reader().store.quads_for_pattern(None, None, None, ox.NamedNode(G1)))
    assert [q.object.value for q in rows] == ["2"]


def test_failed_batch_leaves_store_byte_for_byte_unchanged(tmp_path: Path) -> None:
    root = tmp_path / "s"
    store = VersionedStore.open(root)
    with store.writer() as batch:
        batch.replace_graph(G1, [triple("a", "1")])
    before = snapshot_bytes(root)
    with pytest.raises(RuntimeError, match="rejected"), store.writer() as batch:
        batch.remove_graph(G1)
        raise RuntimeError("batch rejected")
    assert snapshot_bytes(root) == before
    assert not [p for p in root.iterdir() if p.name.startswith(STAGING_PREFIX)]


def test_a_batch_that_does_not_publish_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    root = tmp_path / "s"
    store = VersionedStore.open(root)
    with store.writer() as batch:
        batch.replace_graph(G1, [triple("a", "1")])
        batch.dump_writer = write_dumps
    before = snapshot_bytes(root)
    dumped: list[str] = []

    def recording_writer(*args: Any, **kwargs: Any) -> None:
        dumped.append("called")
        write_dumps(*args, **kwargs)

    with store.writer() as batch:
        batch.replace_graph(G1, [triple("a", "changed")])
        batch.dump_writer = recording_writer
        batch.publish = False
    assert snapshot_bytes(root) == before
    assert dumped == [], "the current version's dumps are complete: nothing rewritten"
    assert store.current_version() == "v000001"
    assert not [p for p in root.iterdir() if p.name.startswith(STAGING_PREFIX)]
    # the writer lock is free again, and the next batch publishes as usual
    with store.writer() as batch:
        batch.replace_graph(G1, [triple("a", "2")])
    assert store.current_version() == "v000002"


def test_versions_are_ordered_by_number_past_a_million(tmp_path: Path) -> None:
    """After v999999 comes v1000000, which is newer although it sorts first as a string:
    the next name, the current version and the clean-up of old versions all use numbers."""
    root = tmp_path / "s"
    store = VersionedStore.open(root)
    with store.writer() as batch:
        batch.replace_graph(G1, [triple("a", "1")])
        batch.dump_writer = write_dumps
    (root / "versions" / "v000001").rename(root / "versions" / "v999999")
    (root / "CURRENT").write_text("v999999\n")
    store = VersionedStore.open(root, create=False)
    with store.writer() as batch:  # published without dumps
        batch.replace_graph(G1, [triple("a", "2")])
    assert store.current_version() == "v1000000"
    # Until v1000000 has dumps, the newest complete ones (v999999's) are served.
    assert store.dumps_dir().parent.name == "v999999"
    with store.writer() as batch:  # cleans up first: v999999 is old, not a dead writer's
        batch.replace_graph(G1, [triple("a", "3")])
    snap = store.reader()
    assert snap.version == "v1000001"
    rows = list(snap.store.quads_for_pattern(None, None, None, ox.NamedNode(G1)))
    assert [q.object.value for q in rows] == ["3"]
    # Superseded versions stay for the grace period (readers may still use them).
    assert {p.name for p in (root / "versions").iterdir()} == {
        "v000000",
        "v999999",
        "v1000000",
        "v1000001",
    }


def test_reader_sees_new_version_after_publish(tmp_path: Path) -> None:
    store = VersionedStore.open(tmp_path / "s")
    old = store.reader()
    with store.writer() as batch:
        batch.replace_graph(G1, [triple("a", "1")])
    new = store.reader()
    assert new.version != old.version
    assert len(old.store) == 0, "an open snapshot never changes under its reader"
    assert len(new.store) == 1


def test_current_version_follows_every_publication_of_another_process(tmp_path: Path) -> None:
    """current_version re-reads CURRENT only when the file changes (a cached stat check):
    versions published through another handle, and a CURRENT damaged in place, are seen."""
    serving = VersionedStore.open(tmp_path / "s")
    writing = VersionedStore.open(tmp_path / "s", create=False)
    seen = [serving.current_version()]
    for n in range(3):
        with writing.writer() as batch:
            batch.replace_graph(G1, [triple(f"s{n}", "o")])
        seen.append(serving.current_version())
    assert seen == ["v000000", "v000001", "v000002", "v000003"]
    (tmp_path / "s" / "CURRENT").write_text("garbage\n", encoding="ascii")
    with pytest.raises(StoreError, match="damaged"):
        serving.current_version()


def test_second_writer_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    store = VersionedStore.open(tmp_path / "s")
    other = VersionedStore(store.path)
    with (
        store.writer(),
        pytest.raises(StoreLockedError, match="another process"),
        other.writer(),
    ):
        pass


def test_leftovers_of_a_killed_writer_are_removed(tmp_path: Path) -> None:
    root = tmp_path / "s"
    VersionedStore.open(root)
    script = textwrap.dedent(
        f"""
        import os, pyoxigraph as ox
        from diplograph.store import VersionedStore
        store = VersionedStore.open({str(root)!r})
        with store.writer() as batch:
            t = ox.Triple(ox.NamedNode("http://x"), ox.NamedNode("http://p"), ox.Literal("v"))
            batch.replace_graph({G1!r}, [t])
            os.kill(os.getpid(), 9)
        """
    )
    result = subprocess.run([sys.executable, "-c", script], check=False)
    assert result.returncode == -9
    assert [p for p in root.iterdir() if p.name.startswith(STAGING_PREFIX)], "the kill left a copy"
    store = VersionedStore.open(root)
    assert store.current_version() == "v000000"
    with store.writer() as batch:
        batch.replace_graph(G2, [triple("z", "1")])
    assert not [p for p in root.iterdir() if p.name.startswith(STAGING_PREFIX)]
    assert store.reader().metadata["graphs"] == {G2: 1}


def test_refuses_a_directory_that_is_not_a_store(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(StoreError, match="not a Diplograph store"):
        VersionedStore.open(tmp_path)
    with pytest.raises(StoreError, match="no Diplograph store"):
        VersionedStore.open(tmp_path / "missing", create=False)


def test_dumps_have_counts_sizes_and_hashes(tmp_path: Path) -> None:
    store = VersionedStore.open(tmp_path / "s")
    with store.writer() as batch:
        batch.dump_writer = write_dumps
        batch.replace_graph(G1, [triple("a", "1"), triple("b", "2")])
        batch.replace_graph(G2, [triple("a", "1")])
    folder = store.dumps_dir()
    manifest = {e["name"]: e for e in json.loads((folder / "manifest.json").read_text())["files"]}
    assert manifest["asserted.ttl.gz"]["triples"] == 2, "the same triple in two graphs is one"
    assert manifest["all.nq.gz"]["triples"] == 3
    for name, entry in manifest.items():
        data = (folder / name).read_bytes()
        assert entry["bytes"] == len(data) == os.path.getsize(folder / name)
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
    quads = list(
        ox.parse(gzip.decompress((folder / "all.nq.gz").read_bytes()), ox.RdfFormat.N_QUADS)
    )
    assert len(quads) == 3
    turtle = gzip.decompress((folder / "asserted.ttl.gz").read_bytes())
    assert len(list(ox.parse(turtle, ox.RdfFormat.TURTLE))) == 2
