"""Conservative entity linking: a QID only when the gazetteer makes it unambiguous.

:func:`link_entity` looks the name up, lets the context rules below remove readings the
context excludes (Georgia the U.S. state, Congo-Brazzaville vs Kinshasa, ...), resolves
metonyms to the state they stand for when the extractor expects a state ("Rabat" as a
country is Morocco), and answers a QID only if exactly one remains. A wrong QID is worse
than none: every doubt ends in None.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from diplograph.ingest.gazetteer.model import Gazetteer, GazetteerEntry
from diplograph.ingest.gazetteer.normalize import clean, fold

#: Kinds that name the same kind of thing for linking purposes: a state may be called a
#: territory by an extractor and vice versa; the QID of the place is still right.
COMPATIBLE_KINDS: dict[str, tuple[str, ...]] = {
    "country": ("country", "territory"),
    "territory": ("territory", "country"),
    "organization": ("organization", "company"),
    "company": ("company", "organization"),
    "movement": ("movement", "organization"),
    "city": ("city",),
    "person": ("person",),
}
#: Kinds for which a metonym's stands_for is the entity meant ("Pyongyang said" -> North Korea).
ACTOR_KINDS = ("country", "organization")
#: Roles whose stands_for may replace the entry (a person never becomes their state).
METONYM_ROLES = ("capital", "metonym")

Rule = Callable[[str, str, list[GazetteerEntry], Gazetteer], list[GazetteerEntry]]


def _has(context: str, *patterns: str) -> bool:
    return any(re.search(pattern, context) for pattern in patterns)


def _without(entries: list[GazetteerEntry], qids: tuple[str, ...] = (), names=()) -> list:
    return [e for e in entries if e.wikidata not in qids and e.name not in names]


def _only(entries: list[GazetteerEntry], qid: str) -> list[GazetteerEntry]:
    return [e for e in entries if e.wikidata == qid]


def rule_georgia(
    kind: str, context: str, entries: list[GazetteerEntry], gazetteer: Gazetteer
) -> list:
    """Georgia: the U.S. state when the context is American, else the country by kind."""
    # Only signals tied to the U.S. state: "Governor" or "Sen." alone occur in any article.
    us_state = _has(
        context,
        r"\bAtlanta\b",
        r"\bSavannah\b",
        r"\bMacon\b",
        r"\bAugusta, Ga",
        r"\bGa\.(?=[\s,)])",
        r"\([RD]-Ga\.?\)",
        r"\bGeorgia (Gov|Governor|Sen|Senator|Rep|state|legislature|voters)\b",
        r"\b(Governor|Gov\.) [A-Z][\w.]*( [A-Z][\w.]*)? of Georgia\b",
        r"\b[Ss]tate of Georgia\b",
        r"\bGeorgia,\s+U\.?S",
        r"\bU\.?S\.? state of Georgia\b",
    )
    caucasus = _has(
        context,
        r"\bTbilisi\b",
        r"\bCaucas",
        r"\bAbkhaz",
        r"\bOssetia",
        r"\bSaakashvili\b",
        r"\bGeorgian\b",
    )
    if us_state and not caucasus:
        return [e for e in entries if e.kind == "territory"]
    if caucasus and not us_state:
        return [e for e in entries if e.kind == "country"]
    if us_state and caucasus:
        return []
    return entries


def rule_congo(
    kind: str, context: str, entries: list[GazetteerEntry], gazetteer: Gazetteer
) -> list:
    """Bare "Congo": Brazzaville -> Republic of the Congo; Kinshasa/DRC -> DR Congo."""
    # "Democratic Republic of the Congo" contains "Republic of the Congo": the lookbehind
    # keeps the DRC's full name from counting as Brazzaville.
    brazzaville = _has(
        context, r"\bBrazzaville\b", r"\bSassou\b", r"(?<!Democratic )\bRepublic of (the )?Congo\b"
    )
    kinshasa = _has(
        context,
        r"\bKinshasa\b",
        r"\bDRC\b",
        r"\bDR ?Congo\b",
        r"\bDemocratic Republic\b",
        r"\bZaire\b",
        r"\bGoma\b",
        r"\bKivu\b",
        r"\bTshisekedi\b",
        r"\bKabila\b",
    )
    if brazzaville and not kinshasa:
        return _only(entries, "Q971")
    if kinshasa and not brazzaville:
        return _only(entries, "Q974")
    return _without(entries, ("Q971", "Q974"))


def rule_korea(
    kind: str, context: str, entries: list[GazetteerEntry], gazetteer: Gazetteer
) -> list:
    """Bare "Korea" needs context that names one Korea only."""
    north = _has(context, r"\bNorth Korea", r"\bPyongyang\b", r"\bDPRK\b", r"\bKim Jong")
    south = _has(context, r"\bSouth Korea", r"\bSeoul\b", r"\bROK\b", r"\bRepublic of Korea\b")
    if north and not south:
        return _only(entries, "Q423")
    if south and not north:
        return _only(entries, "Q884")
    return _without(entries, ("Q423", "Q884"))


def rule_washington(
    kind: str, context: str, entries: list[GazetteerEntry], gazetteer: Gazetteer
) -> list:
    """Washington: the state only with state context; as an actor, the U.S. government."""
    state = _has(
        context,
        r"\bWashington [Ss]tate\b",
        r"\bstate of Washington\b",
        r"\bSeattle\b",
        r"\bOlympia\b",
        r"\bSpokane\b",
        r"\bTacoma\b",
    )
    if state and kind != "city":
        return [e for e in entries if e.kind == "territory"]
    return [e for e in entries if e.kind != "territory"]


def rule_palestine(
    kind: str, context: str, entries: list[GazetteerEntry], gazetteer: Gazetteer
) -> list:
    """Palestine: the state (Q219060) as an actor, the territories (Q407199) as a place."""
    if kind == "territory":
        territories = gazetteer.by_qid("Q407199")
        return [territories] if territories is not None else []
    return entries


_FIRST_NAME_STOP = frozenset(
    (  # noqa: SIM905 - a word list reads better as text
        "a an and as at by for from in into of on or the to with via against between "
        "kingdom king queen river west east north south central republic hashemite visit "
        "visited visits meeting minister president leaders government embassy said says "
        "told "
    ).split()
)


_INSTITUTION_WORDS = frozenset(
    (  # noqa: SIM905 - a word list reads better as text
        "commission council times post defense defence forces army government ministry "
        "embassy agreement accords relations summit talks border valley river basin "
        "state tech university national foreign "
    ).split()
)


def _only_as_personal_name(name: str, context: str) -> bool:
    """True when every mention of ``name`` in the context looks like part of a person's name
    ("Michael Jordan", "Chad Wolf"): a capitalised non-function word directly before it,
    or a capitalised surname directly after it with no verb or punctuation between."""
    mentions = list(re.finditer(rf"\b{re.escape(name)}\b", context))
    if not mentions:
        return False
    for match in mentions:
        if context[max(0, match.start() - 1) : match.start()] in ("-", "/"):
            return False  # "NATO-Georgia Commission", "U.S.-Jordan": a party, not a person
        before = re.search(r"([A-Z][a-z]+)\s+$", context[: match.start()])
        after = re.match(r"\s+([A-Z][a-z]+)\b", context[match.end() :])
        first_name = before and before.group(1).lower() not in _FIRST_NAME_STOP
        surname = after and after.group(1).lower() not in _INSTITUTION_WORDS | _FIRST_NAME_STOP
        if not (first_name or surname):
            return False
    return True


#: Context rules by folded alias. Each may only remove readings (never invent one), except
#: rule_palestine, which picks the territory item the gazetteer also holds.
RULES: dict[str, Rule] = {
    "georgia": rule_georgia,
    "congo": rule_congo,
    "korea": rule_korea,
    "washington": rule_washington,
    "palestine": rule_palestine,
}
#: Country names that are also common personal names; see _only_as_personal_name.
PERSONAL_NAME_ALIASES = frozenset({"Jordan", "Chad", "Georgia", "Israel", "Holland", "Kenya"})
#: Context-dependent descriptors: (pattern on the name, pattern the context must contain,
#: canonical name meant). "The northern government" is Sudan only in a Sudan story.
DESCRIPTOR_RULES: tuple[tuple[str, str, str], ...] = (
    (r"^(northern government|government in the north)$", r"South Sudan", "Sudan"),
    (r"^(southern government|government in the south)$", r"\bSudan\b", "South Sudan"),
)


def candidates(name: str, kind: str, context: str, gazetteer: Gazetteer) -> list[GazetteerEntry]:
    """The readings of ``name`` that survive the context rules (before kind resolution)."""
    entries = gazetteer.lookup(name)
    if not entries:
        for pattern, needed, meant in DESCRIPTOR_RULES:
            if re.match(pattern, clean(name), re.IGNORECASE) and re.search(needed, context):
                found = gazetteer.by_name(meant)
                return [found] if found else []
        return []
    rule = RULES.get(fold(clean(name)))
    if rule is not None:
        entries = rule(kind, context, entries, gazetteer)
    if clean(name) in PERSONAL_NAME_ALIASES and _only_as_personal_name(clean(name), context):
        entries = [e for e in entries if e.kind == "person"]
    return [e for e in entries if not _surname_of_someone_else(clean(name), e, context, gazetteer)]


_TITLES = frozenset(
    (  # noqa: SIM905 - a word list reads better as text
        "president presidents mr mrs ms dr gen general leader chairman premier prime "
        "minister secretary senator sen rep gov governor commander colonel col marshal "
        "supreme comrade madam sir lord king queen prince sheikh emir sultan but when if "
        "while after before since then so yet also however meanwhile that this though "
        "although because where how why what both neither former elect acting interim "
        "later earlier now today yesterday tonight again only even still there here said "
    ).split()
)


_POSSESSIVE = re.compile(r"\w['’]s?$")


def _surname_of_someone_else(
    alias: str, entry: GazetteerEntry, context: str, gazetteer: Gazetteer | None = None
) -> bool:
    """A bare surname ("Trump", "Chavez") names the verified person unless the context shows
    someone else by that surname ("Ivanka Trump", "Cesar Chavez") and never the person;
    the words of the person's other names are theirs too ("Donald J. Trump")."""
    if entry.kind != "person" or " " in alias or not context:
        return False
    given = {fold(part) for part in entry.name.split()[:-1]}
    for other, same in gazetteer.aliases() if gazetteer is not None else ():
        if same.kind == "person" and same.name == entry.name:
            given |= {fold(clean(part)) for part in other.split()} - {fold(alias)}
    if re.search(rf"\b{re.escape(fold(entry.name))}\b", fold(context)):
        return False
    # the word before the surname and its initials: "Fred" in "Fred J. Trump"
    pattern = rf"\b([A-Z][\w'’-]*)\.?\s+(?:[A-Z]\.\s+)*{re.escape(alias)}\b"
    others = {
        fold(word)
        for word in re.findall(pattern, context)
        if fold(word) not in given
        and fold(word) not in _TITLES | _FIRST_NAME_STOP
        and not _POSSESSIVE.search(word)  # "Russia's Putin": no given name
    }
    return bool(others)


def resolve(entry: GazetteerEntry, kind: str, gazetteer: Gazetteer) -> GazetteerEntry | None:
    """The entry meant when the extractor expects ``kind``, following metonymy."""
    if entry.kind == kind:
        return entry
    if kind in ACTOR_KINDS and entry.stands_for and entry.role in METONYM_ROLES:
        state = gazetteer.by_name(entry.stands_for)
        if state is not None and state.kind == kind:
            return state
    if entry.kind in COMPATIBLE_KINDS.get(kind, ()):
        return entry
    return None


def resolve_entity(
    name: str, kind: str, context: str = "", gazetteer: Gazetteer | None = None
) -> GazetteerEntry | None:
    """The one entity ``name`` means as a ``kind`` in ``context``, or None if not unique.

    Like :func:`link_entity` but returns the whole entry, so a caller also gets the
    canonical name ("Congo" in a Brazzaville story -> "Republic of the Congo"; "Rabat" as a
    country -> "Morocco"). The entry may have no QID (a known but unverified entity).
    """
    gazetteer = gazetteer or Gazetteer.default()
    readings = candidates(name, kind, context, gazetteer)
    resolved = [r for r in (resolve(e, kind, gazetteer) for e in readings) if r is not None]
    exact = [r for r in resolved if r.kind == kind] or resolved
    identities = {r.wikidata or f"{r.name}\x00{r.kind}" for r in exact}
    if len(identities) != 1:
        return None
    return exact[0]


def link_entity(
    name: str, kind: str, context: str = "", gazetteer: Gazetteer | None = None
) -> str | None:
    """The Wikidata QID for an extracted entity, or None when not unambiguous.

    ``kind`` is the fact-model kind the extractor expects (country, organization, city,
    territory, movement, company, person); ``context`` is the surrounding text (sentence or
    article) that context rules inspect. Exact-kind readings win over compatible kinds
    (Luxembourg the city vs the country); two different readings left means None.
    """
    entry = resolve_entity(name, kind, context, gazetteer)
    return entry.wikidata if entry is not None else None
