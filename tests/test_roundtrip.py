"""Facts -> RDF -> facts is lossless, and RDF -> facts -> RDF gives an isomorphic graph."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pyoxigraph
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.compare import graph_diff, to_isomorphic

from diplograph.ingest.facts import (
    ENTITY_KINDS,
    FACT_TYPES,
    PARTY_KINDS,
    STATE_KINDS,
    STATUSES,
    Article,
    Entity,
    Fact,
    FactFormatError,
    read_records,
)
from diplograph.ingest.from_rdf import records_from_graph, run_from_graph
from diplograph.ingest.to_rdf import IngestRun, article_to_graph, fact_key
from diplograph.ontology.namespaces import DG
from diplograph.shapes.validate import validate

DATA = Path(__file__).parent / "data" / "semantic-facts.jsonl"
RUN = IngestRun("run-7", datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC), "extractor", "2.0.1")


def _by_article() -> dict[str, tuple[Article | None, list[Fact]]]:
    groups: dict[str, tuple[Article | None, list[Fact]]] = {}
    with DATA.open(encoding="utf-8") as stream:
        for record in read_records(stream, str(DATA)):
            if isinstance(record, Article):
                groups[record.id] = (record, groups.get(record.id, (None, []))[1])
            else:
                article, facts = groups.get(record.article, (None, []))
                groups[record.article] = (article, [*facts, record])
    return groups


def assert_isomorphic(expected: Graph, actual: Graph) -> None:
    """Compare graphs with rdflib.compare and print the difference when they differ."""
    iso_expected, iso_actual = to_isomorphic(expected), to_isomorphic(actual)
    if iso_expected != iso_actual:
        _, only_expected, only_actual = graph_diff(iso_expected, iso_actual)
        raise AssertionError(
            "graphs differ\n--- only in expected:\n"
            + only_expected.serialize(format="nt")
            + "\n+++ only in actual:\n"
            + only_actual.serialize(format="nt")
        )


def _check_round_trip(article: Article | None, article_id: str, facts: list[Fact]) -> None:
    graph = article_to_graph(article, article_id, facts, RUN)
    unique = list({fact_key(f): f for f in facts}.values())  # as the mapping keys events
    records = records_from_graph(graph)
    assert records == [article or Article(id=article_id), *unique]
    # equality ignores whom a person acts for (not part of their identity): compare that too
    assert [r.to_dict() for r in records[1:]] == [f.to_dict() for f in unique]
    assert run_from_graph(graph) == RUN
    # through a serialisation, and back to RDF again
    reparsed = Graph().parse(data=graph.serialize(format="nt"), format="nt")
    records = records_from_graph(reparsed)
    again = article_to_graph(records[0], article_id, records[1:], run_from_graph(reparsed))
    assert_isomorphic(graph, again)


def test_the_fixture_covers_the_whole_fact_model():
    facts = [fact for _, group in _by_article().values() for fact in group]
    assert {f.type for f in facts} == set(FACT_TYPES)
    assert {f.status for f in facts} == set(STATUSES)
    entities = [e for f in facts for e in (f.actor, f.target, f.place, *f.participants) if e]
    assert {e.kind for e in entities} == set(ENTITY_KINDS)
    assert {len(f.date) for f in facts if f.date} == {4, 7, 10}
    assert any(f.actor is None for f in facts) and any(f.target is None for f in facts)
    assert any(f.negated for f in facts) and any(f.attributed_to for f in facts)
    assert any(f.confidence is not None and f.evidence_start is not None for f in facts)
    assert any(f.place is None for f in facts) and any(len(f.participants) > 1 for f in facts)
    assert any(p.acting_for is not None for f in facts for p in f.participants)
    assert any(f.place is not None and f.place.located_in is not None for f in facts)


def test_committed_facts_round_trip_per_article():
    for article_id, (article, facts) in _by_article().items():
        _check_round_trip(article, article_id, facts)


def test_null_actor_target_and_place_round_trip():
    fact = Fact(article="a", type="accusation", actor=None, target=None, evidence="was accused")
    _check_round_trip(None, "a", [fact])


def test_same_qid_with_different_names_and_kinds_round_trips():
    facts = [
        Fact("a", "support", Entity("Taiwan", "country", "Q865"), None, "e1"),
        Fact("a", "support", Entity("Republic of China", "territory", "Q865"), None, "e2"),
        Fact("a", "meeting", Entity("U.S.", "country"), Entity("US", "country"), "e3"),
    ]
    _check_round_trip(None, "a", facts)


# --- property-based ---------------------------------------------------------------------------

_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40
).filter(str.strip)
_qid = st.none() | st.integers(min_value=1, max_value=10**9).map(lambda n: f"Q{n}")
_entity = st.builds(Entity, name=_text, kind=st.sampled_from(ENTITY_KINDS), wikidata=_qid)
_party = st.builds(Entity, name=_text, kind=st.sampled_from(PARTY_KINDS), wikidata=_qid)
_person = st.builds(Entity, name=_text, kind=st.just("person"), wikidata=_qid, acting_for=_party)
_state = st.builds(Entity, name=_text, kind=st.sampled_from(STATE_KINDS), wikidata=_qid)
_city = st.builds(Entity, name=_text, kind=st.just("city"), wikidata=_qid, located_in=_state)
_date = st.dates(min_value=date(1000, 1, 1), max_value=date(2999, 12, 31)).flatmap(
    lambda d: st.sampled_from([d.isoformat(), d.isoformat()[:7], d.isoformat()[:4]])
)
_offsets = st.none() | st.tuples(
    st.integers(min_value=0, max_value=10**6), st.integers(min_value=0, max_value=10**4)
)


@st.composite
def _facts(draw, article_id: str) -> Fact:
    offsets = draw(_offsets)
    return Fact(
        article=article_id,
        type=draw(st.sampled_from(FACT_TYPES)),
        actor=draw(st.none() | _entity),
        target=draw(st.none() | _entity),
        evidence=draw(_text),
        participants=tuple(draw(st.lists(_entity | _person, max_size=4))),
        place=draw(st.none() | _entity | _city),
        date=draw(st.none() | _date),
        negated=draw(st.booleans()),
        attributed_to=draw(st.none() | _text),
        status=draw(st.sampled_from(STATUSES)),
        evidence_start=None if offsets is None else offsets[0],
        evidence_end=None if offsets is None else offsets[0] + offsets[1],
        confidence=draw(st.none() | st.floats(min_value=0.0, max_value=1.0)),
    )


_articles = st.builds(
    Article,
    id=st.just("art-1"),
    url=st.none()
    | st.from_regex(r"https?://[a-z0-9-]{1,20}\.org/[A-Za-z0-9._~%/?=&#-]{0,40}", fullmatch=True),
    outlet=st.none() | _text,
    published=st.none() | st.dates().map(date.isoformat),
    title=st.none() | _text,
    licence=st.none() | _text,
)


@settings(max_examples=60, deadline=None)
@given(article=st.none() | _articles, facts=st.lists(_facts("art-1"), max_size=5))
def test_generated_facts_round_trip(article, facts):
    _check_round_trip(article, "art-1", facts)


def test_a_union_of_article_graphs_gives_every_article_in_id_order():
    union = Graph()
    expected: list = []
    for article_id, (article, facts) in sorted(_by_article().items()):
        union += article_to_graph(article, article_id, facts, RUN)
        expected += [article or Article(id=article_id), *facts]
    assert records_from_graph(union) == expected


def test_a_graph_that_is_not_a_valid_fact_names_the_event():
    fact = Fact(article="a", type="meeting", actor=None, target=None, evidence="they met")
    graph = article_to_graph(None, "a", [fact], RUN)
    event = next(iter(graph.subjects(RDF.type, DG.Meeting)))
    broken = Graph()
    broken += graph
    broken.remove((event, DG.evidence, None))
    with pytest.raises(FactFormatError, match=re.escape(str(event))):
        records_from_graph(broken)
    broken = Graph()
    broken += graph
    broken.set((event, DG.status, URIRef("https://example.org/rumoured")))
    with pytest.raises(FactFormatError, match="unknown status"):
        records_from_graph(broken)
    broken = Graph()
    broken += graph
    broken.add((event, RDF.type, DG.Protest))
    with pytest.raises(FactFormatError, match="exactly one event type"):
        records_from_graph(broken)


def _through_oxigraph(graph: Graph) -> Graph:
    """Store a graph in Oxigraph (the store's engine) and read it back."""
    store = pyoxigraph.Store()
    store.load(graph.serialize(format="nt").encode("utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    dumped = store.dump(format=pyoxigraph.RdfFormat.N_QUADS, from_graph=pyoxigraph.DefaultGraph())
    return Graph().parse(data=dumped.decode("utf-8"), format="nt")


def _canonical_literals(graph: Graph) -> Graph:
    """Oxigraph writes canonical lexical forms ("1e-07" -> "0.0000001", "+00:00" -> "Z")."""
    canonical = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype in (XSD.double, XSD.dateTime):
            o = Literal(o.toPython(), datatype=o.datatype)
        canonical.add((s, p, o))
    return canonical


def test_article_graphs_survive_oxigraph():
    for article_id, (article, facts) in _by_article().items():
        graph = article_to_graph(article, article_id, facts, RUN)
        stored = _through_oxigraph(graph)
        assert_isomorphic(_canonical_literals(graph), _canonical_literals(stored))
        assert records_from_graph(stored) == records_from_graph(graph)
        assert validate(stored).conforms


@settings(max_examples=25, deadline=None)
@given(facts=st.lists(_facts("art-1"), min_size=1, max_size=3))
def test_generated_facts_survive_oxigraph(facts):
    graph = _through_oxigraph(article_to_graph(None, "art-1", facts, RUN))
    # one event per distinct content, as the mapping keys it: Fact equality leaves out whom
    # a participant acted for, the graph does not
    distinct = {fact_key(f): f for f in facts}
    back = records_from_graph(graph)[1:]
    assert [f.to_dict() for f in back] == [f.to_dict() for f in distinct.values()]
    assert run_from_graph(graph) == RUN
