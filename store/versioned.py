"""A store directory of immutable Oxigraph versions, published by an atomic pointer swap.

Why versions: pyoxigraph cannot open a database read-only while another process writes it,
and an ingest batch must become visible all at once or not at all, even under SIGKILL.
A writer therefore checkpoints the current version (RocksDB hard links: milliseconds),
applies the whole batch to that copy, adds its metadata and dumps, renames it into
``versions/`` and only then replaces ``CURRENT``. Until that last ``os.replace`` nothing a
reader can see has changed; after it, everything has. See ``store/README.md``.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import gc
import json
import os
import re
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyoxigraph as ox

CURRENT_FILE = "CURRENT"
LOCK_FILE = "LOCK"
VERSIONS_DIR = "versions"
STAGING_PREFIX = "staging-"
DB_DIR = "db"
SUPPORT_DIR = "support"
META_FILE = "meta.json"
DUMPS_DIR = "dumps"
FORMAT_MARKER = "diplograph-store"
FORMAT_VERSION = 1
#: Superseded versions stay readable this long, for queries still running on them.
OLD_VERSION_GRACE_SECONDS = 600.0
_VERSION_NAME = re.compile(r"^v(\d{6,})$")
_COMPUTED_METADATA = frozenset(
    {"published_at", "base_version", "graphs", "triples", "dumps", "version"}
)


class StoreError(RuntimeError):
    """The store directory is missing, damaged, locked or not a Diplograph store."""


class StoreLockedError(StoreError):
    """Another writer holds the store; only one ingest or load may run at a time."""


@dataclass(frozen=True)
class Snapshot:
    """One published version, opened read-only. Safe to share between threads."""

    store: ox.Store
    version: str
    path: Path
    published_at: datetime
    metadata: dict[str, Any]

    @property
    def triples(self) -> int:
        return int(self.metadata.get("triples", 0))


class Batch:
    """The writable copy a writer changes; published only when the ``with`` block ends cleanly.

    ``store`` is the main database (what users query). ``support`` is the inference
    support index: one graph per article holding the triples that article's facts let the
    reasoner infer, so that replacing an article can retract exactly what only it supported.
    It is never served.
    """

    def __init__(self, root: Path, base_version: str | None, base_metadata: dict[str, Any]):
        self.root = root
        self.base_version = base_version
        #: The metadata of the version this batch started from ({} for the first one).
        self.base_metadata = base_metadata
        self.store = ox.Store(str(root / DB_DIR))
        self.support = ox.Store(str(root / SUPPORT_DIR))
        #: Extra metadata for the new version; starts as the base version's own extras.
        self.metadata: dict[str, Any] = {
            k: v for k, v in base_metadata.items() if k not in _COMPUTED_METADATA
        }
        self.dump_writer: Callable[[ox.Store, Path], list[dict[str, Any]]] | None = None

    def replace_graph(self, graph: str, quads: Iterable[ox.Quad] | Iterable[ox.Triple]) -> None:
        """Make ``graph`` hold exactly the given triples (quads are re-homed into it)."""
        name = ox.NamedNode(graph)
        self.store.remove_graph(name)
        self.store.extend(_in_graph(quads, name))

    def add(self, quads: Iterable[ox.Quad]) -> None:
        self.store.extend(quads)

    def remove_graph(self, graph: str) -> None:
        self.store.remove_graph(ox.NamedNode(graph))

    def _close(self) -> None:
        self.store.flush()
        self.support.flush()
        self._discard()

    def _discard(self) -> None:
        """Drop the database handles (closing RocksDB) without publishing anything."""
        for name in ("store", "support"):
            if hasattr(self, name):
                delattr(self, name)
        gc.collect()


class VersionedStore:
    """The store directory: readers call :meth:`reader`, one writer at a time :meth:`writer`."""

    def __init__(self, path: Path):
        self.path = path
        self._reader_lock = threading.Lock()
        self._snapshot: Snapshot | None = None

    # ----------------------------------------------------------------- opening
    @classmethod
    def open(cls, path: str | os.PathLike[str], *, create: bool = True) -> VersionedStore:
        """Open (and with ``create`` initialise) a store directory."""
        root = Path(path).expanduser().absolute()
        if root.exists() and not root.is_dir():
            raise StoreError(f"{root} is not a directory")
        marker = root / "FORMAT"
        if root.is_dir() and any(root.iterdir()):
            if not marker.is_file():
                raise StoreError(
                    f"{root} is not empty and is not a Diplograph store (no FORMAT file);"
                    " choose an empty or new directory with --store"
                )
            _check_format(marker)
        elif not create:
            raise StoreError(f"no Diplograph store at {root} (run `diplograph ingest` first)")
        else:
            root.mkdir(parents=True, exist_ok=True)
            (root / VERSIONS_DIR).mkdir(exist_ok=True)
            _write_atomically(
                marker, json.dumps({"format": FORMAT_MARKER, "version": FORMAT_VERSION}) + "\n"
            )
        store = cls(root)
        if store.current_version() is None and create:
            with store.writer():
                pass  # publishes an empty first version, so readers always have one
        return store

    # ----------------------------------------------------------------- reading
    def current_version(self) -> str | None:
        """The published version's name; cheap enough to call on every request."""
        try:
            name = (self.path / CURRENT_FILE).read_text(encoding="ascii").strip()
        except FileNotFoundError:
            return None
        if not _VERSION_NAME.match(name):
            raise StoreError(f"{self.path / CURRENT_FILE} is damaged (holds {name!r})")
        return name

    def version_dir(self, version: str) -> Path:
        return self.path / VERSIONS_DIR / version

    def reader(self) -> Snapshot:
        """The current version, opened read-only (reopened when a writer publishes)."""
        version = self.current_version()
        if version is None:
            raise StoreError(f"{self.path} has no published version yet")
        with self._reader_lock:
            if self._snapshot is None or self._snapshot.version != version:
                self._snapshot = self._open_snapshot(version)
            return self._snapshot

    def _metadata(self, version: str) -> dict[str, Any]:
        return json.loads((self.version_dir(version) / META_FILE).read_text(encoding="utf-8"))

    def _open_snapshot(self, version: str) -> Snapshot:
        directory = self.version_dir(version)
        meta = self._metadata(version)
        return Snapshot(
            store=ox.Store.read_only(str(directory / DB_DIR)),
            version=version,
            path=directory / DB_DIR,
            published_at=datetime.fromisoformat(meta["published_at"]),
            metadata=meta,
        )

    def dumps_dir(self, version: str | None = None) -> Path:
        """The folder of a version's dump files and their ``manifest.json``."""
        version = version or self.current_version()
        if version is None:
            raise StoreError(f"{self.path} has no published version yet")
        return self.version_dir(version) / DUMPS_DIR

    # ----------------------------------------------------------------- writing
    @contextlib.contextmanager
    def writer(self, *, wait_seconds: float = 0.0) -> Iterator[Batch]:
        """Apply a batch to a copy of the current version and publish it atomically.

        If the ``with`` block raises (or the process dies), the copy is discarded and
        the published data is exactly as before.
        """
        with self._exclusive_lock(wait_seconds):
            self._remove_leftovers()
            base = self.current_version()
            staging = self.path / f"{STAGING_PREFIX}{os.getpid()}-{time.time_ns()}"
            staging.mkdir()
            batch: Batch | None = None
            try:
                if base is not None:
                    base_dir = self.version_dir(base)
                    for part in (DB_DIR, SUPPORT_DIR):
                        ox.Store.read_only(str(base_dir / part)).backup(str(staging / part))
                    gc.collect()
                base_meta = self._metadata(base) if base is not None else {}
                batch = Batch(staging, base, base_meta)
                yield batch
                self._publish(batch, staging)
            except BaseException:
                if batch is not None:
                    batch._discard()  # RocksDB must be closed before its files go
                del batch
                _remove_tree(staging)
                raise

    def _publish(self, batch: Batch, staging: Path) -> None:
        # No local reference to batch.store: RocksDB must be closed by batch._close()
        # before its directory is renamed.
        graphs = _graph_counts(batch.store)
        now = datetime.now(UTC).replace(microsecond=0)
        dumps: list[dict[str, Any]] = []
        if batch.dump_writer is not None:
            dumps = batch.dump_writer(batch.store, staging / DUMPS_DIR)
        meta = {
            "published_at": now.isoformat(),
            "base_version": batch.base_version,
            "graphs": graphs,
            "triples": sum(graphs.values()),
            "dumps": dumps,
            **batch.metadata,
        }
        batch._close()
        version = self._next_version_name()
        meta["version"] = version
        _write_atomically(staging / META_FILE, json.dumps(meta, indent=1, sort_keys=True) + "\n")
        _fsync_tree(staging)
        target = self.version_dir(version)
        os.rename(staging, target)
        _fsync_dir(target.parent)
        _write_atomically(self.path / CURRENT_FILE, version + "\n")

    def _next_version_name(self) -> str:
        numbers = [int(m.group(1)) for m in map(_VERSION_NAME.match, self._version_names()) if m]
        return f"v{(max(numbers) + 1 if numbers else 0):06d}"

    def _version_names(self) -> list[str]:
        folder = self.path / VERSIONS_DIR
        return sorted(p.name for p in folder.iterdir() if _VERSION_NAME.match(p.name))

    def _remove_leftovers(self) -> None:
        """Delete what dead writers left: staging copies and versions never published."""
        for entry in self.path.iterdir():
            if entry.name.startswith(STAGING_PREFIX):
                _remove_tree(entry)
            elif entry.name.startswith(f".{CURRENT_FILE}.") and entry.name.endswith(".tmp"):
                entry.unlink(missing_ok=True)  # a CURRENT swap that died before its rename
        current = self.current_version()
        names = self._version_names()
        for name in names:
            if current is None or name > current:
                shutil.rmtree(self.version_dir(name), ignore_errors=True)
        if current is None:
            return
        older = [n for n in names if n < current]
        for name in older[:-1]:  # keep the newest superseded version whatever its age
            successor = names[names.index(name) + 1]
            published = (self.version_dir(successor) / META_FILE).stat().st_mtime
            if time.time() - published > OLD_VERSION_GRACE_SECONDS:
                shutil.rmtree(self.version_dir(name), ignore_errors=True)

    @contextlib.contextmanager
    def _exclusive_lock(self, wait_seconds: float) -> Iterator[None]:
        handle = open(self.path / LOCK_FILE, "a+b")  # noqa: SIM115 - held for the block
        try:
            deadline = time.monotonic() + wait_seconds
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError as error:
                    if error.errno not in (errno.EAGAIN, errno.EACCES):
                        raise
                    if time.monotonic() >= deadline:
                        raise StoreLockedError(
                            f"{self.path} is being written by another process"
                            " (an ingest or load is running); try again when it has finished"
                        ) from None
                    time.sleep(0.1)
            yield
        finally:
            handle.close()


def _in_graph(
    items: Iterable[ox.Quad] | Iterable[ox.Triple], graph: ox.NamedNode
) -> Iterator[ox.Quad]:
    for item in items:
        yield ox.Quad(item.subject, item.predicate, item.object, graph)


def _graph_counts(store: ox.Store) -> dict[str, int]:
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    counts = {row["g"].value: int(row["n"].value) for row in store.query(query)}
    default = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    in_default = int(next(iter(default))["n"].value)
    if in_default:
        counts[""] = in_default
    return dict(sorted(counts.items()))


def _remove_tree(path: Path) -> None:
    """rmtree that retries: a background RocksDB thread may still be finishing a file."""
    for _ in range(50):
        shutil.rmtree(path, ignore_errors=True)
        if not path.exists():
            return
        time.sleep(0.02)


def _check_format(marker: Path) -> None:
    try:
        info = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise StoreError(f"{marker} is damaged: {error}") from None
    if info.get("format") != FORMAT_MARKER:
        raise StoreError(f"{marker.parent} is not a Diplograph store")
    if info.get("version") != FORMAT_VERSION:
        raise StoreError(
            f"{marker.parent} has store format {info.get('version')}; this Diplograph reads"
            f" format {FORMAT_VERSION}"
        )


def _write_atomically(path: Path, text: str) -> None:
    """Write to a temporary sibling, fsync, then rename over: readers see old or new, never half."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    _fsync_dir(path.parent)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_tree(root: Path) -> None:
    for folder, _dirs, files in os.walk(root):
        for name in files:
            fd = os.open(os.path.join(folder, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        _fsync_dir(Path(folder))
