"""Dereferenceable IRIs: /id/... (entities, events, articles), /ontology, /graph/..., VoID.

Each IRI ``BASE_IRI + path`` is answered at ``path`` with content negotiation (``Vary:
Accept``): HTML for browsers, Turtle, JSON-LD, N-Triples or RDF/XML for clients (Turtle
when nothing is asked for). Every value is escaped by Jinja's autoescaping; pages carry a
Content-Security-Policy without script (see hooks.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlencode

import pyoxigraph as ox
from flask import Blueprint, Response, g, render_template, request

from diplograph.ontology.terms import is_affirmed
from diplograph.server import (
    caching,
    errors,
    network,
    page_queries,
    result_cache,
    results,
    service_description,
)
from diplograph.server import timeline as timeline_mod
from diplograph.server.negotiation import choose
from diplograph.server.sparql import describe_dataset, serialize_graph
from diplograph.server.state import state

bp = Blueprint("pages", __name__)

RDF_OFFERS = ("text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml")
#: Generic and older types get what /sparql gives a graph in them (results.py): plain
#: JSON clients get JSON-LD (it is JSON), listed last so that it never wins a tie.
OFFERS = (
    *RDF_OFFERS[:1],
    "text/html",
    "application/xhtml+xml",
    *RDF_OFFERS[1:],
    *(t for t in results.GRAPH_EQUIVALENTS if t != "application/json"),
    "application/json",
)
DG = page_queries.DG
ENTITY_CLASSES = {
    DG + name
    for name in (
        "Entity",
        "Actor",
        "Place",
        "State",
        "Organization",
        "InternationalOrganization",
        "Company",
        "Person",
        "Movement",
        "City",
        "Territory",
    )
}
EVENT_CLASS = DG + "Event"
ARTICLE_CLASS = "https://schema.org/NewsArticle"
#: Highest ``?page=`` accepted (a bound on the number parsed, not on the data).
MAX_PAGE_NUMBER = 1_000_000
#: Entities drawn by /network unless ``?top=`` asks otherwise, and the most it may ask.
NETWORK_TOP = 30
NETWORK_TOP_MAX = 80
# Above this many counterparts, a relation's list starts folded (<details>).
RELATIONS_SHOWN = 40
PREFIXES = {
    "dg": DG,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "schema": "https://schema.org/",
    "dcterms": "http://purl.org/dc/terms/",
    "sem": "http://semanticweb.cs.vu.nl/2009/11/sem/",
    "wd": "http://www.wikidata.org/entity/",
}


def _media_type() -> str:
    chosen = choose(
        request.headers.get("Accept"),
        request.args.get("format"),
        OFFERS,
        results.GRAPH_FORMAT_ALIASES,
    )
    if chosen is None:
        raise errors.not_acceptable(OFFERS)
    if chosen == "application/xhtml+xml":
        return "text/html"
    return results.GRAPH_EQUIVALENTS.get(chosen, chosen)


def _snapshot() -> Any:
    try:
        return state().source.snapshot()
    except LookupError as exc:
        raise errors.service_unavailable(str(exc), retry_after=60) from None


def _check_path(rest: str) -> None:
    """Refuse dot segments and control characters: such IRIs are never minted."""
    if any(seg in (".", "..") for seg in rest.split("/")) or any(ord(c) < 32 for c in rest):
        raise errors.not_found()


def _iri_for(prefix: str, rest: str) -> str:
    """The data IRI a local path stands for; 404 when it would not be a valid IRI."""
    iri = state().settings["BASE_IRI"] + prefix + quote(rest, safe="/-._~!$&'()*+,;=:@%")
    try:
        ox.NamedNode(iri)
    except ValueError:
        raise errors.not_found() from None
    return iri


def _page(snap: Any, etag: str, render: Callable[[], Response]) -> Response:
    """A page rendered once per data version and representation, then answered from the
    answer cache (server/result_cache.py): a state's page takes hundreds of milliseconds of
    queries in a large store, and readers open the same busy states' pages again and again.
    The key adds the host and path prefix the request came through, which the links use."""
    cache = state().result_cache
    key = ("page", etag, request.host_url, request.script_root)
    cached = cache.get(snap.version, key) if cache is not None else None
    if cached is not None:
        resp = Response(cached.body, content_type=cached.head["content_type"])
        resp.headers["Cache-Status"] = result_cache.HIT
        return _finish(resp, snap, etag)
    resp = render()
    if cache is not None:
        answer = (
            result_cache.CachedAnswer({"content_type": resp.content_type}, resp.get_data())
            if resp.status_code == 200 and not resp.is_streamed
            else None
        )
        resp.headers["Cache-Status"] = cache.offer(snap.version, key, answer)
    return _finish(resp, snap, etag)


def _finish(resp: Response, snap: Any, etag: str) -> Response:
    resp.vary.add("Accept")
    return caching.set_validators(resp, etag, snap.published_at)


def _rdf_response(triples: list[ox.Triple], media_type: str) -> Response:
    body = serialize_graph(triples, media_type, PREFIXES)
    resp = Response(body)
    resp.headers["Content-Type"] = results.content_type(media_type)
    return resp


# -- helpers for templates ----------------------------------------------------------------


def local_href(iri: str | None) -> str | None:
    """Where a link to ``iri`` should go: a local path for our own IRIs (so links work on
    any host), the IRI itself for other http(s) IRIs, and a local DESCRIBE for any other
    scheme (``urn:``, but also ``javascript:`` or ``data:`` in hostile data, which must
    never become a clickable link)."""
    if iri is None:
        return None
    base = state().settings["BASE_IRI"]
    if iri.startswith(base):
        return "/" + iri[len(base) :]
    if is_web_url(iri):
        return iri
    return "/sparql?" + urlencode({"query": f"DESCRIBE <{iri}>", "format": "ttl"})


def is_web_url(value: str | None) -> bool:
    """True for http(s) URLs, the only ones pages link to directly."""
    return value is not None and value.lower().startswith(("http://", "https://"))


def short(iri: str) -> str:
    """A compact name for an IRI (prefix:local or the last path segment)."""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1] or iri


@bp.app_template_filter("local")
def _local_filter(iri: str | None) -> str | None:
    return local_href(iri)


@bp.app_template_test("web_url")
def _web_url_test(value: str | None) -> bool:
    return is_web_url(value)


@bp.app_template_filter("short")
def _short_filter(iri: str) -> str:
    return short(iri)


@bp.app_context_processor
def _globals() -> dict[str, Any]:
    settings = state().settings
    return {
        "dataset_title": settings["DATASET_TITLE"],
        "dataset_license": settings["DATASET_LICENSE"],
        "attribution": service_description.ATTRIBUTION,
    }


# -- routes -------------------------------------------------------------------------------


@bp.route("/id/<path:rest>", methods=["GET"])
def resource(rest: str) -> Response:
    return _dereference("id/", rest)


@bp.route("/status/", methods=["GET"])
@bp.route("/cameo/", methods=["GET"])
@bp.route("/plover/", methods=["GET"])
def concept_scheme() -> Response:
    """The concept schemes themselves (every concept's skos:inScheme links here)."""
    return _dereference(request.path.strip("/") + "/", "")


@bp.route("/status/<path:rest>", methods=["GET"])
@bp.route("/cameo/<path:rest>", methods=["GET"])
@bp.route("/plover/<path:rest>", methods=["GET"])
def concept(rest: str) -> Response:
    """The ontology's SKOS concepts (fact statuses, CAMEO and PLOVER codes) dereference too."""
    prefix = request.path.lstrip("/").split("/", 1)[0] + "/"
    return _dereference(prefix, rest)


def _dereference(prefix: str, rest: str) -> Response:
    _check_path(rest)
    iri = _iri_for(prefix, rest)
    snap = _snapshot()
    media_type = _media_type()
    page = _bounded_int("page", 1, 1, MAX_PAGE_NUMBER)
    etag = caching.etag_for(snap.version, "id", iri, media_type, page)
    if caching.not_modified(request, etag, snap.published_at):
        return caching.not_modified_response(etag, snap.published_at)
    return _page(snap, etag, lambda: _resource(snap.store, iri, media_type, page))


def _resource(store: ox.Store, iri: str, media_type: str, page: int) -> Response:
    """The page (or RDF description) of one resource; 404 if the dataset does not have it."""
    if not page_queries.run(store, page_queries.EXISTS, iri):
        raise errors.not_found(f"No resource <{iri}> in this dataset.")
    if media_type != "text/html":
        return _rdf_response(list(page_queries.run(store, page_queries.CONCISE, iri)), media_type)
    g.rdf_alternates = True  # base.html links the RDF forms of this page
    types = {r["type"].value for r in page_queries.rows(store, page_queries.RESOURCE_TYPES, iri)}
    if EVENT_CLASS in types:
        html = _event_page(store, iri)
    elif ARTICLE_CLASS in types:
        html = _article_page(store, iri)
    elif types & ENTITY_CLASSES:
        html = _entity_page(store, iri, page)
    else:
        html = _generic_page(store, iri, types)
    return Response(html, mimetype="text/html")


def _props(store: ox.Store, found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Property rows for _properties.html: predicate, value, IRI flag and display label."""
    iris = {r["o"].value for r in found if isinstance(r["o"], ox.NamedNode)}
    label = page_queries.labels(store, iris)
    return [
        {
            "p": r["p"].value,
            "o": r["o"].value,
            "iri": isinstance(r["o"], ox.NamedNode),
            "label": label.get(r["o"].value) or short(r["o"].value),
        }
        for r in found
    ]


def _label_map(store: ox.Store, facts: list[page_queries.Fact], extra: set[str]) -> dict[str, str]:
    iris = set(extra)
    for f in facts:
        iris.update(x for x in (f.type, f.status, f.actor, f.target, f.article) if x)
    return page_queries.labels(store, iris)


def _entity_page(store: ox.Store, iri: str, page: int) -> str:
    names: list[str] = []
    wikidata: list[str] = []
    for r in page_queries.rows(store, page_queries.ENTITY, iri):
        if r["label"] is not None:
            names.append(r["label"].value)
        if r["wikidata"] is not None:
            wikidata.append(r["wikidata"].value)
    names = sorted(set(names), key=lambda s: (len(s), s))
    kinds = [
        (
            r["kind"].value,
            r["kindLabel"].value if r["kindLabel"] is not None else short(r["kind"].value),
        )
        for r in page_queries.rows(store, page_queries.ENTITY_KINDS, iri)
    ]
    facts, total = page_queries.entity_facts(store, iri, page)
    pages = max(1, -(-total // page_queries.PAGE_FACTS))
    if page > pages:
        raise errors.not_found(f"There is no page {page}: <{iri}> has {pages} page(s) of facts.")
    first = (page - 1) * page_queries.PAGE_FACTS + 1
    relations = page_queries.rows(store, page_queries.ENTITY_RELATIONS, iri)
    rel_iris = {r["property"].value for r in relations} | {r["other"].value for r in relations}
    found = page_queries.rows(store, page_queries.ENTITY_LINKS, iri)
    links = {
        column: {r[column].value for r in found if r[column] is not None}
        for column in ("party", "person", "state", "city")
    }
    label = _label_map(store, facts, rel_iris.union(*links.values()) | {iri})
    articles = _article_titles(store, {f.article for f in facts if f.article})
    points = [
        timeline_mod.Point(
            date=f.date,
            lane=label.get(f.type, short(f.type)),
            href=local_href(f.event) or f.event,
            title=f"{f.date} · {label.get(f.type, short(f.type))}: {f.evidence or ''}",
            css="dot" if _affirmed(f) else "dot-unaffirmed",
        )
        for f in facts
    ]
    return render_template(
        "entity.html",
        iri=iri,
        name=names[0] if names else short(iri),
        other_names=names[1:],
        kinds=kinds,
        wikidata=sorted(set(wikidata)),
        facts=facts,
        label=label,
        articles=articles,
        relations=_group_relations(relations, label),
        # whom a person acted for, who acted for a party, a city's state, a state's cities
        acts_for=_by_label(links["party"], label),
        acting=_by_label(links["person"], label),
        lies_in=_by_label(links["state"], label),
        cities=_by_label(links["city"], label),
        relations_shown=RELATIONS_SHOWN,
        network=network.ego(
            iri,
            [(r["property"].value, r["other"].value) for r in relations],
            lambda x: label.get(x, short(x)),
            local_href,
        ),
        timeline=timeline_mod.build(points),
        total=total,
        page=page,
        pages=pages,
        first=first,
        last=first + len(facts) - 1,
    )


def _by_label(iris: set[str], label: dict[str, str]) -> list[str]:
    return sorted(iris, key=lambda iri: label.get(iri, iri))


def _affirmed(fact: page_queries.Fact) -> bool:
    """Drawn as a filled dot: a fact that makes a relation (not negated, attributed, planned,
    alleged ...), by the same rule as the mapping's (ontology.terms.is_affirmed)."""
    status = (fact.status or "").rsplit("/", 1)[-1]
    return is_affirmed(negated=fact.negated, attributed_to=fact.attributed, status=status)


def _group_relations(
    relations: list[dict[str, Any]], label: dict[str, str]
) -> list[tuple[str, list[str]]]:
    """One entry per relation with its counterparts, both in label order: the busiest states
    relate to thousands of others, and one line per pair buried the kinds of relation."""
    grouped: dict[str, list[str]] = {}
    for r in relations:
        grouped.setdefault(r["property"].value, []).append(r["other"].value)

    def by_label(iri: str) -> tuple[str, str]:
        return (label.get(iri, short(iri)).casefold(), iri)

    return [(prop, sorted(grouped[prop], key=by_label)) for prop in sorted(grouped, key=by_label)]


def _article_titles(store: ox.Store, iris: set[str]) -> dict[str, str]:
    return page_queries.titles(store, iris)


def _event_page(store: ox.Store, iri: str) -> str:
    found = page_queries.rows(store, page_queries.EVENT, iri)
    info = {k: (v.value if v is not None else None) for k, v in (found[0] if found else {}).items()}
    roles = [
        (r["role"].value.rsplit("#", 1)[-1], r["entity"].value)
        for r in page_queries.rows(store, page_queries.EVENT_ROLES, iri)
    ]
    iris = {e for _, e in roles} | {v for k, v in info.items() if k in ("type", "status") and v}
    label = page_queries.labels(store, iris)
    article = info.get("article")
    titles = _article_titles(store, {article} if article else set())
    triples = page_queries.rows(store, page_queries.DESCRIBE, iri)
    return render_template(
        "event.html",
        iri=iri,
        info=info,
        roles=roles,
        label=label,
        titles=titles,
        properties=_props(store, triples),
    )


def _article_page(store: ox.Store, iri: str) -> str:
    found = page_queries.rows(store, page_queries.ARTICLE, iri)
    info = {k: (v.value if v is not None else None) for k, v in (found[0] if found else {}).items()}
    facts = page_queries.facts_from_rows(page_queries.rows(store, page_queries.ARTICLE_EVENTS, iri))
    label = _label_map(store, facts, set())
    return render_template("article.html", iri=iri, info=info, facts=facts, label=label)


def _generic_page(store: ox.Store, iri: str, types: set[str]) -> str:
    props = page_queries.rows(store, page_queries.DESCRIBE, iri)
    label = page_queries.labels(store, {iri})
    return render_template(
        "resource.html",
        iri=iri,
        name=label.get(iri) or _unlabelled_name(iri, types),
        types=sorted(types),
        properties=_props(store, props),
    )


def _unlabelled_name(iri: str, types: set[str]) -> str:
    """A title for a node without a label (an event's role node, an extractor version):
    its kind and its path under the base, e.g. "Mention: event/dev-09/73f9.../target";
    its last segment alone ("target", "1.0.0") said nothing about what the page shows."""
    base = state().settings["BASE_IRI"] + "id/"
    path = iri[len(base) :] if iri.startswith(base) else iri
    kinds = sorted(short(t).split(":", 1)[-1] for t in types)
    return f"{', '.join(kinds)}: {path}" if kinds else path


@bp.route("/ontology", methods=["GET"])
def ontology() -> Response:
    snap = _snapshot()
    media_type = _media_type()
    etag = caching.etag_for(snap.version, "ontology", media_type)
    if caching.not_modified(request, etag, snap.published_at):
        return caching.not_modified_response(etag, snap.published_at)
    return _page(snap, etag, lambda: _ontology(snap.store, media_type))


def _ontology(store: ox.Store, media_type: str) -> Response:
    from diplograph.ontology.namespaces import ONTOLOGY_GRAPH

    if media_type != "text/html":
        triples = [
            ox.Triple(q.subject, q.predicate, q.object)
            for q in store.quads_for_pattern(None, None, None, ox.NamedNode(ONTOLOGY_GRAPH))
        ]
        if not triples:
            raise errors.not_found("The ontology is not loaded in this store.")
        return _rdf_response(triples, media_type)
    header = page_queries.rows(store, page_queries.ONTOLOGY_HEADER)
    terms = page_queries.rows(store, page_queries.ONTOLOGY_TERMS)
    groups: dict[str, list[dict[str, Any]]] = {}
    for t in terms:
        groups.setdefault(short(t["kind"].value), []).append(
            {
                "iri": t["term"].value,
                "name": short(t["term"].value),
                "anchor": _term_anchor(t["term"].value),
                "label": t["label"].value if t["label"] is not None else "",
                "comment": t["comment"].value if t["comment"] is not None else "",
            }
        )
    head = {
        k: (v.value if v is not None else None) for k, v in (header[0] if header else {}).items()
    }
    html = render_template("ontology.html", head=head, groups=groups)
    return Response(html, mimetype="text/html")


@bp.route("/ontology/<version>", methods=["GET"])
def ontology_version(version: str) -> Response:
    """The ontology's ``owl:versionIRI`` (``/ontology/0.1.0``) dereferences too. A store
    holds one version of the ontology: its address answers as ``/ontology`` does, any
    other version is 404 naming the one served."""
    from diplograph.ontology.namespaces import ONTOLOGY_GRAPH

    owl_version = ox.NamedNode("http://www.w3.org/2002/07/owl#versionIRI")
    held = [
        q.object.value
        for q in _snapshot().store.quads_for_pattern(
            None, owl_version, None, ox.NamedNode(ONTOLOGY_GRAPH)
        )
        if isinstance(q.object, ox.NamedNode)
    ]
    if not any(v.rsplit("/", 1)[-1] == version for v in held):
        served = ", ".join(v.rsplit("/", 1)[-1] for v in held) or "none"
        raise errors.not_found(
            f"This server holds ontology version {served}, not {version!r}; /ontology is"
            " always the current one."
        )
    return ontology()


@bp.route("/network", methods=["GET"])
def network_page() -> Response:
    """The state-level relation network of the most connected entities, as a picture.

    ``?relation=accused`` (a local name from the page's menu) shows one relation, with
    arrows when it has a direction; ``?top=N`` draws the N most connected entities.
    """
    snap = _snapshot()
    wanted = request.args.get("relation", "")
    top = _bounded_int("top", NETWORK_TOP, 2, NETWORK_TOP_MAX)
    etag = caching.etag_for(snap.version, "network", wanted, top)
    if caching.not_modified(request, etag, snap.published_at):
        return caching.not_modified_response(etag, snap.published_at)
    return _page(snap, etag, lambda: _network(snap.store, wanted, top))


def _network(store: ox.Store, wanted: str, top: int) -> Response:
    menu = [
        {
            "name": row["property"].value.rsplit("#", 1)[-1],
            "iri": row["property"].value,
            "label": row["label"].value
            if row["label"] is not None
            else short(row["property"].value),
            "directed": row["symmetric"].value != "true",
        }
        for row in page_queries.rows(store, page_queries.NETWORK_RELATIONS)
    ]
    chosen = next((m for m in menu if m["name"] == wanted), None)
    if wanted and chosen is None:
        names = ", ".join(m["name"] for m in menu) or "none (no ontology loaded)"
        raise errors.bad_request(f"relation must be one of: {names}.")
    properties = [chosen["iri"]] if chosen else _state_relations(store)
    ranked = page_queries.hubs(store, properties)
    shown = ranked[:top]
    directed = bool(chosen and chosen["directed"])
    ties = network.ties_from(page_queries.ties(store, properties, shown), directed)
    label = page_queries.labels(store, set(shown) | set(properties))
    picture = network.overview(
        shown,
        ties,
        lambda x: label.get(x, short(x)),
        local_href,
        directed,
        hidden=len(ranked) - len(shown),
    )
    html = render_template(
        "network.html",
        menu=menu,
        chosen=chosen,
        top=top,
        picture=picture,
        ties=ties,
        label=label,
        related=len(ranked),
        relation_names=lambda rels: network.relation_names(rels, lambda x: label.get(x, short(x))),
    )
    return Response(html, mimetype="text/html")


def _term_anchor(iri: str) -> str:
    """The ontology page's fragment for a term: the bare local name for our own terms (so
    ``/ontology#State`` is the IRI's own fragment), ``prefix-name`` for others, which may
    share a local name with ours (prov:Person and dg:Person)."""
    if iri.startswith(DG):
        return iri[len(DG) :]
    return short(iri).replace(":", "-")


def _state_relations(store: ox.Store) -> list[str]:
    """Every sub-property of dg:stateRelation, inverses included (network.ties_from reads
    each pair from one side, so it needs both directions)."""
    return [
        row["property"].value
        for row in page_queries.rows(store, page_queries.STATE_RELATION_PROPERTIES)
    ]


def _bounded_int(name: str, default: int, low: int, high: int) -> int:
    """``?name=`` as a whole number from ``low`` to ``high``; 400 otherwise."""
    raw = request.args.get(name)
    if raw is None:
        return default
    if not raw.isascii() or not raw.isdigit() or not low <= int(raw) <= high:
        raise errors.bad_request(f"{name} must be a whole number from {low} to {high}.")
    return int(raw)


@bp.route("/graph/<path:rest>", methods=["GET"])
def graph(rest: str) -> Response:
    _check_path(rest)
    iri = _iri_for("graph/", rest)
    snap = _snapshot()
    media_type = _media_type()
    etag = caching.etag_for(snap.version, "graph", iri, media_type)
    if caching.not_modified(request, etag, snap.published_at):
        return caching.not_modified_response(etag, snap.published_at)
    count = int((snap.metadata or {}).get("graphs", {}).get(iri, 0))
    if not count:
        raise errors.not_found(f"No named graph <{iri}> in this dataset.")
    if media_type != "text/html":
        triples = [
            ox.Triple(q.subject, q.predicate, q.object)
            for q in snap.store.quads_for_pattern(None, None, None, ox.NamedNode(iri))
        ]
        return _finish(_rdf_response(triples, media_type), snap, etag)
    html = render_template("graph.html", iri=iri, count=count)
    return _finish(Response(html, mimetype="text/html"), snap, etag)


@bp.route("/dataset", methods=["GET"])
@bp.route("/.well-known/void", methods=["GET"])
def void() -> Response:
    """The VoID description (same graph as the service description's dataset part)."""
    snap = _snapshot()
    media_type = (
        choose(
            request.headers.get("Accept"),
            request.args.get("format"),
            RDF_OFFERS,
            results.FORMAT_ALIASES,
        )
        or "text/turtle"
    )
    return describe_dataset(snap, request.url_root + "sparql", media_type, "void")
