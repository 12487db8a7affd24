"""Where the server's data comes from: a small protocol over the versioned store.

Routes only need "the current snapshot" (a read-only pyoxigraph store plus its version,
publication time and counts) and "the dump folder of a version". The versioned store of
``diplograph.store`` provides both; :class:`DirectorySource` serves a plain Oxigraph
directory (e.g. one built by ``oxigraph load``) so the server can publish any existing
store, with a version derived from the directory's files.
"""

from __future__ import annotations

import hashlib
import os
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox


class SnapshotLike(Protocol):
    """What a published version offers (see ``diplograph.store.Snapshot``)."""

    store: ox.Store
    version: str
    path: Path
    published_at: datetime
    metadata: dict[str, Any]


class DatasetSource(Protocol):
    """The data a server publishes."""

    def snapshot(self) -> SnapshotLike: ...

    def dumps_dir(self, version: str | None = None) -> Path | None: ...


class VersionedSource:
    """Adapter over ``diplograph.store.VersionedStore`` (the normal case)."""

    def __init__(self, versioned_store: Any):
        self.vs = versioned_store

    def snapshot(self) -> SnapshotLike:
        from diplograph.store import StoreError

        try:
            return self.vs.reader()
        except StoreError as exc:
            raise LookupError(str(exc)) from exc

    def dumps_dir(self, version: str | None = None) -> Path | None:
        from diplograph.store import StoreError

        try:
            path = Path(self.vs.dumps_dir(version))
        except (StoreError, OSError, ValueError):
            return None
        return path if path.is_dir() else None


@dataclass
class DirectorySnapshot:
    store: ox.Store
    version: str
    path: Path
    published_at: datetime
    metadata: dict[str, Any] = field(default_factory=dict)


class DirectorySource:
    """A plain Oxigraph directory, opened read-only; it never changes while served."""

    def __init__(self, path: str | os.PathLike[str]):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._snap: DirectorySnapshot | None = None

    def snapshot(self) -> SnapshotLike:
        with self._lock:
            if self._snap is None:
                self._snap = self._open()
            return self._snap

    def _open(self) -> DirectorySnapshot:
        digest = hashlib.sha256()
        newest = 0.0
        for entry in sorted(self.path.iterdir()):
            st = entry.stat()
            digest.update(f"{entry.name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
            newest = max(newest, st.st_mtime)
        store = ox.Store.read_only(str(self.path))
        graphs: dict[str, int] = {}
        total = 0
        query = "SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        for row in store.query(query):
            n = int(row["n"].value)
            graphs[row["g"].value] = n
            total += n
        for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
            total += 1
        return DirectorySnapshot(
            store=store,
            version="d" + digest.hexdigest()[:12],
            path=self.path,
            published_at=datetime.fromtimestamp(int(newest), UTC),
            metadata={"graphs": graphs, "triples": total},
        )

    def dumps_dir(self, version: str | None = None) -> Path | None:
        return None


def open_source(path: str | os.PathLike[str]) -> DatasetSource:
    """A Diplograph store directory (has a FORMAT file) or a plain Oxigraph one."""
    from diplograph.store import VersionedStore

    p = Path(path)
    if (p / "FORMAT").is_file():
        return VersionedSource(VersionedStore.open(p, create=False))
    if p.is_dir() and any(p.glob("MANIFEST-*")):
        return DirectorySource(p)
    raise FileNotFoundError(
        f"{p} is neither a Diplograph store nor an Oxigraph database; "
        "create one with `diplograph ingest --store PATH`"
    )
