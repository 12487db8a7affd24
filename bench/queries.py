"""Part 1 of the benchmark: the query mix through both servers and pyoxigraph in process.

For one prepared store: pyoxigraph in process (the reference), then ``diplograph serve``,
then the Oxigraph server, each alone on the machine, each at 1, 4 and 16 concurrent
clients, plus the fixed cost of a trivial ASK and the server's peak memory. The ratios of
issue 6 are computed from these numbers by :func:`ratios`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bench import examples, inprocess, load
from bench.memory import PeakMemory
from bench.query_mix import TRIVIAL_ASK, Query, mix, naive_two_hop
from bench.servers import Server, diplograph_server, oxigraph_server
from bench.stats import geometric_mean
from bench.synthetic import World

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
        load.warm_up(server.endpoint, queries)
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
    return {"fixed_cost": fixed, "levels": by_level, "memory": memory.summary()}


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
    reference = inprocess.measure(database, queries)
    naive = inprocess.measure(database, [naive_two_hop(world)], repeats=5)
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
    say("  oxigraph server")
    with oxigraph_server(database, log_dir) as server:
        results["oxigraph"] = measure_server(
            server, queries, levels, max_requests=max_requests, max_seconds=max_seconds
        )
    results["ratios"] = ratios(results, [q.name for q in queries])
    return results


def ratios(results: dict[str, Any], names: Sequence[str]) -> dict[str, Any]:
    """Our median latency (1 client) over pyoxigraph's and over the Oxigraph server's."""
    ours = results["diplograph"]["levels"]["1"]["queries"]
    theirs = results["oxigraph"]["levels"]["1"]["queries"]
    reference = results["pyoxigraph"]
    vs_inprocess = {n: _ratio(ours[n]["median_ms"], reference[n]["median_ms"]) for n in names}
    vs_server = {n: _ratio(ours[n]["median_ms"], theirs[n]["median_ms"]) for n in names}
    throughput = {
        level: _ratio(
            results["diplograph"]["levels"][level]["throughput_rps"],
            results["oxigraph"]["levels"][level]["throughput_rps"],
        )
        for level in results["diplograph"]["levels"]
    }
    return {
        "vs_pyoxigraph": vs_inprocess,
        "vs_pyoxigraph_geomean": _round(geometric_mean(list(vs_inprocess.values()))),
        "vs_pyoxigraph_max": max(vs_inprocess.values()),
        "vs_oxigraph_server": vs_server,
        "vs_oxigraph_server_geomean": _round(geometric_mean(list(vs_server.values()))),
        "throughput_vs_oxigraph_server": throughput,
    }


def _ratio(a: float, b: float) -> float:
    if not b or math.isnan(a) or math.isnan(b):
        return math.nan
    return round(a / b, 3)


def _round(value: float) -> float:
    return value if math.isnan(value) else round(value, 3)
