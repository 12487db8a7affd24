"""Score extracted facts against hand-made gold annotations.

Two gold formats are accepted, detected per file:

* the development-set format: one JSON record per text (``id``, ``publication_date``,
  ``facts`` with ``negated_or_denied``); the text is ``<texts>/<id>.txt``;
* the project's interchange format (fact lines with ``article`` and ``negated``, optional
  article lines with ``published``); texts are ``<texts>/<article>.txt``.

Matching rules (documented here because users compare numbers across runs):

* **Entities** match when both carry a QID and the QIDs are equal; otherwise when their
  normalised names are equal (Unicode NFKD with diacritics removed, lower case, punctuation
  dropped, a leading "the" dropped, whitespace collapsed). Two missing entities match.
* **Strict**: same type, actor matches actor and target matches target.
  **Relaxed**: same type and the unordered {actor, target} pairs match.
* Matching is one-to-one within an article (maximum bipartite matching; among equally good
  candidates the pair whose evidence strings overlap most is preferred).
* Date, negation and attribution agreement and QID linking are measured on the pairs of the
  relaxed matching (a superset of the strict one). A date is correct when it equals the gold
  date exactly, at the gold's precision (``2021-11`` is not ``2021-11-23``); two nulls agree.
* QID linking accuracy: for every gold actor/target/place with a QID whose counterpart in
  the matched prediction names the same entity (same normalised name or same QID), the
  share whose predicted QID equals the gold QID. Predicted-QID precision: among predicted
  QIDs whose gold counterpart has a QID, the share that are equal (a QID against a null
  gold QID is not counted: the gold leaves unverified QIDs empty on purpose).
* Confidence bands report the share of predictions in the band that are strictly matched.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from diplograph.ingest.facts import (
    FACT_TYPES,
    Article,
    Entity,
    Fact,
    FactFormatError,
    parse_record,
)
from diplograph.ingest.gazetteer.normalize import strip_accents

CONFIDENCE_BANDS: tuple[tuple[float, float], ...] = (
    (0.0, 0.5),
    (0.5, 0.7),
    (0.7, 0.85),
    (0.85, 1.0000001),
)


@dataclass(frozen=True, slots=True)
class GoldDocument:
    """One annotated text: its id, publication date (or None) and gold facts."""

    id: str
    published: str | None
    facts: tuple[Fact, ...]


@dataclass(slots=True)
class PRF:
    """Counts behind precision/recall/F1; the ratios are derived, never stored."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, float | int]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass(slots=True)
class Agreement:
    """How often a property agrees on matched pairs."""

    agree: int = 0
    total: int = 0

    @property
    def rate(self) -> float | None:
        return self.agree / self.total if self.total else None

    def add(self, ok: bool) -> None:
        self.total += 1
        self.agree += int(ok)

    def to_dict(self) -> dict[str, Any]:
        rate = self.rate
        return {
            "agree": self.agree,
            "total": self.total,
            "rate": None if rate is None else round(rate, 4),
        }


@dataclass(slots=True)
class Report:
    """Everything `diplograph evaluate` prints."""

    documents: int = 0
    gold_facts: int = 0
    predicted_facts: int = 0
    strict: PRF = field(default_factory=PRF)
    relaxed: PRF = field(default_factory=PRF)
    per_type_strict: dict[str, PRF] = field(default_factory=dict)
    per_type_relaxed: dict[str, PRF] = field(default_factory=dict)
    date: Agreement = field(default_factory=Agreement)
    date_with_gold_date: Agreement = field(default_factory=Agreement)
    negation: Agreement = field(default_factory=Agreement)
    attribution: Agreement = field(default_factory=Agreement)
    status: Agreement = field(default_factory=Agreement)
    qid_recall: Agreement = field(default_factory=Agreement)
    qid_precision: Agreement = field(default_factory=Agreement)
    bands: dict[str, Agreement] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "gold_facts": self.gold_facts,
            "predicted_facts": self.predicted_facts,
            "strict": self.strict.to_dict(),
            "relaxed": self.relaxed.to_dict(),
            "per_type": {
                t: {
                    "strict": self.per_type_strict[t].to_dict(),
                    "relaxed": self.per_type_relaxed[t].to_dict(),
                }
                for t in FACT_TYPES
                if t in self.per_type_strict
            },
            "date_accuracy": self.date.to_dict(),
            "date_accuracy_gold_dated": self.date_with_gold_date.to_dict(),
            "negation_agreement": self.negation.to_dict(),
            "attribution_agreement": self.attribution.to_dict(),
            "status_agreement": self.status.to_dict(),
            "qid_linking_accuracy": self.qid_recall.to_dict(),
            "qid_precision": self.qid_precision.to_dict(),
            "confidence_bands": {k: v.to_dict() for k, v in self.bands.items()},
        }


# --------------------------------------------------------------------------- gold loading


def load_gold(path: str | Path) -> list[GoldDocument]:
    """Read gold in either supported format; raises FactFormatError on malformed lines."""
    path = Path(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    records: list[tuple[int, Any]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            records.append((number, json.loads(line)))
        except json.JSONDecodeError as error:
            raise FactFormatError(
                f"not valid JSON: {error.msg}", source=str(path), line=number
            ) from None
    if not records:
        return []
    first = records[0][1]
    if isinstance(first, dict) and "facts" in first:
        return [_devset_document(data, str(path), n) for n, data in records]
    return _interchange_documents(records, str(path))


def _devset_document(data: Any, source: str, line: int) -> GoldDocument:
    if not isinstance(data, dict) or not isinstance(data.get("id"), str):
        raise FactFormatError("record needs a string 'id'", source=source, line=line)
    doc_id = data["id"]
    facts = []
    for i, raw in enumerate(data.get("facts") or []):
        try:
            facts.append(_devset_fact(raw, doc_id))
        except FactFormatError as error:
            raise FactFormatError(
                f"facts[{i}]: {error.message}", source=source, line=line
            ) from None
    published = data.get("publication_date")
    return GoldDocument(doc_id, published if isinstance(published, str) else None, tuple(facts))


def _devset_fact(raw: Any, doc_id: str) -> Fact:
    if not isinstance(raw, dict):
        raise FactFormatError("fact must be an object")
    converted = {
        "article": doc_id,
        "type": raw.get("type"),
        "actor": raw.get("actor"),
        "target": raw.get("target"),
        "participants": raw.get("participants") or [],
        "place": raw.get("place"),
        "date": raw.get("date"),
        "negated": bool(raw.get("negated_or_denied", raw.get("negated", False))),
        "attributed_to": raw.get("attributed_to"),
        "status": raw.get("status") or "occurred",
        "evidence": raw.get("evidence") or "(none)",
    }
    return Fact.from_dict(converted)


def _interchange_documents(records: list[tuple[int, Any]], source: str) -> list[GoldDocument]:
    facts: dict[str, list[Fact]] = defaultdict(list)
    published: dict[str, str | None] = {}
    order: list[str] = []
    for number, data in records:
        try:
            record = parse_record(data)
        except FactFormatError as error:
            raise FactFormatError(error.message, source=source, line=number) from None
        key = record.id if isinstance(record, Article) else record.article
        if key not in published and key not in facts:
            order.append(key)
        if isinstance(record, Article):
            published[key] = record.published
        else:
            facts[key].append(record)
    return [GoldDocument(k, published.get(k), tuple(facts.get(k, ()))) for k in order]


def load_predictions(path: str | Path) -> dict[str, list[Fact]]:
    """Read predicted facts (interchange format), grouped by article."""
    grouped: dict[str, list[Fact]] = defaultdict(list)
    with open(path, encoding="utf-8") as stream:
        from diplograph.ingest.facts import read_records

        for record in read_records(stream, source=str(path)):
            if isinstance(record, Fact):
                grouped[record.article].append(record)
    return dict(grouped)


# --------------------------------------------------------------------------- matching

_PUNCT = re.compile(r"[^\w\s]")
_SPACE = re.compile(r"\s+")


def normalise_name(name: str) -> str:
    """Case-, punctuation-, article- and diacritic-insensitive form of an entity name."""
    plain = strip_accents(name).lower()
    plain = _SPACE.sub(" ", _PUNCT.sub(" ", plain.replace("'s ", " "))).strip()
    if plain.startswith("the "):
        plain = plain[4:]
    return plain


def entities_match(a: Entity | None, b: Entity | None) -> bool:
    """The documented entity matching rule (QID when both have one, else normalised name)."""
    if a is None or b is None:
        return a is None and b is None
    if a.wikidata and b.wikidata:
        return a.wikidata == b.wikidata
    return normalise_name(a.name) == normalise_name(b.name)


def strict_match(gold: Fact, pred: Fact) -> bool:
    return (
        gold.type == pred.type
        and entities_match(gold.actor, pred.actor)
        and entities_match(gold.target, pred.target)
    )


def relaxed_match(gold: Fact, pred: Fact) -> bool:
    if gold.type != pred.type:
        return False
    return strict_match(gold, pred) or (
        entities_match(gold.actor, pred.target) and entities_match(gold.target, pred.actor)
    )


def _overlap(a: str, b: str) -> float:
    wa, wb = set(normalise_name(a).split()), set(normalise_name(b).split())
    return len(wa & wb) / max(1, len(wa | wb))


def match_facts(
    gold: Sequence[Fact], pred: Sequence[Fact], compatible: Callable[[Fact, Fact], bool]
) -> list[tuple[int, int]]:
    """Maximum one-to-one matching (Kuhn's algorithm), preferring evidence overlap."""
    options: list[list[int]] = []
    for g in gold:
        candidates = [j for j, p in enumerate(pred) if compatible(g, p)]
        candidates.sort(key=lambda j: -_overlap(g.evidence, pred[j].evidence))
        options.append(candidates)
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in options[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(gold)):
        augment(i, set())
    return sorted((i, j) for j, i in owner.items())


# --------------------------------------------------------------------------- scoring


def band_label(low: float, high: float) -> str:
    return f"[{low:.2f},{min(high, 1.0):.2f}{']' if high > 1.0 else ')'}"


def score(documents: Iterable[GoldDocument], predictions: dict[str, list[Fact]]) -> Report:
    """Compute every number of the report from gold documents and predictions per article."""
    report = Report()
    for t in FACT_TYPES:
        report.per_type_strict[t] = PRF()
        report.per_type_relaxed[t] = PRF()
    for low, high in CONFIDENCE_BANDS:
        report.bands[band_label(low, high)] = Agreement()
    for doc in documents:
        report.documents += 1
        gold = list(doc.facts)
        pred = list(predictions.get(doc.id, ()))
        report.gold_facts += len(gold)
        report.predicted_facts += len(pred)
        strict_pairs = match_facts(gold, pred, strict_match)
        relaxed_pairs = match_facts(gold, pred, relaxed_match)
        _count(report.strict, report.per_type_strict, gold, pred, strict_pairs)
        _count(report.relaxed, report.per_type_relaxed, gold, pred, relaxed_pairs)
        for i, j in relaxed_pairs:
            _agreements(report, gold[i], pred[j])
        strictly_matched = {j for _, j in strict_pairs}
        for j, fact in enumerate(pred):
            confidence = fact.confidence if fact.confidence is not None else 1.0
            for low, high in CONFIDENCE_BANDS:
                if low <= confidence < high:
                    report.bands[band_label(low, high)].add(j in strictly_matched)
                    break
    return report


def _count(
    total: PRF,
    per_type: dict[str, PRF],
    gold: list[Fact],
    pred: list[Fact],
    pairs: list[tuple[int, int]],
) -> None:
    matched_gold = {i for i, _ in pairs}
    matched_pred = {j for _, j in pairs}
    for i, fact in enumerate(gold):
        hit = i in matched_gold
        total.tp += int(hit)
        total.fn += int(not hit)
        per_type[fact.type].tp += int(hit)
        per_type[fact.type].fn += int(not hit)
    for j, fact in enumerate(pred):
        if j not in matched_pred:
            total.fp += 1
            per_type[fact.type].fp += 1


def _agreements(report: Report, gold: Fact, pred: Fact) -> None:
    report.date.add(gold.date == pred.date)
    if gold.date is not None:
        report.date_with_gold_date.add(gold.date == pred.date)
    report.negation.add(gold.negated == pred.negated)
    report.attribution.add((gold.attributed_to is None) == (pred.attributed_to is None))
    report.status.add(gold.status == pred.status)
    if strict_match(gold, pred):
        roles = [(gold.actor, pred.actor), (gold.target, pred.target)]
    else:
        roles = [(gold.actor, pred.target), (gold.target, pred.actor)]
    roles.append((gold.place, pred.place))
    for g, p in roles:
        if g is None or p is None:
            continue
        same = normalise_name(g.name) == normalise_name(p.name)
        if g.wikidata and (same or p.wikidata == g.wikidata):
            report.qid_recall.add(p.wikidata == g.wikidata)
        if p.wikidata and g.wikidata:
            report.qid_precision.add(p.wikidata == g.wikidata)


# --------------------------------------------------------------------------- running


def predict_documents(
    documents: Iterable[GoldDocument],
    texts_dir: str | Path,
    extractor: Callable[..., list[Fact]] | None = None,
) -> dict[str, list[Fact]]:
    """Run the extractor on ``<texts_dir>/<id>.txt`` for every gold document.

    A missing text file is an error (the score would silently drop its gold facts).
    """
    if extractor is None:
        from diplograph.ingest.extract import extract as extractor
    texts_dir = Path(texts_dir)
    predictions: dict[str, list[Fact]] = {}
    for doc in documents:
        path = texts_dir / f"{doc.id}.txt"
        if not path.is_file():
            raise FileNotFoundError(f"no text for gold document {doc.id!r}: {path}")
        text = path.read_bytes().decode("utf-8", errors="replace")
        predictions[doc.id] = extractor(text, article_id=doc.id, published=doc.published)
    return predictions
