"""Facts -> RDF: deterministic IRIs, typed literals, provenance, affirmed-only typed targets."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import OWL, RDF, RDFS, XSD, Literal, URIRef
from rdflib.namespace import PROV

from diplograph.ingest.facts import Article, Entity, Fact, read_records
from diplograph.ingest.to_rdf import (
    IngestRun,
    article_iri,
    article_to_graph,
    entity_iri,
    event_iri,
    slug,
)
from diplograph.ontology import ontology_graph
from diplograph.ontology.namespaces import DG, ENTITY_PREFIX, SCHEMA, SEM, STATUS, WIKIDATA_ENTITY
from diplograph.ontology.terms import TYPED_TARGET

DATA = Path(__file__).parent / "data" / "semantic-facts.jsonl"
RUN = IngestRun("run-1", datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC), "diplograph-extract", "0.1.0")
ISRAEL = Entity("Israel", "country", "Q801")
MOROCCO = Entity("Morocco", "country", "Q1028")


def _records():
    with DATA.open(encoding="utf-8") as stream:
        return list(read_records(stream, str(DATA)))


def _article(article_id):
    records = _records()
    article = next((r for r in records if isinstance(r, Article) and r.id == article_id), None)
    facts = [r for r in records if isinstance(r, Fact) and r.article == article_id]
    return article, facts


def _fact(**changes) -> Fact:
    base = Fact(
        article="a-1",
        type="official_visit",
        actor=ISRAEL,
        target=MOROCCO,
        evidence="the minister arrived in Rabat",
    )
    return replace(base, **changes)


def test_same_input_gives_the_same_graph_and_reingest_keeps_the_triple_count():
    article, facts = _article("sem-001")
    first = article_to_graph(article, "sem-001", facts, RUN)
    again = article_to_graph(article, "sem-001", facts, RUN)
    assert set(first) == set(again)
    later = IngestRun.new("diplograph-extract", "0.2.0")
    rerun = article_to_graph(article, "sem-001", facts, later)
    assert len(rerun) == len(first)
    events = set(first.subjects(RDF.type, DG.Event))
    assert events == set(rerun.subjects(RDF.type, DG.Event))
    assert len(events) == len(facts)


def test_event_iri_depends_on_article_and_content_only():
    fact = _fact()
    assert event_iri(fact) == event_iri(_fact())
    assert str(event_iri(fact)).startswith("https://w3id.org/diplograph/id/event/a-1/")
    assert event_iri(fact) != event_iri(_fact(article="a-2"))
    assert event_iri(fact) != event_iri(_fact(status="planned"))
    assert event_iri(fact) != event_iri(_fact(confidence=0.5))
    # position in the input does not matter
    one = article_to_graph(None, "a-1", [fact, _fact(type="meeting")], RUN)
    two = article_to_graph(None, "a-1", [_fact(type="meeting"), fact], RUN)
    assert set(one.subjects(RDF.type, DG.Event)) == set(two.subjects(RDF.type, DG.Event))


def test_exact_duplicates_collapse_into_one_event():
    graph = article_to_graph(None, "a-1", [_fact(), _fact(), _fact(type="meeting")], RUN)
    assert len(set(graph.subjects(RDF.type, DG.Event))) == 2
    assert graph.value(event_iri(_fact(type="meeting")), DG.ordinal) == Literal(
        1, datatype=XSD.integer
    )


def test_entity_iris_come_from_the_qid_or_from_kind_and_slug():
    assert entity_iri(ISRAEL) == URIRef(ENTITY_PREFIX + "Q801")
    assert entity_iri(Entity("Israël", "territory", "Q801")) == URIRef(ENTITY_PREFIX + "Q801")
    unlinked = entity_iri(Entity("Office of Foreign Assets Control", "organization"))
    assert unlinked == URIRef(ENTITY_PREFIX + "organization/office-of-foreign-assets-control")
    assert entity_iri(Entity("U.S.", "country")) == entity_iri(Entity("US", "country"))
    assert entity_iri(Entity("US", "country")) != entity_iri(Entity("US", "organization"))
    assert slug("Juan Guaidó") == "juan-guaido"
    assert slug("北京") == "%E5%8C%97%E4%BA%AC"
    assert slug("!!!").startswith("x") and slug("!!!") != slug("???")


def test_entities_link_to_wikidata_without_owl_same_as():
    _, facts = _article("sem-001")
    graph = article_to_graph(None, "sem-001", facts, RUN)
    israel = URIRef(ENTITY_PREFIX + "Q801")
    assert (israel, DG.wikidata, WIKIDATA_ENTITY.Q801) in graph
    assert (israel, RDF.type, DG.State) in graph
    # the article names Israel twice ("Israel", "Israël"): both labels, one node
    assert set(graph.objects(israel, RDFS.label)) == {Literal("Israel"), Literal("Israël")}
    assert not list(graph.triples((None, OWL.sameAs, None)))


def test_dates_are_typed_by_precision_and_impossible_dates_are_rejected():
    for value, datatype in (
        ("2021-11-23", XSD.date),
        ("2020-12", XSD.gYearMonth),
        ("2020", XSD.gYear),
    ):
        graph = article_to_graph(None, "a-1", [_fact(date=value)], RUN)
        assert graph.value(event_iri(_fact(date=value)), DG.date) == Literal(
            value, datatype=datatype
        )
    with pytest.raises(ValueError):
        article_to_graph(None, "a-1", [_fact(date="2021-02-30")], RUN)


@pytest.mark.parametrize(
    ("value", "first", "last"),
    [
        ("2021-11-23", "2021-11-23", "2021-11-23"),
        ("2024-02", "2024-02-01", "2024-02-29"),
        ("2023-02", "2023-02-01", "2023-02-28"),
        ("2020-12", "2020-12-01", "2020-12-31"),
        ("2020", "2020-01-01", "2020-12-31"),
    ],
)
def test_dates_carry_their_period_as_sem_begin_bounds(value, first, last):
    graph = article_to_graph(None, "a-1", [_fact(date=value)], RUN)
    node = event_iri(_fact(date=value))
    assert graph.value(node, SEM.hasEarliestBeginTimeStamp) == Literal(first, datatype=XSD.date)
    assert graph.value(node, SEM.hasLatestBeginTimeStamp) == Literal(last, datatype=XSD.date)


def test_a_range_filter_on_the_bounds_sees_every_precision():
    """The trap the bounds remove: typed comparisons skip gYear/gYearMonth dates (in
    Oxigraph, the engine we serve with; rdflib's evaluator compares them loosely)."""
    facts = [_fact(date=value, evidence=value) for value in ("2020-03-05", "2020-07", "2020")]
    store = ox.Store()
    store.load(
        article_to_graph(None, "a-1", facts, RUN).serialize(format="nt", encoding="utf-8"),
        ox.RdfFormat.N_TRIPLES,
    )
    prefixes = f"PREFIX sem: <{SEM}> PREFIX xsd: <{XSD}> PREFIX dg: <{DG}>\n"
    overlap_2020 = """SELECT ?e WHERE { ?e sem:hasLatestBeginTimeStamp ?last ;
                                      sem:hasEarliestBeginTimeStamp ?first .
        FILTER(?last >= "2020-01-01"^^xsd:date && ?first <= "2020-12-31"^^xsd:date) }"""
    typed = """SELECT ?e WHERE { ?e dg:date ?d . FILTER(?d >= "2020-01-01"^^xsd:date) }"""
    assert len(list(store.query(prefixes + overlap_2020))) == 3
    assert len(list(store.query(prefixes + typed))) == 1
    assert not article_to_graph(None, "a-1", [_fact(date=None)], RUN).value(
        predicate=SEM.hasEarliestBeginTimeStamp, any=True
    )


def test_every_fact_field_is_in_the_graph():
    fact = _fact(
        participants=(Entity("Benny Gantz", "person", acting_for=ISRAEL),),
        place=Entity("Rabat", "city", "Q3551", located_in=MOROCCO),
        date="2021-11",
        negated=True,
        attributed_to="his office",
        status="planned",
        evidence_start=3,
        evidence_end=40,
        confidence=0.25,
    )
    graph = article_to_graph(None, "a-1", [fact], RUN)
    node = event_iri(fact)
    assert (node, RDF.type, DG.OfficialVisit) in graph
    assert (node, RDF.type, DG.Event) in graph
    assert graph.value(node, DG.actor) == URIRef(ENTITY_PREFIX + "Q801")
    assert graph.value(node, DG.target) == URIRef(ENTITY_PREFIX + "Q1028")
    assert graph.value(node, DG.participant) == URIRef(ENTITY_PREFIX + "person/benny-gantz")
    assert graph.value(node, DG.place) == URIRef(ENTITY_PREFIX + "Q3551")
    assert graph.value(node, DG.negated) == Literal(True)
    assert graph.value(node, DG.attributedTo) == Literal("his office")
    assert graph.value(node, DG.status) == STATUS.planned
    assert graph.value(node, DG.evidence) == Literal("the minister arrived in Rabat")
    assert graph.value(node, DG.evidenceStart).toPython() == 3
    assert graph.value(node, DG.evidenceEnd).toPython() == 40
    assert graph.value(node, DG.confidence) == Literal(0.25, datatype=XSD.double)
    mention = graph.value(node, DG.participantMention)
    assert graph.value(mention, DG.mentionName) == Literal("Benny Gantz")
    assert graph.value(mention, DG.mentionKind) == DG.Person
    gantz, rabat = graph.value(node, DG.participant), graph.value(node, DG.place)
    israel, morocco = URIRef(ENTITY_PREFIX + "Q801"), URIRef(ENTITY_PREFIX + "Q1028")
    assert graph.value(gantz, PROV.actedOnBehalfOf) == israel
    assert graph.value(mention, DG.actingFor) == israel
    assert graph.value(rabat, SCHEMA.containedInPlace) == morocco
    place_mention = graph.value(node, DG.placeMention)
    assert graph.value(place_mention, DG.locatedIn) == morocco
    state_mention = graph.value(place_mention, DG.locatedInMention)
    assert graph.value(state_mention, DG.mentionName) == Literal("Morocco")
    assert graph.value(state_mention, DG.mentionKind) == DG.State


def test_provenance_links_events_to_article_run_and_extractor():
    article = Article(
        id="a-1",
        url="https://example.org/x",
        outlet="Wire",
        published="2021-11-24",
        title="T",
        licence="CC BY 4.0",
    )
    graph = article_to_graph(article, "a-1", [_fact()], RUN)
    node, art = event_iri(_fact()), article_iri("a-1")
    assert (node, PROV.wasDerivedFrom, art) in graph
    assert (node, PROV.wasGeneratedBy, RUN.iri) in graph
    assert (art, RDF.type, SCHEMA.NewsArticle) in graph
    assert graph.value(art, SCHEMA.datePublished) == Literal("2021-11-24", datatype=XSD.date)
    assert graph.value(art, SCHEMA.url) == Literal("https://example.org/x", datatype=XSD.anyURI)
    assert (RUN.iri, RDF.type, PROV.Activity) in graph
    assert graph.value(RUN.iri, PROV.startedAtTime).toPython() == RUN.started_at
    agent = graph.value(RUN.iri, PROV.wasAssociatedWith)
    assert (agent, RDF.type, PROV.SoftwareAgent) in graph
    assert graph.value(agent, SCHEMA.softwareVersion) == Literal("0.1.0")


@pytest.mark.parametrize(
    ("changes", "affirmed"),
    [
        ({}, True),
        ({"status": "ongoing"}, True),
        ({"status": "agreed"}, True),
        ({"status": "stance"}, True),
        ({"status": "planned"}, False),
        ({"status": "announced"}, False),
        ({"status": "alleged"}, False),
        ({"status": "cancelled"}, False),
        ({"negated": True}, False),
        ({"attributed_to": "state media"}, False),
    ],
)
def test_typed_target_only_for_affirmed_facts(changes, affirmed):
    fact = _fact(**changes)
    graph = article_to_graph(None, "a-1", [fact], RUN)
    typed = graph.value(event_iri(fact), TYPED_TARGET["official_visit"])
    assert (typed is not None) == affirmed
    assert graph.value(event_iri(fact), DG.target) == URIRef(ENTITY_PREFIX + "Q1028")


def test_facts_of_another_article_are_refused():
    with pytest.raises(ValueError, match="a-2"):
        article_to_graph(None, "a-1", [_fact(article="a-2")], RUN)
    with pytest.raises(ValueError):
        article_to_graph(Article(id="a-2"), "a-1", [], RUN)


def test_run_must_be_timezone_aware_and_iri_safe():
    with pytest.raises(ValueError):
        IngestRun("r", datetime(2026, 1, 1), "x", "1")
    with pytest.raises(ValueError):
        IngestRun("r/../x", datetime(2026, 1, 1, tzinfo=UTC), "x", "1")


def test_every_term_the_mapping_uses_is_defined_in_the_ontology():
    records = _records()
    ontology = ontology_graph()
    for article_id in ("sem-001", "sem-002", "sem-003"):
        article, facts = _article(article_id)
        graph = article_to_graph(article, article_id, facts, RUN)
        used = set(graph.predicates()) | set(graph.objects(None, RDF.type))
        used |= set(graph.objects(None, DG.status)) | set(graph.objects(None, DG.mentionKind))
        undefined = {t for t in used if (t, None, None) not in ontology}
        assert undefined == {RDF.type, RDFS.label}, undefined
    assert records
