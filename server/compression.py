"""gzip for responses when the client accepts it (SPARQL results compress 5-20x).

Buffered bodies are compressed in one go; streamed bodies are compressed chunk by chunk
so a large result is never held in memory. Already compressed files (the dumps) and tiny
bodies are left alone.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterable, Iterator

from flask import Request, Response

_COMPRESSIBLE_PREFIXES = ("text/", "application/")
_SKIP = frozenset({"application/gzip", "application/zip", "application/octet-stream"})


def accepts_gzip(request: Request) -> bool:
    raw = request.environ.get("HTTP_ACCEPT_ENCODING", "").lower()
    if "gzip" not in raw and "*" not in raw:  # most API clients: no header or "identity"
        return False
    return any(
        enc.lower() in ("gzip", "x-gzip", "*") and q > 0 for enc, q in request.accept_encodings
    )


def maybe_compress(request: Request, resp: Response, min_size: int) -> Response:
    """Compress ``resp`` in place if worthwhile; always add ``Vary: Accept-Encoding``."""
    mimetype = resp.mimetype or ""
    headers = resp.headers
    if (
        resp.status_code < 200
        or resp.status_code in (204, 206, 304)
        or request.method == "HEAD"
        or "Content-Encoding" in headers
        or mimetype in _SKIP
        or not mimetype.startswith(_COMPRESSIBLE_PREFIXES)
    ):
        return resp
    vary = headers.get("Vary")
    if not vary:
        headers["Vary"] = "Accept-Encoding"
    elif "accept-encoding" not in vary.lower():
        headers["Vary"] = f"{vary}, Accept-Encoding"
    if not accepts_gzip(request):
        return resp
    if resp.is_streamed or resp.direct_passthrough:
        if resp.direct_passthrough and not isinstance(resp.response, Iterable):
            return resp
        resp.response = _GzipStream(resp.response)
        resp.direct_passthrough = True
        resp.headers.pop("Content-Length", None)
    else:
        data = resp.get_data()
        if len(data) < min_size:
            return resp
        resp.set_data(gzip.compress(data, compresslevel=5, mtime=0))
    resp.headers["Content-Encoding"] = "gzip"
    return resp


class _GzipStream:
    """gzip a streamed body chunk by chunk; ``close()`` always reaches the inner stream."""

    def __init__(self, chunks: Iterable[bytes]):
        self._chunks = chunks

    def __iter__(self) -> Iterator[bytes]:
        comp = zlib.compressobj(5, zlib.DEFLATED, 31)  # wbits 31: gzip container
        try:
            for chunk in self._chunks:
                out = comp.compress(chunk)
                if out:
                    yield out
            yield comp.flush()
        finally:
            self.close()

    def close(self) -> None:
        close = getattr(self._chunks, "close", None)
        if close:
            close()
