"""Facts implied by other facts, following the annotation conventions.

* A concluded, agreed or planned *defence* agreement is also ``military_cooperation`` with
  the same parties and status (the devset's second-annotator convention).
* A meeting held in a city of a third state places each foreign party there: an
  ``official_visit`` of that party to the host state ("met ... in London").
"""

from __future__ import annotations

import dataclasses
import re

from diplograph.ingest.extract.assemble import Report
from diplograph.ingest.facts import Entity, Fact

_DEFENCE = re.compile(
    r"\b(?:defen[cs]e|military|security)\s+(?:[\w-]+\s+){0,2}?(?:cooperation|co-operation"
    r"|agreements?|treaty|framework|pact|guidelines|logistics|relations|equipment|plan|alliance)"
    r"|\bmutual\s+defen[cs]e|\bdefen[cs]e\s+logistics"
    # the agreements that let one state's forces into another's territory
    r"|\b(?:status[-\s]+of[-\s]+forces|visiting\s+forces|reciprocal\s+access)\s+agreements?"
    r"|\b(?:troops|forces|soldiers)\s+to\s+(?:train|be\s+stationed|deploy)\b"
    r"|\b(?:base|port)\s+access\b",
    re.IGNORECASE,
)


def derive(reports: list[Report], host_of: dict[Entity, Entity]) -> list[Report]:
    """The reports implied by ``reports``, dated as their source is; ``host_of`` maps a city
    to the state it lies in."""
    return [
        Report(fact, explicit=report.explicit, derived=True)
        for report in reports
        for fact in _implied(report.fact, host_of)
    ]


def _implied(fact: Fact, host_of: dict[Entity, Entity]) -> list[Fact]:
    derived: list[Fact] = []
    if fact.type == "agreement_signing" and _DEFENCE.search(fact.evidence):
        derived.append(
            dataclasses.replace(
                fact, type="military_cooperation", confidence=_lower(fact.confidence, 0.9)
            )
        )
    if fact.type == "meeting" and fact.place is not None and not fact.negated:
        host = fact.place if fact.place.kind == "country" else host_of.get(fact.place)
        if host is None or host not in (fact.actor, fact.target):
            return derived  # a summit abroad: the host is not a party, no bilateral visit
        for guest in (fact.actor, fact.target):
            if guest is None or guest == host or guest.kind != "country":
                continue
            derived.append(
                dataclasses.replace(
                    fact,
                    type="official_visit",
                    actor=guest,
                    target=host,
                    participants=(),
                    status="ongoing" if fact.status == "ongoing" else fact.status,
                    confidence=_lower(fact.confidence, 0.8),
                )
            )
    return derived


def _lower(confidence: float | None, factor: float) -> float | None:
    return None if confidence is None else round(confidence * factor, 3)
