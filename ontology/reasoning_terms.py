"""Plain, hashable RDF terms for the reasoning hot path, and conversions to rdflib/pyoxigraph.

Why not rdflib terms: building an rdflib ``URIRef`` validates the IRI in Python (~2 µs) and a
``Literal`` converts its value (~10 µs); a full rebuild makes millions of them, and their
Python-level ``__eq__`` slows every set and join. Here

* an IRI is a plain ``str``,
* a blank node is a ``str`` starting with ``_:`` (no IRI can: a scheme starts with a letter),
* a literal is a :class:`Literal` -- a tuple ``(lexical form, datatype IRI, language)`` where
  the datatype is ``None`` for a plain / ``xsd:string`` literal (RDF 1.1 makes them one term,
  as pyoxigraph does) and for a language-tagged one, whose tag is lower-cased.

The class is called ``Literal`` and exposes ``datatype`` / ``language`` because that is how
the ``reasonable`` engine recognises literals in its input (by type name and attributes).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from operator import itemgetter

import pyoxigraph as ox
from rdflib import BNode as RdflibBNode
from rdflib import Literal as RdflibLiteral
from rdflib import URIRef
from rdflib.term import Node

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
BLANK = "_:"


class Literal(tuple):
    """A literal term: ``(value, datatype or None, language or None)``."""

    __slots__ = ()

    def __new__(cls, value: str, datatype: str | None = None, language: str | None = None):
        if language:
            return tuple.__new__(cls, (value, None, language.lower()))
        if datatype == XSD_STRING:
            datatype = None
        return tuple.__new__(cls, (value, datatype, None))

    value = property(itemgetter(0))
    datatype = property(itemgetter(1))
    language = property(itemgetter(2))

    def __str__(self) -> str:
        return self[0]

    def __repr__(self) -> str:
        return f"Literal({self[0]!r}, {self[1]!r}, {self[2]!r})"


Term = str | Literal
Triple = tuple[Term, Term, Term]


class _Iri(str):
    """An IRI as ``reasonable`` reads it: any type but ``Literal``/``BNode`` is an IRI; the
    attributes spare it an AttributeError per term when it probes for a literal's."""

    datatype = None
    language = None


class BNode(str):
    """A blank node as ``reasonable`` reads it (by type name); the string is its id."""

    datatype = None
    language = None


def to_reasonable(term: Term) -> Term | _Iri | BNode:
    """A term as input for ``reasonable.PyReasoner.from_graph``."""
    if isinstance(term, Literal):
        return term
    if term.startswith(BLANK):
        return BNode(term[2:])
    return _Iri(term)


def from_reasonable_literal(value: str, language: str | None = None, datatype=None) -> Literal:
    """What ``reasonable`` calls as ``rdflib.Literal`` while converting its output."""
    return Literal(value, None if datatype is None else str(datatype), language)


def from_reasonable_bnode(identifier: str) -> str:
    """What ``reasonable`` calls as ``rdflib.BNode`` while converting its output."""
    return BLANK + identifier


def show(term: Term) -> str:
    """A term as rdflib's ``str()`` shows it (for messages)."""
    if isinstance(term, Literal):
        return term[0]
    return term[2:] if term.startswith(BLANK) else term


# --- rdflib ---------------------------------------------------------------------------------


def from_rdflib(node: Node) -> Term:
    if isinstance(node, URIRef):
        return str(node)
    if isinstance(node, RdflibBNode):
        return BLANK + str(node)
    if isinstance(node, RdflibLiteral):
        datatype = node.datatype
        return Literal(str(node), None if datatype is None else str(datatype), node.language)
    raise TypeError(f"not an RDF term: {node!r}")


def to_rdflib(term: Term) -> Node:
    if isinstance(term, Literal):
        value, datatype, language = term
        if language:
            return RdflibLiteral(value, lang=language)
        if datatype is None:
            return RdflibLiteral(value)
        # as stored: rdflib would otherwise rewrite e.g. "1.50" to "1.5", a different term
        return RdflibLiteral(value, datatype=URIRef(datatype), normalize=False)
    if term.startswith(BLANK):
        return RdflibBNode(term[2:])
    return URIRef(term)


def triples_from_rdflib(triples: Iterable[tuple[Node, Node, Node]]) -> list[Triple]:
    convert = Memo(from_rdflib).__getitem__
    return [(convert(s), convert(p), convert(o)) for s, p, o in triples]


def triples_to_rdflib(triples: Iterable[Triple]) -> Iterator[tuple[Node, Node, Node]]:
    for s, p, o in triples:
        yield to_rdflib(s), to_rdflib(p), to_rdflib(o)


# --- pyoxigraph -----------------------------------------------------------------------------


def from_oxigraph(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Term:
    kind = type(term)
    if kind is ox.NamedNode:
        return term.value
    if kind is ox.BlankNode:
        return BLANK + term.value
    if kind is ox.Literal:
        return Literal(term.value, term.datatype.value, term.language)
    raise TypeError(f"cannot reason over {kind.__name__}: {term!r}")


def to_oxigraph(term: Term) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, Literal):
        value, datatype, language = term
        if language:
            return ox.Literal(value, language=language)
        if datatype is None:
            return ox.Literal(value)
        return ox.Literal(value, datatype=ox.NamedNode(datatype))
    if term.startswith(BLANK):
        return ox.BlankNode(term[2:])
    return ox.NamedNode(term)


def triples_to_oxigraph(triples: Iterable[Triple]) -> Iterator[ox.Triple]:
    """Plain triples straight to pyoxigraph (no rdflib term on the way)."""
    for s, p, o in triples:
        yield ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))


def to_ntriples(term: Term) -> str:
    """A term in N-Triples syntax (terms come from a store or parser, so IRIs are valid)."""
    if isinstance(term, Literal):
        value, datatype, language = term
        quoted = '"' + value.translate(_NTRIPLES_ESCAPES) + '"'
        if language:
            return f"{quoted}@{language}"
        return quoted if datatype is None else f"{quoted}^^<{datatype}>"
    return term if term.startswith(BLANK) else f"<{term}>"


_NTRIPLES_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


class Memo(dict):
    """``memo[term]`` is ``convert(term)``, computed once per distinct term: data repeat the
    same terms (predicates, classes, states), and a hit is a plain dict lookup."""

    def __init__(self, convert: Callable):
        super().__init__()
        self.convert = convert

    def __missing__(self, term):
        self[term] = converted = self.convert(term)
        return converted
