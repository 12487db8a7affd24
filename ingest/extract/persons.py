"""Persons with roles and the state they act for.

"Defence Minister Benny Gantz", "Russian Foreign Minister Sergey Lavrov", "President
Ferdinand Marcos Jr. of the Philippines": a role word followed by a capitalised name. The
state comes from the text around the title (a demonym or country before it, "of X" after
the name, an apposition ", the Israeli defence minister"), from a title only one state
has ("Secretary of State"), from an earlier mention of the same surname, and as a last
resort from the home state of a government text. Later mentions ("Gantz", "the
Secretary") are resolved within the article.

Who a person is: a shorter name ("Secretary Clinton", "President Hassan Sheikh") means the
fullest name of the article it fits ("Hillary Rodham Clinton", "Hassan Sheikh Mohamud")
when exactly one fits, and a name the gazetteer knows carries its QID ("President Trump" ->
Donald Trump Q22686) when the linking rules allow it (nobody else by that surname).
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterable

from diplograph.ingest.extract.context import DocumentContext, Mention
from diplograph.ingest.extract.lexicon import LexEntry
from diplograph.ingest.extract.offices import office_state
from diplograph.ingest.facts import Entity
from diplograph.ingest.gazetteer.normalize import strip_accents
from diplograph.ingest.gazetteer.office_terms import held, title_kinds

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
# A name word: "al-Sisi", "McDonough" (tried before "Mc"), "Young-moo", "Akufo-Addo" (a
# hyphen only between parts, never the word's last character), an initial "J."
_NAME_WORD = (
    r"(?:(?:al|el|bin|ibn|abu)-[A-Z][a-zà-ÿ'’]+|[A-Z][a-z]{0,2}[A-Z][a-z]+"
    r"|[A-Z][a-zà-ÿ'’]+(?:-[A-Z]?[a-zà-ÿ'’]+)*|[A-Z]\.)"
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
    "Before",
    "During",
    "Amid",
    "Ahead",
    "Following",
    "Meeting",
    "Talks",
    "Visit",
    "Remarks",
    "Statement",
    "Conference",
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


def add_persons(sentence: str, mentions: list[Mention], context: DocumentContext) -> list[Mention]:
    """Persons with roles ("Defence Minister Benny Gantz") and known surnames ("Gantz")."""
    persons: list[Mention] = []
    mentions = [_known_person(sentence, mm, context) for mm in mentions]
    for role_start, name_start, name, role_end in context.memo(titled_names, sentence):
        name_end = name_start + len(name)
        if any(
            mm.start <= name_start and name_end <= mm.end and mm.source != "person"
            for mm in mentions
        ):
            continue  # "President of Somalia" is not a person called "Somalia"
        title = sentence[role_start:role_end]
        office = title if _OFFICE.search(title) else None  # not "Mr", "Dr"
        person, linked_party = person_entity(name, context, office=office)
        party, explicit = _person_party(sentence, role_start, name_end, name, mentions, context)
        if not explicit and linked_party is not None:
            party = linked_party  # "President Putin" in an American text acts for Russia
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
                person=person,
                confidence=1.0 if explicit else 0.7,
            )
        )
        surname = surname_of(name)
        keys = [surname]
        # "Lee" for Lee Myung-bak: the family name the gazetteer gives, when not the last word
        keys += [
            family
            for family in context.lexicon.family_names(person)
            if family != surname and f" {family} " in f" {person.name} "
        ]
        words = [w for w in name.split() if w not in _SUFFIXES]
        if len(words) >= 3:
            keys.append(" ".join(words[:2]))  # "Hassan Sheikh" for "Hassan Sheikh Mohamud"
        for key in keys:
            if explicit or key not in context.explicit:
                context.persons[key] = (person, party)
            if explicit:
                context.explicit.add(key)
        head = _ROLE_HEAD.search(sentence[role_start:role_end])
        if head and party is not None:
            context.roles[head.group(0).lower()] = (person, party)
    # surname coreference and lexicon persons
    known = _known_names(tuple(context.persons))
    for m in known.finditer(sentence) if known is not None else ():
        surname = m.group()
        person, party = context.persons[surname]
        if any(p.start <= m.start() < p.end for p in persons):
            continue
        fuller = _fuller(surname, context)
        if fuller is not None:
            person = fuller[0]  # "Clinton": Hillary Rodham Clinton; two Kims: just "Kim"
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


def titled_names(sentence: str) -> tuple[tuple[int, int, str, int], ...]:
    """(title start, name start, name, title end) for each "Title Name" in a sentence."""
    if not _TITLE_HINT.search(sentence):
        return ()  # the full pattern is costly; most sentences have no title word at all
    found = []
    for m in _PERSON.finditer(sentence):
        name = (m.group("name") or m.group("hname") or "").strip()
        name = re.sub(r"\s+(?:of|for|the)$", "", name)
        words = name.split()
        for i, word in enumerate(words):
            if _POSSESSIVE_WORD.search(word):  # "Trump’s Executive Order": the name is "Trump"
                words = [*words[:i], word[:-2]]
                break
        while words and words[-1] in _NOT_NAMES:
            words.pop()
        while words and words[0] in _NOT_NAMES:
            words.pop(0)
        if not words:
            continue
        name = " ".join(words)
        name_start = sentence.find(name, m.start("name") if m.group("name") else m.start())
        role_start = m.start("role") if m.group("role") else m.start()
        role_end = m.start("name") if m.group("name") else m.start()
        found.append((role_start, name_start, name, role_end))
    return tuple(found)


_POSSESSIVE_WORD = re.compile(r"\w['’]s$")
_TITLE_HINT = re.compile(
    r"(?i:minister|secretary|president|premier|chancellor|ambassador|king|queen|emir|prince"
    r"|sheikh|envoy|spokes|chair|director|commander|general|gen\.|admiral|adm\.|senator"
    r"|governor|mayor|pope|leader|counterpart|dictator|head|advis|sultan|monarch|chief)"
    r"|\b(?:Mr|Ms|Mrs|Dr|Sir)\b"
)


@functools.lru_cache(maxsize=256)
def _known_names(names: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern for every name learnt so far (longest first), compiled once per set."""
    if not names:
        return None
    ordered = sorted(names, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(n) for n in ordered) + r")\b")


def introduce(name: str, context: DocumentContext) -> tuple[Entity, Entity | None]:
    """Learn a person's name of two words or more; who it names and the state the gazetteer
    says they act for (None when it does not know them)."""
    linked = context.lexicon.person(name, context.document)
    found = (linked.entity, linked.party) if linked is not None else (Entity(name, "person"), None)
    _learn(name, found, context)
    return found


def _learn(name: str, found: tuple[Entity, Entity | None], context: DocumentContext) -> None:
    words = _name_words(name)[0]
    if len(words) < 2 or name in context.names:
        return
    context.names[name] = found
    for word in set(words):
        context.name_index.setdefault(word, []).append(name)


def person_entity(
    name: str, context: DocumentContext, office: str | None = None
) -> tuple[Entity, Entity | None]:
    """Who ``name`` names in this article, and the state the gazetteer says they act for.

    The fullest name introduced in the article that ``name`` fits, if exactly one does;
    the bare name when several fit (two Kims, two Bushes); otherwise the name itself, with
    the gazetteer's canonical name and QID when the linking rules link it; failing that,
    after an office title ("Prime Minister Harper"), the office-holder of that family name
    (see :func:`_by_family`).
    """
    found = introduce(name, context)
    fuller = _fuller(name, context)
    if fuller is not None:
        return fuller
    if office is not None and found[1] is None:
        return _by_family(name, office, context) or found
    return found


def _by_family(
    name: str, title: str, context: DocumentContext
) -> tuple[Entity, Entity | None] | None:
    """The office-holder a title with a bare family name means.

    Among the persons the gazetteer knows by that name, those acting for a party the
    article names (or its home state), when they all act for the same one. Which person it
    is: the one of them who held the title's office in the year of publication ("President
    Lee" in 2011: Lee Myung-bak), else the only one, when the name is nobody else's in the
    gazetteer and long enough to be rare ("Harper", not "Lee", "Kim" or "Khan", which many
    officials of the same state share); else the bare name. When the article names none of
    their parties, only a name that the gazetteer knows for one party, and whose one
    holder of that office in that year it knows, gives the person and the party
    ("Prime Minister Harper" in 2010, "President Bush" in 2005); in an undated text, only
    a long name that one known person ever held that office under does.
    """
    known = context.lexicon.by_family(name)
    here = [
        lex
        for lex in known
        if lex.party is not None and (lex.party == context.home or context.names_party(lex.party))
    ]
    parties = {lex.party for lex in here}
    long_name = len(name) >= 5
    rare = len({lex.entity for lex in known}) == 1 and long_name
    if not parties:
        # "President Bush" in 2005: both Bushes acted for one state, one was president then;
        # a short name in an undated text may be anybody's ("Prime Minister Khan")
        one_party = len({lex.party for lex in known}) == 1
        dated = context.published is not None
        holder = _in_office(known, title, context) if one_party and (long_name or dated) else None
        return (holder.entity, holder.party) if holder is not None else None
    if len(parties) != 1:
        return None
    holder = _in_office(here, title, context)
    if holder is not None:
        return holder.entity, holder.party
    person = here[0].entity if rare else Entity(name=name, kind="person")
    return person, parties.pop()


def _in_office(
    candidates: Iterable[LexEntry], title: str, context: DocumentContext
) -> LexEntry | None:
    """The one candidate who held the office ``title`` names in the year of publication,
    or ever, in an undated text ("Prime Minister Harper" when no date is given)."""
    kinds = title_kinds(title)
    if not kinds:
        return None
    year = context.published.year if context.published is not None else None
    holders = {lex.entity: lex for lex in candidates if held(lex.entity.name, kinds, year)}
    return next(iter(holders.values())) if len(holders) == 1 else None


#: The titles of the offices persons.tsv lists (not "Governor", "Mayor", "Dr" or "Mr").
_OFFICE = re.compile(
    r"(?i:minister|secretary|president|premier|chancellor|king|queen|emir"
    r"|prince|sheikh|sultan|leader|chairman|ambassador|envoy|spokes)"
)


def _known_person(sentence: str, mention: Mention, context: DocumentContext) -> Mention:
    """A gazetteer person mention ("Vladimir Putin", "Trump"), learnt and resolved like a
    titled name: "Trump" means the one fuller name of the article it fits."""
    if mention.source != "person" or mention.person is None:
        return mention
    surface = sentence[mention.start : mention.end]
    _learn(surface, (mention.person, mention.party), context)
    fuller = _fuller(surface, context)
    if fuller is None:
        return mention
    person, party = fuller
    parties = (party,) if party is not None else mention.parties
    return dataclasses.replace(mention, person=person, parties=parties)


_SUFFIX_WORDS = frozenset(("jr", "sr", "ii", "iii", "iv"))


@functools.lru_cache(maxsize=4096)
def _name_words(name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The words of a name and its generational suffix, case-, accent- and full-stop-blind:
    "Lloyd J. Austin III" -> (("lloyd", "j", "austin"), ("iii",)). Hyphenated words stay
    whole: "Moon" is no part of "Ban Ki-moon"."""
    plain = strip_accents(name.casefold().replace("’", "'"))
    words = [re.sub(r"'s$", "", w.strip(".,")) for w in plain.split()]
    words = [w for w in words if w]
    return (
        tuple(w for w in words if w not in _SUFFIX_WORDS),
        tuple(w for w in words if w in _SUFFIX_WORDS),
    )


def _shorter_form(short: str, full: str) -> bool:
    """Whether ``short`` can be a shorter mention of the person called ``full``: its last
    word alone ("Austin" for "Lloyd J. Austin III"), a run of its words ("Hassan Sheikh",
    "Sheikh Mohamud" for "Hassan Sheikh Mohamud") or its first and last words with some of
    the middle ones ("Hillary Clinton" for "Hillary Rodham Clinton"). A single word is only
    the last name: "Prince William" is not William Hague. A suffix must agree ("Donald
    Trump Jr." is no shorter form of Donald Trump)."""
    words, suffix = _name_words(short)
    full_words, full_suffix = _name_words(full)
    if not words or len(words) >= len(full_words) or (suffix and suffix != full_suffix):
        return False
    if len(words) == 1:
        return words[0] == full_words[-1]
    n = len(words)
    if any(full_words[i : i + n] == words for i in range(len(full_words) - n + 1)):
        return True
    if words[0] != full_words[0] or words[-1] != full_words[-1]:
        return False
    rest = iter(full_words)
    return all(word in rest for word in words)  # in order


def _fuller(name: str, context: DocumentContext) -> tuple[Entity, Entity | None] | None:
    """The person (and gazetteer state) of the one fuller name of the article that ``name``
    is a shorter form of; the bare name, acting for no known state, when it fits several
    persons, or when that person has a QID but the linking rules doubt the surname here
    ("Trump" in an article that also shows an "Ivanka Trump"); None when it fits none."""
    fuller = _fuller_names(name, context)
    if not fuller:
        return None
    if len(fuller) > 1 or (
        fuller[0][0].wikidata and context.lexicon.doubts(name, context.document)
    ):
        return Entity(name=name, kind="person"), None
    return fuller[0]


def _fuller_names(name: str, context: DocumentContext) -> list[tuple[Entity, Entity | None]]:
    """The distinct persons whose fuller names in the article ``name`` is a shorter form of.

    A fuller name that is itself a shorter form of another one is that person ("Hillary
    Clinton" and "Hillary Rodham Clinton") and not counted twice; "Tomas Reyes" and "Tomas
    Reyes Jr." stay two.
    """
    words = _name_words(name)[0]
    if not words:
        return []
    fits = [full for full in context.name_index.get(words[-1], ()) if _shorter_form(name, full)]
    fullest = [
        full
        for full in fits
        if not any(other != full and _shorter_form(full, other) for other in fits)
    ]
    found: dict[Entity, tuple[Entity, Entity | None]] = {}
    for full in fullest:
        person, party = context.names[full]
        found.setdefault(person, (person, party))
    return list(found.values())


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
        # a demonym before a lowercase title is no party of its own ("Saudi national
        # security adviser Musaed al-Aiban") but still names the official's state
        party = mm.party or (mm.nation if mm.source == "demonym-other" else None)
        if party is None:
            continue
        if role_start <= mm.start < name_end:
            return party, True
        gap = sentence[mm.end : role_start]
        if 0 <= role_start - mm.end <= 20 and re.fullmatch(
            r"(?:['’]s)?\s*(?:(?:army|military|defen[cs]e|foreign|security|intelligence|navy"
            r"|police|top|chief)\s+)?",
            gap,
            re.IGNORECASE,
        ):
            return party, True
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
    # 3. what the article said about this person before ("Mexican Foreign Secretary Meade",
    #    later "Foreign Secretary Meade"), before any guess from the title
    known = context.persons.get(name) or context.persons.get(surname_of(name))
    stated = known is not None and known[1] is not None and surname_of(name) in context.explicit
    if stated:
        return known[1], True
    # 4. a title only one state has ("Secretary of State"); a shared one ("Foreign
    #    Secretary": India and Pakistan have one too) only in an article that names its
    #    usual state
    office = office_state(sentence[role_start:name_end])
    if office is not None:
        state, shared = office
        party = context.lexicon.party(state)
        if party is not None and (
            not shared or party == context.home or context.names_party(party)
        ):
            return party, True
    if known and known[1] is not None:
        return known[1], False
    # 5. a demonym close by ("Gantz, the first Israeli defense minister")
    for mm in mentions:
        if mm.source == "demonym-other" and 0 < mm.start - name_end <= 25:
            gap = sentence[name_end : mm.start]
            if re.fullmatch(r",\s+(?:the\s+)?(?:first\s+|new\s+|former\s+)?", gap) and mm.nation:
                return mm.nation, True
    # 6. in a government text, an official named without a state is one of its own
    return context.home, False


def _apposition_party(sentence: str, end: int, mentions: list[Mention]) -> Entity | None:
    """The state in an apposition right after a name: ", the Israeli defence minister"."""
    for mm in mentions:
        if mm.nation is None or not 0 < mm.start - end <= 25:
            continue
        gap = sentence[end : mm.start]
        if re.fullmatch(r",\s+(?:the\s+)?(?:first\s+|new\s+|former\s+|then\s+)?", gap):
            return mm.nation
    return None
