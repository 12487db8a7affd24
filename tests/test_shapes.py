"""SHACL shapes: valid mapping output conforms; every constraint catches its violation."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pyshacl
import pytest
from click.testing import CliRunner
from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SH

from diplograph.cli.main import cli
from diplograph.ingest.facts import Article, Entity, Fact, read_records
from diplograph.ingest.to_rdf import IngestRun, article_iri, article_to_graph, entity_iri, event_iri
from diplograph.ontology import ontology_graph
from diplograph.ontology.namespaces import DG, SCHEMA, SEM, STATUS, WIKIDATA_ENTITY
from diplograph.ontology.terms import EVENT_CLASS
from diplograph.shapes.prepared import FrozenGraph
from diplograph.shapes.validate import (
    EXIT_CONFORMS,
    EXIT_VIOLATIONS,
    SHAPES_PATH,
    ShaclViolation,
    check,
    prepared_shapes,
    shapes_graph,
    validate,
)

DATA = Path(__file__).parent / "data" / "semantic-facts.jsonl"
RUN = IngestRun("run-1", datetime(2026, 1, 2, tzinfo=UTC), "extractor", "1.0")
ISRAEL = Entity("Israel", "country", "Q801")
MOROCCO = Entity("Morocco", "country", "Q1028")
GANTZ = Entity("Benny Gantz", "person", acting_for=ISRAEL)
RABAT = Entity("Rabat", "city", "Q3551", located_in=MOROCCO)
FACT = Fact(
    article="a-1",
    type="official_visit",
    actor=ISRAEL,
    target=MOROCCO,
    evidence="the minister arrived in Rabat",
    participants=(GANTZ,),
    place=RABAT,
    date="2021-11-23",
    evidence_start=10,
    evidence_end=40,
    confidence=0.9,
)
E = event_iri(FACT)
ART = article_iri("a-1")
IL, MA, PERSON, CITY = entity_iri(ISRAEL), entity_iri(MOROCCO), entity_iri(GANTZ), entity_iri(RABAT)
ACTOR_MENTION = URIRef(f"{E}/actor")
PLACE_MENTION = URIRef(f"{E}/place")
PERSON_MENTION = URIRef(f"{E}/participant/0")
PARTY_MENTION = URIRef(f"{PERSON_MENTION}/acting-for")
STATE_MENTION = URIRef(f"{PLACE_MENTION}/located-in")


def _base() -> Graph:
    article = Article(id="a-1", url="https://example.org/a", published="2021-11-24", title="T")
    return article_to_graph(article, "a-1", [FACT], RUN)


def _set(s, p, o) -> Callable[[Graph], None]:
    return lambda g: g.set((s, p, o))


def _add(s, p, o) -> Callable[[Graph], None]:
    return lambda g: g.add((s, p, o))


def _drop(s, p) -> Callable[[Graph], None]:
    return lambda g: g.remove((s, p, None))


def test_shapes_file_ships_with_the_package():
    assert SHAPES_PATH.is_file()
    assert shapes_graph() is shapes_graph()  # parsed once


def _records():
    with DATA.open(encoding="utf-8") as stream:
        return list(read_records(stream, str(DATA)))


@pytest.mark.slow
def test_shapes_are_well_formed_shacl():
    """Checked against the SHACL-for-SHACL shapes (pySHACL's meta_shacl raises otherwise)."""
    conforms, _, _ = pyshacl.validate(
        Graph(), shacl_graph=shapes_graph(), meta_shacl=True, inference="none"
    )
    assert conforms


def test_shapes_only_use_terms_the_ontology_defines():
    ontology = ontology_graph()
    used = {
        node
        for triple in shapes_graph()
        for node in triple
        if isinstance(node, URIRef) and str(node).startswith((str(DG), str(STATUS)))
    }
    assert used
    assert sorted(str(t) for t in used if (t, None, None) not in ontology) == []


def test_mapping_output_conforms():
    records = _records()
    union = Graph()
    for article_id in ("sem-001", "sem-002", "sem-003"):
        article = next((r for r in records if isinstance(r, Article) and r.id == article_id), None)
        facts = [r for r in records if isinstance(r, Fact) and r.article == article_id]
        graph = article_to_graph(article, article_id, facts, RUN)
        report = validate(graph)
        assert report.conforms, report.format()
        union += graph
    report = check(union)
    assert report.exit_code == EXIT_CONFORMS
    assert "Conforms" in report.format()


VIOLATIONS = [
    # (case id, mutation, expected shape name, expected constraint component)
    (
        "two event types",
        _add(E, RDF.type, DG.Meeting),
        "dgsh:Event › event type",
        "QualifiedMaxCount",
    ),
    (
        "typed only with the event subclass",
        lambda g: g.remove((E, RDF.type, DG.Event)),
        "dgsh:Event › dg:Event type",
        "HasValue",
    ),
    (
        "no event type",
        lambda g: g.remove((E, RDF.type, DG.OfficialVisit)),
        "dgsh:Event › event type",
        "QualifiedMinCount",
    ),
    ("no article", _drop(E, PROV.wasDerivedFrom), "dgsh:Event › article link", "MinCount"),
    (
        "article not an article",
        _set(E, PROV.wasDerivedFrom, CITY),
        "dgsh:Event › article link",
        "Class",
    ),
    ("no run", _drop(E, PROV.wasGeneratedBy), "dgsh:Event › ingest run", "MinCount"),
    ("no evidence", _drop(E, DG.evidence), "dgsh:Event › evidence", "MinCount"),
    ("empty evidence", _set(E, DG.evidence, Literal("")), "dgsh:Event › evidence", "MinLength"),
    ("two evidences", _add(E, DG.evidence, Literal("x")), "dgsh:Event › evidence", "MaxCount"),
    ("no negated", _drop(E, DG.negated), "dgsh:Event › negated", "MinCount"),
    ("negated not boolean", _set(E, DG.negated, Literal("no")), "dgsh:Event › negated", "Datatype"),
    ("no status", _drop(E, DG.status), "dgsh:Event › status", "MinCount"),
    ("unknown status", _set(E, DG.status, STATUS.rumoured), "dgsh:Event › status", "In"),
    ("two statuses", _add(E, DG.status, STATUS.planned), "dgsh:Event › status", "MaxCount"),
    ("date as string", _set(E, DG.date, Literal("2021")), "dgsh:Event › date", "Or"),
    (
        "begin bounds reversed",
        _set(E, SEM.hasEarliestBeginTimeStamp, Literal("2021-11-24", datatype=XSD.date)),
        "dgsh:Event › earliest begin",
        "LessThanOrEquals",
    ),
    (
        "latest begin as gYear",
        _set(E, SEM.hasLatestBeginTimeStamp, Literal("2021", datatype=XSD.gYear)),
        "dgsh:Event › latest begin",
        "Datatype",
    ),
    (
        "dateTime date",
        _set(E, DG.date, Literal("2021-01-01T00:00:00", datatype=XSD.dateTime)),
        "dgsh:Event › date",
        "Or",
    ),
    (
        "two dates",
        _add(E, DG.date, Literal("2021", datatype=XSD.gYear)),
        "dgsh:Event › date",
        "MaxCount",
    ),
    (
        "empty attribution",
        _add(E, DG.attributedTo, Literal("")),
        "dgsh:Event › attributed to",
        "MinLength",
    ),
    (
        "start after end",
        _set(E, DG.evidenceStart, Literal(99)),
        "dgsh:Event › evidence start",
        "LessThanOrEquals",
    ),
    (
        "start without end",
        _drop(E, DG.evidenceEnd),
        "dgsh:EvidenceStart › evidence end",
        "MinCount",
    ),
    (
        "end without start",
        _drop(E, DG.evidenceStart),
        "dgsh:EvidenceEnd › evidence start",
        "MinCount",
    ),
    (
        "negative offset",
        _set(E, DG.evidenceEnd, Literal(-1)),
        "dgsh:Event › evidence end",
        "MinInclusive",
    ),
    (
        "confidence above 1",
        _set(E, DG.confidence, Literal(1.5, datatype=XSD.double)),
        "dgsh:Event › confidence",
        "MaxInclusive",
    ),
    (
        "confidence decimal",
        _set(E, DG.confidence, Literal("0.5", datatype=XSD.decimal)),
        "dgsh:Event › confidence",
        "Datatype",
    ),
    ("no ordinal", _drop(E, DG.ordinal), "dgsh:Event › ordinal", "MinCount"),
    ("ordinal as string", _set(E, DG.ordinal, Literal("0")), "dgsh:Event › ordinal", "Datatype"),
    ("two actors", _add(E, DG.actor, MA), "dgsh:Event › actor", "MaxCount"),
    (
        "person as place",
        _set(PLACE_MENTION, DG.mentionKind, DG.Person),
        "dgsh:Event › place kind",
        "In",
    ),
    ("two places", _add(E, DG.place, IL), "dgsh:Event › place", "MaxCount"),
    ("actor without mention", _drop(E, DG.actorMention), "dgsh:Event › actor mention", "Equals"),
    (
        "mention of another entity",
        _set(ACTOR_MENTION, DG.mentionOf, MA),
        "dgsh:Event › actor mention",
        "Equals",
    ),
    (
        "participant without mention",
        _drop(E, DG.participantMention),
        "dgsh:Event › participant mentions",
        "Equals",
    ),
    (
        "typed target on negated event",
        _set(E, DG.negated, Literal(True)),
        "dgsh:AffirmedEvent › affirmed: not negated",
        "HasValue",
    ),
    (
        "typed target on planned event",
        _set(E, DG.status, STATUS.planned),
        "dgsh:AffirmedEvent › affirmed: status",
        "In",
    ),
    (
        "typed target on attributed event",
        _add(E, DG.attributedTo, Literal("officials")),
        "dgsh:AffirmedEvent › affirmed: not attributed",
        "MaxCount",
    ),
    (
        "typed target of another type",
        _add(E, DG.accusationTarget, MA),
        "dgsh:Accusation-typedTarget",
        "Class",
    ),
    (
        "two typed targets",
        _add(E, DG.visitTarget, PERSON),
        "dgsh:OfficialVisit › typed target",
        "MaxCount",
    ),
    (
        "city visits",
        _set(ACTOR_MENTION, DG.mentionKind, DG.City),
        "dgsh:OfficialVisit › actor kind",
        "In",
    ),
    (
        "visit hosted by a person",
        _set(URIRef(f"{E}/target"), DG.mentionKind, DG.Person),
        "dgsh:OfficialVisit › target kind",
        "In",
    ),
    ("entity without label", _drop(IL, RDFS.label), "dgsh:Entity › name", "MinCount"),
    ("entity without kind", _drop(PERSON, RDF.type), "dgsh:Entity › kind", "QualifiedMinCount"),
    (
        "wikidata page url",
        _set(IL, DG.wikidata, URIRef("https://www.wikidata.org/wiki/Q801")),
        "dgsh:Entity › Wikidata item",
        "Pattern",
    ),
    (
        "wikidata Q0",
        _set(IL, DG.wikidata, WIKIDATA_ENTITY.Q0),
        "dgsh:Entity › Wikidata item",
        "Pattern",
    ),
    (
        "two wikidata items",
        _add(IL, DG.wikidata, WIKIDATA_ENTITY.Q1),
        "dgsh:Entity › Wikidata item",
        "MaxCount",
    ),
    (
        "mention without name",
        _drop(ACTOR_MENTION, DG.mentionName),
        "dgsh:Mention › mention name",
        "MinCount",
    ),
    (
        "mention kind not a kind",
        _set(ACTOR_MENTION, DG.mentionKind, DG.Event),
        "dgsh:Mention › mention kind",
        "In",
    ),
    (
        "person acting for two parties",
        _add(PERSON_MENTION, DG.actingFor, MA),
        "dgsh:ActingFor › acting for",
        "MaxCount",
    ),
    (
        "acting-for mention without the party",
        _drop(PERSON_MENTION, DG.actingFor),
        "dgsh:ActingFor › acting for",
        "MinCount",
    ),
    (
        "acting-for mention of another party",
        _set(PARTY_MENTION, DG.mentionOf, MA),
        "dgsh:ActingFor › acting for party",
        "Equals",
    ),
    (
        "acting for a city",
        _set(PARTY_MENTION, DG.mentionKind, DG.City),
        "dgsh:ActingFor › acting for kind",
        "In",
    ),
    (
        "a place acting for a state",
        _add(PLACE_MENTION, DG.actingFor, IL),
        "dgsh:ActingFor › person acting",
        "HasValue",
    ),
    (
        "city lying in two states",
        _add(PLACE_MENTION, DG.locatedIn, IL),
        "dgsh:LocatedIn › located in",
        "MaxCount",
    ),
    (
        "located-in mention without the state",
        _drop(PLACE_MENTION, DG.locatedIn),
        "dgsh:LocatedIn › located in",
        "MinCount",
    ),
    (
        "located-in mention of another state",
        _set(STATE_MENTION, DG.mentionOf, IL),
        "dgsh:LocatedIn › located in state",
        "Equals",
    ),
    (
        "a city lying in a city",
        _set(STATE_MENTION, DG.mentionKind, DG.City),
        "dgsh:LocatedIn › located in kind",
        "In",
    ),
    (
        "a state lying in a state",
        _add(ACTOR_MENTION, DG.locatedIn, MA),
        "dgsh:LocatedIn › city located",
        "HasValue",
    ),
    ("article without id", _drop(ART, DCTERMS.identifier), "dgsh:Article › article id", "MinCount"),
    (
        "article id outside alphabet",
        _set(ART, DCTERMS.identifier, Literal("a b")),
        "dgsh:Article › article id",
        "Pattern",
    ),
    (
        "published as string",
        _set(ART, SCHEMA.datePublished, Literal("2021-11-24")),
        "dgsh:Article › published",
        "Datatype",
    ),
    ("two titles", _add(ART, DCTERMS.title, Literal("U")), "dgsh:Article › title", "MaxCount"),
    (
        "run without start",
        _drop(RUN.iri, PROV.startedAtTime),
        "dgsh:IngestRun › started at",
        "MinCount",
    ),
    (
        "run without extractor",
        _drop(RUN.agent_iri, RDF.type),
        "dgsh:IngestRun › extractor",
        "Class",
    ),
    (
        "extractor without version",
        _drop(RUN.agent_iri, SCHEMA.softwareVersion),
        "dgsh:Extractor › extractor version",
        "MinCount",
    ),
]


@pytest.mark.parametrize(
    ("mutate", "shape", "component"),
    [case[1:] for case in VIOLATIONS],
    ids=[case[0] for case in VIOLATIONS],
)
def test_each_constraint_reports_its_violation(mutate, shape, component):
    graph = _base()
    mutate(graph)
    report = validate(graph)
    assert not report.conforms
    assert report.exit_code == EXIT_VIOLATIONS
    found = [v for v in report.violations if v.shape == shape]
    assert found, report.format()
    assert any(v.component == f"sh:{component}ConstraintComponent" for v in found), report.format()
    assert shape in report.format()


def test_per_type_actor_classes():
    protest = Fact("a-1", "protest", ISRAEL, MOROCCO, "crowds gathered")
    report = validate(article_to_graph(None, "a-1", [protest], RUN))
    assert [v.shape for v in report.violations] == ["dgsh:Protest › actor kind"]
    crowd = Fact("a-1", "protest", Entity("protesters", "movement"), MOROCCO, "crowds gathered")
    assert validate(article_to_graph(None, "a-1", [crowd], RUN)).conforms
    sanction = Fact("a-1", "sanctions", GANTZ, MOROCCO, "he sanctioned")
    report = validate(article_to_graph(None, "a-1", [sanction], RUN))
    assert [v.shape for v in report.violations] == ["dgsh:Sanctions › actor kind"]


AU = Entity("African Union", "organization", "Q7159")  # a valid actor and target of every type


@pytest.mark.parametrize("fact_type", sorted(EVENT_CLASS))
def test_event_typed_only_with_its_subclass_gets_every_event_check(fact_type):
    """Validation reads no ontology: an event typed only dg:Meeting (say) must still meet
    the event-level shape, and must be told to add the dg:Event type queries select by."""
    fact = Fact("a-1", fact_type, AU, MOROCCO, "e", date="2021-11-23", status="occurred")
    graph = article_to_graph(None, "a-1", [fact], RUN)
    event = event_iri(fact)
    assert (event, RDF.type, EVENT_CLASS[fact_type]) in graph
    assert validate(graph).conforms  # typed with both, as the mapping does
    graph.remove((event, RDF.type, DG.Event))
    graph.set((event, DG.date, Literal("yesterday")))
    graph.remove((event, DG.evidence, None))
    graph.remove((event, DG.status, None))
    report = validate(graph)
    assert not report.conforms
    found = {(v.shape, v.path, v.component): v for v in report.violations}
    assert set(found) == {
        ("dgsh:Event › dg:Event type", "rdf:type", "sh:HasValueConstraintComponent"),
        ("dgsh:Event › date", "dg:date", "sh:OrConstraintComponent"),
        ("dgsh:Event › evidence", "dg:evidence", "sh:MinCountConstraintComponent"),
        ("dgsh:Event › status", "dg:status", "sh:MinCountConstraintComponent"),
    }, report.format()
    assert all(v.focus_node == str(event) and v.article_id == "a-1" for v in found.values())
    missing_type = found["dgsh:Event › dg:Event type", "rdf:type", "sh:HasValueConstraintComponent"]
    assert "a dg:Event" in missing_type.message
    assert "dg:date" in found["dgsh:Event › date", "dg:date", "sh:OrConstraintComponent"].message
    text = report.format()
    assert "dgsh:Event › dg:Event type" in text and "path: rdf:type" in text


def test_validate_command_reports_event_checks_on_a_subclass_only_event(tmp_path):
    """The reviewer's case: a hand-written dg:Meeting without dg:Event got only the two
    Meeting violations; now the event-level ones and the missing type are reported too."""
    path = tmp_path / "meeting.ttl"
    path.write_text(
        f'@prefix dg: <{DG}> .\n<{E}> a dg:Meeting ; dg:date "yesterday" .\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == EXIT_VIOLATIONS, result.output
    for shape in (
        "dgsh:Event › dg:Event type",
        "dgsh:Event › date",
        "dgsh:Event › evidence",
        "dgsh:Event › status",
        "dgsh:Meeting › actor required",
    ):
        assert f"shape: {shape}\n" in result.output, result.output
    assert "add `a dg:Event`" in result.output
    assert "Does not conform: 10 violation(s)." in result.output


@pytest.mark.parametrize(
    ("types", "shapes"),
    [
        ((DG.Actor,), ["dgsh:Entity › kind"]),
        ((DG.Entity,), ["dgsh:Entity › kind"]),
        ((DG.Place,), ["dgsh:Entity › kind"]),
        (
            (DG.InternationalOrganization,),
            ["dgsh:Entity › kind", "dgsh:InternationalOrganization › dg:Organization type"],
        ),
        ((DG.InternationalOrganization, DG.Organization), []),
        ((DG.Actor, DG.State), []),
    ],
    ids=["actor only", "entity only", "place only", "IGO only", "IGO and kind", "actor and kind"],
)
def test_entity_typed_only_with_a_super_or_subclass_is_checked(types, shapes):
    node = URIRef("https://w3id.org/diplograph/id/entity/curated")
    graph = Graph()
    graph.add((node, RDFS.label, Literal("curated")))
    for cls in types:
        graph.add((node, RDF.type, cls))
    report = validate(graph)
    assert sorted(v.shape for v in report.violations) == shapes, report.format()
    assert all("dg:Organization" in v.message for v in report.violations)


def test_class_targets_cover_every_subclass_the_ontology_defines():
    """Without inference a class target reaches only nodes typed with that very class: a
    shape targeting a class must target its ontology subclasses too, and sh:class may only
    name classes without subclasses (else correctly typed data would be rejected)."""
    ontology, shapes = ontology_graph(), shapes_graph()
    missing = []
    for shape, cls in shapes.subject_objects(SH.targetClass):
        targets = set(shapes.objects(shape, SH.targetClass))
        below = set(ontology.transitive_subjects(RDFS.subClassOf, cls)) - {cls}
        missing += [(str(shape), str(sub)) for sub in below - targets]
    assert missing == []
    event_targets = set(
        shapes.objects(URIRef("https://w3id.org/diplograph/shapes#Event"), SH.targetClass)
    )
    assert event_targets == {DG.Event, *EVENT_CLASS.values()}
    with_subclasses = [
        str(cls)
        for cls in set(shapes.objects(None, SH["class"]))
        if set(ontology.subjects(RDFS.subClassOf, cls))
    ]
    assert with_subclasses == []


@pytest.mark.parametrize(
    ("fact", "shapes"),
    [
        (
            Fact("a-1", "official_visit", None, MOROCCO, "e"),
            ["dgsh:OfficialVisit › actor required"],
        ),
        (Fact("a-1", "official_visit", ISRAEL, None, "e"), []),
        (Fact("a-1", "meeting", ISRAEL, None, "e"), ["dgsh:Meeting › target required"]),
        (Fact("a-1", "accusation", None, MOROCCO, "e"), []),
        (Fact("a-1", "accusation", ISRAEL, None, "e"), ["dgsh:Accusation › target required"]),
        (Fact("a-1", "sanctions", ISRAEL, None, "e"), []),
        (Fact("a-1", "denial", MOROCCO, None, "e"), []),
        (
            Fact("a-1", "support", None, None, "e"),
            ["dgsh:Support › actor required", "dgsh:Support › target required"],
        ),
    ],
)
def test_required_roles_follow_the_annotation_rules(fact, shapes):
    report = validate(article_to_graph(None, "a-1", [fact], RUN))
    assert sorted(v.shape for v in report.violations) == shapes
    assert all(fact.type.split("_")[0] in v.message.lower() for v in report.violations)


def test_violation_names_article_event_path_and_message():
    graph = _base()
    graph.remove((E, DG.evidence, None))
    graph.remove((IL, RDFS.label, None))
    report = validate(graph)
    by_shape = {v.shape: v for v in report.violations}
    evidence = by_shape["dgsh:Event › evidence"]
    assert evidence.article_id == "a-1"
    assert evidence.event == str(E) == evidence.focus_node
    assert evidence.path == "dg:evidence"
    assert evidence.severity == "Violation"
    assert "evidence" in evidence.message
    label = by_shape["dgsh:Entity › name"]
    assert label.focus_node == str(IL) and label.article_id == "a-1" and label.event is None
    text = report.format()
    assert "Does not conform: 2 violation(s)" in text and "article a-1" in text


def test_check_raises_shacl_violation_with_the_report():
    graph = _base()
    graph.remove((E, DG.ordinal, None))
    with pytest.raises(ShaclViolation) as caught:
        check(graph)
    assert caught.value.exit_code == EXIT_VIOLATIONS
    assert [v.shape for v in caught.value.report.violations] == ["dgsh:Event › ordinal"]
    assert "dgsh:Event › ordinal" in str(caught.value)


@pytest.mark.slow
def test_validation_time_per_article_in_a_batch():
    """Performance goal: at most 20 ms per added article when validating a batch.

    Measured at about 2 ms CPU per article on the development machine (9 ms with the
    stock pyshacl.validate call, which rebuilds the shapes each time); the bound leaves
    headroom for slower CI machines.
    """
    records = _records()
    facts = [r for r in records if isinstance(r, Fact)]
    batch = Graph()
    for i in range(100):
        article_id = f"b-{i}"
        chosen = [facts[(3 * i + k) % len(facts)] for k in range(3)]
        renamed = [Fact(**{**_fields(f), "article": article_id}) for f in chosen]
        batch += article_to_graph(None, article_id, renamed, RUN)
    validate(batch)  # warm-up
    started = time.process_time()  # CPU time: stable when other jobs share the machine
    report = validate(batch)
    per_article = (time.process_time() - started) / 100
    assert report.conforms, report.format()
    assert per_article < 0.03, f"{per_article * 1000:.1f} ms CPU per article"


def _fields(fact: Fact) -> dict:
    return {name: getattr(fact, name) for name in Fact.__slots__}


RESULT_FIELDS = (
    SH.focusNode,
    SH.resultPath,
    SH.value,
    SH.sourceShape,
    SH.sourceConstraintComponent,
    SH.resultSeverity,
    SH.resultMessage,
)


def _results(graph: Graph) -> Counter:
    """Every validation result of a pySHACL results graph, as comparable tuples."""
    return Counter(
        tuple(str(graph.value(result, field)) for field in RESULT_FIELDS)
        for result in graph.objects(None, SH.result)
    )


def _stock(data: Graph) -> tuple[bool, Counter]:
    conforms, results, _ = pyshacl.validate(
        data, shacl_graph=shapes_graph(), inference="none", advanced=False, allow_warnings=False
    )
    return conforms, _results(results)


def _prepared(data: Graph) -> tuple[bool, Counter]:
    conforms, results, _ = prepared_shapes().validate(data)
    return conforms, _results(results)


def _cases() -> list[Graph]:
    graphs = [_base()]
    for _case, mutate, _shape, _component in VIOLATIONS:
        graph = _base()
        mutate(graph)
        graphs.append(graph)
    kinds = (ISRAEL, MOROCCO, GANTZ, RABAT, Entity("protesters", "movement"), None)
    for fact_type in sorted({"official_visit", "meeting", "protest", "sanctions", "support"}):
        for actor in kinds:
            for target in kinds:
                fact = Fact("a-1", fact_type, actor, target, "e", place=RABAT)
                graphs.append(article_to_graph(None, "a-1", [fact], RUN))
    return graphs


def test_prepared_shapes_give_the_same_results_as_pyshacl_validate():
    """The cached shapes change the cost, not the outcome: same results on every case."""
    cases = _cases()
    union = Graph()
    for graph in cases[:3]:
        union += graph
    differing = [i for i, graph in enumerate([*cases, union]) if _prepared(graph) != _stock(graph)]
    assert differing == []
    assert sum(not _stock(graph)[0] for graph in cases) > len(VIOLATIONS)  # mostly violations


def test_no_result_leaks_from_one_call_into_the_next():
    broken = _base()
    broken.remove((E, DG.ordinal, None))
    other = _base()
    other.remove((IL, RDFS.label, None))
    assert [v.shape for v in validate(broken).violations] == ["dgsh:Event › ordinal"]
    assert [v.shape for v in validate(other).violations] == ["dgsh:Entity › name"]
    assert validate(_base()).conforms
    assert [v.shape for v in validate(broken).violations] == ["dgsh:Event › ordinal"]


def test_validation_leaves_the_data_graph_unchanged():
    graph = _base()
    graph.remove((E, DG.evidence, None))
    before = set(graph)
    assert not validate(graph).conforms
    assert set(graph) == before


def test_frozen_graph_forgets_memoised_lookups_when_changed():
    graph = FrozenGraph()
    graph.add((E, DG.ordinal, Literal(0)))
    assert list(graph.objects(E, DG.ordinal)) == [Literal(0)]
    graph.add((E, DG.ordinal, Literal(1)))
    assert sorted(graph.objects(E, DG.ordinal)) == [Literal(0), Literal(1)]
    graph.remove((E, DG.ordinal, Literal(0)))
    assert list(graph.objects(E, DG.ordinal)) == [Literal(1)]
    graph.addN([(E, DG.negated, Literal(True), graph)])
    assert list(graph.objects(E, DG.negated)) == [Literal(True)]
