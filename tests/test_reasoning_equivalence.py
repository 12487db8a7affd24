"""Our rebuild (reasonable, chunked, in worker processes) infers exactly what owlrl infers.

On a 10k-triple synthetic store (~40 articles of every event type): the inferred graph and
every article's support graph must be identical, triple for triple, to a rebuild with the
reference engine.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from bench.datasets import prepare
from diplograph.ingest import inferred_graph
from diplograph.ontology.namespaces import INFERRED_GRAPH
from diplograph.store import VersionedStore


def _rebuilt(store: VersionedStore, **options) -> tuple[int, set, dict]:
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


@pytest.mark.slow
def test_rebuild_infers_what_owlrl_infers_on_a_10k_graph(tmp_path):
    prepared = prepare("10k", tmp_path, seed=3)
    store = prepared.store()
    ours = _rebuilt(store, engine="reasonable", chunk=8, workers=2)
    reference = _rebuilt(store, engine="owlrl", chunk=64, workers=1)
    assert ours[0] == len(ours[1]) > 5_000
    assert len(ours[2]) == prepared.dataset.articles
    only_owlrl = sorted(map(str, reference[1] - ours[1]))[:5]
    only_ours = sorted(map(str, ours[1] - reference[1]))[:5]
    assert ours[1] == reference[1], f"only owlrl: {only_owlrl}\nonly ours: {only_ours}"
    assert ours == reference
