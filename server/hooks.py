"""Cross-cutting request hooks: limits, CORS, security headers, gzip, metrics, access log."""

from __future__ import annotations

import json
import logging
import time
from datetime import UTC, datetime

from flask import Flask, Request, Response

from diplograph.server import compression, errors, result_cache
from diplograph.server.sparql import EXPOSED_HEADERS
from diplograph.server.state import ServerState, current_request, state

access_log = logging.getLogger("diplograph.access")

#: No inline script, nothing from other origins; YASGUI needs inline style attributes.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


def install(app: Flask) -> None:
    # These run on every request: the request object is looked up once (each use of
    # Flask's ``request`` proxy is a context lookup), and the start time travels in the
    # WSGI environ rather than in ``g``.
    @app.before_request
    def _start() -> None:
        req = current_request()
        environ = req.environ
        environ[STARTED] = time.perf_counter()
        limit = int(state().settings["MAX_URL_LENGTH"])
        raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
        length = len(raw) if raw else len(req.path) + len(req.query_string) + 1
        if length > limit:
            raise errors.uri_too_long(limit)

    @app.after_request
    def _finish(resp: Response) -> Response:
        st = state()
        req = current_request()
        headers = resp.headers
        headers["Access-Control-Allow-Origin"] = "*"
        headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
        if req.method == "OPTIONS":
            headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
            headers["Access-Control-Allow-Headers"] = (
                req.headers.get("Access-Control-Request-Headers")
                or "Accept, Content-Type, If-None-Match, If-Modified-Since"
            )
            headers["Access-Control-Max-Age"] = "86400"
        if "X-Content-Type-Options" not in headers:
            headers["X-Content-Type-Options"] = "nosniff"
        if resp.mimetype in ("text/html", "application/xhtml+xml"):
            headers["Content-Security-Policy"] = CSP
            headers.setdefault("Referrer-Policy", "same-origin")
        compression.maybe_compress(req, resp, int(st.settings["GZIP_MIN_SIZE"]))
        _record(st, req, resp)
        return resp


#: WSGI environ key of the request's start time (``time.perf_counter()``).
STARTED = "diplograph.started"


def _record(st: ServerState, req: Request, resp: Response) -> None:
    now = time.perf_counter()
    elapsed = now - req.environ.get(STARTED, now)
    route = req.url_rule.rule if req.url_rule is not None else "unmatched"
    st.metrics.request_done(req.method, route, resp.status_code, elapsed)
    if not st.settings["ACCESS_LOG"] or not access_log.isEnabledFor(logging.INFO):
        return
    entry = {
        "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
        "remote": req.remote_addr,
        "method": req.method,
        "path": req.path,
        "query_string_bytes": len(req.query_string),
        "status": resp.status_code,
        "bytes": resp.calculate_content_length(),
        "streamed": resp.is_streamed,
        "content_type": resp.mimetype,
        "duration_ms": round(elapsed * 1000, 3),
        "user_agent": req.user_agent.string[:200],
        # what the answer cache did; None where it has no part
        "cache": result_cache.OUTCOMES.get(resp.headers.get("Cache-Status", "")),
    }
    access_log.info(json.dumps(entry, ensure_ascii=False))
