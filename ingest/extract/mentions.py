"""Entity mentions in a sentence: gazetteer names, demonyms, metonyms, persons, references.

A :class:`Mention` says which *parties* (states, organisations, movements, companies) a span
of text stands for, and, separately, which *place* or *person* it names: "Rabat" is the
city of Rabat as a place and Morocco as a party; "Defence Minister Benny Gantz" is a person
acting for Israel. Which reading applies is decided by the event rules, which see the
preposition in front of the mention (``prep``).

:class:`DocumentContext` carries what earlier sentences taught us: persons by surname (for
"Gantz" after "Defence Minister Benny Gantz"), the recently mentioned parties (for "the two
countries", "the North African kingdom") and the *home* party of a government text (the
state whose organ published it, for "we" and "our").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from diplograph.ingest.extract.lexicon import LexEntry, Lexicon
from diplograph.ingest.extract.offices import office_state
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
)
_DEMONYM_PARTY = re.compile(
    r"(?:\s*(?:,|and|or)\s*(?:the\s+)?[A-Z][\w-]+)*\s+(?:[A-Z][\w-]+\s+){0,2}?(?i:"
    + _ORGAN_NOUNS
    + r")\b"
)
_ROLE = (
    r"(?i:(?:(?:deputy|vice|acting|former|interim|chief|senior|first|prime|foreign|defen[cs]e"
    r"|interior|finance|trade|economy|home|security|state|cabinet|fco|foreign\s+office"
    r"|foreign\s+affairs|national\s+security|under|assistant|special|outgoing|incoming|new"
    r"|newly-appointed|top)\s+)*"
    r"(?:minister|secretary(?:-general)?|president|premier|chancellor|ambassador|king|queen"
    r"|emir|crown\s+prince|prince|sheikh|sheikha|envoy|spokes(?:man|woman|person)|chairman"
    r"|director|commander|general|gen\.|admiral|adm\.|senator|governor|mayor|pope"
    r"|supreme\s+leader|undersecretary|under\s+secretary|counterpart|dictator|leader"
    r"|head|advisor|adviser|director-general|sultan|monarch|chief|co-director)"
    r"(?:\s+(?:of|for)\s+(?:state|defen[cs]e|foreign\s+affairs|the\s+treasury|the\s+interior"
    r"|(?:the\s+)?[A-Z][\w-]+(?:\s+[A-Z][\w-]+)?)(?:\s+for\s+[A-Z][\w-]+)?)?)"
)
# A name word: "al-Sisi", "McDonough" (tried before "Mc"), "Young-moo", an initial "J."
_NAME_WORD = (
    r"(?:(?:al|el|bin|ibn|abu)-[A-Z][a-zà-ÿ'’]+|[A-Z][a-z]{0,2}[A-Z][a-z]+"
    r"|[A-Z][a-zà-ÿ'’-]+(?:-[A-Z]?[a-zà-ÿ]+)*|[A-Z]\.)"
)
_NAME = (
    r"(?P<name>"
    + _NAME_WORD
    + r"(?:\s+(?:"
    + _NAME_WORD
    + r"|(?:bin|ibn|al|el|de|da|van|von|der|le|la|di|du)(?=\s+[A-Z])))"
    r"{0,4}(?:,?\s+(?:Jr\.|Sr\.|III|II|IV)(?![\w]))?)"
)
_PERSON = re.compile(
    r"(?P<role>"
    + _ROLE
    + r")\s*,?\s+(?:(?:Mr|Ms|Mrs|Dr|Sir|Rt\.?\s+Hon)\.?\s+)?"
    + _NAME
    + r"|(?P<hon>\b(?:Mr|Ms|Mrs|Dr|Sir)\.?)\s+"
    + _NAME.replace("P<name>", "P<hname>")
)
_NOT_NAMES = {
    "The",
    "A",
    "An",
    "This",
    "That",
    "In",
    "On",
    "At",
    "Of",
    "And",
    "But",
    "He",
    "She",
    "It",
    "They",
    "We",
    "I",
    "His",
    "Her",
    "Their",
    "Our",
    "Its",
    "Today",
    "Yesterday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Said",
    "Says",
    "Also",
    "Has",
    "Had",
    "Will",
    "Would",
    "Was",
    "Is",
    "After",
    "For",
    "To",
    "With",
    "From",
    "By",
    "As",
    "If",
    "When",
    "While",
    "Who",
    "Which",
    "Brig",
    "Gen",
    "Lt",
    "Col",
    "Maj",
    "Capt",
    "Adm",
    "Sgt",
    "Press",
    "Office",
    "Department",
    "Ministry",
    "Minister",
    "Secretary",
    "President",
    "Ambassador",
    "General",
    "Council",
}
_PRONOUN = re.compile(r"\b(?P<p>we|We|our|Our|us|ours|Ours|I|my|My)\b(?!\.)")
_GROUP = re.compile(
    r"\b(?P<g>their\s+(?=meeting|talks|summit|discussions?)|(?:our|their)\s+(?:two\s+)?countries"
    r"|(?:the|these|those|our|their)\s+two\s+(?:countries|nations|states|governments"
    r"|sides|leaders|ministers|allies|neighbou?rs|parties|militaries|koreas)"
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
_DETERMINERS = frozenset(
    ["the", "a", "an", "his", "her", "its", "their", "our", "this", "that", "these", "those"]
)


_LIST_GAP = re.compile(r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+|\s*/\s*")


@dataclass(slots=True)
class Mention:
    """A span of a sentence (offsets relative to the sentence) and what it refers to."""

    start: int
    end: int
    parties: tuple[Entity, ...]
    source: str
    place: Entity | None = None
    person: Entity | None = None
    prep: str | None = None
    possessive: bool = False
    confidence: float = 1.0
    nation: Entity | None = None  # the state a demonym names, even when not a party

    @property
    def party(self) -> Entity | None:
        return self.parties[0] if self.parties else None


@dataclass(slots=True)
class DocumentContext:
    """What earlier sentences of the article established."""

    lexicon: Lexicon
    home: Entity | None = None
    persons: dict[str, tuple[Entity, Entity | None]] = field(default_factory=dict)
    explicit: set[str] = field(default_factory=set)
    roles: dict[str, tuple[Entity, Entity]] = field(default_factory=dict)
    recent: list[Entity] = field(default_factory=list)
    subjects: list[Entity] = field(default_factory=list)
    recent_persons: list[Entity] = field(default_factory=list)
    first_seen: dict[Entity, int] = field(default_factory=dict)
    last_person: Entity | None = None
    person_pairs: list[tuple[Entity, Entity]] = field(default_factory=list)

    def remember(self, mentions: list[Mention]) -> None:
        parties = [p for m in mentions for p in m.parties if m.source != "pronoun"]
        if parties:
            self.subjects.append(parties[0])
        for party in parties:
            if party in self.recent:
                self.recent.remove(party)
            self.recent.append(party)
        for party in parties:
            self.first_seen.setdefault(party, len(self.first_seen))
        people = [m.party for m in mentions if m.source == "person" and m.party is not None]
        distinct = list(dict.fromkeys(people))
        if len(distinct) >= 2:
            self.person_pairs.append((distinct[0], distinct[1]))
        for m in mentions:
            if m.source == "person" and m.party is not None:
                self.last_person = m.party
                if m.party in self.recent_persons:
                    self.recent_persons.remove(m.party)
                self.recent_persons.append(m.party)
        del self.recent[:-12]
        del self.subjects[:-6]
        del self.recent_persons[:-6]

    def reset_discourse(self) -> None:
        """Forget discourse state but keep what was learnt about persons (second pass)."""
        self.recent.clear()
        self.subjects.clear()
        self.recent_persons.clear()
        self.person_pairs.clear()
        self.last_person = None


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
    for start, end, lex in context.lexicon.find(sentence):
        mention = _from_lexicon(sentence, start, end, lex)
        if mention is not None:
            mentions.append(mention)
    mentions = _add_persons(sentence, mentions, context)
    mentions.extend(_pronouns(sentence, mentions, context))
    mentions.extend(_groups(sentence, mentions, context))
    mentions.extend(_epithets(sentence, mentions, context))
    mentions.sort(key=lambda m: (m.start, -m.end))
    result: list[Mention] = []
    for m in mentions:
        if result and m.start < result[-1].end:
            continue
        result.append(m)
    previous: Mention | None = None
    for m in result:
        m.prep = _preposition(sentence, m.start, pronoun=m.source in ("pronoun", "he"))
        m.possessive = bool(re.match(r"['’]s?\b", sentence[m.end : m.end + 2]))
        # list members share the preposition of the first ("on Syria, Ukraine and ...")
        gap = sentence[previous.end : m.start] if previous is not None else ""
        if (
            previous is not None
            and _LIST_GAP.fullmatch(gap)
            and m.prep in (None, "and")
            and (re.search(r"\b(?:and|or)\b", gap) or _LIST_GAP.match(sentence, m.end))
        ):
            # a list member; a fronted phrase ("From Paris, Secretary Clinton ...") is not
            m.prep = previous.prep
        previous = m
    return result


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
    parties = (lex.party,) if lex.party else ()
    return Mention(start, end, parties, lex.role if lex.role else "name", place=place)


def _add_persons(sentence: str, mentions: list[Mention], context: DocumentContext) -> list[Mention]:
    """Persons with roles ("Defence Minister Benny Gantz") and known surnames ("Gantz")."""
    persons: list[Mention] = []
    for m in _PERSON.finditer(sentence):
        name = (m.group("name") or m.group("hname") or "").strip()
        name = re.sub(r"\s+(?:of|for|the)$", "", name)
        words = name.split()
        while words and words[-1] in _NOT_NAMES:
            words.pop()
        while words and words[0] in _NOT_NAMES:
            words.pop(0)
        if not words:
            continue
        name = " ".join(words)
        name_start = sentence.find(name, m.start("name") if m.group("name") else m.start())
        name_end = name_start + len(name)
        if any(
            mm.start <= name_start and name_end <= mm.end and mm.source != "person"
            for mm in mentions
        ):
            continue  # "President of Somalia" is not a person called "Somalia"
        role_start = m.start("role") if m.group("role") else m.start()
        party, explicit = _person_party(sentence, role_start, name_end, name, mentions, context)
        for mm in mentions:
            # the person's span covers a state named right before the title ("Japanese
            # Prime Minister ..."), so that the two are one subject
            if (
                mm.parties
                and 0 <= role_start - mm.end <= 3
                and mm.party == party
                and re.fullmatch(r"(?:['’]s)?\s*", sentence[mm.end : role_start])
            ):
                role_start = mm.start
        persons.append(
            Mention(
                role_start,
                name_end,
                (party,) if party else (),
                "person",
                person=Entity(name=name, kind="person"),
                confidence=1.0 if explicit else 0.7,
            )
        )
        surname = surname_of(name)
        keys = [surname]
        words = [w for w in name.split() if w not in _SUFFIXES]
        if len(words) >= 3:
            keys.append(" ".join(words[:2]))  # "Hassan Sheikh" for "Hassan Sheikh Mohamud"
        for key in keys:
            if explicit or key not in context.explicit:
                context.persons[key] = (Entity(name=name, kind="person"), party)
            if explicit:
                context.explicit.add(key)
        head = _ROLE_HEAD.search(
            sentence[role_start : m.start("name") if m.group("name") else m.start()]
        )
        if head and party is not None:
            context.roles[head.group(0).lower()] = (Entity(name=name, kind="person"), party)
    # surname coreference and lexicon persons
    for surname, (person, party) in list(context.persons.items()):
        for m in re.finditer(r"\b" + re.escape(surname) + r"\b", sentence):
            if any(p.start <= m.start() < p.end for p in persons):
                continue
            stated = _apposition_party(sentence, m.end(), mentions)
            if stated is not None:
                # "Gantz, the first Israeli defense minister, ...": learn the state
                party = stated
                context.persons[surname] = (person, party)
                context.explicit.add(surname)
            persons.append(
                Mention(m.start(), m.end(), (party,) if party else (), "person", person=person)
            )
    # "the Secretary", "the President": the last person introduced with that title
    for m in _DEFINITE_ROLE.finditer(sentence):
        known = context.roles.get(m.group("head").lower())
        if known is None or any(p.start <= m.start() < p.end for p in persons):
            continue
        persons.append(
            Mention(m.start(), m.end(), (known[1],), "person", person=known[0], confidence=0.8)
        )
    # persons cover lexicon mentions inside them (the role's country is already used)
    kept = [
        mm for mm in mentions if not any(p.start <= mm.start and mm.end <= p.end for p in persons)
    ]
    return kept + persons


_ROLE_HEAD = re.compile(
    r"\b(?:secretary|president|prime\s+minister|minister|ambassador|chancellor|king|queen"
    r"|emir|envoy)\b",
    re.IGNORECASE,
)
_DEFINITE_ROLE = re.compile(
    r"\b[Tt]he\s+(?P<head>[Ss]ecretary|[Pp]resident|[Pp]rime\s+[Mm]inister|[Mm]inister"
    r"|[Aa]mbassador|[Cc]hancellor|[Kk]ing|[Qq]ueen|[Ee]mir|[Ee]nvoy)\b(?!\s+(?:of|for|general)\b)"
)
_SUFFIXES = {"Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV"}


def surname_of(name: str) -> str:
    """The word a later mention uses for a person: "Marcos" in "Ferdinand Marcos Jr."."""
    words = [w for w in name.split() if w not in _SUFFIXES]
    return words[-1] if words else name


def _person_party(
    sentence: str,
    role_start: int,
    name_end: int,
    name: str,
    mentions: list[Mention],
    context: DocumentContext,
) -> tuple[Entity | None, bool]:
    """The state a person acts for, and whether the text says so (not a fallback)."""
    # 1. a party inside the role or right before it ("Russian Foreign Minister",
    #    "President of Somalia", "Japan's Ambassador", "Foreign Office Minister")
    for mm in mentions:
        if not mm.parties:
            continue
        if role_start <= mm.start < name_end:
            return mm.party, True
        gap = sentence[mm.end : role_start]
        if 0 <= role_start - mm.end <= 20 and re.fullmatch(
            r"(?:['’]s)?\s*(?:(?:army|military|defen[cs]e|foreign|security|intelligence|navy"
            r"|police|top|chief)\s+)?",
            gap,
            re.IGNORECASE,
        ):
            return mm.party, True
    # 2. "... Marcos Jr. of the Philippines", "Lionel Aingimea, his Nauru counterpart"
    tail = sentence[name_end : name_end + 60]
    after = re.match(
        r"\.?,?\s+(?:(?:of|from)\s+(?:the\s+)?|(?:the|his|her)\s+(?:first\s+|new\s+|then\s+)?)",
        tail,
    )
    if after:
        for mm in mentions:
            if mm.parties and mm.start == name_end + after.end():
                return mm.party, True
    # 3. a title only one state has ("Secretary of State", "Foreign Secretary")
    state = office_state(sentence[role_start:name_end])
    if state is not None:
        return context.lexicon.party(state), True
    # 4. an earlier mention of the same surname
    known = context.persons.get(name) or context.persons.get(surname_of(name))
    if known and known[1] is not None:
        return known[1], surname_of(name) in context.explicit
    # 4. a demonym close by ("Gantz, the first Israeli defense minister")
    for mm in mentions:
        if mm.source == "demonym-other" and 0 < mm.start - name_end <= 25:
            gap = sentence[name_end : mm.start]
            if re.fullmatch(r",\s+(?:the\s+)?(?:first\s+|new\s+|former\s+)?", gap) and mm.nation:
                return mm.nation, True
    # 5. in a government text, an official named without a state is one of its own
    return context.home, False


_HE_SHE = re.compile(r"\b(?:he|she|He|She)\b")


def _apposition_party(sentence: str, end: int, mentions: list[Mention]) -> Entity | None:
    """The state in an apposition right after a name: ", the Israeli defence minister"."""
    for mm in mentions:
        if mm.nation is None or not 0 < mm.start - end <= 25:
            continue
        gap = sentence[end : mm.start]
        if re.fullmatch(r",\s+(?:the\s+)?(?:first\s+|new\s+|former\s+|then\s+)?", gap):
            return mm.nation
    return None


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
    home = speaker or context.home
    for m in _HE_SHE.finditer(sentence):
        if any(mm.start <= m.start() < mm.end for mm in mentions):
            continue
        earlier = [mm for mm in mentions if mm.source == "person" and mm.end <= m.start()]
        party = earlier[-1].party if earlier else context.last_person
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
        for party in reversed(context.subjects):
            if party.kind == "country" and party not in present:
                result.append(Mention(m.start(), m.end(), (party,), "epithet", confidence=0.6))
                break
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
        if low in _PREP_WORDS:
            return low
        if low in _DETERMINERS:
            continue
        skipped += 1
        if skipped > 2 or pronoun:
            return None  # pronouns take no modifiers: "On Tuesday he ..." has no "on" he
    return None
