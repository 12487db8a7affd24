"""Dump downloads at /dumps/: an index (HTML or JSON) and the files of the served version.

The dump files are gzip files and are served as such: ``Content-Type: application/gzip``
and no ``Content-Encoding``. With ``Content-Encoding: gzip`` browsers and HTTP clients would
silently unpack them, so the saved file would not match the published size and SHA-256,
and byte ranges would refer to the unpacked stream. The RDF format of each file is in the
listing (``media_type``) and in its name (``.ttl.gz``, ``.nq.gz``).

Only names listed in the version's manifest are served: a request path never reaches
the file system, so traversal (``..%2f``, encoded NUL) cannot escape the dump folder.

Dumps are written after a version is published, so the files served are those of the
newest version whose dumps are complete (never a half-written file, and never nothing
while the next ones are written); the listing says which data version they hold
(``version``) beside the version the SPARQL endpoint serves (``current_version``).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, jsonify, render_template, request, send_file

from diplograph.server import errors, service_description
from diplograph.server.negotiation import negotiate
from diplograph.server.state import state
from diplograph.store.dumps import manifest_files, read_manifest_document

bp = Blueprint("dumps", __name__)


@dataclass(frozen=True)
class DumpsVersion:
    """The data version the served dump files hold (may be older than the current one)."""

    version: str
    published_at: datetime
    current_version: str
    folder: Path | None


def _listing() -> tuple[DumpsVersion, list[dict[str, Any]]]:
    st = state()
    try:
        snap = st.source.snapshot()
    except LookupError as exc:
        raise errors.service_unavailable(str(exc), retry_after=60) from None
    folder = st.source.dumps_dir(snap.version)
    document = read_manifest_document(folder)
    version, published_at = snap.version, snap.published_at
    if isinstance(document.get("version"), str):
        version = document["version"]
        with contextlib.suppress(KeyError, TypeError, ValueError):
            published_at = datetime.fromisoformat(document["published_at"])
    dumps = DumpsVersion(version, published_at, snap.version, folder)
    return dumps, manifest_files(document)


@bp.route("/dumps/", methods=["GET"])
def index() -> Response:
    snap, files = _listing()
    entries = [
        {
            "name": f["name"],
            "url": request.url_root + "dumps/" + f["name"],
            "media_type": f.get("media_type"),
            "encoding": f.get("encoding"),
            "bytes": f.get("bytes"),
            "triples": f.get("triples"),
            "sha256": f.get("sha256"),
            "description": f.get("description"),
        }
        for f in files
    ]
    chosen = negotiate(request.headers.get("Accept"), ("text/html", "application/json"))
    if request.args.get("format") == "json" or chosen == "application/json":
        resp = jsonify(
            version=snap.version,
            published_at=snap.published_at.isoformat(),
            current_version=snap.current_version,
            license=state().settings["DATASET_LICENSE"],
            attribution=service_description.ATTRIBUTION,
            files=entries,
        )
    else:
        resp = Response(
            render_template("dumps.html", snap=snap, files=entries), mimetype="text/html"
        )
    resp.vary.add("Accept")
    return resp


@bp.route("/dumps/manifest.json", methods=["GET"])
def manifest() -> Response:
    snap, files = _listing()
    return jsonify(version=snap.version, current_version=snap.current_version, files=files)


@bp.route("/dumps/<name>", methods=["GET"])
def download(name: str) -> Response:
    snap, files = _listing()
    entry = next((f for f in files if f["name"] == name), None)
    folder = snap.folder
    if entry is None or folder is None or "/" in name or "\\" in name or "\x00" in name:
        raise errors.not_found(f"No dump named {name!r}; see /dumps/.")
    path = folder / entry["name"]
    if not path.is_file():
        raise errors.not_found(f"The dump {name!r} is listed but missing on disk.")
    gz = name.endswith(".gz")
    resp = send_file(
        path,
        mimetype="application/gzip"
        if gz
        else (entry.get("media_type") or "application/octet-stream"),
        as_attachment=True,
        download_name=name,
        conditional=True,
        etag=f"{snap.version}-{entry.get('sha256', '')[:16]}",
        last_modified=snap.published_at,
        max_age=3600,
    )
    if entry.get("sha256"):
        resp.headers["Digest"] = "sha-256=" + _b64(entry["sha256"])
    return resp


def _b64(hex_digest: str) -> str:
    import base64

    try:
        return base64.b64encode(bytes.fromhex(hex_digest)).decode()
    except ValueError:
        return ""
