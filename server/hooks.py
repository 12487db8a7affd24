"""Cross-cutting request hooks: limits, CORS, security headers, gzip, metrics, access log."""

from __future__ import annotations

import json
import logging
import time
from datetime import UTC, datetime

from flask import Flask, Response, g, request

from diplograph.server import compression, errors
from diplograph.server.sparql import EXPOSED_HEADERS
from diplograph.server.state import ServerState, state

access_log = logging.getLogger("diplograph.access")

#: No inline script, nothing from other origins; YASGUI needs inline style attributes.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


def install(app: Flask) -> None:
    @app.before_request
    def _start() -> None:
        g.started = time.perf_counter()
        limit = int(state().settings["MAX_URL_LENGTH"])
        raw = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI")
        length = len(raw) if raw else len(request.path) + len(request.query_string) + 1
        if length > limit:
            raise errors.uri_too_long(limit)

    @app.after_request
    def _finish(resp: Response) -> Response:
        st = state()
        resp.headers["Access-Control-Allow-Origin"] = "*"
        resp.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
        if request.method == "OPTIONS":
            resp.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
            resp.headers["Access-Control-Allow-Headers"] = (
                request.headers.get("Access-Control-Request-Headers")
                or "Accept, Content-Type, If-None-Match, If-Modified-Since"
            )
            resp.headers["Access-Control-Max-Age"] = "86400"
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        if resp.mimetype in ("text/html", "application/xhtml+xml"):
            resp.headers["Content-Security-Policy"] = CSP
            resp.headers.setdefault("Referrer-Policy", "same-origin")
        compression.maybe_compress(request, resp, int(st.settings["GZIP_MIN_SIZE"]))
        _record(st, resp)
        return resp


def _record(st: ServerState, resp: Response) -> None:
    elapsed = time.perf_counter() - g.get("started", time.perf_counter())
    route = request.url_rule.rule if request.url_rule is not None else "unmatched"
    st.metrics.request_done(request.method, route, resp.status_code, elapsed)
    if not st.settings["ACCESS_LOG"] or not access_log.isEnabledFor(logging.INFO):
        return
    entry = {
        "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
        "remote": request.remote_addr,
        "method": request.method,
        "path": request.path,
        "query_string_bytes": len(request.query_string),
        "status": resp.status_code,
        "bytes": resp.calculate_content_length(),
        "streamed": resp.is_streamed,
        "content_type": resp.mimetype,
        "duration_ms": round(elapsed * 1000, 3),
        "user_agent": request.user_agent.string[:200],
    }
    access_log.info(json.dumps(entry, ensure_ascii=False))
