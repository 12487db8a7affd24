"""Plain reasoning terms: exact round trips through rdflib, pyoxigraph and our N-Triples."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import XSD, BNode, Graph, Literal, URIRef

from diplograph.ontology.reasoning import infer
from diplograph.ontology.reasoning_terms import (
    from_oxigraph,
    from_rdflib,
    to_ntriples,
    to_oxigraph,
    to_rdflib,
)

EX = "https://example.org/"
TERMS = [
    URIRef(EX + "x"),
    URIRef("http://www.wikidata.org/entity/Q801"),
    BNode("b0"),
    Literal("plain"),
    Literal("Texte", lang="FR"),
    Literal("déjà vu ✓ 🕊", lang="fr-CA"),
    Literal('say "no"\nthen \\ leave\r\tnow'),
    Literal("2024-01-05", datatype=XSD.date),
    Literal("1.50", datatype=XSD.decimal, normalize=False),
    Literal("0.85", datatype=XSD.double),
]


@pytest.mark.parametrize("node", TERMS, ids=[repr(t) for t in TERMS])
def test_every_conversion_keeps_the_term(node):
    term = from_rdflib(node)
    assert to_rdflib(term) == node
    assert from_oxigraph(to_oxigraph(term)) == term
    subject = f"<{EX}s>" if isinstance(node, Literal) else to_ntriples(term)
    line = f"{subject} <{EX}p> {to_ntriples(term)} .\n"  # as the rebuild writes it
    parsed = next(ox.parse(line.encode(), format=ox.RdfFormat.N_TRIPLES))
    assert from_oxigraph(parsed.object) == term
    assert to_oxigraph(term) == parsed.object
    if not isinstance(node, Literal):
        assert from_oxigraph(parsed.subject) == term


def test_plain_and_xsd_string_literals_are_one_term_as_in_rdf_1_1():
    explicit = from_rdflib(Literal("a", datatype=XSD.string))
    assert explicit == from_rdflib(Literal("a"))
    assert to_rdflib(explicit) == Literal("a")
    assert from_rdflib(Literal("a")) != from_rdflib(Literal("a", lang="en"))


def test_rdflib_constructors_are_restored_after_reasoning():
    graph = Graph()
    graph.add((URIRef(EX + "x"), URIRef(EX + "p"), Literal("v")))
    infer(graph)
    assert rdflib.URIRef is rdflib.term.URIRef
    assert rdflib.Literal is rdflib.term.Literal
    assert rdflib.BNode is rdflib.term.BNode


def test_the_same_triples_when_reasonable_returns_rdflib_terms(monkeypatch):
    """Should a reasonable release stop reading rdflib's constructors at call time, its
    rdflib output is converted instead: slower, same result."""
    import contextlib

    from bench.synthetic import SYNTHETIC_RUN, articles, build_world
    from diplograph.ingest.to_rdf import article_to_graph
    from diplograph.ontology import reasoning

    article, facts = next(articles(5, build_world(5)))
    graph = article_to_graph(article, article.id, facts, SYNTHETIC_RUN)
    graph.add((URIRef(EX + "x"), URIRef(EX + "p"), Literal("v", lang="en")))
    fast = set(infer(graph))
    monkeypatch.setattr(reasoning, "_plain_output", contextlib.nullcontext)
    assert set(infer(graph)) == fast
    assert len(fast) > 100
