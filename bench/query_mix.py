"""The six queries of the benchmark mix (issue 6), bound to entities of a synthetic world.

Every query runs against the union of all graphs (the default graph of ``diplograph serve``;
the Oxigraph server gets ``--union-default-graph``), and asks for the same result format
from every system, so the systems do the same work.

Queries are written to grow at most linearly with the data and to let the engine start
from the selective pattern: the event types are a FILTER, not a VALUES block, which made
Oxigraph start from all typed events (the "between" query went from 600 ms to 70 ms at 1M
triples). The 2-hop join deduplicates per hop with DISTINCT sub-queries: joined event by
event it multiplies the events of hop one by those of hop two for every shared state,
which is quadratic in the events per pair (the naive form is kept as
:func:`naive_two_hop` so the benchmark can show the difference).
"""

from __future__ import annotations

from dataclasses import dataclass

from bench.synthetic import World
from diplograph.ingest.to_rdf import entity_iri
from diplograph.ontology.namespaces import DG

SPARQL_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"

PREFIXES = f"""PREFIX dg: <{DG}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""

EVENT_CLASSES = [
    "OfficialVisit",
    "Meeting",
    "AgreementSigning",
    "RelationsEstablished",
    "RelationsSevered",
    "Recognition",
    "Accusation",
    "Support",
    "MilitaryCooperation",
    "Sanctions",
    "Denial",
    "Protest",
]


@dataclass(frozen=True)
class Query:
    """One query of the mix: a name for tables, the text and the result format to ask for."""

    name: str
    description: str
    text: str
    accept: str

    @property
    def is_graph(self) -> bool:
        return self.accept == N_TRIPLES


def mix(world: World) -> list[Query]:
    """The six queries, about the world's two most active states."""
    a = entity_iri(world.states[0])
    b = entity_iri(world.states[1])
    classes = ", ".join(f"dg:{name}" for name in EVENT_CLASSES)
    return [
        Query(
            "between",
            "events between two states, ordered by date",
            PREFIXES
            + f"""SELECT ?event ?type ?date ?evidence WHERE {{
  {{ SELECT DISTINCT ?event WHERE {{
      {{ ?event dg:actor <{a}> ; dg:target <{b}> }}
      UNION
      {{ ?event dg:actor <{b}> ; dg:target <{a}> }}
  }} }}
  ?event a ?type ; dg:date ?date ; dg:evidence ?evidence .
  FILTER(?type IN ({classes}))
}} ORDER BY ?date ?event""",
            SPARQL_JSON,
        ),
        Query(
            "by-type-year",
            "event counts by type and year",
            PREFIXES
            + f"""SELECT ?type ?year (COUNT(?event) AS ?events) WHERE {{
  GRAPH ?article {{ ?event a ?type ; dg:date ?date . }}
  FILTER(?type IN ({classes}))
  BIND(SUBSTR(STR(?date), 1, 4) AS ?year)
}} GROUP BY ?type ?year ORDER BY ?year ?type""",
            SPARQL_JSON,
        ),
        Query(
            "two-hop",
            "states that accused a state that X supports (DISTINCT per hop)",
            PREFIXES
            + f"""SELECT ?accuser (COUNT(?supported) AS ?targets) WHERE {{
  {{ SELECT DISTINCT ?accuser ?supported WHERE {{
      {{ SELECT DISTINCT ?supported WHERE {{
          ?support dg:actor <{a}> ; dg:supportTarget ?supported .
      }} }}
      ?accusation dg:accusationTarget ?supported ; dg:actor ?accuser .
  }} }}
  FILTER EXISTS {{ ?accuser a dg:State }}
}} GROUP BY ?accuser ORDER BY DESC(?targets) ?accuser""",
            SPARQL_JSON,
        ),
        Query(
            "date-range",
            "events in one quarter with OPTIONAL participants",
            PREFIXES
            + """SELECT ?event ?date ?actor ?participant WHERE {
  ?event dg:date ?date .
  FILTER(?date >= "2020-01-01"^^xsd:date && ?date < "2020-04-01"^^xsd:date)
  OPTIONAL { ?event dg:actor ?actor }
  OPTIONAL { ?event dg:participant ?participant }
} ORDER BY ?date ?event""",
            SPARQL_JSON,
        ),
        Query(
            "describe",
            "DESCRIBE one state",
            f"DESCRIBE <{a}>",
            N_TRIPLES,
        ),
        Query(
            "text",
            "text filter on evidence",
            PREFIXES
            + """SELECT ?event ?evidence WHERE {
  ?event dg:evidence ?evidence .
  FILTER(CONTAINS(LCASE(?evidence), "ceasefire"))
} ORDER BY ?event""",
            SPARQL_JSON,
        ),
    ]


def naive_two_hop(world: World) -> Query:
    """The 2-hop join written event by event: quadratic in the events per state pair."""
    a = entity_iri(world.states[0])
    return Query(
        "two-hop-naive",
        "the 2-hop join without per-hop DISTINCT (for comparison, not in the mix)",
        PREFIXES
        + f"""SELECT ?accuser (COUNT(DISTINCT ?supported) AS ?targets) WHERE {{
  ?support dg:actor <{a}> ; dg:supportTarget ?supported .
  ?accusation dg:accusationTarget ?supported ; dg:actor ?accuser .
  ?accuser a dg:State .
}} GROUP BY ?accuser ORDER BY DESC(?targets) ?accuser""",
        SPARQL_JSON,
    )


#: The cheapest possible request: measures each server's fixed cost per request.
TRIVIAL_ASK = Query("ask", "trivial ASK (fixed cost per request)", "ASK {}", SPARQL_JSON)
