"""The OWL ontology: documented, complete for the fact model, and reasoning-local."""

from __future__ import annotations

from rdflib import OWL, RDF, RDFS, SKOS, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS

from diplograph.ingest.facts import ENTITY_KINDS, FACT_TYPES, STATUSES
from diplograph.ontology import ONTOLOGY_PATH, ontology_graph
from diplograph.ontology.namespaces import CAMEO, DG, ONTOLOGY_IRI, PLOVER, STATUS
from diplograph.ontology.terms import (
    AFFIRMING_STATUSES,
    EVENT_CLASS,
    KIND_CLASS,
    STATUS_CONCEPT,
    TYPED_TARGET,
)

OURS = (str(DG), str(STATUS), str(CAMEO), str(PLOVER))


def _our_terms(graph):
    return {s for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(OURS)}


def test_ontology_file_ships_with_the_package_and_has_metadata():
    assert ONTOLOGY_PATH.is_file()
    graph = ontology_graph()
    onto = URIRef(ONTOLOGY_IRI)
    assert (onto, RDF.type, OWL.Ontology) in graph
    assert graph.value(onto, OWL.versionInfo) is not None
    assert graph.value(onto, OWL.versionIRI) is not None
    assert graph.value(onto, DCTERMS.license) is not None
    assert graph.value(onto, DCTERMS.creator) is not None


def test_ontology_graph_returns_independent_copies():
    first = ontology_graph()
    first.add((DG.Nonsense, RDF.type, OWL.Class))
    assert (DG.Nonsense, RDF.type, OWL.Class) not in ontology_graph()


def test_every_term_has_a_label_and_a_comment():
    graph = ontology_graph()
    terms = _our_terms(graph)
    assert len(terms) > 100
    missing = sorted(
        str(t)
        for t in terms
        if graph.value(t, RDFS.label) is None or graph.value(t, RDFS.comment) is None
    )
    assert missing == []


def test_every_term_used_in_our_namespaces_is_declared():
    graph = ontology_graph()
    used = {
        node
        for triple in graph
        for node in triple
        if isinstance(node, URIRef) and str(node).startswith(OURS)
    }
    undeclared = sorted(str(t) for t in used if graph.value(t, RDF.type) is None)
    assert undeclared == []


def test_every_fact_type_kind_and_status_has_a_term():
    graph = ontology_graph()
    assert set(EVENT_CLASS) == set(FACT_TYPES) == set(TYPED_TARGET)
    assert set(KIND_CLASS) == set(ENTITY_KINDS)
    assert set(STATUS_CONCEPT) == set(STATUSES)
    for cls in [*EVENT_CLASS.values(), *KIND_CLASS.values()]:
        assert (cls, RDF.type, OWL.Class) in graph, cls
    for cls in EVENT_CLASS.values():
        assert (cls, RDFS.subClassOf, DG.Event) in graph
    for concept in STATUS_CONCEPT.values():
        assert (concept, RDF.type, SKOS.Concept) in graph
        assert (concept, SKOS.inScheme, STATUS[""]) in graph


def test_affirming_statuses_match_the_ontology():
    graph = ontology_graph()
    documented = {
        status
        for status, concept in STATUS_CONCEPT.items()
        if graph.value(concept, DG.affirmsRelation) == Literal(True)
    }
    assert documented == AFFIRMING_STATUSES
    assert {"planned", "alleged", "cancelled", "announced"}.isdisjoint(documented)


def test_event_classes_are_pairwise_disjoint():
    graph = ontology_graph()
    groups = [
        set(Collection(graph, graph.value(node, OWL.members)))
        for node in graph.subjects(RDF.type, OWL.AllDisjointClasses)
    ]
    assert set(EVENT_CLASS.values()) in groups


def test_event_classes_map_to_cameo_and_plover_concepts():
    graph = ontology_graph()
    match = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch)
    for cls in EVENT_CLASS.values():
        targets = {o for p in match for o in graph.objects(cls, p)}
        cameo = {t for t in targets if str(t).startswith(str(CAMEO))}
        plover = {t for t in targets if str(t).startswith(str(PLOVER))}
        assert cameo and plover, cls
        for concept in cameo | plover:
            assert (concept, RDF.type, SKOS.Concept) in graph
            assert graph.value(concept, SKOS.notation) is not None
            assert graph.value(concept, SKOS.prefLabel) is not None
    assert (DG.Accusation, SKOS.exactMatch, CAMEO["112"]) in graph
    assert (CAMEO["112"], SKOS.broader, CAMEO["11"]) in graph
    assert len(set(graph.subjects(SKOS.topConceptOf, CAMEO[""]))) == 20
    assert len(set(graph.subjects(SKOS.topConceptOf, PLOVER[""]))) == 16


def test_each_typed_target_drives_one_state_relation_chain():
    graph = ontology_graph()
    assert (DG.actorOf, OWL.inverseOf, DG.actor) in graph
    for fact_type, prop in TYPED_TARGET.items():
        assert (prop, RDFS.subPropertyOf, DG.target) in graph
        assert (prop, RDFS.domain, EVENT_CLASS[fact_type]) in graph
        chains = [
            (relation, list(Collection(graph, chain)))
            for relation, chain in graph.subject_objects(OWL.propertyChainAxiom)
        ]
        relations = [relation for relation, links in chains if links == [DG.actorOf, prop]]
        assert len(relations) == 1, prop
        relation = relations[0]
        symmetric = (relation, RDF.type, OWL.SymmetricProperty) in graph
        inverse = graph.value(predicate=OWL.inverseOf, object=relation)
        assert symmetric or inverse is not None, relation


def test_reasoning_stays_local_to_one_event():
    """No construct whose consequences could span articles (see ontology/README.md)."""
    graph = ontology_graph()
    for forbidden in (
        OWL.TransitiveProperty,
        OWL.FunctionalProperty,
        OWL.InverseFunctionalProperty,
    ):
        assert not list(graph.subjects(RDF.type, forbidden)), forbidden
    assert not list(graph.triples((None, OWL.sameAs, None)))
    assert not list(graph.triples((None, OWL.hasKey, None)))
    entity_classes = set(KIND_CLASS.values()) | {DG.InternationalOrganization, DG.Place}
    for a, b in graph.subject_objects(OWL.disjointWith):
        assert a not in entity_classes and b not in entity_classes
