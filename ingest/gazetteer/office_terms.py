"""Who held which office when, from ``data/persons.tsv``: the terms that tell "President
Lee" in 2011 (Lee Myung-bak) from "President Lee" in 2025 (Lee Jae-myung).

The ``offices`` column reads "president 2009-2017; secretary of state 2013-2017" or
"foreign minister 2005-2009, 2013-2017"; an open term ("2025-") runs on. Titles are reduced
to a few kinds (:func:`title_kinds`) so that "Premier", "Prime Minister" and "Chancellor"
compare equal, as do "Foreign Secretary", "Secretary of State" and "Foreign Minister".
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

PERSONS = Path(__file__).resolve().parent / "data" / "persons.tsv"

#: Title kinds, tried in order: the first pattern found in a title decides.
_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("vice president", re.compile(r"\bvice[\s-]+president\b", re.I)),
    ("president", re.compile(r"\bpresident\b", re.I)),
    ("prime minister", re.compile(r"\b(?:prime\s+minister|premier|chancellor)\b", re.I)),
    (
        "foreign",
        re.compile(
            r"\b(?:foreign|external\s+affairs)\s+(?:minister|secretary)\b"
            r"|\bsecretary\s+of\s+state\b|\bminister\s+(?:of|for)\s+foreign\s+affairs\b",
            re.I,
        ),
    ),
    (
        "defence",
        re.compile(
            r"\b(?:defen[cs]e|armed\s+forces)\s+(?:minister|secretary)\b"
            r"|\bsecretary\s+of\s+defen[cs]e\b|\bminister\s+of\s+(?:national\s+)?defen[cs]e\b",
            re.I,
        ),
    ),
)
#: A bare "Secretary" (U.S. usage) is a cabinet secretary: of state or of defense.
_BARE_SECRETARY = re.compile(r"^\s*(?:U\.?S\.?\s+)?secretary\s*$", re.I)
_TERM = re.compile(r"(\d{4})(-?)(\d{4})?")  # "2012", "2012-2014", "2025-" (still held)


@dataclass(frozen=True, slots=True)
class Term:
    """One office held from ``start`` to ``end`` (years, inclusive; None: still held)."""

    kind: str
    start: int
    end: int | None

    def covers(self, year: int) -> bool:
        return self.start <= year and (self.end is None or year <= self.end)


def title_kinds(title: str) -> frozenset[str]:
    """The kinds of office a title in the text may mean: {"foreign"} for "Foreign
    Minister", {"foreign", "defence"} for a bare "Secretary", none for "Ambassador"."""
    if _BARE_SECRETARY.match(title):
        return frozenset(("foreign", "defence"))
    for kind, pattern in _KINDS:
        if pattern.search(title):
            return frozenset((kind,))
    return frozenset()


def parse_offices(text: str) -> tuple[Term, ...]:
    """ "president 2008-2012; prime minister 2012-2020" -> two terms; an office without
    years (a spokesman) or of no known kind gives none."""
    terms = []
    for office in text.split(";"):
        title = re.split(r"\d", office, maxsplit=1)[0]
        kinds = title_kinds(title)
        if len(kinds) != 1:
            continue
        (kind,) = kinds
        for start, dash, end in _TERM.findall(office[len(title) :]):
            last = int(end) if end else None if dash else int(start)
            terms.append(Term(kind, int(start), last))
    return tuple(terms)


@functools.cache
def terms_by_person(path: Path = PERSONS) -> dict[str, tuple[Term, ...]]:
    """Each office-holder's terms, by canonical name (read once per process)."""
    from diplograph.ingest.gazetteer.build import read_tsv  # the curated tables' reader

    return {row["name"]: parse_offices(row["offices"]) for row in read_tsv(path)}


def held(person: str, kinds: frozenset[str], year: int | None) -> bool:
    """Whether ``person`` held an office of one of ``kinds`` in ``year`` (at any time when
    the year is unknown: an undated text still says which office the title names)."""
    return any(
        t.kind in kinds and (year is None or t.covers(year))
        for t in terms_by_person().get(person, ())
    )
