"""Office titles that belong to one state, for officials named without their country.

"Secretary of State Hillary Clinton" acts for the United States although the text never
says so; "Foreign Secretary William Hague" for the United Kingdom. Only titles that are
unambiguous in English-language news are listed; generic ones ("President", "Foreign
Minister") are resolved from the context instead. A demonym or country attached to the
title always wins ("Mexican Foreign Secretary" is Mexico's).
"""

from __future__ import annotations

import re

# (pattern over the role words, canonical state name as in the gazetteer, shared): a
# *shared* title is also another state's ("Foreign Secretary" in India and Pakistan,
# "Defense Secretary" in the Philippines, "National Security Adviser" in India), so it
# names its usual state only in an article that names that state (see persons.py).
OFFICES: tuple[tuple[re.Pattern[str], str, bool], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), state, shared)
    for pattern, state, shared in (
        (r"\bsecretary\s+of\s+state\b(?!\s+for)", "United States", False),
        (r"\bsecretary\s+of\s+defense\b", "United States", False),
        (r"\bdefense\s+secretary\b", "United States", True),
        (r"\b(?:secretary\s+of\s+the\s+treasury|treasury\s+secretary)\b", "United States", False),
        (r"\bsecretary\s+of\s+homeland\s+security\b", "United States", False),
        (r"\bnational\s+security\s+advis[eo]r\b", "United States", True),
        (r"\bchairman\s+of\s+the\s+joint\s+chiefs\b", "United States", True),
        (r"\bpentagon\b", "United States", False),
        (r"\b(?:foreign|home|defence)\s+secretary\b", "United Kingdom", True),
        (r"\bsecretary\s+of\s+state\s+for\b", "United Kingdom", False),
        (r"\bchancellor\s+of\s+the\s+exchequer\b", "United Kingdom", False),
        (r"\b(?:fco|foreign\s+office)\s+minister\b", "United Kingdom", False),
        (r"\btaoiseach\b", "Ireland", False),
        (r"\bstate\s+councilor\b", "China", False),
    )
)


def office_state(role: str) -> tuple[str, bool] | None:
    """The state whose office ``role`` names and whether the title is shared (see
    OFFICES), or None when the title is not specific."""
    for pattern, state, shared in OFFICES:
        if pattern.search(role):
            return state, shared
    return None
