"""Example 04 (allegations only) on hand-made facts covering each matching rule.

An allegation is dropped only when an affirmed, unattributed event of the same type by the
same actor exists -- with the same target when the allegation has one, with any target
when it has none. The query computes this with one MINUS on a match key, so each rule
gets a case here.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from diplograph.ontology.namespaces import ONTOLOGY_GRAPH
from diplograph.server.examples import load_examples

DG = "https://w3id.org/diplograph/ontology#"
STATUS = "https://w3id.org/diplograph/status/"
ENTITY = "https://w3id.org/diplograph/id/entity/"
EVENT = "https://w3id.org/diplograph/id/event/"
ARTICLE = "https://w3id.org/diplograph/graph/article/a1"
PROV = "http://www.w3.org/ns/prov#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
ONTOLOGY_FILE = Path(__file__).resolve().parents[1] / "ontology" / "diplograph.ttl"

# name: (class, actor, target or None, status, attributed to)
EVENTS = {
    "same-target-affirmed": ("Accusation", "X", "Y", "alleged", None),
    "affirmed-x-y": ("Accusation", "X", "Y", "occurred", None),
    "other-target": ("Accusation", "X", "Z", "alleged", None),
    "no-target-any-affirmed": ("Accusation", "X", None, "alleged", None),
    "no-target-nothing-affirmed": ("Support", "W", None, "alleged", None),
    "affirmed-only-when-attributed": ("Accusation", "V", "Y", "alleged", None),
    "attributed-affirmed": ("Accusation", "V", "Y", "occurred", "U"),
    "affirmed-other-type": ("Sanctions", "W", "Y", "occurred", None),
    "planned-not-alleged": ("Sanctions", "X", "Y", "planned", None),
}
EXPECTED = {
    "other-target",
    "no-target-nothing-affirmed",
    "affirmed-only-when-attributed",
    "attributed-affirmed",  # attributed to a source: itself an allegation
}


def _store() -> ox.Store:
    store = ox.Store()
    store.load(
        path=str(ONTOLOGY_FILE), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(ONTOLOGY_GRAPH)
    )
    graph = ox.NamedNode(ARTICLE)

    def add(s: str, p: str, o: ox.NamedNode | ox.Literal) -> None:
        store.add(ox.Quad(ox.NamedNode(s), ox.NamedNode(p), o, graph))

    for state in "UVWXYZ":
        add(ENTITY + state, RDFS + "label", ox.Literal(f"State {state}"))
    for name, (cls, actor, target, status, source) in EVENTS.items():
        event = EVENT + name
        add(event, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", ox.NamedNode(DG + cls))
        add(event, DG + "actor", ox.NamedNode(ENTITY + actor))
        if target:
            add(event, DG + "target", ox.NamedNode(ENTITY + target))
        add(event, DG + "status", ox.NamedNode(STATUS + status))
        add(event, DG + "negated", ox.Literal(False))
        if source:
            add(event, DG + "attributedTo", ox.NamedNode(ENTITY + source))
        add(event, DG + "evidence", ox.Literal(f"Evidence of {name}."))
        add(event, PROV + "wasDerivedFrom", ox.NamedNode(ARTICLE))
    return store


def test_allegations_are_subtracted_by_type_actor_and_target() -> None:
    example = next(e for e in load_examples() if e.name == "04-allegations-only")
    rows = list(_store().query(example.query, use_default_graph_as_union=True))
    found = {row["event"].value.removeprefix(EVENT) for row in rows}
    assert found == EXPECTED
    no_target = next(r for r in rows if r["event"].value.endswith("no-target-nothing-affirmed"))
    assert no_target["targetName"] is None and no_target["actorName"].value == "State W"
