"""IRIs that every stage shares: the ontology namespace and the data IRI scheme.

Data IRIs are ``BASE + path``; the server answers each path (``/id/...``, ``/graph/...``,
``/ontology``) itself, so every IRI dereferences against a local server as well as through
the w3id.org redirect.
"""

from __future__ import annotations

from rdflib import Namespace

#: Base of every Diplograph IRI (persistent-identifier style).
BASE = "https://w3id.org/diplograph/"
#: The ontology document IRI and its hash namespace.
ONTOLOGY_IRI = BASE + "ontology"
DG = Namespace(ONTOLOGY_IRI + "#")

#: Named graphs that are not per-article.
ONTOLOGY_GRAPH = BASE + "graph/ontology"
INFERRED_GRAPH = BASE + "graph/inferred"
#: Prefix of the one-graph-per-article asserted graphs: ARTICLE_GRAPH_PREFIX + article id.
ARTICLE_GRAPH_PREFIX = BASE + "graph/article/"

#: Prefixes of resource IRIs minted by the mapping.
ARTICLE_PREFIX = BASE + "id/article/"
EVENT_PREFIX = BASE + "id/event/"
ENTITY_PREFIX = BASE + "id/entity/"
RUN_PREFIX = BASE + "id/run/"
AGENT_PREFIX = BASE + "id/agent/"

WIKIDATA_ENTITY = Namespace("http://www.wikidata.org/entity/")


def article_graph(article_id: str) -> str:
    """The named graph that holds one article's asserted facts."""
    return ARTICLE_GRAPH_PREFIX + article_id


#: Concept schemes minted by the ontology (they are SKOS concepts described in the ontology
#: document; the server answers these paths like any other Diplograph IRI).
STATUS = Namespace(BASE + "status/")
#: CAMEO and PLOVER have no official RDF namespace, so Diplograph mints concept IRIs for the
#: codes it maps to, e.g. ``CAMEO["04"]``, ``PLOVER["CONSULT"]``.
CAMEO = Namespace(BASE + "cameo/")
PLOVER = Namespace(BASE + "plover/")

#: External vocabularies the ontology aligns with.
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
SCHEMA = Namespace("https://schema.org/")
