"""The extraction pipeline: sentences -> mentions -> triggers -> candidates -> facts."""

from __future__ import annotations

import re

from diplograph.ingest.extract.arguments import candidates_for
from diplograph.ingest.extract.assemble import Report, build_fact, merge
from diplograph.ingest.extract.dates import dateline, full_dates, parse_iso
from diplograph.ingest.extract.derive import derive
from diplograph.ingest.extract.lexicon import default_lexicon
from diplograph.ingest.extract.mentions import DocumentContext, detect_home, find_mentions
from diplograph.ingest.extract.persons import introduce, surname_of
from diplograph.ingest.extract.sentence import Discourse, Sentence
from diplograph.ingest.extract.speakers import header_official, label_party, turn_label
from diplograph.ingest.extract.text import (
    MAX_CHARS,
    looks_binary,
    publication_date_from_text,
    split_sentences,
)
from diplograph.ingest.extract.triggers import TRIGGERS
from diplograph.ingest.facts import Entity, Fact, check_article_id

# The home state is read from the page head (mastheads, datelines, the first paragraph).
_HOME_SENTENCES = 8
# A header dateline stands in for a missing publication date (the page speaks from it).
_HEADER_LINES = 10


_RELEASE = re.compile(
    r"\b(?:press\s+(?:releases?|statements?|briefings?)|statements?|readouts?|remarks"
    r"|briefings?|media\s+notes?|fact\s+sheets?|news\s+stor(?:y|ies)|government\s+responses?"
    r"|speech(?:es)?|transcripts?|communiqu[eé]s?)\b",
    re.IGNORECASE,
)
_QUOTED = re.compile(r"[\"“][^\"“”]{0,2000}[\"”]")
_FIRST_PERSON = re.compile(r"\b(?:we|We|our|Our|us)\b")


def _speaks_in_first_person(text: str) -> bool:
    return bool(_FIRST_PERSON.search(_QUOTED.sub(" ", text[:MAX_CHARS])))


def extract(text: str, *, article_id: str, published: str | None = None) -> list[Fact]:
    """Facts found in ``text``; [] when there are none. See the package docstring."""
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    check_article_id(article_id)
    if not text.strip() or looks_binary(text):
        return []
    pub = parse_iso(published) or parse_iso(publication_date_from_text(text))
    sentences = split_sentences(text)
    if not sentences:
        return []
    if pub is None:
        pub = dateline([s.text for s in sentences[:_HEADER_LINES]])
    anchors = full_dates(text[:MAX_CHARS]) if pub is None else ()
    lexicon = default_lexicon()
    head = [s.text for s in sentences[:_HOME_SENTENCES]]
    # A government organ in the page head makes it the speaker only of an official text: one
    # that calls itself a release, statement, readout ... or speaks in the first person
    # outside quotations; a wire story mentioning the State Department is not its voice.
    official_text = _speaks_in_first_person(text) or any(_RELEASE.search(line) for line in head[:3])
    home = detect_home(head, lexicon) if official_text else None
    context = DocumentContext(
        lexicon,
        home=home,
        published=pub,
        document=text[:MAX_CHARS],
        sentences=tuple(s.text for s in sentences),
    )
    official = header_official(head)
    if official is not None:
        # "John Kerry / Secretary of State": the page speaks for the official's state
        person, state = official
        party = lexicon.party(state)
        surname = surname_of(person.name)
        context.persons[surname] = (introduce(person.name, context)[0], party)
        context.explicit.add(surname)
        context.home = context.home or party
    for sentence in sentences:  # first pass: learn persons and their states
        context.remember(find_mentions(sentence.text, context))
    context.reset_discourse()
    discourse = Discourse()
    found: list[Report] = []
    host_of: dict[Entity, Entity] = {}
    for sentence in sentences:
        label = turn_label(sentence.text)
        if label is not None:
            known = context.persons.get(label)
            party = known[1] if known else label_party(sentence.text, context.lexicon)
            context.turn = (True, party)
        mentions = find_mentions(sentence.text, context)
        discourse.subjects = context.subjects
        analysed = Sentence(sentence.text, mentions, context.home)
        for trigger in TRIGGERS:
            for match in trigger.pattern.finditer(sentence.text):
                for candidate in candidates_for(trigger, match, analysed, discourse):
                    built = build_fact(
                        candidate,
                        sentence,
                        article_id=article_id,
                        published=pub,
                        anchors=anchors,
                        discourse=discourse,
                    )
                    if built is not None:
                        found.append(built)
                        discourse.acts.append(built.fact)
        for m in mentions:
            if m.place is not None and m.place.kind == "city" and m.host is not None:
                host_of[m.place] = m.host
        discourse.set_scene(mentions)
        context.remember(mentions)
    stated = merge(found)
    # derived facts never override what the text states about the same event
    return [report.fact for report in merge(stated + derive(stated, host_of))]
