"""The reference: the same queries on pyoxigraph in this process, results serialised.

This is the floor any server built on pyoxigraph can reach: query evaluation plus result
serialisation by pyoxigraph, with no HTTP, no process hop and no Python per row, on the
same access pattern as a benchmark client (the mix in rotation). The
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
from diplograph.store import VersionedStore

REPEATS = 30
MAX_SECONDS_PER_QUERY = 8.0


def run_query(store: ox.Store, query: Query) -> bytes:
    """Evaluate and serialise exactly as a SPARQL endpoint would answer."""
    result = store.query(query.text, use_default_graph_as_union=True)
    if query.is_graph:
        return result.serialize(format=ox.RdfFormat.N_TRIPLES)
    return result.serialize(format=ox.QueryResultsFormat.JSON)


class Reference:
    """The published version opened in this process, timed a few rounds at a time.

    The queries run in rotation, one after the other, exactly as one benchmark client sends
    them to a server: repeating one query 30 times in a row would keep its data in the CPU
    and RocksDB caches and make the reference look faster than any server can be on the
    same access pattern (measured at 1M triples, 15 rounds: "between" 42 ms repeated vs
    52 ms in rotation, "two-hop" 47 vs 66 ms). Both servers see the rotation.

    Rounds can be interleaved with the servers' (bench/queries.py), so that the machine's
    drift during the run affects the reference and the servers alike.
    """

    def __init__(self, store_path: Path, queries: Sequence[Query]):
        # The published version as every reader gets it: the union index as default graph.
        self.store = VersionedStore.open(store_path, create=False).reader().store
        self.queries = list(queries)
        self.times: dict[str, list[float]] = {q.name: [] for q in self.queries}
        self.sizes: dict[str, int] = {}
        for query in self.queries:
            self.sizes[query.name] = len(run_query(self.store, query))  # warm

    def rounds(self, repeats: int, max_seconds: float) -> None:
        """Up to ``repeats`` passes over the mix, stopping after ``max_seconds``."""
        budget = time.monotonic() + max_seconds
        for _ in range(repeats):
            for query in self.queries:
                began = time.perf_counter()
                self.sizes[query.name] = len(run_query(self.store, query))
                self.times[query.name].append(time.perf_counter() - began)
            if time.monotonic() > budget:
                break

    def summary(self) -> dict[str, Any]:
        return {
            name: {
                "n": len(values),
                "median_ms": round(median(values) * 1000, 3),
                "p95_ms": round(percentile(values, 0.95) * 1000, 3),
                "bytes": self.sizes[name],
            }
            for name, values in self.times.items()
        }

    def close(self) -> None:
        del self.store


def measure(store_path: Path, queries: Sequence[Query], repeats: int = REPEATS) -> dict[str, Any]:
    """Median and p95 per query over ``repeats`` rounds of the whole mix (fewer if slow)."""
    reference = Reference(store_path, queries)
    reference.rounds(repeats, MAX_SECONDS_PER_QUERY * len(queries))
    reference.close()
    return reference.summary()
