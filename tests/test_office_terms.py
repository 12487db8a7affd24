"""Office terms from persons.tsv: which office-holder a title meant in a given year."""

from __future__ import annotations

import pytest

from diplograph.ingest.gazetteer.office_terms import (
    Term,
    held,
    parse_offices,
    terms_by_person,
    title_kinds,
)


def test_offices_parse_into_terms() -> None:
    assert parse_offices("foreign minister 2005-2009, 2013-2017; president 2017-") == (
        Term("foreign", 2005, 2009),
        Term("foreign", 2013, 2017),
        Term("president", 2017, None),
    )
    assert parse_offices("prime minister 2024") == (Term("prime minister", 2024, 2024),)
    assert parse_offices("foreign ministry spokeswoman") == ()  # no years, no known kind
    assert parse_offices("supreme leader 1989-") == ()


@pytest.mark.parametrize(
    ("title", "kinds"),
    [
        ("President", {"president"}),
        ("Vice President", {"vice president"}),
        ("Premier", {"prime minister"}),
        ("German Chancellor", {"prime minister"}),
        ("Secretary of State", {"foreign"}),
        ("Foreign Secretary", {"foreign"}),
        ("External Affairs Minister", {"foreign"}),
        ("Secretary of Defense", {"defence"}),
        ("Defence Minister", {"defence"}),
        ("Secretary", {"foreign", "defence"}),
        ("Ambassador", set()),
        ("Minister", set()),
    ],
)
def test_titles_reduce_to_kinds_of_office(title: str, kinds: set[str]) -> None:
    assert title_kinds(title) == kinds


def test_every_office_holder_with_years_has_terms_that_make_sense() -> None:
    terms = terms_by_person()
    assert len(terms) > 300
    dated = [t for person in terms.values() for t in person]
    assert len(dated) > 350
    assert all(1940 <= t.start <= 2026 and (t.end is None or t.start <= t.end) for t in dated)


def test_held_reads_the_years() -> None:
    assert held("Lee Myung-bak", frozenset({"president"}), 2011)
    assert not held("Lee Myung-bak", frozenset({"president"}), 2014)
    assert held("Sergey Lavrov", frozenset({"foreign"}), 2026)  # still in office
    assert not held("Nobody Known", frozenset({"president"}), 2011)
    assert held("Lee Myung-bak", frozenset({"president"}), None)  # at any time
    assert not held("Lee Myung-bak", frozenset({"foreign"}), None)
