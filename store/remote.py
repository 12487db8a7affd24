"""A remote SPARQL 1.1 store as the backend: same interface as the embedded VersionedStore.

Diplograph can keep its graph in any SPARQL 1.1 server (Oxigraph server, Fuseki, GraphDB,
QLever for reading ...) instead of the embedded store, so that ingest and serving scale
past one machine. Reads go through the SPARQL 1.1 Protocol; a batch's writes are collected
in an overlay (reads inside the batch see them) and sent as ONE SPARQL Update request,
which Oxigraph and Fuseki apply atomically: the remote graph changes all at once or not
at all, like the embedded store.

Bookkeeping stays local, in the ``--store`` directory (a normal VersionedStore): the
inference support index and the version metadata. Every batch also writes the version
into the remote (``<…/dataset> dcterms:hasVersion "vNNNNNN"`` in the graph
``…/graph/meta``), so a writer notices when the remote and the local bookkeeping diverge
(another writer, or a crash between the remote update and the local publish) and rebuilds
the support index from the remote's article graphs before going on.

The remote must answer queries over the union of its graphs by default (Oxigraph:
``oxigraph serve --union-default-graph``; Fuseki: ``tdb2:unionDefaultGraph true``).
"""

from __future__ import annotations

import contextlib
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from diplograph.ontology.namespaces import BASE
from diplograph.store import union_graph
from diplograph.store.versioned import Batch, StoreError, VersionedStore

META_GRAPH = BASE + "graph/meta"
DATASET_IRI = BASE + "dataset"
HAS_VERSION = "http://purl.org/dc/terms/hasVersion"
RESULTS_JSON = "application/sparql-results+json"
#: How long a reader trusts the remote's version before asking again (seconds).
VERSION_CACHE_SECONDS = 1.0
#: Triples per INSERT DATA / DELETE DATA block of the update request.
UPDATE_CHUNK = 20_000


def is_remote(location: str | Path | None) -> bool:
    return isinstance(location, str) and location.startswith(("http://", "https://"))


class RemoteEndpoint:
    """A SPARQL 1.1 Protocol client: queries by POST, updates by POST, clear errors."""

    def __init__(self, query_url: str, update_url: str | None = None, timeout: float = 120.0):
        self.query_url = query_url
        self.update_url = update_url or _guess_update_url(query_url)
        self.timeout = timeout
        self.user_agent = f"Diplograph/{package_version('diplograph')} (remote backend)"

    def query(
        self, sparql: str, accept: str, params: Iterable[tuple[str, str]] = ()
    ) -> tuple[str, bytes]:
        """POST a query; returns (media type, body)."""
        url = self.query_url
        extra = urllib.parse.urlencode(list(params))
        if extra:
            url += ("&" if "?" in url else "?") + extra
        request = urllib.request.Request(
            url,
            data=sparql.encode("utf-8"),
            method="POST",
            headers={
                "Content-Type": "application/sparql-query; charset=utf-8",
                "Accept": accept,
                "User-Agent": self.user_agent,
            },
        )
        with self._open(request, "query") as response:
            media_type = response.headers.get_content_type()
            return media_type, response.read()

    def update(self, sparql: str) -> None:
        request = urllib.request.Request(
            self.update_url,
            data=sparql.encode("utf-8"),
            method="POST",
            headers={
                "Content-Type": "application/sparql-update; charset=utf-8",
                "User-Agent": self.user_agent,
            },
        )
        with self._open(request, "update"):
            pass

    @contextlib.contextmanager
    def _open(self, request: urllib.request.Request, what: str) -> Iterator[Any]:
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                yield response
        except urllib.error.HTTPError as error:
            detail = error.read(2000).decode("utf-8", "replace").strip()
            raise StoreError(
                f"the remote store refused the {what} ({error.code} {error.reason}"
                f" from {request.full_url}): {detail}"
            ) from None
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            reason = getattr(error, "reason", error)
            raise StoreError(
                f"cannot reach the remote store at {request.full_url}: {reason}"
            ) from None

    def select(self, sparql: str) -> list[dict[str, Any]]:
        """A SELECT query's solutions as dicts of pyoxigraph terms."""
        _, body = self.query(sparql, RESULTS_JSON)
        solutions = ox.parse_query_results(body, ox.QueryResultsFormat.JSON)
        names = [v.value for v in solutions.variables]
        return [{name: row[name] for name in names} for row in solutions]


class RemoteDataset:
    """The remote graph as a read-only, pyoxigraph-Store-like object (``query``, patterns)."""

    def __init__(self, endpoint: RemoteEndpoint):
        self.endpoint = endpoint

    def query(
        self,
        query: str,
        *,
        use_default_graph_as_union: bool = False,
        default_graph: list[ox.NamedNode] | None = None,
        named_graphs: list[ox.NamedNode] | None = None,
        base_iri: str | None = None,
        **_: Any,
    ) -> ox.QuerySolutions | ox.QueryBoolean | Iterator[ox.Triple]:
        """Like ``pyoxigraph.Store.query``; the union default graph is the remote's own."""
        params = [("default-graph-uri", g.value) for g in default_graph or []]
        params += [("named-graph-uri", g.value) for g in named_graphs or []]
        if base_iri:
            query = f"BASE <{base_iri}>\n{query}"
        accept = f"{RESULTS_JSON}, application/n-triples;q=0.9, text/turtle;q=0.8"
        media_type, body = self.endpoint.query(query, accept, params)
        if media_type in (RESULTS_JSON, "application/json"):
            return ox.parse_query_results(body, ox.QueryResultsFormat.JSON)
        rdf_format = ox.RdfFormat.from_media_type(media_type)
        if rdf_format is None:
            raise StoreError(f"the remote store answered with unexpected media type {media_type}")
        return iter(list(ox.parse(body, rdf_format)))

    def quads_for_pattern(
        self,
        subject: ox.NamedNode | ox.BlankNode | None,
        predicate: ox.NamedNode | None,
        obj: Any,
        graph: ox.NamedNode | None,
    ) -> Iterator[ox.Quad]:
        terms = {"s": subject, "p": predicate, "o": obj}
        pattern = " ".join(str(t) if t is not None else f"?{n}" for n, t in terms.items())
        where = f"GRAPH {graph if graph is not None else '?g'} {{ {pattern} }}"
        names = [n for n, t in terms.items() if t is None] + (["g"] if graph is None else [])
        query = f"SELECT {' '.join('?' + n for n in names) or '*'} WHERE {{ {where} }}"
        if not names:
            query = f"ASK {{ {where} }}"
            _, body = self.endpoint.query(query, RESULTS_JSON)
            if bool(ox.parse_query_results(body, ox.QueryResultsFormat.JSON)):
                yield ox.Quad(subject, predicate, obj, graph)
            return
        for row in self.endpoint.select(query):
            yield ox.Quad(
                subject or row["s"],
                predicate or row["p"],
                obj if obj is not None else row["o"],
                graph or row["g"],
            )

    def named_graphs(self) -> Iterator[ox.NamedNode]:
        for row in self.endpoint.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"):
            if isinstance(row["g"], ox.NamedNode):
                yield row["g"]

    def graph_counts(self) -> dict[str, int]:
        rows = self.endpoint.select(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        )
        return dict(sorted((r["g"].value, int(r["n"].value)) for r in rows))

    def version(self) -> str | None:
        rows = self.endpoint.select(
            f"SELECT ?v WHERE {{ GRAPH <{META_GRAPH}> {{ <{DATASET_IRI}> <{HAS_VERSION}> ?v }} }}"
        )
        return rows[0]["v"].value if rows else None

    def __iter__(self) -> Iterator[ox.Quad]:
        """Every quad of the named graphs (what `diplograph dump` writes)."""
        return self.quads_for_pattern(None, None, None, None)

    def __len__(self) -> int:
        rows = self.endpoint.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(rows[0]["n"].value)


class Overlay:
    """The remote dataset plus a batch's pending changes; reads see the changes.

    Fully bound lookups in one graph fetch (and cache) everything that graph says about
    the subject in one request, so checking a batch's inferred triples costs a request per
    entity, not per triple.
    """

    def __init__(self, remote: RemoteDataset):
        self.remote = remote
        self.dropped: set[str] = set()
        self.added: set[ox.Quad] = set()
        self.removed: set[ox.Quad] = set()
        self._subject_cache: dict[tuple[str, str], set[tuple[Any, Any]]] = {}

    def extend(self, quads: Iterable[ox.Quad]) -> None:
        for quad in quads:
            self.removed.discard(quad)
            self.added.add(quad)

    def remove(self, quad: ox.Quad) -> None:
        self.added.discard(quad)
        self.removed.add(quad)

    def remove_graph(self, graph: ox.NamedNode) -> None:
        self.dropped.add(graph.value)
        self.added = {q for q in self.added if q.graph_name != graph}
        self.removed = {q for q in self.removed if q.graph_name != graph}

    def named_graphs(self) -> Iterator[ox.NamedNode]:
        names = {g.value for g in self.remote.named_graphs()} - self.dropped
        names |= {q.graph_name.value for q in self.added if isinstance(q.graph_name, ox.NamedNode)}
        return iter(ox.NamedNode(n) for n in sorted(names))

    def quads_for_pattern(
        self, s: Any, p: Any, o: Any, g: ox.NamedNode | None
    ) -> Iterator[ox.Quad]:
        seen: set[ox.Quad] = set()
        for quad in self._remote_quads(s, p, o, g):
            if quad.graph_name.value in self.dropped or quad in self.removed:
                continue
            seen.add(quad)
            yield quad
        for quad in self.added:
            if quad not in seen and _matches(quad, s, p, o, g):
                yield quad

    def _remote_quads(self, s: Any, p: Any, o: Any, g: ox.NamedNode | None) -> Iterator[ox.Quad]:
        if g is not None and g.value in self.dropped:
            return iter(())
        if s is not None and p is not None and o is not None and g is not None:
            key = (g.value, str(s))
            if key not in self._subject_cache:
                self._subject_cache[key] = {
                    (q.predicate, q.object) for q in self.remote.quads_for_pattern(s, None, None, g)
                }
            hit = (p, o) in self._subject_cache[key]
            return iter([ox.Quad(s, p, o, g)] if hit else [])
        return self.remote.quads_for_pattern(s, p, o, g)

    def update_request(self) -> str:
        """One SPARQL Update request applying every pending change, in order."""
        parts = [f"DROP SILENT GRAPH <{g}>" for g in sorted(self.dropped)]
        parts += _data_blocks("DELETE DATA", self.removed)
        parts += _data_blocks("INSERT DATA", self.added)
        return " ;\n".join(parts)


class RemoteBatch:
    """What ``RemoteStore.writer()`` yields: the Batch interface the pipeline uses."""

    def __init__(self, overlay: Overlay, local: Batch):
        self.store = overlay
        self.support = local.support
        self.local = local
        self.base_version = local.base_version
        self.base_metadata = local.base_metadata
        self.metadata = local.metadata
        self.dump_writer = None  # the remote store serves its own dumps
        #: False: nothing to send, and no new version (see Batch.publish)
        self.publish = True

    @property
    def root(self) -> Path:
        """The local batch's folder, for scratch files that must go with the batch."""
        return self.local.root

    def replace_graph(self, graph: str, items: Iterable[ox.Quad] | Iterable[ox.Triple]) -> None:
        name = ox.NamedNode(graph)
        self.store.remove_graph(name)
        self.store.extend(ox.Quad(t.subject, t.predicate, t.object, name) for t in items)

    def add(self, quads: Iterable[ox.Quad]) -> None:
        self.store.extend(quads)

    def remove_graph(self, graph: str) -> None:
        self.store.remove_graph(ox.NamedNode(graph))


@dataclass(frozen=True)
class RemoteSnapshot:
    """A reader's view: the remote dataset, the remote's version, the local metadata."""

    store: RemoteDataset
    version: str
    path: str  # the query endpoint URL: query workers open it with open_dataset()
    published_at: datetime
    metadata: dict[str, Any]


class RemoteStore:
    """A remote SPARQL 1.1 store with local bookkeeping in a VersionedStore directory."""

    def __init__(self, endpoint: RemoteEndpoint, local: VersionedStore):
        self.endpoint = endpoint
        self.local = local
        self.path = local.path
        self._cached: tuple[float, RemoteSnapshot] | None = None

    @classmethod
    def open(
        cls,
        query_url: str,
        local: str | Path,
        *,
        update_url: str | None = None,
        create: bool = True,
    ) -> RemoteStore:
        return cls(RemoteEndpoint(query_url, update_url), VersionedStore.open(local, create=create))

    def current_version(self) -> str | None:
        return RemoteDataset(self.endpoint).version() or self.local.current_version()

    def reader(self) -> RemoteSnapshot:
        now = time.monotonic()
        if self._cached and now - self._cached[0] < VERSION_CACHE_SECONDS:
            return self._cached[1]
        dataset = RemoteDataset(self.endpoint)
        local = self.local.reader()
        remote_version = dataset.version() or "v000000"
        metadata = dict(local.metadata)
        metadata.pop(union_graph.METADATA_KEY, None)  # the remote's default graph is its own
        if remote_version != local.version:  # written by another client: ask the remote
            metadata["graphs"] = dataset.graph_counts()
            metadata["triples"] = sum(metadata["graphs"].values())
        snapshot = RemoteSnapshot(
            store=dataset,
            version=remote_version,
            path=self.endpoint.query_url,
            published_at=local.published_at,
            metadata=metadata,
        )
        self._cached = (now, snapshot)
        return snapshot

    def dumps_dir(self, version: str | None = None) -> Path:
        return self.local.dumps_dir(version)

    @contextlib.contextmanager
    def writer(self, *, wait_seconds: float = 0.0) -> Iterator[RemoteBatch]:
        """Collect a batch, send it as one SPARQL Update, then publish the bookkeeping."""
        dataset = RemoteDataset(self.endpoint)
        with self.local.writer(wait_seconds=wait_seconds) as local:
            remote_version = dataset.version()
            batch = RemoteBatch(Overlay(dataset), local)
            if remote_version not in (None, local.base_version):
                # The remote moved without us: the support index no longer matches it.
                from diplograph.ingest import inferred_graph

                inferred_graph.rebuild(batch)
            yield batch
            if not batch.publish:
                local.publish = False
                return
            new_version = _next_version(local.base_version)
            meta = ox.NamedNode(META_GRAPH)
            batch.store.remove_graph(meta)
            batch.store.extend(
                [
                    ox.Quad(
                        ox.NamedNode(DATASET_IRI),
                        ox.NamedNode(HAS_VERSION),
                        ox.Literal(new_version),
                        meta,
                    ),
                    ox.Quad(
                        ox.NamedNode(DATASET_IRI),
                        ox.NamedNode("http://purl.org/dc/terms/modified"),
                        ox.Literal(
                            datetime.now(UTC).replace(microsecond=0).isoformat(),
                            datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#dateTime"),
                        ),
                        meta,
                    ),
                ]
            )
            self.endpoint.update(batch.store.update_request())
            local.metadata["remote"] = {
                "query": self.endpoint.query_url,
                "update": self.endpoint.update_url,
            }
            local.metadata["remote_graphs"] = dataset.graph_counts()
        self._cached = None


def open_dataset(location: str) -> Any:
    """What a query worker evaluates against: a read-only Oxigraph directory or a remote."""
    if is_remote(location):
        return RemoteDataset(RemoteEndpoint(location))
    return ox.Store.read_only(location)


def _next_version(base: str | None) -> str:
    number = int(base[1:]) + 1 if base else 0
    return f"v{number:06d}"


def _guess_update_url(query_url: str) -> str:
    """Oxigraph serves /query and /update, Fuseki /ds/sparql (or /ds/query) and /ds/update."""
    parsed = urllib.parse.urlsplit(query_url)
    head, _, last = parsed.path.rpartition("/")
    if last in ("query", "sparql"):
        return urllib.parse.urlunsplit(parsed._replace(path=f"{head}/update", query=""))
    raise StoreError(
        f"cannot guess the update endpoint of {query_url}; give it with --backend-update"
    )


def _matches(quad: ox.Quad, s: Any, p: Any, o: Any, g: Any) -> bool:
    return (
        (s is None or quad.subject == s)
        and (p is None or quad.predicate == p)
        and (o is None or quad.object == o)
        and (g is None or quad.graph_name == g)
    )


def _data_blocks(operation: str, quads: set[ox.Quad]) -> list[str]:
    ordered = sorted(
        quads, key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object))
    )
    blocks = []
    for start in range(0, len(ordered), UPDATE_CHUNK):
        chunk = ordered[start : start + UPDATE_CHUNK]
        by_graph: dict[str, list[str]] = {}
        for q in chunk:
            by_graph.setdefault(str(q.graph_name), []).append(
                f"{q.subject} {q.predicate} {q.object} ."
            )
        body = " ".join(f"GRAPH {g} {{ {' '.join(lines)} }}" for g, lines in by_graph.items())
        blocks.append(f"{operation} {{ {body} }}")
    return blocks


__all__ = [
    "META_GRAPH",
    "Overlay",
    "RemoteBatch",
    "RemoteDataset",
    "RemoteEndpoint",
    "RemoteSnapshot",
    "RemoteStore",
    "is_remote",
    "open_dataset",
]
