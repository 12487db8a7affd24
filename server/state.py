"""The per-app objects every blueprint shares: settings, data source, query pool, metrics."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from flask import Request, current_app, request

from diplograph.server.dataset import DatasetSource
from diplograph.server.metrics import Metrics
from diplograph.server.query_workers import WAITING_PER_WORKER, QueryPool
from diplograph.server.result_cache import ResultCache


@dataclass
class ServerState:
    settings: dict[str, Any]
    source: DatasetSource
    metrics: Metrics
    #: answers of repeated queries (None: off, see RESULT_CACHE_SIZE)
    result_cache: ResultCache | None = None
    _pool: QueryPool | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def pool(self) -> QueryPool:
        """The worker pool, started on first use (apps that only render pages spawn nothing)."""
        with self._lock:
            if self._pool is None:
                self._pool = QueryPool(
                    int(self.settings["QUERY_WORKERS"]),
                    queue_wait=float(self.settings["QUEUE_WAIT"]),
                    max_waiting=self.max_waiting(),
                    on_timeout=self.metrics.query_timeouts.inc,
                    memory_limit=int(self.settings["QUERY_MEMORY_LIMIT"]),
                    demote_after=float(self.settings["SLOW_QUERY_SECONDS"]),
                    preempt_after=float(self.settings["PREEMPT_WAIT"]),
                    on_preempt=self.metrics.preempted.inc,
                )
            return self._pool

    def max_waiting(self) -> int:
        configured = self.settings["MAX_WAITING_QUERIES"]
        workers = int(self.settings["QUERY_WORKERS"])
        return WAITING_PER_WORKER * workers if configured is None else int(configured)

    def start_pool(self) -> None:
        self.pool()

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.close()


def state() -> ServerState:
    return current_app.extensions["diplograph"]


def current_request() -> Request:
    """The request object itself: code that runs on every request reads it many times, and
    each use of Flask's ``request`` proxy is a context lookup."""
    return request._get_current_object()  # type: ignore[attr-defined, no-any-return]
