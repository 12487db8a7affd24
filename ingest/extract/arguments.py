"""Argument frames: who acts, on whom and where, for each kind of trigger.

Each frame (``svo``, ``sym``, ``visit``, ``protest`` ...; see ``triggers.py``) turns one
trigger match in an analysed :class:`~diplograph.ingest.extract.sentence.Sentence` into
zero or more :class:`~diplograph.ingest.extract.sentence.Candidate` facts.
"""

from __future__ import annotations

import dataclasses
import itertools
import re

from diplograph.ingest.extract.clauses import clause_of
from diplograph.ingest.extract.dates import NUMBER
from diplograph.ingest.extract.mentions import Mention
from diplograph.ingest.extract.sentence import (
    SAID_AFTER,
    Candidate,
    Discourse,
    Sentence,
    city_of,
    parties_of,
)
from diplograph.ingest.extract.triggers import Trigger
from diplograph.ingest.facts import PARTY_KINDS, SYMMETRIC_TYPES, Entity

_FIRST_TO = re.compile(
    r"(?:for\s+being|was|is|became|as)\s+the\s+(?:first|second|last|only)\s+(?:\w+\s+)?"
    r"(?:country|nation|state|government)\s+(?:in\s+\w+\s+)?to\s+$",
    re.IGNORECASE,
)
#: a state's mission abroad named after it ("the Turkish embassy", "U.S. and UK embassies")
_MISSION = r"\s*(?:and\s+[\w.]+\s+)?(?:embass(?:y|ies)|consulates?|diplomatic\s+mission|flags?"
_EMBASSY_AFTER = re.compile(_MISSION + r")\b", re.IGNORECASE)
#: what a crowd protests at: a state's mission, flag, base or troops ("rallied outside the
#: French military base", "demanding the departure of French troops")
_PROTESTED_AFTER = re.compile(
    _MISSION + r"|(?:military\s+|air\s+|naval\s+)?bases?|troops|forces|soldiers)\b",
    re.IGNORECASE,
)
# Mentions governed by these are topics, places or brokers, not partners of a joint event.
_NOT_PARTNER_PREPS = {
    "by",
    "from",
    "to",
    "into",
    "against",
    "on",
    "for",
    "discuss",
    "discussed",
    "discussing",
    "about",
    "regarding",
    "including",
    "like",
    "unlike",
    "besides",
    "except",
    "excluding",
    "without",
    "as",
    "over",
    "across",
    "toward",
    "towards",
}
_OBJECT_PREPS: dict[str, set] = {
    "sanctions": {None, "on", "against", "and", "to", "of"},
    "accusation": {None, "and", "against"},
    "recognition": {None, "of", "and", "to"},
    "support": {None, "for", "to", "and", "with", "from"},
    "relations_severed": {None, "with", "and"},
    "military_cooperation": {None, "to", "with", "and"},
    "denial": {None, "by", "and"},
}
_SCENE = re.compile(
    r"\b(?:in|outside|at)\s+(?:the\s+)?(?:[a-z]+\s+)?([A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)\b"
    r"(?!\s+(?:embassy|Embassy|consulate|Consulate))"
)
#: What a designation names when it names no party: "sanctioned two individuals and one
#: entity", "designated several companies", "imposed sanctions on three companies".
_UNNAMED_DESIGNEES = re.compile(
    r"(?:(?<=ed)|(?<=sanctions)\s+(?:on|against))\s+(?:(?:[\d,]+|" + NUMBER + r"|several"
    r"|a\s+number\s+of|dozens\s+of|more\s+than\s+\w+|additional|further)\s+)"
    r"(?:additional\s+)?(?:[\w-]+\s+){0,2}?(?:individuals?|entit(?:y|ies)|persons?|people"
    r"|companies|company|firms?|banks?|officials?|vessels?|ships?|networks?|businesses"
    r"|organi[sz]ations?)\b",
    re.IGNORECASE,
)
#: whose the designees are: "three companies | linked to | Iran", "entities | based in |"
_WHOSE = re.compile(
    r"\s+(?:(?:linked|tied|connected|related|affiliated)\s+to|(?:based|located)\s+in"
    r"|(?:owned|controlled|run|operated)\s+by|of|from)\s+(?:the\s+)?",
    re.IGNORECASE,
)
#: a restrictive relative clause ending right before the trigger: "those who | support"
_RELATIVE_DOER = re.compile(
    r"([\w'’.-]+)\s+(?:who|that)\s+(?:(?:also|still|now|\w+ly|continues?\s+to)\s+)?$",
    re.IGNORECASE,
)
_IMPOSED_BY = re.compile(r"\s+(?:imposed|announced|levied|introduced|adopted)\s+by\s+")
#: A reaction to what another party did: "Turkey criticised the new U.S. sanctions on Iran",
#: "Serbia protested against Togo's recognition of Kosovo", "China criticised Honduras's
#: decision to establish relations with Taiwan" (the subject did none of it).
_REACTION = re.compile(
    r"\b(?:criticis|criticiz|condemn|oppos|denounc|reject|slam|decr(?:y|ie)|protest|lament"
    r"|object|deplor|welcom|prais|hail|applaud|rail(?:s|ed)?\s+against|hit\s+out"
    r"|called?\s+for\s+(?:an\s+end|the\s+end|the\s+lifting|lifting)"
    r"|urg\w*\s+\w+\s+to\s+(?:lift|end|drop))\w*",
    re.IGNORECASE,
)
_PRAISE = re.compile(r"welcom|prais|hail|applaud", re.IGNORECASE)
#: Words that end the reaction's object: another verb of the subject or another clause.
_NOT_ONE_OBJECT = re.compile(r"[,;]|\b(?:and|but|while|then|after|before|when|as|which|who|that)\b")
_CROWD_NOUNS = {
    "protesters",
    "protestors",
    "demonstrators",
    "rioters",
    "mob",
    "crowd",
    "crowds",
    "marchers",
}
_SPORT = re.compile(
    r"\b(?:World\s+Cup|semi-?finals?|quarter-?finals?|Olympics?|Olympic\s+Games|championships?"
    r"|tournament|Grand\s+Prix|national\s+team|friendly\s+match|qualifiers?|matchday)\b"
)
_CONDITIONAL = re.compile(r"\b(?:if|unless|whether|in\s+case|provided\s+that)\b", re.IGNORECASE)


def _conditional(text: str, clause: tuple[int, int], ts: int, te: int) -> bool:
    """An "if" before the trigger in its clause, or right after it ("... if Iran refuses"),
    not one in a later coordinated statement ("... and said if the country continues")."""
    if _CONDITIONAL.search(text, clause[0], ts):
        return True
    after = text[te : min(clause[1], te + 80)]
    found = _CONDITIONAL.search(after)
    return bool(found) and not re.search(r"\b(?:and|but|said|says)\b", after[: found.start()])


#: an attempt, a wish or a possibility is not an event: "Israel, which has sought to
#: normalise relations with Riyadh", "Iran hopes to sign", "Kyiv wants to meet"
_ASPIRATION = re.compile(
    r"\b(?:sought|seeks?|seeking|tr(?:y|ies|ied|ying)|attempt(?:s|ed|ing)?|hop(?:e|es|ed|ing)"
    r"|wants?|wanted|wish(?:es|ed)?|aspir(?:e|es|ed|ing)|eager|keen|push(?:es|ed|ing)?"
    r"|lobb(?:y|ies|ied|ying)|strives?|striving)\s+(?:for\s+\w+\s+)?to\s+(?:[\w-]+\s+){0,2}$"
    # a possibility is not an event either: "France could impose sanctions", "Chile may
    # restore ties", "Brazil is considering recognising Palestine" (not "in May Brazil ...")
    r"|(?:\b(?-i:could|may|might)(?!\s+not\b)|\bconsider(?:s|ed|ing)?|\bmull(?:s|ed|ing)?(?:\s+over)?"
    r"|\bweigh(?:s|ed|ing)?|\bcontemplat(?:e|es|ed|ing)|\bexplor(?:e|es|ed|ing)\s+whether\s+to)"
    r"\s+(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)
_TOPICAL = {"military_cooperation", "support", "sanctions", "relations_established"}
_TOPIC = re.compile(
    r"\b(?:such\s+as|ranging\s+from|subjects|topics|issues\s+like|agenda)\b", re.IGNORECASE
)
_ANTI = re.compile(r"\banti-([A-Z][\w.]*)")


def _officials_act(s: Sentence, clause: tuple[int, int], ts: int) -> bool:
    """Whether the clause's subject is officials, not states: "President el-Sisi and
    President Erdogan shook hands at the opening of the World Cup" is diplomacy; "France
    and Germany will meet in the semi-final" is football."""
    subj, _ = s.subject(clause, ts)
    return bool(subj) and all(m.source == "person" for m in subj)


def candidates_for(
    trigger: Trigger, match: re.Match[str], s: Sentence, discourse: Discourse
) -> list[Candidate]:
    """Apply the trigger's frame; returns zero or more candidates."""
    ts, te = match.start(), match.end()
    clause = clause_of(s.spans, ts)
    if trigger.needs is not None and not trigger.needs.search(s.text, clause[0], clause[1]):
        return []
    if trigger.excludes is not None and trigger.excludes.search(
        s.text[max(0, ts - 25) : min(len(s.text), te + 40)]
    ):
        return []
    if (
        trigger.type != "protest"
        and _SPORT.search(s.text, clause[0], clause[1])
        and not _officials_act(s, clause, ts)
    ):
        return []  # "France and Germany will meet in the World Cup semi-final"
    if _conditional(s.text, clause, ts, te):
        return []  # threats and conditions are not facts: "will impose sanctions if ..."
    if _ASPIRATION.search(s.text, clause[0], ts):
        return []
    if trigger.type in _TOPICAL and _TOPIC.search(s.text, clause[0], ts):
        return []  # "subjects ranging from trade to our defence relationship": a topic
    frame = trigger.frame
    handler = _FRAMES[frame]
    found = handler(trigger, ts, te, clause, s, discourse)
    if not found and trigger.type == "accusation":
        found = _earlier_act_condemned(trigger, ts, te, clause, s, discourse)
    reaction = _reacted_to(s, clause, ts)
    if reaction is not None:
        found = _reassigned(found, *reaction)
    reporter = _third_party_reporter(s, clause) or _trailing_reporter(s, ts)
    for c in found:
        if c.actor is not None and c.target is not None and c.actor == c.target:
            c.target = None if trigger.frame != "sym" else c.target
        if reporter is not None and not set(reporter[1]) & {c.actor, c.target}:
            c.reported_by = reporter[0]
    return [
        c
        for c in found
        if not (c.actor is not None and c.actor == c.target)
        and (c.actor is not None or c.target is not None)
    ]


#: "condemned | the deal", "criticised | the exercise": an act told before, by its noun, and
#: the fact types it may be (the last such act found is meant)
_EARLIER_ACT = re.compile(
    r"\s+(?:the|this|that|these|those)\s+(?:[a-z][\w-]*\s+){0,2}?(?P<noun>exercises?|drills"
    r"|patrols|manoeuvres|maneuvers|deal|agreement|pact|treaty|accord|visit|trip|talks"
    r"|meeting|summit|sanctions|recognition|expulsions?)\b(?!\s+(?:of|with|between|by|on|to)\b)",
)
_ACT_TYPES = {
    "exercise": ("military_cooperation",),
    "drill": ("military_cooperation",),
    "patrol": ("military_cooperation",),
    "manoeuvre": ("military_cooperation",),
    "maneuver": ("military_cooperation",),
    "deal": ("agreement_signing", "military_cooperation"),
    "agreement": ("agreement_signing", "military_cooperation"),
    "pact": ("agreement_signing", "military_cooperation"),
    "treaty": ("agreement_signing", "military_cooperation"),
    "accord": ("agreement_signing",),
    "visit": ("official_visit",),
    "trip": ("official_visit",),
    "talk": ("meeting",),
    "meeting": ("meeting",),
    "summit": ("meeting",),
    "sanction": ("sanctions",),
    "recognition": ("recognition",),
    "expulsion": ("relations_severed",),
}


def _earlier_act_condemned(
    trigger: Trigger, ts: int, te: int, clause: tuple[int, int], s: Sentence, discourse: Discourse
) -> list[Candidate]:
    """ "China's embassy criticised the exercise": an act told in an earlier sentence, named
    by its noun alone; its doers are the ones accused (both parties of a joint act, the
    actor of a directed one), never the critic."""
    act = _EARLIER_ACT.match(s.text, te)
    subj, conf = s.subject(clause, ts)
    critics = parties_of(subj)
    if act is None or not critics:
        return []
    noun = act.group("noun").lower()
    types = _ACT_TYPES.get(noun) or _ACT_TYPES[noun.removesuffix("s")]
    earlier = next((f for f in reversed(discourse.acts) if f.type in types), None)
    if earlier is None:
        return []
    doers = [earlier.actor, earlier.target] if earlier.type in SYMMETRIC_TYPES else [earlier.actor]
    return [
        Candidate("accusation", critic, doer, (ts, te), clause, trigger.confidence * conf * 0.75)
        for critic in critics  # a joint condemnation: one fact per state that voiced it
        for doer in doers
        if doer is not None and doer not in critics
    ]


_REPORTING = re.compile(
    r"\s+(?:said|says|claimed|claims|alleged|alleges|reported|believes)\s+(?:that\s+)?$"
)


def _third_party_reporter(s: Sentence, clause: tuple[int, int]) -> tuple[str, list] | None:
    """ "Ukrainian intelligence said Iran had supplied drones": the claim's source, when the
    clause is the complement of a reporting verb whose subject names a party."""
    before = s.text[: clause[0]]
    verb = _REPORTING.search(before)
    if not verb:
        return None
    speakers = [m for m in s.mentions if m.parties and m.end <= verb.start()]
    if not speakers:
        return None
    start = speakers[0].start
    name = s.text[start : verb.start()].strip(" ,")
    if not name or len(name) > 80:
        return None
    return name, [p for m in speakers for p in m.parties]


_TRAILING_REPORT = re.compile(
    r",\s*(?P<who>[^,;\"“”]{2,80}?)\s+(?:said|says|reported|claimed|alleged|told\s+[\w ]{1,30}?)"
    r"(?:\s+on\s+\w+)?\s*[.!]?\s*$"
)


def _trailing_reporter(s: Sentence, trigger_start: int) -> tuple[str, list] | None:
    """ "Togo revoked its recognition of Kosovo last year, Serbian officials said": the
    claim's source when the sentence ends with a reporting clause that names a party."""
    found = _TRAILING_REPORT.search(s.text)
    if found is None or found.start() <= trigger_start:
        return None
    start, end = found.span("who")
    speakers = [m for m in s.mentions if m.parties and start <= m.start and m.end <= end]
    if not speakers:
        return None
    return found.group("who").strip(), [p for m in speakers for p in m.parties]


def _persons_for(s: Sentence, clause: tuple[int, int], parties: set[Entity]) -> list[Entity]:
    """The persons of the clause who act for one of ``parties``. The speaker who reports
    the event ('..., Pentagon spokesperson Dana W. White said') took no part in it."""
    out: list[Entity] = []
    for m in s.persons_in(*clause):
        if SAID_AFTER.match(s.text, m.end):
            continue
        if m.party in parties and m.person not in out:
            out.append(participant(m))
    return out


def participant(m: Mention) -> Entity:
    """The person a mention names, with the party the text or the gazetteer says they
    act for: the graph then knows who acted for whom."""
    assert m.person is not None
    party = m.party
    if party is None or party.kind not in PARTY_KINDS or m.person.kind != "person":
        return m.person
    return dataclasses.replace(m.person, acting_for=party)


def _doers_before(s: Sentence, start: int, ts: int) -> list[Mention]:
    """The parties named right before an act's noun, between ``start`` and the noun at
    ``ts``: "the new U.S. | sanctions", "Togo's | recognition", "Honduras's decision to |
    establish"."""
    return [
        m
        for m in s.mentions
        if m.parties
        and start <= m.start
        and m.end <= ts
        and re.fullmatch(r"(?:['’]s)?(?:\s+[a-z][\w-]*){0,2}\s+", s.text[m.end : ts])
    ]


def _reacted_to(
    s: Sentence, clause: tuple[int, int], ts: int
) -> tuple[set[Entity], list[Entity]] | None:
    """When the clause's subject reacts to the act at ``ts`` (criticised, welcomed, protested
    against ...): the subject's parties and the parties who did the act (possibly none we
    know); None when it does not."""
    subj, _ = s.subject(clause, ts)
    if not subj:
        return None
    reaction = _REACTION.search(s.text, subj[-1].end, ts)
    if reaction is None or reaction.start() - subj[-1].end > 30:
        return None
    if _NOT_ONE_OBJECT.search(s.text, reaction.end(), ts):
        return None
    doers = parties_of(_doers_before(s, reaction.end(), ts))
    if not doers and any(m.source == "group" for m in subj) and _PRAISE.match(reaction.group()):
        return None  # "the two leaders welcomed the signing of a memorandum": their own act
    return set(parties_of(subj)), doers


def _reassigned(found: list[Candidate], subject: set[Entity], doers: list[Entity]) -> list:
    """The candidates with the reacting subject as actor given to the act's doer instead;
    without a doer we know, they are dropped. Others (the two parties of a meeting the
    subject welcomed) stay as they are."""
    out = []
    for c in found:
        if c.actor not in subject:
            out.append(c)
        elif doers and doers[0] != c.target:
            c.actor = doers[0]
            out.append(c)
    return out


def _svo(trigger, ts, te, clause, s: Sentence, _):
    before = s.text[clause[0] : ts]
    first_to = _FIRST_TO.search(before)
    if first_to:
        near = [m for m in s.mentions if m.parties and m.end <= clause[0] + first_to.start()]
        subj, conf = (near[-1:], 0.9) if near else s.subject(clause, ts)
    else:
        subj, conf = s.subject(clause, ts)
    relative = _RELATIVE_DOER.search(s.text, clause[0], ts)
    if relative:
        # "those who support Iran's ...", "countries that recognise Kosovo": the doer is what
        # the relative clause hangs on, a party only when a party is named right there
        subj = [m for m in s.mentions if m.parties and m.end == relative.end(1)]
    actors = parties_of(subj)
    imposed_by = _IMPOSED_BY.match(s.text, te) if trigger.type == "sanctions" else None
    if imposed_by:
        # "the sanctions imposed by Washington on Chinese firms"
        agents = s.objects(imposed_by.end(), clause[1], set())
        if agents:
            subj, actors, conf = agents[:1], parties_of(agents[:1]), 0.9
            te = agents[0].end
    if not actors:
        return []
    objs = s.objects(
        te,
        clause[1],
        set(),
        allowed_preps=_OBJECT_PREPS.get(trigger.type),
        persons=trigger.type == "support",
    )
    if trigger.type == "support" and objs and objs[0].prep == "from":
        # "support from the United States to the people of Somalia"
        subj, actors = objs[:1], parties_of(objs[:1])
        objs = s.objects(objs[0].end, clause[1], set(actors), allowed_preps={"to", "for"})
    if not objs and trigger.type in ("relations_severed", "relations_established"):
        # "Morocco and Israel set up ties in 1993 but Rabat broke them off"
        earlier = [
            m for m in s.mentions if m.parties and m.end <= clause[0] and m.party not in actors
        ]
        if earlier and re.search(r"\b(?:them|it)\b", s.text[ts:te]):
            objs, conf = earlier[:1], conf * 0.75
    designees = _UNNAMED_DESIGNEES.match(s.text, te) if trigger.type == "sanctions" else None
    if designees is not None:
        # "sanctioned five Iranian officials", "three companies linked to Iran": the party is
        # named among the designees or as whose they are, not as the reason ("two
        # individuals ... for their support of North Korea's ...")
        whose = _WHOSE.match(s.text, designees.end())
        named_until = whose.end() if whose else designees.end()
        objs = objs if objs and objs[0].start <= named_until else []
    if not objs and designees is not None:
        # "OFAC has sanctioned two individuals and one entity": a designation of nobody the
        # text names for a party; the fact has no target
        return [
            Candidate(trigger.type, actor, None, (ts, te), clause, trigger.confidence * conf * 0.9)
            for actor in actors
        ]
    if not objs or (set(objs[0].parties) & set(actors) and objs[0].source != "person"):
        return []  # reflexive or no object: "North Korea rejected a report that accuses Pyongyang"
    # the actor named again further on is no object: "... severed ties with Taiwan, the
    # Honduran foreign ministry said"
    objs = [m for m in objs if m.source == "person" or not set(m.parties) & set(actors)]
    if objs[0].source == "person" and not objs[0].parties and objs[0].start - te > 25:
        return []  # a person named later in the clause is not what is supported
    if trigger.type == "support" and objs[0].source == "person" and objs[0].person:
        targets = [objs[0].person]  # backing a person in their own right ("stands with X")
    else:
        targets = parties_of(objs)
    if not targets:
        return []
    out = []
    for actor in actors:
        for target in targets:
            if actor == target:
                continue
            out.append(
                Candidate(
                    trigger.type,
                    actor,
                    target,
                    (ts, te),
                    clause,
                    trigger.confidence * conf * _mention_conf(subj + objs),
                    participants=_persons_for(s, clause, {actor, target}),
                )
            )
    return out


def _mention_conf(ms: list[Mention]) -> float:
    return min((m.confidence for m in ms), default=1.0) if ms else 1.0


_PASSIVE_BEFORE = re.compile(r"\b(?:was|were|been|being|is|are)\s+(?:\w+ly\s+)?$", re.IGNORECASE)


def _sym(trigger, ts, te, clause, s: Sentence, _):
    subj, conf = s.subject(clause, ts)
    # "the U.S.-Philippines 2+2 dialogue", "between X and Y", "X's minister met his Y counterpart"
    actors = parties_of(subj)
    objs = s.objects(te, clause[1], set(actors))
    if not actors and _PASSIVE_BEFORE.search(s.text[clause[0] : ts]):
        # "The deal was signed in Manila by Japan's and the Philippines' ministers"
        agents = [m for m in s.parties_in(te, clause[1]) if m.prep == "by"]
        if agents:
            subj, conf = agents, 0.9
            actors = parties_of(agents)
            objs = [m for m in objs if m.prep != "by"]
    # "between the UK's Royal United Services Institute and ...": the institute is the party
    objs = [m for m in objs if not s.possessive_of_thing(m)]
    if len(actors) >= 2 and objs and objs[0].prep != "with":
        objs = []
    if objs and objs[0].start - te > 80:
        objs = []
    if trigger.type == "meeting":
        objs = [m for m in objs if m.prep in (None, "with", "and", "between")]
    if trigger.type == "agreement_signing" and "broker" in s.text[ts:te].lower():
        objs = [m for m in objs if m.prep != "by"]  # brokers are not signatories
    groups = [m for m in s.mentions if m.source == "group" and clause[0] <= m.start < clause[1]]
    others = parties_of(objs)
    skip = _NOT_PARTNER_PREPS | ({"in", "at"} if trigger.type == "meeting" else set())
    # a party after the trigger's next occurrence is that one's ("to meet with leaders ... as
    # part of a trip that took him to meet with senior leaders in Indonesia")
    again = trigger.pattern.search(s.text, te, clause[1])
    scope_end = again.start() if again else clause[1]
    inside = parties_of(
        [
            m
            for m in s.mentions
            if m.parties
            and clause[0] <= m.start < scope_end
            and m.prep not in skip
            and not s.possessive_of_thing(m)
        ]
    )
    if not actors and objs and objs[0].prep == "with":
        return []  # "the signature of agreements with X and Y": the signer is not named
    pairs: list[tuple[Entity, Entity]] = []
    compound = _hyphen_pair(s, clause, ts, te)
    between = (
        parties_of(s.objects(te, clause[1], set())) if objs and objs[0].prep == "between" else []
    )
    if len(between) >= 2:
        # "Qatar mediated talks between Hamas and Israel": the subject is a broker; "we have
        # a meeting between Russia and the United States": the pair is named in that order
        pairs.append((between[0], between[1]))
    elif compound is not None:
        pairs.append(compound)
        conf = max(conf, 0.9)
    elif len(actors) >= 2 and not others:
        pairs.append((actors[0], actors[1]))
    elif actors and others:
        # "X will sign agreements with Y and Z": one fact per partner
        partners = others if objs and objs[0].prep == "with" else others[:1]
        pairs.extend((a, o) for a in actors for o in partners)
    elif actors:
        rest = [p for p in inside if p not in actors]
        if rest:
            pairs.append((actors[0], rest[0]))
            conf = 0.7
    elif len(inside) >= 2:
        pairs.append((inside[0], inside[1]))
        conf = 0.7
    elif groups and len(groups[0].parties) == 2:
        # "The restoration of ties will make it easier for both governments ..."
        pairs.append((groups[0].parties[0], groups[0].parties[1]))
        conf = 0.6
    out = []
    for actor, target in pairs:
        if actor == target:
            continue
        ms = subj + objs
        out.append(
            Candidate(
                trigger.type,
                actor,
                target,
                (ts, te),
                clause,
                trigger.confidence * (conf or 0.8) * _mention_conf(ms),
                place=_venue(trigger.type, s, clause, te),
                participants=_persons_for(s, clause, {actor, target}),
            )
        )
    return out


def _venue(fact_type: str, s: Sentence, clause: tuple[int, int], te: int) -> Entity | None:
    """Where a joint event took place: "met in Hanoi", "signed the treaty in Lima", else
    a place before the trigger ("In Hanoi, the two ministers met"); one after the trigger
    comes first, since an earlier one may be another event's ("hosted Macron in Tokyo,
    after their talks in Paris"). A meeting may be held in a territory too; for other
    events a territory named in the clause is more often their subject ("an agreement on
    drilling in Western Sahara")."""
    at = ("in", "at")
    place = city_of(s.place_after(te, clause[1], preps=at) or s.place_after(clause[0], te, at))
    if place is not None and place.kind != "city" and fact_type != "meeting":
        return None
    return place


def _hyphen_pair(
    s: Sentence, clause: tuple[int, int], ts: int, te: int
) -> tuple[Entity, Entity] | None:
    """ "U.S.-Philippines Bilateral Defense Guidelines", "the UK-Japan framework": a pair
    named as a compound right at (or just before) the trigger."""
    ms = [m for m in s.mentions if m.parties and clause[0] <= m.start < clause[1]]
    for a, b in itertools.pairwise(ms):
        if (
            s.text[a.end : b.start] in ("-", "–", "/")
            and a.party != b.party
            and abs(ts - b.end) <= 60
        ):
            return a.party, b.party
    return None


_VESSEL = re.compile(
    r"(?:['’]s)?\s*(?:[\w-]+\s+)?(?:warships?|ships?|vessels?|frigates?|destroyers?|submarines?"
    r"|carriers?"
    r"|aircraft|jets?|planes?|flotilla|fleet|navy\s+ships?)\b",
    re.IGNORECASE,
)
#: a visit trigger that is a noun ("a trip to", "first visit to"), not a verb ("visited")
_VISIT_NOUN = re.compile(r"(?:trip|journey|tour|visit|leg|state|official|working|first)\b", re.I)
_THE_COUNTRY = re.compile(
    # after the visitor: "by a U.S. | defense secretary to the country"
    r"\s*(?:[a-z][\w-]*\s+){0,3}?(?:to\s+)?(?:the|this)\s+"
    r"(?:country|nation|kingdom|republic|island\s+nation|island)\b",
    re.I,
)


def _visit_owner(s: Sentence, ts: int, te: int) -> Mention | None:
    """The visitor named in a possessive right before the noun: "Putin's first visit to",
    "Japan's state visit to"; None for a verb ("visited") or no such possessive."""
    if not _VISIT_NOUN.match(s.text, ts, te):
        return None
    for m in s.mentions:
        if m.possessive and m.parties and 0 <= ts - m.end <= 30:
            gap = s.text[m.end : ts]
            if re.fullmatch(r"['’]s?\s+(?:[\w-]+\s+){0,2}", gap):
                return m
    return None


def _visit_by(s: Sentence, ts: int, te: int, clause: tuple[int, int]) -> Mention | None:
    """The visitor in "a visit by X to Y" (a noun followed by "by" and a party)."""
    if not re.fullmatch(
        r"(?:state\s+|official\s+|working\s+|first\s+)?visits?", s.text[ts:te], re.I
    ):
        return None
    by = re.match(r"\s+by\s+", s.text[te:])
    if by is None:
        return None
    start = te + by.end()
    for m in s.parties_in(start, min(clause[1], start + 50)):
        if re.fullmatch(r"(?:(?:an?|the|its|his|her)\s+)?", s.text[start : m.start], re.I):
            return m
    return None


def _visit(trigger, ts, te, clause, s: Sentence, discourse: Discourse):
    subj, conf = s.subject(clause, ts)
    owner = _visit_owner(s, ts, te)
    if owner is not None:
        subj, conf = [owner], 1.0  # "during Putin's first visit to Pyongyang"
    agent = _visit_by(s, ts, te, clause)
    if agent is not None:
        # "the first official visit by an Israeli defence minister to the kingdom": the
        # visitor follows the noun, and the destination follows the visitor
        subj, conf = [agent], 1.0
    if not subj:
        return []
    if re.match(r"(?:is|are|was|were)\s+in", s.text[ts:te], re.I) and subj[-1].source != "person":
        return []
    if any(m.source == "group" for m in subj):
        return []
    if any(_VESSEL.match(s.text, m.end) or _VESSEL.search(s.text[m.start : m.end]) for m in subj):
        return []  # "A Russian warship arrived in Havana": a port call, no representative
    if _VISIT_NOUN.match(s.text, ts, te):
        # a noun ("a trip to Israel") belongs to a nearby subject or a possessive ("his trip")
        # or to the clause's subject, however far, as an adverbial ("Lapid meeting with his
        # Moroccan counterpart ... during a visit to Rabat")
        near = subj[-1].end >= ts - 60 or re.search(
            r"\b(?:his|her|their|its)\s+(?:\w+\s+){0,2}$"
            r"|\b(?:during|on|while\s+on)\s+(?:an?|the)\s+(?:[\w-]+\s+){0,2}$",
            s.text[max(0, ts - 30) : ts],
        )
        if not near:
            return []
    if re.match(r"leg\b", s.text[ts:te], re.I):
        # "the Vietnam leg of a 10-day trip", "the Indian leg of his tour": the stop named
        # right before the noun
        stop = next((m for m in s.mentions if m.end <= ts and s.text[m.end : ts] == " "), None)
        host = stop and (stop.host or stop.nation)
        if host is not None:
            return _visits(trigger, subj, conf, ts, te, clause, host, city_of(stop))
    after = agent.end if agent is not None else te  # where the destination is looked for
    dest = s.place_after(after, clause[1])
    if dest is None or dest.start - after > 40:
        dest_m = s.objects(after, min(clause[1], after + 40), set())
        dest = dest_m[0] if dest_m else None
    if dest is None and _THE_COUNTRY.match(s.text, after):
        # "signed a pact in Hanoi during Kishida's first official visit to the country":
        # the country is the one whose city the clause has set the scene in
        visitors = set(parties_of(subj))
        scene = [
            m
            for m in s.mentions
            if clause[0] <= m.start < ts
            and m.place is not None
            and m.prep in ("in", "at")
            and m.host is not None
            and m.host not in visitors
        ]
        dest = scene[-1] if scene else None
        if dest is None and discourse.scene not in (None, *visitors):
            # "... following a meeting in Fiji. This marks the first visit by a U.S. defense
            # secretary to the country.": the country the sentence before set the scene in
            return _visits(trigger, subj, conf, ts, te, clause, discourse.scene, None)
    if dest is None:
        return []
    host = dest.host
    place = city_of(dest)
    if host is None and dest.place is not None and dest.place.kind == "country":
        host = dest.place
    if host is None:
        # "Santiago, Chile": a city the gazetteer does not place, followed by its country
        following = [m for m in s.mentions if m.parties and 0 < m.start - dest.end <= 3]
        if following and s.text[dest.end : following[0].start].strip() == ",":
            host = following[0].party
    return _visits(trigger, subj, conf, ts, te, clause, host, place)


def _visits(
    trigger: Trigger,
    subj: list[Mention],
    conf: float,
    ts: int,
    te: int,
    clause: tuple[int, int],
    host: Entity | None,
    place: Entity | None,
) -> list[Candidate]:
    """One visit of each visiting party to ``host`` (none to itself or to nobody)."""
    if host is None:
        return []
    return [
        Candidate(
            "official_visit",
            actor,
            host,
            (ts, te),
            clause,
            trigger.confidence * conf * _mention_conf(subj),
            place=place,
            participants=[participant(m) for m in subj if m.person is not None],
        )
        for actor in parties_of(subj)
        if actor != host
    ]


#: Words after which a clause goes on about another event ("hosted Marcos at the Pentagon
#: today following their meeting in Manila"): a place named after them is that event's.
_OTHER_EVENT = re.compile(
    r"\b(?:following|after|before|ahead\s+of|on\s+the\s+heels\s+of|since)\b", re.I
)


def _own_scope_end(s: Sentence, start: int, end: int) -> int:
    """Where the text about the event that starts at ``start`` ends, at the latest ``end``."""
    other = _OTHER_EVENT.search(s.text, start, end)
    return other.start() if other else end


def _host(trigger, ts, te, clause, s: Sentence, _):
    subj, conf = s.subject(clause, ts)
    hosts = parties_of(subj)
    if len(hosts) != 1:
        return []
    guests = [
        m
        for m in s.mentions
        if te <= m.start < min(clause[1], te + 80) and m.source == "person" and m.parties
    ]
    if not guests:
        return []
    guest = guests[0]
    if guest.party == hosts[0]:
        return []
    place = city_of(s.place_after(guest.end, _own_scope_end(s, guest.end, clause[1])))
    status = "ongoing" if re.search(r"\bhere\b", s.text[te : clause[1]]) else None
    return [
        Candidate(
            "official_visit",
            guest.party,
            hosts[0],
            (ts, te),
            clause,
            trigger.confidence * conf,
            place=place,
            participants=[participant(guest)] if guest.person else [],
            forced_status=status,
        )
    ]


def _expel(trigger, ts, te, clause, s: Sentence, _):
    subj, conf = s.subject(clause, ts)
    actors = parties_of(subj)
    if not actors:
        return []
    if len(actors) == 2 and re.search(r"\b(?:each\s+other|one\s+another)['’]s?\s", s.text[ts:te]):
        # "Egypt and Turkey expelled each other's ambassadors": one fact per acting state
        a, b = actors
        return [
            Candidate("relations_severed", x, y, (ts, te), clause, trigger.confidence * conf)
            for x, y in ((a, b), (b, a))
        ]
    target_ms = [
        m
        for m in s.mentions
        if ts <= m.start
        and m.end <= min(clause[1], te + 25)
        and m.parties
        and not set(m.parties) & set(actors)
    ]
    if not target_ms:
        return []
    return [
        Candidate(
            "relations_severed",
            actors[0],
            target_ms[0].party,
            (ts, te),
            clause,
            trigger.confidence * conf,
            participants=_persons_for(s, clause, {actors[0]}),
        )
    ]


#: what a state leaves that is not the organisation itself ("withdrew from the UN mission")
_NOT_THE_BLOC = re.compile(
    r"\s*(?:'s\s+|’s\s+)?(?:[\w-]+\s+){0,2}?(?:meeting|session|summit|talks|hall|building"
    r"|headquarters|conference|mission|force|forces|operation|programme|program|deal|agreement"
    r"|treaty|accord|negotiations|process|vote)\b",
    re.IGNORECASE,
)


def _leave(trigger, ts, te, clause, s: Sentence, _):
    """ "Mali, which withdrew from the G5 Sahel alliance", "Qatar quit OPEC": a member state
    leaving an organisation severs its relation to it. Only an organisation named right
    after the verb is left so: "withdrew from the UN mission" leaves a mission."""
    subj, conf = s.subject(clause, ts)
    members = [p for p in parties_of(subj) if p.kind == "country"]
    following = s.parties_in(te, clause[1])
    if not members or not following:
        return []
    bloc = following[0]
    if bloc.party is None or bloc.party.kind != "organization" or bloc.possessive:
        return []
    if not re.fullmatch(r"(?:the\s+)?", s.text[te : bloc.start], re.IGNORECASE):
        return []
    if _NOT_THE_BLOC.match(s.text, bloc.end):
        return []
    return [
        Candidate(
            "relations_severed", member, bloc.party, (ts, te), clause, trigger.confidence * conf
        )
        for member in members
        if member != bloc.party
    ]


def _embassy(trigger, ts, te, clause, s: Sentence, _):
    owners: list[Entity] = []
    for m in s.mentions:
        if clause[0] <= m.start < clause[1] and m.parties and _EMBASSY_AFTER.match(s.text, m.end):
            owners.extend(p for p in m.parties if p not in owners)
    conf = 1.0
    if not owners:
        subj, conf = s.subject(clause, ts)
        owners = parties_of([m for m in subj if m.source != "person" or m.party])
    where = None
    for m in s.mentions:
        if (
            m.start >= clause[0]
            and m.end <= clause[1]
            and m.prep in ("in", "to")
            and m.parties
            and not set(m.parties) & set(owners)
        ):
            where = m
            break
    if where is None and len(owners) >= 2:
        # "Kenya and Somalia agreed to reopen their embassies": a mutual act
        return [
            Candidate(
                trigger.type, owners[0], owners[1], (ts, te), clause, trigger.confidence * conf
            )
        ]
    if where is None or not owners:
        return []
    out = []
    for owner in owners:
        out.append(
            Candidate(
                trigger.type,
                owner,
                where.party,
                (ts, te),
                clause,
                trigger.confidence * conf,
                place=city_of(where),
                participants=_persons_for(s, clause, {owner}),
            )
        )
    return out


def _switch(trigger, ts, te, clause, s: Sentence, _):
    subj, conf = s.subject(clause, ts)
    actors = parties_of(subj)
    if not actors:
        return []
    src = re.search(r"\bfrom\s+", s.text[ts:te])
    old = s.objects(ts + src.end(), te, set(actors)) if src else []
    new = s.objects(te, clause[1], set(actors))
    out = []
    if old:
        out.append(
            Candidate("relations_severed", actors[0], old[0].party, (ts, te), clause, 0.75 * conf)
        )
    if new:
        out.append(Candidate("recognition", actors[0], new[0].party, (ts, te), clause, 0.75 * conf))
    return out


def _passive(trigger, ts, te, clause, s: Sentence, _):
    subj, conf = s.subject(clause, ts)
    targets = parties_of(subj)
    if not targets:
        return []
    # "has been accused by Ukraine of ...": a named agent
    agent = re.search(r"\bby\s+", s.text[ts:te])
    actor = None
    if agent:
        objs = s.objects(ts + agent.end(), te, set(targets))
        actor = objs[0].party if objs else None
    return [Candidate(trigger.type, actor, targets[0], (ts, te), clause, trigger.confidence * conf)]


def _implicit(trigger, ts, te, clause, s: Sentence, _):
    word = s.text[ts:te].lower()
    if word.startswith("aggression"):
        before = [m for m in s.mentions if m.parties and 0 <= ts - m.end <= 2]
        if not before:
            return []
        target = before[-1].party
        subj, conf = s.subject(clause, before[-1].start)
        actors = [a for a in parties_of(subj) if a != target]
        return [
            Candidate(
                "accusation",
                a,
                target,
                (ts, te),
                clause,
                trigger.confidence * conf,
                forced_status="stance" if re.search(r"reaffirm|commit", s.text, re.I) else None,
            )
            for a in actors
        ]
    # "X cut ties with Y citing "hostile actions"": X accuses Y
    subj, conf = s.subject((0, ts), ts)
    actors = parties_of(subj)
    if not actors:
        return []
    objs = s.objects(subj[-1].end, ts, set(actors))
    if not objs:
        return []
    return [Candidate("accusation", actors[0], objs[0].party, (ts, te), clause, 0.6 * conf)]


def _characterise(trigger, ts, te, clause, s: Sentence, _):
    """ "X called Y's move a provocation": X accuses the party the characterised thing
    names (a possessive, a demonym or "by Y" in it, else "by Y" after the charge)."""
    match = trigger.pattern.match(s.text, ts)  # its groups: the thing characterised
    subj, conf = s.subject(clause, ts)
    actors = parties_of(subj)
    if match is None or not actors:
        return []
    lo, hi = match.span("thing")
    inside = [m for m in s.mentions if lo <= m.start and m.end <= hi]
    after = [m for m in s.mentions if 0 <= m.start - te <= 5 and m.prep == "by"]
    targets = [t for m in inside + after if (t := m.party or m.nation) is not None]
    if not targets:
        return []
    return [
        Candidate("accusation", actor, targets[0], (ts, te), clause, trigger.confidence * conf)
        for actor in actors
        if actor != targets[0]
    ]


_CLAIM_NOUNS = (
    r"(?:claims?|allegations?|accusations?|charges?|reports?|assertions?|statements?|criticism)"
)
#: what a denial denies when it denies somebody's claim: "rejected the claims"
_CLAIM_OBJECT = re.compile(
    r"\s*(?:(?:the|these|those|such|this|that|its|their|his|her)\s+)?(?:\w+\s+)?"
    + _CLAIM_NOUNS
    + r"\b",
    re.IGNORECASE,
)
_CLAIM_NOUN = re.compile(r"\b" + _CLAIM_NOUNS + r"\b", re.IGNORECASE)
#: "..., a charge | denied by Rabat": the denial is an aside to the sentence's own event
_CLAIM_ASIDE = re.compile(
    r"\b(?:a|an)\s+(?:\w+\s+)?(?:charge|claim|accusation|allegation)s?\s+$", re.IGNORECASE
)
#: "denied reports that ...": what the press wrote, nobody's claim the article named before
_MEDIA_REPORTS = re.compile(r"\s*(?:(?:media|press|news)\s+)?reports\b", re.IGNORECASE)


def _denial(trigger, ts, te, clause, s: Sentence, discourse: Discourse):
    text = s.text[ts:te].lower()
    target = None
    aside = False
    if re.search(r"\bby\b", text):
        agents = s.objects(te, clause[1], set())
        if not agents:
            return []
        actor = agents[0].party
        # "accused Morocco of spying, a charge denied by Rabat": an aside to the accusation
        # before it, whose subject made the claim; it tells no time of its own
        aside = bool(_CLAIM_ASIDE.search(s.text, 0, ts))
        subj, conf = s.subject((0, ts), ts) if aside else s.subject((0, clause[0]), clause[0])
        claimants = [p for p in parties_of(subj) if p != actor]
        target = claimants[0] if claimants else None
    else:
        subj, conf = s.subject(clause, ts)
        if not subj:
            return []
        actor = subj[0].party
        after = s.objects(te, clause[1], {actor})
        if after and after[0].prep in ("by", "from", None) and after[0].possessive is False:
            target = after[0].party if after[0].prep == "by" else None
        claim = _CLAIM_OBJECT.match(s.text, te) or _CLAIM_NOUN.search(text)
        if target is None and claim and not _MEDIA_REPORTS.match(s.text, te):
            # "rejected the claims": whose claims the article said before; "denied arming
            # the Houthis" names no claimant, and the last country mentioned is not one
            for party in reversed(discourse.subjects):
                if party != actor and party.kind == "country":
                    target = party
                    conf *= 0.8
                    break
    return [
        Candidate(
            "denial", actor, target, (ts, te), clause, trigger.confidence * conf, untimed=aside
        )
    ]


def _protest(trigger, ts, te, clause, s: Sentence, discourse: Discourse):
    words = s.text[ts:te].split()
    noun = words[-1] if words else "protesters"
    if words and words[0].lower() in ("protest", "demonstration", "rally"):
        noun = "protesters"  # "protest outside the embassy": the crowd is not "outside"
    elif noun.lower() == "people":
        noun = "protesters"
    elif noun.lower() in _CROWD_NOUNS:
        noun = noun.lower()  # a common noun; "Palestinians" keeps its capital
    # the crowd's city: the first one named after the trigger in its clause ("protest outside
    # the Turkish embassy in Stockholm"), else the first in the sentence body; a dateline's
    # city is where the story was filed ("ANKARA, Jan 23 -")
    cities = [
        m
        for m in s.mentions
        if m.place is not None and m.place.kind == "city" and m.start >= s.body_start
    ]
    after = [m for m in cities if te <= m.start < clause[1]]
    city = (after or cities)[0].place if cities else None
    if city is None:
        named = _SCENE.search(s.text, clause[0], clause[1])
        if named and not any(m.start <= named.start(1) < m.end for m in s.mentions):
            city = Entity(name=named.group(1), kind="city")
    if city is None:
        city = discourse.protest_place
    else:
        discourse.protest_place = city
    targets: list[Entity] = []
    for m in s.mentions:
        if m.start >= clause[0] and m.parties and _PROTESTED_AFTER.match(s.text, m.end):
            targets.extend(p for p in m.parties if p not in targets)
    against = re.search(r"\bagainst\b", s.text[te : clause[1]])
    if against:
        for m in s.objects(te + against.end(), clause[1], set()):
            targets.extend(p for p in m.parties if p not in targets)
    for m in _ANTI.finditer(s.text):
        for mm in s.mentions:
            if mm.start == m.start(1) and mm.parties:
                targets.extend(p for p in mm.parties if p not in targets)
    if not targets:
        return []
    if city is None:
        # an unlocated crowd is a summary, not an identifiable party; it still sets the
        # scene's date for the located reports that follow
        actor = Entity(name=noun, kind="movement")
        return [
            Candidate("protest", actor, targets[0], (ts, te), clause, 0.0, scene=True, silent=True)
        ]
    actor = Entity(name=f"{noun} in {city.name}", kind="movement", wikidata=None)
    previous = discourse.protest_actor
    if previous is not None and previous.name.endswith(f" in {city.name}"):
        actor = previous  # the same crowd, named once
    discourse.protest_actor = actor
    return [
        Candidate("protest", actor, t, (ts, te), clause, trigger.confidence, place=city, scene=True)
        for t in targets
    ]


def _named(trigger, ts, te, clause, s: Sentence, _):
    """ "the AUKUS Defense Ministers Meeting", "an informal NATO Foreign Ministerial": the
    organisation holding the session is the target, the clause subject attends."""
    orgs = [
        m
        for m in s.mentions
        if m.parties
        and m.party.kind == "organization"
        and 0 <= ts - m.end <= 45
        and re.fullmatch(r"[\s)(]*(?:[A-Z][\w-]*\s+){0,4}", s.text[m.end : ts])
    ]
    if not orgs:
        return []
    org = orgs[-1].party
    subj, conf = s.subject(clause, orgs[-1].start)
    actors = [a for a in parties_of(subj) if a != org]
    if not actors:
        return []
    place = city_of(s.place_after(te, clause[1]))
    return [
        Candidate("meeting", a, org, (ts, te), clause, trigger.confidence * conf, place=place)
        for a in actors
    ]


def _alleged(trigger, ts, te, clause, s: Sentence, _):
    """ "Rabat allegedly used it against ...": an allegation against the subject."""
    subj, conf = s.subject(clause, ts)
    targets = parties_of(subj)
    if not targets:
        return []
    return [
        Candidate(
            "accusation",
            None,
            targets[0],
            (ts, te),
            clause,
            trigger.confidence * conf,
            forced_status="alleged",
        )
    ]


def _receive(trigger, ts, te, clause, s: Sentence, _):
    """ "Egypt's president received Sudan's army chief": a meeting of host and guest, when the
    object is an official of another state (not "welcomed the decision")."""
    subj, conf = s.subject(clause, ts)
    hosts = parties_of(subj)
    after = [
        m
        for m in s.mentions
        if te <= m.start < min(clause[1], te + 60) and m.source == "person" and m.parties
    ]
    if len(hosts) != 1 or not after:
        return []
    guest = after[0].party
    if guest == hosts[0]:
        return []
    place = city_of(s.place_after(after[0].end, clause[1], preps=("in", "at")))
    return [
        Candidate(
            "meeting",
            hosts[0],
            guest,
            (ts, te),
            clause,
            trigger.confidence * conf,
            place=place,
            participants=_persons_for(s, clause, {hosts[0], guest}),
        )
    ]


def _denial_object(trigger, ts, te, clause, s: Sentence, _):
    """ "Pakistan accused India of terrorism, a charge New Delhi denies": the denier is named
    inside the phrase, the accuser is the sentence subject."""
    inside = [m for m in s.mentions if m.parties and ts <= m.start and m.end <= te]
    if not inside:
        return []
    actor = inside[-1].party
    subj, conf = s.subject((0, ts), ts)
    claimants = [p for p in parties_of(subj) if p != actor]
    target = claimants[0] if claimants else None
    # "..., a charge New Delhi denies" is an aside that tells no time of its own
    aside = bool(re.match(r"an?\s", s.text[ts:te], re.IGNORECASE))
    return [
        Candidate(
            "denial", actor, target, (ts, te), clause, trigger.confidence * conf, untimed=aside
        )
    ]


def _charge(trigger, ts, te, clause, s: Sentence, _):
    """A condemnation without an accusing verb ("the regime continues to destroy democratic
    order", "North Korea's provocative behavior"), voiced by the text's own government or
    by a speaker quoted in the sentence; plain reporting ("Iran violated the deal") is not
    an accusation and gives nothing."""
    reporter = _third_party_reporter(s, clause)
    speaker = s.speaker or (None if reporter is None else _speaker_party(s, clause))
    if speaker is None:
        return []
    if s.text[ts:te].lower() in _ADJECTIVE_CHARGES:
        owners = [m for m in s.mentions if m.parties and 0 <= ts - m.end <= 4 and m.possessive]
    else:
        owners, _ = s.subject(clause, ts)
    targets = [p for p in parties_of(owners[:1]) if p != speaker]
    return [
        Candidate("accusation", speaker, t, (ts, te), clause, trigger.confidence) for t in targets
    ]


_ADJECTIVE_CHARGES = {
    "provocative",
    "destabilizing",
    "destabilising",
    "aggressive",
    "malign",
    "illegal",
    "reckless",
    "hostile",
    "inhumane",
}


def _speaker_party(s: Sentence, clause: tuple[int, int]) -> Entity | None:
    before = s.text[: clause[0]]
    verb = _REPORTING.search(before)
    if not verb:
        return None
    speakers = [m for m in s.mentions if m.parties and m.end <= verb.start()]
    return speakers[0].party if speakers else None


def _format(trigger, ts, te, clause, s: Sentence, _):
    """A bilateral format named by its pair: "the NATO-Russia Council", "the EU-China
    summit", "the UK-Vietnam Strategic Dialogue"; first-named party is the actor."""
    pair = [m for m in s.mentions if m.parties and clause[0] <= m.start and m.end <= ts]
    for a, b in itertools.pairwise(pair[-2:]):
        between = s.text[b.end : ts]
        if (
            s.text[a.end : b.start] in ("-", "–", "/")
            and a.party != b.party
            and re.fullmatch(r"\s*(?:[A-Z0-9][\w+.-]*\s+){0,3}", between)
        ):
            return [Candidate("meeting", a.party, b.party, (ts, te), clause, trigger.confidence)]
    return []


_FRAMES = {
    "format": _format,
    "charge": _charge,
    "characterise": _characterise,
    "receive": _receive,
    "denial_object": _denial_object,
    "named": _named,
    "alleged": _alleged,
    "svo": _svo,
    "sym": _sym,
    "visit": _visit,
    "host": _host,
    "expel": _expel,
    "embassy": _embassy,
    "leave": _leave,
    "switch": _switch,
    "passive": _passive,
    "implicit": _implicit,
    "denial": _denial,
    "protest": _protest,
}
