"""Overlay a Wikidata snapshot (written by ``refresh``) on the registry built from the tables.

The snapshot (``data/sources/wikidata.json``) is an input of the build like the reference
tables, so the gazetteer stays reproducible from shipped files. The overlay is conservative:

* QIDs of ISO-coded states follow Wikidata's P297, except codes pinned in ``decisions.tsv``
  (EH, PS, NL, ...) -- those are project decisions, not data errors;
* redirected items take their target QID; items Wikidata no longer has lose their QID;
* a capital without a QID gets the current P36 capital's QID only when the English label
  matches the capital's name (no guessing by position);
* English aliases and demonyms (P1549) are added as ``wikidata`` (CC0) rows; canonical names
  stay as policy sets them (names.tsv), label changes are only reported;
* current heads of state and government (P35, P6 without end date) become persons that act
  for their state, under their full English label only (never a bare surname); a label two
  different people share is skipped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from diplograph.ingest.gazetteer.normalize import clean, fold

SNAPSHOT_NAME = "wikidata.json"


@dataclass
class Snapshot:
    """Wikidata facts as refresh stores them (sorted lists, no query-engine noise)."""

    states: list[dict[str, str]] = field(default_factory=list)  # item, iso2, label, demonym?
    capitals: list[dict[str, str]] = field(default_factory=list)  # state, iso2, capital, label
    leaders: list[dict[str, str]] = field(default_factory=list)  # state, iso2, person, label
    items: list[dict[str, str]] = field(default_factory=list)  # item, label?, alias?, redirect?
    retrieved: str = ""
    endpoint: str = ""

    def to_json(self) -> str:
        data = {
            "endpoint": self.endpoint,
            "retrieved": self.retrieved,
            "states": _sorted(self.states),
            "capitals": _sorted(self.capitals),
            "leaders": _sorted(self.leaders),
            "items": _sorted(self.items),
        }
        return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Snapshot:
        data = json.loads(text)
        return cls(
            states=data.get("states", []),
            capitals=data.get("capitals", []),
            leaders=data.get("leaders", []),
            items=data.get("items", []),
            retrieved=data.get("retrieved", ""),
            endpoint=data.get("endpoint", ""),
        )

    @classmethod
    def load(cls, path: Path) -> Snapshot | None:
        return cls.from_json(path.read_text(encoding="utf-8")) if path.exists() else None


def _sorted(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    unique = {json.dumps(row, sort_keys=True, ensure_ascii=False): row for row in rows}
    return [unique[key] for key in sorted(unique)]


def qid_of(uri: str) -> str:
    """'http://www.wikidata.org/entity/Q30' -> 'Q30'."""
    return uri.rsplit("/", 1)[-1]


def apply_snapshot(registry: Any, snapshot: Snapshot, pinned: set[str]) -> list[str]:
    """Update ``registry`` (a build.Registry) in place; return notes for the report."""
    notes: list[str] = []
    by_iso: dict[str, Any] = registry.by_iso
    # 1. ISO-coded states and territories.
    iso_items: dict[str, set[str]] = {}
    for row in snapshot.states:
        iso_items.setdefault(row["iso2"], set()).add(qid_of(row["item"]))
    for iso2, items in sorted(iso_items.items()):
        entity = by_iso.get(iso2)
        if entity is None:
            continue
        if iso2 in pinned:
            if entity.wikidata not in items:
                notes.append(
                    f"pinned {iso2}: keeping {entity.wikidata}, Wikidata P297 has "
                    f"{', '.join(sorted(items))}"
                )
            continue
        if len(items) > 1:
            notes.append(f"ambiguous P297 {iso2}: {', '.join(sorted(items))}; kept")
            continue
        (new,) = items
        if new != entity.wikidata:
            notes.append(f"P297 {iso2}: {entity.wikidata} -> {new}")
            registry.set_qid(entity, new, "wikidata")
    for row in snapshot.states:
        entity = by_iso.get(row["iso2"])
        if entity is not None and entity.wikidata == qid_of(row["item"]) and row.get("demonym"):
            entity.add_alias(row["demonym"], "demonym", "wikidata")
    # 2. Capitals without a QID.
    for row in snapshot.capitals:
        state = by_iso.get(row["iso2"])
        if state is None or state.wikidata != qid_of(row["state"]) or not row.get("label"):
            continue
        city = registry.capital_of(state)
        if city is None or city.wikidata or city.name in registry.ambiguous_capitals:
            continue
        names = {fold(clean(city.name)), *(fold(clean(a)) for a, _r, _s in city.aliases)}
        if fold(clean(row["label"])) in names:
            notes.append(f"capital {city.name}: QID {qid_of(row['capital'])} from P36")
            registry.set_qid(city, qid_of(row["capital"]), "wikidata")
    # 3. Current heads of state and government, as persons acting for their state.
    labels: dict[str, set[str]] = {}
    states_led: dict[str, set[str]] = {}
    for row in snapshot.leaders:
        if row.get("label"):
            labels.setdefault(fold(clean(row["label"])), set()).add(qid_of(row["person"]))
        states_led.setdefault(qid_of(row["person"]), set()).add(row["iso2"])
    for row in snapshot.leaders:
        state = by_iso.get(row["iso2"])
        person = qid_of(row["person"])
        label = row.get("label")
        if state is None or state.wikidata != qid_of(row["state"]) or state.kind != "country":
            continue
        if not label or label == person or len(labels[fold(clean(label))]) > 1:
            continue
        if registry.by_qid(person) is not None:
            continue
        # A monarch of several realms acts for none of them in particular.
        acts_for = state.name if len(states_led[person]) == 1 else None
        if registry.add_person(label, person, acts_for) is not None:
            notes.append(f"leader {label} ({person}) acts for {acts_for or 'several states'}")
    # 4. Every item: redirects, deletions, English aliases.
    seen: dict[str, dict[str, Any]] = {}
    for row in snapshot.items:
        info = seen.setdefault(qid_of(row["item"]), {"label": None, "aliases": [], "to": None})
        if row.get("label"):
            info["label"] = row["label"]
        if row.get("alias"):
            info["aliases"].append(row["alias"])
        if row.get("redirect"):
            info["to"] = qid_of(row["redirect"])
    for qid, info in sorted(seen.items()):
        entity = registry.by_qid(qid)
        if entity is None:
            continue
        if info["to"]:
            notes.append(f"redirect {qid} -> {info['to']} ({entity.name})")
            registry.set_qid(entity, info["to"], "wikidata")
        elif info["label"] is None and not info["aliases"]:
            notes.append(f"missing {qid} ({entity.name}): QID removed")
            registry.set_qid(entity, None, entity.source)
            continue
        if info["label"] and fold(clean(info["label"])) != fold(clean(entity.name)):
            notes.append(f"label {qid}: Wikidata says {info['label']!r}, we use {entity.name!r}")
            entity.add_alias(info["label"], "official", "wikidata")
        for alias in sorted(set(info["aliases"])):
            if len(clean(alias)) > 1:
                entity.add_alias(alias, "short", "wikidata")
    return notes
