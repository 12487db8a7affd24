"""Negation, status and attribution of an event mention, from the words around its trigger.

The rules look only inside the trigger's clause (``before`` = clause text up to the
trigger, ``after`` = from the trigger to the clause end), so that "X said it will never
sign" negates the signing while "X signed, but Y never agreed" does not negate X's act.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NEGATION = re.compile(
    r"\b(?:not|never|no\s+longer|in\s+no\s+way|neither|nor|refus(?:e|es|ed|ing)\s+to"
    r"|no\s+(?:plans?|intention|intentions)\s+(?:to|of)"
    r"|declin(?:e|es|ed)\s+to|fail(?:s|ed)?\s+to|without|cannot|won['’]t|didn['’]t|doesn['’]t"
    r"|don['’]t|hasn['’]t|haven['’]t|wasn['’]t|weren['’]t|isn['’]t|aren['’]t)\b"
    r"(?:\s+[\w'’-]+){0,4}\s*$",  # "should not expect Turkey's support"
    re.IGNORECASE,
)
# "China denies plans to open a base", "rejected reports that it plans to build a base":
# the denied act is reported negated (the annotation rules); an accusation stays asserted
# when denied
_DENIED = re.compile(
    r"\b(?:den(?:y|ies|ied|ying)|reject(?:s|ed|ing)?|dismiss(?:es|ed|ing)?)\b"
    r"(?:\s+(?!(?:and|but|then|while)\b)[\w'’-]+){0,7}\s*$",  # not "rejected X and signed"
    re.IGNORECASE,
)
# "Togo revoked its recognition of Kosovo": withdrawn recognition is negated (the rules)
_WITHDRAWN = re.compile(
    r"\b(?:revok|withdr[ae]w|rescind|retract|suspend|annul)\w*\s+(?:its\s+|their\s+|the\s+)?$",
    re.IGNORECASE,
)
_PLANNED = re.compile(
    r"\b(?:will|shall|would|to\s+be|plans?\s+to|planning\s+to|planned|intends?\s+to"
    r"|aims?\s+to|(?:is|are)\s+set\s+to|expected\s+to|going\s+to|scheduled\s+to|due\s+to"
    r"|is\s+to|are\s+to|upcoming|preparing\s+to|ready\s+to|invited\s+to|has\s+been\s+invited"
    r"|invitation\s+to"
    r"|before\s+their|ahead\s+of|discussed\s+plans\s+to|plans?\s+for|work\s+toward|next"
    r"|agree[sd]?\s+to\s+(?:meet|hold|visit|host|convene|travel))\b",
    re.IGNORECASE,
)
FUTURE = re.compile(
    r"\b(?:will|shall|(?<!no\s)plans?\s+to|going\s+to|scheduled|upcoming|next)\b", re.I
)
# A future modal heads the verb phrase it governs, however long its objects run: "They will
# meet ... ISAF partners ... as well as counterparts in the X-Y Council". Far from the
# trigger it still counts when no finite or past verb form intervenes (a new predication).
_FUTURE_HEAD = re.compile(
    r"\b(?:will|shall|(?:is|are)\s+(?:due\s+|set\s+|scheduled\s+|expected\s+|going\s+)?to"
    r"|plans?\s+to|planning\s+to|intends?\s+to)\s+(?:\w+\s+)?[a-z]+",
    re.IGNORECASE,
)
_NEW_PREDICATION = re.compile(
    r"\b(?:[a-z]+ed|met|held|signed|sent|took|made|said|told|spoke|began|led|was|were|had"
    r"|did|is|are|has|have|which|who|whom|whose|where|when|after|before|since)\b"
)
# Headline future: "Minister Smith to Visit Ottawa", "Kerry to Meet Lavrov" (a subject of
# capitalised words, then "to" and the trigger verb; no finite verb).
_HEADLINE_FUTURE = re.compile(r"^\s*(?:[A-Z][\w.'’-]*\s+){1,6}to\s+$")
_AGREEABLE = ("agreement_signing", "military_cooperation", "relations_established")
_AGREED = re.compile(r"\bagree[sd]?\s+(?:to|upon|on)\b|\bagreed\b", re.IGNORECASE)
#: a base or stationed troops: a standing arrangement unless the clause sets one up
_STANDING_BASE = re.compile(
    r"(?:military|naval|air)\s+(?:bases?|facilities)|troops?\s+stationed", re.IGNORECASE
)
_BASE_SET_UP = re.compile(
    r"\b(?:open|build|buil[dt]|establish|set\s+up|grant|allow|agree|sign|lease|host)\w*\s+"
    r"(?:[\w'’-]+\s+){0,4}$",
    re.IGNORECASE,
)
_ANNOUNCED = re.compile(r"\bannounc(?:e|es|ed|ing|ement)\b", re.IGNORECASE)
#: an announcement of the act itself, not of a plan: "announced that the United States is
#: recognizing", "announces the signing of", "announced it has restored"
_ANNOUNCED_AS_DONE = re.compile(
    r"\bannounc\w*\s+(?:that\s+)?(?:(?:the|its|their|today['’]s)\s+$"
    r"|.{0,60}?\b(?:is|are|has|have)\s+(?:now\s+|formally\s+|officially\s+)?$)",
    re.IGNORECASE,
)
_ONGOING = re.compile(
    r"\b(?:continu(?:e|es|ed|ing)|ongoing|still|currently|(?:is|are)\s+in\b|already\s+close"
    r"|(?:is|are)\s+on\s+(?:a|an|his|her|their)\b"
    r"|unwavering|steadfast|enduring"
    r"|ever\s+closer|long-standing|existing|remain(?:s)?)\b",
    re.IGNORECASE,
)
_STANCE = re.compile(
    r"\b(?:stands?\s+(?:with|ready|by)|in\s+no\s+way|commitment|committed|solidarity"
    r"|will\s+not\s+stand|stand\s+ready|reaffirm(?:s|ed)?)\b",
    re.IGNORECASE,
)
_CANCELLED = re.compile(
    r"\b(?:cancel(?:s|led|ed|ling)?|call(?:s|ed)?\s+off|scrapp(?:ed|ing)|lift(?:s|ed|ing)?"
    r"|have\s+since\s+been\s+lifted|postpon(?:e|ed|es))\b",
    re.IGNORECASE,
)
_ALLEGED = re.compile(
    r"\b(?:allegedly|reportedly|purportedly|alleged|suspected\s+of|is\s+said\s+to)\b",
    re.IGNORECASE,
)
_ACCORDING = re.compile(
    r"\baccording\s+to\s+(?P<who>[^,.;:\"“”]{2,80}?)(?=\s*(?:[,.;:\"“”]|$|\bwhich\b))",
    re.IGNORECASE,
)
# "according to a joint statement": the parties' own record, not a third party's claim
_OWN_DOCUMENT = re.compile(
    r"^(?:a|an|the|their|its)\s+(?:joint\s+)?(?:statement|communiqu[eé]|readout|declaration"
    r"|agreement|transcript|press\s+release)\b",
    re.IGNORECASE,
)
_CLAIMANT = re.compile(
    r"(?P<who>\b[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,5})\s+(?:alleged|alleges|claimed|claims"
    r"|charged|charges)\s+(?:that\b)?",
)


def _future_head(before: str) -> bool:
    """A future modal earlier in the clause whose verb phrase runs on to the trigger."""
    heads = list(_FUTURE_HEAD.finditer(before))
    return bool(heads) and not _NEW_PREDICATION.search(before, heads[-1].end())


@dataclass(frozen=True, slots=True)
class Modality:
    negated: bool
    status: str
    attributed_to: str | None


def analyse(fact_type: str, before: str, trigger: str, after: str, sentence: str) -> Modality:
    """Status, negation and attribution of one trigger in its clause."""
    window = before[-90:]
    negated = fact_type != "denial" and (
        bool(_NEGATION.search(window))
        or (fact_type != "accusation" and bool(_DENIED.search(window)))
        or (fact_type == "recognition" and bool(_WITHDRAWN.search(window)))
    )
    status = "occurred"
    if _CANCELLED.search(trigger + " " + after[:60]) or _CANCELLED.search(window[-30:]):
        status = "cancelled"
    elif (
        _PLANNED.search(before[-160:] + trigger)
        or _future_head(before)
        or _HEADLINE_FUTURE.match(before)
    ):
        status = "planned"
        if fact_type in ("support", "accusation") or (
            fact_type != "official_visit" and re.search(r"stand\s+ready|ready\s+to", window, re.I)
        ):
            status = "stance"
    elif fact_type in _AGREEABLE and (
        _AGREED.search(window + " " + trigger) or re.search(r"\bagreed\s+upon\b", after[:30])
    ):
        status = "agreed"
    elif (
        _ANNOUNCED.search(window + " " + trigger)
        and fact_type
        in ("relations_established", "relations_severed", "agreement_signing", "recognition")
        and not _ANNOUNCED_AS_DONE.search(window)
    ):
        status = "announced"
    elif _STANCE.search(window + " " + trigger) and fact_type in (
        "support",
        "sanctions",
        "recognition",
    ):
        status = "stance"
    elif _ONGOING.search(window + " " + trigger) and fact_type in (
        "support",
        "military_cooperation",
        "official_visit",
        "sanctions",
    ):
        status = "ongoing"
    if fact_type in ("support", "military_cooperation", "relations_established") and re.search(
        r"\bpledg|\bvow", window + " " + trigger, re.I
    ):
        status = "announced"
    if (
        fact_type == "military_cooperation"
        and status == "occurred"
        and _STANDING_BASE.match(trigger)
        and not _BASE_SET_UP.search(window[-60:])
    ):
        status = "ongoing"  # "rallied outside the French military base": one that stands
    if (
        fact_type == "support"
        and status == "occurred"
        and re.match(r"(?:backs|supports|arms|funds|finances)\b", trigger, re.I)
    ):
        status = "ongoing"  # "Algeria, which backs the Polisario Front": a standing policy
    if (
        fact_type == "recognition"
        and status == "occurred"
        and re.match(r"recogni[sz]es?\b", trigger, re.I)
        and not re.search(r"\b(?:to|will|would|did|not|never|may|can)\s+$", window, re.I)
    ):
        status = "stance"  # "The United States recognizes Cuba's government"
    if negated and re.search(r"in\s+no\s+way|\b(?:does|do)\s+not\s+$|n['’]t\s+$", window, re.I):
        status = "stance"  # "Serbia does not recognize Kosovo"
    attributed = None
    according = _ACCORDING.search(sentence)
    if according and not _OWN_DOCUMENT.search(according.group("who")):
        attributed = according.group("who").strip()
    elif _ALLEGED.search(window + " " + trigger):
        claimant = _CLAIMANT.search(sentence)
        attributed = claimant.group("who") if claimant else "unspecified (reported allegation)"
    if attributed and fact_type not in ("accusation", "denial"):
        if status == "occurred":
            status = "alleged"
    elif attributed and fact_type == "accusation" and _ALLEGED.search(window + " " + trigger):
        status = "alleged"
    return Modality(negated=negated, status=status, attributed_to=attributed)
