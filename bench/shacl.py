"""Part 4a: SHACL validation time, for a whole store's asserted data and per new article.

The pipeline validates each ingest batch (the new articles' graphs), never the whole store,
so the per-article and per-batch figures are what an ingest pays; the whole-graph figure
shows what a full re-validation would cost. pySHACL is pure Python, so the whole-graph run
happens in a child process with a time cap. The per-article figures are measured alongside
a plain ``pyshacl.validate`` call on the same graphs (``stock_*``), which rebuilds the shapes
on every call: the reference that ``diplograph.shapes.prepared`` is compared against.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph

from bench.capped import run_capped
from bench.stats import median
from bench.synthetic import SYNTHETIC_RUN, World, articles
from diplograph.ingest.to_rdf import article_to_graph
from diplograph.store.terms import to_rdflib


def validate_file(path: str, progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """Parse an N-Quads file into one graph and validate it (runs in a child process)."""
    from diplograph.shapes.validate import validate

    began = time.perf_counter()
    merged = Graph()  # the union of the article graphs, as the pipeline validates them
    for quad in ox.parse(path=path, format=ox.RdfFormat.N_QUADS):
        merged.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    parse_seconds = time.perf_counter() - began
    if progress:
        progress(1, 2)
    began = time.perf_counter()
    report = validate(merged)
    return {
        "seconds": time.perf_counter() - began,
        "parse_seconds": parse_seconds,
        "triples": len(merged),
        "conforms": report.conforms,
        "violations": len(report.violations),
    }


def whole_graph(path: Path, cap: float) -> dict[str, Any]:
    """Validation of every asserted triple of a dataset, capped."""
    outcome = run_capped(validate_file, (str(path),), cap)
    if outcome.ok:
        value = outcome.value
        return {
            "status": "ok",
            "seconds": round(value["seconds"], 3),
            "parse_seconds": round(value["parse_seconds"], 3),
            "triples": value["triples"],
            "conforms": value["conforms"],
            "violations": value["violations"],
            "peak_rss_mib": outcome.peak_rss_mib,
        }
    if outcome.status == "timeout":
        stage = "while parsing" if not outcome.progress else "while validating"
        return {"status": "timeout", "note": f"did not finish in {cap:.0f} s ({stage})"}
    return {"status": "error", "note": (outcome.error or "")[-500:]}


def stock_validate(graph: Graph) -> bool:
    """The reference: pySHACL's entry point as the pipeline called it before the shapes
    were prepared once per process (same options); returns whether ``graph`` conforms."""
    import pyshacl

    from diplograph.shapes.validate import shapes_graph

    conforms, _results, _text = pyshacl.validate(
        graph, shacl_graph=shapes_graph(), inference="none", advanced=False, allow_warnings=False
    )
    return bool(conforms)


def per_article(world: World, seed: int, samples: int = 20, batch: int = 100) -> dict[str, Any]:
    """Validating one new article's graph, and a batch of ``batch`` articles in one pass,
    with ``validate`` and with the stock ``pyshacl.validate`` call, interleaved."""
    from diplograph.shapes.validate import validate

    stream = articles(seed + 2, world)
    graphs = []
    for _ in range(max(samples, batch)):
        article, facts = next(stream)
        graphs.append(article_to_graph(article, article.id, facts, SYNTHETIC_RUN))
    validate(graphs[0])  # warm: parses the shapes and prepares pySHACL's once per process
    stock_validate(graphs[0])
    times, stock_times = [], []
    for graph in graphs[:samples]:
        began = time.perf_counter()
        report = validate(graph)
        times.append(time.perf_counter() - began)
        if not report.conforms:
            raise RuntimeError("a synthetic article does not conform:\n" + report.format())
        began = time.perf_counter()
        stock_validate(graph)
        stock_times.append(time.perf_counter() - began)
    combined = Graph()
    for graph in graphs[:batch]:
        for triple in graph:
            combined.add(triple)
    began = time.perf_counter()
    validate(combined)
    batch_seconds = time.perf_counter() - began
    began = time.perf_counter()
    stock_validate(combined)
    stock_batch_seconds = time.perf_counter() - began
    return {
        "articles": samples,
        "median_ms": round(median(times) * 1000, 2),
        "max_ms": round(max(times) * 1000, 2),
        "batch_articles": batch,
        "batch_ms_per_article": round(batch_seconds / batch * 1000, 2),
        "stock_median_ms": round(median(stock_times) * 1000, 2),
        "stock_batch_ms_per_article": round(stock_batch_seconds / batch * 1000, 2),
    }
