"""The Diplograph OWL ontology (``diplograph.ttl``) and helpers to load it.

The Turtle file ships inside the package so that the mapping, the SHACL validation, the
reasoner and the server all use the very same axioms; ``ontology_graph()`` parses it once.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from rdflib import Graph

#: The ontology document, shipped as package data.
ONTOLOGY_PATH = Path(__file__).with_name("diplograph.ttl")


@cache
def _parsed() -> Graph:
    graph = Graph()
    graph.parse(ONTOLOGY_PATH, format="turtle")
    return graph


def ontology_graph() -> Graph:
    """A fresh copy of the ontology graph (callers may modify it; the parse is cached)."""
    copy = Graph()
    for prefix, namespace in _parsed().namespaces():
        copy.bind(prefix, namespace, override=True)
    for triple in _parsed():
        copy.add(triple)
    return copy


__all__ = ["ONTOLOGY_PATH", "ontology_graph"]
