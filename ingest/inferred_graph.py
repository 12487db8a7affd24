"""Keeping the inferred graph equal to the union of every article's inferences, incrementally.

The ontology's rules are local to one event (see ``ontology/README.md``), so the OWL RL
closure of all articles is the union of the per-article closures. The store's support
index keeps each article's inferred triples in a graph of its own; the inferred graph
users query is their union. Replacing an article swaps its support graph and retracts
only the triples no other article still supports: the cost of a change is the size of
that article's inferences, not of the store.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from functools import cache

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from diplograph.ontology import ONTOLOGY_PATH, ontology_graph, ontology_triples
from diplograph.ontology.namespaces import (
    ARTICLE_GRAPH_PREFIX,
    BASE,
    INFERRED_GRAPH,
    ONTOLOGY_GRAPH,
    WIKIDATA_ENTITY,
)
from diplograph.ontology.reasoning import infer
from diplograph.store import Batch
from diplograph.store.terms import oxigraph_triples, to_rdflib

_INFERRED = ox.NamedNode(INFERRED_GRAPH)


def ontology_digest() -> str:
    return hashlib.sha256(ONTOLOGY_PATH.read_bytes()).hexdigest()


def ensure_ontology(batch: Batch) -> bool:
    """Make the ontology graph the shipped ontology; True when it had to change."""
    digest = ontology_digest()
    if batch.base_metadata.get("ontology_sha256") == digest:
        return False
    batch.replace_graph(ONTOLOGY_GRAPH, oxigraph_triples(ontology_graph()))
    batch.metadata["ontology_sha256"] = digest
    return True


def update_article(batch: Batch, article_graph: str, new: set[ox.Triple]) -> tuple[int, int]:
    """Swap one article's inferences; returns (added to, removed from) the inferred graph."""
    support_graph = ox.NamedNode(article_graph)
    old = {
        ox.Triple(q.subject, q.predicate, q.object)
        for q in batch.support.quads_for_pattern(None, None, None, support_graph)
    }
    batch.support.remove_graph(support_graph)
    batch.support.extend(ox.Quad(t.subject, t.predicate, t.object, support_graph) for t in new)
    added = [t for t in new - old if not _holds(batch.store, t, _INFERRED)]
    batch.store.extend(ox.Quad(t.subject, t.predicate, t.object, _INFERRED) for t in added)
    removed = 0
    for t in old - new:
        if not _holds(batch.support, t, None):
            batch.store.remove(ox.Quad(t.subject, t.predicate, t.object, _INFERRED))
            removed += 1
    return len(added), removed


#: Articles reasoned over in one call of the reasoner by :func:`rebuild`. One call per
#: article spends most of its time on the ontology's own closure; 64 articles at once cut
#: a rebuild of 1M triples about fourfold while the joint graph stays small.
REBUILD_CHUNK = 64
#: Renamed data IRIs: ``APART + index + "/" + original IRI`` (see :func:`infer_apart`).
APART = "urn:x-diplograph-apart:"
_DATA_IRI_PREFIXES = (BASE + "id/", str(WIKIDATA_ENTITY))
Triple = tuple[Node, Node, Node]


def rebuild(
    batch: Batch,
    *,
    engine: str = "reasonable",
    progress: Callable[[int, int], None] | None = None,
    chunk: int = REBUILD_CHUNK,
    workers: int | None = None,
) -> int:
    """Recompute every article's inferences from scratch; returns the inferred graph's size.

    Articles are reasoned over ``chunk`` at a time (see :func:`infer_apart`), in ``workers``
    processes (default: one per core) when there is more than one chunk.
    """
    articles = sorted(
        g.value
        for g in batch.store.named_graphs()
        if isinstance(g, ox.NamedNode) and g.value.startswith(ARTICLE_GRAPH_PREFIX)
    )
    batch.store.remove_graph(_INFERRED)
    batch.support.clear()
    step = max(1, chunk)
    chunks = [articles[start : start + step] for start in range(0, len(articles), step)]
    workers = min(os.cpu_count() or 1 if workers is None else max(1, workers), len(chunks))
    union: set[ox.Triple] = set()
    done = 0
    for names, inferred in _inferred_chunks(batch.store, chunks, engine, workers):
        for name, triples in zip(names, inferred, strict=True):
            graph = ox.NamedNode(name)
            batch.support.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples)
            union |= triples
        done += len(names)
        if progress:
            progress(done, len(articles))
    batch.store.extend(ox.Quad(t.subject, t.predicate, t.object, _INFERRED) for t in union)
    return len(union)


def _inferred_chunks(
    store: ox.Store, chunks: list[list[str]], engine: str, workers: int
) -> Iterator[tuple[list[str], list[set[ox.Triple]]]]:
    """(article graph names, their inferred triples) per chunk, in any order.

    With several workers, chunks travel to the worker processes as N-Triples (serialised
    and parsed natively on both sides) and at most two per worker are in flight, so memory
    stays bounded by the chunk size, not the store.
    """
    if workers <= 1:
        for names in chunks:
            graphs = [
                [
                    (to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object))
                    for q in store.quads_for_pattern(None, None, None, ox.NamedNode(name))
                ]
                for name in names
            ]
            inferred = infer_apart(graphs, engine=engine)
            yield names, [set(oxigraph_triples(triples)) for triples in inferred]
        return
    context = multiprocessing.get_context("spawn")  # no inherited open stores or threads
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        pending: dict[Future[list[bytes]], list[str]] = {}
        queue = iter(chunks)
        while True:
            while len(pending) < 2 * workers:
                names = next(queue, None)
                if names is None:
                    break
                blobs = [
                    ox.serialize(
                        store.quads_for_pattern(None, None, None, ox.NamedNode(name)),
                        format=ox.RdfFormat.N_QUADS,
                    )
                    for name in names
                ]
                pending[pool.submit(_infer_serialised, blobs, engine)] = names
            if not pending:
                return
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                names = pending.pop(future)
                yield names, [_parse_triples(blob) for blob in future.result()]


def _infer_serialised(blobs: list[bytes], engine: str) -> list[bytes]:
    """Worker side of :func:`_inferred_chunks`: N-Quads of articles in, N-Triples out."""
    graphs = [
        [
            (to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object))
            for q in ox.parse(blob, format=ox.RdfFormat.N_QUADS)
        ]
        for blob in blobs
    ]
    return [
        ox.serialize(oxigraph_triples(triples), format=ox.RdfFormat.N_TRIPLES)
        for triples in infer_apart(graphs, engine=engine)
    ]


def _parse_triples(blob: bytes) -> set[ox.Triple]:
    return {
        ox.Triple(q.subject, q.predicate, q.object)
        for q in ox.parse(blob, format=ox.RdfFormat.N_TRIPLES)
    }


def infer_apart(
    graphs: Sequence[Iterable[Triple]], *, engine: str = "reasonable"
) -> list[set[Triple]]:
    """``[set(infer(g)) for g in graphs]`` with one reasoner call for all of them.

    Each graph's data nodes (the IRIs the mapping mints, Wikidata IRIs, blank nodes) are
    renamed apart, so the graphs share only ontology and vocabulary terms and the joint
    closure is the disjoint union of their closures; every inferred triple then goes back
    to the one graph whose renamed nodes it holds. Should a triple hold no renamed node
    or the nodes of two graphs (an ontology whose rules join across events), the renaming
    proves nothing and the graphs are reasoned over one by one instead.
    """
    if len(graphs) < 2:
        return [set(infer(_graph(g), engine=engine)) for g in graphs]
    schema = _schema_nodes()
    joint = Graph()
    add = joint.add
    for index, graph in enumerate(graphs):
        for s, p, o in graph:
            add((_apart(s, index, schema), p, _apart(o, index, schema)))
    results: list[set[Triple]] = [set() for _ in graphs]
    try:
        inferred = infer(joint, engine=engine)
    except ValueError:
        # e.g. an inconsistency: raise it from the article that has it, in its own terms
        return [set(infer(_graph(g), engine=engine)) for g in graphs]
    for s, p, o in inferred:
        owners: set[int] = set()
        restored = (_back(s, owners), p, _back(o, owners))
        if len(owners) != 1:
            return [set(infer(_graph(g), engine=engine)) for g in graphs]
        results[owners.pop()].add(restored)
    return results


def _graph(triples: Iterable[Triple]) -> Graph:
    if isinstance(triples, Graph):
        return triples
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    return graph


def _apart(term: Node, index: int, schema: frozenset[Node]) -> Node:
    if isinstance(term, BNode):
        return BNode(f"apart{index}x{term}")
    if isinstance(term, URIRef) and term not in schema and str(term).startswith(_DATA_IRI_PREFIXES):
        return URIRef(f"{APART}{index}/{term}")
    return term


def _back(term: Node, owners: set[int]) -> Node:
    if isinstance(term, URIRef) and str(term).startswith(APART):
        index, _, original = term[len(APART) :].partition("/")
        owners.add(int(index))
        return URIRef(original)
    if isinstance(term, BNode) and str(term).startswith("apart"):
        index, _, original = term[len("apart") :].partition("x")
        owners.add(int(index))
        return BNode(original)
    return term


@cache
def _schema_nodes() -> frozenset[Node]:
    """IRIs and blank nodes of the ontology: shared by every article, never renamed."""
    return frozenset(
        node for triple in ontology_triples() for node in triple if not isinstance(node, Literal)
    )


def _holds(store: ox.Store, t: ox.Triple, graph: ox.NamedNode | None) -> bool:
    return any(True for _ in store.quads_for_pattern(t.subject, t.predicate, t.object, graph))
