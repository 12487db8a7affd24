"""Prometheus metrics of one app instance (its own registry, so tests can build many apps)."""

from __future__ import annotations

from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

_LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)


class Metrics:
    """Request, query and store metrics exposed at /metrics."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.requests = Counter(
            "diplograph_http_requests_total",
            "HTTP requests by route and status code.",
            ["method", "route", "status"],
            registry=r,
        )
        self.latency = Histogram(
            "diplograph_http_request_duration_seconds",
            "Time to produce the response headers, by route.",
            ["route"],
            buckets=_LATENCY_BUCKETS,
            registry=r,
        )
        self.queries = Counter(
            "diplograph_sparql_queries_total",
            "SPARQL queries by form and outcome (ok, cached, not_modified, error, timeout, "
            "rejected, preempted, client_gone).",
            ["form", "outcome"],
            registry=r,
        )
        self.query_seconds = Histogram(
            "diplograph_sparql_query_duration_seconds",
            "Query evaluation time in the worker pool, until the first buffered bytes.",
            buckets=_LATENCY_BUCKETS,
            registry=r,
        )
        self.query_timeouts = Counter(
            "diplograph_sparql_query_timeouts_total",
            "Queries stopped by the per-query timeout (their worker was killed).",
            registry=r,
        )
        self.preempted = Counter(
            "diplograph_sparql_queries_preempted_total",
            "Slow queries stopped to free a worker for waiting ones (overload).",
            registry=r,
        )
        self.truncated = Counter(
            "diplograph_sparql_results_truncated_total",
            "Results cut at MAX_RESULT_ROWS.",
            registry=r,
        )
        self.store_triples = Gauge(
            "diplograph_store_triples", "Triples in the served version.", registry=r
        )
        self.store_graphs = Gauge(
            "diplograph_store_graphs", "Named graphs in the served version.", registry=r
        )
        self.store_bytes = Gauge(
            "diplograph_store_bytes", "Bytes on disk of the served version's database.", registry=r
        )
        self.answer_cache_bytes = Gauge(
            "diplograph_answer_cache_bytes",
            "Bytes of query answers and pages held by the answer cache (RESULT_CACHE_SIZE).",
            registry=r,
        )
        self.answer_cache_entries = Gauge(
            "diplograph_answer_cache_entries",
            "Answers and pages held by the answer cache.",
            registry=r,
        )
        self.store_info = Gauge(
            "diplograph_store_version_info",
            "Always 1; the label names the served data version.",
            ["version"],
            registry=r,
        )
        #: labelled children by (metric, label values): prometheus_client validates the
        #: values and takes a lock on every labels() call, and this runs on every request
        self._children: dict[tuple[Any, tuple[str, ...]], Any] = {}

    def request_done(self, method: str, route: str, status: int, seconds: float) -> None:
        """Count one answered request and observe its latency."""
        self._labelled(self.requests, method, route, str(status)).inc()
        self._labelled(self.latency, route).observe(seconds)

    def query_done(self, form: str, outcome: str) -> None:
        """Count one SPARQL query by form and outcome."""
        self._labelled(self.queries, form, outcome).inc()

    def _labelled(self, metric: Any, *values: str) -> Any:
        child = self._children.get((metric, values))
        if child is None:
            child = self._children.setdefault((metric, values), metric.labels(*values))
        return child
