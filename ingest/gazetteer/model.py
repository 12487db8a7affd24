"""The gazetteer: an offline table of aliases -> Wikidata-linked entities.

The shipped file ``data/gazetteer.tsv`` has one row per (alias, entry) pair; it is produced by
``python -m diplograph.ingest.gazetteer.build`` from the inputs in ``data/`` and never edited
by hand. Loading it takes a few milliseconds, so :meth:`Gazetteer.default` can be called
freely (it is cached).
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from diplograph.ingest.gazetteer.normalize import alias_key, fold, lookup_keys

#: Columns of ``gazetteer.tsv``, in file order.
COLUMNS: tuple[str, ...] = (
    "alias",
    "name",
    "kind",
    "wikidata",
    "stands_for",
    "role",
    "source",
    "licence",
    "located_in",
)
#: How an alias relates to the entry it names.
ROLES: tuple[str, ...] = (
    "name",  # the canonical name itself
    "official",  # a formal/official name ("Russian Federation")
    "short",  # a common short form ("Britain", "Putin")
    "acronym",  # "UAE", "DPRK", "NATO"
    "demonym",  # adjective/nationality ("Moroccan")
    "capital",  # the capital city; the entry is the city, stands_for the state
    "metonym",  # a seat of government used for the state ("the Kremlin")
    "descriptor",  # a descriptive reference ("the Jewish state")
    "former",  # a former or historical name still in use ("Burma", "Swaziland")
    "translation",  # a non-English name used in English text ("Côte d'Ivoire")
    "family",  # a person's family name, only after a title ("Prime Minister Harper")
)
#: Preference when one canonical name has entries of several kinds (Luxembourg).
KIND_ORDER: tuple[str, ...] = (
    "country",
    "organization",
    "territory",
    "city",
    "movement",
    "company",
    "person",
)


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    """What an alias refers to.

    ``name`` is the canonical English name used in facts (the devset gold's names);
    ``stands_for`` is the canonical name of the state or organisation a capital, a seat of
    government or a person acts for ("Rabat" -> "Morocco"), or None; ``located_in`` the
    state a city lies in, which only a capital also stands for ("Istanbul" -> "Turkey").
    """

    name: str
    kind: str
    wikidata: str | None
    stands_for: str | None
    role: str
    source: str
    licence: str = ""
    located_in: str | None = None


def _row_entry(row: dict[str, str]) -> GazetteerEntry:
    return GazetteerEntry(
        name=row["name"],
        kind=row["kind"],
        wikidata=row["wikidata"] or None,
        stands_for=row["stands_for"] or None,
        role=row["role"],
        source=row["source"],
        licence=row["licence"],
        located_in=row["located_in"] or None,
    )


class Gazetteer:
    """An in-memory index over (alias, entry) pairs."""

    def __init__(self, pairs: Iterable[tuple[str, GazetteerEntry]]):
        self._pairs: list[tuple[str, GazetteerEntry]] = list(pairs)
        self._by_key: dict[str, list[GazetteerEntry]] = {}
        self._by_name: dict[str, list[GazetteerEntry]] = {}
        self._by_qid: dict[str, GazetteerEntry] = {}
        for alias, entry in self._pairs:
            if entry.role == "family":
                continue  # read by the extractor after a title only, never looked up alone
            bucket = self._by_key.setdefault(alias_key(alias), [])
            if entry not in bucket:
                bucket.append(entry)
            if fold(alias) == fold(entry.name):
                self._by_name.setdefault(fold(entry.name), []).append(entry)
        for entries in self._by_name.values():
            entries.sort(key=lambda e: (KIND_ORDER.index(e.kind), e.role != "name"))
            for entry in entries:
                if entry.wikidata and entry.wikidata not in self._by_qid:
                    self._by_qid[entry.wikidata] = entry

    @classmethod
    def from_tsv(cls, path: Path | str) -> Gazetteer:
        with open(path, encoding="utf-8", newline="") as handle:
            return cls._from_lines(handle)

    @classmethod
    def _from_lines(cls, lines: Iterable[str]) -> Gazetteer:
        reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise ValueError(f"gazetteer header must be {COLUMNS}, got {reader.fieldnames}")
        return cls((row["alias"], _row_entry(row)) for row in reader)

    @classmethod
    def default(cls) -> Gazetteer:
        """The gazetteer shipped in the package (loaded once per process)."""
        return _default()

    def lookup(self, surface: str) -> list[GazetteerEntry]:
        """All entries an alias may refer to (empty when unknown); see ``normalize``."""
        for key in lookup_keys(surface):
            found = self._by_key.get(key)
            if found:
                return list(found)
        return []

    def aliases(self) -> Iterator[tuple[str, GazetteerEntry]]:
        """Every (alias, entry) pair, aliases as written (without a leading 'the')."""
        return iter(self._pairs)

    def by_name(self, canonical_name: str, kind: str | None = None) -> GazetteerEntry | None:
        """The entry whose canonical name this is (a country before a same-named city)."""
        for entry in self._by_name.get(fold(canonical_name), ()):
            if kind is None or entry.kind == kind:
                return entry
        return None

    def by_qid(self, qid: str) -> GazetteerEntry | None:
        """The canonical entry carrying this Wikidata QID."""
        return self._by_qid.get(qid)

    def __len__(self) -> int:
        return len(self._pairs)


@functools.cache
def _default() -> Gazetteer:
    data = resources.files("diplograph.ingest.gazetteer") / "data" / "gazetteer.tsv"
    with data.open("r", encoding="utf-8", newline="") as handle:
        return Gazetteer._from_lines(handle)
