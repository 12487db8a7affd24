"""Quality floor on six short texts the developers wrote (``tests/data/written-texts``, CC0),
annotated by hand under the development set's rules (``tests/data/written-gold.jsonl``).

Unlike the shared development set they live in the repository, so this floor holds on a
clean clone. They were written while fixing the cases they show (a wire story, a press
release, a joint statement, an itinerary ...), so they guard against regressions; they do
not measure how the extractor does on unseen news.
"""

from __future__ import annotations

from pathlib import Path

from diplograph.ingest.evaluate import load_gold, predict_documents, score

DATA = Path(__file__).parent / "data"


def test_written_texts_scores_stay_above_their_floor() -> None:
    documents = load_gold(DATA / "written-gold.jsonl")
    assert len(documents) == 6
    report = score(documents, predict_documents(documents, DATA / "written-texts"))
    # measured 2026-12-08: strict P 1.000, R 0.818, F1 0.900; dates 0.917; status 0.917
    assert report.strict.precision >= 0.95, report.strict.to_dict()
    assert report.strict.f1 >= 0.85, report.strict.to_dict()
    assert report.date.rate >= 0.85
    assert report.status.rate >= 0.85
