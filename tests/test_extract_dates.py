"""Date expressions resolved against the publication date, at the precision of the text."""

from __future__ import annotations

import datetime as dt

import pytest

from diplograph.ingest.extract.dates import dateline, find_dates, full_dates

PUB = dt.date(2022, 3, 16)  # a Wednesday


def value(text: str, published: dt.date | None = PUB, **kw) -> str | None:
    found = find_dates(text, published, **kw)
    assert found, f"no date found in {text!r}"
    return found[0].value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("talks on Tuesday", "2022-03-15"),
        ("talks on Wednesday", "2022-03-16"),
        ("talks last Wednesday", "2022-03-09"),
        ("the visit today", "2022-03-16"),
        ("signed last night", "2022-03-15"),
        ("arrives tomorrow", "2022-03-17"),
        ("earlier this month", "2022-03"),
        ("last month", "2022-02"),
        ("earlier this year", "2022"),
        ("last year", "2021"),
        ("last December", "2021-12"),
        ("in 1993", "1993"),
        ("on 9 July", "2021-07-09"),
        ("on March 2", "2022-03-02"),
        ("January 17, 2013", "2013-01-17"),
        ("17 January 2013", "2013-01-17"),
        ("Apr. 25, 2013", "2013-04-25"),
        ("in September 2010", "2010-09"),
        ("in August", "2021-08"),
        ("the 40th anniversary of relations", "1982"),
        ("last week", "2022-03"),
        # a span of days is dated by its first day
        ("from 29 to 30 August 2021", "2021-08-29"),
        ("on 3 and 4 March", "2022-03-03"),
        ("29-30 August 2021", "2021-08-29"),
    ],
)
def test_resolution(text: str, expected: str) -> None:
    assert value(text) == expected


def test_future_clauses_point_forward() -> None:
    assert value("will visit in August", future=True) == "2022-08"
    assert value("will meet on Friday", future=True) == "2022-03-18"
    assert value("will sign on 9 July", future=True) == "2022-07-09"


def test_relative_dates_need_a_publication_date() -> None:
    for text in ("on Tuesday", "last month", "earlier this year", "today", "on 9 July"):
        found = find_dates(text, None)
        assert all(d.value is None for d in found), text


def test_weekday_resolved_by_a_full_date_in_the_same_text_without_publication_date() -> None:
    anchors = full_dates("Protest in the capital, September 14, 2012, photo caption.")
    assert value("stormed the embassy on Friday", None, anchors=anchors) == "2012-09-14"
    assert value("stormed the embassy on Monday", None, anchors=anchors) is None


def test_since_is_not_a_plain_year_when_it_is_not_a_date() -> None:
    # "since 1945" is found as an expression; the fact assembly decides to ignore it
    assert value("the first visit since 1945") == "1945"


def test_impossible_dates_are_none() -> None:
    assert value("on February 30, 2021") is None


def test_days_just_after_the_publication_date_stay_in_its_year() -> None:
    # a page dated at the start of a trip also reports its next days
    assert value("the meeting on March 25", dt.date(2011, 3, 20)) == "2011-03-25"
    assert value("the meeting on December 25", dt.date(2011, 3, 20)) == "2010-12-25"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("recognized Beijing in 2002, then Taipei three years later", "2005"),
        ("met on March 3, 2021 and signed the deal two weeks later", "2021-03-17"),
        ("talks began in May 2019; six months later they failed", "2019-11"),
        ("expelled on 30 December 2020 and returned two days later", "2021-01-01"),
        ("cut ties in 1980 and restored them a year afterwards", "1981"),
        ("signed on 10 March 2015, a week earlier", "2015-03-03"),
    ],
)
def test_an_offset_counts_from_the_date_stated_before_it(text: str, expected: str) -> None:
    offsets = [d for d in find_dates(text, PUB) if d.kind == "offset"]
    assert [d.value for d in offsets] == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "Two days later, the embassy closed.",  # the date it counts from is elsewhere
        "talks in 2019 began, and six months later, in vain",  # a year has no months
        "met in May 2019 and again two days later",  # a month has no days
    ],
)
def test_an_offset_without_a_date_of_its_precision_before_it_is_unresolved(text: str) -> None:
    offsets = [d for d in find_dates(text, PUB) if d.kind == "offset"]
    assert len(offsets) == 1 and offsets[0].value is None


def test_later_than_planned_is_no_date() -> None:
    found = find_dates("The deal was signed in 2019, two years later than planned.", PUB)
    assert [(d.kind, d.value) for d in found] == [("year", "2019")]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("January 17, 2014", dt.date(2014, 1, 17)),
        ("Tokyo, 30 August 2025", dt.date(2025, 8, 30)),  # a release's place and date
        ("Washington, DC", None),
        ("Kerry and Lavrov to meet May 3, 2019", None),  # a headline, not a date line
    ],
)
def test_a_header_line_holding_only_a_date_or_a_place_and_a_date(
    line: str, expected: dt.date | None
) -> None:
    assert dateline([line]) == expected
