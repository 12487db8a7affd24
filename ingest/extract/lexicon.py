"""The gazetteer as a fast matcher: one trie-shaped regular expression, built once.

Matching rules: acronyms ("US", "UK", "NATO") match case-sensitively, also written with
full stops ("U.S."); other aliases match case-insensitively, but an alias that starts with a
capital only matches text that starts with a capital ("Turkey" the state, not "turkey").
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from diplograph.ingest.facts import Entity
from diplograph.ingest.gazetteer.normalize import fold

_ACRONYM = re.compile(r"^(?=.*[A-Z].*[A-Z0-9])[A-Z][A-Z0-9&]{1,5}$")
_ROLE_RANK = {
    "name": 0,
    "official": 1,
    "short": 2,
    "acronym": 2,
    "former": 3,
    "translation": 3,
    "demonym": 4,
    "descriptor": 5,
    "metonym": 6,
    "capital": 7,
}
# A capital before a same-named province ("Washington"), a state before anything else.
_KIND_RANK = {
    "country": 0,
    "organization": 1,
    "city": 2,
    "territory": 3,
    "movement": 4,
    "company": 5,
    "person": 6,
}
# Geographic names that contain a state's name without meaning the state.
_NOT_A_PARTY_AFTER = re.compile(
    r"(?:\s+(?:[A-Z][\w-]*|and|of|on|for)){0,6}?\s+(?:Act|Law|Bill|Resolution|Initiative|Fund"
    r"|Program|Programme|Institute|Corporation|Company|Party|Project)\b"
    r"|\s+(?:Sea|Ocean|Strait|Straits|Gulf|Peninsula|River|Basin|Desert|Mountains|Airport"
    r"|Airlines|Airways|University|Times|Post|Herald|Tribune|News|Daily|Today|Cup|League)\b"
)
_NOT_A_PARTY_BEFORE = re.compile(
    r"(?:\b(?:South|East|North|West|Southern|Northern|Eastern|Western|Central|Upper|Lower|New)"
    r"|\b(?:Gulf|Sea|Bay|University|Bank|Horn|Strait)\s+of)\s+$"
)


@dataclass(frozen=True, slots=True)
class LexEntry:
    """What a matched alias means for extraction.

    ``entity`` is the thing named (a country, a city, a person); ``party`` is who acts when
    the alias is used as a party (the state for a capital, a seat of government or a person
    acting for it; the entity itself otherwise). ``role`` is the gazetteer's alias role.
    ``located_in`` is the state a city lies in, whether or not it stands for it.
    """

    entity: Entity
    party: Entity | None
    role: str
    located_in: Entity | None = None


class Lexicon:
    """Aliases compiled into one regex plus a dictionary from folded alias to entries."""

    def __init__(
        self,
        pairs: Iterable[tuple[str, object]],
        resolve_party: Callable[[str], Entity | None],
        resolve_alias: Callable[[str, str, str], object | None] | None = None,
    ):
        self.party = resolve_party  # canonical state name -> Entity
        # (alias, expected kind, context) -> the one gazetteer entry it means there, or None
        self._resolve_alias = resolve_alias
        # the readings decided for the last document: (document, {(alias, kind): entry})
        self._decided: tuple[str, dict[tuple[str, str], object | None]] = ("", {})
        table: dict[str, list[tuple[str, LexEntry]]] = {}
        sensitive: set[str] = set()
        insensitive: set[str] = set()
        # family names are read after a title only, never matched in running text
        self._families: dict[str, list[LexEntry]] = {}
        self._family_of: dict[Entity, tuple[str, ...]] = {}  # as written
        for alias, entry in pairs:
            alias = alias.strip()
            if len(alias) < 2 or not any(ch.isalpha() for ch in alias):
                continue
            lex = _to_lex(entry, resolve_party)
            if lex is None:
                continue
            if lex.role == "family":
                self._families.setdefault(fold(alias), []).append(lex)
                self._family_of[lex.entity] = (*self._family_of.get(lex.entity, ()), alias)
                continue
            if _ACRONYM.match(alias.replace(".", "")):
                bare = alias.replace(".", "")
                key = "A:" + bare
                for form in {bare, ".".join(bare) + "."} if bare.isalpha() else {bare}:
                    sensitive.add(form)
            else:
                key = "W:" + alias.casefold()
                insensitive.add(alias)
            table.setdefault(key, []).append((alias, lex))
        self._table = {k: _best(v) for k, v in table.items()}
        # Aliases with several readings of the winning kind ("Congo", "Korea", "Dominican")
        # are resolved per document by the gazetteer's context rules, never by rank alone:
        # a wrong QID is worse than none.
        self._ambiguous = {k for k, v in table.items() if _is_ambiguous(v)}
        # A verified person's bare surname ("Trump") names them only when the article shows
        # nobody else by that surname ("Ivanka Trump"): the same linking rule, per document.
        self._surnames = {
            k
            for k, lex in self._table.items()
            if k.startswith("W:") and " " not in k and lex.entity.kind == "person"
        }
        self._capitalised = {k: alias[:1].isupper() for k, v in table.items() for alias, _ in v[:1]}
        # Two patterns, because acronyms are case-sensitive and names are not; the matches
        # are merged longest-first ("UN Security Council" over "UN").
        self._patterns = [
            re.compile(r"(?<![\w.])(?:" + body + r")(?![\w]|-[a-z])")
            for body in (
                _trie_regex(sorted(sensitive)) if sensitive else None,
                "(?i:" + _trie_regex(sorted(insensitive)) + ")" if insensitive else None,
            )
            if body
        ]

    def find(self, text: str, document: str = "") -> tuple[tuple[int, int, LexEntry], ...]:
        """Non-overlapping longest matches, left to right.

        ``document`` (default: ``text``) is the context that decides ambiguous aliases.
        """
        spans = sorted(
            ((m.start(), m.end()) for p in self._patterns for m in p.finditer(text)),
            key=lambda se: (se[0], -se[1]),
        )
        result = []
        last_end = -1
        for start, stop in spans:
            if start < last_end:
                continue
            found = self._entry(text, start, stop, document or text)
            if found is not None:
                result.append(found)
                last_end = stop
        return tuple(result)

    def _entry(
        self, text: str, start: int, stop: int, document: str
    ) -> tuple[int, int, LexEntry] | None:
        """The entry for one raw match, or None when the casing or context rules it out."""
        surface = text[start:stop]
        bare = surface.replace(".", "")
        key = "A:" + bare
        entry = self._table.get(key)
        if entry is None or not _ACRONYM.match(bare):
            key = "W:" + surface.casefold()
            entry = self._table.get(key)
            if entry is None:
                return None
            if self._capitalised.get(key) and not surface[:1].isupper():
                return None
        if key in self._ambiguous or key in self._surnames:
            entry = self._disambiguate(surface.rstrip("."), entry, document)
            if entry is None:
                return None
        if key in self._surnames and entry.entity.wikidata:
            # ... and this mention is not someone else's: "Ivanka Trump", "Fred J. Trump" in
            # an article that also names Donald Trump; the capitalised words before it are
            # the local context
            word = re.search(r"(?:[A-Z][\w'’.-]*\s+)+$", text[max(0, start - 60) : start])
            if word and self._resolve(surface, "person", word.group() + surface) is None:
                entry = _unknown_person(surface, entry.role)
        end = stop
        if surface.endswith(".") and not bare.isupper():
            end -= 1
        suffix = _NAME_SUFFIX.match(text, end) if entry.entity.kind == "person" else None
        if suffix:  # "Donald Trump Jr." is his son, someone we do not know
            end = suffix.end()
            entry = _unknown_person(text[start:end], entry.role)
        if _NOT_A_PARTY_AFTER.match(text, end) and entry.entity.kind != "person":
            return None  # "the Iran Threat Reduction ... Act", "the United Nations Act"
        if (
            entry.entity.kind in ("country", "territory")
            and entry.role != "demonym"
            and _NOT_A_PARTY_BEFORE.search(text[max(0, start - 20) : start])
        ):
            return None  # "the South China Sea", "the Gulf of Mexico"
        return start, end, entry

    def _disambiguate(self, surface: str, best: LexEntry, document: str) -> LexEntry | None:
        """The reading the document's context selects; else the name with no QID.

        An undecided demonym ("Dominican") names no party at all: it is an adjective, and a
        state called "Dominican" would be a wrong fact.
        """
        kind = best.entity.kind
        resolved = self._decide(surface, kind, document)
        lex = _to_lex(resolved, self.party) if resolved is not None else None
        if lex is not None:
            return dataclasses.replace(lex, role=best.role)
        if best.role == "demonym":
            return None
        if kind == "person":
            return _unknown_person(surface, best.role)  # acting for no state we know
        unknown = Entity(name=surface, kind=kind, wikidata=None)
        return LexEntry(entity=unknown, party=unknown if kind != "city" else None, role=best.role)

    def person(self, name: str, document: str = "") -> LexEntry | None:
        """The gazetteer person ``name`` means in ``document`` (its canonical name, QID and
        state), by the linking rules: a whole-name lookup, and a bare surname only when the
        document shows nobody else by that surname. None for names the gazetteer does not
        know as one person."""
        resolved = self._decide(name, "person", document)
        lex = _to_lex(resolved, self.party) if resolved is not None else None
        return lex if lex is not None and lex.entity.kind == "person" else None

    def by_family(self, name: str) -> tuple[LexEntry, ...]:
        """The persons the gazetteer knows by this family name ("Harper", "Lee"), each with
        the party they act for; how a titled mention chooses among them is the caller's."""
        return tuple(self._families.get(fold(name), ()))

    def family_names(self, person: Entity) -> tuple[str, ...]:
        """The family names the gazetteer gives ``person``: "Lee" for Lee Myung-bak."""
        return self._family_of.get(person, ())

    def doubts(self, name: str, document: str) -> bool:
        """Whether the gazetteer knows ``name`` as a person but the linking rules do not
        link it in ``document`` (a bare "Trump" where an "Ivanka Trump" is shown)."""
        return self._resolve(name, "person", "") is not None and self.person(name, document) is None

    def _decide(self, alias: str, kind: str, document: str) -> object | None:
        """The gazetteer's reading of ``alias`` in ``document``, computed once per document:
        the context rules read the whole article, and an alias recurs in many sentences."""
        decided = self._decided
        if decided[0] is not document:
            decided = (document, {})
            self._decided = decided  # one document at a time; a swap never mixes two
        key = (alias, kind)
        if key not in decided[1]:
            decided[1][key] = self._resolve(alias, kind, document)
        return decided[1][key]

    def _resolve(self, alias: str, kind: str, context: str) -> object | None:
        return self._resolve_alias(alias, kind, context) if self._resolve_alias else None


_NAME_SUFFIX = re.compile(r",?\s+(?:(?:Jr|Sr)\.?|II|III|IV)(?![\w.])")


def _unknown_person(surface: str, role: str) -> LexEntry:
    return LexEntry(entity=Entity(name=surface, kind="person"), party=None, role=role)


def _is_ambiguous(options: list[tuple[str, LexEntry]]) -> bool:
    """Do the readings of the best-ranked kind name more than one entity?"""
    top = min(_KIND_RANK.get(lex.entity.kind, 9) for _, lex in options)
    readings = {
        (lex.entity.wikidata or lex.entity.name, lex.party)
        for _, lex in options
        if _KIND_RANK.get(lex.entity.kind, 9) == top
    }
    return len(readings) > 1


def _best(options: list[tuple[str, LexEntry]]) -> LexEntry:
    options.sort(key=lambda o: (_KIND_RANK.get(o[1].entity.kind, 9), _ROLE_RANK.get(o[1].role, 9)))
    return options[0][1]


def _to_lex(entry, resolve_party) -> LexEntry | None:
    kind = getattr(entry, "kind", None)
    name = getattr(entry, "name", None)
    if not name or kind not in _KIND_RANK:
        return None
    entity = Entity(name=name, kind=kind, wikidata=getattr(entry, "wikidata", None))
    role = getattr(entry, "role", None) or "name"
    stands_for = getattr(entry, "stands_for", None)
    if stands_for:
        party = resolve_party(stands_for)
    elif kind == "city" or kind == "person":
        party = None
    else:
        party = entity
    located_in = getattr(entry, "located_in", None)
    return LexEntry(
        entity=entity,
        party=party,
        role=role,
        located_in=resolve_party(located_in) if located_in else None,
    )


def _trie_regex(words: list[str]) -> str:
    """A prefix-factored alternation: the regex engine walks it like a trie."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        if "" in node and len(node) == 1:
            return ""
        branches = []
        optional = False
        for ch in sorted(node, key=lambda c: (c == "", c)):
            if ch == "":
                optional = True
                continue
            branches.append(re.escape(ch) + emit(node[ch]))
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if optional:
            return "(?:" + body + ")?"
        return body

    # Longest match first: Python's alternation is ordered, so make optional tails greedy.
    return emit(trie)


@functools.cache
def default_lexicon() -> Lexicon:
    """The lexicon over the project's gazetteer (built once per process)."""
    from diplograph.ingest.gazetteer import Gazetteer, resolve_entity

    gazetteer = Gazetteer.default()

    @functools.cache
    def resolve_party(name: str) -> Entity | None:
        entry = gazetteer.by_name(name)
        if entry is None:
            return Entity(name=name, kind="country", wikidata=None)
        return Entity(name=entry.name, kind=entry.kind, wikidata=entry.wikidata)

    def resolve_alias(alias: str, kind: str, context: str) -> object | None:
        return resolve_entity(alias, kind, context, gazetteer)

    return Lexicon(gazetteer.aliases(), resolve_party, resolve_alias)
