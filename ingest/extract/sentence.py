"""One analysed sentence: its mentions, clauses, and the subject/object finders.

The rules are positional, in the spirit of event coders such as PETRARCH but without a
parser: the *subject* is the first party-denoting mention of the trigger's clause that is
not governed by a preposition (plus parties coordinated with it), the *object* the first
party after the trigger. When the clause has no subject (a relative clause, "which backs
..."), the nearest party before the clause is used; failing that, the sentence subject.
Every fallback lowers the candidate's confidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from diplograph.ingest.extract.clauses import DATELINE_PREFIX, clauses, relative_asides
from diplograph.ingest.extract.mentions import Mention
from diplograph.ingest.facts import Entity, Fact

_RELATIVE = re.compile(r"^\W*(?:which|who|whose)\b", re.IGNORECASE)
#: between a relative aside and the main verb: "who chairs ECOWAS, | also | met"
_AFTER_ASIDE = re.compile(r"\s+(?:\w+ly\s+|also\s+)?")
_COORD_GAP = re.compile(r"^(?:\s*,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+|\s*/\s*|-)(?:the\s+)?$")
_ORGAN_AFTER = re.compile(
    r"['’]s?\s+(?:\w+\s+){0,2}?(?:government|president|prime\s+minister|foreign\s+minister"
    r"|minister|ministry|leader|leaders|officials|authorities|military|army|navy|forces|troops"
    r"|ambassador|embassy|king|regime|parliament|cabinet|spokes\w+|envoy|delegation|state"
    r"|official|adviser|advisor|negotiator|diplomat|representative|junta|administration"
    r"|foreign\s+office|foreign\s+secretary|defen[cs]e\s+(?:minister|ministry|secretary))\b",
    re.IGNORECASE,
)
DESTINATION_PREPS = (
    "in",
    "at",
    "to",
    "into",
    "visit",
    "visited",
    "visiting",
    None,
    "reach",
    "reached",
)
SAID_AFTER = re.compile(r"\s+(?:said|says|told|added|noted|stated)\b")


@dataclass(slots=True)
class Candidate:
    """A fact before assembly: arguments plus where in the sentence it was found."""

    type: str
    actor: Entity | None
    target: Entity | None
    trigger: tuple[int, int]
    clause: tuple[int, int]
    confidence: float
    place: Entity | None = None
    participants: list[Entity] = field(default_factory=list)
    forced_status: str | None = None
    forced_negated: bool | None = None
    scene: bool = False  # a protest: the date may come from the scene set earlier
    silent: bool = False  # only sets the scene (date); not a fact itself
    reported_by: str | None = None  # a third party whose claim this is
    #: an aside that tells no time of its own ("..., a charge denied by Rabat"): the
    #: sentence's date is the main event's, and no default date applies
    untimed: bool = False


@dataclass(slots=True)
class Discourse:
    """Article-level memory the frames may consult: earlier subjects, the state the last
    sentence set its scene in ("a meeting in Fiji"), the protest scene, the trip's leg, the
    acts found so far."""

    subjects: list[Entity] = field(default_factory=list)
    scene: Entity | None = None
    protest_place: Entity | None = None
    protest_actor: Entity | None = None
    protest_date: str | None = None
    #: the leg of a trip the last dated planned visit opened: (visitor, date of its events)
    leg: tuple[Entity, str] | None = None
    #: the facts found so far, latest last: "criticised the exercise" names one of them
    acts: list[Fact] = field(default_factory=list)

    def set_scene(self, mentions: list[Mention]) -> None:
        """After a sentence: the state of the last place it set something in or at."""
        self.scene = next(
            (m.host for m in reversed(mentions) if m.place is not None and m.prep in ("in", "at")),
            None,
        )


class Sentence:
    """One sentence with its mentions and clause spans, and the argument finders."""

    def __init__(self, text: str, mentions: list[Mention], home: Entity | None):
        self.text = text
        self.mentions = mentions
        # who speaks: the quoted speaker of '"...," X said', else the publishing government
        self.speaker = (
            next((m.party for m in mentions if m.source == "pronoun" and m.parties), None) or home
        )
        self.home = home
        self.spans = clauses(text)
        dateline = DATELINE_PREFIX.match(text)
        self.body_start = dateline.end() if dateline else 0

    # ------------------------------------------------------------------ helpers
    def parties_in(self, lo: int, hi: int) -> list[Mention]:
        return [m for m in self.mentions if m.parties and lo <= m.start and m.end <= hi]

    def subject(self, clause: tuple[int, int], trigger_start: int) -> tuple[list[Mention], float]:
        """Subject mentions of the trigger's clause, or a fallback with lower confidence."""
        cs, _ = clause
        if any(
            start == cs and _AFTER_ASIDE.fullmatch(self.text, end, trigger_start)
            for start, end in relative_asides(self.text)
        ):
            # "Tinubu, who chairs ECOWAS, met ...": the aside closed before the trigger, whose
            # subject is what the aside hangs on
            before = [m for m in self.mentions if m.parties and m.end <= cs]
            if before and cs - before[-1].end <= 3:
                return [before[-1]], 0.9
        found = self._subject_between(cs, trigger_start)
        if found:
            return found, 1.0
        if _RELATIVE.match(self.text[cs:]):
            before = [m for m in self.mentions if m.parties and m.end <= cs]
            if before and cs - before[-1].end <= 3:
                return [before[-1]], 0.85
            return [], 0.0
        found = self._subject_between(self.body_start, trigger_start)
        if found:
            return found, 0.8
        return [], 0.0

    def _subject_between(self, lo: int, hi: int) -> list[Mention]:
        candidates = [
            m
            for m in self.mentions
            if lo <= m.start
            and m.end <= hi
            and m.parties
            and (m.prep is None or (m.prep == "and" and not self.text[lo : m.start].strip()))
            and not self.possessive_of_thing(m)
        ]
        if not candidates:
            return []
        first = candidates[0]
        group = [first]
        for m in self.mentions:
            if m.start < group[-1].end or m.end > hi or not m.parties:
                continue
            gap = self.text[group[-1].end : m.start]
            if _COORD_GAP.match(gap) or (
                group[-1].possessive and m.source == "person" and len(gap) <= 4
            ):
                group.append(m)
            else:
                break
        return group

    def possessive_of_thing(self, m: Mention) -> bool:
        """ "Taiwan's allies", "Israel's Ratio Petroleum": the possessor is not the subject."""
        if not m.possessive:
            return False
        follows = [x for x in self.mentions if x.start >= m.end]
        if follows and follows[0].start - m.end <= 4:
            return follows[0].source != "person"
        return not _ORGAN_AFTER.match(self.text, m.end)

    def objects(
        self,
        start: int,
        end: int,
        exclude: set[Entity],
        *,
        allowed_preps: set | None = None,
        persons: bool = False,
    ) -> list[Mention]:
        """The first party mention after ``start`` (and parties coordinated with it); with
        ``persons``, a person whose state is unknown counts too."""
        group: list[Mention] = []
        for m in self.mentions:
            if m.start < start or m.end > end:
                continue
            if not m.parties and not (persons and m.person is not None and not group):
                continue
            if m.source == "person" and SAID_AFTER.match(self.text, m.end):
                continue  # '..., White said': the speaker, not an object
            if not group:
                if m.parties and all(p in exclude for p in m.parties):
                    continue
                if m.possessive and any(
                    0 <= x.start - m.end <= 4 and x.parties for x in self.mentions
                ):
                    continue  # "the Western Sahara's Polisario Front": the front is meant
                if allowed_preps is not None and m.prep not in allowed_preps:
                    continue
                group.append(m)
                continue
            gap = self.text[group[-1].end : m.start]
            if _COORD_GAP.match(gap) and not all(p in exclude for p in m.parties):
                group.append(m)
            elif group[-1].possessive and m.source == "person":
                continue
            else:
                break
        return group

    def persons_in(self, lo: int, hi: int) -> list[Mention]:
        return [m for m in self.mentions if m.person is not None and lo <= m.start < hi]

    def place_after(self, start: int, end: int, preps: tuple = DESTINATION_PREPS) -> Mention | None:
        for m in self.mentions:
            if start <= m.start and m.end <= end and m.place is not None and m.prep in preps:
                return m
        return None


def parties_of(ms: list[Mention]) -> list[Entity]:
    out: list[Entity] = []
    for m in ms:
        for p in m.parties:
            if p not in out:
                out.append(p)
    return out


def city_of(m: Mention | None) -> Entity | None:
    if m is None or m.place is None:
        return None
    return m.place if m.place.kind in ("city", "territory") else None
