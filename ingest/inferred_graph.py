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
from collections.abc import Callable

import pyoxigraph as ox

from diplograph.ontology import ONTOLOGY_PATH, ontology_graph
from diplograph.ontology.namespaces import ARTICLE_GRAPH_PREFIX, INFERRED_GRAPH, ONTOLOGY_GRAPH
from diplograph.ontology.reasoning import infer
from diplograph.store import Batch
from diplograph.store.terms import oxigraph_triples, rdflib_graph

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


def rebuild(
    batch: Batch, *, engine: str = "reasonable", progress: Callable[[int, int], None] | None = None
) -> int:
    """Recompute every article's inferences from scratch; returns the inferred graph's size."""
    articles = sorted(
        g.value
        for g in batch.store.named_graphs()
        if isinstance(g, ox.NamedNode) and g.value.startswith(ARTICLE_GRAPH_PREFIX)
    )
    batch.store.remove_graph(_INFERRED)
    batch.support.clear()
    union: set[ox.Triple] = set()
    for done, name in enumerate(articles, start=1):
        quads = batch.store.quads_for_pattern(None, None, None, ox.NamedNode(name))
        triples = set(oxigraph_triples(infer(rdflib_graph(quads), engine=engine)))
        batch.support.extend(
            ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(name)) for t in triples
        )
        union |= triples
        if progress:
            progress(done, len(articles))
    batch.store.extend(ox.Quad(t.subject, t.predicate, t.object, _INFERRED) for t in union)
    return len(union)


def _holds(store: ox.Store, t: ox.Triple, graph: ox.NamedNode | None) -> bool:
    return any(True for _ in store.quads_for_pattern(t.subject, t.predicate, t.object, graph))
