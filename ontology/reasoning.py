"""OWL 2 RL reasoning over asserted article graphs, returning only the new triples.

Public API::

    infer(asserted: rdflib.Graph, *, engine: Literal["reasonable", "owlrl"] = "reasonable")
        -> rdflib.Graph
    ReasoningInconsistency (ValueError), ENGINES

``infer`` always reasons over ``asserted`` plus the Diplograph ontology and returns only the
inferred triples that are neither asserted nor in the ontology, filtered to what users query:

* no triples about ontology or vocabulary terms (class/property hierarchy consequences),
* no ``x owl:sameAs x``, no typing as ``owl:Thing`` / ``rdfs:Resource``,
* no triples with a literal subject (owlrl's datatype bookkeeping).

The caller stores the result in the inferred graph (``namespaces.INFERRED_GRAPH``).

Engines
-------
``owlrl`` is the reference: the pure-Python OWL 2 RL implementation, run with axiomatic and
datatype axioms off. Its inconsistency reports (error nodes typed ``err:ErrorMessage`` with an
``err:error`` message, e.g. an individual of two disjoint classes) become a
:class:`ReasoningInconsistency`; its console output is swallowed.

``reasonable`` (Rust) is the fast engine. It does not implement ``owl:propertyChainAxiom``
nor report inconsistencies, so after it this module applies every property chain the
ontology declares (a join over the closure, read from the ontology -- nothing hard-coded)
and feeds the new triples back until a fixpoint; then it checks the OWL RL inconsistency
rules that apply to the ontology (cax-dw, cax-adc, cls-nothing2, prp-irp, prp-asyp,
prp-pdw). It also returns plain strings as ``xsd:string`` literals, which are normalised
back. Both engines give the same triples on Diplograph data (tested).

owlrl switches rdflib's literal conversions globally while it runs (its "improved
datatypes"), so do not run the owlrl engine concurrently with other rdflib work in the same
process; the reasonable engine has no such caveat.

Because every rule of the ontology is local to one event (see ontology/README.md), the
inferred triples of a union of article graphs are the union of their inferred triples.
"""

from __future__ import annotations

import contextlib
import io
from collections import defaultdict
from collections.abc import Iterable
from functools import cache
from typing import Literal as LiteralType

from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from diplograph.ontology import ontology_graph, ontology_triples

Engine = LiteralType["reasonable", "owlrl"]
ENGINES: tuple[str, ...] = ("reasonable", "owlrl")

Triple = tuple[Node, Node, Node]

#: Where owlrl writes its inconsistency messages (see owlrl.Closure.closure).
_OWLRL_ERRORS = Namespace("http://www.daml.org/2002/03/agents/agent-ont#")

#: Vocabularies whose terms are never the subject of a user-relevant inference.
_VOCABULARY_PREFIXES = (
    str(RDF),
    str(RDFS),
    str(OWL),
    str(XSD),
    "http://www.w3.org/2004/02/skos/core#",
    "http://www.w3.org/ns/prov#",
    "http://purl.org/dc/terms/",
    "https://schema.org/",
    "http://semanticweb.cs.vu.nl/2009/11/sem/",
)
_TRIVIAL_TYPES = frozenset({OWL.Thing, RDFS.Resource})

# Namespace attribute lookups are slow in rdflib; the hot loops use these constants.
_TYPE, _FIRST, _REST, _NIL = RDF.type, RDF.first, RDF.rest, RDF.nil
_NOTHING, _DISJOINT_WITH, _MEMBERS = OWL.Nothing, OWL.disjointWith, OWL.members
_ALL_DISJOINT, _IRREFLEXIVE = OWL.AllDisjointClasses, OWL.IrreflexiveProperty
_ASYMMETRIC, _PROPERTY_DISJOINT = OWL.AsymmetricProperty, OWL.propertyDisjointWith
_SAME_AS, _XSD_STRING = OWL.sameAs, XSD.string


class ReasoningInconsistency(ValueError):
    """The asserted data contradicts the ontology; ``messages`` say how."""

    def __init__(self, messages: Iterable[str]):
        self.messages = sorted(set(messages))
        super().__init__("inconsistent data: " + "; ".join(self.messages))


def infer(asserted: Graph, *, engine: Engine = "reasonable") -> Graph:
    """The user-relevant triples entailed by ``asserted`` + ontology and not already there."""
    base = set(asserted) | ontology_triples()
    if engine == "owlrl":
        closure = _owlrl_closure(base)
    elif engine == "reasonable":
        closure = _reasonable_closure(base)
    else:
        raise ValueError(f"unknown reasoning engine {engine!r}; use one of {ENGINES}")
    result = Graph()
    for prefix, namespace in asserted.namespaces():
        result.bind(prefix, namespace, override=False)
    for triple in closure:
        if triple not in base and _relevant(triple):
            result.add(triple)
    return result


def _relevant(triple: Triple) -> bool:
    subject, predicate, obj = triple
    if isinstance(subject, Literal) or _is_schema_term(subject):
        return False
    if predicate == _SAME_AS and subject == obj:
        return False
    return not (predicate == _TYPE and obj in _TRIVIAL_TYPES)


def _is_schema_term(node: Node) -> bool:
    if isinstance(node, URIRef) and str(node).startswith(_VOCABULARY_PREFIXES):
        return True
    return node in _ontology_nodes()


@cache
def _ontology_nodes() -> frozenset[Node]:
    """Every IRI or blank node the ontology mentions: its classes, properties, concepts."""
    return frozenset(
        node for triple in ontology_triples() for node in triple if not isinstance(node, Literal)
    )


# --- owlrl ---------------------------------------------------------------------------------


def _owlrl_closure(base: set[Triple]) -> set[Triple]:
    import owlrl  # imported lazily: slow to import, and only the reference engine needs it

    graph = Graph()
    for triple in base:
        graph.add(triple)
    sink = io.StringIO()
    with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        owlrl.DeductiveClosure(
            owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False
        ).expand(graph)
    errors = [
        str(message)
        for node in graph.subjects(RDF.type, _OWLRL_ERRORS.ErrorMessage)
        for message in graph.objects(node, _OWLRL_ERRORS.error)
    ]
    if errors:
        raise ReasoningInconsistency(errors)
    return set(graph)


# --- reasonable + property chains ----------------------------------------------------------


def _reasonable_closure(base: set[Triple]) -> set[Triple]:
    import reasonable

    reasoner = reasonable.PyReasoner()
    reasoner.from_graph(list(base))
    chains = _property_chains()
    while True:
        closure = {_normalise(triple) for triple in reasoner.reason()}
        added = _apply_chains(closure, chains) - closure
        if not added:
            break
        reasoner.from_graph(list(added))
    problems = _inconsistencies(closure)
    if problems:
        raise ReasoningInconsistency(problems)
    return closure


def _normalise(triple: Triple) -> Triple:
    """reasonable types plain literals as xsd:string; rdflib keeps them distinct."""
    obj = triple[2]
    if isinstance(obj, Literal) and obj.datatype == _XSD_STRING:
        return triple[0], triple[1], Literal(str(obj))
    return triple


@cache
def _property_chains() -> tuple[tuple[URIRef, tuple[URIRef, ...]], ...]:
    """(property, chain) for every owl:propertyChainAxiom of the ontology."""
    graph = ontology_graph()
    chains = []
    for prop, head in graph.subject_objects(OWL.propertyChainAxiom):
        links = tuple(URIRef(link) for link in Collection(graph, head))
        chains.append((URIRef(prop), links))
    return tuple(sorted(chains))


def _apply_chains(
    closure: set[Triple], chains: tuple[tuple[URIRef, tuple[URIRef, ...]], ...]
) -> set[Triple]:
    """OWL RL rule prp-spo2: x p1 y1 ... yn-1 pn z  =>  x p z."""
    index: dict[Node, list[tuple[Node, Node]]] = {}
    for subject, predicate, obj in closure:
        index.setdefault(predicate, []).append((subject, obj))
    derived: set[Triple] = set()
    for prop, links in chains:
        pairs = index.get(links[0], [])
        for link in links[1:]:
            following: dict[Node, list[Node]] = {}
            for subject, obj in index.get(link, []):
                following.setdefault(subject, []).append(obj)
            pairs = [(start, end) for start, mid in pairs for end in following.get(mid, ())]
        derived.update((start, prop, end) for start, end in pairs)
    return derived


def _inconsistencies(closure: set[Triple]) -> list[str]:
    """The OWL RL inconsistency rules that the ontology's axioms can trigger.

    cls-nothing2, cax-dw, cax-adc, prp-irp, prp-asyp, prp-pdw -- evaluated on the closure,
    so axioms added by the data count as well as the ontology's.
    """
    by_predicate: dict[Node, set[tuple[Node, Node]]] = defaultdict(set)
    for subject, predicate, obj in closure:
        by_predicate[predicate].add((subject, obj))
    types: dict[Node, set[Node]] = defaultdict(set)
    for subject, obj in by_predicate[_TYPE]:
        types[subject].add(obj)
    problems = [f"{node} is defined of type 'Nothing'" for node in _instances(types, _NOTHING)]
    disjoint = set(by_predicate[_DISJOINT_WITH])
    first, rest = dict(by_predicate[_FIRST]), dict(by_predicate[_REST])
    for group, head in by_predicate[_MEMBERS]:
        if _ALL_DISJOINT in types.get(group, ()):
            members = _rdf_list(head, first, rest)
            disjoint.update((a, b) for i, a in enumerate(members) for b in members[i + 1 :])
    constrained = {c for pair in disjoint for c in pair}
    for node, classes in types.items():
        present = classes & constrained
        if len(present) < 2:
            continue
        for one, other in sorted(disjoint):
            if one in present and other in present:
                problems.append(
                    f"Disjoint classes {one} and {other} have a common individual {node}"
                )
    for prop in _instances_of_class(by_predicate, _IRREFLEXIVE):
        for subject, obj in by_predicate[prop]:
            if subject == obj:
                problems.append(f"Irreflexive property {prop} used reflexively on {subject}")
    for prop in _instances_of_class(by_predicate, _ASYMMETRIC):
        pairs = by_predicate[prop]
        for subject, obj in pairs:
            if (obj, subject) in pairs:
                problems.append(f"Asymmetric property {prop} used both ways: {subject}, {obj}")
    for one, other in by_predicate[_PROPERTY_DISJOINT]:
        for subject, obj in by_predicate[one] & by_predicate[other]:
            problems.append(f"Disjoint properties {one} and {other} both link {subject}, {obj}")
    return problems


def _instances(types: dict[Node, set[Node]], cls: Node) -> list[Node]:
    return [node for node, classes in types.items() if cls in classes]


def _instances_of_class(by_predicate: dict[Node, set[tuple[Node, Node]]], cls: Node) -> set:
    return {subject for subject, obj in by_predicate[_TYPE] if obj == cls}


def _rdf_list(head: Node, first: dict[Node, Node], rest: dict[Node, Node]) -> list[Node]:
    items: list[Node] = []
    seen: set[Node] = set()
    while head != _NIL and head in first and head not in seen:
        seen.add(head)
        items.append(first[head])
        head = rest.get(head, _NIL)
    return items
