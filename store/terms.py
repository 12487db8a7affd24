"""Moving triples between rdflib (mapping, SHACL, reasoning) and pyoxigraph (the store).

Term by term rather than through a serialisation round trip: it is several times faster
for the small per-article graphs the pipeline moves, and keeps literals exact.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """One rdflib term as a pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot store {type(term).__name__} terms: {term!r}")


def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    """One pyoxigraph term as an rdflib term (xsd:string literals become plain literals)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"cannot convert {type(term).__name__}: {term!r}")


def oxigraph_triples(graph: Iterable[tuple[Node, Node, Node]]) -> list[ox.Triple]:
    """Every triple of an rdflib graph (or any iterable of rdflib triples) for pyoxigraph."""
    return [ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in graph]


def rdflib_graph(triples: Iterable[ox.Triple] | Iterable[ox.Quad]) -> Graph:
    """pyoxigraph triples (or the triples of quads) as an rdflib graph."""
    graph = Graph()
    for item in triples:
        graph.add((to_rdflib(item.subject), to_rdflib(item.predicate), to_rdflib(item.object)))
    return graph
