"""Downloadable dumps of one store version: gzip files plus a manifest with counts and hashes.

Users load these into their own triple store, so each file states its triple count, size
and SHA-256. Everything heavy is native or releases the GIL, so the two cores overlap:

* serialisation is pyoxigraph's (Rust, GIL released while it runs);
* compression, hashing and writing run in a separate thread per file (:class:`_GzipSink`:
  zlib, hashlib and file writes release the GIL), so they overlap with serialisation;
* ``all.nq.gz`` is serialised graph by graph on a small thread pool (N-Triples per graph,
  the graph name appended to every line; the large inferred graph starts first, spooled
  to a file), and counted by its lines;
* ``asserted.ttl.gz`` merges the article graphs without duplicates with native queries on
  disjoint parts, one per thread (no Python object per triple), written as N-Triples
  (valid Turtle) and counted by its lines;
* the files of one version are written concurrently, and a single-graph dump whose graph
  did not change since the previous dumps (the ontology, usually) is hard-linked from them.

At 1M triples the parallel writers use about 1.1x the CPU of one thread writing each file,
and about half its wall time when the second core is free (``bench/dumps.py``).
"""

from __future__ import annotations

import hashlib
import json
import os
import queue
import threading
import zlib
from collections import deque
from collections.abc import Callable, Collection, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from diplograph.ontology.namespaces import DG, INFERRED_GRAPH, ONTOLOGY_GRAPH
from diplograph.store.durability import fsync_path
from diplograph.store.union_graph import has_unnamed_triples

MANIFEST = "manifest.json"
#: gzip level: 1 is 3-4x faster than 6 on N-Quads for ~10 % larger files; dumps are
#: regenerated after every ingest, so speed wins.
GZIP_LEVEL = 1
#: Threads that serialise graphs of all.nq.gz (and dump files written at once).
WORKERS = max(1, min(2, os.cpu_count() or 1))
#: Serialised graphs are handed to the compressor in pieces of about this size.
PIECE_BYTES = 4 << 20

PREFIXES: dict[str, str] = {
    "dg": str(DG),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "schema": "https://schema.org/",
    "sem": "http://semanticweb.cs.vu.nl/2009/11/sem/",
    "dcterms": "http://purl.org/dc/terms/",
    "wd": "http://www.wikidata.org/entity/",
}


@dataclass(frozen=True)
class DumpSpec:
    name: str
    description: str
    media_type: str
    #: The one graph the file holds (None: it depends on every graph).
    graph: str | None = None


DUMPS: tuple[DumpSpec, ...] = (
    DumpSpec(
        "asserted.ttl.gz",
        "Asserted facts: every article graph (and data loaded as-is), merged, Turtle",
        "text/turtle",
    ),
    DumpSpec(
        "inferred.ttl.gz",
        "Triples inferred by OWL RL reasoning (the inferred graph), Turtle",
        "text/turtle",
        INFERRED_GRAPH,
    ),
    DumpSpec(
        "ontology.ttl.gz",
        "The Diplograph ontology, Turtle",
        "text/turtle",
        ONTOLOGY_GRAPH,
    ),
    DumpSpec(
        "all.nq.gz",
        "Everything, with named graphs, N-Quads",
        "application/n-quads",
    ),
)


@dataclass(frozen=True)
class Reuse:
    """Dumps of an earlier version, and the graphs changed since (None: unknown)."""

    folder: Path
    changed_graphs: Collection[str] | None


def write_dumps(
    store: ox.Store,
    folder: Path,
    *,
    reuse: Reuse | None = None,
    header: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """Write every dump of ``store`` into ``folder``, the manifest last; return its entries.

    ``header`` goes into the manifest beside the file list (the data version it shows).
    Unchanged single-graph dumps are linked from ``reuse`` instead of being rewritten.
    """
    folder.mkdir(parents=True, exist_ok=True)
    previous = {e["name"]: e for e in read_manifest(reuse.folder)} if reuse else {}
    with ThreadPoolExecutor(WORKERS, thread_name_prefix="dump") as pool:
        futures = [
            pool.submit(_write_or_reuse, store, folder, spec, reuse, previous.get(spec.name))
            for spec in DUMPS
        ]
        entries = [future.result() for future in futures]
    if header and "version" in header:  # each file says which data version it holds
        entries = [{**entry, "version": header["version"]} for entry in entries]
    _write_file(folder / MANIFEST, json.dumps({**(header or {}), "files": entries}, indent=1))
    fsync_path(folder)
    return entries


def _write_or_reuse(
    store: ox.Store,
    folder: Path,
    spec: DumpSpec,
    reuse: Reuse | None,
    previous: dict[str, Any] | None,
) -> dict[str, Any]:
    if (
        reuse is not None
        and previous is not None
        and spec.graph is not None
        and reuse.changed_graphs is not None
        and spec.graph not in reuse.changed_graphs
    ):
        try:
            os.link(reuse.folder / spec.name, folder / spec.name)  # immutable: share the file
            return previous
        except OSError:
            pass  # gone or on another file system: write it again
    return write_dump(store, folder, spec)


def write_dump(store: ox.Store, folder: Path, spec: DumpSpec) -> dict[str, Any]:
    """Write one dump file into ``folder``; returns its manifest entry (no manifest written)."""
    with _GzipSink(folder / spec.name) as sink:
        count = _WRITERS[spec.name](store, spec, sink)
    return {
        "name": spec.name,
        "description": spec.description,
        "media_type": spec.media_type,
        "encoding": "gzip",
        "triples": count if count is not None else sink.lines,
        "bytes": sink.size,
        "sha256": sink.hexdigest,
    }


def _write_graph(store: ox.Store, spec: DumpSpec, sink: _GzipSink) -> int:
    """One whole graph as Turtle, natively; counted by a native COUNT."""
    assert spec.graph is not None
    store.dump(
        sink, format=ox.RdfFormat.TURTLE, from_graph=ox.NamedNode(spec.graph), prefixes=PREFIXES
    )
    rows = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{spec.graph}> {{ ?s ?p ?o }} }}")
    return int(next(iter(rows))["n"].value)


_ASSERTED_PART = """
    CONSTRUCT { ?s ?p ?o } WHERE {
      SELECT DISTINCT ?s ?p ?o WHERE { { ?s ?p ?o } %s }
    }"""


def _write_asserted(store: ox.Store, spec: DumpSpec, sink: _GzipSink) -> None:
    """Every graph but the ontology and the inferred one, and the default graph, merged and
    deduplicated (the same entity label is asserted by every article that names the entity).

    The graphs are split into ``WORKERS`` parts, each written natively by its own query on
    its own thread: part *i* is the distinct triples of its graphs (as the default graph)
    minus those of the parts before it (as named graphs; MINUS is a hash anti-join), so
    the parts are disjoint and together are the merge. They are written as N-Triples, the
    line-per-triple subset of Turtle (pyoxigraph writes query results without prefixes
    anyway), so the file is counted exactly by its lines.
    """
    excluded = {ONTOLOGY_GRAPH, INFERRED_GRAPH}
    graphs: list[Any] = [g for g in store.named_graphs() if g.value not in excluded]
    size = -(-len(graphs) // WORKERS) or 1
    parts = [graphs[i : i + size] for i in range(0, len(graphs), size)]
    # A store from before the union index keeps triples loaded without a graph
    # (`diplograph load data.nt`) in its default graph: asserted data too. The default
    # graph can only be a default graph, never a named one for MINUS, so it joins the last
    # part, which no later part subtracts. (Since the index, they are in a named graph.)
    if has_unnamed_triples(store):
        if parts:
            parts[-1] = [*parts[-1], ox.DefaultGraph()]
        else:
            parts = [[ox.DefaultGraph()]]
    if not parts:
        return

    def part(index: int, output: Any) -> None:
        before = [g for earlier in parts[:index] for g in earlier]
        minus = "MINUS { GRAPH ?h { ?s ?p ?o } }" if before else ""
        results = store.query(
            _ASSERTED_PART % minus, default_graph=parts[index], named_graphs=before or None
        )
        results.serialize(output, format=ox.RdfFormat.N_TRIPLES)

    # The first part streams into the file; the others go to temporary files meanwhile
    # (natively, not held in memory) and are appended after it.
    spools = [sink.path.with_name(f".{sink.path.name}.part{i}") for i in range(1, len(parts))]
    try:
        with ThreadPoolExecutor(max(1, len(spools)), thread_name_prefix="dump-asserted") as pool:
            pending = [pool.submit(part, i, str(path)) for i, path in enumerate(spools, start=1)]
            part(0, sink)
            for future, path in zip(pending, spools, strict=True):
                future.result()
                with open(path, "rb") as spooled:
                    while chunk := spooled.read(PIECE_BYTES):
                        sink.write(chunk)
    finally:
        for path in spools:
            path.unlink(missing_ok=True)


def _write_all(store: ox.Store, spec: DumpSpec, sink: _GzipSink) -> None:
    """The whole dataset as N-Quads, graph by graph on ``WORKERS`` threads.

    pyoxigraph dumps one graph as N-Triples natively; each line becomes a quad by
    appending the graph name before its final `` .``. That is exact: oxigraph writes one
    statement per line ending in `` .\\n`` and escapes line breaks inside literals, so
    ``" .\\n"`` occurs only at line ends (checked per piece). Counted by lines.

    The inferred graph holds about a third of all quads, so it is dumped first, on a thread
    of its own, into a spool file that is appended last: started in file order it kept one
    thread busy alone while the other waited for it (1M triples: 5.0 s; now 4.3 s).
    """
    if has_unnamed_triples(store):  # a store from before the union index (union_graph.py)
        sink.write(store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()))
    graphs = list(store.named_graphs())
    large = [g for g in graphs if g.value == INFERRED_GRAPH]
    spools = [sink.path.with_name(f".{sink.path.name}.graph{i}") for i in range(len(large))]
    pending: list[bytes] = []
    size = 0
    try:
        with ThreadPoolExecutor(WORKERS, thread_name_prefix="dump-nq") as pool:
            spooled = [
                pool.submit(store.dump, str(path), format=ox.RdfFormat.N_TRIPLES, from_graph=g)
                for g, path in zip(large, spools, strict=True)
            ]
            # A bounded window of graphs in flight, so memory stays small if writing lags.
            window: deque[Future[bytes]] = deque()
            for graph in graphs:
                if graph in large:
                    continue
                window.append(pool.submit(_graph_as_nquads, store, graph))
                if len(window) >= 8 * WORKERS:
                    data = window.popleft().result()
                    pending.append(data)
                    size += len(data)
                    if size >= PIECE_BYTES:
                        sink.write(b"".join(pending))
                        pending, size = [], 0
            pending.extend(future.result() for future in window)
            sink.write(b"".join(pending))
            for future in spooled:
                future.result()
        for graph, path in zip(large, spools, strict=True):
            _append_spooled_graph(store, graph, path, sink)
    finally:
        for path in spools:
            path.unlink(missing_ok=True)


def _graph_as_nquads(store: ox.Store, graph: ox.NamedNode | ox.BlankNode) -> bytes:
    data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph)
    if not _one_statement_per_line(data):  # never seen; stay exact if it happens
        return _exact_nquads(store, graph)
    return _as_quads(data, graph)


def _append_spooled_graph(
    store: ox.Store, graph: ox.NamedNode | ox.BlankNode, path: Path, sink: _GzipSink
) -> None:
    """Append a graph spooled as N-Triples, as quads, piece by piece (whole lines each)."""
    if not all(_one_statement_per_line(piece) for piece in _line_pieces(path)):
        sink.write(_exact_nquads(store, graph))
        return
    for piece in _line_pieces(path):
        sink.write(_as_quads(piece, graph))


def _line_pieces(path: Path) -> Iterator[bytes]:
    """The file in pieces of about PIECE_BYTES, each ending at a line end."""
    with open(path, "rb") as handle:
        rest = b""
        while chunk := handle.read(PIECE_BYTES):
            chunk = rest + chunk
            cut = chunk.rfind(b"\n") + 1
            rest = chunk[cut:]
            if cut:
                yield chunk[:cut]
        if rest:
            yield rest


def _one_statement_per_line(data: bytes) -> bool:
    return data.count(b" .\n") == data.count(b"\n")


def _as_quads(ntriples: bytes, graph: ox.NamedNode | ox.BlankNode) -> bytes:
    return ntriples.replace(b" .\n", b" " + str(graph).encode() + b" .\n")


def _exact_nquads(store: ox.Store, graph: ox.NamedNode | ox.BlankNode) -> bytes:
    """The slow, always exact path (a Python object per quad)."""
    quads = store.quads_for_pattern(None, None, None, graph)
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS)


_WRITERS: dict[str, Callable[[ox.Store, DumpSpec, _GzipSink], int | None]] = {
    "asserted.ttl.gz": _write_asserted,
    "inferred.ttl.gz": _write_graph,
    "ontology.ttl.gz": _write_graph,
    "all.nq.gz": _write_all,
}


def read_manifest(folder: Path | None) -> list[dict[str, Any]]:
    """The manifest entries of a dumps folder; [] when there is none or it is unreadable."""
    return manifest_files(read_manifest_document(folder))


def manifest_files(document: dict[str, Any]) -> list[dict[str, Any]]:
    """The well-formed file entries of a manifest read by :func:`read_manifest_document`."""
    files = document.get("files", [])
    return [f for f in files if isinstance(f, dict) and isinstance(f.get("name"), str)]


def read_manifest_document(folder: Path | None) -> dict[str, Any]:
    """The whole manifest (``version``, ``published_at``, ``files``); {} if unreadable."""
    if folder is None:
        return {}
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or not isinstance(data.get("files", []), list):
        return {}
    return data


class _GzipSink:
    """A binary writer that gzips, hashes, counts lines and writes in a background thread.

    ``write`` only queues the data (bounded, so memory stays small); zlib, hashlib and
    file writes release the GIL, so compression runs on the other core while pyoxigraph
    serialises. The file is fsynced on close. Deterministic output: no name, mtime 0.
    """

    def __init__(self, path: Path):
        self.path = path
        self._handle = open(path, "wb")  # noqa: SIM115 - closed by the thread
        self._queue: queue.Queue[bytes | None] = queue.Queue(maxsize=8)
        self._hash = hashlib.sha256()
        self._error: BaseException | None = None
        self.size = 0
        self.lines = 0
        self.hexdigest = ""
        self._thread = threading.Thread(target=self._run, name=f"gzip-{path.name}", daemon=True)
        self._thread.start()

    def write(self, data: bytes | bytearray | memoryview) -> int:
        if self._error is not None:
            raise OSError(f"writing the dump failed: {self._error}") from self._error
        if data:
            self._queue.put(bytes(data))
        return len(data)

    def flush(self) -> None:
        """Data is flushed on close; pyoxigraph calls this after serialising."""

    def _run(self) -> None:
        compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        try:
            while (data := self._queue.get()) is not None:
                self.lines += data.count(b"\n")
                self._emit(compressor.compress(data))
            self._emit(compressor.flush())
            self._handle.flush()
            os.fsync(self._handle.fileno())
        except BaseException as error:  # reported to the writer; keep draining the queue
            self._error = error
            while self._queue.get() is not None:
                pass
        finally:
            self._handle.close()

    def _emit(self, data: bytes) -> None:
        if data:
            self._hash.update(data)
            self.size += len(data)
            self._handle.write(data)

    def __enter__(self) -> _GzipSink:
        return self

    def __exit__(self, *exc: object) -> None:
        self._queue.put(None)
        self._thread.join()
        if self._error is not None and exc[0] is None:
            raise OSError(f"writing the dump failed: {self._error}") from self._error
        self.hexdigest = self._hash.hexdigest()


def _write_file(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text + "\n")
        handle.flush()
        os.fsync(handle.fileno())
