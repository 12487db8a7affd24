"""OWL RL reasoning: state relations from affirmed facts only, same result from both engines."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, URIRef

from diplograph.ingest.facts import Article, Fact, read_records
from diplograph.ingest.to_rdf import IngestRun, article_to_graph, entity_iri
from diplograph.ontology import ontology_graph
from diplograph.ontology.namespaces import DG, ENTITY_PREFIX, SCHEMA, SEM
from diplograph.ontology.reasoning import ENGINES, ReasoningInconsistency, infer
from diplograph.ontology.terms import AFFIRMING_STATUSES

DATA = Path(__file__).parent / "data" / "semantic-facts.jsonl"
RUN = IngestRun("run-1", datetime(2026, 1, 2, tzinfo=UTC), "extractor", "1.0")
ISRAEL, MOROCCO = URIRef(ENTITY_PREFIX + "Q801"), URIRef(ENTITY_PREFIX + "Q1028")

#: The specification the ontology must implement: fact type -> (relation, inverse or None
#: when the relation is symmetric). Written out independently of the ontology on purpose.
RELATIONS = {
    "official_visit": (DG.hasVisited, DG.visitedBy),
    "meeting": (DG.metWith, None),
    "agreement_signing": (DG.signedAgreementWith, None),
    "relations_established": (DG.hasDiplomaticTiesWith, None),
    "relations_severed": (DG.severedTiesWith, None),
    "recognition": (DG.recognized, DG.recognizedBy),
    "accusation": (DG.accused, DG.accusedBy),
    "support": (DG.supports, DG.supportedBy),
    "military_cooperation": (DG.cooperatesMilitarilyWith, None),
    "sanctions": (DG.sanctioned, DG.sanctionedBy),
    "denial": (DG.deniedClaimOf, DG.claimDeniedBy),
    "protest": (DG.protestedAgainst, DG.protestedBy),
}
STATE_RELATIONS = {p for pair in RELATIONS.values() for p in pair if p is not None}


@cache
def _articles() -> dict[str, tuple[Article | None, tuple[Fact, ...]]]:
    with DATA.open(encoding="utf-8") as stream:
        records = list(read_records(stream, str(DATA)))
    ids = sorted({r.id if isinstance(r, Article) else r.article for r in records})
    return {
        article_id: (
            next((r for r in records if isinstance(r, Article) and r.id == article_id), None),
            tuple(r for r in records if isinstance(r, Fact) and r.article == article_id),
        )
        for article_id in ids
    }


def _graph(article_id: str) -> Graph:
    article, facts = _articles()[article_id]
    return article_to_graph(article, article_id, list(facts), RUN)


def _union() -> Graph:
    union = Graph()
    for article_id in _articles():
        union += _graph(article_id)
    return union


@cache
def _inferred(engine: str) -> frozenset:
    return frozenset(infer(_union(), engine=engine))


def _expected_relations() -> set:
    expected = set()
    for _, facts in _articles().values():
        for fact in facts:
            if fact.actor is None or fact.target is None:
                continue
            if fact.negated or fact.attributed_to or fact.status not in AFFIRMING_STATUSES:
                continue
            actor, target = entity_iri(fact.actor), entity_iri(fact.target)
            relation, inverse = RELATIONS[fact.type]
            expected.add((actor, relation, target))
            expected.add((target, inverse or relation, actor))
    return expected


def test_fixture_is_a_realistic_multi_article_graph():
    facts = [f for _, group in _articles().values() for f in group]
    assert len(_articles()) >= 3 and len(facts) >= 20
    assert any(f.negated for f in facts)
    assert any(f.status == "planned" for f in facts)


@pytest.mark.parametrize("engine", ENGINES)
def test_concrete_state_relations(engine):
    inferred = _inferred(engine)
    assert (ISRAEL, DG.hasVisited, MOROCCO) in inferred
    assert (MOROCCO, DG.visitedBy, ISRAEL) in inferred
    assert (MOROCCO, DG.hasDiplomaticTiesWith, ISRAEL) in inferred
    assert (ISRAEL, DG.hasDiplomaticTiesWith, MOROCCO) in inferred
    assert (ISRAEL, DG.stateRelation, MOROCCO) in inferred
    # class and property alignment
    assert (ISRAEL, RDF.type, SCHEMA.Country) in inferred
    assert (ISRAEL, RDF.type, SEM.Actor) in inferred


@pytest.mark.parametrize("engine", ENGINES)
def test_state_relations_come_exactly_from_affirmed_facts(engine):
    inferred = {t for t in _inferred(engine) if t[1] in STATE_RELATIONS}
    expected = _expected_relations()
    assert inferred == expected
    us, china = URIRef(ENTITY_PREFIX + "Q30"), URIRef(ENTITY_PREFIX + "Q148")
    ecuador, colombia = URIRef(ENTITY_PREFIX + "Q736"), URIRef(ENTITY_PREFIX + "Q739")
    assert (us, DG.sanctioned, china) not in inferred  # negated stance
    assert (ecuador, DG.hasDiplomaticTiesWith, colombia) not in inferred  # announced only
    assert (colombia, DG.cooperatesMilitarilyWith, ecuador) not in inferred  # cancelled
    assert (ISRAEL, DG.signedAgreementWith, MOROCCO) not in inferred  # planned + attributed


def test_both_engines_infer_the_same_triples():
    reference, fast = _inferred("owlrl"), _inferred("reasonable")
    assert len(reference) > 500
    missing = sorted(map(str, reference - fast))[:10]
    extra = sorted(map(str, fast - reference))[:10]
    assert reference == fast, f"only owlrl: {missing}\nonly reasonable: {extra}"


@pytest.mark.parametrize("engine", ENGINES)
def test_only_new_user_relevant_triples_are_returned(engine):
    inferred = _inferred(engine)
    asserted = set(_union())
    assert not inferred & asserted
    assert not inferred & set(ontology_graph())
    for subject, predicate, obj in inferred:
        assert not (predicate == OWL.sameAs and subject == obj)
        assert obj not in (OWL.Thing, RDFS.Resource)
        assert not str(subject).startswith(str(DG)), subject


@pytest.mark.parametrize("engine", ENGINES)
def test_literals_are_not_reported_as_new(engine):
    graph = _graph("sem-001")
    graph.add((ISRAEL, RDFS.label, Literal("Israël", lang="fr")))
    graph.add((ISRAEL, RDFS.label, Literal("5", datatype=XSD.integer)))
    inferred = infer(graph, engine=engine)
    assert not list(inferred.triples((None, RDFS.label, None)))
    assert not list(inferred.triples((None, DG.evidence, None)))


@pytest.mark.slow
@pytest.mark.parametrize("engine", ENGINES)
def test_closure_of_union_is_union_of_closures(engine):
    per_article = set()
    for article_id in _articles():
        per_article |= set(infer(_graph(article_id), engine=engine))
    assert per_article == set(_inferred(engine))


@pytest.mark.parametrize("engine", ENGINES)
def test_inconsistent_data_raises(engine):
    graph = _graph("sem-001")
    event = next(iter(graph.subjects(RDF.type, DG.Meeting)))
    graph.add((event, RDF.type, DG.Protest))
    with pytest.raises(ReasoningInconsistency, match="Disjoint classes") as caught:
        infer(graph, engine=engine)
    assert any(str(event) in message for message in caught.value.messages)


EX = "https://example.org/"
AXIOM_VIOLATIONS = {
    "nothing": [(URIRef(EX + "x"), RDF.type, OWL.Nothing)],
    "irreflexive": [
        (URIRef(EX + "p"), RDF.type, OWL.IrreflexiveProperty),
        (URIRef(EX + "x"), URIRef(EX + "p"), URIRef(EX + "x")),
    ],
    "asymmetric": [
        (URIRef(EX + "p"), RDF.type, OWL.AsymmetricProperty),
        (URIRef(EX + "x"), URIRef(EX + "p"), URIRef(EX + "y")),
        (URIRef(EX + "y"), URIRef(EX + "p"), URIRef(EX + "x")),
    ],
    "disjoint properties": [
        (URIRef(EX + "p"), OWL.propertyDisjointWith, URIRef(EX + "q")),
        (URIRef(EX + "x"), URIRef(EX + "p"), URIRef(EX + "y")),
        (URIRef(EX + "x"), URIRef(EX + "q"), URIRef(EX + "y")),
    ],
    "disjoint classes via subclass": [
        (URIRef(EX + "C"), RDFS.subClassOf, DG.Meeting),
        (URIRef(EX + "x"), RDF.type, URIRef(EX + "C")),
        (URIRef(EX + "x"), RDF.type, DG.Sanctions),
    ],
}


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("case", sorted(AXIOM_VIOLATIONS))
def test_owl_rl_inconsistency_rules(engine, case):
    graph = Graph()
    for triple in AXIOM_VIOLATIONS[case]:
        graph.add(triple)
    with pytest.raises(ReasoningInconsistency) as caught:
        infer(graph, engine=engine)
    assert any(EX + "x" in message for message in caught.value.messages)


def test_owlrl_does_not_print(capfd):
    infer(_graph("sem-003"), engine="owlrl")
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_unknown_engine_is_refused():
    with pytest.raises(ValueError, match="unknown reasoning engine"):
        infer(Graph(), engine="hermit")  # type: ignore[arg-type]


def test_empty_data_infers_nothing():
    for engine in ENGINES:
        assert len(infer(Graph(), engine=engine)) == 0


@pytest.mark.slow
def test_reasonable_is_much_faster_than_owlrl():
    _, facts = _articles()["sem-002"]
    big = Graph()
    for i in range(8):
        article_id = f"copy-{i}"
        big += article_to_graph(
            None, article_id, [replace(f, article=article_id) for f in facts], RUN
        )
    timings = {}
    results = {}
    for engine in ENGINES:
        started = time.process_time()
        results[engine] = set(infer(big, engine=engine))
        timings[engine] = time.process_time() - started
    assert results["owlrl"] == results["reasonable"]
    assert timings["reasonable"] * 3 < timings["owlrl"], timings
