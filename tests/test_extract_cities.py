"""Cities other than capitals (``cities.tsv``): the place of an event, and the state a
visit goes to, but never a party. Sentences written for these tests."""

from __future__ import annotations

from diplograph.ingest.extract import extract
from diplograph.ingest.facts import Fact

PUB = "2019-05-15"


def facts(text: str) -> list[Fact]:
    return extract(text, article_id="test-article", published=PUB)


def summary(text: str) -> set[tuple[str, str | None, str | None, str | None]]:
    return {
        (
            f.type,
            f.actor.name if f.actor else None,
            f.target.name if f.target else None,
            f.place.name if f.place else None,
        )
        for f in facts(text)
    }


def test_arriving_in_a_city_is_a_visit_to_its_state() -> None:
    assert summary("Russian Foreign Minister Sergey Lavrov arrived in Istanbul on Monday.") == {
        ("official_visit", "Russia", "Turkey", "Istanbul")
    }


def test_a_meeting_takes_its_city_and_a_foreign_party_visits_the_host() -> None:
    """Lavrov meeting his Turkish counterpart in Istanbul visits Turkey; two states meeting
    in Geneva visit nobody, since Switzerland is no party to their meeting."""
    assert summary(
        "Russian Foreign Minister Sergey Lavrov met Turkish Foreign Minister Mevlut Cavusoglu "
        "in Istanbul."
    ) == {
        ("meeting", "Russia", "Turkey", "Istanbul"),
        ("official_visit", "Russia", "Turkey", "Istanbul"),
    }
    assert summary("U.S. and Russian negotiators met in Geneva on Tuesday.") == {
        ("meeting", "United States", "Russia", "Geneva")
    }


def test_a_city_never_stands_for_its_state() -> None:
    """A capital speaks for its state ("Ankara recognised"); another city does not."""
    assert summary("Ankara recognised Kosovo on Monday.") == {
        ("recognition", "Turkey", "Kosovo", None)
    }
    assert summary("Istanbul recognised Kosovo on Monday.") == set()


def test_another_spelling_is_the_same_city() -> None:
    assert summary("French President Emmanuel Macron arrived in Bombay on Monday.") == {
        ("official_visit", "France", "India", "Mumbai")
    }
