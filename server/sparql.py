"""The SPARQL 1.1 Protocol endpoint (query operation only) and its service description.

Read-only by construction: queries run in worker processes that opened the store
read-only, updates are refused before they reach a worker, and ``SERVICE`` is refused
(no outbound requests). The request checks follow the protocol's test suite: one
``query``, GET or POST only, POST bodies as form or ``application/sparql-query`` in UTF-8.
"""

from __future__ import annotations

import contextlib
import functools
import time
import urllib.parse
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import pyoxigraph as ox
from flask import Blueprint, Request, Response, request

from diplograph.server import caching, errors, result_cache, results, service_description
from diplograph.server.negotiation import choose
from diplograph.server.query_check import QueryInfo, check_graph_iri, inspect_query
from diplograph.server.query_workers import (
    ClientGone,
    Job,
    PoolBusy,
    QueryFailed,
    QueryPreempted,
    QueryTimeout,
)
from diplograph.server.select_cap import capped_select
from diplograph.server.state import current_request, state
from diplograph.store import union_graph
from diplograph.store.dumps import MANIFEST, manifest_files, read_manifest_document

bp = Blueprint("sparql", __name__)

FORM_URLENCODED = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"

#: Offers per query form; the extra generic types map onto the canonical ones.
_SOLUTION_OFFERS = (*results.SOLUTION_TYPES, "application/json", "application/xml", "text/xml")
_BOOLEAN_OFFERS = (*results.BOOLEAN_TYPES, "application/json", "application/xml", "text/xml")
_GRAPH_OFFERS = (*results.GRAPH_TYPES, *results.GRAPH_EQUIVALENTS)
_GENERIC = {
    "SELECT": {
        "application/json": results.JSON,
        "application/xml": results.XML,
        "text/xml": results.XML,
    },
    "ASK": {
        "application/json": results.JSON,
        "application/xml": results.XML,
        "text/xml": results.XML,
    },
    "CONSTRUCT": results.GRAPH_EQUIVALENTS,
}
_OFFERS = {"SELECT": _SOLUTION_OFFERS, "ASK": _BOOLEAN_OFFERS, "CONSTRUCT": _GRAPH_OFFERS}
_SD_OFFERS = (*results.GRAPH_TYPES, "text/html", "application/xhtml+xml")

EXPOSED_HEADERS = (
    "ETag, Last-Modified, Diplograph-Data-Version, Diplograph-Result-Count, "
    "Diplograph-Result-Limit, Diplograph-Result-Truncated, Warning, Retry-After, Cache-Status"
)


class ProtocolRequest:
    """The parameters of one query operation, checked."""

    def __init__(
        self,
        query: str | None,
        default_graphs: list[str],
        named_graphs: list[str],
        format: str | None = None,
    ):
        self.format = format
        self.query = query
        self.default_graphs = default_graphs
        self.named_graphs = named_graphs


def _decode_utf8(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise errors.bad_request(f"{what} is not valid UTF-8 (byte {exc.start}).") from None


def _check_charset(charset: str | None) -> None:
    if charset is not None and charset.strip().lower().replace("_", "-") not in ("utf-8", "utf8"):
        raise errors.unsupported_media_type(
            f"charset={charset} is not supported: SPARQL requests must be UTF-8."
        )


def _parse_form(body: bytes) -> list[tuple[str, str]]:
    text = _decode_utf8(body, "The form body")
    try:
        return urllib.parse.parse_qsl(
            text, keep_blank_values=True, strict_parsing=False, errors="strict"
        )
    except UnicodeDecodeError:
        raise errors.bad_request("The form body has percent-escapes that are not UTF-8.") from None


def read_protocol_request() -> ProtocolRequest:
    """Validate method, media type, charset and parameters (raises HTTPProblem)."""
    settings = state().settings
    req = current_request()
    url_params = list(req.args.items(multi=True))
    body_params: list[tuple[str, str]] = []
    direct_query: str | None = None
    if req.method == "POST":
        mimetype = req.mimetype
        if not mimetype:
            raise errors.unsupported_media_type(
                "A POST needs Content-Type application/x-www-form-urlencoded or "
                "application/sparql-query."
            )
        if mimetype == SPARQL_UPDATE:
            raise errors.unsupported_media_type(
                "SPARQL Update is not accepted: this is a read-only query endpoint."
            )
        if mimetype not in (FORM_URLENCODED, SPARQL_QUERY):
            raise errors.unsupported_media_type(
                f"Content-Type {mimetype} is not supported; use "
                "application/x-www-form-urlencoded or application/sparql-query."
            )
        _check_charset(req.mimetype_params.get("charset"))
        body = req.get_data(cache=True)
        if mimetype == SPARQL_QUERY:
            direct_query = _decode_utf8(body, "The query")
        else:
            body_params = _parse_form(body)
    params = url_params + body_params
    names = [k for k, _ in params]
    if "update" in names:
        raise errors.bad_request(
            "SPARQL Update is not accepted: this is a read-only query endpoint."
        )
    queries = [v for k, v in params if k == "query"]
    if direct_query is not None:
        queries.append(direct_query)
    if len(queries) > 1:
        raise errors.bad_request("Exactly one query is allowed per request (got several).")
    query = queries[0] if queries else None
    if req.method == "POST" and direct_query is None and req.args.getlist("query"):
        raise errors.bad_request("A form POST must carry the query in the body, not the URL.")
    if query is not None:
        limit = int(settings["MAX_QUERY_LENGTH"])
        if len(query) > limit:
            if req.method == "GET":
                raise errors.uri_too_long(limit)
            raise errors.content_too_large(limit)
        if not query.strip():
            raise errors.bad_request("The query is empty.")
    dgs = [check_graph_iri(v, "default-graph-uri") for k, v in params if k == "default-graph-uri"]
    ngs = [check_graph_iri(v, "named-graph-uri") for k, v in params if k == "named-graph-uri"]
    formats = [v for k, v in params if k == "format"]
    return ProtocolRequest(query, dgs, ngs, formats[0] if formats else None)


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint() -> Response:
    preq = read_protocol_request()
    if preq.query is None:
        if request.method == "POST":
            raise errors.bad_request("No query given (parameter 'query' or a direct POST body).")
        return service_description_response()
    return run_query(preq)


def endpoint_url(req: Request) -> str:
    """``req.base_url``, computed once per distinct scheme, host and path: werkzeug
    builds it anew (IRI decoding included) on every request."""
    environ = req.environ
    key = tuple(environ.get(name) for name in _URL_PARTS)
    url = _endpoint_urls.get(key)
    if url is None:
        url = req.base_url
        if len(url) <= _REMEMBERED_TEXT:  # the Host header is the client's
            if len(_endpoint_urls) >= _REMEMBERED_URLS:
                _endpoint_urls.clear()  # junk hosts must not keep the real ones out
            _endpoint_urls[key] = url
    return url


_URL_PARTS = (
    "wsgi.url_scheme",
    "HTTP_HOST",
    "SERVER_NAME",
    "SERVER_PORT",
    "SCRIPT_NAME",
    "PATH_INFO",
)
_endpoint_urls: dict[tuple[object, ...], str] = {}
_REMEMBERED_URLS = 64
#: Longer Accept headers and URLs are worked out per request, not remembered (both come
#: from the client, which must not be able to fill the server's memory with them).
_REMEMBERED_TEXT = 512


def _media_type_for(req: Request, form: str, format_param: str | None) -> str:
    kind = "CONSTRUCT" if form in ("CONSTRUCT", "DESCRIBE") else form or "SELECT"
    accept = req.environ.get("HTTP_ACCEPT")
    if format_param is None and (accept is None or len(accept) <= _REMEMBERED_TEXT):
        chosen = _negotiated(kind, accept)
    else:
        chosen = _choose(kind, accept, format_param)
    if chosen is None:
        if format_param is None:
            raise errors.not_acceptable(_OFFERS[kind])
        raise errors.HTTPProblem(406, _unavailable_format(kind, form, format_param))
    return _GENERIC[kind].get(chosen, chosen)


def _aliases(kind: str) -> dict[str, str]:
    return results.GRAPH_FORMAT_ALIASES if kind == "CONSTRUCT" else results.FORMAT_ALIASES


def _choose(kind: str, accept: str | None, format_param: str | None) -> str | None:
    """The media type for a query form, from ``format=`` or the Accept header.

    ``format=`` names follow the query form where a format family has a member for it
    (``json``, ``xml``); a name with no equivalent for the form (``turtle`` for a SELECT,
    ``csv`` for a CONSTRUCT) is refused rather than silently replaced.
    """
    return choose(accept, format_param, _OFFERS[kind], _aliases(kind))


def _unavailable_format(kind: str, form: str, format_param: str) -> str:
    """The 406 message for a ``format=`` value the query form cannot be answered in."""
    value = format_param.strip()
    shown = value if len(value) <= 60 and value.isprintable() else repr(value[:60])
    offers = _OFFERS[kind]
    names = [name for name, media in _aliases(kind).items() if media in offers]
    return (
        f"format={shown} is not available for {form or 'SELECT'} results; format names: "
        f"{', '.join(names)}; media types: {', '.join(offers)}."
    )


@functools.lru_cache(maxsize=256)
def _negotiated(kind: str, accept: str | None) -> str | None:
    """:func:`_choose` for an Accept header: a client sends the same header with every
    query, so it is parsed once, not per request."""
    return _choose(kind, accept, None)


#: waitress's check for a closed client connection (with channel_request_lookahead > 0)
CLIENT_DISCONNECTED = "waitress.client_disconnected"
#: Status logged for a request whose client left before the answer (nginx's convention).
CLIENT_CLOSED_REQUEST = 499


def run_query(preq: ProtocolRequest) -> Response:
    st = state()
    settings = st.settings
    req = current_request()
    assert preq.query is not None
    info = inspect_query(preq.query)
    media_type = _media_type_for(req, info.form, preq.format)
    try:
        snap = st.source.snapshot()
    except LookupError as exc:
        raise errors.service_unavailable(str(exc), retry_after=60) from None
    max_rows = int(settings["MAX_RESULT_ROWS"])
    etag = caching.etag_for(
        snap.version, preq.query, preq.default_graphs, preq.named_graphs, media_type, max_rows
    )
    form_label = info.form or "UNKNOWN"
    if info.repeatable and caching.not_modified(req, etag, snap.published_at):
        st.metrics.query_done(form_label, "not_modified")
        return caching.not_modified_response(etag, snap.published_at)
    base_iri = endpoint_url(req)  # relative IRIs in the query resolve against it
    cache = st.result_cache if info.repeatable else None
    cache_key = (etag, base_iri)  # the tag covers version, query, dataset, format and cap
    cached = cache.get(snap.version, cache_key) if cache is not None else None
    if cached is not None:
        st.metrics.query_done(cached.head.get("form", form_label), "cached")
        headers = _result_headers(req, snap, etag, media_type, max_rows, cached.head, info)
        headers.append(("Cache-Status", result_cache.HIT))
        return Response(cached.body, headers=headers)
    job = Job(
        store_path=str(snap.path),
        query=preq.query,
        form=info.form,
        media_type=media_type,
        # A protocol dataset replaces the union default graph; named-graph-uri alone means an
        # empty default graph (SPARQL 1.1 Query §13.2).
        default_graphs=(
            tuple(preq.default_graphs) if preq.default_graphs or preq.named_graphs else None
        ),
        named_graphs=tuple(preq.named_graphs) if preq.named_graphs else None,
        # ... and both replace the query's FROM / FROM NAMED; without either, those apply.
        # A version that keeps the union in its default graph needs no union flag.
        union_default_graph=not info.has_dataset and not union_graph.materialized(snap.metadata),
        max_rows=max_rows,
        base_iri=base_iri,
        capped_query=(
            capped_select(preq.query, max_rows + 1, info.tokens)
            if info.form == "SELECT" and media_type in results.SOLUTION_TYPES
            else None
        ),
        stream_threshold=int(settings["STREAM_THRESHOLD"]),
    )
    timeout = float(settings["QUERY_TIMEOUT"])
    started = time.monotonic()
    try:
        outcome = st.pool().run(job, timeout, req.environ.get(CLIENT_DISCONNECTED))
    except ClientGone:
        # Nobody reads this answer; the status is for the access log (nginx's 499).
        st.metrics.query_done(form_label, "client_gone")
        return Response(status=CLIENT_CLOSED_REQUEST)
    except QueryTimeout:
        st.metrics.query_done(form_label, "timeout")
        raise errors.service_unavailable(
            f"The query did not finish within the {timeout:g} s limit and was stopped. "
            "Make it more selective (LIMIT, fewer OPTIONALs) or use a dump from /dumps/."
        ) from None
    except PoolBusy:
        st.metrics.query_done(form_label, "rejected")
        raise errors.too_many_requests(
            max(1, round(timeout / 10)),
            "Too many queries are running; retry after the number of seconds in Retry-After.",
        ) from None
    except QueryPreempted as exc:
        st.metrics.query_done(form_label, "preempted")
        retry = max(1, round(timeout / 10))
        raise errors.service_unavailable(exc.message, retry_after=retry) from None
    except QueryFailed as exc:
        st.metrics.query_done(form_label, "error")
        raise errors.HTTPProblem(exc.status, exc.message) from None
    st.metrics.query_seconds.observe(time.monotonic() - started)
    st.metrics.query_done(outcome.head.get("form", form_label), "ok")
    head = outcome.head
    if head.get("truncated"):
        st.metrics.truncated.inc()
    headers = _result_headers(req, snap, etag, media_type, max_rows, head, info)
    if st.result_cache is not None:
        if cache is None:
            status = result_cache.BYPASS
        else:
            body = outcome.body
            answer = result_cache.CachedAnswer(head, body) if body is not None else None
            status = cache.offer(snap.version, cache_key, answer)
        headers.append(("Cache-Status", status))
    if outcome.body is not None:
        return Response(outcome.body, headers=headers)
    assert outcome.stream is not None
    # The stream object has close(): werkzeug and waitress call it even if the client
    # disconnects before the body starts, which frees the worker.
    return Response(outcome.stream, headers=headers, direct_passthrough=True)


def _result_headers(
    req: Request,
    snap: Any,
    etag: str,
    media_type: str,
    max_rows: int,
    head: dict[str, Any],
    info: QueryInfo,
) -> list[tuple[str, str]]:
    """Every header of a query answer at once: werkzeug checks each header it is given one
    by one, and this runs on every query (docs/benchmarks.md, "Where the per-request time
    goes")."""
    headers = [
        ("Content-Type", results.content_type(media_type)),
        ("Diplograph-Data-Version", snap.version),
        ("Diplograph-Result-Limit", str(max_rows)),
        ("Vary", "Accept"),
    ]
    if head.get("count") is not None:
        headers.append(("Diplograph-Result-Count", str(head["count"])))
    if head.get("truncated"):
        headers.append(("Diplograph-Result-Truncated", "true"))
        headers.append(("Warning", f'199 diplograph "{results.truncation_message(max_rows)}"'))
    if req.method == "GET" and info.repeatable:
        headers.extend(caching.validators(etag, snap.published_at))
    else:
        # POST answers are not cacheable by URL; a RAND/NOW/... answer differs every time
        headers.append(("Cache-Control", "no-store"))
    return headers


def service_description_response() -> Response:
    st = state()
    media_type = choose(
        request.headers.get("Accept"),
        request.args.get("format"),
        _SD_OFFERS,
        results.FORMAT_ALIASES,
    )
    if media_type is None:
        raise errors.not_acceptable(_SD_OFFERS)
    if media_type in ("text/html", "application/xhtml+xml"):
        from diplograph.server.ui import render_ui

        return render_ui()
    try:
        snap = st.source.snapshot()
    except LookupError as exc:
        raise errors.service_unavailable(str(exc), retry_after=60) from None
    return describe_dataset(snap, request.base_url, media_type, "sd")


def describe_dataset(snap: Any, endpoint: str, media_type: str, tag: str) -> Response:
    """The service description + VoID graph of ``snap`` as ``media_type``, with validators.

    Shared by ``/sparql`` (service description, ``sd:endpoint`` = the URL used) and
    ``/dataset`` (VoID); ``tag`` keeps their ETags apart.
    """
    st = state()
    # Dumps are written after a version is published, so one data version's description
    # changes when its dumps are complete: the dumps' version is part of the tag.
    folder = st.source.dumps_dir(snap.version)
    dumps = read_manifest_document(folder)
    etag = caching.etag_for(snap.version, tag, endpoint, media_type, dumps.get("version"))
    modified = snap.published_at
    if folder is not None and dumps:
        with contextlib.suppress(OSError):
            written = (folder / MANIFEST).stat().st_mtime
            modified = max(modified, datetime.fromtimestamp(written, UTC))
    if caching.not_modified(request, etag, modified):
        return caching.not_modified_response(etag, modified)
    triples = service_description.build(
        endpoint=endpoint,
        url_root=request.url_root,
        base_iri=st.settings["BASE_IRI"],
        title=st.settings["DATASET_TITLE"],
        license_iri=st.settings["DATASET_LICENSE"],
        snapshot=snap,
        dump_files=manifest_files(dumps),
    )
    body = serialize_graph(triples, media_type, service_description.PREFIXES)
    resp = Response(body)
    resp.headers["Content-Type"] = results.content_type(media_type)
    resp.vary.add("Accept")
    return caching.set_validators(resp, etag, modified)


def serialize_graph(
    triples: Iterable[ox.Triple], media_type: str, prefixes: dict[str, str] | None = None
) -> bytes:
    """Serialise triples to bytes in one of results.GRAPH_TYPES."""
    import io

    sink = io.BytesIO()
    results.write_graph(triples, media_type, sink, prefixes)
    return sink.getvalue()
