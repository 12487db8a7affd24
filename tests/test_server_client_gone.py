"""Clients that leave, results that cannot be finished: against a real `diplograph serve`.

A client that hangs up must not keep a worker busy; a streamed result that cannot be
completed must reach the client as an incomplete body, never as a shorter "complete" one.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import time
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests

from tests import server_fixtures
from tests.server_fixtures import LiveServer

ENDLESS = server_fixtures.ENDLESS
CHEAP = server_fixtures.CHEAP
#: A cross join cut at 200,000 rows: about 40 MB of SPARQL JSON, far beyond waitress's
#: 16 MiB output buffer, so the worker is still writing when the client starts reading.
HUGE = "SELECT ?a ?b ?c WHERE { ?a ?p ?c . ?b ?q ?d } LIMIT 200000"


@pytest.fixture()
def patient_server(tmp_path: Path) -> Iterator[LiveServer]:
    """One worker, a long timeout and a long queue wait: only a disconnect can free it."""
    server = server_fixtures.one_worker_server(
        tmp_path, "--timeout", "60", "--queue-wait", "30", "--max-rows", "1000000"
    )
    yield server
    server.stop()


def _send_query(server: LiveServer, query: str) -> socket.socket:
    """POST ``query`` on a raw connection and return it unread (to be closed later)."""
    body = urllib.parse.urlencode({"query": query}).encode()
    sock = socket.create_connection(("127.0.0.1", server.port))
    sock.sendall(
        b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n"
        b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
    )
    return sock


def _client_gone_count(server: LiveServer) -> float:
    metrics = requests.get(server.url + "/metrics", timeout=5).text
    line = 'diplograph_sparql_queries_total{form="SELECT",outcome="client_gone"} '
    found = [row for row in metrics.splitlines() if row.startswith(line)]
    return float(found[0].rsplit(" ", 1)[1]) if found else 0.0


def _wait_for(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def _workers(server: LiveServer) -> set[int]:
    return {p.pid for p in server_fixtures.query_worker_processes(server.process.pid)}


def test_a_client_that_hangs_up_frees_its_place_in_line_and_its_worker(patient_server):
    server = patient_server
    (worker,) = _workers(server)
    with _send_query(server, ENDLESS) as running:
        time.sleep(0.8)  # past SLOW_QUERY_SECONDS: the query is running, demoted
        with _send_query(server, ENDLESS):
            time.sleep(0.3)
        # ... the second client gave up while waiting for the only worker
        assert _wait_for(lambda: _client_gone_count(server) == 1, 2.0)
        assert _workers(server) == {worker}  # the running query was not touched
        started = time.monotonic()
        running.close()  # the first gives up on its running query
    assert _wait_for(lambda: _client_gone_count(server) == 2, 2.0)
    assert time.monotonic() - started < 1.5
    assert _wait_for(lambda: worker not in _workers(server), 2.0)  # killed, not left burning
    # With a 60 s timeout, only the disconnect can have freed the single worker this soon.
    ok = requests.get(server.url + "/sparql", params={"query": CHEAP}, timeout=20)
    assert ok.status_code == 200 and ok.json()["boolean"] is True
    log = server.log.read_text(errors="replace")
    assert '"status": 499' in log and "Traceback" not in log


def test_a_stream_that_cannot_finish_is_an_incomplete_body_not_a_short_result(patient_server):
    server = patient_server
    resp = requests.post(
        server.url + "/sparql",
        data={"query": HUGE},
        # Not gzip: compressed, the whole result would fit in waitress's buffer at once.
        headers={"Accept": "application/sparql-results+json", "Accept-Encoding": "identity"},
        stream=True,
        timeout=30,
    )
    assert resp.status_code == 200 and "Content-Length" not in resp.headers  # streamed
    chunks = resp.iter_content(64 * 1024)
    assert next(chunks).startswith(b'{"head":')
    (worker,) = _workers(server)
    os.kill(worker, signal.SIGKILL)  # the worker dies mid-result (as under the OOM killer)
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        for _ in chunks:
            pass
    # The server answers on, with a fresh worker.
    assert _wait_for(lambda: len(_workers(server) - {worker}) == 1, 10.0)
    ok = requests.get(server.url + "/sparql", params={"query": CHEAP}, timeout=20)
    assert ok.status_code == 200
    log = server.log.read_text(errors="replace")
    assert "streamed result cut" in log
    assert "Traceback" not in log  # the cut is deliberate: one line, not a stack


def test_the_deliberate_cut_logs_no_waitress_traceback():
    from diplograph.server.query_workers import ResultCut
    from diplograph.server.run import _no_traceback_for_cut_results

    def record(exc: BaseException) -> logging.LogRecord:
        return logging.LogRecord(
            "waitress",
            logging.ERROR,
            __file__,
            1,
            "Exception while serving /sparql",
            (),
            (type(exc), exc, None),
        )

    assert not _no_traceback_for_cut_results(record(ResultCut("QueryTimeout")))
    assert _no_traceback_for_cut_results(record(RuntimeError("a real bug")))
