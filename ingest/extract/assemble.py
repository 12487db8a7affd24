"""From trigger matches to facts: modality, dates, evidence offsets, confidence, dedup."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import NamedTuple

from diplograph.ingest.extract import modality
from diplograph.ingest.extract.clauses import (
    DATELINE_PREFIX,
    clause_of,
    clauses,
    displaced,
    relative_asides,
)
from diplograph.ingest.extract.dates import find_dates
from diplograph.ingest.extract.persons import surname_of
from diplograph.ingest.extract.sentence import Candidate, Discourse
from diplograph.ingest.extract.text import Sentence
from diplograph.ingest.facts import SYMMETRIC_TYPES, Entity, Fact

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Report(NamedTuple):
    """One report of an event, with what merging needs to know beyond the fact itself."""

    fact: Fact
    #: the date is stated in the text, not a publication-date default
    explicit: bool
    #: implied by another fact (``derive``), not stated: never replaces a stated report
    derived: bool = False


# Evidence longer than this is cut to the trigger's clause (the fact format allows 5000).
MAX_EVIDENCE = 600


def build_fact(
    candidate: Candidate,
    sentence: Sentence,
    *,
    article_id: str,
    published: dt.date | None,
    anchors: tuple[dt.date, ...],
    discourse: Discourse | None = None,
) -> Report | None:
    """Turn one candidate into a report of its Fact; None when the evidence would be empty."""
    text = sentence.text
    cs, ce = candidate.clause
    ts, te = candidate.trigger
    mod = modality.analyse(candidate.type, text[cs:ts], text[ts:te], text[te:ce], text)
    status = candidate.forced_status or mod.status
    if status == "occurred" and _upcoming(text, candidate, published, anchors):
        status = "planned"  # "we have a meeting in July" (said in early July)
    attributed_to = _label(mod.attributed_to or candidate.reported_by)
    negated = mod.negated if candidate.forced_negated is None else candidate.forced_negated
    future = status == "planned" or bool(modality.FUTURE.search(text[cs:ts]))
    date = (
        None
        if candidate.untimed
        else _pick_date(text, candidate, published, anchors, future=future)
    )
    if candidate.scene and discourse is not None:
        # a protest scene keeps its date across sentences ("Later, many protesters moved")
        if date is None:
            date = discourse.protest_date
        else:
            discourse.protest_date = date
    if discourse is not None:
        date = _on_the_leg(candidate, text, date, status, published, anchors, discourse)
    if candidate.silent:
        return None
    explicit = date is not None
    if date is None and not negated and not candidate.untimed:
        date = _default_date(text, candidate, published, status)
    start, end = sentence.start, sentence.end
    if end - start > MAX_EVIDENCE:
        start, end = sentence.start + cs, sentence.start + ce
        if end - start > MAX_EVIDENCE:
            start = sentence.start + max(cs, ts - 250)
            end = min(sentence.start + ce, start + MAX_EVIDENCE)
    # the fact format forbids control characters: keep the run around the trigger
    for bad in _CONTROL.finditer(text, start - sentence.start, end - sentence.start):
        where = sentence.start + bad.start()
        if where < sentence.start + ts:
            start = where + 1
        elif where >= sentence.start + te:
            end = where
            break
        else:
            return None
    evidence_text = text[start - sentence.start : end - sentence.start]
    stripped = evidence_text.strip()
    if not stripped:
        return None
    lead = len(evidence_text) - len(evidence_text.lstrip())
    start += lead
    end = start + len(stripped)
    confidence = candidate.confidence
    if negated:
        confidence *= 0.9
    if attributed_to:
        confidence *= 0.9
    fact = Fact(
        article=article_id,
        type=candidate.type,
        actor=candidate.actor,
        target=candidate.target,
        evidence=stripped,
        participants=tuple(candidate.participants),
        place=candidate.place,
        date=date,
        negated=negated,
        attributed_to=attributed_to,
        status=status,
        evidence_start=start,
        evidence_end=end,
        confidence=round(max(0.05, min(1.0, confidence)), 3),
    )
    return Report(fact, explicit)


def _on_the_leg(
    candidate: Candidate,
    text: str,
    date: str | None,
    status: str,
    published: dt.date | None,
    anchors: tuple[dt.date, ...],
    discourse: Discourse,
) -> str | None:
    """A trip announced leg by leg ("will travel to Seoul from April 16 to April 17. She
    will meet with President Lee ..."): a dated planned visit opens a leg, and a planned
    meeting of the visitor announced after it without a date of its own takes the leg's
    date: its day, or its month when the leg spans several days. A visit without a date
    closes the leg. Only plans: an account of a trip that took place dates its meetings
    less tidily ("met Hague while in London" on a three-day state visit)."""
    if candidate.type == "official_visit":
        discourse.leg = None
    if status != "planned":
        return date
    if candidate.type == "official_visit" and date is not None and candidate.actor is not None:
        cs, ce = candidate.clause
        days = {
            d.value
            for d in find_dates(text, published, future=True, anchors=anchors)
            if d.value and len(d.value) == 10 and cs <= d.start < ce
        }
        span = date[:7] if len(days) > 1 and len(date) == 10 else date
        discourse.leg = (candidate.actor, span)
    elif candidate.type == "meeting" and date is None and discourse.leg is not None:
        visitor, span = discourse.leg
        if visitor in (candidate.actor, candidate.target):
            return span
    return date


# A present tense around the trigger, or a present-tense trigger ("we have a meeting ...",
# "the summit is in ...", "Kerry meets Lavrov ..."), without a past or perfect form; the
# participles of planning ("a scheduled meeting") are no past.
_PRESENT_TENSE = re.compile(
    r"\b(?:have|has|is|are|am|(?:meet|hold|host|visit|travel|head|sign|begin|start|open)s?"
    r"|takes?\s+place)\b",
    re.IGNORECASE,
)
#: a word before "visit", "meets", "signs" ... that makes it a noun: "Putin's first visit"
_NOUN_BEFORE = re.compile(
    r"(?:\b(?:a|an|the|his|her|its|their|our|this|that|first|second|last|next|state|official"
    r"|working|formal|historic|surprise|[\w-]+-day)|['’]s?)\s+$",
    re.IGNORECASE,
)


def _present_tense(window: str) -> bool:
    """A present-tense verb in ``window`` ("meets", "is"), not a noun ("a state visit")."""
    return any(
        not _NOUN_BEFORE.search(window, 0, m.start()) for m in _PRESENT_TENSE.finditer(window)
    )


_PAST_FORM = re.compile(
    r"\b(?!(?:scheduled|planned|expected|proposed|anticipated)\b)(?:[a-z]+ed|met|held|sent"
    r"|signed|took|made|said|told|went|flew|spoke|began|begun|led|won|was|were|had|did|been"
    r"|gone|done|seen|taken|given|gave|written|spoken|broken|drawn|withdrawn|shown|known"
    r"|brought|kept|left|struck|chosen|thrown|flown)\b"
)


def _upcoming(
    text: str, candidate: Candidate, published: dt.date | None, anchors: tuple[dt.date, ...]
) -> bool:
    """A present-tense event dated after the publication date is a scheduled one: "we have
    a meeting with Russia in July" (said on 2 July), "Kerry meets Lavrov on July 20"."""
    if published is None:
        return False
    cs, ce = candidate.clause
    ts, te = candidate.trigger
    tense = text[max(cs, ts - 60) : min(ce, te + 25)]
    if not _present_tense(tense) or _PAST_FORM.search(tense):
        return False
    ahead = _pick_date(text, candidate, published, anchors, future=True)
    behind = _pick_date(text, candidate, published, anchors, future=False)
    if ahead is None:
        return False
    # a date without a year read forward must stay in the publication year, or the text
    # may as well mean a past day ("meets ... on July 1", published on July 2)
    if ahead != behind and not ahead.startswith(f"{published.year:04d}"):
        return False
    return _after(ahead, published)


def _after(value: str, published: dt.date) -> bool:
    """Whether a date of any precision lies after the publication date (a month when it is
    the month of publication or a later one)."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        return dt.date(*parts) > published
    if len(parts) == 2:
        return (parts[0], parts[1]) >= (published.year, published.month)
    return parts[0] > published.year


def _label(text: str | None) -> str | None:
    """Free text taken from the article (a claimant) made safe for the fact format."""
    if text is None:
        return None
    cleaned = " ".join(_CONTROL.sub(" ", text).split())[:300]
    return cleaned or None


_REPORTED_ON = re.compile(
    r"\b(?:said|says|told\s+[\w ]{1,30}?|added|stated|announced|confirmed)\s+(?:on\s+)?$",
    re.IGNORECASE,
)


def _pick_date(
    text: str,
    candidate: Candidate,
    published: dt.date | None,
    anchors: tuple[dt.date, ...],
    *,
    future: bool,
) -> str | None:
    """The date expression of the trigger's clause nearest to the trigger, else the
    sentence's only date, else None."""
    cs, ce = candidate.clause
    ts, te = candidate.trigger
    # the filing date of a wire story ("BERLIN, April 13 -") is no date of a plan
    opening = DATELINE_PREFIX.match(text)
    dateline = opening.end() if opening else 0
    asides = relative_asides(text)
    mentions = [
        d
        for d in find_dates(text, published, future=future, anchors=anchors)
        if not _since_without_when(text, d.start, d.end)
        # a plan "Germany will deliver ..., the minister said on Saturday": that Saturday
        # dates the statement, not the delivery (read forward it became next Saturday)
        and not (future and (_REPORTED_ON.search(text, 0, d.start) or d.end <= dateline))
        # "the 40th anniversary of diplomatic relations" dates the relations only
        and (d.kind != "anniversary" or d.start <= ts <= d.end + 40)
        # "Algeria, which cut ties with Rabat in August, condemned the deal": the aside's
        # date is the aside's
        and not any(start <= d.start < end and not start <= ts < end for start, end in asides)
    ]
    if not mentions:
        return None
    in_clause = [
        d
        for d in mentions
        if cs <= d.start and d.end <= ce and not _other_event_between(text, d, ts, te)
    ]
    if not in_clause:
        # a sentence with a single date dates its events ("..., Nov. 22, 2024" captions),
        # unless a span of time sets one of them apart ("on Tuesday, days after X met Y")
        values = {d.value for d in mentions}
        if len(values) != 1 or any(_other_event_between(text, d, ts, te) for d in mentions):
            return None
        spans = clauses(text)
        if displaced(text, (cs, ce)) or any(
            displaced(text, clause_of(spans, d.start)) for d in mentions
        ):
            return None
        in_clause = mentions
    # "recognized Beijing in 2002 and restored relations with Taipei three years later": an
    # offset after the trigger, counted from a date before it (the other event's), is this
    # event's date; "recognized" itself keeps 2002
    offsets = [
        d
        for d in in_clause
        if d.kind == "offset"
        and d.value
        and d.start >= te
        and d.anchor is not None
        and d.anchor < ts
    ]
    if offsets:
        return offsets[0].value
    best = min(in_clause, key=lambda d: abs(d.start - ts) if d.start < ts else abs(d.start - te))
    return best.value


_OTHER_EVENT = re.compile(
    r"\b(?:then|based|agreed|signed|launched|adopted|introduced|elected"
    r")\b",
    re.IGNORECASE,
)


def _other_event_between(text: str, date, ts: int, te: int) -> bool:
    """A date separated from the trigger by another event's verb dates that event:
    "committed to enhance cooperation based on the plan agreed upon in October"."""
    between = text[te : date.start] if date.start >= te else text[date.end : ts]
    return bool(_OTHER_EVENT.search(between))


_PRESENT = re.compile(
    r"\b(?:is|are|am|has|have|stands?|welcomes?|hosts?|remains?|says?|announces?|meets?"
    r"|signs?|visits?|recogni[sz]es?|reaffirms?|condemns?|accuses?|denies|rejects?|marks?"
    # headline verbs: "Niger orders French ambassador to leave"
    r"|orders|expels|recalls|imposes|severs|suspends|cuts)\b",
    re.IGNORECASE,
)
_PAST = re.compile(
    r"\b(?:was|were|had|did|\w+ed|met|held|sent|signed|cut|broke|took|made|said|told|went"
    r"|flew|spoke|began|led|won)\b",
    re.IGNORECASE,
)


_NOT_TODAY = re.compile(
    r"\b(?:previously|formerly|once|long|since|for\s+decades|ago|after|before"
    # "the first visit since 1945" is background; "this marks the first visit" is today's
    r"|earlier|later|(?<!marks\sthe\s)(?<!is\sthe\s)first|then|return"
    # a time told earlier in the article: "expelled each other's ambassadors that year"
    r"|that\s+(?:year|month|week|day|summer|winter|spring|autumn)|recently"
    r"|in\s+(?:recent|past)\s+(?:days|weeks|months|years)"
    r"|the\s+(?:same|following|previous|next)\s+(?:year|month|week|day))\b",
    re.IGNORECASE,
)


def _default_date(
    text: str, candidate: Candidate, published: dt.date | None, status: str
) -> str | None:
    """A sentence without a date expression reports news of the day: a present or present
    perfect event happened on the publication date; a past event in the month of
    publication. Background states (ongoing, stance, alleged) stay undated."""
    if published is None or status in ("alleged", "cancelled", "planned"):
        return None
    if status == "ongoing" and candidate.type != "official_visit":
        return None  # a standing relationship has no date; a visit in progress is today's
    cs, ce = candidate.clause
    ts, te = candidate.trigger
    window = text[max(cs, ts - 60) : min(ce, te + 10)]
    # a time word next to the trigger makes its event a background one; one further on
    # belongs to another ("is in Vietnam ... on a trip that previously took him to ...")
    if _NOT_TODAY.search(text, max(cs, ts - 60), min(ce, te + 40)):
        return None
    if _PRESENT.search(window) and not re.search(r"\b(?:was|were|had)\b", window, re.I):
        return published.isoformat()
    if _PAST.search(window):
        return f"{published.year:04d}-{published.month:02d}"
    return None


def _since_without_when(text: str, start: int, end: int) -> bool:
    """ "the first visit since 1945" dates nothing; "since 1980, when it ..." does."""
    if not text[start:end].lower().startswith("since"):
        return False
    return not text[end : end + 8].lstrip(", ").lower().startswith("when")


def merge(found: list[Report]) -> list[Report]:
    """Collapse repeated reports of one event; keep distinct events apart.

    Two reports are one event when type, parties (either order for symmetric types) and
    negation agree, they are not two stages of an event (planned, announced, occurred),
    their stated dates do not conflict (a default publication date conflicts with
    nothing; a derived report conflicts only with a date outside its own) and they do not
    name wholly different persons acting for one party: news repeats an event in the
    headline, the caption and the body, and a distinct second event of the same kind
    between the same parties usually carries its own date, its own officials or its own
    status ("we met today ... we have another meeting in July"). The kept report is a
    stated one, then one with a stated date, then a dated one, then the clearly more
    confident one, then the earlier one; it takes the participants of all the reports
    and, when it names no place or no stated date, the first one another report names.
    """
    kept: list[Report] = []
    reports: list[list[Report]] = []
    for report in found:
        for i, other in enumerate(kept):
            if _same_event(report, other):
                if _better(report, other):
                    kept[i] = report
                reports[i].append(report)
                break
        else:
            kept.append(report)
            reports.append([report])
    return [_combined(report, group) for report, group in zip(kept, reports, strict=True)]


def _combined(kept: Report, reports: list[Report]) -> Report:
    """The kept report with the participants of every report of its event (a surname adds
    nobody already named in full), if it has none, the first place a report names, and,
    if its date is not stated, the first date another report states (a stated headline
    kept over the body's derived report dated "on Tuesday")."""
    fact = kept.fact
    participants = list(fact.participants)
    for report in reports:
        for person in report.fact.participants:
            _add_person(participants, person)
    place = fact.place
    if place is None:
        place = next((r.fact.place for r in reports if r.fact.place is not None), None)
    date, explicit = fact.date, kept.explicit
    if not explicit:
        stated = next((r for r in reports if r.explicit and r.fact.date), None)
        if stated is not None:
            date, explicit = stated.fact.date, True
    if (place, tuple(participants), date) == (fact.place, fact.participants, fact.date):
        return kept._replace(explicit=explicit)
    combined = dataclasses.replace(fact, participants=tuple(participants), place=place, date=date)
    return kept._replace(fact=combined, explicit=explicit)


def _add_person(people: list[Entity], person: Entity) -> None:
    """Add ``person`` unless named already; a full name replaces a bare surname of it."""
    if person.kind != "person":
        if person not in people:
            people.append(person)
        return
    for i, known in enumerate(people):
        if known.kind != "person" or surname_of(known.name) != surname_of(person.name):
            continue
        if len(person.name.split()) > len(known.name.split()) and known.wikidata is None:
            people[i] = person  # "Lavrov" -> "Sergey Lavrov"
        return
    people.append(person)


#: Stages of events that news tells apart: what is planned or announced is not what occurred
#: ("announced it was switching ties to China" beside "recognized Beijing in 2002").
_STAGES = frozenset(("planned", "announced", "occurred"))


def _same_event(first: Report, second: Report) -> bool:
    a, b = first.fact, second.fact
    if a.type != b.type or a.negated != b.negated:
        return False
    if a.status != b.status and {a.status, b.status} <= _STAGES:
        return False  # "will sign a memorandum" is not the treaty signed last year
    same_order = a.actor == b.actor and a.target == b.target
    swapped = a.type in SYMMETRIC_TYPES and a.actor == b.target and a.target == b.actor
    if not (same_order or swapped):
        return False
    if _dates_conflict(first, second):
        return False
    return not any(_other_persons(a, b, party) for party in (a.actor, a.target) if party)


def _dates_conflict(first: Report, second: Report) -> bool:
    """Whether two stated dates set the reports apart. A derived report's date is the one
    of the fact it comes from, so it conflicts only when the two share no day: a visit
    implied by a meeting "in May" is the stated visit "on May 24"."""
    a, b = first.fact.date, second.fact.date
    if not (first.explicit and second.explicit and a and b and a != b):
        return False
    if first.derived or second.derived:
        return not (a.startswith(b) or b.startswith(a))
    return True


def _other_persons(a: Fact, b: Fact, party: Entity) -> bool:
    """Whether both reports name who acted for ``party`` and name nobody in common: the
    Secretary's meeting with a president and his adviser's are two meetings."""
    names_a = {surname_of(p.name) for p in a.participants if p.acting_for == party}
    names_b = {surname_of(p.name) for p in b.participants if p.acting_for == party}
    return bool(names_a and names_b and not names_a & names_b)


def _better(a: Report, b: Report) -> bool:
    """Whether a later duplicate ``a`` should replace the kept ``b``: only when it is stated
    and ``b`` derived, or its date is stated and ``b``'s is not, or it is dated and ``b`` is
    not, or clearly more confident."""
    if a.derived != b.derived:
        return b.derived
    if a.explicit != b.explicit:
        return a.explicit
    if (a.fact.date is None) != (b.fact.date is None):
        return a.fact.date is not None
    return (a.fact.confidence or 0) > (b.fact.confidence or 0) + 0.15
