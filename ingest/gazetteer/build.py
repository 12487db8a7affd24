"""Build ``data/gazetteer.tsv`` from the shipped inputs, reproducibly.

    python -m diplograph.ingest.gazetteer.build            # rewrite data/gazetteer.tsv
    python -m diplograph.ingest.gazetteer.build --check    # exit 1 if the file is stale

Inputs (all under ``data/``): the verbatim reference tables in ``sources/`` (country-codes,
dr5hn countries and capitals extract, supraverden organisations) and the curated tables
``decisions.tsv`` (source disagreements), ``names.tsv`` (canonical names), ``extras.tsv``
(entities the tables lack), ``persons.tsv`` (office-holders and the party they act for),
``cities.tsv`` (cities other than capitals and the state each lies in) and
``aliases.tsv`` (short forms, acronyms, descriptors). The
output is sorted, has no timestamps and uses ``\\n`` line ends, so the same inputs always give
the same bytes. The build refuses inconsistent input (an alias pointing nowhere, a QID on
two entities, a ``stands_for`` that names no entity) instead of writing a doubtful file.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from diplograph.ingest.gazetteer.model import COLUMNS, KIND_ORDER, ROLES
from diplograph.ingest.gazetteer.normalize import (
    alias_key,
    clean,
    fold,
    is_acronym,
    strip_accents,
)
from diplograph.ingest.gazetteer.sources import SOURCES, licence_of
from diplograph.ingest.gazetteer.wikidata import SNAPSHOT_NAME, Snapshot, apply_snapshot

DATA_DIR = Path(__file__).resolve().parent / "data"
OUTPUT = DATA_DIR / "gazetteer.tsv"
QID = re.compile(r"^Q[1-9]\d*$")

#: Capital names that are also other well-known places, common words or first names: the
#: city is listed (so the extractor knows the word) but carries no QID and stands for no
#: state, because a bare mention is more often something else (Victoria, B.C.; Kingston,
#: Ontario; Douglas the name).
AMBIGUOUS_CAPITALS = frozenset(
    {
        "Victoria",
        "Kingston",
        "Hamilton",
        "Douglas",
        "Plymouth",
        "Jamestown",
        "Stanley",
        "Georgetown",
        "George Town",
        "San Juan",
        "Saint-Denis",
        "Saint-Pierre",
        "Santiago",
        "The Valley",
        "West Island",
        "Kingstown",
        "Castries",
        "Victoria City",
    }
)
#: Capitals whose name is as often a metonym for an organisation seated there as for the
#: state: "Brussels" says more often the EU than Belgium. The city keeps its QID but stands
#: for nothing, so "Brussels said" is never linked to Belgium.
ORGANISATION_SEATS = frozenset({"Brussels"})
#: Capitals left out entirely: their name is an everyday English word ("Male").
SKIPPED_CAPITALS = frozenset({"Male", "Malé"})
#: Names a source gives a country that would make a known ambiguity look resolved: cc calls
#: the Republic of the Congo just "Congo"; the Holy See is a different item from Vatican City.
#: Ambiguous short names are added for *all* their readings in aliases (see AMBIGUOUS_SHORT).
SKIPPED_ALIASES = frozenset({("CG", "Congo"), ("VA", "Holy See")})
#: Short names that stand for several entities; each reading gets the alias, so lookups show
#: the ambiguity and linking.py's context rules decide.
AMBIGUOUS_SHORT: dict[str, tuple[str, ...]] = {
    "Congo": ("Q971", "Q974"),
    "Korea": ("Q884", "Q423"),
}
#: Organisation aliases a source gives to the wrong body: supraverden abbreviates the APEC
#: Secretariat as "APEC", which is the forum's name (extras.tsv).
SKIPPED_ORG_ALIASES = frozenset({("Asia-Pacific Economic Cooperation Secretariat", "APEC")})
#: Demonyms a source lists that would point at the wrong entity.
SKIPPED_DEMONYMS = frozenset(
    {
        ("TW", "Chinese"),  # Chinese = China; Taiwanese is added in aliases.tsv
        ("MO", "Chinese"),
        ("HK", "Hong Kong"),
        ("UM", "American"),
        ("GB", "UK"),  # an acronym, not a demonym; aliases.tsv has it
        ("NZ", "NZ"),
        ("IR", "Persian"),  # "the Persian Gulf" is not Iran
        ("PS", "Palestinian"),  # dr5hn's PS is the territory; aliases.tsv routes it
        ("EH", "Sahrawi"),  # the Sahrawi actor is the SADR (aliases.tsv)
        ("EH", "Sahrawian"),
        ("EH", "Sahraouian"),
        ("BQ", "Bonaire"),
        ("SJ", "Svalbard"),
    }
)


@dataclass
class Entity:
    name: str
    kind: str
    wikidata: str | None
    source: str
    stands_for: str | None = None
    role: str = "name"
    located_in: str | None = None  # cities: the state they lie in
    aliases: list[tuple[str, str, str]] = field(default_factory=list)  # alias, role, source

    def add_alias(self, alias: str, role: str, source: str) -> None:
        alias = alias.strip()
        if alias and clean(alias):
            self.aliases.append((alias, role, source))


class Registry:
    """Entities by QID and by (folded name, kind), with merge-on-add."""

    ambiguous_capitals = AMBIGUOUS_CAPITALS

    def __init__(self) -> None:
        self.entities: list[Entity] = []
        self.by_iso: dict[str, Entity] = {}
        self.capitals: dict[str, Entity] = {}  # state name -> capital city
        self.notes: list[str] = []
        self._by_qid: dict[str, Entity] = {}
        self._by_name: dict[tuple[str, str], Entity] = {}

    def by_qid(self, qid: str) -> Entity | None:
        return self._by_qid.get(qid)

    def capital_of(self, state: Entity) -> Entity | None:
        return self.capitals.get(state.name)

    def add_person(self, name: str, qid: str, stands_for: str | None) -> Entity | None:
        """A person from Wikidata (refresh), unless the name is already someone else's; a
        curated person of that name acting for the same party gets the QID instead."""
        same = [e for e in self.entities if e.kind == "person" and fold(e.name) == fold(name)]
        if len(same) == 1 and not same[0].wikidata and same[0].stands_for == stands_for:
            self.set_qid(same[0], qid, "wikidata")
            return same[0]
        if same:
            self.notes.append(f"person {name} ({qid}) skipped: name already in the gazetteer")
            return None
        return self.add(
            Entity(name=name, kind="person", wikidata=qid, source="wikidata", stands_for=stands_for)
        )

    def set_qid(self, entity: Entity, qid: str | None, source: str) -> None:
        """Change an entity's QID (refresh overlay), keeping one entity per QID."""
        if qid and qid in self._by_qid and self._by_qid[qid] is not entity:
            self.notes.append(
                f"conflict: {qid} already belongs to {self._by_qid[qid].name}; "
                f"{entity.name} keeps {entity.wikidata}"
            )
            return
        if entity.wikidata:
            self._by_qid.pop(entity.wikidata, None)
        entity.wikidata = qid
        entity.source = source
        if qid:
            self._by_qid[qid] = entity

    def add(self, entity: Entity) -> Entity:
        """Register an entity or return the existing one with the same QID (or name+kind)."""
        if entity.wikidata and not QID.match(entity.wikidata):
            raise ValueError(f"bad QID {entity.wikidata!r} for {entity.name}")
        existing = self._by_qid.get(entity.wikidata) if entity.wikidata else None
        existing = existing or self._by_name.get((fold(clean(entity.name)), entity.kind))
        if existing is not None:
            if entity.wikidata and existing.wikidata and entity.wikidata != existing.wikidata:
                raise ValueError(
                    f"{entity.name} ({entity.kind}) has two QIDs: "
                    f"{existing.wikidata} and {entity.wikidata}"
                )
            if entity.wikidata and not existing.wikidata:
                existing.wikidata = entity.wikidata
                self._by_qid[entity.wikidata] = existing
            if fold(entity.name) != fold(existing.name):
                existing.add_alias(entity.name, "name", entity.source)
            existing.aliases.extend(entity.aliases)
            return existing
        self.entities.append(entity)
        if entity.wikidata:
            self._by_qid[entity.wikidata] = entity
        self._by_name[(fold(clean(entity.name)), entity.kind)] = entity
        return entity

    def known(self, name: str, kind: str) -> bool:
        """Whether an entity of this kind has this canonical name."""
        return (fold(clean(name)), kind) in self._by_name

    def get(self, target: str) -> Entity:
        """An entity by QID or canonical name (a country before a same-named city)."""
        if QID.match(target):
            if target in self._by_qid:
                return self._by_qid[target]
            raise KeyError(f"no entity with QID {target}")
        for kind in KIND_ORDER:
            found = self._by_name.get((fold(clean(target)), kind))
            if found is not None:
                return found
        raise KeyError(f"no entity named {target!r}")

    def names(self) -> set[str]:
        return {entity.name for entity in self.entities}


def read_tsv(path: Path) -> list[dict[str, str]]:
    """A curated table: '#' comment lines first, then a header row, tab-separated."""
    with open(path, encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if not line.startswith("#") and line.strip()]
    rows = list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))
    for number, row in enumerate(rows, start=2):
        if None in row or any(value is None for value in row.values()):
            raise ValueError(f"{path.name}: row {number} has the wrong number of columns")
    return rows


def _unterm(name: str) -> str:
    """'Iran (Islamic Republic of)' -> 'Islamic Republic of Iran'; drop '(the)' and '*'."""
    name = name.replace("*", "").strip()
    name = re.sub(r"\s*\(the\)$", "", name)
    match = re.fullmatch(r"(.+?) \((.+ of)\)", name)
    if match:
        name = f"{match.group(2)} {match.group(1)}"
    return re.sub(r"^the ", "", name).strip()


def _cldr(name: str) -> str:
    return name.replace(" & ", " and ").replace("St. ", "Saint ").strip()


def _demonyms(value: str) -> Iterator[str]:
    for part in re.split(r",| or ", value or ""):
        part = part.strip()
        if part:
            yield part


def plural(demonym: str) -> str | None:
    """The plural noun of a demonym that takes -s ("Israeli" -> "Israelis"), else None
    ("Chinese", "British", "Swiss" are their own plurals or have none)."""
    if re.search(r"(?:n|i|ot|ite|ek|ak|ik|ar)$", demonym) and not re.search(
        r"(?:ese|ish|ss|sh|ch)$", demonym
    ):
        return demonym + "s"
    return None


def add_countries(registry: Registry, names: dict[str, str], data_dir: Path) -> dict:
    """States and territories from country-codes, corrected by decisions.tsv, plus dr5hn."""
    sources_dir = data_dir / "sources"
    decisions = {row["iso2"]: row for row in read_tsv(data_dir / "decisions.tsv")}
    with open(sources_dir / "datasets-country-codes.csv", encoding="utf-8", newline="") as f:
        cc_rows = {row["ISO3166-1-Alpha-2"]: row for row in csv.DictReader(f)}
    with open(sources_dir / "dr5hn-countries.json", encoding="utf-8") as f:
        dr_rows = {row["iso2"]: row for row in json.load(f)}
    by_iso: dict[str, Entity] = {}
    for iso2 in sorted(set(cc_rows) | set(dr_rows)):
        cc = cc_rows.get(iso2)
        dr = dr_rows.get(iso2)
        decision = decisions.get(iso2)
        if decision:
            qid, kind, source = decision["qid"], decision["kind"], decision["source"]
            name = decision["name"]
        elif cc is not None:
            qid = cc["wikidata_id"].rsplit("/", 1)[-1]
            kind = "country" if cc["is_independent"] == "Yes" else "territory"
            source = "country-codes"
            name = _cldr(cc["CLDR display name"])
        else:
            raise ValueError(f"{iso2} is only in dr5hn: add a decisions.tsv row")
        entity = registry.add(
            Entity(name=names.get(qid, name), kind=kind, wikidata=qid or None, source=source)
        )
        by_iso[iso2] = entity
        registry.by_iso[iso2] = entity
        if cc is not None:
            for column, role in (
                ("CLDR display name", "short"),
                ("UNTERM English Short", "short"),
                ("official_name_en", "official"),
                ("UNTERM English Formal", "official"),
            ):
                alias = _unterm(_cldr(cc[column]))
                if alias and (iso2, alias) not in SKIPPED_ALIASES and not is_acronym(alias):
                    entity.add_alias(alias, role, "country-codes")
        if dr is not None and not (decision and decision["source"] == "country-codes"):
            entity.add_alias(_unterm(dr["name"]), "short", "dr5hn")
        if dr is not None:
            for demonym in _demonyms(dr.get("nationality") or ""):
                if (iso2, demonym) in SKIPPED_DEMONYMS or "Island" in demonym:
                    continue
                if fold(demonym) == fold(entity.name):
                    continue
                entity.add_alias(demonym, "demonym", "dr5hn")
                if plural(demonym):
                    entity.add_alias(plural(demonym), "demonym", "dr5hn")
    return by_iso


def add_capitals(registry: Registry, by_iso: dict[str, Entity], data_dir: Path) -> None:
    """Capital cities, standing for their state by metonymy ("Rabat" -> Morocco)."""
    sources_dir = data_dir / "sources"
    with open(sources_dir / "datasets-country-codes.csv", encoding="utf-8", newline="") as f:
        cc_capitals = {
            row["ISO3166-1-Alpha-2"]: row["Capital"].strip() for row in csv.DictReader(f)
        }
    with open(sources_dir / "dr5hn-capitals-extract.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        state = by_iso.get(row["iso2"])
        dr_name = row["capital_name"].split(",")[0].strip()
        cc_name = cc_capitals.get(row["iso2"], "")
        name = cc_name or dr_name
        if state is None or not name or name in SKIPPED_CAPITALS:
            continue
        qid = row["capital_qid"] or None
        if fold(name) == fold(state.name) and not qid:
            continue  # city-states (Monaco, Singapore): the state entry covers the name
        ambiguous = name in AMBIGUOUS_CAPITALS
        city = Entity(
            name=name,
            kind="city",
            wikidata=None if ambiguous else qid,
            source="dr5hn-capitals" if qid and not ambiguous else "country-codes",
            stands_for=None
            if ambiguous or state.kind != "country" or name in ORGANISATION_SEATS
            else state.name,
            role="capital",
            located_in=None if ambiguous or state.kind != "country" else state.name,
        )
        if dr_name and fold(dr_name) != fold(name):
            city.add_alias(dr_name, "short", "dr5hn-capitals")
        existing = registry.add(city)
        if existing is not city and existing.stands_for is None and not ambiguous:
            existing.stands_for = city.stands_for
        if existing is not city and existing.located_in is None:
            existing.located_in = city.located_in
        registry.capitals.setdefault(state.name, existing)


def add_extras(registry: Registry, data_dir: Path) -> None:
    for row in read_tsv(data_dir / "extras.tsv"):
        if row["source"] not in SOURCES:
            raise ValueError(f"extras.tsv: unknown source {row['source']!r}")
        if (row["role"] or "name") not in ROLES:
            raise ValueError(f"extras.tsv: unknown role {row['role']!r}")
        entity = Entity(
            name=row["label"],
            kind=row["kind"],
            wikidata=row["qid"] or None,
            source=row["source"],
            stands_for=row["stands_for"] or None,
            role=row["role"] or "name",
            located_in=(row["stands_for"] or None) if row["role"] == "capital" else None,
        )
        for alias in row["aliases"].split("|"):
            if alias:
                entity.add_alias(alias, "acronym" if is_acronym(alias) else "short", row["source"])
        registry.add(entity)


def add_persons(registry: Registry, data_dir: Path) -> None:
    """Office-holders from ``persons.tsv``: their names (and accent-free forms, which is how
    much English copy writes them) as aliases, and the family names a title may stand
    before ("Prime Minister Harper") under the role ``family``, which the extractor only
    reads after a title and never matches in running text."""
    for row in read_tsv(data_dir / "persons.tsv"):
        if not row["stands_for"]:
            raise ValueError(f"persons.tsv: {row['name']} acts for nobody")
        if registry.known(row["name"], "person"):
            raise ValueError(f"persons.tsv: {row['name']} is already a person in the gazetteer")
        entity = Entity(
            name=row["name"],
            kind="person",
            wikidata=None,
            source="curated",
            stands_for=row["stands_for"],
        )
        names = [row["name"], *(a for a in row["aliases"].split("|") if a)]
        for name in names:
            entity.add_alias(name, "short", "curated")
            if _accent_free(name) != name:
                entity.add_alias(_accent_free(name), "short", "curated")
        family = row["family"] or _family_name(row["name"])
        if family != "-":
            for name in family.split("|"):
                entity.add_alias(name, "family", "curated")
        registry.add(entity)


def add_cities(registry: Registry, data_dir: Path) -> None:
    """Cities other than capitals from ``cities.tsv``: places of events ("met in Geneva") and
    destinations whose state hosts a visit ("arrived in Istanbul"), which never stand for
    that state ("Istanbul said" is nobody). A name another entry already has is refused:
    the table is for names that mean one city."""
    taken = {
        alias_key(alias)
        for entity in registry.entities
        for alias in (entity.name, *(a for a, _, _ in entity.aliases))
    }
    for row in read_tsv(data_dir / "cities.tsv"):
        if not registry.known(row["country"], "country"):
            raise ValueError(f"cities.tsv: {row['name']} lies in {row['country']!r}, no state")
        names = [row["name"], *(a for a in row["aliases"].split("|") if a)]
        clash = [name for name in names if alias_key(name) in taken]
        if clash:
            raise ValueError(f"cities.tsv: {', '.join(clash)} already names another entry")
        entity = Entity(row["name"], "city", None, "curated", located_in=row["country"])
        for name in names[1:]:
            entity.add_alias(name, "short", "curated")
        registry.add(entity)
        taken.update(alias_key(name) for name in names)


def _accent_free(name: str) -> str:
    """ "Binali Yıldırım" -> "Binali Yildirim": English copy drops the dotless i's dot too."""
    return strip_accents(name.replace("ı", "i"))


def _family_name(name: str) -> str:
    """The last word of a name, before a generational suffix."""
    words = [w for w in name.split() if w.strip(".") not in ("Jr", "Sr", "II", "III", "IV")]
    return words[-1]


def add_organisations(registry: Registry, names: dict[str, str], data_dir: Path) -> None:
    """International organisations and bodies from supraverden."""
    sources_dir = data_dir / "sources"
    with open(sources_dir / "supraverden-international-organisations.json", encoding="utf-8") as f:
        bodies = json.load(f)
    for body in bodies:
        code = body.get("Wikidata_code") or ""
        qid = code if QID.match(code) else None
        name = names.get(qid, body["Name_en"]) if qid else body["Name_en"]
        entity = Entity(name=name, kind="organization", wikidata=qid, source="supraverden")
        if fold(name) != fold(body["Name_en"]):
            entity.add_alias(body["Name_en"], "official", "supraverden")
        for key in sorted(body):
            value = body[key]
            if not isinstance(value, str) or not key.endswith("_en") or key == "Name_en":
                continue
            if (body["Name_en"], value) in SKIPPED_ORG_ALIASES:
                continue
            if key.startswith(("Name_other", "Name_former", "Abbreviation")):
                if "former" in key:
                    role = "former"
                elif is_acronym(value):
                    role = "acronym"
                else:
                    role = "short"
                entity.add_alias(value, role, "supraverden")
        registry.add(entity)


def add_curated_aliases(registry: Registry, data_dir: Path) -> None:
    for row in read_tsv(data_dir / "aliases.tsv"):
        if row["role"] not in ROLES:
            raise ValueError(f"aliases.tsv: unknown role {row['role']!r} for {row['alias']!r}")
        registry.get(row["target"]).add_alias(row["alias"], row["role"], "curated")
    for alias, qids in AMBIGUOUS_SHORT.items():
        for qid in qids:
            registry.get(qid).add_alias(alias, "short", "curated")


def build_registry(data_dir: Path = DATA_DIR, snapshot: Snapshot | None = None) -> Registry:
    """All entities from the inputs in ``data_dir`` (curated tables + ``sources/``).

    ``snapshot`` replaces ``sources/wikidata.json`` (refresh --dry-run builds with a fresh
    snapshot without writing it)."""
    names = {row["qid"]: row["name"] for row in read_tsv(data_dir / "names.tsv")}
    registry = Registry()
    add_extras(registry, data_dir)  # first: verified capitals (Washington, Hanoi) and SADR win
    by_iso = add_countries(registry, names, data_dir)
    add_capitals(registry, by_iso, data_dir)
    add_organisations(registry, names, data_dir)
    add_curated_aliases(registry, data_dir)
    add_persons(registry, data_dir)  # after the states they act for; before the refresh
    add_cities(registry, data_dir)  # last of the curated tables: no name may be taken
    snapshot = snapshot or Snapshot.load(data_dir / "sources" / SNAPSHOT_NAME)
    if snapshot is not None:
        pinned = {row["iso2"] for row in read_tsv(data_dir / "decisions.tsv")}
        registry.notes.extend(apply_snapshot(registry, snapshot, pinned))
    known = registry.names()
    for entity in registry.entities:
        if entity.stands_for and entity.stands_for not in known:
            raise ValueError(f"{entity.name}: stands_for {entity.stands_for!r} is no entity")
        if entity.located_in and entity.located_in not in known:
            raise ValueError(f"{entity.name}: located_in {entity.located_in!r} is no entity")
    return registry


def rows(registry: Registry) -> list[tuple[str, ...]]:
    """One row per distinct (alias key, entity), sorted."""
    out: set[tuple[str, ...]] = set()
    # A canonical name beats another entity's alias of the same kind: supraverden gives the
    # OPEC Fund the OPEC's full name as an "other name"; that alias would make OPEC ambiguous.
    owners: dict[tuple[str, str], int] = {}
    for number, entity in enumerate(registry.entities):
        owners.setdefault((alias_key(entity.name), entity.kind), number)
    for number, entity in enumerate(registry.entities):
        seen: set[str] = set()
        pairs = [(entity.name, entity.role, entity.source), *entity.aliases]
        for alias, role, source in pairs:
            alias = clean_alias(alias)
            key = alias_key(alias)
            if not key or key in seen:
                continue
            if owners.get((key, entity.kind), number) != number:
                continue
            seen.add(key)
            out.add(
                (
                    alias,
                    entity.name,
                    entity.kind,
                    entity.wikidata or "",
                    entity.stands_for or "",
                    role,
                    source,
                    licence_of(source),
                    entity.located_in or "",
                )
            )
    return sorted(out, key=lambda row: (fold(clean(row[0])), row))


def clean_alias(alias: str) -> str:
    """An alias as stored: typographic quotes straightened, no leading article."""
    alias = re.sub(r"\s+", " ", alias.replace("\u2019", "'")).strip()
    return re.sub(r"^(?i:the)\s+", "", alias)


def render(table: Iterable[tuple[str, ...]]) -> str:
    lines = ["\t".join(COLUMNS)]
    for row in table:
        if any("\t" in cell or "\n" in cell for cell in row):
            raise ValueError(f"tab or newline in gazetteer cell: {row}")
        lines.append("\t".join(row))
    return "\n".join(lines) + "\n"


def build_text(data_dir: Path = DATA_DIR, snapshot: Snapshot | None = None) -> str:
    """The complete gazetteer file content for the given inputs."""
    return render(rows(build_registry(data_dir, snapshot)))


def write_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(text.encode("utf-8"))
    tmp.replace(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUTPUT, help="output file")
    parser.add_argument("--data", type=Path, default=DATA_DIR, help="input folder")
    parser.add_argument("--check", action="store_true", help="fail if the file is stale")
    args = parser.parse_args(argv)
    text = build_text(args.data)
    if args.check:
        current = args.out.read_bytes() if args.out.exists() else b""
        if current != text.encode("utf-8"):
            print(f"{args.out} is stale: run python -m diplograph.ingest.gazetteer.build")
            return 1
        return 0
    write_atomically(args.out, text)
    print(f"wrote {text.count(chr(10)) - 1} rows to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
