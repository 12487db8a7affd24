"""The scorer on tiny hand-made gold/prediction pairs whose numbers are known."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from diplograph.cli.evaluate import evaluate as evaluate_command
from diplograph.ingest.evaluate import (
    GoldDocument,
    entities_match,
    load_gold,
    load_predictions,
    match_facts,
    normalise_name,
    relaxed_match,
    score,
    strict_match,
)
from diplograph.ingest.facts import Entity, Fact

DATA = Path(__file__).parent / "data"
GOLD = DATA / "extract-gold.jsonl"
PREDICTIONS = DATA / "extract-predictions.jsonl"
TEXTS = DATA / "extract-texts"


def country(name: str, qid: str | None = None) -> Entity:
    return Entity(name=name, kind="country", wikidata=qid)


def fact(fact_type: str, actor, target, **kw) -> Fact:
    return Fact(article="a1", type=fact_type, actor=actor, target=target, evidence="e", **kw)


def test_name_normalisation_rule() -> None:
    assert normalise_name("The  Côte d'Ivoire") == normalise_name("cote d ivoire")
    assert normalise_name("U.S.") == normalise_name("u s")
    assert normalise_name("the Gambia") == "gambia"


def test_entities_match_by_qid_when_both_have_one_else_by_name() -> None:
    assert entities_match(country("USA", "Q30"), country("United States", "Q30"))
    assert not entities_match(country("Georgia", "Q230"), country("Georgia", "Q1428"))
    assert entities_match(country("Georgia", "Q230"), country("georgia"))
    assert entities_match(None, None)
    assert not entities_match(country("Chad"), None)


def test_strict_and_relaxed_matching() -> None:
    gold = fact("meeting", country("Peru"), country("Chile"))
    reversed_ = fact("meeting", country("Chile"), country("Peru"))
    assert relaxed_match(gold, reversed_) and not strict_match(gold, reversed_)
    assert not relaxed_match(gold, fact("support", country("Peru"), country("Chile")))


def test_matching_is_one_to_one() -> None:
    gold = [fact("meeting", country("Peru"), country("Chile"))] * 2
    pred = [fact("meeting", country("Peru"), country("Chile"))] * 3
    assert len(match_facts(gold, pred, strict_match)) == 2


def test_known_numbers_on_a_tiny_pair() -> None:
    doc = GoldDocument(
        "a1",
        "2020-01-01",
        (
            fact("meeting", country("Peru"), country("Chile"), date="2020-01-01"),
            fact("sanctions", country("Peru"), country("Chile"), negated=True),
            fact("support", country("Peru"), country("Bolivia")),
        ),
    )
    preds = [
        fact("meeting", country("Peru"), country("Chile"), date="2020-01", confidence=0.9),
        fact("sanctions", country("Chile"), country("Peru"), confidence=0.6),
        fact("protest", country("Peru"), None, confidence=0.2),
    ]
    report = score([doc], {"a1": preds})
    assert (report.strict.tp, report.strict.fp, report.strict.fn) == (1, 2, 2)
    assert (report.relaxed.tp, report.relaxed.fp, report.relaxed.fn) == (2, 1, 1)
    assert report.strict.precision == pytest.approx(1 / 3)
    assert report.relaxed.f1 == pytest.approx(2 / 3)
    assert report.per_type_strict["meeting"].f1 == 1.0
    assert report.per_type_strict["support"].recall == 0.0
    assert (report.date.agree, report.date.total) == (1, 2)  # 2020-01 is not 2020-01-01
    assert (report.date_with_gold_date.agree, report.date_with_gold_date.total) == (0, 1)
    assert (report.negation.agree, report.negation.total) == (1, 2)
    bands = {k: (v.agree, v.total) for k, v in report.bands.items()}
    assert bands == {
        "[0.00,0.50)": (0, 1),
        "[0.50,0.70)": (0, 1),
        "[0.70,0.85)": (0, 0),
        "[0.85,1.00]": (1, 1),
    }


def test_devset_format_and_predictions_file() -> None:
    documents = load_gold(GOLD)
    assert [d.id for d in documents] == ["ex-1", "ex-2"]
    assert documents[1].facts[1].negated is True
    report = score(documents, load_predictions(PREDICTIONS))
    # strict: only Bolivia->Israel (name match "the Bolivia" vs "Bolivia"); relaxed adds the
    # reversed signing; the recognition's target QID differs, so it does not match
    assert (report.strict.tp, report.strict.fp, report.strict.fn) == (1, 3, 4)
    assert (report.relaxed.tp, report.relaxed.fp, report.relaxed.fn) == (2, 2, 3)
    assert (report.date.agree, report.date.total) == (1, 2)
    assert (report.qid_recall.agree, report.qid_recall.total) == (3, 4)
    assert (report.qid_precision.agree, report.qid_precision.total) == (3, 3)


def test_interchange_format_gold(tmp_path: Path) -> None:
    lines = [
        json.dumps({"record": "article", "id": "ex-1", "published": "2019-05-15"}),
        fact("relations_severed", country("Bolivia", "Q750"), country("Israel", "Q801"))
        .to_json()
        .replace('"a1"', '"ex-1"'),
    ]
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(lines) + "\n")
    documents = load_gold(gold)
    assert [(d.id, d.published, len(d.facts)) for d in documents] == [("ex-1", "2019-05-15", 1)]


def test_cli_json_and_threshold(runner, tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    result = runner.invoke(
        evaluate_command,
        ["--gold", str(GOLD), "--predictions", str(PREDICTIONS), "--json", str(out)],
    )
    assert result.exit_code == 0, result.output
    assert "strict (type+actor+target)" in result.output
    data = json.loads(out.read_text())
    assert data["strict"]["tp"] == 1 and data["per_type"]["recognition"]["strict"]["fn"] == 1
    failing = runner.invoke(
        evaluate_command,
        ["--gold", str(GOLD), "--predictions", str(PREDICTIONS), "--min-strict-f1", "0.9"],
    )
    assert failing.exit_code == 1


def test_cli_runs_the_extractor_on_texts(runner) -> None:
    result = runner.invoke(
        evaluate_command, ["--gold", str(GOLD), "--texts", str(TEXTS), "--json", "-"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["documents"] == 2 and data["gold_facts"] == 5
    assert data["strict"]["precision"] >= 0.75


def test_cli_needs_exactly_one_source(runner) -> None:
    result = runner.invoke(evaluate_command, ["--gold", str(GOLD)])
    assert result.exit_code == 2


def test_missing_text_is_an_error(runner, tmp_path: Path) -> None:
    result = runner.invoke(evaluate_command, ["--gold", str(GOLD), "--texts", str(tmp_path)])
    assert result.exit_code == 1 and "ex-1" in result.output


@pytest.mark.parametrize("content", ["", "\n  \n\n"], ids=["empty", "blank-lines"])
def test_a_gold_file_without_records_is_rejected(runner, tmp_path: Path, content: str) -> None:
    """Before: all-zero scores and exit 0, as if the extractor had been scored."""
    gold = tmp_path / "empty.txt"
    gold.write_text(content)
    out = tmp_path / "report.json"
    for source in (["--predictions", str(PREDICTIONS)], ["--texts", str(TEXTS)]):
        args = ["--gold", str(gold), *source, "--json", str(out)]
        result = runner.invoke(evaluate_command, args)
        assert result.exit_code == 1, result.output
        errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
        message = f"{gold}: the gold file holds no records, so there is nothing to score"
        assert errors == [f"error: {message}"]
        assert "strict" not in result.stdout and not out.exists()
