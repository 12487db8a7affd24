"""Part 1 of the benchmark: the query mix through the servers and pyoxigraph in process.

For one prepared store: pyoxigraph in process on the published version (the reference),
then ``diplograph serve``, then the Oxigraph server twice, each alone on the machine, each
at 1, 4 and 16 concurrent clients, plus the fixed cost of a trivial ASK and the server's
peak memory:

* ``oxigraph``: loaded with our dump (the named graphs) and run with
  ``--union-default-graph``: what a user who does not run Diplograph would query. Its
  union repeats a triple once per graph holding it (an entity's label, once per article),
  so some answers are longer than ours (``result_bytes``).
* ``oxigraph_index``: over our own database without the union flag, so its default graph
  is our union index: the same engine work and the same answers as ours, which isolates
  what our HTTP path costs.

The ratios of issue 6 are computed from these numbers by :func:`ratios`.
"""

from __future__ import annotations

import math
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from bench import examples, inprocess, load
from bench.memory import PeakMemory
from bench.query_mix import TRIVIAL_ASK, Query, mix, naive_two_hop
from bench.servers import Server, diplograph_server, oxigraph_server
from bench.stats import geometric_mean
from bench.synthetic import World
from diplograph.store import VersionedStore

CLIENT_LEVELS = (1, 4, 16)


def measure_server(
    server: Server,
    queries: Sequence[Query],
    levels: Sequence[int],
    *,
    max_requests: int,
    max_seconds: float,
) -> dict[str, Any]:
    """Fixed cost, then every concurrency level, sampling the server's memory throughout."""
    with PeakMemory(server.pid) as memory:
        sizes = load.warm_up(server.endpoint, queries)
        fixed = load.fixed_cost(server.endpoint, TRIVIAL_ASK)
        by_level = {
            str(clients): load.run_level(
                server.endpoint,
                queries,
                clients,
                max_requests=max_requests,
                max_seconds=max_seconds,
            ).summary()
            for clients in levels
        }
    return {
        "fixed_cost": fixed,
        "levels": by_level,
        "memory": memory.summary(),
        "result_bytes": sizes,
    }


def load_dump(store_path: Path, target: Path) -> Path:
    """A fresh Oxigraph database holding what our dump holds (every named graph)."""
    shutil.rmtree(target, ignore_errors=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    database = ox.Store(str(target))
    database.bulk_extend(iter(VersionedStore.open(store_path, create=False).reader().store))
    database.optimize()
    del database
    return target


def run(
    store_path: Path,
    database: Path,
    world: World,
    log_dir: Path,
    *,
    levels: Sequence[int] = CLIENT_LEVELS,
    max_requests: int = load.MAX_REQUESTS_PER_CLIENT,
    max_seconds: float = load.MAX_SECONDS,
    say: Callable[[str], None] = lambda _line: None,
) -> dict[str, Any]:
    """All query measurements for one store (``database``: its current Oxigraph directory)."""
    queries = mix(world)
    say("  pyoxigraph in process")
    reference = inprocess.measure(store_path, queries)
    naive = inprocess.measure(store_path, [naive_two_hop(world)], repeats=5)
    results: dict[str, Any] = {
        "queries": {q.name: q.description for q in queries},
        "pyoxigraph": reference,
        "two_hop_naive": naive[naive_two_hop(world).name],
    }
    say("  example queries and pages")
    results["examples"] = examples.measure(store_path, world)
    say("  diplograph serve")
    with diplograph_server(store_path, log_dir) as server:
        results["diplograph"] = measure_server(
            server, queries, levels, max_requests=max_requests, max_seconds=max_seconds
        )
    say("  oxigraph server loaded with our dump")
    dumped = load_dump(store_path, log_dir.parent / "oxigraph-dump" / log_dir.name)
    with oxigraph_server(dumped, log_dir) as server:
        results["oxigraph"] = measure_server(
            server, queries, levels, max_requests=max_requests, max_seconds=max_seconds
        )
    shutil.rmtree(dumped, ignore_errors=True)
    say("  oxigraph server over our database")
    with oxigraph_server(database, log_dir, union=False, name="oxigraph-index") as server:
        results["oxigraph_index"] = measure_server(
            server, queries, levels, max_requests=max_requests, max_seconds=max_seconds
        )
    results["ratios"] = ratios(results, [q.name for q in queries])
    return results


#: The Oxigraph servers compared with, by results key: (ratio key prefix, description).
OXIGRAPH_SYSTEMS = {
    "oxigraph": ("oxigraph_server", "Oxigraph server loaded with our dump"),
    "oxigraph_index": ("oxigraph_index", "Oxigraph server over our database"),
}


def ratios(results: dict[str, Any], names: Sequence[str]) -> dict[str, Any]:
    """Our median latency (1 client) over pyoxigraph's and over each Oxigraph server's,
    and our throughput over theirs per client level."""
    ours = results["diplograph"]["levels"]["1"]["queries"]
    reference = results["pyoxigraph"]
    vs_inprocess = {n: _ratio(ours[n]["median_ms"], reference[n]["median_ms"]) for n in names}
    out: dict[str, Any] = {
        "vs_pyoxigraph": vs_inprocess,
        "vs_pyoxigraph_geomean": _round(geometric_mean(list(vs_inprocess.values()))),
        "vs_pyoxigraph_max": max(vs_inprocess.values()),
    }
    for system, (key, _description) in OXIGRAPH_SYSTEMS.items():
        if system not in results:
            continue
        theirs = results[system]["levels"]
        one = theirs["1"]["queries"]
        vs = {n: _ratio(ours[n]["median_ms"], one[n]["median_ms"]) for n in names}
        out[f"vs_{key}"] = vs
        out[f"vs_{key}_geomean"] = _round(geometric_mean(list(vs.values())))
        out[f"throughput_vs_{key}"] = {
            level: _ratio(mine["throughput_rps"], theirs[level]["throughput_rps"])
            for level, mine in results["diplograph"]["levels"].items()
        }
    return out


def _ratio(a: float, b: float) -> float:
    if not b or math.isnan(a) or math.isnan(b):
        return math.nan
    return round(a / b, 3)


def _round(value: float) -> float:
    return value if math.isnan(value) else round(value, 3)
