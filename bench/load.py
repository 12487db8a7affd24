"""Concurrent SPARQL clients against one HTTP endpoint: latency per query and throughput.

Each client is a thread with its own keep-alive connection that runs the query mix in a
loop (client *i* starts at query *start + i*, so the mix is spread over time, and a level
measured in rounds goes on where the last round stopped). A level stops when
every client has sent its request budget or the time budget is spent, whichever comes
first: the load is bounded in count and in time and only ever targets loopback.
"""

from __future__ import annotations

import http.client
import threading
import time
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from bench.query_mix import Query
from bench.stats import median, percentile

#: Upper bound of requests one client sends at one level.
MAX_REQUESTS_PER_CLIENT = 120
#: Upper bound of wall time for one level (seconds).
MAX_SECONDS = 12.0
REQUEST_TIMEOUT = 120.0


@dataclass
class LevelResult:
    """What ``clients`` concurrent clients measured."""

    clients: int
    seconds: float
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    first_error: str | None = None

    def add(self, other: LevelResult) -> None:
        """Take in another round at the same level: latencies and errors add up, and so
        does the time, so the throughput is over all rounds."""
        self.seconds += other.seconds
        for name, values in other.latencies.items():
            self.latencies.setdefault(name, []).extend(values)
        for name, count in other.errors.items():
            self.errors[name] = self.errors.get(name, 0) + count
        self.first_error = self.first_error or other.first_error

    @property
    def completed(self) -> int:
        return sum(len(v) for v in self.latencies.values())

    @property
    def throughput(self) -> float:
        """Successful requests per second."""
        return self.completed / self.seconds if self.seconds > 0 else 0.0

    def summary(self) -> dict[str, Any]:
        every = [x for values in self.latencies.values() for x in values]
        return {
            "clients": self.clients,
            "requests": self.completed,
            "errors": sum(self.errors.values()),
            "first_error": self.first_error,
            "seconds": round(self.seconds, 3),
            "throughput_rps": round(self.throughput, 2),
            "median_ms": _ms(median(every)),
            "p95_ms": _ms(percentile(every, 0.95)),
            "queries": {
                name: {
                    "n": len(values),
                    "median_ms": _ms(median(values)),
                    "p95_ms": _ms(percentile(values, 0.95)),
                }
                for name, values in self.latencies.items()
            },
        }


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


class _Client:
    """One keep-alive HTTP connection to the endpoint; reconnects when the server closes."""

    def __init__(self, endpoint: str):
        parts = urllib.parse.urlsplit(endpoint)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self.path = parts.path
        self.connection: http.client.HTTPConnection | None = None

    def get(self, query: Query) -> tuple[int, bytes]:
        target = self.path + "?" + urllib.parse.urlencode({"query": query.text})
        headers = {"Accept": query.accept, "Accept-Encoding": "identity"}
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(
                    self.host, self.port, timeout=REQUEST_TIMEOUT
                )
            try:
                self.connection.request("GET", target, headers=headers)
                response = self.connection.getresponse()
                body = response.read()
                if response.will_close:
                    self.close()
                return response.status, body
            except (ConnectionError, http.client.HTTPException):
                self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def run_level(
    endpoint: str,
    queries: Sequence[Query],
    clients: int,
    *,
    max_requests: int = MAX_REQUESTS_PER_CLIENT,
    max_seconds: float = MAX_SECONDS,
    start: int = 0,
) -> LevelResult:
    """Run ``clients`` concurrent clients and collect latencies per query name.

    Client *i* starts at query ``start + i`` of the mix: a level measured in rounds passes
    where the previous round stopped, so short rounds still cover the whole mix.
    """
    result = LevelResult(clients=clients, seconds=0.0)
    for query in queries:
        result.latencies[query.name] = []
        result.errors[query.name] = 0
    lock = threading.Lock()
    start_gate = threading.Barrier(clients + 1)
    deadline: list[float] = [0.0]

    def work(index: int) -> None:
        client = _Client(endpoint)
        local: list[tuple[str, float | None, str | None]] = []
        start_gate.wait()
        try:
            for n in range(max_requests):
                if time.monotonic() >= deadline[0]:
                    break
                query = queries[(start + index + n) % len(queries)]
                began = time.perf_counter()
                try:
                    status, body = client.get(query)
                except (OSError, http.client.HTTPException) as error:
                    local.append((query.name, None, f"{type(error).__name__}: {error}"))
                    continue
                elapsed = time.perf_counter() - began
                if status == 200:
                    local.append((query.name, elapsed, None))
                else:
                    local.append((query.name, None, f"HTTP {status}: {body[:200]!r}"))
        finally:
            client.close()
            with lock:
                for name, elapsed, error in local:
                    if elapsed is not None:
                        result.latencies[name].append(elapsed)
                    else:
                        result.errors[name] += 1
                        result.first_error = result.first_error or error

    threads = [threading.Thread(target=work, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    began = time.monotonic()
    deadline[0] = began + max_seconds
    start_gate.wait()
    for thread in threads:
        thread.join(max_seconds + REQUEST_TIMEOUT + 5)
    result.seconds = time.monotonic() - began
    return result


def warm_up(endpoint: str, queries: Sequence[Query], rounds: int = 2) -> dict[str, int]:
    """Run the mix a few times so caches and lazily started workers are warm; the size in
    bytes of each query's answer."""
    client = _Client(endpoint)
    sizes: dict[str, int] = {}
    try:
        for _ in range(rounds):
            for query in queries:
                status, body = client.get(query)
                if status != 200:
                    raise RuntimeError(
                        f"{endpoint}: {query.name} answered {status}: {body[:300]!r}"
                    )
                sizes[query.name] = len(body)
    finally:
        client.close()
    return sizes


def fixed_cost(endpoint: str, query: Query, requests: int = 300) -> dict[str, float]:
    """Latency of the cheapest request, one client: the server's per-request overhead."""
    result = run_level(endpoint, [query], 1, max_requests=requests, max_seconds=15.0)
    return fixed_cost_summary(result, query)


def fixed_cost_summary(result: LevelResult, query: Query) -> dict[str, float]:
    """Median and p95 of ``query`` in ``result`` (a level of one client sending only it)."""
    values = result.latencies[query.name]
    return {
        "n": len(values),
        "errors": result.errors[query.name],
        "median_ms": _ms(median(values)),
        "p95_ms": _ms(percentile(values, 0.95)),
    }
