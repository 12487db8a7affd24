"""Every SPARQL query behind the HTML pages, in one place, so they follow the ontology easily.

They run in process against the snapshot's read-only store (they are ours and bounded, so
they do not need the worker pool) with the union of all graphs as default graph. The
resource IRI replaces the ``?this`` token only after it passed IRI validation (pyoxigraph's
``NamedNode`` plus a check for the characters that could close an IRIREF), so a request
path cannot inject query text. (pyoxigraph's ``substitutions`` would be the cleaner tool,
but it only binds projected variables.)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from diplograph.ontology.namespaces import ARTICLE_GRAPH_PREFIX, INFERRED_GRAPH, ONTOLOGY_GRAPH

DG = "https://w3id.org/diplograph/ontology#"
#: Facts per page of an entity page (newest first; ``?page=2`` and on for older ones).
PAGE_FACTS = 500
PREFIXES = f"""PREFIX dg: <{DG}>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <https://schema.org/>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""

RESOURCE_TYPES = (
    PREFIXES
    + """
SELECT DISTINCT ?type WHERE { ?this a ?type }
"""
)

EXISTS = "ASK { { ?this ?p ?o } UNION { ?s ?p ?this } UNION { GRAPH ?this { ?s ?p ?o } } }"

#: Labels of many IRIs at once (723 on the busiest state's page at 1M triples). Every
#: article graph repeats the labels of its entities; the default graph holds each once
#: (store/union_graph.py), and DISTINCT merges an IRI that has the same text as both
#: rdfs:label and skos:prefLabel.
LABELS = (
    PREFIXES
    + """
SELECT DISTINCT ?this ?label WHERE {
  VALUES ?this { %s }
  ?this rdfs:label|skos:prefLabel ?label
}
"""
)

ENTITY = (
    PREFIXES
    + """
SELECT DISTINCT ?label ?wikidata WHERE {
  { ?this rdfs:label ?label } UNION { ?this dg:wikidata ?wikidata }
}
"""
)

#: The entity's kind: its asserted class in an article graph (not inferred super-classes).
ENTITY_KINDS = (
    PREFIXES
    + f"""
SELECT DISTINCT ?kind ?kindLabel WHERE {{
  GRAPH ?g {{ ?this a ?kind }}
  FILTER(STRSTARTS(STR(?g), "{ARTICLE_GRAPH_PREFIX}"))
  OPTIONAL {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?kind rdfs:label ?kindLabel }} }}
}}
"""
)

#: Who the entity acted for (a person) and who acted for it (a party), as articles say; the
#: state it lies in (a city) and its cities where events took place (a state): one query,
#: one kind of link per column.
ENTITY_LINKS = (
    PREFIXES
    + """
SELECT DISTINCT ?party ?person ?state ?city WHERE {
  { ?this prov:actedOnBehalfOf ?party } UNION { ?person prov:actedOnBehalfOf ?this }
  UNION { ?this schema:containedInPlace ?state } UNION { ?city schema:containedInPlace ?this }
}
"""
)

#: What a fact row of a page shows, bound from ?event (shared by entity and article pages).
_FACT_FIELDS = """OPTIONAL { ?event dg:date ?date }
    OPTIONAL { ?event dg:status ?status }
    OPTIONAL { ?event dg:negated ?negated }
    OPTIONAL { ?event dg:attributedTo ?attributed }
    OPTIONAL { ?event dg:evidence ?evidence }
    OPTIONAL { ?event dg:actor ?actor }
    OPTIONAL { ?event dg:target ?target }"""

#: Every event naming the entity in any role, newest first (one row per event). Only the
#: events of the page shown are then read in full (FACTS_OF_EVENTS): at 1M triples the
#: busiest state has 6,289 events, listed in 0.19 s, where reading all their fields took
#: 0.37 s and rendering them 1.6 MB of HTML.
ENTITY_EVENTS = (
    PREFIXES
    + f"""
SELECT ?event WHERE {{
  {{ SELECT DISTINCT ?event WHERE {{
      VALUES ?role {{ dg:actor dg:target dg:participant dg:place }}
      GRAPH ?g {{ ?event ?role ?this ; a ?type . FILTER(?type != dg:Event) }}
      FILTER(STRSTARTS(STR(?g), "{ARTICLE_GRAPH_PREFIX}"))
  }} }}
  OPTIONAL {{ ?event dg:date ?date }}
}}
ORDER BY DESC(?date) DESC(?event)
"""
)

#: The fact rows of the given events (``%s``: their IRIs), with the entity's roles in them.
#: The VALUES block sits inside GRAPH: outside it Oxigraph read every event first
#: (500 events of the busiest state at 1M: 507 ms against 38 ms).
FACTS_OF_EVENTS = (
    PREFIXES
    + f"""
SELECT ?event ?role ?type ?date ?status ?negated ?attributed ?evidence ?article
       ?actor ?target WHERE {{
  GRAPH ?g {{
    VALUES ?event {{ %s }}
    ?event a ?type ; ?role ?this .
    FILTER(?type != dg:Event && ?role IN (dg:actor, dg:target, dg:participant, dg:place))
    {_FACT_FIELDS}
    OPTIONAL {{ ?event prov:wasDerivedFrom ?article }}
  }}
  FILTER(STRSTARTS(STR(?g), "{ARTICLE_GRAPH_PREFIX}"))
}}
"""
)

TITLES = (
    PREFIXES
    + """
SELECT DISTINCT ?this ?title WHERE { VALUES ?this { %s } ?this dcterms:title ?title }
"""
)

#: State-level relations (asserted or inferred) of the entity, e.g. dg:hasDiplomaticTiesWith.
ENTITY_RELATIONS = (
    PREFIXES
    + f"""
SELECT DISTINCT ?property ?other WHERE {{
  {{ SELECT DISTINCT ?property WHERE {{
      GRAPH <{ONTOLOGY_GRAPH}> {{ ?property rdfs:subPropertyOf+ dg:stateRelation }}
  }} }}
  ?this ?property ?other .
}}
ORDER BY ?property ?other
"""
)

#: Every sub-property of dg:stateRelation.
STATE_RELATION_PROPERTIES = (
    PREFIXES
    + f"""
SELECT DISTINCT ?property WHERE {{
  GRAPH <{ONTOLOGY_GRAPH}> {{ ?property rdfs:subPropertyOf+ dg:stateRelation }}
}}
"""
)

#: The state-level relations a network picture can show, with their labels. Inverse
#: properties ("accused by") are left out: with arrows they draw the same picture.
NETWORK_RELATIONS = (
    PREFIXES
    + f"""
SELECT DISTINCT ?property ?label ?symmetric WHERE {{
  GRAPH <{ONTOLOGY_GRAPH}> {{
    ?property rdfs:subPropertyOf+ dg:stateRelation .
    FILTER NOT EXISTS {{ ?property owl:inverseOf ?inverse }}
    OPTIONAL {{ ?property rdfs:label ?label }}
    BIND(EXISTS {{ ?property a owl:SymmetricProperty }} AS ?symmetric)
  }}
}}
ORDER BY ?label ?property
"""
)

#: Every entity with a relation over the properties ``%s`` (in either direction) and its
#: number of counterparts, most connected first. The busiest state at 1M triples has 705.
NETWORK_HUBS = (
    PREFIXES
    + f"""
SELECT ?entity (COUNT(DISTINCT ?other) AS ?n) WHERE {{
  GRAPH <{INFERRED_GRAPH}> {{
    VALUES ?p {{ %s }}
    {{ ?entity ?p ?other }} UNION {{ ?other ?p ?entity }}
  }}
}}
GROUP BY ?entity
ORDER BY DESC(?n) ?entity
"""
)

#: The relations over properties ``%(p)s`` among the entities ``%(e)s``. VALUES inside
#: GRAPH, for the reason given at FACTS_OF_EVENTS.
NETWORK_TIES = (
    PREFIXES
    + f"""
SELECT ?s ?p ?o WHERE {{
  GRAPH <{INFERRED_GRAPH}> {{
    VALUES ?p {{ %(p)s }}
    VALUES ?s {{ %(e)s }}
    VALUES ?o {{ %(e)s }}
    ?s ?p ?o
  }}
}}
"""
)

EVENT = (
    PREFIXES
    + f"""
SELECT ?type ?date ?status ?negated ?attributed ?evidence ?article ?confidence WHERE {{
  GRAPH ?g {{
    ?this a ?type .
    FILTER(?type != dg:Event)
    OPTIONAL {{ ?this dg:date ?date }}
    OPTIONAL {{ ?this dg:status ?status }}
    OPTIONAL {{ ?this dg:negated ?negated }}
    OPTIONAL {{ ?this dg:attributedTo ?attributed }}
    OPTIONAL {{ ?this dg:evidence ?evidence }}
    OPTIONAL {{ ?this prov:wasDerivedFrom ?article }}
    OPTIONAL {{ ?this dg:confidence ?confidence }}
  }}
  FILTER(STRSTARTS(STR(?g), "{ARTICLE_GRAPH_PREFIX}"))
}}
LIMIT 1
"""
)

EVENT_ROLES = (
    PREFIXES
    + """
SELECT ?role ?entity WHERE {
  VALUES ?role { dg:actor dg:target dg:participant dg:place }
  ?this ?role ?entity .
}
"""
)

ARTICLE = (
    PREFIXES
    + """
SELECT ?title ?url ?outlet ?published ?licence ?identifier WHERE {
  OPTIONAL { ?this dcterms:title ?title }
  OPTIONAL { ?this schema:url ?url }
  OPTIONAL { ?this dg:outlet ?outlet }
  OPTIONAL { ?this schema:datePublished ?published }
  OPTIONAL { ?this schema:license ?licence }
  OPTIONAL { ?this dcterms:identifier ?identifier }
}
LIMIT 1
"""
)

ARTICLE_EVENTS = (
    PREFIXES
    + f"""
SELECT ?event ?type ?date ?status ?negated ?attributed ?evidence ?actor ?target ?ordinal
WHERE {{
  GRAPH ?g {{
    ?event prov:wasDerivedFrom ?this ; a ?type .
    FILTER(?type != dg:Event)
    OPTIONAL {{ ?event dg:ordinal ?ordinal }}
    {_FACT_FIELDS}
  }}
  FILTER(STRSTARTS(STR(?g), "{ARTICLE_GRAPH_PREFIX}"))
}}
ORDER BY ?ordinal ?event
"""
)

#: Every triple about the resource (all graphs), for the generic page and RDF views.
DESCRIBE = "SELECT DISTINCT ?p ?o WHERE { ?this ?p ?o } ORDER BY ?p ?o"

#: The resource, the nodes it owns (IRIs below it, e.g. an event's mentions) and the links
#: into it that a client follows: events naming an entity in a role, an article's events.
#: Not every incoming triple: a status concept is the object of most events' dg:status.
CONCISE = f"""
CONSTRUCT {{ ?s ?p ?o }} WHERE {{
  {{ ?this ?p ?o . BIND(?this AS ?s) }}
  UNION
  {{ ?s ?p ?o . FILTER(STRSTARTS(STR(?s), CONCAT(STR(?this), "/"))) ?this ?link ?s . }}
  UNION
  {{ VALUES ?p {{ <{DG}actor> <{DG}target> <{DG}participant> <{DG}place>
                 <http://www.w3.org/ns/prov#wasDerivedFrom> }}
     ?s ?p ?this . BIND(?this AS ?o) }}
}}
"""

ONTOLOGY_TERMS = (
    PREFIXES
    + f"""
SELECT ?term ?kind ?label ?comment WHERE {{
  GRAPH <{ONTOLOGY_GRAPH}> {{
    VALUES ?kind {{ owl:Class owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty }}
    ?term a ?kind .
    FILTER(isIRI(?term))
    OPTIONAL {{ ?term rdfs:label ?label FILTER(LANGMATCHES(LANG(?label), "en")) }}
    OPTIONAL {{ ?term rdfs:comment ?comment FILTER(LANGMATCHES(LANG(?comment), "en")) }}
  }}
}}
ORDER BY ?kind ?term
"""
)

ONTOLOGY_HEADER = (
    PREFIXES
    + f"""
SELECT ?title ?comment ?version WHERE {{
  GRAPH <{ONTOLOGY_GRAPH}> {{
    ?o a owl:Ontology .
    OPTIONAL {{ ?o rdfs:label ?title }}
    OPTIONAL {{ ?o rdfs:comment ?comment }}
    OPTIONAL {{ ?o owl:versionInfo ?version }}
  }}
}}
LIMIT 1
"""
)


# -- helpers -----------------------------------------------------------------------------


_THIS = re.compile(r"\?this\b")


def bind_this(query: str, iri: str) -> str:
    """``query`` with every ``?this`` replaced by the IRI (ValueError if it is not one)."""
    if not _safe_iri(iri):
        raise ValueError(f"not an IRI: {iri!r}")
    node = str(ox.NamedNode(iri))  # raises ValueError on an invalid IRI
    return _THIS.sub(lambda _m: node, query)


def run(store: ox.Store, query: str, this: str | None = None) -> Any:
    """Evaluate ``query`` with ``?this`` bound to the IRI ``this`` (union default graph)."""
    if this is not None:
        query = bind_this(query, this)
    return store.query(query, use_default_graph_as_union=True)


def rows(store: ox.Store, query: str, this: str | None = None) -> list[dict[str, Any]]:
    """SELECT results as dicts of python values (None for unbound)."""
    result = run(store, query, this)
    names = [v.value for v in result.variables]
    return [{n: row[n] for n in names} for row in result]


def labels(store: ox.Store, iris: set[str]) -> dict[str, str]:
    """One display label per IRI (the shortest English-or-plain label; stable choice)."""
    if not iris:
        return {}
    values = " ".join(f"<{i}>" for i in sorted(iris) if _safe_iri(i))
    found: dict[str, list[str]] = {}
    for row in store.query(LABELS % values, use_default_graph_as_union=True):
        found.setdefault(row["this"].value, []).append(row["label"].value)
    return {iri: sorted(names, key=lambda s: (len(s), s))[0] for iri, names in found.items()}


def titles(store: ox.Store, iris: set[str]) -> dict[str, str]:
    """Article titles for many article IRIs in one query."""
    values = " ".join(f"<{i}>" for i in sorted(iris) if _safe_iri(i))
    if not values:
        return {}
    return {
        row["this"].value: row["title"].value
        for row in store.query(TITLES % values, use_default_graph_as_union=True)
    }


def _safe_iri(iri: str) -> bool:
    return not any(c in iri for c in '<>"{}|^`\\ \n\r\t')


def iri_values(iris: Iterable[str]) -> str:
    """IRIs as the body of a VALUES block (unsafe ones dropped, sorted for stable text)."""
    return " ".join(f"<{i}>" for i in sorted(set(iris)) if _safe_iri(i))


def hubs(store: ox.Store, properties: Iterable[str]) -> list[str]:
    """Entities related over ``properties``, most counterparts first (ties by IRI)."""
    query = NETWORK_HUBS % iri_values(properties)
    return [row["entity"].value for row in store.query(query)]


def ties(
    store: ox.Store, properties: Iterable[str], entities: Iterable[str]
) -> list[tuple[str, str, str]]:
    """``(subject, property, object)`` of the relations among ``entities``."""
    found = iri_values(entities)
    if not found:
        return []
    query = NETWORK_TIES % {"p": iri_values(properties), "e": found}
    return [(row["s"].value, row["p"].value, row["o"].value) for row in store.query(query)]


@dataclass
class Fact:
    """One row of an entity's or article's fact table."""

    event: str
    type: str
    date: str | None
    status: str | None
    negated: bool
    attributed: str | None
    evidence: str | None
    article: str | None
    actor: str | None
    target: str | None
    roles: list[str] = field(default_factory=list)


def entity_facts(store: ox.Store, iri: str, page: int) -> tuple[list[Fact], int]:
    """Page ``page`` (from 1) of the facts naming ``iri``, newest first, and their total."""
    events = [row["event"].value for row in run(store, ENTITY_EVENTS, iri)]
    shown = [e for e in events[(page - 1) * PAGE_FACTS : page * PAGE_FACTS] if _safe_iri(e)]
    if not shown:
        return [], len(events)
    # ?this first, then the events: the placeholder has spaces, which no bound IRI has.
    values = " ".join(f"<{e}>" for e in shown)
    query = bind_this(FACTS_OF_EVENTS, iri).replace("{ %s }", "{ " + values + " }")
    by_event = {f.event: f for f in facts_from_rows(rows(store, query))}
    return [by_event[e] for e in shown if e in by_event], len(events)


def facts_from_rows(found: list[dict[str, Any]]) -> list[Fact]:
    """Merge query rows into one Fact per event (an entity can hold several roles)."""
    facts: dict[str, Fact] = {}
    for r in found:
        key = r["event"].value
        fact = facts.get(key)
        if fact is None:
            fact = facts[key] = Fact(
                event=key,
                type=r["type"].value,
                date=r["date"].value if r.get("date") is not None else None,
                status=r["status"].value if r.get("status") is not None else None,
                negated=r.get("negated") is not None and r["negated"].value == "true",
                attributed=r["attributed"].value if r.get("attributed") is not None else None,
                evidence=r["evidence"].value if r.get("evidence") is not None else None,
                article=r["article"].value if r.get("article") is not None else None,
                actor=r["actor"].value if r.get("actor") is not None else None,
                target=r["target"].value if r.get("target") is not None else None,
            )
        role = r.get("role")
        if role is not None:
            name = role.value.rsplit("#", 1)[-1]
            if name not in fact.roles:
                fact.roles.append(name)
    return list(facts.values())
