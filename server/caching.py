"""HTTP validators tied to the data version: ETag, Last-Modified and 304 answers.

Every response derived from the store changes only when a new version is published, so
the version (plus whatever else selects the representation) is a sound entity tag and
the publication time a sound Last-Modified. Tags are weak because gzip may re-encode.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from importlib import metadata

from flask import Request, Response


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
    if request.method not in ("GET", "HEAD"):
        return False
    if request.if_none_match:
        return request.if_none_match.contains_weak(etag)
    ims = request.if_modified_since
    return ims is not None and last_modified.replace(microsecond=0) <= ims


def set_validators(resp: Response, etag: str, last_modified: datetime) -> Response:
    resp.set_etag(etag, weak=True)
    resp.last_modified = last_modified.replace(microsecond=0)
    resp.headers["Cache-Control"] = "public, no-cache"
    return resp


def not_modified_response(etag: str, last_modified: datetime) -> Response:
    return set_validators(Response(status=304), etag, last_modified)
