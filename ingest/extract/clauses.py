"""Clause spans of a sentence: where one predication ends and the next begins.

Event arguments are looked for inside the trigger's clause, so the boundaries matter more
than their names: semicolons and dashes, relative and contrastive clauses (", which",
", while", " but "), quotations, reporting verbs ("X said | Y signed ...") and a wire
dateline at the start ("NAIROBI, March 14 (Reuters) -").
"""

from __future__ import annotations

import re

_CLAUSE_BREAK = re.compile(
    # a closing quote before its attribution ('..." his office said'), not an opening one
    r";|\s--\s|\s[–—]\s|—|(?<=\S)[\"”]\s*,?\s+(?=(?:[a-z]+\s+){0,3}(?:said|says|told|added"
    r"|according))|,\s+(?=(?:which|who|whose|while|whereas|"
    r"although|though|but|saying|raising|depriving|making|marking)\b)|\s+but\s+"
    # a reporting verb ends the matrix clause: "Ukrainian intelligence said | Iran had ..."
    r"|\b(?:said|says|told\s+\w+|stated|claimed|alleged|believes|reported)\s+(?:that\s+)?"
    r"(?=(?:the\s+)?[A-Z]|he\b|she\b|it\b|they\b|we\b)"
)
DATELINE_PREFIX = re.compile(
    r"^[A-Z][A-Z .'’-]{2,40}(?:,\s+[A-Za-z .]{2,30})?(?:,?\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2})?"
    r"\s*(?:\([^)]{2,40}\))?\s*[-–—]+\s*"
)


def clauses(sentence: str) -> list[tuple[int, int]]:
    """Clause spans of a sentence; a wire dateline ("NAIROBI, March 14 (Reuters) -") is
    its own span, so that the city is not read as the subject."""
    spans = []
    start = 0
    dateline = DATELINE_PREFIX.match(sentence)
    if dateline:
        spans.append((0, dateline.end()))
        start = dateline.end()
    for m in _CLAUSE_BREAK.finditer(sentence, start):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(sentence)))
    return spans


def clause_of(spans: list[tuple[int, int]], position: int) -> tuple[int, int]:
    for s, e in spans:
        if s <= position < e:
            return s, e
    return spans[-1]
