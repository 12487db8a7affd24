"""Ambiguous names in extracted facts: the article's context decides, or no QID at all."""

from __future__ import annotations

import pytest

from diplograph.ingest.extract import extract


def parties(text: str) -> set[tuple[str, str | None]]:
    found = set()
    for fact in extract(text, article_id="t", published="2024-01-10"):
        for entity in (fact.actor, fact.target):
            if entity is not None:
                found.add((entity.name, entity.wikidata))
    return found


def test_congo_with_brazzaville_is_the_republic_of_the_congo() -> None:
    found = parties("Congo and Rwanda signed a peace agreement in Brazzaville on Monday.")
    assert ("Republic of the Congo", "Q971") in found
    assert not any(qid == "Q974" for _, qid in found)


def test_congo_with_kinshasa_is_the_democratic_republic() -> None:
    found = parties("Congo and Rwanda signed a peace agreement in Kinshasa on Monday.")
    assert ("Democratic Republic of the Congo", "Q974") in found


@pytest.mark.parametrize(
    "text",
    [
        "Korea and Japan signed a trade agreement on Monday.",
        "Congo and Rwanda signed a peace agreement on Monday.",
    ],
)
def test_an_undecided_name_keeps_no_qid(text: str) -> None:
    found = parties(text)
    undecided = {name for name, qid in found if name in {"Korea", "Congo"}}
    assert undecided, found
    assert all(qid is None for name, qid in found if name in undecided)


def test_an_undecided_demonym_names_no_party() -> None:
    found = parties("Dominican and Haitian officials met in Port-au-Prince on Monday.")
    assert not any(name == "Dominican" or qid == "Q784" for name, qid in found)
