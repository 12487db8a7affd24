"""Part 3: OWL RL reasoning, our engine against owlrl, and the cost of one new article.

A full rebuild is what ``diplograph reason`` does: every article graph of the store is
reasoned over with the ontology and the inferred graph is the union (see
``ingest/inferred_graph.py``). Our engine's rebuild is published (it gives the store its
inferred graph for the query benchmark); owlrl's runs on a throw-away copy of the same
version and is discarded. owlrl runs only where it finishes within the cap: after one
size does not finish, larger sizes are not attempted.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from bench.capped import run_capped
from bench.stats import median
from bench.synthetic import SYNTHETIC_RUN, World, articles
from diplograph.ingest import inferred_graph
from diplograph.ingest.to_rdf import article_to_graph
from diplograph.ontology.namespaces import INFERRED_GRAPH
from diplograph.store import VersionedStore


class _Discard(Exception):
    """Raised inside a writer to throw its copy away."""


def rebuild(
    store_path: str,
    engine: str,
    publish: bool,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """Rebuild the inferred graph with ``engine``; publish it or discard it. Runs in a child."""
    store = VersionedStore.open(store_path, create=False)
    result: dict[str, Any] = {}
    try:
        with store.writer() as batch:
            inferred_graph.ensure_ontology(batch)
            began = time.perf_counter()
            size = inferred_graph.rebuild(batch, engine=engine, progress=progress)
            result["seconds"] = time.perf_counter() - began
            result["inferred_triples"] = size
            result["digest"] = inferred_digest(batch.store)
            if not publish:
                raise _Discard
    except _Discard:
        pass
    return result


def inferred_digest(store: ox.Store) -> str:
    """Order-independent digest of the inferred graph, to compare two engines' output."""
    lines = sorted(
        str(ox.Triple(q.subject, q.predicate, q.object))
        for q in store.quads_for_pattern(None, None, None, ox.NamedNode(INFERRED_GRAPH))
    )
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def full_rebuilds(
    store_path: Path,
    *,
    owlrl: bool,
    owlrl_cap: float,
    ours_cap: float,
) -> dict[str, Any]:
    """Our engine's rebuild (published), then owlrl's (discarded) when ``owlrl`` is True."""
    out: dict[str, Any] = {}
    ours = run_capped(rebuild, (str(store_path), "reasonable", True), ours_cap)
    out["reasonable"] = _summary(ours, ours_cap)
    if not ours.ok:
        raise RuntimeError(f"our reasoner failed on {store_path}: {ours.error or ours.status}")
    if owlrl:
        theirs = run_capped(rebuild, (str(store_path), "owlrl", False), owlrl_cap)
        out["owlrl"] = _summary(theirs, owlrl_cap)
        if theirs.ok:
            out["same_inferences"] = theirs.value["digest"] == ours.value["digest"]
    return out


def _summary(outcome: Any, cap: float) -> dict[str, Any]:
    if outcome.ok:
        return {
            "status": "ok",
            "seconds": round(outcome.value["seconds"], 3),
            "inferred_triples": outcome.value["inferred_triples"],
            "peak_rss_mib": outcome.peak_rss_mib,
        }
    if outcome.status == "timeout":
        done = f"{outcome.progress:.0%} of the articles done" if outcome.progress else ""
        return {
            "status": "timeout",
            "note": f"did not finish in {cap:.0f} s {('(' + done + ')') if done else ''}".strip(),
            "progress": outcome.progress,
            "peak_rss_mib": outcome.peak_rss_mib,
        }
    return {"status": "error", "note": (outcome.error or "")[-500:]}


def per_article(world: World, seed: int, samples: int = 20) -> dict[str, Any]:
    """Reasoning one new article (its graph plus the ontology), as an ingest does."""
    from diplograph.ontology.reasoning import infer

    stream = articles(seed + 1, world)
    graphs = []
    for _ in range(samples):
        article, facts = next(stream)
        graphs.append(article_to_graph(article, article.id, facts, SYNTHETIC_RUN))
    infer(graphs[0])  # warm: parses the ontology once per process
    times = []
    inferred = []
    for graph in graphs:
        began = time.perf_counter()
        result = infer(graph)
        times.append(time.perf_counter() - began)
        inferred.append(len(result))
    return {
        "articles": samples,
        "median_ms": round(median(times) * 1000, 2),
        "max_ms": round(max(times) * 1000, 2),
        "median_inferred_triples": median(inferred),
        "median_article_triples": median([len(g) for g in graphs]),
    }
