"""Map one article's facts to the triples of its named graph.

Public API::

    article_to_graph(article: Article | None, article_id: str, facts: Sequence[Fact],
                     run: IngestRun) -> rdflib.Graph

returns the triples of the article graph ``namespaces.article_graph(article_id)``: the article
node (metadata, ``article=None`` is the same as ``Article(id=article_id)``), the ingest run and
its extractor, one event per distinct fact, the entities the facts name and per-event mentions.
The caller stores the result with *replace* semantics (one graph per article), so re-ingesting
an article replaces its run and events instead of accumulating them.

IRIs are deterministic so that the same input always gives the same nodes:

* event: ``EVENT_PREFIX + article_id + "/" + sha256(canonical JSON of the fact)[:16]`` --
  identical facts collapse into one event (the first one's position is kept);
* entity: ``ENTITY_PREFIX + QID`` when the fact gives a Wikidata QID (one node across
  articles), else ``ENTITY_PREFIX + kind + "/" + slug(name)``;
* mention: ``<event>/actor``, ``<event>/target``, ``<event>/place``, ``<event>/participant/N``,
  and ``<mention>/acting-for`` (the party a person acted for), ``<mention>/located-in`` (the
  state a city lies in);
* article: ``ARTICLE_PREFIX + article_id``; run: ``RUN_PREFIX + run.id``; extractor:
  ``AGENT_PREFIX + slug(name) + "/" + version``.

Entities link to Wikidata with ``dg:wikidata`` (a sub-property of ``schema:sameAs``), never
``owl:sameAs``, which OWL RL would use to copy every triple between the two IRIs.
Names and kinds are kept per mention because one entity node is shared by facts (and
articles) that name it differently; the entity node carries every name as ``rdfs:label``.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import quote

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV

from diplograph.ingest.facts import Article, Entity, Fact, check_article_id
from diplograph.ingest.gazetteer.normalize import strip_accents
from diplograph.ontology.namespaces import (
    AGENT_PREFIX,
    ARTICLE_PREFIX,
    CAMEO,
    DG,
    ENTITY_PREFIX,
    EVENT_PREFIX,
    PLOVER,
    RUN_PREFIX,
    SCHEMA,
    SEM,
    STATUS,
    WIKIDATA_ENTITY,
)
from diplograph.ontology.terms import (
    EVENT_CLASS,
    KIND_CLASS,
    STATUS_CONCEPT,
    TYPED_TARGET,
    is_affirmed,
)

_RUN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._~-]{0,199}$")


@dataclass(frozen=True, slots=True)
class IngestRun:
    """One run of the ingest pipeline: who extracted the facts, and when the run started.

    ``id`` becomes an IRI path segment (same alphabet as article ids); ``started_at`` must
    be timezone-aware so that ``prov:startedAtTime`` is an unambiguous instant.
    """

    id: str
    started_at: datetime
    extractor: str
    extractor_version: str

    def __post_init__(self) -> None:
        if not _RUN_ID.match(self.id):
            raise ValueError(f"run id must be 1-200 IRI-safe characters (got {self.id!r})")
        if self.started_at.tzinfo is None:
            raise ValueError("run started_at must be timezone-aware")
        if not self.extractor.strip() or not self.extractor_version.strip():
            raise ValueError("run extractor name and version must be non-empty")

    @classmethod
    def new(cls, extractor: str, extractor_version: str) -> IngestRun:
        """A run starting now, with a fresh random id."""
        started = datetime.now(UTC).replace(microsecond=0)
        run_id = started.strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:8]
        return cls(run_id, started, extractor, extractor_version)

    @property
    def iri(self) -> URIRef:
        return URIRef(RUN_PREFIX + self.id)

    @property
    def agent_iri(self) -> URIRef:
        return URIRef(
            AGENT_PREFIX + slug(self.extractor) + "/" + quote(self.extractor_version, safe="")
        )


def bind_prefixes(graph: Graph) -> Graph:
    """Bind the prefixes used by Diplograph data, for readable Turtle/TriG output."""
    for prefix, namespace in (
        ("dg", DG),
        ("status", STATUS),
        ("cameo", CAMEO),
        ("plover", PLOVER),
        ("sem", SEM),
        ("schema", SCHEMA),
        ("prov", PROV),
        ("dcterms", DCTERMS),
        ("wd", WIKIDATA_ENTITY),
        ("article", ARTICLE_PREFIX),
        ("event", EVENT_PREFIX),
        ("entity", ENTITY_PREFIX),
        ("run", RUN_PREFIX),
    ):
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def article_iri(article_id: str) -> URIRef:
    return URIRef(ARTICLE_PREFIX + article_id)


def fact_key(fact: Fact) -> str:
    """Canonical content of a fact: the hash input of its event IRI."""
    return json.dumps(fact.to_dict(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def event_iri(fact: Fact) -> URIRef:
    digest = hashlib.sha256(fact_key(fact).encode("utf-8")).hexdigest()[:16]
    return URIRef(EVENT_PREFIX + fact.article + "/" + digest)


def entity_iri(entity: Entity) -> URIRef:
    if entity.wikidata:
        return URIRef(ENTITY_PREFIX + entity.wikidata)
    return URIRef(ENTITY_PREFIX + entity.kind + "/" + slug(entity.name))


def slug(name: str) -> str:
    """Lower-case ASCII slug of a name; non-Latin names keep their letters, percent-encoded.

    Names that differ only in case, accents or punctuation ("U.S." / "US") give one slug on
    purpose: within a kind they name the same thing.
    """
    stripped = strip_accents(name.casefold())
    words = re.findall(r"\w+", re.sub(r"[.'’]", "", stripped).replace("_", " "))
    text = "-".join(words)
    if not text:
        text = "x" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:12]
    return quote(unicodedata.normalize("NFC", text), safe="-")


def date_literal(value: str) -> Literal:
    """The typed literal for a fact date: xsd:date, xsd:gYearMonth or xsd:gYear by precision."""
    if len(value) == 10:
        date.fromisoformat(value)  # raises ValueError for 2021-02-30 and friends
        return Literal(value, datatype=XSD.date)
    if len(value) == 7:
        return Literal(value, datatype=XSD.gYearMonth)
    return Literal(value, datatype=XSD.gYear)


def date_bounds(value: str) -> tuple[date, date]:
    """The first and the last day a fact date can stand for: 2021-08 gives 2021-08-01 and
    2021-08-31, 2022 gives 2022-01-01 and 2022-12-31, a day itself twice.

    Mapped to sem:hasEarliestBeginTimeStamp / sem:hasLatestBeginTimeStamp (dg:date is when
    the event began): all xsd:date, so a range filter sees every precision, where a typed
    comparison on dg:date silently skips the gYear and gYearMonth values.
    """
    if len(value) == 10:
        day = date.fromisoformat(value)
        return day, day
    if len(value) == 7:
        year, month = int(value[:4]), int(value[5:])
        following = date(year + month // 12, month % 12 + 1, 1)
        return date(year, month, 1), date.fromordinal(following.toordinal() - 1)
    return date(int(value), 1, 1), date(int(value), 12, 31)


def article_to_graph(
    article: Article | None, article_id: str, facts: Sequence[Fact], run: IngestRun
) -> Graph:
    """The triples of one article's named graph (see the module docstring)."""
    check_article_id(article_id)
    if article is not None and article.id != article_id:
        raise ValueError(f"article record {article.id!r} given for article {article_id!r}")
    graph = bind_prefixes(Graph())
    article_node = article_iri(article_id)
    _add_article(graph, article or Article(id=article_id), article_node)
    _add_run(graph, run, article_node)
    seen: set[URIRef] = set()
    for fact in facts:
        if fact.article != article_id:
            raise ValueError(f"fact of article {fact.article!r} given for article {article_id!r}")
        node = event_iri(fact)
        if node in seen:
            continue  # an exact duplicate: one event, first position
        _add_event(graph, fact, node, len(seen), article_node, run.iri)
        seen.add(node)
    return graph


def _add_article(graph: Graph, article: Article, node: URIRef) -> None:
    graph.add((node, RDF.type, SCHEMA.NewsArticle))
    graph.add((node, RDF.type, PROV.Entity))
    graph.add((node, DCTERMS.identifier, Literal(article.id)))
    if article.url is not None:
        graph.add((node, SCHEMA.url, Literal(article.url, datatype=XSD.anyURI)))
    if article.outlet is not None:
        graph.add((node, DG.outlet, Literal(article.outlet)))
    if article.published is not None:
        date.fromisoformat(article.published)
        graph.add((node, SCHEMA.datePublished, Literal(article.published, datatype=XSD.date)))
    if article.title is not None:
        graph.add((node, DCTERMS.title, Literal(article.title)))
    if article.licence is not None:
        graph.add((node, SCHEMA.license, Literal(article.licence)))


def _add_run(graph: Graph, run: IngestRun, article_node: URIRef) -> None:
    graph.add((run.iri, RDF.type, DG.IngestRun))
    graph.add((run.iri, RDF.type, PROV.Activity))
    graph.add((run.iri, PROV.startedAtTime, Literal(run.started_at)))
    graph.add((run.iri, PROV.wasAssociatedWith, run.agent_iri))
    graph.add((run.iri, PROV.used, article_node))
    graph.add((run.agent_iri, RDF.type, DG.Extractor))
    graph.add((run.agent_iri, RDF.type, PROV.SoftwareAgent))
    graph.add((run.agent_iri, SCHEMA.name, Literal(run.extractor)))
    graph.add((run.agent_iri, SCHEMA.softwareVersion, Literal(run.extractor_version)))


def _add_event(
    graph: Graph, fact: Fact, node: URIRef, ordinal: int, article_node: URIRef, run: URIRef
) -> None:
    graph.add((node, RDF.type, DG.Event))
    graph.add((node, RDF.type, EVENT_CLASS[fact.type]))
    graph.add((node, PROV.wasDerivedFrom, article_node))
    graph.add((node, PROV.wasGeneratedBy, run))
    graph.add((node, DG.ordinal, Literal(ordinal, datatype=XSD.integer)))
    graph.add((node, DG.status, STATUS_CONCEPT[fact.status]))
    graph.add((node, DG.negated, Literal(fact.negated)))
    graph.add((node, DG.evidence, Literal(fact.evidence)))
    if fact.attributed_to is not None:
        graph.add((node, DG.attributedTo, Literal(fact.attributed_to)))
    if fact.date is not None:
        graph.add((node, DG.date, date_literal(fact.date)))
        first, last = date_bounds(fact.date)
        graph.add(
            (node, SEM.hasEarliestBeginTimeStamp, Literal(first.isoformat(), datatype=XSD.date))
        )
        graph.add((node, SEM.hasLatestBeginTimeStamp, Literal(last.isoformat(), datatype=XSD.date)))
    if fact.evidence_start is not None and fact.evidence_end is not None:
        graph.add((node, DG.evidenceStart, Literal(fact.evidence_start, datatype=XSD.integer)))
        graph.add((node, DG.evidenceEnd, Literal(fact.evidence_end, datatype=XSD.integer)))
    if fact.confidence is not None:
        graph.add((node, DG.confidence, Literal(float(fact.confidence), datatype=XSD.double)))
    if fact.actor is not None:
        _add_role(graph, node, fact.actor, DG.actor, DG.actorMention, "actor")
    if fact.target is not None:
        target = _add_role(graph, node, fact.target, DG.target, DG.targetMention, "target")
        affirmed = is_affirmed(
            negated=fact.negated, attributed_to=fact.attributed_to, status=fact.status
        )
        if affirmed:
            graph.add((node, TYPED_TARGET[fact.type], target))
    if fact.place is not None:
        _add_role(graph, node, fact.place, DG.place, DG.placeMention, "place")
    for index, participant in enumerate(fact.participants):
        _add_role(
            graph, node, participant, DG.participant, DG.participantMention, "participant", index
        )


def _add_role(
    graph: Graph,
    event: URIRef,
    entity: Entity,
    role: URIRef,
    mention_property: URIRef,
    name: str,
    index: int | None = None,
) -> URIRef:
    """Link the event to the entity (shared node) and to a mention of it (per event).

    A person acting for a party also gets ``prov:actedOnBehalfOf`` it, and a city the state
    it lies in as ``schema:containedInPlace``, for queries that do not go through events;
    the mention records the same (``dg:actingFor``, ``dg:locatedIn``: what this event says)
    with a mention of that party or state as named here."""
    node = _add_entity(graph, entity)
    graph.add((event, role, node))
    mention = URIRef(f"{event}/{name}" if index is None else f"{event}/{name}/{index}")
    graph.add((event, mention_property, mention))
    _add_mention(graph, mention, node, entity)
    if index is not None:
        graph.add((mention, DG.ordinal, Literal(index, datatype=XSD.integer)))
    if entity.acting_for is not None:
        relation = (PROV.actedOnBehalfOf, DG.actingFor, DG.actingForMention, "acting-for")
        _add_related(graph, node, mention, entity.acting_for, *relation)
    if entity.located_in is not None:
        relation = (SCHEMA.containedInPlace, DG.locatedIn, DG.locatedInMention, "located-in")
        _add_related(graph, node, mention, entity.located_in, *relation)
    return node


def _add_related(
    graph: Graph,
    node: URIRef,
    mention: URIRef,
    related: Entity,
    node_property: URIRef,
    mention_property: URIRef,
    related_mention_property: URIRef,
    suffix: str,
) -> None:
    """``node`` -> ``related`` by ``node_property``; the mention says the same, and names
    ``related`` in its own mention ``<mention>/<suffix>``."""
    other = _add_entity(graph, related)
    graph.add((node, node_property, other))
    graph.add((mention, mention_property, other))
    related_mention = URIRef(f"{mention}/{suffix}")
    graph.add((mention, related_mention_property, related_mention))
    _add_mention(graph, related_mention, other, related)


def _add_mention(graph: Graph, mention: URIRef, node: URIRef, entity: Entity) -> None:
    """How the fact names ``entity``: its name and kind as given, whatever other facts say."""
    graph.add((mention, RDF.type, DG.Mention))
    graph.add((mention, DG.mentionOf, node))
    graph.add((mention, DG.mentionName, Literal(entity.name)))
    graph.add((mention, DG.mentionKind, KIND_CLASS[entity.kind]))


def _add_entity(graph: Graph, entity: Entity) -> URIRef:
    """The entity's shared node, typed by its kind, labelled and linked to Wikidata."""
    node = entity_iri(entity)
    graph.add((node, RDF.type, KIND_CLASS[entity.kind]))
    graph.add((node, RDFS.label, Literal(entity.name)))
    if entity.wikidata:
        graph.add((node, DG.wikidata, WIKIDATA_ENTITY[entity.wikidata]))
    return node
