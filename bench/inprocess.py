"""The reference: the same queries on pyoxigraph in this process, results serialised.

This is the floor any server built on pyoxigraph can reach: query evaluation plus result
serialisation by pyoxigraph, with no HTTP, no process hop and no Python per row. The
acceptance ratio of issue 6 divides the server's median latency by this one.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from bench.query_mix import Query
from bench.stats import median, percentile

REPEATS = 30
MAX_SECONDS_PER_QUERY = 8.0


def run_query(store: ox.Store, query: Query) -> bytes:
    """Evaluate and serialise exactly as a SPARQL endpoint would answer."""
    result = store.query(query.text, use_default_graph_as_union=True)
    if query.is_graph:
        return result.serialize(format=ox.RdfFormat.N_TRIPLES)
    return result.serialize(format=ox.QueryResultsFormat.JSON)


def measure(database: Path, queries: Sequence[Query], repeats: int = REPEATS) -> dict[str, Any]:
    """Median and p95 per query over ``repeats`` runs (fewer if a query is slow)."""
    store = ox.Store.read_only(str(database))
    out: dict[str, Any] = {}
    for query in queries:
        run_query(store, query)  # warm
        times: list[float] = []
        size = 0
        budget = time.monotonic() + MAX_SECONDS_PER_QUERY
        for _ in range(repeats):
            began = time.perf_counter()
            size = len(run_query(store, query))
            times.append(time.perf_counter() - began)
            if time.monotonic() > budget:
                break
        out[query.name] = {
            "n": len(times),
            "median_ms": round(median(times) * 1000, 3),
            "p95_ms": round(percentile(times, 0.95) * 1000, 3),
            "bytes": size,
        }
    del store
    return out
