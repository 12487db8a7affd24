"""Bad and odd input never crashes the extractor; the output is deterministic and valid."""

from __future__ import annotations

import json
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from diplograph.ingest.extract import EXTRACTOR_NAME, EXTRACTOR_VERSION, extract
from diplograph.ingest.facts import Fact, FactFormatError

SAMPLE = (
    "Chile and Argentina signed a border treaty in Santiago on 3 May.\n"
    "Bolivia cut diplomatic ties with Israel on Tuesday, citing hostile acts.\n"
    "Protesters in Athens marched on the Turkish embassy on Sunday."
)


@pytest.mark.parametrize(
    "text",
    ["", "   \n\t ", "\x00\x01\x02\x03" * 100, "no sentence here", ".....", "\ufeff", "?" * 1000],
)
def test_degenerate_input_gives_no_facts(text: str) -> None:
    assert extract(text, article_id="a1") == []


def test_non_string_input_is_a_clear_error() -> None:
    with pytest.raises(TypeError):
        extract(b"bytes are not text", article_id="a1")  # type: ignore[arg-type]


def test_bad_article_id_is_a_clear_error() -> None:
    with pytest.raises(FactFormatError):
        extract(SAMPLE, article_id="../etc/passwd")


def test_bad_publication_date_is_ignored() -> None:
    facts = extract(SAMPLE, article_id="a1", published="not-a-date")
    assert facts and all(f.date is None or f.date[:1] in "12" for f in facts)


def test_deterministic() -> None:
    first = [f.to_json() for f in extract(SAMPLE, article_id="a1", published="2019-05-15")]
    second = [f.to_json() for f in extract(SAMPLE, article_id="a1", published="2019-05-15")]
    assert first == second and first


def test_output_round_trips_through_the_interchange_format() -> None:
    for fact in extract(SAMPLE, article_id="a1", published="2019-05-15"):
        assert Fact.from_dict(json.loads(fact.to_json())) == fact


def test_name_and_version_are_exposed() -> None:
    assert EXTRACTOR_NAME and EXTRACTOR_VERSION.count(".") == 2


@pytest.mark.slow
def test_five_megabytes_of_text_is_handled_in_bounded_time() -> None:
    text = (SAMPLE + "\n") * (5_000_000 // len(SAMPLE))
    started = time.perf_counter()
    facts = extract(text, article_id="big", published="2019-05-15")
    assert time.perf_counter() - started < 60
    assert facts
    for fact in facts:
        assert text[fact.evidence_start : fact.evidence_end] == fact.evidence


def test_one_huge_line_without_sentences() -> None:
    assert extract("x" * 200_000, article_id="a1") == []


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400))
def test_any_text_gives_valid_facts(text: str) -> None:
    for fact in extract(text + " " + SAMPLE, article_id="fuzz", published="2020-02-29"):
        assert fact.evidence == (text + " " + SAMPLE)[fact.evidence_start : fact.evidence_end]
        assert 0.0 <= fact.confidence <= 1.0
        Fact.from_dict(fact.to_dict())


def test_overlong_text_is_cut_with_a_warning(caplog) -> None:
    from diplograph.ingest.extract.text import MAX_CHARS, split_sentences

    text = ("Chile and Peru signed a pact. " * (MAX_CHARS // 30 + 100)).strip()
    with caplog.at_level("WARNING"):
        sentences = split_sentences(text)
    assert sentences[-1].end <= MAX_CHARS
    assert "only the first" in caplog.text


@pytest.mark.parametrize("published", ["0999-01-01", "0001-01-01", "9999-12-31", "2021-02-30"])
def test_implausible_publication_dates_are_ignored(published: str) -> None:
    text = "Chile and Peru signed a pact last year. Bolivia cut ties with Chile on Tuesday."
    for fact in extract(text, article_id="a1", published=published):
        assert fact.date is None


def test_claimant_text_is_cleaned() -> None:
    text = "Iran supplied drones to Russia, according to \x14Ukrainian\x0b intelligence."
    facts = extract(text, article_id="a1")
    assert facts and facts[0].attributed_to == "Ukrainian intelligence"
