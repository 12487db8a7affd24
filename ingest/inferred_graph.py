"""Keeping the inferred graph equal to the union of every article's inferences, incrementally.

The ontology's rules are local to one event (see ``ontology/README.md``), so the OWL RL
closure of all articles is the union of the per-article closures. The store's support
index keeps each article's inferred triples in a graph of its own; the inferred graph
users query is their union. Replacing an article swaps its support graph and retracts
only the triples no other article still supports: the cost of a change is the size of
that article's inferences, not of the store.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import multiprocessing
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from itertools import chain
from typing import Any

import pyoxigraph as ox
from rdflib.term import Node

from diplograph.ingest.worker_lifetime import process_pool
from diplograph.ontology import ONTOLOGY_PATH, ontology_graph
from diplograph.ontology.namespaces import (
    ARTICLE_GRAPH_PREFIX,
    BASE,
    INFERRED_GRAPH,
    ONTOLOGY_GRAPH,
    WIKIDATA_ENTITY,
)
from diplograph.ontology.reasoning import infer_terms, ontology_nodes
from diplograph.ontology.reasoning_terms import (
    BLANK,
    Literal,
    Memo,
    Term,
    Triple,
    from_oxigraph,
    to_ntriples,
    triples_from_rdflib,
    triples_to_rdflib,
)
from diplograph.store import Batch
from diplograph.store.terms import oxigraph_triples

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
#: a rebuild of 1M triples about fourfold while the joint graph stays small (256 at once
#: were no faster per article).
REBUILD_CHUNK = 64
#: Renamed data IRIs: ``APART + index + "/" + original IRI`` (see :func:`infer_apart_terms`).
APART = "urn:x-diplograph-apart:"
_APART_BLANK = BLANK + "apart"
_DATA_IRI_PREFIXES = (BASE + "id/", str(WIKIDATA_ENTITY))
RdflibTriple = tuple[Node, Node, Node]


def rebuild(
    batch: Batch,
    *,
    engine: str = "reasonable",
    progress: Callable[[int, int], None] | None = None,
    chunk: int = REBUILD_CHUNK,
    workers: int | None = None,
) -> int:
    """Recompute every article's inferences from scratch; returns the inferred graph's size.

    Articles are reasoned over ``chunk`` at a time (see :func:`infer_apart_terms`), in ``workers``
    processes (default: one per core) when there is more than one chunk. Each chunk goes
    out as N-Quads and comes back as N-Quads (its support graphs) plus N-Triples (the union
    of its inferences), all parsed and serialised natively; the union over chunks is kept
    as a set of N-Triples lines and the support graphs are spooled to a temporary file,
    then each store gets one bulk insert (see :func:`_add_all`). So this process, which
    also reads and writes the stores, does almost no per-triple Python work.
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
    union: set[bytes] = set()
    done = 0
    # In the batch's own folder: if the process dies, the next writer removes the folder
    # with the spool in it (a spool in /tmp outlived killed rebuilds: 45 MB each at 1M).
    with tempfile.NamedTemporaryFile(
        prefix="support-spool-", suffix=".nq", dir=batch.root
    ) as spool:
        for names, support, inferred in _inferred_chunks(batch.store, chunks, engine, workers):
            spool.write(support)
            union.update(inferred.splitlines())
            done += len(names)
            if progress:
                progress(done, len(articles))
        spool.flush()
        _add_all(
            batch.support, ox.parse(path=spool.name, format=ox.RdfFormat.N_QUADS, lenient=True)
        )
    triples = ox.parse(b"\n".join(union), format=ox.RdfFormat.N_TRIPLES, lenient=True)
    _add_all(batch.store, (ox.Quad(t.subject, t.predicate, t.object, _INFERRED) for t in triples))
    return len(union)


def _add_all(store: Any, quads: Iterable[ox.Quad]) -> None:
    """Add many quads at once: with the bulk loader where the store has one, then compact.

    The bulk loader writes sorted files directly: several times faster than a transaction
    of the same quads (the batch is a private copy, discarded whole on failure, so it needs
    no transaction of its own). Compacting right away leaves no background compaction
    running when the version is published (see bench/datasets.py). Quads, not a file
    load: a load would give blank nodes new ids, unlike those of the article graphs.
    The data was serialised from valid terms, hence lenient parsing.
    """
    if hasattr(store, "bulk_extend"):
        store.bulk_extend(quads)
        store.optimize()
    else:  # a remote store: through its generic interface
        store.extend(quads)


def _inferred_chunks(
    store: ox.Store, chunks: list[list[str]], engine: str, workers: int
) -> Iterator[tuple[list[str], bytes, bytes]]:
    """(article graph names, support N-Quads, inferred N-Triples) per chunk, in any order.

    With several workers at most two chunks per worker are in flight, so memory stays
    bounded by the chunk size, not the store.
    """

    def serialised(names: list[str]) -> bytes:
        quads = (store.quads_for_pattern(None, None, None, ox.NamedNode(n)) for n in names)
        return ox.serialize(chain.from_iterable(quads), format=ox.RdfFormat.N_QUADS)

    if workers <= 1:
        for names in chunks:
            yield names, *infer_serialised(serialised(names), engine)
        return
    context = multiprocessing.get_context("spawn")  # no inherited open stores or threads
    with process_pool(workers, context) as pool:
        pending: dict[Future[tuple[bytes, bytes]], list[str]] = {}
        queue = iter(chunks)
        while True:
            while len(pending) < 2 * workers:
                names = next(queue, None)
                if names is None:
                    break
                pending[pool.submit(infer_serialised, serialised(names), engine)] = names
            if not pending:
                return
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                names = pending.pop(future)
                yield names, *future.result()


def infer_serialised(nquads: bytes, engine: str = "reasonable") -> tuple[bytes, bytes]:
    """N-Quads of article graphs in; their inferences out, as (N-Quads, N-Triples).

    The N-Quads put each inferred triple in the graph of the article that entails it (the
    support index); the N-Triples hold the union, each triple once, each distinct triple
    always written the same way (the caller merges chunks line by line).
    """
    with _no_cyclic_gc():
        graphs: dict[str, list[Triple]] = {}
        term = from_oxigraph
        for quad in ox.parse(nquads, format=ox.RdfFormat.N_QUADS, lenient=True):
            graphs.setdefault(quad.graph_name.value, []).append(
                (term(quad.subject), term(quad.predicate), term(quad.object))
            )
        names = list(graphs)
        inferred = infer_apart_terms([graphs[name] for name in names], engine=engine)
        text = Memo(to_ntriples).__getitem__
        support: list[str] = []
        union: set[str] = set()
        for name, triples in zip(names, inferred, strict=True):
            lines = [f"{text(s)} {text(p)} {text(o)}" for s, p, o in triples]
            union.update(lines)
            graph = f" <{name}> .\n"
            support.extend(line + graph for line in lines)
        return (
            "".join(support).encode(),
            "".join(line + " .\n" for line in union).encode(),
        )


@contextlib.contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector: the reasoning builds millions of tuples and
    sets, none in a cycle, and each collection would walk them all (~20% of the time)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def infer_apart(
    graphs: Sequence[Iterable[RdflibTriple]], *, engine: str = "reasonable"
) -> list[set[RdflibTriple]]:
    """``[set(infer(g)) for g in graphs]`` with one reasoner call for all of them."""
    inferred = infer_apart_terms([triples_from_rdflib(g) for g in graphs], engine=engine)
    return [set(triples_to_rdflib(i)) for i in inferred]


def infer_apart_terms(
    graphs: Sequence[Sequence[Triple]], *, engine: str = "reasonable"
) -> list[set[Triple]]:
    """``[infer_terms(g) for g in graphs]`` with one reasoner call for all of them.

    Each graph's data nodes (the IRIs the mapping mints, Wikidata IRIs, blank nodes) are
    renamed apart, so the graphs share only ontology and vocabulary terms and the joint
    closure is the disjoint union of their closures; every inferred triple then goes back
    to the one graph whose renamed nodes it holds. Should a triple hold no renamed node
    or the nodes of two graphs (an ontology whose rules join across events), the renaming
    proves nothing and the graphs are reasoned over one by one instead.
    """
    if len(graphs) < 2:
        return [infer_terms(g, engine=engine) for g in graphs]
    schema = ontology_nodes()  # shared by every article, never renamed
    joint: list[Triple] = []
    origin: dict[Term, tuple[int, Term]] = {}  # renamed node -> (its graph, original)
    for index, graph in enumerate(graphs):
        renamed: dict[Term, Term] = {}  # the same nodes recur: rename each once
        for s, p, o in graph:
            if (s2 := renamed.get(s)) is None:
                s2 = renamed[s] = _apart(s, index, schema)
            if (o2 := renamed.get(o)) is None:
                o2 = renamed[o] = _apart(o, index, schema)
            joint.append((s2, p, o2))
        origin.update((new, (index, old)) for old, new in renamed.items() if new is not old)
    try:
        inferred = infer_terms(joint, engine=engine)
    except ValueError:
        # e.g. an inconsistency: raise it from the article that has it, in its own terms
        return [infer_terms(g, engine=engine) for g in graphs]
    results: list[set[Triple]] = [set() for _ in graphs]
    for s, p, o in inferred:
        s_owner, s = origin.get(s, (None, s))
        o_owner, o = origin.get(o, (None, o))
        owner = o_owner if s_owner is None else s_owner
        if owner is None or o_owner not in (None, owner):
            return [infer_terms(g, engine=engine) for g in graphs]
        results[owner].add((s, p, o))
    return results


def _apart(term: Term, index: int, schema: frozenset[Term]) -> Term:
    if type(term) is Literal:
        return term
    if term.startswith(BLANK):
        return f"{_APART_BLANK}{index}x{term[2:]}"
    if term not in schema and term.startswith(_DATA_IRI_PREFIXES):
        return f"{APART}{index}/{term}"
    return term


def _holds(store: ox.Store, t: ox.Triple, graph: ox.NamedNode | None) -> bool:
    return any(True for _ in store.quads_for_pattern(t.subject, t.predicate, t.object, graph))
