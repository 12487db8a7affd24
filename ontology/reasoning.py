"""OWL 2 RL reasoning over asserted article graphs, returning only the new triples.

Public API::

    infer(asserted: rdflib.Graph, *, engine: Literal["reasonable", "owlrl"] = "reasonable")
        -> rdflib.Graph
    infer_terms(triples, *, engine=...) -> set of plain-term triples (see reasoning_terms)
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
prp-pdw). Both engines give the same triples on Diplograph data (tested).

Speed: the reasonable path never builds rdflib terms. It works on the plain terms of
:mod:`reasoning_terms` (``infer_terms``; ``infer`` only converts at its edges), and while
``reasonable`` converts its output -- the whole closure, twice when chains add triples --
the constructors it looks up on the ``rdflib`` module (``rdflib.URIRef``, ``.Literal``,
``.BNode``, read at call time) are swapped for plain-term ones under a lock; that
conversion was the largest single cost of a rebuild.

Both engines touch global rdflib state while they run: owlrl switches rdflib's literal
conversions (its "improved datatypes"), reasonable's output conversion swaps the three
module attributes above (names imported with ``from rdflib import ...`` are unaffected).
So do not run either concurrently with other threads that read ``rdflib.URIRef`` & co.
from the module in the same process.

Because every rule of the ontology is local to one event (see ontology/README.md), the
inferred triples of a union of article graphs are the union of their inferred triples.
"""

from __future__ import annotations

import contextlib
import io
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import cache
from typing import Literal as LiteralType

import pyoxigraph as ox
import rdflib
from rdflib import OWL, RDF, RDFS, XSD, Graph, Namespace

from diplograph.ontology import ONTOLOGY_PATH
from diplograph.ontology.reasoning_terms import (
    Literal,
    Memo,
    Term,
    Triple,
    from_oxigraph,
    from_reasonable_bnode,
    from_reasonable_literal,
    show,
    to_reasonable,
    triples_from_rdflib,
    triples_to_rdflib,
)

Engine = LiteralType["reasonable", "owlrl"]
ENGINES: tuple[str, ...] = ("reasonable", "owlrl")

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
_TRIVIAL_TYPES = frozenset({str(OWL.Thing), str(RDFS.Resource)})

_TYPE, _FIRST, _REST, _NIL = str(RDF.type), str(RDF.first), str(RDF.rest), str(RDF.nil)
_NOTHING, _DISJOINT_WITH, _MEMBERS = str(OWL.Nothing), str(OWL.disjointWith), str(OWL.members)
_ALL_DISJOINT, _IRREFLEXIVE = str(OWL.AllDisjointClasses), str(OWL.IrreflexiveProperty)
_ASYMMETRIC, _PROPERTY_DISJOINT = str(OWL.AsymmetricProperty), str(OWL.propertyDisjointWith)
_SAME_AS = str(OWL.sameAs)
_SUB_PROPERTY, _INVERSE = str(RDFS.subPropertyOf), str(OWL.inverseOf)
_PROPERTY_CHAIN = str(OWL.propertyChainAxiom)

Chains = tuple[tuple[str, tuple[str, ...]], ...]


class ReasoningInconsistency(ValueError):
    """The asserted data contradicts the ontology; ``messages`` say how."""

    def __init__(self, messages: Iterable[str]):
        self.messages = sorted(set(messages))
        super().__init__("inconsistent data: " + "; ".join(self.messages))


def infer(asserted: Graph, *, engine: Engine = "reasonable") -> Graph:
    """The user-relevant triples entailed by ``asserted`` + ontology and not already there."""
    inferred = infer_terms(triples_from_rdflib(asserted), engine=engine)
    result = Graph()
    for prefix, namespace in asserted.namespaces():
        result.bind(prefix, namespace, override=False)
    for triple in triples_to_rdflib(inferred):
        result.add(triple)
    return result


def infer_terms(triples: Iterable[Triple], *, engine: Engine = "reasonable") -> set[Triple]:
    """:func:`infer` on plain terms (see :mod:`reasoning_terms`): no rdflib on the way."""
    base = set(triples)
    base.update(_ontology())
    if engine == "owlrl":
        closure = _owlrl_closure(base)
    elif engine == "reasonable":
        closure = _reasonable_closure(base)
    else:
        raise ValueError(f"unknown reasoning engine {engine!r}; use one of {ENGINES}")
    closure.difference_update(base)
    return {triple for triple in closure if _relevant(triple)}


def _relevant(triple: Triple) -> bool:
    subject, predicate, obj = triple
    if type(subject) is Literal or subject.startswith(_VOCABULARY_PREFIXES):
        return False
    if subject in ontology_nodes():
        return False
    if predicate == _SAME_AS and subject == obj:
        return False
    return not (predicate == _TYPE and obj in _TRIVIAL_TYPES)


@cache
def _ontology() -> frozenset[Triple]:
    """The ontology's triples, parsed natively: rdflib's Turtle parser took ~90 ms, most of
    the first call's cost in a process (e.g. a one-article ``diplograph ingest``)."""
    term = from_oxigraph
    return frozenset(
        (term(q.subject), term(q.predicate), term(q.object))
        for q in ox.parse(path=ONTOLOGY_PATH, format=ox.RdfFormat.TURTLE)
    )


@cache
def ontology_nodes() -> frozenset[Term]:
    """Every IRI or blank node the ontology mentions: its classes, properties, concepts."""
    return frozenset(node for triple in _ontology() for node in triple if type(node) is not Literal)


# --- owlrl ---------------------------------------------------------------------------------


def _owlrl_closure(base: set[Triple]) -> set[Triple]:
    import owlrl  # imported lazily: slow to import, and only the reference engine needs it

    graph = Graph()
    for triple in triples_to_rdflib(base):
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
    return set(triples_from_rdflib(graph))


# --- reasonable + property chains ----------------------------------------------------------

#: Held while rdflib's constructors are swapped (see :func:`_plain_output`).
_SWAP_LOCK = threading.Lock()


@contextlib.contextmanager
def _plain_output() -> Iterator[None]:
    """Make ``reasonable`` return plain terms instead of rdflib ones.

    It builds every output term by calling ``rdflib.URIRef`` / ``Literal`` / ``BNode``, looked
    up on the module at call time; ``str`` and the two plain constructors cost a fraction of
    rdflib's validating ones.
    """
    plain = {"URIRef": str, "Literal": from_reasonable_literal, "BNode": from_reasonable_bnode}
    with _SWAP_LOCK:
        saved = {name: getattr(rdflib, name) for name in plain}
        for name, constructor in plain.items():
            setattr(rdflib, name, constructor)
        try:
            yield
        finally:
            for name, constructor in saved.items():
                setattr(rdflib, name, constructor)


def _reason(reasoner) -> set[Triple]:
    with _plain_output():
        output = reasoner.reason()
    closure = set(output)
    if output and type(output[0][1]) is not str:  # a reasonable that ignores the swap
        closure = set(triples_from_rdflib(closure))
    return closure


def _reasonable_closure(base: set[Triple]) -> set[Triple]:
    """reasonable's closure of ``base``, closed under the property chains too.

    The chains are joined once on ``base`` before reasoning, with the links read through
    the ontology's direct sub-property and inverse axioms (e.g. ``actorOf`` is the inverse
    of the asserted ``actor``): those triples are entailed, so feeding them changes
    nothing but usually makes one reasoner call reach the fixpoint. The loop still joins
    on every closure and calls again until no chain adds a triple, so the result does not
    depend on how much the first join found.
    """
    import reasonable

    reasoner = reasonable.PyReasoner()
    feed = Memo(to_reasonable).__getitem__
    chains = _property_chains()
    added = _apply_chains(base, chains, _chain_link_sources())
    added.difference_update(base)
    reasoner.from_graph([(feed(s), feed(p), feed(o)) for s, p, o in (*base, *added)])
    while True:
        closure = _reason(reasoner)
        added = _apply_chains(closure, chains)
        added.difference_update(closure)
        if not added:
            break
        reasoner.from_graph([(feed(s), feed(p), feed(o)) for s, p, o in added])
    problems = _inconsistencies(closure)
    if problems:
        raise ReasoningInconsistency(problems)
    return closure


@cache
def _property_chains() -> Chains:
    """(property, chain) for every owl:propertyChainAxiom of the ontology."""
    ontology = _ontology()
    first = {s: o for s, p, o in ontology if p == _FIRST}
    rest = {s: o for s, p, o in ontology if p == _REST}
    return tuple(
        sorted(
            (prop, tuple(_rdf_list(head, first, rest)))
            for prop, p, head in ontology
            if p == _PROPERTY_CHAIN
        )
    )


#: predicate -> [(chain link it gives, whether subject and object swap)]
LinkSources = dict[Term, list[tuple[Term, bool]]]


@cache
def _chain_link_sources() -> LinkSources:
    """Where a chain link's triples come from in asserted data: the link itself, its
    direct sub-properties (prp-spo1) and its inverses (prp-inv1/2), per the ontology."""
    ontology = _ontology()
    sources: LinkSources = defaultdict(list)
    for link in {link for _, links in _property_chains() for link in links}:
        sources[link].append((link, False))
        for s, p, o in ontology:
            if p == _SUB_PROPERTY and o == link:
                sources[s].append((link, False))
            elif p == _INVERSE and link in (s, o):
                sources[o if s == link else s].append((link, True))
    return dict(sources)


def _apply_chains(
    triples: Iterable[Triple], chains: Chains, sources: LinkSources | None = None
) -> set[Triple]:
    """OWL RL rule prp-spo2: x p1 y1 ... yn-1 pn z  =>  x p z.

    ``sources`` says which predicates give each link (default: the link alone).
    """
    links = {link for _, chain in chains for link in chain}
    if sources is None:
        sources = {link: [(link, False)] for link in links}
    index: dict[Term, list[tuple[Term, Term]]] = {link: [] for link in links}
    for subject, predicate, obj in triples:
        for link, swap in sources.get(predicate, ()):
            index[link].append((obj, subject) if swap else (subject, obj))
    derived: set[Triple] = set()
    for prop, chain in chains:
        pairs = index[chain[0]]
        for link in chain[1:]:
            following: dict[Term, list[Term]] = defaultdict(list)
            for subject, obj in index[link]:
                following[subject].append(obj)
            pairs = [(start, end) for start, mid in pairs for end in following.get(mid, ())]
        derived.update((start, prop, end) for start, end in pairs)
    return derived


def _inconsistencies(closure: set[Triple]) -> list[str]:
    """The OWL RL inconsistency rules that the ontology's axioms can trigger.

    cls-nothing2, cax-dw, cax-adc, prp-irp, prp-asyp, prp-pdw -- evaluated on the closure,
    so axioms added by the data count as well as the ontology's. One pass collects the
    typing and the axioms; only the properties those axioms name are looked at again.
    """
    axioms: dict[Term, set[tuple[Term, Term]]] = {p: set() for p in _AXIOM_PREDICATES}
    typing: list[tuple[Term, Term]] = []
    for subject, predicate, obj in closure:
        if predicate == _TYPE:
            typing.append((subject, obj))
        elif predicate in axioms:
            axioms[predicate].add((subject, obj))
    instances: dict[Term, set[Term]] = defaultdict(set)  # of the classes that matter here
    for node, cls in typing:
        if cls in _AXIOM_CLASSES:
            instances[cls].add(node)
    problems = [f"{show(node)} is defined of type 'Nothing'" for node in instances[_NOTHING]]
    disjoint = set(axioms[_DISJOINT_WITH])
    first, rest = dict(axioms[_FIRST]), dict(axioms[_REST])
    for group, head in axioms[_MEMBERS]:
        if group in instances[_ALL_DISJOINT]:
            members = _rdf_list(head, first, rest)
            disjoint.update((a, b) for i, a in enumerate(members) for b in members[i + 1 :])
    if disjoint:
        constrained = {c for pair in disjoint for c in pair}
        types: dict[Term, set[Term]] = defaultdict(set)
        for node, cls in typing:
            if cls in constrained:
                types[node].add(cls)
        for node, present in types.items():
            if len(present) < 2:
                continue
            for one, other in disjoint:  # ReasoningInconsistency sorts the messages
                if one in present and other in present:
                    problems.append(
                        f"Disjoint classes {show(one)} and {show(other)} have a common"
                        f" individual {show(node)}"
                    )
    irreflexive, asymmetric = instances[_IRREFLEXIVE], instances[_ASYMMETRIC]
    property_disjoint = axioms[_PROPERTY_DISJOINT]
    named = irreflexive | asymmetric | {p for pair in property_disjoint for p in pair}
    uses: dict[Term, set[tuple[Term, Term]]] = {p: set() for p in named}
    if named:
        for subject, predicate, obj in closure:
            if predicate in uses:
                uses[predicate].add((subject, obj))
    for prop in irreflexive:
        for subject, obj in uses[prop]:
            if subject == obj:
                problems.append(
                    f"Irreflexive property {show(prop)} used reflexively on {show(subject)}"
                )
    for prop in asymmetric:
        pairs = uses[prop]
        for subject, obj in pairs:
            if (obj, subject) in pairs:
                problems.append(
                    f"Asymmetric property {show(prop)} used both ways: {show(subject)}, {show(obj)}"
                )
    for one, other in property_disjoint:
        for subject, obj in uses[one] & uses[other]:
            problems.append(
                f"Disjoint properties {show(one)} and {show(other)} both link {show(subject)},"
                f" {show(obj)}"
            )
    return problems


_AXIOM_PREDICATES = (_DISJOINT_WITH, _FIRST, _REST, _MEMBERS, _PROPERTY_DISJOINT)
_AXIOM_CLASSES = frozenset({_NOTHING, _ALL_DISJOINT, _IRREFLEXIVE, _ASYMMETRIC})


def _rdf_list(head: Term, first: dict[Term, Term], rest: dict[Term, Term]) -> list[Term]:
    items: list[Term] = []
    seen: set[Term] = set()
    while head != _NIL and head in first and head not in seen:
        seen.add(head)
        items.append(first[head])
        head = rest.get(head, _NIL)
    return items
