"""Entity mentions in a sentence: gazetteer names, demonyms, metonyms, persons, references.

Gazetteer matches become parties, places or demonyms (a demonym is a party only when it
modifies an organ: "Colombian officials", not "Algerian civilians"); persons come from
``persons.py``; first-person pronouns stand for the home state or the quoted speaker;
"the two countries", "the North African kingdom" and "the embassy" are resolved from
earlier sentences, and "the Secretary of State" stands for the state whose office it is.
Each mention also records the preposition governing it (``in``, ``with``, ``by`` ...).
"""

from __future__ import annotations

import dataclasses
import re

from diplograph.ingest.extract.context import DocumentContext, Mention
from diplograph.ingest.extract.lexicon import LexEntry, Lexicon
from diplograph.ingest.extract.offices import office_state
from diplograph.ingest.extract.persons import add_persons
from diplograph.ingest.facts import Entity

_ORGAN_NOUNS = (
    r"government|govt|administration|officials?|authorities|troops|forces|military|army|navy"
    r"|air\s+force|coast\s+guard|president|prime\s+minister|premier|ministers?|ministry"
    r"|foreign\s+ministry|foreign\s+office|defen[cs]e\s+ministry|embass(?:y|ies)|consulates?"
    r"|ambassadors?|diplomats?|envoys?|delegation|leaders?|leadership|counterparts?|regime"
    r"|side|state\s+media|police|warships?|vessels?|jets|security\s+forces|king|monarch"
    r"|spokes(?:man|woman|person)|parliament|lawmakers|cabinet|junta|navy|secretary|chancellor"
    r"|foreign\s+minister|defen[cs]e\s+minister|defen[cs]e\s+secretary|foreign\s+secretary"
    r"|emir|sultan|crown\s+prince|national\s+defen[cs]e\s+commission|investigators|team"
    r"|co-director|company|firm|aggression|attack|strikes?|submarine|torpedo|court|capital"
    r"|people|nation|state|banks?|companies|firms|entities|oligarchs|individuals|exporters"
    r"|airlines|intelligence|agency|agencies|central\s+bank|negotiators|mission"
    # office holders a sanction or an accusation names: "sanctions on three Nicaraguan judges"
    r"|judges|prosecutors|generals|commanders|businessmen|tycoons|executives"
)
_DEMONYM_PARTY = re.compile(
    r"(?:\s*(?:,|and|or)\s*(?:the\s+)?[A-Z][\w-]+)*\s+(?:[A-Z][\w-]+\s+){0,2}?(?i:"
    + _ORGAN_NOUNS
    + r")\b"
)
_PRONOUN = re.compile(r"\b(?P<p>we|We|our|Our|us|ours|Ours|I|my|My)\b(?!\.)")
_GROUP = re.compile(
    r"\b(?P<g>their\s+(?=meeting|talks|summit|discussions?)|(?:our|their)\s+(?:two\s+)?countries"
    r"|(?:the|these|those|our|their)\s+two\s+(?:countries|nations|states|governments"
    r"|sides|leaders|(?:prime\s+|foreign\s+|defen[cs]e\s+)?ministers|presidents|allies"
    r"|heads\s+of\s+(?:state|government)|delegations|neighbou?rs|parties|militaries|koreas)"
    r"|both\s+(?:countries|nations|states|governments|sides|leaders|ministers|parties)"
    r"|each\s+other(?:'s)?)\b",
    re.IGNORECASE,
)
_EPITHET = re.compile(
    r"\b(?:the|The)\s+(?P<desc>(?:[\w-]+\s+){0,3}?(?:kingdom|island\s+nation|nation|country"
    r"|republic|emirate|state|island|archipelago|monarchy))\b(?!\s+of\b)"
)
_PREP_WORDS = frozenset(
    [
        "in",
        "to",
        "at",
        "into",
        "from",
        "on",
        "with",
        "by",
        "against",
        "of",
        "for",
        "between",
        "and",
        "near",
        "outside",
        "inside",
        "across",
        "over",
        "toward",
        "towards",
        "visit",
        "visited",
        "visiting",
        "reach",
        "reached",
        "discuss",
        "discussed",
        "discussing",
        "about",
        "regarding",
        "including",
        "like",
        "unlike",  # "Unlike Germany, France did not sign": Germany is no party to it
        "besides",
        "except",
        "excluding",
        "without",
        "as",
    ]
)
_HEAD_OF = frozenset(
    [
        "people",
        "government",
        "citizens",
        "leaders",
        "leadership",
        "president",
        "authorities",
        "republic",
        "kingdom",
        "state",
    ]
)
#: "officials in Ankara", "senior leaders in Indonesia": the state's own people in office,
#: governed by what governs them ("met with senior leaders in Indonesia" -> "with")
_OFFICIALS_IN = frozenset(
    ("officials", "leaders", "leadership", "authorities", "counterparts", "government")
)
_CLAUSE_WORDS = frozenset(
    ("but", "while", "which", "who", "whose", "that", "when", "where", "although", "though")
)
# "is to meet Modi", "plans to host Ruto": an infinitive marker, not a preposition
_INFINITIVE_MEETING = frozenset(("meet", "host", "receive", "welcome"))
_TIME_WORDS = frozenset(
    (
        *("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
        *("january", "february", "march", "april", "may", "june", "july", "august"),
        *("september", "october", "november", "december"),
        *("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"),
    )
)
_DETERMINERS = frozenset(
    ["the", "a", "an", "his", "her", "its", "their", "our", "this", "that", "these", "those"]
)


_POSSESSIVE = re.compile(r"['’]s\b|(?<=s)['’](?=\s)")
_LIST_GAP = re.compile(r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+|\s*/\s*")


_HE_SHE = re.compile(r"\b(?:he|she|He|She)\b")


def detect_home(sentences: list[str], lexicon: Lexicon) -> Entity | None:
    """The state whose organ speaks in a government text, e.g. "the White House", "U.S.
    Embassy", "State Department"; None when no organ is named."""
    organ = re.compile(r"\s*(?:Embassy|Department|Ministry|Government|Mission|Consulate)\b")
    for sentence in sentences:
        for _start, end, lex in lexicon.find(sentence):
            if lex.party is None or lex.party.kind != "country":
                continue
            if lex.role == "metonym" or (
                lex.entity.kind == "organization" and lex.party != lex.entity
            ):
                return lex.party
            if lex.role in ("name", "acronym", "short", "demonym") and organ.match(sentence, end):
                return lex.party
    return None


def find_mentions(sentence: str, context: DocumentContext) -> list[Mention]:
    """All mentions of one sentence, left to right, without overlaps."""
    mentions: list[Mention] = []
    for start, end, lex in context.memo(context.find_names, sentence):
        mention = _from_lexicon(sentence, start, end, lex)
        if mention is not None:
            mentions.append(mention)
    mentions = add_persons(sentence, mentions, context)
    mentions.extend(_pronouns(sentence, mentions, context))
    mentions.extend(_groups(sentence, mentions, context))
    mentions.extend(_epithets(sentence, mentions, context))
    mentions.extend(_organ_references(sentence, mentions, context))
    mentions.extend(_unnamed_office_holders(sentence, mentions, context))
    mentions.sort(key=lambda m: (m.start, -m.end))
    result: list[Mention] = []
    for m in mentions:
        if result and m.start < result[-1].end:
            continue
        result.append(m)
    previous: Mention | None = None
    for m in result:
        m.prep = _preposition(sentence, m.start, pronoun=m.source in ("pronoun", "he"))
        # "Japan's", "the Philippines’" -- not "I’m" or "we’re"
        m.possessive = bool(_POSSESSIVE.match(sentence, m.end))
        # list members share the preposition of the first ("on Syria, Ukraine and ...")
        gap = sentence[previous.end : m.start] if previous is not None else ""
        if previous is not None and previous.possessive and _POSSESSIVE_GAP.fullmatch(gap):
            # "the Department of the Treasury's Office of ...": what governs the possessor
            # governs what it owns, not the "of" inside the possessor's name
            m.prep = previous.prep
        elif (
            previous is not None
            and _LIST_GAP.fullmatch(gap)
            and m.prep in (None, "and")
            and (re.search(r"\b(?:and|or)\b", gap) or _LIST_GAP.match(sentence, m.end))
        ):
            # a list member; a fronted phrase ("From Paris, Secretary Clinton ...") is not
            m.prep = previous.prep
        previous = m
    return result


#: Between a possessor and a name it owns: "Japan's Prime Minister", "the Treasury’s" (not
#: "the EU's sanctions on", where the preposition governs what follows).
_POSSESSIVE_GAP = re.compile(r"['’]s?\s+(?:[A-Z][\w-]*\s+){0,2}")


def _from_lexicon(sentence: str, start: int, end: int, lex: LexEntry) -> Mention | None:
    entity = lex.entity
    if lex.role == "demonym":
        if not _DEMONYM_PARTY.match(sentence, end) and not re.match(
            r"-[A-Z]", sentence[end : end + 2]
        ):
            return Mention(start, end, (), "demonym-other", nation=lex.party, confidence=0.0)
        return Mention(start, end, (lex.party,) if lex.party else (), "demonym", nation=lex.party)
    if entity.kind == "person":
        return Mention(start, end, (lex.party,) if lex.party else (), "person", person=entity)
    place = entity if entity.kind in ("city", "country", "territory") else None
    if place is not None and lex.located_in is not None:
        place = dataclasses.replace(place, located_in=lex.located_in)
    parties = (lex.party,) if lex.party else ()
    return Mention(start, end, parties, lex.role if lex.role else "name", place=place)


_HE_SHE = re.compile(r"\b(?:he|she|He|She)\b")


_SAID = re.compile(r"\s+(?:said|says|added|stated|announced|told)\b")


def _pronouns(sentence: str, mentions: list[Mention], context: DocumentContext) -> list[Mention]:
    result = []
    # '"We will not ...," Washington said': first person refers to the speaker named
    speaker = next(
        (
            mm.party
            for mm in mentions
            if mm.parties
            and _SAID.match(sentence, mm.end)
            and re.search(r"[,\"”]\s*(?:the\s+)?$", sentence[: mm.start])
        ),
        None,
    )
    in_turn, turn_state = context.turn
    home = speaker or (turn_state if in_turn else context.home)
    for m in _HE_SHE.finditer(sentence):
        if any(mm.start <= m.start() < mm.end for mm in mentions):
            continue
        earlier = [
            mm
            for mm in (*mentions, *result)
            if mm.source in ("person", "he") and mm.end <= m.start()
        ]
        if earlier:
            party = earlier[-1].party
        elif m.start() == 0 and context.subject_person is not None:
            party = context.subject_person  # "He will then travel ...": the last subject
        else:
            party = context.last_person
        if party is not None:
            result.append(Mention(m.start(), m.end(), (party,), "he", confidence=0.7))
    if home is None:
        return result
    return result + [
        Mention(m.start(), m.end(), (home,), "pronoun", confidence=0.6)
        for m in _PRONOUN.finditer(sentence)
        if not any(mm.start <= m.start() < mm.end for mm in mentions)
    ]


def _groups(sentence: str, mentions: list[Mention], context: DocumentContext) -> list[Mention]:
    """ "the two countries", "both sides": the two most recent distinct parties."""
    result = []
    for m in _GROUP.finditer(sentence):
        before = [p for mm in mentions if mm.end <= m.start() for p in mm.parties]
        if re.search(r"leaders|ministers|their\s+$", m.group("g"), re.IGNORECASE):
            # "the two leaders": the pair of officials that met, i.e. the earliest sentence
            # naming officials of two states, unless this sentence names two itself
            people = list(
                dict.fromkeys(p for mm in mentions if mm.source == "person" for p in mm.parties)
            )
            pair = tuple(people[:2]) if len(people) >= 2 else None
            if pair is None and context.person_pairs:
                pair = context.person_pairs[0]
            if pair is not None:
                result.append(Mention(m.start(), m.end(), pair, "group", confidence=0.7))
                continue
        local = [p for p in dict.fromkeys(before) if p.kind in ("country", "organization")]
        # two parties named earlier in this sentence are the pair; one party named here is
        # usually the speaker ("The UK ... stands ready to support both parties")
        seen: list[Entity] = local[-2:] if len(local) >= 2 else []
        subjects_here = set(local)
        kinds = (
            ("country",)
            if re.search(r"countries|nations|states|koreas", m.group("g"), re.IGNORECASE)
            else ("country", "organization")
        )
        for party in reversed(context.recent):
            if len(seen) >= 2:
                break
            if party not in seen and party not in subjects_here and party.kind in kinds:
                seen.append(party)
        if len(seen) >= 2:
            pair = tuple(sorted(seen[:2], key=lambda e: context.first_seen.get(e, 999)))
            result.append(Mention(m.start(), m.end(), pair, "group", confidence=0.7))
    return result


def _epithets(sentence: str, mentions: list[Mention], context: DocumentContext) -> list[Mention]:
    """ "the North African kingdom", "the island nation": the salient earlier state."""
    result = []
    for m in _EPITHET.finditer(sentence):
        if any(
            mm.start <= m.start() < mm.end or m.start() <= mm.start < m.end() for mm in mentions
        ):
            continue
        desc = m.group("desc").lower()
        if desc in ("state", "country", "nation") and not re.search(r"\w+\s+\w+", desc):
            continue  # "the state" alone is too vague
        present = {p for mm in mentions for p in mm.parties}
        # an earlier subject of the article, else the people named before it in the
        # sentence ("Kerry told Cubans, marking the first time ... visited the island nation")
        nations = [
            mm.nation for mm in mentions if mm.end <= m.start() and mm.source == "demonym-other"
        ]
        for party in [*reversed(context.subjects), *reversed(nations)]:
            if party is not None and party.kind == "country" and party not in present:
                result.append(Mention(m.start(), m.end(), (party,), "epithet", confidence=0.6))
                break
    return result


#: An organ named with its state ("the U.S. embassy", "Germany's foreign ministry"), and the
#: same organ named alone later ("the embassy"): group ``kind`` tells which organ it is.
_OWNED_ORGAN = re.compile(
    r"(?:['’]s?)?\s+(?:(?:[A-Z][\w-]*|foreign|defen[cs]e|interior)\s+)?(?P<kind>embassy|consulate"
    r"|ministry|foreign\s+office)\b",
    re.IGNORECASE,
)
_LONE_ORGAN = re.compile(
    r"\b(?:the|The)\s+(?:(?:foreign|defen[cs]e|interior)\s+)?(?P<kind>embassy|consulate|ministry"
    r"|foreign\s+office)\b(?!\s+(?:of|in)\b)"
)


def _organ_kind(word: str) -> str:
    """ "embassy", "consulate" or "ministry" (a foreign office is a ministry)."""
    word = word.lower()
    return word if word in ("embassy", "consulate") else "ministry"


def _organ_references(
    sentence: str, mentions: list[Mention], context: DocumentContext
) -> list[Mention]:
    """ "the embassy" after "the U.S. embassy": the state whose organ of that kind the
    article named last (this sentence first); remembers this sentence's owned organs."""
    owned = [
        (m.end, _organ_kind(o.group("kind")), m.party)
        for m in mentions
        if len(m.parties) == 1 and (o := _OWNED_ORGAN.match(sentence, m.end)) is not None
    ]
    result = []
    for lone in _LONE_ORGAN.finditer(sentence):
        if any(mm.start <= lone.start() < mm.end for mm in mentions):
            continue
        kind = _organ_kind(lone.group("kind").split()[-1])
        before = [party for end, k, party in owned if k == kind and end <= lone.start()]
        party = before[-1] if before else context.organs.get(kind)
        if party is not None:
            result.append(Mention(lone.start(), lone.end(), (party,), "organ", confidence=0.7))
    for _end, kind, party in owned:
        context.organs[kind] = party
    return result


#: "the Foreign Secretary", "the Secretary of State" named without a name after the title
_THE_OFFICE = re.compile(
    r"\b[Tt]he\s+(?P<title>[A-Z][\w-]*(?:\s+(?:[A-Z][\w-]*|of|for|the)){0,5}?"
    r"\s+(?:Secretary|Minister|Adviser|Advisor|Councilor|Exchequer|Taoiseach|State|Defense"
    r"|Treasury|Security))\b(?!\s+[A-Z])"
)


def _unnamed_office_holders(
    sentence: str, mentions: list[Mention], context: DocumentContext
) -> list[Mention]:
    """ "The Foreign Secretary met ...": the holder of an office only one state has (a
    shared title, "Foreign Secretary", only in an article that names that state), as a
    party; the same rule as for a titled name (``persons.py``), without a name."""
    result = []
    for m in _THE_OFFICE.finditer(sentence):
        if any(mm.start < m.end() and m.start() < mm.end for mm in mentions):
            continue
        office = office_state(m.group("title"))
        if office is None:
            continue
        state, shared = office
        party = context.lexicon.party(state)
        if party is None or (shared and party != context.home and not context.names_party(party)):
            continue
        result.append(Mention(m.start(), m.end(), (party,), "office", confidence=0.8))
    return result


def _preposition(sentence: str, start: int, *, pronoun: bool = False) -> str | None:
    """The preposition governing a mention: the nearest one before it, skipping articles
    and at most two other words ("in the Somali capital Mogadishu" -> "in"), never across
    punctuation."""
    window = re.split(r"[,;:()\"“”–—]", sentence[max(0, start - 50) : start])[-1]
    skipped = 0
    words = window.split()
    for i in range(len(words) - 1, -1, -1):
        low = words[i].lower()
        if low == "of" and i > 0 and words[i - 1].lower() in _HEAD_OF:
            continue  # "to the people of Somalia" is governed by "to"
        if low == "in" and i > 0 and words[i - 1].lower() in _OFFICIALS_IN:
            continue
        if low == "to" and i + 1 < len(words) and words[i + 1].lower() in _INFINITIVE_MEETING:
            return None  # the object of the infinitive: "is to meet Modi"
        if low == "as" and i == 0 and re.search(r",\s*$", sentence[: start - len(window)]):
            return None  # ", as Philippine President Marcos began ...": a new clause
        if low in _PREP_WORDS:
            after = words[i + 1].lower().strip(",.") if i + 1 < len(words) else ""
            if after in _TIME_WORDS or after.isdigit():
                return None  # "on Tuesday criticized Spain": the "on" dates the verb
            return low
        if low in _DETERMINERS:
            continue
        if low in _CLAUSE_WORDS:
            return None  # "set up ties in 1993 but Rabat broke them off": a new clause
        skipped += 1
        if skipped > 2 or pronoun:
            return None  # pronouns take no modifiers: "On Tuesday he ..." has no "on" he
    return None
