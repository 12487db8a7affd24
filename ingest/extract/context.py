"""What a mention is, and what the article has taught us so far.

A :class:`Mention` says which *parties* (states, organisations, movements, companies) a span
of text stands for, and, separately, which *place* or *person* it names: "Rabat" is the
city of Rabat as a place and Morocco as a party; "Defence Minister Benny Gantz" is a person
acting for Israel. Which reading applies is decided by the event rules, which see the
preposition in front of the mention (``prep``).

:class:`DocumentContext` carries what earlier sentences taught us: persons by surname (for
"Gantz" after "Defence Minister Benny Gantz") and by their full names (so that "Clinton"
and "Hillary Rodham Clinton" are one person), the recently mentioned parties (for "the two
countries", "the North African kingdom") and the *home* party of a government text (the
state whose organ published it, for "we" and "our").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from diplograph.ingest.extract.lexicon import Lexicon
from diplograph.ingest.facts import Entity


@dataclass(slots=True)
class Mention:
    """A span of a sentence (offsets relative to the sentence) and what it refers to."""

    start: int
    end: int
    parties: tuple[Entity, ...]
    source: str
    place: Entity | None = None
    person: Entity | None = None
    prep: str | None = None
    possessive: bool = False
    confidence: float = 1.0
    nation: Entity | None = None  # the state a demonym names, even when not a party

    @property
    def party(self) -> Entity | None:
        return self.parties[0] if self.parties else None

    @property
    def country(self) -> Entity | None:
        """The state a city mention lies in ("Istanbul": Turkey), party or not."""
        return self.place.located_in if self.place is not None else None

    @property
    def host(self) -> Entity | None:
        """The state an event at this place takes place in: the one a capital stands for,
        else the one a city lies in."""
        return self.party or self.country


@dataclass(slots=True)
class DocumentContext:
    """What earlier sentences of the article established."""

    lexicon: Lexicon
    home: Entity | None = None
    #: the publication date: which office-holder "President Lee" was depends on the year
    published: dt.date | None = None
    #: the whole article: the context that decides ambiguous names ("Congo" + "Brazzaville")
    document: str = ""
    persons: dict[str, tuple[Entity, Entity | None]] = field(default_factory=dict)
    explicit: set[str] = field(default_factory=set)
    #: the persons' names of two words or more the article introduces ("Hillary Rodham
    #: Clinton"), each with the person it names and the state the gazetteer says they act
    #: for: a shorter mention ("Clinton", "Hassan Sheikh") means the one such name it fits
    names: dict[str, tuple[Entity, Entity | None]] = field(default_factory=dict)
    #: those names by each of their (folded) words
    name_index: dict[str, list[str]] = field(default_factory=dict)
    roles: dict[str, tuple[Entity, Entity]] = field(default_factory=dict)
    recent: list[Entity] = field(default_factory=list)
    subjects: list[Entity] = field(default_factory=list)
    recent_persons: list[Entity] = field(default_factory=list)
    first_seen: dict[Entity, int] = field(default_factory=dict)
    last_person: Entity | None = None
    #: the state of the person the last sentence was about (its subject): "He" opening the
    #: next sentence goes on about them, not about whoever was named last
    subject_person: Entity | None = None
    #: whose embassy, whose ministry the article named last: "the embassy" is theirs
    organs: dict[str, Entity] = field(default_factory=dict)
    person_pairs: list[tuple[Entity, Entity]] = field(default_factory=list)
    # the speaker of the current transcript turn: (known, state); (False, None) outside turns
    turn: tuple[bool, Entity | None] = (False, None)
    # results of pure per-sentence functions, shared by the two passes over the article
    _memo: dict[tuple[Callable[[str], Any], str], Any] = field(default_factory=dict)
    #: the article's sentences (their gazetteer matches are memoised, see names_party)
    sentences: tuple[str, ...] = ()
    # the parties the article names anywhere, found when first asked (names_party)
    _named: frozenset[Entity] | None = None

    def find_names(self, sentence: str) -> Any:
        """Gazetteer matches in one sentence, ambiguous names decided by the whole article."""
        return self.lexicon.find(sentence, self.document)

    def names_party(self, party: Entity) -> bool:
        """Whether the article names ``party`` anywhere: by name, demonym, capital or an
        organ ("Downing Street"). Built once per article, when first asked, from the
        sentences' gazetteer matches, which the mention finder reuses (``memo``)."""
        if self._named is None:
            self._named = frozenset(
                lex.party
                for sentence in self.sentences
                for _s, _e, lex in self.memo(self.find_names, sentence)
                if lex.party is not None
            )
        return party in self._named

    def memo(self, function: Callable[[str], Any], sentence: str) -> Any:
        """``function(sentence)``, computed once per article."""
        key = (function, sentence)
        if key not in self._memo:
            self._memo[key] = function(sentence)
        return self._memo[key]

    def remember(self, mentions: list[Mention]) -> None:
        parties = [p for m in mentions for p in m.parties if m.source != "pronoun"]
        if parties:
            self.subjects.append(parties[0])
        for party in parties:
            if party in self.recent:
                self.recent.remove(party)
            self.recent.append(party)
        for party in parties:
            self.first_seen.setdefault(party, len(self.first_seen))
        people = [m.party for m in mentions if m.source == "person" and m.party is not None]
        distinct = list(dict.fromkeys(people))
        if len(distinct) >= 2:
            self.person_pairs.append((distinct[0], distinct[1]))
        opening = min(mentions, key=lambda m: m.start, default=None)
        if opening is not None and opening.source in ("person", "he") and opening.start <= 60:
            self.subject_person = opening.party
        elif parties:
            self.subject_person = None  # a state or an organisation opened the sentence
        for m in mentions:
            if m.source == "person" and m.party is not None:
                self.last_person = m.party
                if m.party in self.recent_persons:
                    self.recent_persons.remove(m.party)
                self.recent_persons.append(m.party)
        del self.recent[:-12]
        del self.subjects[:-6]
        del self.recent_persons[:-6]

    def reset_discourse(self) -> None:
        """Forget discourse state but keep what was learnt about persons (second pass)."""
        self.recent.clear()
        self.subjects.clear()
        self.recent_persons.clear()
        self.person_pairs.clear()
        self.first_seen.clear()
        self.last_person = None
        self.subject_person = None
        self.organs.clear()
