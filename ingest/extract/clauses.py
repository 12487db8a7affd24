"""Clause spans of a sentence: where one predication ends and the next begins.

Event arguments are looked for inside the trigger's clause, so the boundaries matter more
than their names: semicolons and dashes, relative and contrastive clauses (", which",
", while", " but "), quotations, reporting verbs ("X said | Y signed ..."), another
event set apart by a span of time (", days after X met Y") and a wire dateline at the
start ("NAIROBI, March 14 (Reuters) -").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from diplograph.ingest.extract.dates import NUMBER

#: "days after", "a week before", "only hours after": another event, at another time
_TIME_OFFSET = (
    r"(?:(?:just|only|barely|some)\s+)?(?:(?:the|" + NUMBER + r"|several|a\s+few|\d+)\s+)?"
    r"(?:days?|weeks?|hours?|months?|years?)\s+"
    r"(?:after|before)\s+"
)
_DISPLACED = re.compile(_TIME_OFFSET)

_CLAUSE_BREAK = re.compile(
    # a closing quote before its attribution ('..." his office said'), not an opening one
    r";|\s--\s|\s[–—]\s|—|(?<=\S)[\"”]\s*,?\s+(?=(?:[a-z]+\s+){0,3}(?:said|says|told|added"
    r"|according))|,\s+(?=(?:which|who|whose|while|whereas|"
    r"although|though|but|saying|raising|depriving|making|marking|denying|rejecting)\b)"
    r"|\s+but\s+"
    # a reporting verb ends the matrix clause: "Ukrainian intelligence said | Iran had ..."
    r"|\b(?:said|says|told\s+\w+|stated|claimed|alleged|believes|reported)\s+(?:that\s+)?"
    r"(?=(?:the\s+)?[A-Z]|he\b|she\b|it\b|they\b|we\b)"
    # an earlier or later event told apart by a span of time: "signed a pact on Thursday,
    # | days after Ethiopian Prime Minister Abiy Ahmed held talks with ..." (its own
    # subject, date and place); not "met shortly after the G8 dinner session"
    # (the span of time stays in the new clause: it tells that event is not today's)
    r"|,?\s+(?=" + _TIME_OFFSET + r"[A-Z])"
    # an earlier event of the same subject: "said he planned to move the embassy, | after
    # meeting Netanyahu" (the plan is not the meeting's)
    r"|,\s+(?=after\s+[a-z]+ing\b)"
    # a simultaneous event with its own subject: "agreed to ..., | as Philippine President
    # Ferdinand Marcos Jr. began a state visit to Hanoi" (not "as well as", not "as I do")
    r"|,\s+(?=as\s+(?:the\s+)?[A-Z][\w.'’-]*\s+[A-Z])"
)
#: A fronted phrase with an event of its own: "In addition to meeting with Secretary
#: Clinton, | President Hassan Sheikh met with ..." (who is named there took no part in the
#: main clause's event); group 1 is the break.
_FRONTED_EVENT = re.compile(
    r"(?:In\s+addition\s+to|Besides|Apart\s+from|After|Before|Following|Prior\s+to)"
    r"\s+[a-z]+ing\b[^,;]{1,120}?(,\s+)"
)
DATELINE_PREFIX = re.compile(
    r"^[A-Z][A-Z .'’-]{2,40}(?:,\s+[A-Za-z .]{2,30})?(?:,?\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2})?"
    r"\s*(?:\([^)]{2,40}\))?\s*[-–—]+\s*"
)


#: ", and Montenegro recognised Kosovo": a coordinated clause with a subject of its own...
_AND_NEW_SUBJECT = re.compile(
    r",\s+and\s+(?=(?:the\s+)?[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}\s+[a-z]+(?:ed|s)\b)"
)
#: ... after a clause that has a verb ("Serbia criticised the decision"), which a list of
#: names ("Spain, Italy, and France signed") does not
_FINITE_VERB = re.compile(
    r"\b(?:[a-z]+ed|is|are|was|were|has|have|had|will|met|said|says|signed|held|made|took"
    r"|gave|sent|began|spoke|told)\b"
)


def _breaks(sentence: str, start: int) -> list[tuple[int, int]]:
    """Where clauses break after ``start``, as (end of one, start of the next)."""
    found = [(m.start(), m.end()) for m in _CLAUSE_BREAK.finditer(sentence, start)]
    fronted = _FRONTED_EVENT.match(sentence, start)
    if fronted:
        found.append(fronted.span(1))
    for m in _AND_NEW_SUBJECT.finditer(sentence, start):
        before = max((end for _, end in found if end <= m.start()), default=start)
        if _FINITE_VERB.search(sentence, before, m.start()):
            found.append((m.start(), m.end()))
    return sorted(found)


@functools.lru_cache(maxsize=256)
def clauses(sentence: str) -> tuple[tuple[int, int], ...]:
    """Clause spans of a sentence; a wire dateline ("NAIROBI, March 14 (Reuters) -") is
    its own span, so that the city is not read as the subject. Cached: the argument
    finders and the date rules both need them, for the same sentence."""
    spans: list[tuple[int, int]] = []
    start = 0
    dateline = DATELINE_PREFIX.match(sentence)
    if dateline:
        spans.append((0, dateline.end()))
        start = dateline.end()
    for begin, end in _breaks(sentence, start):
        if begin < start:
            continue  # inside a break already taken
        if begin > start:
            spans.append((start, begin))
        start = end
    spans.append((start, len(sentence)))
    return tuple(spans)


#: A relative clause set off by commas on both sides: ", | which cut ties with Rabat in
#: August, |" (group 1, from the pronoun through the closing comma).
_RELATIVE_ASIDE = re.compile(r",\s+((?:which|who)\b[^,;]{1,120},)")


@functools.lru_cache(maxsize=256)
def relative_asides(sentence: str) -> tuple[tuple[int, int], ...]:
    """Spans of the relative asides of a sentence ("Tinubu, | who chairs ECOWAS, | met"):
    what the aside says is not the main clause's, neither its subject nor its date."""
    return tuple(m.span(1) for m in _RELATIVE_ASIDE.finditer(sentence))


def clause_of(spans: Sequence[tuple[int, int]], position: int) -> tuple[int, int]:
    for s, e in spans:
        if s <= position < e:
            return s, e
    return spans[-1]


def displaced(sentence: str, span: tuple[int, int]) -> bool:
    """Whether the clause tells an event at another time than the sentence's own
    ("days after X met Y"): a date outside it is not its date, and its date is not theirs."""
    return _DISPLACED.match(sentence, span[0]) is not None
