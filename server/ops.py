"""Operations endpoints: /health for load balancers and tests, /metrics for Prometheus."""

from __future__ import annotations

import contextlib
import os
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, Response, jsonify
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from diplograph.server.state import state

bp = Blueprint("ops", __name__)


@bp.route("/health", methods=["GET"])
def health() -> Response:
    """200 with the served version when the store is readable, else 503."""
    st = state()
    try:
        snap = st.source.snapshot()
    except (LookupError, OSError) as exc:
        resp = jsonify(status="unavailable", error=str(exc))
        resp.status_code = 503
        return resp
    resp = jsonify(
        status="ok",
        version=snap.version,
        published_at=snap.published_at.isoformat(),
        triples=int((snap.metadata or {}).get("triples", 0)),
        query_workers=int(st.settings["QUERY_WORKERS"]),
    )
    resp.headers["Cache-Control"] = "no-store"
    return resp


@lru_cache(maxsize=8)
def _dir_size(path: str, version: str) -> int:
    """Bytes under ``path`` (cached per version: published versions never change)."""
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            with contextlib.suppress(OSError):
                total += (Path(root) / name).stat().st_size
    return total


@bp.route("/metrics", methods=["GET"])
def metrics() -> Response:
    st = state()
    try:
        snap = st.source.snapshot()
    except (LookupError, OSError):
        snap = None
    if snap is not None:
        meta = snap.metadata or {}
        st.metrics.store_triples.set(int(meta.get("triples", 0)))
        st.metrics.store_graphs.set(len(meta.get("graphs", {}) or {}))
        st.metrics.store_bytes.set(_dir_size(str(snap.path), snap.version))
        st.metrics.store_info.clear()
        st.metrics.store_info.labels(snap.version).set(1)
    if st.result_cache is not None:
        st.metrics.answer_cache_bytes.set(st.result_cache.size)
        st.metrics.answer_cache_entries.set(len(st.result_cache))
    resp = Response(generate_latest(st.metrics.registry))
    resp.headers["Content-Type"] = CONTENT_TYPE_LATEST
    resp.headers["Cache-Control"] = "no-store"
    return resp
