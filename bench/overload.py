"""Overload a real `diplograph serve` on loopback and report how it holds up.

64 client threads (``--clients``) send SPARQL queries for 60 s (``--duration``) to a
server this script starts on 127.0.0.1, mixing cheap lookups with expensive queries
(cross products, quadratic self-joins, full scans) that run into the query deadline.
Meanwhile one thread polls ``/health`` and another samples the resident memory of the
server and its query workers. Clients behave like polite SPARQL clients: after a 429
they wait the Retry-After seconds (capped at ``--max-backoff``) before the next query.

Printed at the end: requests and throughput, the status-code histogram (overall, cheap,
expensive), p50/p90/p99 latency of cheap queries (answered ones, and all of them), 429s
and how many carried Retry-After, /health checks answered and their worst latency, peak
RSS of the server process tree, and a verdict on the expectations of issue 7:

* no 5xx other than deliberate 503 timeouts;
* every 429 carries Retry-After;
* p99 latency of answered cheap queries under 1 s while expensive ones run;
* /health answered (200 within 2 s) throughout;
* RSS bounded (``--max-rss-mb``).

Each client connects from its own loopback address (127.0.0.2, 127.0.0.3, ...) so that
a server with per-client budgets sees 64 clients, not one. Bounded by construction:
loopback only, fixed duration, every request has a timeout, a
watchdog kills the server if shutting down takes too long, and the temporary store is
deleted. Exit code 0 when every expectation holds, 1 otherwise.

    .venv/bin/python bench/overload.py [--clients 64] [--duration 60] [--store DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import requests
from requests.adapters import HTTPAdapter

REPO = Path(__file__).resolve().parents[1]
TEMPLATE = REPO / "tests" / "data" / "semantic-facts.jsonl"
HOST = "127.0.0.1"
DG = "https://w3id.org/diplograph/ontology#"
ENTITY = "https://w3id.org/diplograph/id/entity/"
PREFIXES = f"PREFIX dg: <{DG}>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"

CHEAP = [
    PREFIXES + "ASK { ?e a dg:Meeting }",
    PREFIXES + f"SELECT ?l WHERE {{ <{ENTITY}Q142> rdfs:label ?l }} LIMIT 5",
    PREFIXES + f"SELECT ?e WHERE {{ ?e dg:actor <{ENTITY}Q1028> }} LIMIT 10",
    PREFIXES + f"SELECT ?e ?d WHERE {{ ?e dg:target <{ENTITY}Q801> ; dg:date ?d }} LIMIT 10",
    PREFIXES + "SELECT ?e WHERE { ?e a dg:Sanctions } LIMIT 5",
]
EXPENSIVE = [
    # A cross product of the whole store with itself, twice: never finishes.
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    # Quadratic self-join per predicate.
    "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o . ?t ?p ?u } GROUP BY ?p",
    # Full scan with a regular expression on every value, sorted.
    "SELECT ?s ?o WHERE { ?s ?p ?o FILTER(REGEX(STR(?o), 'a.*e.*i.*o', 'i')) } ORDER BY ?o",
    # Everything, streamed (capped by the server's row limit).
    "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }",
]


# ------------------------------------------------------------------------ the store
def build_store(path: Path, copies: int) -> None:
    """``copies`` renamed copies of the test facts (three articles each), through `ingest`."""
    facts = path.parent / "overload-facts.jsonl"
    template = [json.loads(line) for line in TEMPLATE.read_text("utf-8").splitlines() if line]
    with open(facts, "w", encoding="utf-8") as out:
        for copy in range(copies):
            for record in template:
                record = dict(record)
                key = "id" if record.get("record") == "article" else "article"
                record[key] = f"load{copy}-{record[key]}"
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
    command = [_cli(), "ingest", "--store", str(path), "--quiet", str(facts)]
    subprocess.run(command, check=True, timeout=900)


def _cli() -> str:
    return str(Path(sys.executable).with_name("diplograph"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


# ------------------------------------------------------------------------ measurements
@dataclass
class Results:
    lock: threading.Lock = field(default_factory=threading.Lock)
    statuses: Counter = field(default_factory=Counter)  # (kind, status) -> count
    cheap_ok: list[float] = field(default_factory=list)  # latency of answered cheap queries
    cheap_all: list[float] = field(default_factory=list)
    expensive_ok: list[float] = field(default_factory=list)
    too_many: int = 0
    too_many_with_retry_after: int = 0
    client_errors: Counter = field(default_factory=Counter)  # exceptions on the client side
    health_checks: int = 0
    health_failures: list[str] = field(default_factory=list)
    health_worst: float = 0.0
    rss_peak: int = 0
    rss_main_peak: int = 0
    rss_samples: int = 0

    def record(self, kind: str, status: int, seconds: float, retry_after: str | None) -> None:
        with self.lock:
            self.statuses[(kind, status)] += 1
            if kind == "cheap":
                self.cheap_all.append(seconds)
                if status == 200:
                    self.cheap_ok.append(seconds)
            elif status == 200:
                self.expensive_ok.append(seconds)
            if status == 429:
                self.too_many += 1
                if retry_after and retry_after.isdigit():
                    self.too_many_with_retry_after += 1


class SourceAddressAdapter(HTTPAdapter):
    """Connect from a given loopback address, so each client is a distinct remote address."""

    def __init__(self, source: str):
        self.source = source
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        kwargs["source_address"] = (self.source, 0)
        super().init_poolmanager(*args, **kwargs)


def client_session(index: int, distinct: bool) -> requests.Session:
    """Client ``index`` speaks from 127.0.0.(index + 2) (all of 127/8 is loopback on Linux)."""
    session = requests.Session()
    if distinct:
        session.mount("http://", SourceAddressAdapter(f"127.0.{index // 250}.{index % 250 + 2}"))
    return session


def client(
    url: str, results: Results, stop: threading.Event, index: int, args: argparse.Namespace
) -> None:
    rng = random.Random(args.seed * 1000 + index)
    session = client_session(index, args.distinct_sources)
    headers = {"Accept": "application/sparql-results+json"}
    while not stop.is_set():
        kind = "expensive" if rng.random() < args.expensive_share else "cheap"
        query = rng.choice(EXPENSIVE if kind == "expensive" else CHEAP)
        started = time.monotonic()
        try:
            with session.post(
                url + "/sparql",
                data={"query": query},
                headers=headers,
                timeout=args.request_timeout,
                stream=True,
            ) as response:
                for _ in response.iter_content(65536):
                    pass
                status = response.status_code
                retry_after = response.headers.get("Retry-After")
        except requests.RequestException as error:
            with results.lock:
                results.client_errors[type(error).__name__] += 1
            stop.wait(0.5)
            continue
        results.record(kind, status, time.monotonic() - started, retry_after)
        if status == 429:
            backoff = float(retry_after) if retry_after and retry_after.isdigit() else 1.0
            stop.wait(min(backoff, args.max_backoff))
    session.close()


def health_monitor(url: str, results: Results, stop: threading.Event) -> None:
    session = requests.Session()
    while not stop.is_set():
        started = time.monotonic()
        try:
            response = session.get(url + "/health", timeout=2.0)
            problem = None if response.status_code == 200 else f"status {response.status_code}"
        except requests.RequestException as error:
            problem = type(error).__name__
        elapsed = time.monotonic() - started
        with results.lock:
            results.health_checks += 1
            results.health_worst = max(results.health_worst, elapsed)
            if problem:
                results.health_failures.append(f"{time.strftime('%H:%M:%S')} {problem}")
        stop.wait(0.25)
    session.close()


def rss_monitor(pid: int, results: Results, stop: threading.Event) -> None:
    """Peak resident memory of the server and its query workers (summed)."""
    main = psutil.Process(pid)
    while not stop.is_set():
        try:
            processes = [main, *main.children(recursive=True)]
            total = 0
            for process in processes:
                try:
                    total += process.memory_info().rss
                except psutil.NoSuchProcess:
                    continue
            main_rss = main.memory_info().rss
        except psutil.NoSuchProcess:
            return
        with results.lock:
            results.rss_samples += 1
            results.rss_peak = max(results.rss_peak, total)
            results.rss_main_peak = max(results.rss_main_peak, main_rss)
        stop.wait(0.2)


# ------------------------------------------------------------------------ the run
def start_server(store: Path, port: int, args: argparse.Namespace, log: Path) -> subprocess.Popen:
    command = [_cli(), "serve", "--store", str(store), "--host", HOST, "--port", str(port)]
    command += ["--no-access-log"]
    for option, value in (
        ("--workers", args.workers),
        ("--timeout", args.timeout),
        ("--queue-wait", args.queue_wait),
    ):
        if value is not None:
            command += [option, str(value)]
    with open(log, "wb") as handle:
        process = subprocess.Popen(
            command, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited:\n{log.read_text(errors='replace')}")
        try:
            if requests.get(f"http://{HOST}:{port}/health", timeout=1).status_code == 200:
                return process
        except requests.RequestException:
            pass
        time.sleep(0.2)
    stop_server(process)
    raise RuntimeError(f"the server did not become ready:\n{log.read_text(errors='replace')}")


def stop_server(process: subprocess.Popen) -> None:
    """SIGTERM the server's process group, SIGKILL it if it has not gone in 15 s."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(15)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=1000, method="inclusive")[round(q * 1000) - 1]


def report(results: Results, args: argparse.Namespace, elapsed: float) -> bool:
    total = sum(results.statuses.values())
    by_status = Counter()
    for (_kind, status), n in results.statuses.items():
        by_status[status] += n
    print(
        f"\noverload: {args.clients} clients, {elapsed:.1f} s, {total} requests"
        f" ({total / elapsed:.1f}/s), expensive share {args.expensive_share:.0%}"
    )
    print(f"status histogram: {dict(sorted(by_status.items()))}")
    for kind in ("cheap", "expensive"):
        counts = {s: n for (k, s), n in sorted(results.statuses.items()) if k == kind}
        print(f"  {kind}: {counts}")
    ok, every = results.cheap_ok, results.cheap_all
    print(
        f"cheap latency, answered (200, n={len(ok)}): p50 {percentile(ok, 0.5) * 1000:.1f} ms,"
        f" p90 {percentile(ok, 0.9) * 1000:.1f} ms, p99 {percentile(ok, 0.99) * 1000:.1f} ms,"
        f" max {max(ok, default=float('nan')) * 1000:.1f} ms"
    )
    print(
        f"cheap latency, all answers (n={len(every)}): p50 {percentile(every, 0.5) * 1000:.1f} ms,"
        f" p99 {percentile(every, 0.99) * 1000:.1f} ms"
    )
    if results.expensive_ok:
        print(
            f"expensive queries that finished: {len(results.expensive_ok)},"
            f" p50 {percentile(results.expensive_ok, 0.5):.2f} s"
        )
    print(f"429: {results.too_many}, with Retry-After: {results.too_many_with_retry_after}")
    if results.client_errors:
        print(f"client-side errors: {dict(results.client_errors)}")
    print(
        f"/health: {results.health_checks} checks, {len(results.health_failures)} failed,"
        f" worst {results.health_worst * 1000:.0f} ms"
        + (f" (first failures: {results.health_failures[:3]})" if results.health_failures else "")
    )
    mib = 1024 * 1024
    print(
        f"peak RSS: server + workers {results.rss_peak / mib:.0f} MiB, server process"
        f" {results.rss_main_peak / mib:.0f} MiB ({results.rss_samples} samples)"
    )
    server_errors = sum(n for s, n in by_status.items() if s >= 500 and s != 503)
    p99 = percentile(ok, 0.99)
    checks = {
        "no 5xx other than 503 timeouts": server_errors == 0,
        "every 429 has Retry-After": results.too_many == results.too_many_with_retry_after,
        "p99 of answered cheap queries < 1 s": bool(ok) and p99 < 1.0,
        "/health answered throughout": results.health_checks > 0 and not results.health_failures,
        f"peak RSS < {args.max_rss_mb} MiB": results.rss_peak < args.max_rss_mb * mib,
        "no client-side connection errors": not results.client_errors,
    }
    for name, passed in checks.items():
        print(f"  {'PASS' if passed else 'FAIL'}  {name}")
    return all(checks.values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--expensive-share", type=float, default=0.1)
    parser.add_argument("--store", type=Path, help="serve this store (default: build one)")
    parser.add_argument("--copies", type=int, default=40, help="fact copies in a built store")
    parser.add_argument("--workers", type=int, help="server query workers (default: its own)")
    parser.add_argument("--timeout", type=float, help="server query timeout (default: its own)")
    parser.add_argument("--queue-wait", type=float, help="server queue wait (default: its own)")
    parser.add_argument("--request-timeout", type=float, default=120.0)
    parser.add_argument("--max-backoff", type=float, default=5.0)
    parser.add_argument("--max-rss-mb", type=int, default=2048)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--distinct-sources",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="each client connects from its own 127.x.y.z address, as remote clients would",
    )
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="diplograph-overload-"))
    process: subprocess.Popen | None = None
    try:
        store = args.store
        if store is None:
            store = workdir / "store"
            print(f"building a store ({args.copies} copies of the test facts) ...")
            build_store(store, args.copies)
        port = free_port()
        process = start_server(store, port, args, workdir / "serve.log")
        url = f"http://{HOST}:{port}"
        print(f"server {url} (pid {process.pid}); {args.clients} clients for {args.duration:g} s")

        results = Results()
        stop = threading.Event()
        watchers = [
            threading.Thread(target=health_monitor, args=(url, results, stop), daemon=True),
            threading.Thread(target=rss_monitor, args=(process.pid, results, stop), daemon=True),
        ]
        clients = [
            threading.Thread(target=client, args=(url, results, stop, i, args), daemon=True)
            for i in range(args.clients)
        ]
        started = time.monotonic()
        for thread in watchers + clients:
            thread.start()
        stop.wait(args.duration)
        stop.set()
        elapsed = time.monotonic() - started
        # Clients finish their request in flight (bounded by the request timeout).
        deadline = time.monotonic() + args.request_timeout + 5
        for thread in clients + watchers:
            thread.join(max(0.0, deadline - time.monotonic()))
        if process.poll() is not None:
            print(f"the server died during the run:\n{(workdir / 'serve.log').read_text()}")
            return 1
        return 0 if report(results, args, elapsed) else 1
    finally:
        if process is not None:
            stop_server(process)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
