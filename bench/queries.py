"""Part 1 of the benchmark: the query mix through the servers and pyoxigraph in process.

For one prepared store: pyoxigraph in process on the published version (the reference),
``diplograph serve`` and the Oxigraph server twice, at 1, 4 and 16 concurrent clients,
plus the fixed cost of a trivial ASK and each server's peak memory. The systems take
turns in short rounds (:func:`measure_interleaved`), so drift of the machine during the
run reaches them alike; only the one measured is sent requests. The Oxigraph servers:

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

import contextlib
import functools
import math
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from bench import examples, inprocess, load
from bench.load import LevelResult
from bench.memory import PeakMemory
from bench.query_mix import TRIVIAL_ASK, Query, mix, naive_two_hop
from bench.servers import diplograph_server, oxigraph_server
from bench.stats import geometric_mean
from bench.synthetic import World
from diplograph.store import VersionedStore

CLIENT_LEVELS = (1, 4, 16)


#: Every measurement is split into this many rounds, which the reference and the three
#: servers take in turn (all servers are up before the first round, only the one measured
#: is sent requests). This machine drifts by ±20 % within minutes: measured one after the
#: other, the systems were compared on different machines (a run gave 1.46 for a ratio
#: that the same code had at 1.55 an hour later).
ROUNDS = 4
#: Requests of the trivial ASK per server, and at most this many seconds (over all rounds).
FIXED_COST_REQUESTS = 300
FIXED_COST_SECONDS = 15.0


@dataclass
class _UnderTest:
    """One server and what the rounds measured of it so far."""

    key: str
    endpoint: str
    memory: PeakMemory
    sizes: dict[str, int] = field(default_factory=dict)
    fixed: LevelResult | None = None
    levels: dict[int, LevelResult] = field(default_factory=dict)

    def warm_up(self, queries: Sequence[Query]) -> None:
        with self.memory:
            self.sizes = load.warm_up(self.endpoint, queries)

    def fixed_cost_round(self, max_requests: int, max_seconds: float) -> None:
        part = self._measure([TRIVIAL_ASK], 1, 0, max_requests, max_seconds)
        if self.fixed is None:
            self.fixed = part
        else:
            self.fixed.add(part)

    def level_round(
        self, queries: Sequence[Query], clients: int, max_requests: int, max_seconds: float
    ) -> None:
        """One round of a level; each client goes on in the mix where it stopped in the
        previous round (the rounds so far sent ``sent`` requests over ``clients`` clients)."""
        level = self.levels.get(clients)
        sent = level.completed + sum(level.errors.values()) if level else 0
        part = self._measure(queries, clients, sent // clients, max_requests, max_seconds)
        if level is None:
            self.levels[clients] = part
        else:
            level.add(part)

    def _measure(
        self,
        queries: Sequence[Query],
        clients: int,
        start: int,
        max_requests: int,
        max_seconds: float,
    ) -> LevelResult:
        with self.memory:  # sampled only while this server is sent requests
            return load.run_level(
                self.endpoint,
                queries,
                clients,
                max_requests=max_requests,
                max_seconds=max_seconds,
                start=start,
            )

    def summary(self) -> dict[str, Any]:
        assert self.fixed is not None
        return {
            "fixed_cost": load.fixed_cost_summary(self.fixed, TRIVIAL_ASK),
            "levels": {str(n): level.summary() for n, level in self.levels.items()},
            "memory": self.memory.summary(),
            "result_bytes": self.sizes,
        }


def turn_order(items: Sequence[Any], turn: int) -> list[Any]:
    """``items`` forwards in even rounds and backwards in odd ones: over two rounds every
    system's mean position is the same, so a steady drift of the machine favours none
    (a plain rotation of three systems over four rounds put one first twice)."""
    return list(items) if turn % 2 == 0 else list(reversed(items))


def share(total: int, rounds: int, turn: int) -> int:
    """Round ``turn``'s part of ``total`` requests: the parts add up to ``total`` exactly
    (the first rounds take the remainder), and none is below one."""
    base, remainder = divmod(total, rounds)
    return max(1, base + (1 if turn < remainder else 0))


def measure_interleaved(
    systems: Sequence[_UnderTest],
    reference: inprocess.Reference,
    queries: Sequence[Query],
    levels: Sequence[int],
    *,
    max_requests: int,
    max_seconds: float,
    rounds: int = ROUNDS,
    say: Callable[[str], None] = lambda _line: None,
) -> None:
    """Fixed cost, then every client level, each in ``rounds`` rounds taken in turn by
    every server and (at one client) the reference; the results accumulate in
    ``systems`` and ``reference``."""
    for system in systems:
        system.warm_up(queries)
    say("  fixed cost (trivial ASK)")
    for turn in range(rounds):
        requests = share(FIXED_COST_REQUESTS, rounds, turn)
        for system in turn_order(systems, turn):
            system.fixed_cost_round(requests, FIXED_COST_SECONDS / rounds)
    for clients in levels:
        say(f"  {clients} client{'s' if clients > 1 else ''}")
        for turn in range(rounds):
            requests = share(max_requests, rounds, turn)
            steps: list[Callable[[], None]] = [
                functools.partial(
                    system.level_round, queries, clients, requests, max_seconds / rounds
                )
                for system in systems
            ]
            if clients == 1:
                steps.append(
                    functools.partial(
                        reference.rounds,
                        share(inprocess.REPEATS, rounds, turn),
                        inprocess.MAX_SECONDS_PER_QUERY * len(queries) / rounds,
                    )
                )
            for step in turn_order(steps, turn):
                step()


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
    rounds: int = ROUNDS,
    say: Callable[[str], None] = lambda _line: None,
) -> dict[str, Any]:
    """All query measurements for one store (``database``: its current Oxigraph directory)."""
    queries = mix(world)
    naive = inprocess.measure(store_path, [naive_two_hop(world)], repeats=5)
    results: dict[str, Any] = {
        "queries": {q.name: q.description for q in queries},
        "two_hop_naive": naive[naive_two_hop(world).name],
        "rounds": rounds,
    }
    say("  example queries and pages")
    results["examples"] = examples.measure(store_path, world)
    dumped = load_dump(store_path, log_dir.parent / "oxigraph-dump" / log_dir.name)
    say("  starting diplograph serve and the Oxigraph servers (loaded with our dump; ours)")
    with contextlib.ExitStack() as stack:
        servers = {
            # every query evaluated: the answer cache would answer the repeated mix itself
            "diplograph": diplograph_server(store_path, log_dir, NO_ANSWER_CACHE),
            "oxigraph": oxigraph_server(dumped, log_dir),
            "oxigraph_index": oxigraph_server(
                database, log_dir, union=False, name="oxigraph-index"
            ),
        }
        systems = []
        for key, starting in servers.items():
            server = stack.enter_context(starting)
            systems.append(_UnderTest(key, server.endpoint, PeakMemory(server.pid)))
        reference = inprocess.Reference(store_path, queries)
        measure_interleaved(
            systems,
            reference,
            queries,
            levels,
            max_requests=max_requests,
            max_seconds=max_seconds,
            rounds=rounds,
            say=say,
        )
        results["pyoxigraph"] = reference.summary()
        reference.close()
        for system in systems:
            results[system.key] = system.summary()
    say("  diplograph serve with its answer cache (the default)")
    results["diplograph_cached"] = answer_cache_levels(
        store_path, log_dir / "answer-cache", queries, max_requests, max_seconds
    )
    shutil.rmtree(dumped, ignore_errors=True)
    results["ratios"] = ratios(results, [q.name for q in queries])
    return results


#: `diplograph serve` options for the measured system: no answer cache (server/result_cache.py)
NO_ANSWER_CACHE = ("--result-cache", "0")
#: Client levels at which the default server (answer cache on) is measured as well.
CACHED_LEVELS = (1, 16)


def answer_cache_levels(
    store_path: Path,
    log_dir: Path,
    queries: Sequence[Query],
    max_requests: int,
    max_seconds: float,
) -> dict[str, Any]:
    """The mix through `diplograph serve` with its default answer cache: after the warm-up
    every request of the repeated mix is a cache hit, i.e. what a dashboard or a script
    polling the same queries gets. Reported apart from the ratios, which need evaluation."""
    with diplograph_server(store_path, log_dir) as server:
        load.warm_up(server.endpoint, queries)
        return {
            "levels": {
                str(clients): load.run_level(
                    server.endpoint,
                    queries,
                    clients,
                    max_requests=max_requests,
                    max_seconds=max_seconds / ROUNDS,
                ).summary()
                for clients in CACHED_LEVELS
            }
        }


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
