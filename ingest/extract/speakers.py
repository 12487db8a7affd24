"""Who is speaking in transcripts and statements, for "I" and "we".

Official transcripts name their speaker twice: in the page head ("John Kerry" on one line,
"Secretary of State" on the next) and before each turn ("SECRETARY KERRY:", "FOREIGN
MINISTER LAVROV:"). First-person pronouns in a turn stand for the speaker's state; in a
statement without turns, for the official named in the head.
"""

from __future__ import annotations

import itertools
import re

from diplograph.ingest.extract.lexicon import Lexicon
from diplograph.ingest.extract.offices import office_state
from diplograph.ingest.facts import Entity

_NAME_LINE = re.compile(r"^(?:[A-Z][a-zà-ÿ'’-]+|[A-Z]\.)(?:\s+(?:[A-Z][a-zà-ÿ'’-]+|[A-Z]\.)){1,3}$")
_TURN = re.compile(r"^(?P<label>[A-Z][A-Z .'’-]{2,60}?)\s*(?:\([^)]*\))?\s*:\s")


def header_official(lines: list[str]) -> tuple[Entity, str] | None:
    """The official named in a page head as a name line followed by a title line whose
    title belongs to one state ("Secretary of State"): (person, state name)."""
    for name, title in itertools.pairwise(lines):
        name, title = name.strip(), title.strip()
        if not _NAME_LINE.match(name) or len(title.split()) > 8:
            continue
        office = office_state(title)
        # a shared title ("Foreign Secretary": also India's) does not tell whose page it is
        if office is not None and not office[1]:
            return Entity(name=name, kind="person"), office[0]
    return None


def label_party(line: str, lexicon: Lexicon) -> Entity | None:
    """The party an unnamed speaker's turn label names: "SENIOR STATE DEPARTMENT OFFICIAL
    ONE:" speaks for the United States, as "State Department" does in running text."""
    match = _TURN.match(line)
    if not match:
        return None
    label = match.group("label").title()
    return next(
        (
            lex.party
            for _, _, lex in lexicon.find(label)
            if lex.party and lex.entity.kind != "person"
        ),
        None,
    )


def turn_label(line: str) -> str | None:
    """The surname in a transcript turn label ("SECRETARY KERRY: ..." -> "Kerry")."""
    match = _TURN.match(line)
    if not match:
        return None
    words = match.group("label").split()
    return words[-1].capitalize() if words else None
