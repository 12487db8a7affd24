"""Office titles that belong to one state, for officials named without their country.

"Secretary of State Hillary Clinton" acts for the United States although the text never
says so; "Foreign Secretary William Hague" for the United Kingdom. Only titles that are
unambiguous in English-language news are listed; generic ones ("President", "Foreign
Minister") are resolved from the context instead. A demonym or country attached to the
title always wins ("Mexican Foreign Secretary" is Mexico's).
"""

from __future__ import annotations

import re

# (pattern over the role words, canonical state name as in the gazetteer)
OFFICES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), state)
    for pattern, state in (
        (r"\bsecretary\s+of\s+state\b(?!\s+for)", "United States"),
        (r"\b(?:secretary\s+of\s+defense|defense\s+secretary)\b", "United States"),
        (r"\b(?:secretary\s+of\s+the\s+treasury|treasury\s+secretary)\b", "United States"),
        (r"\bsecretary\s+of\s+homeland\s+security\b", "United States"),
        (r"\bnational\s+security\s+advis[eo]r\b", "United States"),
        (r"\bchairman\s+of\s+the\s+joint\s+chiefs\b", "United States"),
        (r"\bpentagon\b", "United States"),
        (r"\b(?:foreign|home|defence)\s+secretary\b", "United Kingdom"),
        (r"\bsecretary\s+of\s+state\s+for\b", "United Kingdom"),
        (r"\bchancellor\s+of\s+the\s+exchequer\b", "United Kingdom"),
        (r"\b(?:fco|foreign\s+office)\s+minister\b", "United Kingdom"),
        (r"\btaoiseach\b", "Ireland"),
        (r"\bstate\s+councilor\b", "China"),
    )
)


def office_state(role: str) -> str | None:
    """The state whose office ``role`` names, or None when the title is not specific."""
    for pattern, state in OFFICES:
        if pattern.search(role):
            return state
    return None
