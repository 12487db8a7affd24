"""The fact model: Diplograph's JSON Lines interchange format for extracted event facts.

Everything in the pipeline speaks this format: the extractor writes it, `diplograph ingest`
reads it, the RDF mapping turns it into triples and `diplograph export facts` turns the
triples back into it. One JSON object per line; two kinds of line:

* a **fact** line (no ``record`` key, or ``"record": "fact"``) -- see :class:`Fact`;
* an **article** line (``"record": "article"``) with the article's metadata -- see
  :class:`Article`. It is optional; facts may name an article that has no such line.

Parsing is strict: unknown fields, wrong types and values outside the vocabularies are
errors that name the line and the field, so that bad input never reaches the graph.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TextIO

FACT_TYPES: tuple[str, ...] = (
    "official_visit",
    "meeting",
    "agreement_signing",
    "relations_established",
    "relations_severed",
    "recognition",
    "accusation",
    "support",
    "military_cooperation",
    "sanctions",
    "denial",
    "protest",
)
ENTITY_KINDS: tuple[str, ...] = (
    "country",
    "person",
    "organization",
    "city",
    "territory",
    "movement",
    "company",
)
#: Joint acts: the two parties did it together, in either order ("Chile and Peru met").
SYMMETRIC_TYPES: frozenset[str] = frozenset(
    ("meeting", "agreement_signing", "relations_established", "military_cooperation")
)
STATUSES: tuple[str, ...] = (
    "occurred",
    "announced",
    "agreed",
    "planned",
    "ongoing",
    "alleged",
    "cancelled",
    "stance",
)

DATE_PATTERN = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
QID_PATTERN = re.compile(r"^Q[1-9]\d*$")
#: What may be linked as a source URL: http(s) only (no javascript:, file:, data:), and no
#: character that is not allowed in an IRI.
HTTP_URL_PATTERN = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$", re.IGNORECASE)
ARTICLE_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._~-]{0,199}$")


class FactFormatError(ValueError):
    """A line of a facts file that does not follow the interchange format."""

    def __init__(self, message: str, *, source: str | None = None, line: int | None = None):
        self.message = message
        self.source = source
        self.line = line
        where = ""
        if source is not None:
            where = f"{source}:{line}: " if line is not None else f"{source}: "
        elif line is not None:
            where = f"line {line}: "
        super().__init__(where + message)


#: The kinds a person may act for: the parties of facts.
PARTY_KINDS: tuple[str, ...] = ("country", "organization", "territory", "movement", "company")
#: The kinds a city may lie in.
STATE_KINDS: tuple[str, ...] = ("country", "territory")


@dataclass(frozen=True, slots=True)
class Entity:
    """A party, person or place as the text names it, with a Wikidata QID when verified.

    ``acting_for`` is, for a person, the party the person acted for in the fact ("Foreign
    Minister Yair Lapid": Israel), when known. ``located_in`` is, for a city, the state or
    territory it lies in ("Istanbul": Turkey), so that events in a city are events in that
    state. Neither is part of the entity's identity: two mentions of one person are equal
    whoever they act for.
    """

    name: str
    kind: str
    wikidata: str | None = None
    acting_for: Entity | None = field(default=None, compare=False)
    located_in: Entity | None = field(default=None, compare=False)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name, "kind": self.kind, "wikidata": self.wikidata}
        if self.acting_for is not None:
            data["acting_for"] = self.acting_for.to_dict()
        if self.located_in is not None:
            data["located_in"] = self.located_in.to_dict()
        return data

    @classmethod
    def from_dict(cls, data: Any, where: str = "entity") -> Entity:
        if not isinstance(data, dict):
            raise FactFormatError(f"{where} must be an object {{name, kind, wikidata}}")
        _no_unknown_keys(data, {"name", "kind", "wikidata", "acting_for", "located_in"}, where)
        name = data.get("name")
        kind = data.get("kind")
        qid = data.get("wikidata")
        if not isinstance(name, str) or not name.strip():
            raise FactFormatError(f"{where}.name must be a non-empty string")
        _check_text(name, f"{where}.name", max_len=300)
        if kind not in ENTITY_KINDS:
            raise FactFormatError(
                f"{where}.kind must be one of {', '.join(ENTITY_KINDS)} (got {kind!r})"
            )
        if qid is not None and (not isinstance(qid, str) or not QID_PATTERN.match(qid)):
            raise FactFormatError(f"{where}.wikidata must be a QID like 'Q1028' or null")
        party = cls._related(
            data, "acting_for", where, ("person", "persons"), PARTY_KINDS, "a party"
        )
        state = cls._related(data, "located_in", where, ("city", "cities"), STATE_KINDS, "a state")
        return cls(name=name, kind=kind, wikidata=qid, acting_for=party, located_in=state)

    @classmethod
    def _related(
        cls,
        data: dict[str, Any],
        key: str,
        where: str,
        subject: tuple[str, str],
        kinds: tuple[str, ...],
        what: str,
    ) -> Entity | None:
        """The entity ``data[key]`` names (``acting_for``, ``located_in``), checked: only an
        entity of the ``subject`` kind has one, of one of ``kinds``, naming none itself."""
        if data.get(key) is None:
            return None
        kind, plural = subject
        if data["kind"] != kind:
            raise FactFormatError(f"{where}.{key} is for {plural} only (kind is {data['kind']})")
        related = cls.from_dict(data[key], f"{where}.{key}")
        if related.kind not in kinds or related.acting_for or related.located_in:
            raise FactFormatError(
                f"{where}.{key} must be {what} ({', '.join(kinds)}) naming no other entity "
                f"(got kind {related.kind!r})"
            )
        return related


@dataclass(frozen=True, slots=True)
class Article:
    """Metadata of a source article. ``published`` is an ISO date (YYYY-MM-DD) or None."""

    id: str
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    title: str | None = None
    licence: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"record": "article", "id": self.id}
        for key in ("url", "outlet", "published", "title", "licence"):
            value = getattr(self, key)
            if value is not None:
                data[key] = value
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        _no_unknown_keys(
            data, {"record", "id", "url", "outlet", "published", "title", "licence"}, "article"
        )
        article_id = data.get("id")
        check_article_id(article_id)
        values: dict[str, str | None] = {}
        for key in ("url", "outlet", "published", "title", "licence"):
            value = data.get(key)
            if value is not None and not isinstance(value, str):
                raise FactFormatError(f"article.{key} must be a string or null")
            if isinstance(value, str):
                _check_text(value, f"article.{key}", max_len=2000)
            values[key] = value
        url = values["url"]
        if url is not None and not HTTP_URL_PATTERN.match(url):
            raise FactFormatError(
                f'article.url must be an absolute http(s) URL without spaces or <>"{{}}|\\^`'
                f" (got {url!r})"
            )
        published = values["published"]
        if published is not None and not (len(published) == 10 and is_valid_date(published)):
            raise FactFormatError(
                f"article.published must be a real date YYYY-MM-DD or null (got {published!r})"
            )
        return cls(
            id=article_id,
            url=url,
            outlet=values["outlet"],
            published=published,
            title=values["title"],
            licence=values["licence"],
        )


@dataclass(frozen=True, slots=True)
class Fact:
    """One diplomatic event fact, as defined by the annotation rules of the development set.

    ``evidence_start``/``evidence_end`` (character offsets of the evidence in the article
    text) and ``confidence`` (0..1) are optional: the extractor fills them, hand-made gold
    facts usually do not. They are omitted from the JSON when absent so that a round trip
    returns exactly what went in.
    """

    article: str
    type: str
    actor: Entity | None
    target: Entity | None
    evidence: str
    participants: tuple[Entity, ...] = ()
    place: Entity | None = None
    date: str | None = None
    negated: bool = False
    attributed_to: str | None = None
    status: str = "occurred"
    evidence_start: int | None = None
    evidence_end: int | None = None
    confidence: float | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "article": self.article,
            "type": self.type,
            "actor": self.actor.to_dict() if self.actor else None,
            "target": self.target.to_dict() if self.target else None,
            "participants": [p.to_dict() for p in self.participants],
            "place": self.place.to_dict() if self.place else None,
            "date": self.date,
            "negated": self.negated,
            "attributed_to": self.attributed_to,
            "status": self.status,
            "evidence": self.evidence,
        }
        if self.evidence_start is not None:
            data["evidence_start"] = self.evidence_start
            data["evidence_end"] = self.evidence_end
        if self.confidence is not None:
            data["confidence"] = self.confidence
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Fact:
        """Build a fact from one decoded JSON line, checking every field."""
        allowed = {
            "record",
            "article",
            "type",
            "actor",
            "target",
            "participants",
            "place",
            "date",
            "negated",
            "attributed_to",
            "status",
            "evidence",
            "evidence_start",
            "evidence_end",
            "confidence",
        }
        _no_unknown_keys(data, allowed, "fact")
        for required in ("article", "type", "evidence"):
            if required not in data:
                raise FactFormatError(f"fact: missing required field '{required}'")
        check_article_id(data["article"])
        if data["type"] not in FACT_TYPES:
            raise FactFormatError(
                f"fact.type must be one of {', '.join(FACT_TYPES)} (got {data['type']!r})"
            )
        actor = _optional_entity(data.get("actor"), "actor")
        target = _optional_entity(data.get("target"), "target")
        place = _optional_entity(data.get("place"), "place")
        participants_raw = data.get("participants", [])
        if not isinstance(participants_raw, list):
            raise FactFormatError("fact.participants must be a list of entities")
        participants = tuple(
            Entity.from_dict(p, f"participants[{i}]") for i, p in enumerate(participants_raw)
        )
        date = data.get("date")
        if date is not None and not is_valid_date(date):
            raise FactFormatError(
                f"fact.date must be a real date YYYY-MM-DD, YYYY-MM, YYYY or null (got {date!r})"
            )
        negated = data.get("negated", False)
        if not isinstance(negated, bool):
            raise FactFormatError("fact.negated must be true or false")
        attributed_to = data.get("attributed_to")
        if attributed_to is not None:
            if not isinstance(attributed_to, str) or not attributed_to.strip():
                raise FactFormatError("fact.attributed_to must be a non-empty string or null")
            _check_text(attributed_to, "fact.attributed_to", max_len=300)
        status = data.get("status", "occurred")
        if status not in STATUSES:
            raise FactFormatError(
                f"fact.status must be one of {', '.join(STATUSES)} (got {status!r})"
            )
        evidence = data["evidence"]
        if not isinstance(evidence, str) or not evidence.strip():
            raise FactFormatError("fact.evidence must be a non-empty string")
        _check_text(evidence, "fact.evidence", max_len=5000)
        start, end = data.get("evidence_start"), data.get("evidence_end")
        if (start is None) != (end is None):
            raise FactFormatError("fact.evidence_start and evidence_end go together")
        if start is not None and not (_is_int(start) and _is_int(end) and 0 <= start <= end):
            raise FactFormatError("fact.evidence_start/end must be integers, start <= end")
        confidence = data.get("confidence")
        if confidence is not None and not (
            isinstance(confidence, int | float)
            and not isinstance(confidence, bool)
            and 0.0 <= confidence <= 1.0
        ):
            raise FactFormatError("fact.confidence must be a number between 0 and 1")
        return cls(
            article=data["article"],
            type=data["type"],
            actor=actor,
            target=target,
            participants=participants,
            place=place,
            date=date,
            negated=negated,
            attributed_to=attributed_to,
            status=status,
            evidence=evidence,
            evidence_start=start,
            evidence_end=end,
            confidence=float(confidence) if confidence is not None else None,
        )


Record = Fact | Article


def is_valid_date(value: Any) -> bool:
    """YYYY, YYYY-MM or YYYY-MM-DD naming a day that exists (no 2021-02-30)."""
    if not isinstance(value, str) or not DATE_PATTERN.match(value):
        return False
    if len(value) == 10:
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            return False
    return True


def check_article_id(value: Any) -> str:
    """Article ids become IRI path segments and file names: keep them to a safe alphabet."""
    if not isinstance(value, str) or not ARTICLE_ID_PATTERN.match(value):
        raise FactFormatError(
            "article id must be 1-200 characters of letters, digits, '.', '_', '~' or '-',"
            f" starting with a letter or digit (got {value!r})"
        )
    return value


def parse_record(data: Any) -> Record:
    """Turn one decoded JSON value into a Fact or an Article."""
    if not isinstance(data, dict):
        raise FactFormatError("each line must be a JSON object")
    record = data.get("record", "fact")
    if record == "article":
        return Article.from_dict(data)
    if record == "fact":
        return Fact.from_dict(data)
    raise FactFormatError(f"record must be 'fact' or 'article' (got {record!r})")


def read_records(stream: TextIO | Iterable[str], source: str = "<input>") -> Iterator[Record]:
    """Parse a JSON Lines stream; errors carry the source name and the 1-based line number."""
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as error:
            raise FactFormatError(
                f"not valid JSON: {error.msg} (column {error.colno})", source=source, line=number
            ) from None
        try:
            yield parse_record(data)
        except FactFormatError as error:
            raise FactFormatError(error.message, source=source, line=number) from None


def write_records(records: Iterable[Record], stream: TextIO) -> int:
    """Write records as JSON Lines; returns how many were written."""
    count = 0
    for record in records:
        stream.write(json.dumps(record.to_dict(), ensure_ascii=False))
        stream.write("\n")
        count += 1
    return count


def _optional_entity(value: Any, where: str) -> Entity | None:
    return None if value is None else Entity.from_dict(value, where)


def _no_unknown_keys(data: dict[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise FactFormatError(f"{where}: unknown field(s) {', '.join(map(repr, unknown))}")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _check_text(value: str, where: str, *, max_len: int) -> None:
    """Reject control characters (NUL and friends) and absurd lengths in free text."""
    if len(value) > max_len:
        raise FactFormatError(f"{where} is longer than {max_len} characters")
    if _CONTROL.search(value):
        raise FactFormatError(f"{where} contains a control character")
