"""The per-query timeout really stops the work, overload gets 429, and the server keeps
serving, against a real `diplograph serve` process with one query worker."""

from __future__ import annotations

import dataclasses
import threading
import time
from pathlib import Path

import psutil
import pytest
import requests

from diplograph.server.query_workers import Job
from diplograph.store import VersionedStore
from tests import server_fixtures
from tests.server_fixtures import LiveServer

sample_store = server_fixtures.sample_store

pytestmark = pytest.mark.slow

ENDLESS = server_fixtures.ENDLESS
CHEAP = server_fixtures.CHEAP
TIMEOUT = 2.0


@pytest.fixture()
def one_worker_server(tmp_path):  # type: ignore[no-untyped-def]
    server = server_fixtures.one_worker_server(
        tmp_path, "--timeout", str(TIMEOUT), "--queue-wait", "0.5", "--no-access-log"
    )
    yield server
    server.stop()


def _endless_and_quick(sample_store: Path) -> tuple[Job, Job]:
    """The ENDLESS SELECT and the CHEAP ASK as pool jobs on the sample store's current version."""
    path = str(VersionedStore.open(sample_store).reader().path)
    media = "application/sparql-results+json"
    return (
        Job(store_path=path, query=ENDLESS, form="SELECT", media_type=media),
        Job(store_path=path, query=CHEAP, form="ASK", media_type=media),
    )


def _workers(server: LiveServer) -> set[int]:
    return {p.pid for p in server_fixtures.query_worker_processes(server.process.pid)}


def test_timeout_kills_the_query_and_the_server_keeps_serving(one_worker_server):
    server = one_worker_server
    before = _workers(server)
    assert len(before) == 1
    outcome: dict[str, object] = {}

    def long_query() -> None:
        start = time.monotonic()
        resp = requests.post(server.url + "/sparql", data={"query": ENDLESS}, timeout=60)
        outcome["elapsed"] = time.monotonic() - start
        outcome["response"] = resp

    thread = threading.Thread(target=long_query)
    thread.start()
    time.sleep(0.6)
    # The only worker is busy: another query waits QUEUE_WAIT, then gets 429 + Retry-After.
    busy = requests.get(server.url + "/sparql", params={"query": CHEAP}, timeout=10)
    assert busy.status_code == 429
    assert int(busy.headers["Retry-After"]) >= 1
    # /health does not need a worker.
    assert requests.get(server.url + "/health", timeout=2).status_code == 200
    thread.join(30)
    resp = outcome["response"]
    assert isinstance(resp, requests.Response)
    assert resp.status_code == 503
    assert "did not finish within the 2 s limit" in resp.text
    assert TIMEOUT <= float(outcome["elapsed"]) < TIMEOUT + 1.0  # type: ignore[arg-type]
    # The worker that ran it is gone (killed, not left burning a core) ...
    old = before.pop()
    assert not psutil.pid_exists(old) or psutil.Process(old).status() == psutil.STATUS_ZOMBIE
    # ... and a fresh one answers the next query.
    deadline = time.monotonic() + 10
    while True:
        ok = requests.get(server.url + "/sparql", params={"query": CHEAP}, timeout=10)
        if ok.status_code != 429 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert ok.status_code == 200 and ok.json()["boolean"] is True
    assert _workers(server) and old not in _workers(server)
    metrics = requests.get(server.url + "/metrics", timeout=5).text
    assert "diplograph_sparql_query_timeouts_total 1.0" in metrics
    assert 'diplograph_sparql_queries_total{form="SELECT",outcome="timeout"} 1.0' in metrics
    assert 'diplograph_sparql_queries_total{form="ASK",outcome="rejected"} 1.0' in metrics


def test_a_query_over_the_memory_limit_fails_alone(tmp_path):
    store = tmp_path / "store"
    server_fixtures.build_store(store)
    server = LiveServer(store, "--workers", "1", "--memory-limit", "300", "--no-access-log")
    try:
        # Sorting ~1,100^3 rows needs far more than 300 MiB.
        greedy = (
            "SELECT ?a ?b ?c WHERE { ?a ?p1 ?x . ?b ?p2 ?y . ?c ?p3 ?z } ORDER BY ?a ?b ?c ?x ?y ?z"
        )
        resp = requests.post(server.url + "/sparql", data={"query": greedy}, timeout=60)
        assert resp.status_code == 503
        assert "memory limit" in resp.text
        deadline = time.monotonic() + 10
        while True:
            ok = requests.get(server.url + "/sparql", params={"query": CHEAP}, timeout=10)
            if ok.status_code != 429 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert ok.status_code == 200
        assert psutil.Process(server.process.pid).memory_info().rss < 300 * 2**20
    finally:
        server.stop()


def test_slow_queries_lose_cpu_priority(sample_store):
    """A query running past demote_after gets niceness 10; the pool restores it after."""
    import os

    from diplograph.server.query_workers import QueryPool, QueryTimeout, _set_niceness

    job, quick = _endless_and_quick(sample_store)
    pool = QueryPool(1, demote_after=0.2)
    try:
        (pid,) = pool.worker_pids()
        seen: list[int] = []
        watcher = threading.Timer(0.8, lambda: seen.append(os.getpriority(os.PRIO_PROCESS, pid)))
        watcher.start()
        with pytest.raises(QueryTimeout):
            pool.run(job, timeout=1.5)
        watcher.join()
        assert seen == [10]
        assert pool.run(quick, timeout=10).body == b'{"head":{},"boolean":true}'
        # a demoted worker that finishes gets its priority back (when the OS allows it)
        (new_pid,) = pool.worker_pids()
        worker = next(iter(pool._all))
        if _set_niceness(worker, 10):
            worker.demoted = True
            pool._release(pool._idle.pop())
            can_restore = os.geteuid() == 0
            assert (os.getpriority(os.PRIO_PROCESS, new_pid) == 0) == can_restore
    finally:
        pool.close()


def test_a_stream_closed_before_it_started_frees_its_worker(sample_store):
    from diplograph.server.query_workers import QueryPool

    path = str(VersionedStore.open(sample_store).reader().path)
    pool = QueryPool(1, queue_wait=15)
    try:
        big = Job(
            store_path=path,
            query="SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }",
            form="SELECT",
            media_type="application/sparql-results+json",
        )
        (first_pid,) = pool.worker_pids()
        big = dataclasses.replace(big, stream_threshold=100)
        read = pool.run(big, timeout=10)
        assert read.stream is not None
        body = b"".join(read.stream)
        assert body.endswith(b"]}}") and pool.worker_pids() == [first_pid]  # released
        dropped = pool.run(big, timeout=10)
        dropped.stream.close()  # the client went away before the body started
        again = pool.run(dataclasses.replace(big, stream_threshold=1 << 30), timeout=10)
        assert again.stream is None  # within the threshold: one message, one buffer
        assert again.body == body
        assert pool.worker_pids() != [first_pid]  # the half-read worker was replaced
    finally:
        pool.close()


def test_the_waiting_line_is_bounded(sample_store):
    """Beyond max_waiting waiting requests, refusal is immediate (no thread held for long),
    and a waiter in a full line waits OVERLOAD_QUEUE_WAIT at most."""
    from diplograph.server.query_workers import PoolBusy, QueryPool, QueryTimeout

    endless, _ = _endless_and_quick(sample_store)
    pool = QueryPool(1, queue_wait=5, max_waiting=1)
    outcomes: list[str] = []

    def run() -> None:
        try:
            pool.run(endless, timeout=2)
            outcomes.append("ok")
        except (QueryTimeout, PoolBusy) as exc:
            outcomes.append(type(exc).__name__)

    try:
        runner = threading.Thread(target=run)
        runner.start()
        time.sleep(0.3)
        waiter = threading.Thread(target=run)
        waiter.start()
        time.sleep(0.3)
        started = time.monotonic()
        with pytest.raises(PoolBusy):
            pool.run(endless, timeout=2)
        assert time.monotonic() - started < 0.2
        runner.join(10)
        waiter.join(15)
        # A full line is overload: the waiter gave up after OVERLOAD_QUEUE_WAIT (1 s), not
        # after queue_wait (5 s), before the running query hit its 2 s timeout.
        assert outcomes == ["PoolBusy", "QueryTimeout"]
    finally:
        pool.close()


def test_under_overload_a_slow_query_makes_room_for_a_quick_one(tmp_path):
    store = tmp_path / "store"
    server_fixtures.build_store(store)
    # a line of 2: the one waiting quick query fills half of it, which counts as overload
    server = LiveServer(
        store, "--workers", "1", "--max-waiting", "2", "--timeout", "20", "--no-access-log"
    )
    try:
        outcome: dict[str, requests.Response] = {}

        def long_query() -> None:
            outcome["slow"] = requests.post(
                server.url + "/sparql", data={"query": ENDLESS}, timeout=60
            )

        thread = threading.Thread(target=long_query)
        thread.start()
        time.sleep(1.3)  # older than SLOW_QUERY_SECONDS
        started = time.monotonic()
        quick = requests.get(server.url + "/sparql", params={"query": CHEAP}, timeout=30)
        quick_seconds = time.monotonic() - started
        thread.join(30)
        assert quick.status_code == 200 and quick.json()["boolean"] is True
        assert quick_seconds < 1.5  # 0.25 s wait + a fresh worker
        slow = outcome["slow"]
        assert slow.status_code == 503 and "busy" in slow.text
        assert int(slow.headers["Retry-After"]) >= 1
        metrics = requests.get(server.url + "/metrics", timeout=5).text
        assert "diplograph_sparql_queries_preempted_total 1.0" in metrics
    finally:
        server.stop()


def test_a_short_waiting_line_is_served_in_turn_not_preempted(sample_store):
    """One request waiting on a line of 8 is no overload: the running query is not killed."""
    from diplograph.server.query_workers import PoolBusy, QueryPool, QueryTimeout

    preempted: list[bool] = []
    pool = QueryPool(
        1,
        queue_wait=1.0,
        max_waiting=8,
        demote_after=0.1,
        preempt_after=0.1,
        on_preempt=lambda: preempted.append(True),
    )
    endless, quick = _endless_and_quick(sample_store)
    outcome: list[str] = []

    def run_long() -> None:
        try:
            pool.run(endless, timeout=2.5)
        except QueryTimeout:
            outcome.append("timeout")

    try:
        runner = threading.Thread(target=run_long)
        runner.start()
        time.sleep(0.4)  # past demote_after: a candidate for preemption
        with pytest.raises(PoolBusy):
            pool.run(quick, timeout=5)  # waits its queue_wait, then gives up
        runner.join(10)
        assert outcome == ["timeout"] and preempted == []
    finally:
        pool.close()


def test_under_overload_the_newest_waiter_gets_the_freed_worker(sample_store):
    """In a line at least half full, the worker a preemption frees goes to the newest
    request (a quick query arriving behind slow ones waits for one preemption, not all)."""
    from diplograph.server.query_workers import QueryFailed, QueryPool

    endless, quick = _endless_and_quick(sample_store)
    pool = QueryPool(1, queue_wait=8, max_waiting=3, demote_after=0.2, preempt_after=0.2)
    finished: list[str] = []

    def run(name: str, job: Job) -> None:
        try:
            pool.run(job, timeout=10)
            finished.append(name)
        except QueryFailed:
            finished.append(f"{name} stopped")

    threads = [
        threading.Thread(target=run, args=("slow", endless)),
        threading.Thread(target=run, args=("older", quick)),
        threading.Thread(target=run, args=("newer", quick)),
    ]
    try:
        for thread, pause in zip(threads, (0.4, 0.1, 0.0), strict=True):
            thread.start()
            time.sleep(pause)
        for thread in threads:
            thread.join(20)
        assert finished == ["slow stopped", "newer", "older"]
    finally:
        pool.close()
