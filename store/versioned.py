"""A store directory of immutable Oxigraph versions, published by an atomic pointer swap.

Why versions: pyoxigraph cannot open a database read-only while another process writes it,
and an ingest batch must become visible all at once or not at all, even under SIGKILL.
A writer therefore checkpoints the current version (RocksDB hard links: milliseconds),
applies the whole batch to that copy, adds its metadata, renames it into ``versions/`` and
only then replaces ``CURRENT``. Until that last ``os.replace`` nothing a reader can see has
changed; after it, everything has.

Dumps are written after publishing (readers see new data at once), outside the writer
lock, into a temporary folder renamed to ``dumps/`` when complete; whoever serves dumps
serves the newest version whose dumps are complete (:meth:`VersionedStore.dumps_dir`).
See ``store/README.md``.
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
from typing import Any, cast

import pyoxigraph as ox

from diplograph.store import union_graph
from diplograph.store.dumps import MANIFEST, Reuse, write_dumps
from diplograph.store.durability import fsync_path

CURRENT_FILE = "CURRENT"
LOCK_FILE = "LOCK"
VERSIONS_DIR = "versions"
STAGING_PREFIX = "staging-"
DB_DIR = "db"
SUPPORT_DIR = "support"
META_FILE = "meta.json"
DUMPS_DIR = "dumps"
DUMPS_LOCK_FILE = "DUMPS.LOCK"
#: A dumps folder being written: ``versions/vN/.dumps-PID-NS.tmp`` (never served).
DUMPS_TEMP_PREFIX = ".dumps-"
#: Changed-graph lists longer than this are not kept in meta.json (null: "many").
CHANGED_GRAPHS_KEPT = 1000
#: More changed graphs than this: recount every graph (one scan) instead of each one.
RECOUNT_ALL_ABOVE = 5000
FORMAT_MARKER = "diplograph-store"
FORMAT_VERSION = 1
#: Superseded versions stay readable this long, for queries still running on them.
OLD_VERSION_GRACE_SECONDS = 600.0
#: How long a dump writer waits for the dumps lock: longer than a data writer holds it
#: to remove a dead dump writer's folder (see refresh_dumps).
DUMPS_LOCK_WAIT = 1.0
_VERSION_NAME = re.compile(r"^v(\d{6,})$")


def version_number(name: str) -> int:
    """The number of a version folder name (``v000042`` -> 42).

    Versions are ordered by number, never by name: past ``v999999`` the names grow a digit
    and ``"v1000000" < "v999999"`` as strings.
    """
    match = _VERSION_NAME.match(name)
    if match is None:
        raise ValueError(f"not a version name: {name!r}")
    return int(match.group(1))


_COMPUTED_METADATA = frozenset(
    {
        "published_at",
        "base_version",
        "graphs",
        "triples",
        "dumps",
        "version",
        "changed_graphs",
        union_graph.METADATA_KEY,
    }
)
DumpWriter = Callable[..., list[dict[str, Any]]]


class StoreError(RuntimeError):
    """The store directory is missing, damaged, locked or not a Diplograph store."""


class StoreLockedError(StoreError):
    """Another writer holds the store; only one ingest or load may run at a time."""


class StoreDamagedError(StoreError):
    """A published version's files are missing or corrupt (e.g. its database was deleted):
    reported like a locked or missing store, naming the damaged path, never a traceback."""


#: What opening a damaged version raises: the OS (missing files), pyoxigraph (OSError for
#: missing RocksDB files, RuntimeError for a corrupt database) and reading meta.json.
_DAMAGE = (OSError, ValueError, KeyError, TypeError, RuntimeError)


class DumpsError(StoreError):
    """A version was published but writing its dumps failed (the older dumps stay served)."""


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

    ``store`` is the main database (what users query); its default graph is the union
    of its named graphs, kept up to date by every write (see union_graph.py), and a
    quad written without a graph name lands in ``union_graph.DEFAULT_DATA_GRAPH``.
    ``support`` is the inference
    support index: one graph per article holding the triples that article's facts let the
    reasoner infer, so that replacing an article can retract exactly what only it supported.
    It is never served.
    """

    def __init__(self, root: Path, base_version: str | None, base_metadata: dict[str, Any]):
        self.root = root
        self.base_version = base_version
        #: The metadata of the version this batch started from ({} for the first one).
        self.base_metadata = base_metadata
        self._tracked = _TrackedStore(
            ox.Store(str(root / DB_DIR)), union_current=union_graph.materialized(base_metadata)
        )
        self.support = ox.Store(str(root / SUPPORT_DIR))
        #: Extra metadata for the new version; starts as the base version's own extras.
        self.metadata: dict[str, Any] = {
            k: v for k, v in base_metadata.items() if k not in _COMPUTED_METADATA
        }
        #: Set to write dumps once the version is published, e.g. ``store.write_dumps``;
        #: called as ``writer(store, folder, reuse=..., header=...)``.
        self.dump_writer: DumpWriter | None = None
        #: Set False when the batch found nothing to change: the ``with`` block then ends
        #: without publishing (no new version; dumps are only completed if missing).
        self.publish = True

    @property
    def store(self) -> ox.Store:
        """The main database; a thin wrapper that notes which graphs each write touches."""
        return cast(ox.Store, self._tracked)

    @property
    def changed_graphs(self) -> set[str] | None:
        """Named graphs this batch wrote; None when unknown (all)."""
        return self._tracked.changed

    def replace_graph(self, graph: str, quads: Iterable[ox.Quad] | Iterable[ox.Triple]) -> None:
        """Make ``graph`` hold exactly the given triples (quads are re-homed into it)."""
        name = ox.NamedNode(graph)
        self.store.remove_graph(name)
        self.store.extend(_in_graph(quads, name))

    def add(self, quads: Iterable[ox.Quad]) -> None:
        self.store.extend(quads)

    def remove_graph(self, graph: str) -> None:
        self.store.remove_graph(ox.NamedNode(graph))

    def _finish_union(self) -> None:
        """Bring the default graph (the union index) up to date before publishing."""
        self._tracked.finish_union()

    def _close(self) -> None:
        self.store.flush()
        self.support.flush()
        self._discard()

    def _discard(self) -> None:
        """Drop the database handles (closing RocksDB) without publishing anything."""
        for name in ("_tracked", "support"):
            if hasattr(self, name):
                delattr(self, name)
        gc.collect()


class VersionedStore:
    """The store directory: readers call :meth:`reader`, one writer at a time :meth:`writer`."""

    def __init__(self, path: Path):
        self.path = path
        self._reader_lock = threading.Lock()
        self._snapshot: Snapshot | None = None
        #: ((inode, mtime, size) of CURRENT, the name it held): see current_version
        self._current: tuple[tuple[int, int, int], str] | None = None

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
            try:
                root.mkdir(parents=True, exist_ok=True)
                (root / VERSIONS_DIR).mkdir(exist_ok=True)
                _write_atomically(
                    marker, json.dumps({"format": FORMAT_MARKER, "version": FORMAT_VERSION}) + "\n"
                )
            except OSError as error:
                raise StoreError(f"cannot create a store at {root}: {error.strerror}") from None
        store = cls(root)
        if store.current_version() is None and create:
            with store.writer():
                pass  # publishes an empty first version, so readers always have one
        return store

    # ----------------------------------------------------------------- reading
    def current_version(self) -> str | None:
        """The published version's name; cheap enough to call on every request.

        Publishing replaces CURRENT by a rename (a new inode), so the file is read again
        only when its identity changes; otherwise this is one ``stat``.
        """
        path = self.path / CURRENT_FILE
        try:
            info = os.stat(path)
            key = (info.st_ino, info.st_mtime_ns, info.st_size)
            cached = self._current
            if cached is not None and cached[0] == key:
                return cached[1]
            name = path.read_text(encoding="ascii").strip()
        except FileNotFoundError:
            return None
        if not _VERSION_NAME.match(name):
            raise StoreError(f"{path} is damaged (holds {name!r})")
        self._current = (key, name)
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
        with self._damage_check(directory / META_FILE):
            meta = self._metadata(version)
            published_at = datetime.fromisoformat(meta["published_at"])
        with self._damage_check(directory / DB_DIR):
            database = ox.Store.read_only(str(directory / DB_DIR))
        return Snapshot(
            store=union_graph.reader(database, meta),
            version=version,
            path=directory / DB_DIR,
            published_at=published_at,
            metadata=meta,
        )

    @contextlib.contextmanager
    def _damage_check(self, part: Path) -> Iterator[None]:
        """Turn a failure to read ``part`` of a published version into StoreDamagedError.

        Published versions are never written, so such a failure means the files were
        removed or corrupted behind the store's back (not a bug, not bad input).
        """
        try:
            yield
        except StoreError:
            raise
        except _DAMAGE as error:
            if not os.path.lexists(part):
                missing = part  # name the outermost missing folder (a whole version, say)
                while missing.parent != self.path and not os.path.lexists(missing.parent):
                    missing = missing.parent
                problem = f"{missing} is missing"
            elif isinstance(error, OSError) and error.filename:
                problem = f"cannot read {part} ({error.strerror})"
            else:
                problem = f"cannot read {part} ({error})"
            raise StoreDamagedError(f"the store {self.path} is damaged: {problem}") from error

    def dumps_dir(self, version: str | None = None) -> Path:
        """The dumps that serve ``version`` (default: the current one).

        That is the newest version up to it whose dumps are complete (dumps are written
        after a version is published, so the newest may not have them yet); the folder's
        ``manifest.json`` names the data version it holds. Without any complete dumps,
        the version's own (absent) folder.
        """
        version = version or self.current_version()
        if version is None:
            raise StoreError(f"{self.path} has no published version yet")
        return self.version_dir(self._newest_dumped(version) or version) / DUMPS_DIR

    def _newest_dumped(self, version: str, *, before: bool = False) -> str | None:
        """The newest version up to ``version`` (before it, if ``before``) whose dumps are
        complete; None if there is none."""
        last = version_number(version) - (1 if before else 0)
        for name in reversed(self._version_names()):
            if version_number(name) <= last and self._dumps_complete(name):
                return name
        return None

    def _dumps_complete(self, version: str) -> bool:
        return (self.version_dir(version) / DUMPS_DIR / MANIFEST).is_file()

    # ----------------------------------------------------------------- writing
    def needs_upgrade(self) -> bool:
        """Whether the current version was written by an older Diplograph, without the
        union index (see union_graph.py)."""
        version = self.current_version()
        if version is None:
            return False
        with self._damage_check(self.version_dir(version) / META_FILE):
            return not union_graph.materialized(self._metadata(version))

    def upgrade(self) -> bool:
        """Build the union index of a current version an older Diplograph wrote (one
        batch with no changes; ~10 s per million triples). False when there is nothing
        to do or another writer holds the store (it builds the index)."""
        if not self.needs_upgrade():
            return False
        try:
            with self.writer():
                pass
        except StoreLockedError:
            return False
        return True

    @contextlib.contextmanager
    def writer(self, *, wait_seconds: float = 0.0) -> Iterator[Batch]:
        """Apply a batch to a copy of the current version and publish it atomically.

        If the ``with`` block raises (or the process dies), or sets ``batch.publish`` to
        False, the copy is discarded and the published data is exactly as before. With
        ``batch.dump_writer`` set, the
        dumps are brought up to date after publishing, once the writer lock is released
        (see :meth:`refresh_dumps`).
        """
        dump_writer: DumpWriter | None = None
        with self._exclusive_lock(wait_seconds):
            self._remove_leftovers()
            base = self.current_version()
            staging = self.path / f"{STAGING_PREFIX}{os.getpid()}-{time.time_ns()}"
            staging.mkdir()
            batch: Batch | None = None
            try:
                base_meta: dict[str, Any] = {}
                if base is not None:
                    base_dir = self.version_dir(base)
                    for part in (DB_DIR, SUPPORT_DIR):
                        with self._damage_check(base_dir / part):
                            source = ox.Store.read_only(str(base_dir / part))
                        source.backup(str(staging / part))
                        del source
                    gc.collect()
                    with self._damage_check(base_dir / META_FILE):
                        base_meta = self._metadata(base)
                batch = Batch(staging, base, base_meta)
                yield batch
                # Without publishing, the current version's dumps are still completed if
                # they are missing (refresh_dumps writes nothing when they are there).
                dump_writer = batch.dump_writer
                if batch.publish:
                    self._publish(batch, staging)
                else:  # nothing changed: no new version
                    batch._discard()
                    batch = None
                    _remove_tree(staging)
            except BaseException:
                if batch is not None:
                    batch._discard()  # RocksDB must be closed before its files go
                del batch
                _remove_tree(staging)
                raise
        if dump_writer is not None:
            try:
                self.refresh_dumps(dump_writer)
            except Exception as error:
                raise DumpsError(
                    f"{self.current_version()} of {self.path} is published, but writing its"
                    f" dumps failed ({error}); the previous dumps are still served, and the"
                    " next ingest with dumps writes them again"
                ) from error

    def _publish(self, batch: Batch, staging: Path) -> None:
        # No local reference to batch.store: RocksDB must be closed by batch._close()
        # before its directory is renamed.
        batch._finish_union()
        changed = batch.changed_graphs
        graphs = _graph_counts(batch.store, batch.base_metadata.get("graphs"), changed)
        now = datetime.now(UTC).replace(microsecond=0)
        meta = {
            "published_at": now.isoformat(),
            "base_version": batch.base_version,
            "graphs": graphs,
            "triples": sum(graphs.values()),
            "changed_graphs": (
                sorted(changed)
                if changed is not None and len(changed) <= CHANGED_GRAPHS_KEPT
                else None
            ),
            union_graph.METADATA_KEY: union_graph.METADATA_VALUE,
            **batch.metadata,
        }
        batch._close()
        version = self._next_version_name()
        meta["version"] = version
        _write_atomically(staging / META_FILE, json.dumps(meta, indent=1, sort_keys=True) + "\n")
        base_dir = self.version_dir(batch.base_version) if batch.base_version else None
        _fsync_new_files(staging, base_dir)
        target = self.version_dir(version)
        os.rename(staging, target)
        fsync_path(target.parent)
        _write_atomically(self.path / CURRENT_FILE, version + "\n")

    # ----------------------------------------------------------------- dumps
    def refresh_dumps(self, writer: DumpWriter = write_dumps) -> str | None:
        """Write the dumps of the current version unless it has them; returns that version.

        One dump writer at a time (``DUMPS.LOCK``, separate from the writer lock, so
        ingests go on meanwhile). If another process holds it for longer than
        DUMPS_LOCK_WAIT, return None: that is a dump writer, which re-checks the current
        version after finishing and dumps it too. (A data writer holds it for moments while
        it removes a dead dump writer's folder; it dumps nothing, so it is waited for.) Versions
        published while dumps are written are not dumped one by one: the next round
        dumps the newest. A dead writer's temporary folder is removed here.
        """
        done: str | None = None
        while True:
            with self._dumps_lock(DUMPS_LOCK_WAIT) as held:
                if not held:
                    return done
                self._remove_dump_leftovers()
                version = self.current_version()
                if version is None:
                    return done
                if not self._dumps_complete(version):
                    self._write_version_dumps(version, writer)
                done = version
            # Re-check after releasing: a writer that published meanwhile and found the
            # lock held left its version to us.
            if self.current_version() == done:
                return done

    def _write_version_dumps(self, version: str, writer: DumpWriter) -> None:
        directory = self.version_dir(version)
        temporary = directory / f"{DUMPS_TEMP_PREFIX}{os.getpid()}-{time.time_ns()}.tmp"
        with self._damage_check(directory / META_FILE):
            meta = self._metadata(version)
        with self._damage_check(directory / DB_DIR):
            store = union_graph.reader(ox.Store.read_only(str(directory / DB_DIR)), meta)
        try:
            writer(
                store,
                temporary,
                reuse=self._reusable_dumps(version),
                header={"version": version, "published_at": meta["published_at"]},
            )
            fsync_path(temporary)
            if (directory / DUMPS_DIR).exists():  # no manifest: never complete, never served
                _remove_tree(directory / DUMPS_DIR)
            os.rename(temporary, directory / DUMPS_DIR)
            fsync_path(directory)
        except BaseException:
            _remove_tree(temporary)
            raise
        finally:
            del store
            gc.collect()

    def _reusable_dumps(self, version: str) -> Reuse | None:
        """The newest complete dumps before ``version``, with the graphs changed since.

        The changes are those listed by every version from there to ``version``
        (following ``base_version``); a long or missing list makes them unknown (None).
        """
        since = self._newest_dumped(version, before=True)
        if since is None:
            return None
        changed: set[str] | None = set()
        name: str | None = version
        try:
            while name is not None and name != since and changed is not None:
                meta = self._metadata(name)
                listed = meta.get("changed_graphs")
                changed = None if listed is None else changed | set(listed)
                name = meta.get("base_version")
        except (OSError, ValueError):
            changed = None
        if name != since:
            changed = None
        return Reuse(self.version_dir(since) / DUMPS_DIR, changed)

    def _remove_dump_leftovers(self) -> None:
        """Temporary dumps folders of dead dump writers (call with the dumps lock held)."""
        for name in self._version_names():
            for entry in self.version_dir(name).glob(f"{DUMPS_TEMP_PREFIX}*.tmp"):
                _remove_tree(entry)

    def _dumps_lock(self, wait_seconds: float = 0.0) -> contextlib.AbstractContextManager[bool]:
        """Try to become the dump writer; yields whether this process is it."""
        return _flock(self.path / DUMPS_LOCK_FILE, wait_seconds)

    def _next_version_name(self) -> str:
        names = self._version_names()
        return f"v{(version_number(names[-1]) + 1 if names else 0):06d}"

    def _version_names(self) -> list[str]:
        folder = self.path / VERSIONS_DIR
        with self._damage_check(folder):
            names = [p.name for p in folder.iterdir() if _VERSION_NAME.match(p.name)]
        return sorted(names, key=version_number)

    def _remove_leftovers(self) -> None:
        """Delete what dead writers left: staging copies and versions never published.

        Superseded versions go after the grace period, except the newest one with
        complete dumps while the current version has none yet (it serves /dumps/).
        """
        for entry in self.path.iterdir():
            if entry.name.startswith(STAGING_PREFIX):
                _remove_tree(entry)
            elif entry.name.startswith(f".{CURRENT_FILE}.") and entry.name.endswith(".tmp"):
                entry.unlink(missing_ok=True)  # a CURRENT swap that died before its rename
        with self._dumps_lock() as held:
            if held:  # no dump writer alive: its temporary folders are leftovers
                self._remove_dump_leftovers()
        current = self.current_version()
        names = self._version_names()
        for name in names:
            if current is None or version_number(name) > version_number(current):
                shutil.rmtree(self.version_dir(name), ignore_errors=True)
        if current is None:
            return
        serving = self.dumps_dir(current).parent.name
        older = [n for n in names if version_number(n) < version_number(current)]
        for name in older[:-1]:  # keep the newest superseded version whatever its age
            if name == serving:
                continue
            successor = names[names.index(name) + 1]
            try:
                published = (self.version_dir(successor) / META_FILE).stat().st_mtime
            except OSError:  # a damaged superseded version: its folder's age will do
                published = self.version_dir(successor).stat().st_mtime
            if time.time() - published > OLD_VERSION_GRACE_SECONDS:
                shutil.rmtree(self.version_dir(name), ignore_errors=True)

    @contextlib.contextmanager
    def _exclusive_lock(self, wait_seconds: float) -> Iterator[None]:
        with _flock(self.path / LOCK_FILE, wait_seconds) as held:
            if not held:
                raise StoreLockedError(
                    f"{self.path} is being written by another process"
                    " (an ingest or load is running); try again when it has finished"
                )
            yield


@contextlib.contextmanager
def _flock(path: Path, wait_seconds: float = 0.0) -> Iterator[bool]:
    """Hold an exclusive ``flock`` on ``path`` for the block; yields whether it was got
    within ``wait_seconds`` (released with the file, also when the process dies)."""
    handle = open(path, "a+b")  # noqa: SIM115 - held for the block
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
                    yield False
                    return
                time.sleep(0.05)
        yield True
    finally:
        handle.close()


def _in_graph(
    items: Iterable[ox.Quad] | Iterable[ox.Triple], graph: ox.NamedNode
) -> Iterator[ox.Quad]:
    for item in items:
        yield ox.Quad(item.subject, item.predicate, item.object, graph)


def _graph_counts(
    store: ox.Store, base: dict[str, int] | None, changed: set[str] | None
) -> dict[str, int]:
    """Triples per named graph, graphs without triples left out. The default graph is not
    counted: it is the union index of the named graphs (union_graph.py).

    Incremental: the base version's counts with only the graphs this batch wrote counted
    again. A full scan (0.5 s at 1M triples) only when the changes are unknown (a bulk
    load or SPARQL update), there are no base counts, or very many graphs changed.
    """
    if base is None or changed is None or len(changed) > RECOUNT_ALL_ABOVE:
        return _count_all(store)
    counts = {g: n for g, n in base.items() if g not in changed}
    names = sorted(changed)
    for start in range(0, len(names), 500):
        values = " ".join(f"<{g}>" for g in names[start : start + 500])
        query = (
            f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }}"
            " GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        )
        counts.update((row["g"].value, int(row["n"].value)) for row in store.query(query))
    return dict(sorted(counts.items()))


def _count_all(store: ox.Store) -> dict[str, int]:
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    return dict(sorted((row["g"].value, int(row["n"].value)) for row in store.query(query)))


class _TrackedStore:
    """The batch's ``ox.Store``: notes the graphs written through it (for incremental
    counts) and keeps its default graph the union of its named graphs (``union``).

    A quad without a graph name is written to ``union_graph.DEFAULT_DATA_GRAPH``. Writes
    whose graphs cannot be known cheaply (file loads, SPARQL updates, ``clear``) make the
    set of changed graphs unknown (None), which means "recount everything", and the union
    index stale (rebuilt when the batch is published). Blank-node graph names make the set
    unknown too, since a query cannot name them. Reads pass through, except that quads
    over all graphs leave the union index out.
    """

    def __init__(self, store: ox.Store, *, union_current: bool = True):
        self._store = store
        self._named_view = union_graph.UnionView(store)
        self.changed: set[str] | None = set()
        self.union = union_graph.UnionIndex(store, current=union_current)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def __iter__(self) -> Iterator[ox.Quad]:
        return self.quads_for_pattern(None, None, None, None)

    def __len__(self) -> int:
        return union_graph.named_quad_count(self._store)

    def __contains__(self, quad: object) -> bool:
        return (union_graph.named(quad) if isinstance(quad, ox.Quad) else quad) in self._store

    def quads_for_pattern(
        self, subject: Any, predicate: Any, obj: Any, graph_name: Any = None
    ) -> Iterator[ox.Quad]:
        return self._named_view.quads_for_pattern(subject, predicate, obj, graph_name)

    def finish_union(self) -> None:
        if self.union.finish():
            self.changed = None  # unnamed triples moved graph; the counts start afresh

    def _note(self, graph: object) -> None:
        if self.changed is None:
            return
        if isinstance(graph, ox.NamedNode):
            self.changed.add(graph.value)
        else:
            self.changed = None

    def _noting(self, quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
        for quad in quads:
            self._note(quad.graph_name)
            yield quad

    def add(self, quad: ox.Quad) -> None:
        self.extend((quad,))

    def remove(self, quad: ox.Quad) -> None:
        quad = union_graph.named(quad)
        self._note(quad.graph_name)
        self.union.removing(quad)
        self._store.remove(quad)

    def extend(self, quads: Iterable[ox.Quad]) -> None:
        self._store.extend(self.union.with_copies(self._noting(map(union_graph.named, quads))))

    def bulk_extend(self, quads: Iterable[ox.Quad]) -> None:
        self._store.bulk_extend(self.union.with_copies(self._noting(map(union_graph.named, quads))))

    def add_graph(self, graph: Any) -> None:
        graph = union_graph.named_graph(graph)
        self._note(graph)
        self._store.add_graph(graph)

    def clear_graph(self, graph: Any) -> None:
        graph = union_graph.named_graph(graph)
        self._note(graph)
        self.union.removing_graph(graph)
        self._store.clear_graph(graph)

    def remove_graph(self, graph: Any) -> None:
        graph = union_graph.named_graph(graph)
        self._note(graph)
        self.union.removing_graph(graph)
        self._store.remove_graph(graph)

    def load(
        self,
        input: Any = None,
        format: ox.RdfFormat | None = None,
        *,
        to_graph: Any = None,
        **kwargs: Any,
    ) -> None:
        """Like ``ox.Store.load``; with a named ``to_graph`` (where the file's triples
        without a graph name go) the quads are parsed and written one by one, so their
        graphs and union copies are known; otherwise natively."""
        if to_graph is None or isinstance(to_graph, ox.DefaultGraph):
            with self._unknown_extent():
                self._store.load(input, format, to_graph=to_graph, **kwargs)
            return
        quads = ox.parse(input, format, rename_blank_nodes=True, **kwargs)
        self.extend(
            ox.Quad(q.subject, q.predicate, q.object, to_graph)
            if isinstance(q.graph_name, ox.DefaultGraph)
            else q
            for q in quads
        )

    def bulk_load(self, *args: Any, **kwargs: Any) -> None:
        with self._unknown_extent():
            self._store.bulk_load(*args, **kwargs)

    def update(self, *args: Any, **kwargs: Any) -> None:
        with self._unknown_extent():
            self._store.update(*args, **kwargs)

    def clear(self) -> None:
        self.changed = None
        self.union.cleared()
        self._store.clear()

    @contextlib.contextmanager
    def _unknown_extent(self) -> Iterator[None]:
        """Around a native write that may touch any graph, the default one included: the
        union copy goes first, and what the write put into the default graph is moved to
        where triples without a graph name live (see UnionIndex)."""
        self.changed = None
        self.union.invalidate()
        try:
            yield
        finally:
            self.union.adopt_unnamed()


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
    fsync_path(path.parent)


def _fsync_new_files(root: Path, base: Path | None) -> None:
    """fsync what this batch created in the staging copy, and every folder of it.

    The copy is a RocksDB checkpoint of ``base``: its SST files are hard links to the
    base version's files (same inode), which RocksDB never modifies in place (SSTs are
    immutable; it writes new files and deletes old ones). The base version's files were
    made durable when it was published (by this same rule, back to a version whose
    every file was new and so fsynced), so a linked file has nothing unsynced; its new
    directory entry is made durable by the folder fsync below. Files with an inode the
    base does not have (new SSTs, MANIFEST, OPTIONS, WAL, CURRENT, the support index,
    meta.json) are fsynced. At 1M triples that skips nearly all the bytes.
    """
    durable = _inodes(base) if base is not None else set()
    for folder, _dirs, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            info = os.stat(path)
            if (info.st_dev, info.st_ino) in durable:
                continue
            fsync_path(path)
        fsync_path(folder)


def _inodes(root: Path) -> set[tuple[int, int]]:
    found = set()
    for folder, _dirs, files in os.walk(root):
        for name in files:
            with contextlib.suppress(FileNotFoundError):
                info = os.stat(os.path.join(folder, name))
                found.add((info.st_dev, info.st_ino))
    return found
