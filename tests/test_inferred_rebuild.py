"""The chunked rebuild of the inferred graph gives exactly the per-article inferences."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from bench.synthetic import SYNTHETIC_RUN, articles, build_world
from diplograph.ingest import inferred_graph
from diplograph.ingest.to_rdf import article_to_graph
from diplograph.ontology.namespaces import INFERRED_GRAPH, article_graph
from diplograph.ontology.reasoning import infer
from diplograph.store import VersionedStore
from diplograph.store.terms import oxigraph_triples


def rebuilt(store: VersionedStore, **options: Any) -> tuple[int, set, dict]:
    """Rebuild the inferred graph; (its size, its quads, the support index by graph)."""
    with store.writer() as batch:
        size = inferred_graph.rebuild(batch, **options)
        inferred = set(
            batch.store.quads_for_pattern(None, None, None, ox.NamedNode(INFERRED_GRAPH))
        )
        support = {
            g.value: set(batch.support.quads_for_pattern(None, None, None, g))
            for g in batch.support.named_graphs()
        }
    return size, inferred, support


ids: list[str] = []


@pytest.fixture(scope="module")
def graphs():
    stream = articles(7, build_world(7))
    out = []
    ids.clear()
    for _ in range(6):
        article, facts = next(stream)
        out.append(article_to_graph(article, article.id, facts, SYNTHETIC_RUN))
        ids.append(article.id)
    return out


def test_infer_apart_equals_one_call_per_article(graphs):
    expected = [set(infer(g)) for g in graphs]
    assert all(expected), "every synthetic article entails something"
    assert inferred_graph.infer_apart([list(g) for g in graphs]) == expected


def test_shared_entities_are_inferred_for_every_article_that_supports_them(graphs):
    # The articles name the same states; each one's support must hold its own copy.
    results = inferred_graph.infer_apart([list(g) for g in graphs])
    shared = set.intersection(*results[:2])
    assert shared == set(infer(graphs[0])) & set(infer(graphs[1]))


def test_rebuild_in_chunks_matches_rebuild_article_by_article(tmp_path, graphs):
    store = VersionedStore.open(tmp_path / "s")
    with store.writer() as batch:
        inferred_graph.ensure_ontology(batch)
        for article_id, graph in zip(ids, graphs, strict=True):
            name = ox.NamedNode(article_graph(article_id))
            batch.store.extend(
                ox.Quad(t.subject, t.predicate, t.object, name) for t in oxigraph_triples(graph)
            )

    one_by_one = rebuilt(store, chunk=1)
    assert one_by_one[0] > 0
    assert rebuilt(store, chunk=4) == one_by_one
    assert (
        rebuilt(store, chunk=2, workers=2) == one_by_one
    )  # worker processes, data sent as N-Quads


def test_an_inconsistency_is_raised_in_the_terms_of_its_own_article(graphs):
    from rdflib import RDF

    from diplograph.ontology.namespaces import DG
    from diplograph.ontology.reasoning import ReasoningInconsistency

    event = next(graphs[1].subjects(RDF.type, DG.Event))
    broken = [*graphs[1], (event, RDF.type, DG.Meeting), (event, RDF.type, DG.Protest)]
    with pytest.raises(ReasoningInconsistency):
        infer(_as_graph(broken))  # event types are pairwise disjoint
    with pytest.raises(ReasoningInconsistency) as raised:
        inferred_graph.infer_apart([list(graphs[0]), broken])
    assert inferred_graph.APART not in str(raised.value)
    assert str(event) in str(raised.value)


def _as_graph(triples):
    from rdflib import Graph

    graph = Graph()
    for triple in triples:
        graph.add(triple)
    return graph


def _tricky(graph) -> list:
    """An article with a blank node and literals that need escaping in N-Triples."""
    from rdflib import RDF, XSD, BNode, Literal

    from diplograph.ontology.namespaces import DG

    event = next(graph.subjects(RDF.type, DG.Event))
    place = BNode("site1")
    return [
        *graph,
        (event, DG.date, Literal('say "no"\nthen \\ leave\r\tnow ✓')),
        (event, DG.date, Literal("Texte", lang="FR")),
        (event, DG.place, place),
        (place, DG.date, Literal("2024-01-05", datatype=XSD.date)),
    ]


def test_blank_nodes_and_escaped_literals_survive_the_rebuild(tmp_path, graphs):
    from rdflib import BNode

    tricky = _tricky(graphs[0])
    store = VersionedStore.open(tmp_path / "s")
    with store.writer() as batch:
        inferred_graph.ensure_ontology(batch)
        for article_id, graph in zip(ids, [tricky, *graphs[1:3]], strict=False):
            name = ox.NamedNode(article_graph(article_id))
            batch.store.extend(
                ox.Quad(t.subject, t.predicate, t.object, name) for t in oxigraph_triples(graph)
            )
    reference = infer(_as_graph(tricky), engine="owlrl")  # the reference engine, alone
    assert any(isinstance(s, BNode) for s, _, _ in reference)
    assert any("\n" in o for _, _, o in reference)  # an inference on the escaped literal
    support_graph = ox.NamedNode(article_graph(ids[0]))
    expected = {
        ox.Quad(t.subject, t.predicate, t.object, support_graph)
        for t in oxigraph_triples(reference)
    }
    with store.writer() as batch:
        inferred_graph.rebuild(batch, chunk=3, workers=2)
        support = set(batch.support.quads_for_pattern(None, None, None, support_graph))
        inferred = {
            ox.Quad(q.subject, q.predicate, q.object, support_graph)
            for q in batch.store.quads_for_pattern(None, None, None, ox.NamedNode(INFERRED_GRAPH))
        }
    assert support == expected  # blank node ids as in the article, literals intact
    assert expected <= inferred


def test_the_support_spool_lives_in_the_batch_folder_and_goes_with_it(tmp_path, graphs):
    """A rebuild killed mid-way must not leave its spool behind: it is written inside the
    batch's folder, which a failed batch removes (and the next writer, after a kill)."""
    import tempfile

    store = VersionedStore.open(tmp_path / "s")
    with store.writer() as batch:
        for article_id, graph in zip(ids, graphs, strict=True):
            batch.replace_graph(article_graph(article_id), oxigraph_triples(graph))
    spools: list[list[str]] = []
    before = set(Path(tempfile.gettempdir()).glob("*support*.nq"))

    def look(done: int, total: int) -> None:
        spools.append([p.name for p in batch.root.glob("support-spool-*.nq")])
        raise RuntimeError("killed mid-way")

    with pytest.raises(RuntimeError, match="killed"), store.writer() as batch:
        inferred_graph.rebuild(batch, chunk=2, workers=1, progress=look)
    assert spools == [[spools[0][0]]], "the spool is in the batch folder while it is written"
    assert not batch.root.exists(), "the failed batch's folder, spool included, is gone"
    assert set(Path(tempfile.gettempdir()).glob("*support*.nq")) == before
