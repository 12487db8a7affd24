"""Quality floor on the shared development set (runs where ../shared exists).

The numbers are the acceptance targets of issue 3; they guard against regressions when
rules change. The texts are not copied into the repository (the seed is copyrighted).
"""

from __future__ import annotations

from diplograph.ingest.evaluate import load_gold, predict_documents, score


def test_devset_scores_stay_above_the_targets(shared_dir) -> None:
    devset = shared_dir / "devset"
    documents = load_gold(devset / "gold.jsonl")
    report = score(documents, predict_documents(documents, devset / "texts"))
    assert report.strict.f1 >= 0.60, report.strict.to_dict()
    assert report.relaxed.f1 >= 0.65, report.relaxed.to_dict()
    assert report.strict.precision >= 0.85, report.strict.to_dict()
    assert report.date.rate >= 0.80
    assert report.negation.rate >= 0.90
