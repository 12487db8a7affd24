"""Named HTTP errors with a plain-text message a person can act on.

SPARQL clients print the body of an error response verbatim, so the body is one short
plain-text paragraph (never an HTML stack trace) and the status says what went wrong.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import Flask, Response
from werkzeug.exceptions import HTTPException


class HTTPProblem(Exception):
    """Raised anywhere in a request; turned into a text/plain response by the app."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}

    def response(self) -> Response:
        resp = Response(self.message.rstrip("\n") + "\n", status=self.status)
        resp.mimetype = "text/plain"
        resp.headers.update(self.headers)
        return resp


def bad_request(message: str) -> HTTPProblem:
    return HTTPProblem(400, message)


def not_found(message: str = "Not found.") -> HTTPProblem:
    return HTTPProblem(404, message)


def method_not_allowed(allowed: Iterable[str]) -> HTTPProblem:
    allow = ", ".join(allowed)
    return HTTPProblem(405, f"Method not allowed; use {allow}.", {"Allow": allow})


def not_acceptable(offers: Iterable[str]) -> HTTPProblem:
    return HTTPProblem(
        406, "None of the requested media types is available; available: " + ", ".join(offers) + "."
    )


def content_too_large(limit: int) -> HTTPProblem:
    return HTTPProblem(413, f"Request too large: the limit is {limit} bytes/characters.")


def uri_too_long(limit: int) -> HTTPProblem:
    return HTTPProblem(
        414, f"Request URI too long (limit {limit}); send long queries with POST instead."
    )


def unsupported_media_type(message: str) -> HTTPProblem:
    return HTTPProblem(415, message)


def too_many_requests(retry_after: int, message: str) -> HTTPProblem:
    return HTTPProblem(429, message, {"Retry-After": str(retry_after)})


def service_unavailable(message: str, retry_after: int | None = None) -> HTTPProblem:
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
    return HTTPProblem(503, message, headers)


def install(app: Flask) -> None:
    """Register the handlers: HTTPProblem and Werkzeug's own errors become plain text."""

    @app.errorhandler(HTTPProblem)
    def _problem(exc: HTTPProblem) -> Response:
        return exc.response()

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> Response:
        resp = HTTPProblem(exc.code or 500, exc.description or exc.name).response()
        if exc.code == 405:
            allowed = exc.get_response().headers.get("Allow")
            if allowed:
                resp.headers["Allow"] = allowed
        return resp
