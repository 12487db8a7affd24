"""Our rebuild (reasonable, chunked, in worker processes) infers exactly what owlrl infers.

On a 10k-triple synthetic store (~40 articles of every event type): the inferred graph and
every article's support graph must be identical, triple for triple, to a rebuild with the
reference engine.
"""

from __future__ import annotations

import pytest

from bench.datasets import prepare
from tests.test_inferred_rebuild import rebuilt


@pytest.mark.slow
def test_rebuild_infers_what_owlrl_infers_on_a_10k_graph(tmp_path):
    prepared = prepare("10k", tmp_path, seed=3)
    store = prepared.store()
    ours = rebuilt(store, engine="reasonable", chunk=8, workers=2)
    reference = rebuilt(store, engine="owlrl", chunk=64, workers=1)
    assert ours[0] == len(ours[1]) > 5_000
    assert len(ours[2]) == prepared.dataset.articles
    only_owlrl = sorted(map(str, reference[1] - ours[1]))[:5]
    only_ours = sorted(map(str, ours[1] - reference[1]))[:5]
    assert ours[1] == reference[1], f"only owlrl: {only_owlrl}\nonly ours: {only_ours}"
    assert ours == reference
