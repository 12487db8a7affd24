"""Turn article graphs back into interchange records (the inverse of ``to_rdf``).

Public API::

    records_from_graph(graph: rdflib.Graph) -> list[Article | Fact]
    run_from_graph(graph: rdflib.Graph) -> IngestRun | None

``records_from_graph`` reads the asserted triples of one or more article graphs and returns,
per article (ordered by id), its ``Article`` record followed by its facts in their original
order (``dg:ordinal``). Entities are rebuilt from the per-event mentions, so names and kinds
come back exactly as each fact gave them even when several facts share one entity node.
Every fact goes through ``Fact.from_dict``, so a graph that does not describe valid facts
raises :class:`FactFormatError` naming the event rather than producing bad records.

``records_from_graph(article_to_graph(a, id, facts, run)) == [a or Article(id), *facts]``
(minus exact duplicate facts, which the mapping collapses).
"""

from __future__ import annotations

from typing import Any

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV
from rdflib.term import Node

from diplograph.ingest.facts import Article, Fact, FactFormatError
from diplograph.ingest.to_rdf import IngestRun
from diplograph.ontology.namespaces import DG, RUN_PREFIX, SCHEMA, WIKIDATA_ENTITY
from diplograph.ontology.terms import EVENT_CLASS, KIND_CLASS, STATUS_CONCEPT

_TYPE_OF_CLASS = {cls: fact_type for fact_type, cls in EVENT_CLASS.items()}
_KIND_OF_CLASS = {cls: kind for kind, cls in KIND_CLASS.items()}
_STATUS_OF_CONCEPT = {concept: status for status, concept in STATUS_CONCEPT.items()}


def records_from_graph(graph: Graph) -> list[Article | Fact]:
    """The Article record and the facts of every article in ``graph`` (see module docs)."""
    records: list[Article | Fact] = []
    articles = sorted(set(graph.subjects(RDF.type, SCHEMA.NewsArticle)), key=str)
    for node in articles:
        article = _article(graph, node)
        records.append(article)
        events = []
        for event in set(graph.subjects(PROV.wasDerivedFrom, node)):
            if (event, RDF.type, DG.Event) in graph:
                ordinal = _int(_one(graph, event, DG.ordinal, required=True))
                events.append((ordinal, str(event), event))
        for _ordinal, _key, event in sorted(events):
            records.append(_fact(graph, event, article.id))
    return records


def run_from_graph(graph: Graph) -> IngestRun | None:
    """The ingest run recorded in an article graph (None if there is none)."""
    runs = sorted(set(graph.subjects(RDF.type, DG.IngestRun)), key=str)
    if not runs:
        return None
    if len(runs) > 1:
        raise FactFormatError(f"graph records {len(runs)} ingest runs, expected one")
    run = runs[0]
    agent = _one(graph, run, PROV.wasAssociatedWith, required=True)
    started = _one(graph, run, PROV.startedAtTime, required=True)
    assert isinstance(started, Literal)
    return IngestRun(
        id=str(run).removeprefix(RUN_PREFIX),
        started_at=started.toPython(),
        extractor=str(_one(graph, agent, SCHEMA.name, required=True)),
        extractor_version=str(_one(graph, agent, SCHEMA.softwareVersion, required=True)),
    )


def _article(graph: Graph, node: Node) -> Article:
    identifier = _one(graph, node, DCTERMS.identifier, required=True)
    data: dict[str, Any] = {"record": "article", "id": str(identifier)}
    for key, predicate in (
        ("url", SCHEMA.url),
        ("outlet", DG.outlet),
        ("published", SCHEMA.datePublished),
        ("title", DCTERMS.title),
        ("licence", SCHEMA.license),
    ):
        value = _one(graph, node, predicate)
        if value is not None:
            data[key] = str(value)
    return _checked(Article.from_dict, data, node)


def _fact(graph: Graph, event: Node, article_id: str) -> Fact:
    classes = [c for c in graph.objects(event, RDF.type) if c in _TYPE_OF_CLASS]
    if len(classes) != 1:
        raise FactFormatError(f"event {event} must have exactly one event type, has {classes}")
    status = _one(graph, event, DG.status, required=True)
    if status not in _STATUS_OF_CONCEPT:
        raise FactFormatError(f"event {event} has an unknown status {status}")
    negated = _one(graph, event, DG.negated, required=True)
    data: dict[str, Any] = {
        "article": article_id,
        "type": _TYPE_OF_CLASS[classes[0]],
        "actor": _mention(graph, _one(graph, event, DG.actorMention)),
        "target": _mention(graph, _one(graph, event, DG.targetMention)),
        "place": _mention(graph, _one(graph, event, DG.placeMention)),
        "participants": _participants(graph, event),
        "date": _str(_one(graph, event, DG.date)),
        "negated": negated.toPython() if isinstance(negated, Literal) else negated,
        "attributed_to": _str(_one(graph, event, DG.attributedTo)),
        "status": _STATUS_OF_CONCEPT[status],  # type: ignore[index]
        "evidence": _str(_one(graph, event, DG.evidence, required=True)),
    }
    start = _one(graph, event, DG.evidenceStart)
    end = _one(graph, event, DG.evidenceEnd)
    if start is not None or end is not None:
        data["evidence_start"] = None if start is None else _int(start)
        data["evidence_end"] = None if end is None else _int(end)
    confidence = _one(graph, event, DG.confidence)
    if confidence is not None:
        data["confidence"] = float(str(confidence))
    return _checked(Fact.from_dict, data, event)


def _participants(graph: Graph, event: Node) -> list[dict[str, Any] | None]:
    mentions = []
    for mention in graph.objects(event, DG.participantMention):
        mentions.append((_int(_one(graph, mention, DG.ordinal, required=True)), mention))
    positions = sorted(position for position, _ in mentions)
    if positions != list(range(len(mentions))):
        raise FactFormatError(f"event {event}: participant ordinals {positions} are not 0..n-1")
    return [_mention(graph, mention) for _, mention in sorted(mentions, key=lambda m: m[0])]


#: What a mention may say about its entity, each with its own mention (to_rdf._add_related).
_RELATED_MENTIONS = (("acting_for", DG.actingForMention), ("located_in", DG.locatedInMention))


def _mention(graph: Graph, mention: Node | None) -> dict[str, Any] | None:
    if mention is None:
        return None
    entity = _one(graph, mention, DG.mentionOf, required=True)
    kind_class = _one(graph, mention, DG.mentionKind, required=True)
    if kind_class not in _KIND_OF_CLASS:
        raise FactFormatError(f"mention {mention} has an unknown kind {kind_class}")
    wikidata = _one(graph, entity, DG.wikidata)
    qid = None
    if wikidata is not None:
        qid = str(wikidata).removeprefix(str(WIKIDATA_ENTITY))
    data = {
        "name": _str(_one(graph, mention, DG.mentionName, required=True)),
        "kind": _KIND_OF_CLASS[kind_class],  # type: ignore[index]
        "wikidata": qid,
    }
    for key, related_property in _RELATED_MENTIONS:
        related = _mention(graph, _one(graph, mention, related_property))
        if related is not None:
            data[key] = related
    return data


def _one(graph: Graph, subject: Node, predicate: URIRef, *, required: bool = False) -> Any:
    values = list(graph.objects(subject, predicate))
    if len(values) > 1:
        raise FactFormatError(f"{subject} has {len(values)} values for {predicate}, expected one")
    if not values:
        if required:
            raise FactFormatError(f"{subject} has no value for {predicate}")
        return None
    return values[0]


def _str(value: Node | None) -> str | None:
    return None if value is None else str(value)


def _int(value: Node) -> int:
    try:
        return int(str(value))
    except ValueError:
        raise FactFormatError(f"{value!r} is not an integer") from None


def _checked(build: Any, data: dict[str, Any], node: Node) -> Any:
    try:
        return build(data)
    except FactFormatError as error:
        raise FactFormatError(f"{node}: {error.message}") from None
