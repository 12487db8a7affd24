"""SPARQL evaluation in worker processes, with a timeout that really stops the work.

pyoxigraph cannot cancel a running query, and a thread cannot be killed, so a query that
runs for minutes would hold a core until it ends. Each query therefore runs in a worker
process that opened the store read-only (so no query can ever write); when the deadline
passes the server SIGKILLs that worker, answers 503 and starts a replacement in the
background. The pool size bounds how many queries run at once; a request that finds no
free worker within ``queue_wait`` seconds is refused (the caller answers 429), and so is
one that arrives when ``max_waiting`` requests already wait: a waiting request holds an
HTTP thread, and the server must keep threads free for /health, pages and quick answers.

Idle workers are reused last-in first-out: under light load the same worker (and its
warm RocksDB block cache and page-table entries) answers query after query, instead of
every worker being cycled through with a cold cache.

Wire protocol (``multiprocessing`` pipe, one job at a time per worker):
  parent -> worker: a :class:`Job`
  worker -> parent: ("error", status, message)
                  | ("done", head, body)             a result of at most job.stream_threshold
                  | ("head", head) then ("chunk", bytes)* then ("end", None)   a larger one
  where head = {"form", "media_type", "count", "truncated"}. Most results take the single
  "done" message: one pipe round trip per query.
"""

from __future__ import annotations

import collections
import contextlib
import itertools
import logging
import math
import multiprocessing
import os
import pickle
import select
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

log = logging.getLogger("diplograph.server.workers")

#: Default length of the waiting line per worker. A waiting request only holds an idle
#: HTTP thread, so the line can be long: with 4 workers, 32 clients queue (each waits at
#: most QUEUE_WAIT) before anyone is refused with 429. A line of two per worker made a mere
#: 16 concurrent clients bounce off with 429s in the benchmark.
WAITING_PER_WORKER = 8

#: Under overload (the line at least half full) a request waits at most this long, not the
#: whole QUEUE_WAIT: newer requests are served first then (see QueryPool._give), so an old
#: waiter would mostly wait for nothing; it gets its 429 and Retry-After early instead
#: (a CoDel-style short queue under load). With 64 clients on 4 workers it kept the p99
#: of answered quick queries under a second.
OVERLOAD_QUEUE_WAIT = 1.0
#: How often a waiting request re-checks for overload (and may preempt).
RECHECK_SECONDS = 0.25

#: Piece size of a streamed result (waitress then sends up to 256 KiB per send()).
CHUNK_SIZE = 256 * 1024


@dataclass(frozen=True, slots=True)
class Job:
    """One query to evaluate against the Oxigraph directory ``store_path``."""

    store_path: str
    query: str
    form: str
    media_type: str
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    #: without protocol graphs: the union of all graphs, or (False) the query's FROM clauses
    union_default_graph: bool = True
    max_rows: int = 100_000
    base_iri: str | None = None
    #: ``query`` rewritten with the row cap inside (select_cap.py), or None
    capped_query: str | None = None
    #: results up to this many bytes come back in one message; larger ones are streamed
    stream_threshold: int = 1 << 20

    def __reduce__(self) -> tuple[type[Job], tuple[Any, ...]]:
        # Pickled for every query: the values in field order, not the generic
        # dataclass state (which looks the fields up again each time).
        return (Job, tuple(getattr(self, name) for name in self.__slots__))


class QueryFailed(Exception):
    """The query was rejected by the parser or failed while running (status 400/500)."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


class QueryTimeout(Exception):
    """The query outran its deadline; its worker was killed."""


class QueryPreempted(QueryFailed):
    """A slow query stopped because quicker ones were waiting for a worker (overload)."""

    def __init__(self, seconds: float):
        super().__init__(
            503,
            f"The server is busy: this query had run {seconds:.1f} s while other queries "
            "waited for a worker, so it was stopped to serve them. Retry later, or make the "
            "query more selective.",
        )


class PoolBusy(Exception):
    """Every worker stayed busy for the whole queue wait."""


class ClientGone(Exception):
    """The client closed its connection before its result was ready; the query stopped.

    Without this, a client that gives up on a slow query (a browser tab closed, a script
    interrupted) would leave a worker busy until the query ends or times out.
    """


class ResultCut(Exception):
    """A streamed result could not be completed (deadline passed, worker died).

    Raised from the body iterator so that the HTTP server drops the connection without
    the final empty chunk: every HTTP client then reports an incomplete body (curl exit
    18, ``requests.ChunkedEncodingError``) instead of a complete-looking, silently
    shortened 200 response (N-Triples cut at a line end parse as valid data).
    """


@dataclass
class Outcome:
    """A finished (``body``) or still streaming (``stream``) result."""

    head: dict[str, Any]
    body: bytes | None = None
    stream: Iterator[bytes] | None = None
    elapsed: float = 0.0


# -- worker side --------------------------------------------------------------------------


class _Reply:
    """A binary file-like sink for one result: one "done" message if the result stays
    within the job's stream threshold, else "head" and CHUNK_SIZE "chunk" messages."""

    def __init__(self, conn: Connection, head: dict[str, Any], threshold: int):
        self.conn = conn
        self.head = head
        self.threshold = threshold
        self.buf = bytearray()
        self.streaming = False

    def write(self, data: bytes) -> int:
        self.buf += data
        if not self.streaming and len(self.buf) > self.threshold:
            self.conn.send(("head", self.head))
            self.streaming = True
        if self.streaming and len(self.buf) >= CHUNK_SIZE:
            self._send_whole_chunks()
        return len(data)

    def _send_whole_chunks(self) -> None:
        """Send the buffer in CHUNK_SIZE pieces, keeping the remainder: a natively
        serialised result arrives in one write of many megabytes, and one message that
        size would reach the client only after the worker sent all of it."""
        whole = len(self.buf) - len(self.buf) % CHUNK_SIZE
        with memoryview(self.buf) as view:
            for start in range(0, whole, CHUNK_SIZE):
                self.conn.send(("chunk", bytes(view[start : start + CHUNK_SIZE])))
        del self.buf[:whole]

    def flush(self) -> None:
        if self.streaming and self.buf:
            self.conn.send(("chunk", bytes(self.buf)))
            self.buf.clear()

    def finish(self) -> None:
        if self.streaming:
            self.flush()
            self.conn.send(("end", None))
        else:
            self.conn.send(("done", self.head, bytes(self.buf)))

    @classmethod
    def send(
        cls, conn: Connection, head: dict[str, Any], threshold: int, parts: Iterable[bytes]
    ) -> None:
        """Send a result serialised already (in ``parts``)."""
        reply = cls(conn, head, threshold)
        for part in parts:
            reply.write(part)
        reply.finish()


def _run_job(store: Any, job: Job, conn: Connection) -> None:
    import pyoxigraph as ox

    from diplograph.server import results

    kwargs: dict[str, Any] = {}
    if job.default_graphs is None:
        # pyoxigraph's union flag would override the query's own FROM / FROM NAMED
        if job.union_default_graph:
            kwargs["use_default_graph_as_union"] = True
    else:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs]
    if job.named_graphs is not None:
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
    if job.base_iri:
        kwargs["base_iri"] = job.base_iri
    if job.capped_query is not None and _run_capped_select(store, job, kwargs, conn):
        return
    if _run_native_graph(store, job, kwargs, conn):
        return
    try:
        result = store.query(job.query, **kwargs)
    except SyntaxError as exc:
        from diplograph.server.syntax_errors import one_line

        conn.send(("error", 400, one_line(str(exc), job.query)))
        return
    except (ValueError, OSError) as exc:
        conn.send(("error", 400, f"The query could not be evaluated: {exc}"))
        return
    head: dict[str, Any] = {"media_type": job.media_type, "truncated": False, "count": None}
    sink = _Reply(conn, head, job.stream_threshold)  # sends ``head`` as it is at first output
    if isinstance(result, ox.QueryBoolean):
        head["form"] = "ASK"
        if job.media_type not in results.BOOLEAN_TYPES:
            conn.send(("error", 406, f"ASK results are not available as {job.media_type}."))
            return
        results.write_boolean(bool(result), job.media_type, sink)
    elif isinstance(result, ox.QuerySolutions):
        head["form"] = "SELECT"
        if job.media_type not in results.SOLUTION_TYPES:
            conn.send(("error", 406, f"SELECT results are not available as {job.media_type}."))
            return
        variables = [v.value for v in result.variables]
        rows = list(itertools.islice(result, job.max_rows + 1))
        truncated = len(rows) > job.max_rows
        del rows[job.max_rows :]
        head.update(count=len(rows), truncated=truncated)
        results.write_solutions(
            variables, rows, job.media_type, sink, job.max_rows if truncated else None
        )
    else:
        head["form"] = "CONSTRUCT"
        if job.media_type not in results.GRAPH_TYPES:
            conn.send(("error", 406, f"Graph results are not available as {job.media_type}."))
            return
        triples = list(itertools.islice(result, job.max_rows + 1))
        truncated = len(triples) > job.max_rows
        del triples[job.max_rows :]
        head.update(count=len(triples), truncated=truncated)
        results.write_graph(triples, job.media_type, sink)
    sink.finish()


def _limit_memory(max_bytes: int) -> None:
    """Cap the worker's heap (RLIMIT_DATA also covers anonymous mmap since Linux 4.7).

    A query that needs more fails inside its own worker (MemoryError or an abort), which
    the parent reports and replaces; the server's memory stays bounded.
    """
    if max_bytes <= 0:
        return
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_DATA, (max_bytes, max_bytes))
    except (ImportError, ValueError, OSError):  # not on this platform: no cap
        log.warning("could not limit query worker memory to %d bytes", max_bytes)


def _run_capped_select(store: Any, job: Job, kwargs: dict[str, Any], conn: Connection) -> bool:
    """The fast path: cap inside the engine, serialise natively (see select_cap.py).

    Returns False when the caller must take the general path: the query cannot be
    rewritten, does not parse (so the error message points into the user's text), or
    has more solutions than the cap (rows are then cut in Python).
    """
    import pyoxigraph as ox

    from diplograph.server.select_cap import count_rows

    assert job.capped_query is not None
    try:
        result = store.query(job.capped_query, **kwargs)
    except (SyntaxError, ValueError):
        return False
    if not isinstance(result, ox.QuerySolutions):
        return False
    fmt = ox.QueryResultsFormat.from_media_type(job.media_type)
    body = result.serialize(format=fmt)
    rows = count_rows(body, job.media_type)
    if rows > job.max_rows:
        return False
    head = {"media_type": job.media_type, "truncated": False, "form": "SELECT", "count": rows}
    _Reply.send(conn, head, job.stream_threshold, [body])
    return True


#: Graph formats with exactly one triple per line, so a native serialisation can be
#: counted (and cut at the cap) without a Python object per triple. Triples in N-Quads are
#: N-Triples lines (the default graph), so one serialiser serves both.
_LINE_GRAPH_TYPES = frozenset({"application/n-triples", "application/n-quads"})


class _CapExceeded(Exception):
    """Raised from inside the native serialiser when a graph result passes the cap."""


class _CountingBuffer:
    """Collects what pyoxigraph's serialiser writes, counting lines (= triples).

    Raising in ``write`` stops the native serialiser, so a huge CONSTRUCT never builds more
    than ``cap`` lines in memory before the caller falls back to the capped Python path.
    """

    def __init__(self, cap: int):
        self.cap = cap
        self.lines = 0
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.lines += data.count(b"\n")
        if self.lines > self.cap:
            raise _CapExceeded()
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass


def _run_native_graph(store: Any, job: Job, kwargs: dict[str, Any], conn: Connection) -> bool:
    """CONSTRUCT/DESCRIBE as N-Triples/N-Quads serialised natively, without a Python object
    per triple. False: take the general path (the cap was passed, or the query failed, so
    that the general path reports the error in its usual words)."""
    import pyoxigraph as ox

    if job.form not in ("CONSTRUCT", "DESCRIBE") or job.media_type not in _LINE_GRAPH_TYPES:
        return False
    try:
        result = store.query(job.query, **kwargs)
    except (SyntaxError, ValueError, OSError):
        return False
    if not isinstance(result, ox.QueryTriples):
        return False
    sink = _CountingBuffer(job.max_rows)
    try:
        result.serialize(sink, format=ox.RdfFormat.N_TRIPLES)
    except Exception:  # _CapExceeded, however the binding wraps it
        if sink.lines > job.max_rows:
            return False
        raise
    head = {"media_type": job.media_type, "truncated": False, "form": "CONSTRUCT"}
    _Reply.send(conn, {**head, "count": sink.lines}, job.stream_threshold, sink.parts)
    return True


def worker_main(conn: Connection, memory_limit: int = 0) -> None:
    """Entry point of a worker process: open stores read-only, answer jobs forever."""
    from diplograph.store.remote import open_dataset

    _limit_memory(memory_limit)

    store = None
    store_path = None
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        if job is None:
            return
        try:
            if job.store_path != store_path:
                store = None
                store = open_dataset(job.store_path)  # read-only directory or remote endpoint
                store_path = job.store_path
            _run_job(store, job, conn)
        except (BrokenPipeError, EOFError):
            return
        except Exception as exc:
            try:
                conn.send(("error", 500, f"Internal error while evaluating the query: {exc}"))
            except OSError:
                return


# -- parent side --------------------------------------------------------------------------

#: Niceness of a worker whose query has run longer than ``demote_after`` seconds: when
#: there are more workers than cores, quick queries keep most of the CPU while slow ones
#: run (the OS scheduler shares CPU time by niceness).
SLOW_NICENESS = 10


def _set_niceness(worker: _Worker, value: int) -> bool:
    """Set a worker's niceness; False if not permitted (lowering needs CAP_SYS_NICE)."""
    pid = worker.process.pid
    if pid is None:
        return False
    try:
        os.setpriority(os.PRIO_PROCESS, pid, value)
    except (OSError, AttributeError):
        return False
    return True


@dataclass(eq=False)
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    demoted: bool = False
    #: monotonic start of the query it runs (None when idle)
    started: float | None = None
    #: killed by the pool to make room (see QueryPool._preempt)
    preempted: bool = False
    _poller: Any = None

    def ready(self, timeout: float) -> bool:
        """Whether the worker's answer can be read within ``timeout`` seconds.

        ``Connection.poll`` builds and tears down a selector on every call; this polls
        the pipe with one ``select.poll`` object per worker (a worker serves one request
        at a time, so it is never polled from two threads at once).
        """
        if self._poller is None:
            self._poller = select.poll()
            self._poller.register(self.conn.fileno(), select.POLLIN)
        return bool(self._poller.poll(max(0, math.ceil(timeout * 1000))))

    def kill(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.process.kill()
        self.process.join(5)
        self.conn.close()


@dataclass(eq=False)
class _Waiter:
    """A request waiting for a worker; ``_give`` sets ``worker`` and then ``ready``."""

    ready: threading.Event = field(default_factory=threading.Event)
    worker: _Worker | None = None


@dataclass
class PoolStats:
    timeouts: int = 0
    respawns: int = 0
    rejected: int = 0
    #: requests given up because their client disconnected (ClientGone)
    abandoned: int = 0


def _worker_context() -> multiprocessing.context.BaseContext:
    """``forkserver`` where available: replacements fork in milliseconds from a clean,
    single-threaded server process that has pyoxigraph imported already (a killed worker is
    replaced while the server is under load, so start-up cost matters); ``spawn`` elsewhere.
    Never plain ``fork`` from the multi-threaded web server."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["pyoxigraph", "diplograph.server.query_workers"])
        return ctx
    return multiprocessing.get_context("spawn")


class QueryPool:
    """A fixed number of worker processes; ``run`` borrows one for one query."""

    def __init__(
        self,
        size: int,
        queue_wait: float = 2.0,
        max_waiting: int | None = None,
        on_timeout: Callable[[], None] | None = None,
        memory_limit: int = 0,
        demote_after: float = 1.0,
        preempt_after: float = 0.0,
        on_preempt: Callable[[], None] | None = None,
    ):
        if size < 1:
            raise ValueError("a query pool needs at least one worker")
        self.size = size
        self.queue_wait = queue_wait
        self.max_waiting = WAITING_PER_WORKER * size if max_waiting is None else max_waiting
        #: requests waiting for a worker, oldest first (see _give for who is served next)
        self._waiters: collections.deque[_Waiter] = collections.deque()
        self.memory_limit = memory_limit
        self.demote_after = demote_after
        self.preempt_after = preempt_after
        self.on_preempt = on_preempt
        self._busy: set[_Worker] = set()
        self.on_timeout = on_timeout
        self.stats = PoolStats()
        self._ctx = _worker_context()
        self._idle: list[_Worker] = []  # a stack: the warmest worker is reused first
        self._closed = False
        self._lock = threading.Lock()
        self._all: set[_Worker] = set()
        for _ in range(size):
            self._give(self._spawn())

    def _spawn(self) -> _Worker:
        parent, child = self._ctx.Pipe(duplex=True)
        proc = self._ctx.Process(
            target=worker_main,
            args=(child, self.memory_limit),
            name="diplograph-query-worker",
            daemon=True,
        )
        proc.start()
        child.close()
        worker = _Worker(proc, parent)
        with self._lock:
            self._all.add(worker)
        return worker

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker`` and put a fresh one in the pool without blocking the caller."""
        with self._lock:
            self._all.discard(worker)
            self._busy.discard(worker)
        worker.kill()
        self.stats.respawns += 1
        if self._closed:
            return

        def start() -> None:
            delay = 0.5
            while not self._closed:
                try:
                    self._give(self._spawn())
                    return
                except OSError:  # e.g. out of processes or file descriptors: retry
                    log.exception("could not start a query worker; retrying in %.1f s", delay)
                    time.sleep(delay)
                    delay = min(delay * 2, 30.0)

        threading.Thread(target=start, name="diplograph-respawn", daemon=True).start()

    def _release(self, worker: _Worker) -> None:
        with self._lock:
            self._busy.discard(worker)
            worker.started = None
            preempted = worker.preempted
        if preempted:  # killed by _preempt just as its query ended: never reuse it
            self._replace(worker)
            return
        if self._closed:
            worker.kill()
            return
        if worker.demoted:
            worker.demoted = not _set_niceness(worker, 0)
        self._give(worker)

    def _give(self, worker: _Worker) -> None:
        """Hand a free worker to a waiting request, or keep it idle.

        Normally the request that has waited longest is served (first come, first
        served). Under overload (the line at least half full) the newest is served
        instead: under an attack of slow queries the line is full of them, each holding a
        worker until it is preempted, so in arrival order a quick query would wait behind
        all of them; served newest-first it waits for one preemption. The older waiters
        then reach their queue wait and get 429 with Retry-After, which is what overload
        means for them anyway.
        """
        with self._lock:
            if self._waiters:
                waiter = self._waiters.pop() if self._overloaded() else self._waiters.popleft()
                waiter.worker = worker
                waiter.ready.set()
                return
            self._idle.append(worker)

    def _borrow(self, client_gone: Callable[[], bool] | None = None) -> _Worker:
        """An idle worker, after waiting at most ``queue_wait`` in a bounded line (at most
        OVERLOAD_QUEUE_WAIT while the line is at least half full).

        With preemption on, a request that has waited ``preempt_after`` seconds while the
        line is at least half full (overload) stops the longest-running slow query (one
        past ``demote_after``) to free a worker: under overload many quick queries are
        served before a few long ones.
        """
        with self._lock:
            if self._idle:
                return self._take_locked(self._idle.pop())
            if len(self._waiters) >= self.max_waiting:
                self.stats.rejected += 1
                raise PoolBusy()
            waiter = _Waiter()
            self._waiters.append(waiter)
        arrived = time.monotonic()
        deadline = arrived + self.queue_wait
        while True:
            overloaded = self._overloaded()
            if overloaded:
                deadline = min(deadline, arrived + OVERLOAD_QUEUE_WAIT)
            may_preempt = self.preempt_after > 0 and overloaded
            remaining = deadline - time.monotonic()
            # wake up now and then: the line may become overloaded while this one waits
            wait = min(remaining, self.preempt_after or RECHECK_SECONDS, RECHECK_SECONDS)
            if waiter.ready.wait(max(0.0, wait)):
                break
            gone = client_gone is not None and client_gone()
            with self._lock:
                if waiter.worker is None and gone:
                    self._waiters.remove(waiter)
                    self.stats.abandoned += 1
                    raise ClientGone()
                if waiter.worker is None and time.monotonic() >= deadline:
                    self._waiters.remove(waiter)
                    self.stats.rejected += 1
                    raise PoolBusy()
            if may_preempt and waiter.worker is None:
                self._preempt()  # again after each further preempt_after
        assert waiter.worker is not None
        with self._lock:
            return self._take_locked(waiter.worker)

    def _overloaded(self) -> bool:
        """The waiting line is at least half full: only then is preempting worth the work
        it throws away. A few requests waiting a moment (16 benchmark clients on 4
        workers) are served in turn: preempting there killed 0.7 s queries that would
        have finished (1M triples: 27 such 503s, 0.59 of the Oxigraph server's
        throughput; with this rule none, and 0.80)."""
        return 2 * len(self._waiters) >= max(1, self.max_waiting)

    def _take_locked(self, worker: _Worker) -> _Worker:
        worker.started = time.monotonic()
        self._busy.add(worker)
        return worker

    def _preempt(self) -> None:
        """Kill the worker of the longest-running slow query (its caller answers 503)."""
        now = time.monotonic()
        with self._lock:
            slow = [
                w
                for w in self._busy
                if w.started is not None
                and not w.preempted
                and now - w.started >= max(self.demote_after, self.preempt_after)
            ]
            if not slow:
                return
            victim = min(slow, key=lambda w: w.started or now)
            victim.preempted = True
        log.warning("preempting a query that ran %.1f s", now - (victim.started or now))
        if self.on_preempt:
            self.on_preempt()
        with contextlib.suppress(OSError, ValueError):
            victim.process.kill()  # its caller sees EOF, answers 503, replaces it

    def worker_pids(self) -> list[int]:
        with self._lock:
            return [w.process.pid for w in self._all if w.process.pid]

    def run(
        self, job: Job, timeout: float, client_gone: Callable[[], bool] | None = None
    ) -> Outcome:
        """Evaluate ``job``; raises QueryFailed, QueryTimeout, PoolBusy or ClientGone.

        ``client_gone`` (e.g. waitress's ``client_disconnected``) is asked every
        RECHECK_SECONDS while the request waits in line or its query runs past
        ``demote_after``: once it says yes, the request leaves the line, or its worker is
        killed and replaced. Quick queries never ask it.
        """
        if self._closed:
            raise PoolBusy()
        worker = self._borrow(client_gone)
        start = time.monotonic()
        deadline = start + timeout
        try:
            worker.conn.send(job)
            kind, *payload = self._recv(worker, deadline, client_gone)
        except BaseException:
            self._replace(worker)
            raise
        if kind == "error":
            self._release(worker)
            raise QueryFailed(payload[0], payload[1])
        if kind == "done":
            self._release(worker)
            return Outcome(payload[0], body=payload[1], elapsed=time.monotonic() - start)
        # A result larger than job.stream_threshold: stream it while the worker writes it.
        return Outcome(
            payload[0],
            stream=ResultStream(self, worker, deadline),
            elapsed=time.monotonic() - start,
        )

    def _recv(
        self, worker: _Worker, deadline: float, client_gone: Callable[[], bool] | None = None
    ) -> tuple[Any, ...]:
        if not worker.demoted and self.demote_after > 0:
            if worker.ready(min(self.demote_after, max(0.0, deadline - time.monotonic()))):
                return self._read(worker)
            _set_niceness(worker, SLOW_NICENESS)
            worker.demoted = True
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.stats.timeouts += 1
                if self.on_timeout:
                    self.on_timeout()
                raise QueryTimeout()
            wait = remaining if client_gone is None else min(remaining, RECHECK_SECONDS)
            if worker.ready(wait):
                return self._read(worker)
            if client_gone is not None and client_gone():
                self.stats.abandoned += 1
                raise ClientGone()

    def _read(self, worker: _Worker) -> tuple[Any, ...]:
        try:
            return worker.conn.recv()
        except (EOFError, OSError, pickle.UnpicklingError) as exc:
            if worker.preempted:
                raise QueryPreempted(time.monotonic() - (worker.started or 0)) from exc
            worker.process.join(1)
            code = worker.process.exitcode
            raise QueryFailed(
                503,
                f"The query stopped its worker process (exit code {code}), most likely by "
                "exceeding the per-query memory limit; it was not completed. "
                "Make the query more selective.",
            ) from exc

    def close(self) -> None:
        """Stop every worker (idle or busy)."""
        self._closed = True
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for w in workers:
            with contextlib.suppress(OSError):
                w.conn.send(None)
        deadline = time.monotonic() + 2
        for w in workers:
            w.process.join(max(0.0, deadline - time.monotonic()))
            if w.process.is_alive():
                w.kill()
            else:
                w.conn.close()


class ResultStream:
    """The rest of a large result, read from the worker while the client receives it.

    A class rather than a generator: the WSGI server calls ``close()`` even when it never
    started iterating (client gone), and the worker must then be released or replaced;
    an unstarted generator would silently run no cleanup and leak the worker.
    """

    def __init__(self, pool: QueryPool, worker: _Worker, deadline: float):
        self._pool = pool
        self._worker = worker
        self._deadline = deadline
        self._finished = False
        self._closed = False

    def __iter__(self) -> Iterator[bytes]:
        try:
            while True:
                try:
                    message = self._pool._recv(self._worker, self._deadline)
                except (QueryTimeout, QueryFailed) as exc:
                    # The status line is gone already: abort the connection so that the
                    # client sees an incomplete body, never a shortened "complete" one.
                    log.warning("streamed result cut: %s", type(exc).__name__)
                    raise ResultCut(type(exc).__name__) from exc
                if message[0] == "end":
                    self._finished = True
                    return
                if message[0] != "chunk":  # an error after the first chunk
                    log.warning("streamed result cut: %s", message[-1])
                    raise ResultCut(str(message[-1]))
                yield message[1]
        finally:
            self.close()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._finished:
            self._pool._release(self._worker)
        else:
            self._pool._replace(self._worker)


def default_workers() -> int:
    """Two workers per core, at least 4: with slow queries demoted (SLOW_QUERY_SECONDS),
    a few long queries cannot take every worker from the quick ones."""
    return max(4, 2 * (os.cpu_count() or 1))
