"""HTTP validators tied to the data version: ETag, Last-Modified and 304 answers.

Every response derived from the store changes only when a new version is published, so
the version (plus whatever else selects the representation) is a sound entity tag and
the publication time a sound Last-Modified. Tags are weak because gzip may re-encode.
"""

from __future__ import annotations

import functools
import hashlib
from datetime import datetime
from importlib import metadata

from flask import Request, Response
from werkzeug.http import http_date, quote_etag


def _software_version() -> str:
    try:
        return metadata.version("diplograph")
    except metadata.PackageNotFoundError:
        return "unknown"


#: Part of every tag, so an upgraded server (new pages, new serialisers) is not revalidated
#: against representations made by the old one.
SOFTWARE_VERSION = _software_version()


def etag_for(version: str, *parts: object) -> str:
    """Opaque tag for one representation of one data version (and software version)."""
    key = "\x1f".join(map(str, (SOFTWARE_VERSION, *parts)))
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    return f"{version}-{digest}"


def not_modified(request: Request, etag: str, last_modified: datetime) -> bool:
    """RFC 9110 §13.2.2: If-None-Match wins; otherwise If-Modified-Since (GET/HEAD only)."""
    environ = request.environ
    if "HTTP_IF_NONE_MATCH" not in environ and "HTTP_IF_MODIFIED_SINCE" not in environ:
        return False  # most requests: no need to parse anything
    if request.method not in ("GET", "HEAD"):
        return False
    if request.if_none_match:
        return request.if_none_match.contains_weak(etag)
    ims = request.if_modified_since
    return ims is not None and last_modified.replace(microsecond=0) <= ims


def set_validators(resp: Response, etag: str, last_modified: datetime) -> Response:
    resp.headers.extend(validators(etag, last_modified))
    return resp


def validators(etag: str, last_modified: datetime) -> list[tuple[str, str]]:
    """The ETag (weak), Last-Modified and Cache-Control headers of a representation."""
    return [
        ("ETag", quote_etag(etag, weak=True)),
        ("Last-Modified", _http_date(last_modified)),
        ("Cache-Control", "public, no-cache"),
    ]


@functools.lru_cache(maxsize=64)
def _http_date(moment: datetime) -> str:
    """One formatting per published version, not per request."""
    return http_date(moment.replace(microsecond=0))


def not_modified_response(etag: str, last_modified: datetime) -> Response:
    return set_validators(Response(status=304), etag, last_modified)
