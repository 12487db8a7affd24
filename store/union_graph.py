"""The default graph as the set-union of the named graphs, kept in the store itself.

Queries without ``FROM`` see the union of all graphs. pyoxigraph's union flag
(``use_default_graph_as_union``) makes that union a *bag*: a triple held by 248 article
graphs (an entity's label, which every article naming the entity repeats) comes back 248
times, so ``SELECT ?l { <Q881> rdfs:label ?l }`` has 248 rows, ``COUNT(*)`` counts copies
and every join through an entity multiplies. SPARQL's default graph is an RDF graph, a
set. So each published version keeps that set in its default graph, as an index: every
write to a named graph also writes the triple there, and a triple leaves it when the last
named graph holding it lets it go. Queries then read the default graph itself, which is
also faster than the union flag (fewer index entries per pattern).

That index is invisible otherwise: dumps, ``GRAPH ?g`` and quad iteration see the named
graphs only. Triples that come without a graph name (``diplograph load data.nt``) are kept
in the named graph :data:`DEFAULT_DATA_GRAPH`, so that the default graph holds nothing but
the union. Versions published before this index existed have no :data:`METADATA_KEY` and
are read with the union flag, as before; the next write builds their index.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, cast

import pyoxigraph as ox

from diplograph.ontology.namespaces import BASE

#: Where triples without a graph name are kept (the RDF default graph of a loaded file).
DEFAULT_DATA_GRAPH = BASE + "graph/default"
#: meta.json key (and value) of a version whose default graph is the materialised union.
METADATA_KEY = "default_graph"
METADATA_VALUE = "union"

_DEFAULT = ox.DefaultGraph()
_DATA = ox.NamedNode(DEFAULT_DATA_GRAPH)


def materialized(metadata: Mapping[str, Any] | None) -> bool:
    """Whether a version (by its metadata) keeps the union in its default graph."""
    return metadata is not None and metadata.get(METADATA_KEY) == METADATA_VALUE


def named(quad: ox.Quad) -> ox.Quad:
    """``quad``, moved into :data:`DEFAULT_DATA_GRAPH` if it has no graph name."""
    if type(quad.graph_name) is ox.DefaultGraph:
        return ox.Quad(quad.subject, quad.predicate, quad.object, _DATA)
    return quad


def named_graph(graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph | None) -> Any:
    """``graph``, or :data:`DEFAULT_DATA_GRAPH` for the default graph (or None)."""
    return _DATA if graph is None or type(graph) is ox.DefaultGraph else graph


def _named_quads(quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
    return (q for q in quads if type(q.graph_name) is not ox.DefaultGraph)


class UnionIndex:
    """Keeps a writable store's default graph equal to the set-union of its named graphs.

    Additions are written through at once (adding a triple to a set is idempotent).
    Removals are collected and settled in :meth:`finish`, because whether a triple stays
    depends on the other graphs at the end of the batch. Writes of unknown extent (a file
    load, a SPARQL update) make the index *stale*: its copy is dropped before the write
    and the triples the write put into the default graph are moved into
    :data:`DEFAULT_DATA_GRAPH` right after it (:meth:`adopt_unnamed`), so that every later
    write of the batch finds them where they live; :meth:`finish` then rebuilds the union
    from every named graph (1M triples: about 10 s). A store without the index (written by
    an older release, whose default graph holds triples of its own) starts stale, with
    those triples moved at once.

    Between writes the default graph therefore holds nothing but the union copy (or,
    while stale, nothing).
    """

    def __init__(self, store: ox.Store, *, current: bool):
        self._store = store
        self.stale = not current
        #: the named quads removed by the batch (their triples may leave the union)
        self._gone: set[ox.Quad] = set()
        if self.stale:
            self.adopt_unnamed()

    def with_copies(self, quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
        """The quads to write for ``quads``: each one named, then its union copy."""
        for quad in quads:
            quad = named(quad)
            yield quad
            if not self.stale:
                yield ox.Quad(quad.subject, quad.predicate, quad.object)

    def removing(self, quad: ox.Quad) -> None:
        """Note that ``quad`` (already named) is being removed from its graph."""
        if not self.stale:
            self._gone.add(quad)

    def removing_graph(self, graph: ox.NamedNode | ox.BlankNode) -> None:
        """Note that every triple of ``graph`` is being removed from it."""
        if not self.stale:
            self._gone.update(self._store.quads_for_pattern(None, None, None, graph))

    def invalidate(self) -> None:
        """Before a write of unknown extent: drop the copy; :meth:`finish` rebuilds it."""
        if not self.stale:
            self._store.clear_graph(_DEFAULT)
            self.stale = True
        self._gone.clear()

    def adopt_unnamed(self) -> bool:
        """Move what the default graph holds (a stale index holds no copy) into
        :data:`DEFAULT_DATA_GRAPH`; whether there was anything to move."""
        assert self.stale, "the default graph holds the union copy"
        unnamed = list(self._store.quads_for_pattern(None, None, None, _DEFAULT))
        if unnamed:
            self._store.extend(named(q) for q in unnamed)
            self._store.clear_graph(_DEFAULT)
        return bool(unnamed)

    def cleared(self) -> None:
        """The whole store was cleared: nothing is left to settle."""
        self._gone.clear()

    def finish(self) -> bool:
        """Settle the batch's removals, or rebuild a stale index; True if it was rebuilt."""
        store = self._store
        if not self.stale:
            for quad in self._gone:
                if quad in store:
                    continue  # written back into its graph (a replaced article, a rebuild)
                held = store.quads_for_pattern(quad.subject, quad.predicate, quad.object)
                if not any(True for _ in _named_quads(held)):
                    store.remove(ox.Quad(quad.subject, quad.predicate, quad.object))
            self._gone.clear()
            return False
        self.adopt_unnamed()  # nothing left by now, unless a write bypassed the batch
        store.bulk_extend(
            ox.Quad(q.subject, q.predicate, q.object)
            for q in _named_quads(store.quads_for_pattern(None, None, None, None))
        )
        self.stale = False
        return True


class UnionView:
    """A published version whose default graph is the materialised union, read as if it
    were a plain store of named graphs queried with the union as default graph.

    ``query`` drops pyoxigraph's union flag (the default graph already is the union, and
    the flag would add every named graph to it again); quad iteration over all graphs
    leaves the index out. Everything else is the wrapped store's.
    """

    def __init__(self, store: ox.Store):
        self._store = store

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def query(self, query: str, *, use_default_graph_as_union: bool = False, **kwargs: Any) -> Any:
        return self._store.query(query, **kwargs)

    def quads_for_pattern(
        self, subject: Any, predicate: Any, obj: Any, graph_name: Any = None
    ) -> Iterator[ox.Quad]:
        quads = self._store.quads_for_pattern(subject, predicate, obj, graph_name)
        return quads if graph_name is not None else _named_quads(quads)

    def __iter__(self) -> Iterator[ox.Quad]:
        return self.quads_for_pattern(None, None, None, None)

    def __len__(self) -> int:
        return named_quad_count(self._store)

    def __contains__(self, quad: object) -> bool:
        return quad in self._store  # a quad of the default graph: a triple of the union

    def dump(
        self, output: Any = None, format: Any = None, *, from_graph: Any = None, **kw: Any
    ) -> Any:
        """Like ``ox.Store.dump``; the whole dataset without the index."""
        if from_graph is not None:
            return self._store.dump(output, format, from_graph=from_graph, **kw)
        return ox.serialize(iter(self), output, format, **kw)


def named_quad_count(store: ox.Store) -> int:
    """How many quads the named graphs hold (what ``len`` of a plain store would say)."""
    rows = store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    return int(next(iter(rows))["n"].value)


def reader(store: ox.Store, metadata: Mapping[str, Any] | None) -> ox.Store:
    """What readers of a version get: the view for a materialised version, else the store."""
    return cast(ox.Store, UnionView(store)) if materialized(metadata) else store


def has_unnamed_triples(store: Any) -> bool:
    """Whether ``store`` holds triples of its own in its default graph (not the union
    index): only stores written before the index existed, or plain Oxigraph directories."""
    if isinstance(store, UnionView):
        return False
    return any(True for _ in store.quads_for_pattern(None, None, None, _DEFAULT))
