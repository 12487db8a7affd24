"""Event triggers: the words that announce each of the 12 fact types, with argument frames.

Each :class:`Trigger` is a regular expression over one sentence plus a *frame* telling the
argument finder (``arguments.py``) where the parties are:

* ``svo`` -- actor is the clause subject, target the first party after the trigger
  ("Algiers accused Morocco of ...", "X imposed sanctions on Y");
* ``sym`` -- a symmetric event: the parties named around the trigger, first-mentioned party
  as actor ("X and Y signed", "talks between X and Y", "X met his Y counterpart");
* ``passive`` -- the agent follows "by" and the subject is the target ("a charge denied by
  Rabat", "has been accused of");
* ``visit`` -- the subject travels to a destination; the host is the destination's state;
* ``protest`` -- people, not states, act: the actor is an unnamed movement.

``needs`` is an optional pattern that must also occur in the clause (a signing needs an
agreement noun; a sanctions designation needs a target). Patterns are compiled once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Trigger:
    type: str
    pattern: re.Pattern[str]
    frame: str
    confidence: float
    needs: re.Pattern[str] | None = None
    excludes: re.Pattern[str] | None = None


#: "called | the U.S. move | a dangerous provocation", "described | the seizure by Iran | as a
#: grave violation": the verb, the thing characterised (group ``thing``) and the charge.
_CHARACTERISED = (
    r"\b(?:called|calls|described|describes|branded|brands|labell?ed|labels|termed|terms)\s+"
    r"(?P<thing>[^,;:!?]{2,80}?)\s+(?:as\s+)?(?:an?\s+|the\s+)?[\"“‘']?(?:[\w-]+\s+){0,2}?"
    r"(?:act\s+of\s+(?:aggression|war|piracy|terrorism|sabotage)|provocation|crime|violation"
    r"|breach|war\s+crime|terrorist\s+act|aggression|lies|propaganda|interference|blackmail"
    r"|hostage[-\s]taking|piracy|invasion|threat)\b"
)


def _t(
    fact_type: str,
    pattern: str,
    frame: str,
    confidence: float,
    needs: str | None = None,
    excludes: str | None = None,
) -> Trigger:
    flags = re.IGNORECASE
    return Trigger(
        fact_type,
        re.compile(pattern, flags),
        frame,
        confidence,
        re.compile(needs, flags) if needs else None,
        re.compile(excludes, flags) if excludes else None,
    )


_AGREEMENT_NOUN = (
    r"\b(?:agreements?|treaty|treaties|accords?|deals?|memorand(?:um|a)|MoUs?|pacts?"
    r"|declarations?|joint\s+(?:vision\s+)?statement|communiqu[eé]s?|framework|guidelines"
    r"|plan\s+of\s+action|conventions?|protocols?|documents|charter|arrangements?"
    r"|roadmap|road\s+map)\b"
)
_PHONE = (
    r"\b(?:phone|telephone|call(?:ed|s)?\s+(?:with|to)|video\s*(?:call|conference)|spoke\s+by)\b"
)
_TIES = r"(?:diplomatic\s+|formal\s+|full\s+|normal\s+|bilateral\s+)*(?:relations|ties)\b"

TRIGGERS: tuple[Trigger, ...] = (
    # ------------------------------------------------------------------ official_visit
    _t(
        "official_visit",
        r"\b(?:visit(?:s|ed|ing)?|(?:state|official|working|first)\s+visit\s+(?:to|of)"
        r"|travel(?:s|led|ed|ling|ing)?\s+to|(?:flew|flies|fly|flying)\s+(?:\w+\s+)?to"
        r"|arriv(?:e|es|ed|ing)\s+(?:in|at)|head(?:s|ed|ing)?\s+(?:on\s+\w+\s+)?to"
        r"|(?:trip|journey|tour|visit|leg)\s+(?:to|of)|land(?:s|ed)\s+in"
        # "will continue to Seoul", not "will continue to hold ... Iran's" (an infinitive)
        r"|continue\s+to(?=\s+(?:the\s+)?(?-i:[A-Z]))"
        r"|accompanied\s+\w+\s+(?:\w+\s+)?to|took\s+(?:him|her|them)\s+to"
        # a state sending its envoy: "we sent Chris Stevens to Benghazi"
        r"|(?:sent|sends?|dispatch(?:ed|es)?)\s+(?:(?:an?|its|his|her|their|our)\s+)?"
        r"(?:(?:special\s+)?envoys?|ambassadors?|delegations?|diplomats?|(?:foreign|defen[cs]e)"
        r"\s+ministers?|(?-i:[A-Z][\w.'’-]*))(?:\s+(?-i:[A-Z][\w.'’-]*)){0,3}\s+to"
        r"|(?:is|are|was|were)\s+in(?=\s+(?-i:[A-Z])))",
        "visit",
        0.8,
        excludes=r"\bvisit(?:s|ed)?\s+by\s+the\s+aircraft|\bvisa\b",
    ),
    _t(
        "official_visit",
        r"\b(?:welcom(?:e|es|ed|ing)|host(?:s|ed|ing)?|receiv(?:e|es|ed|ing))\b",
        "host",
        0.65,
    ),
    # ------------------------------------------------------------------ meeting
    _t(
        "meeting",
        r"\b(?:met|meet(?:s|ing|ings)?|talks|held\s+talks|consultations|summit"
        r"|(?:strategic|ministerial|security|economic)\s+dialogue|conferred"
        r"|(?:news|press)\s+conference\s+with|shak(?:es|ing)\s+hands(?:\s+with)?"
        r"|shook\s+hands(?:\s+with)?|sat\s+down\s+with|dialogue\s+we\s+had)\b",
        "sym",
        0.8,
        excludes=_PHONE + r"|\b(?:call(?:s|ed)?\s+for|request(?:s|ed|ing)?|ask(?:s|ed)?\s+for"
        r"|sought|seek(?:s|ing)?|demand(?:s|ed)?|urg(?:e|es|ed))\s+(?:\w+\s+){0,3}meetings?"
        r"|\b(?:at|during|after)\s+the\s+meeting\b"
        # an envoy "recalled / summoned home for consultations": a recall, not talks
        r"|\bfor\s+consultations\b(?!\s+with\b)",
    ),
    _t(
        "meeting",
        r"\b(?:receiv(?:e|es|ed|ing)|welcom(?:e|es|ed|ing)|host(?:s|ed|ing)?)\b",
        "receive",
        0.7,
        excludes=_PHONE,
    ),
    _t(
        "meeting",
        # a name or a counterpart follows ("hosted Ruto", not "host a Russian military base")
        r"\bhost(?:s|ed|ing)?\b(?=\s+(?:(?-i:[A-Z])|(?:his|her|their)\s+(?:(?-i:[A-Z])|counterpart)))",
        "sym",
        0.7,
        excludes=_PHONE,
    ),
    _t(
        "meeting",
        r"(?<=[A-Za-z)]\s)(?:(?:Ministerial\s+)?(?:Council\s+)?Meeting|Summit|Ministerial"
        r"|Conference|Council)\b",
        "named",
        0.7,
    ),
    _t(
        "meeting",
        r"(?<=\s)(?:Commission|Council|Dialogue|Forum|Summit|summit|Talks|talks|Consultations)\b",
        "format",
        0.7,
        excludes=_PHONE,
    ),
    # ------------------------------------------------------------------ agreement_signing
    _t(
        "agreement_signing",
        r"\b(?:sign(?:s|ed|ing)?|ink(?:s|ed)?|seal(?:s|ed)?|clinch(?:es|ed)?"
        r"|conclu(?:de|des|ded|sion\s+of)|issued\s+an?|agreed\s+(?:upon|on)|agreeing"
        r"|(?:announced|reached|struck|brokered)\s+(?:an?|the)|brokered\s+by|adopted"
        r"|signature\s+(?:of|process)|(?:restor|renew|extend|reviv)(?:e|es|ed|ing))\b",
        "sym",
        0.8,
        needs=_AGREEMENT_NOUN,
        # "signed up", "a sign of", "signed in to": not a signing; "signed in Manila" is
        excludes=r"\bsign(?:s|ed)?\s+(?:up|of)\b|\bsign(?:s|ed)?\s+in\s+(?:to|as)\b",
    ),
    # ------------------------------------------------------------------ relations_established
    _t(
        "relations_established",
        r"\b(?:(?:re-?)?establish(?:ed|es|ing|ment\s+of)?|restor(?:e|ed|es|ing|ation\s+of)"
        r"|resum(?:e|ed|es|ing|ption\s+of)|normali[sz](?:e|ed|es|ing|ation\s+of)"
        r"|set\s+up|upgrad(?:e|ed|es|ing)|forg(?:e|ed)|open(?:ed)?|anniversary\s+of)\s+"
        r"(?:\w+\s+){0,2}?" + _TIES,
        "sym",
        0.85,
        excludes=r"\boffer(?:ed|s|ing)?\s+(?:to\s+)?(?:establish|restor|normali)",
    ),
    _t(
        "relations_established",
        r"\b(?:re-?open(?:s|ed|ing)?|reopening\s+of|open(?:s|ed|ing)?|opening\s+of)\s+"
        r"(?:of\s+)?(?:the\s+|its\s+|their\s+|a\s+)?(?:new(?:ly\s+built)?\s+)?(?:[\w.]+\s+)?"
        r"embass(?:y|ies)\b",
        "embassy",
        0.75,
        excludes=r"\bopen(?:ing|ed)?\s+fire\b",
    ),
    _t(
        "relations_established",
        r"\bswitch(?:es|ed|ing)?\s+(?:diplomatic\s+)?(?:ties|recognition|relations|allegiance)"
        r"\s+(?:from\s+\S+(?:\s+\S+)?\s+)?to\b",
        "switch",
        0.8,
    ),
    # ------------------------------------------------------------------ relations_severed
    _t(
        "relations_severed",
        r"\b(?:cut|cuts|cutting|sever(?:s|ed|ing)?|broke\s+off|break(?:s|ing)?\s+off"
        r"|suspend(?:s|ed|ing)?|downgrad(?:e|ed|es|ing)|froze|freez(?:e|es|ing)"
        r"|rupture\s+in|end(?:s|ed)?)\s+(?:all\s+|its\s+|their\s+|off\s+)*"
        + _TIES
        + r"|\bbroke\s+(?:them|it)\s+off\b",
        "svo",
        0.85,
    ),
    _t(
        "relations_severed",
        r"\b(?:expel(?:s|led|ling)?|recall(?:s|ed|ing)?|withdr(?:ew|aw|aws|awn)|summon(?:s|ed)?"
        r"\s+home|ordered\s+out)\s+(?:[\w'’]+\s+){0,4}?(?:ambassadors?|diplomats?|envoys?"
        r"|charg[eé]\s+d['’]affaires|diplomat\s+in|emissar(?:y|ies))"
        r"|\b(?:order(?:s|ed)?|t(?:old|ells)|ask(?:s|ed)|g(?:ave|iven|ives))\s+(?:[\w'’]+\s+){0,4}?"
        r"(?:ambassadors?|diplomats?|envoys?)"
        r"\s+(?:to\s+leave|\d+\s+hours\s+to\s+leave)",
        "expel",
        0.85,
    ),
    _t(
        "relations_severed",
        r"\b(?:clos(?:e|ed|es|ing)|shut(?:s|ting)?(?:\s+down)?)\s+(?:its\s+|their\s+|the\s+)?"
        r"(?:[\w.]+\s+)?embass(?:y|ies)\b|\bembassy\b(?:\s+\w+){1,6}\s+(?:was\s+)?forced\s+to"
        r"\s+shut|forced\s+to\s+shut\s+its\s+doors",
        "embassy",
        0.7,
    ),
    _t(
        "relations_severed",
        # leaving a regional bloc (the annotation rules); not "left" or "leave", which
        # mostly leave a room or a city ("left the UN General Assembly hall")
        r"\b(?:withdr(?:ew|aws?|awn|awing)\s+from|pull(?:s|ed|ing)?\s+out\s+of|quit(?:s|ting)?"
        r"|exit(?:s|ed|ing)?|renounc(?:e|es|ed|ing)\s+(?:its\s+)?membership\s+(?:of|in))\s+",
        "leave",
        0.75,
    ),
    # ------------------------------------------------------------------ recognition
    _t(
        "recognition",
        r"\b(?:recogni[sz](?:e|es|ed|ing)|(?:diplomatic\s+)?recognition\s+(?:of|to|for))\b",
        "svo",
        0.8,
        excludes=r"\brecogni[sz](?:e|es|ed|ing)\s+(?:the\s+)?(?:importance|need|role|contribution"
        r"|efforts?|achievement|work|value|that|as\s+(?:a|an)\s+(?:leader|expert))",
    ),
    # ------------------------------------------------------------------ accusation
    _t(
        "accusation",
        r"\b(?:accus(?:e|es|ed|ing)|blam(?:e|es|ed|ing)|charg(?:ed|es)\s+that"
        r"|condemn(?:s|ed|ing)?|denounc(?:e|es|ed|ing)|criticis(?:e|es|ed|ing)"
        r"|criticiz(?:e|es|ed|ing)|rebuk(?:e|es|ed)|lambast(?:s|ed)?|castigat(?:es|ed)"
        # headline verbs of wire copy: "Beijing blasted Washington for interfering"
        r"|blast(?:s|ed)|slam(?:s|med))\b",
        "svo",
        0.8,
        excludes=r"\bbeen\s+(?:accused|blamed|condemned)",
    ),
    _t(
        "accusation",
        r"\b(?:has|have|had|was|were)\s+been\s+(?:accused|blamed|condemned)"
        r"(?:\s+by\s+[^,.;]{1,60}?)?\s+(?:of|for)\b",
        "passive",
        0.75,
    ),
    # a characterisation: "Britain called Iran's seizure of the tanker an act of piracy"
    _t("accusation", _CHARACTERISED, "characterise", 0.7),
    _t(
        "accusation",
        r"\ballegedly\s+(?:used|killed|attacked|supplied|funded|financed|spied|hacked"
        r"|interfered|violated|bombed|shelled|sent|smuggled|plotted|ordered|tried|helped"
        r"|armed|trained|sheltered|harbou?red|backed|targeted|tortured|detained)\b",
        "alleged",
        0.55,
    ),
    _t(
        "accusation",
        r"(?<=\s)aggression\b|\bcit(?:ing|ed)\s+(?:[\"“]|(?:its\s+|their\s+|the\s+)?"
        r"(?:\w+\s+)?(?:hostile|interference|violations?|aggression|espionage|provocations?"
        r"|meddling|attacks?|threats?|abuses?|crimes?|support\s+for))",
        "implicit",
        0.55,
    ),
    _t(
        "accusation",
        r"\b(?:continu(?:es|e|ed)\s+to\s+|has\s+|have\s+)?(?:threaten(?:s|ed)?|destroy(?:s|ed)?"
        r"|violat(?:es|ed)|undermin(?:es|ed)|abus(?:es|ed)|evad(?:es|ed)\s+sanctions|repress(?:es|ed)"
        r"|persecut(?:es|ed)|sponsor(?:s|ed)\s+terrorism|interfer(?:es|ed)\s+in|meddl(?:es|ed)\s+in"
        r"|destabiliz(?:es|ed)|destabilis(?:es|ed))\b"
        r"|(?<=['’]s\s)(?:provocative|destabili[sz]ing|aggressive|malign|illegal|reckless|hostile"
        r"|inhumane)\b",
        "charge",
        0.55,
    ),
    # ------------------------------------------------------------------ support
    _t(
        "support",
        r"\b(?:back(?:s|ed|ing)?(?!\s+(?:to|down|off|in|home|up|and|forth|on|away|out))|stands?\s+with"
        r"|solidarity\s+(?:and\s+support\s+)?(?:with|for)|support(?:s|ed|ing)?\s+(?:for\s+|to\s+)?"
        r"|pledg(?:e|es|ed|ing)\s+(?:to\s+be\s+a\s+partner|support)|(?:reaffirm|reiterat)\w*"
        r"\s+(?:[\w.'’-]+\s+){0,3}commitment\s+to|ready\s+to\s+(?:provide\s+)?support|aid\s+to"
        r"|assistance\s+to)",
        "svo",
        0.7,
        excludes=r"\bin\s+support\s+of|\bsupport(?:s|ed|ing)?\s+(?:for\s+)?(?:the\s+)?(?:decision|idea|call|effort"
        r"|proposal|plan|resolution|agreement|deal|process|launch|this|that)|backed\s+by",
    ),
    # ------------------------------------------------------------------ military_cooperation
    _t(
        "military_cooperation",
        r"\b(?:(?:defen[cs]e|security|military|military-to-military|naval|maritime\s+security)"
        r"\s+(?:cooperation|co-operation|relationship|partnership|ties|pact|logistics\s+treaty"
        r"|equipment|industr(?:y|ies)|technology|industrial\s+(?:dialogue|cooperation))|joint\s+(?:military\s+|naval\s+|air\s+|army\s+|maritime\s+|combat\s+)?(?:exercises?"
        r"|drills?|patrols?|training|manoeuvres|maneuvers|research,\s+development)"
        r"|(?:alliance|defen[cs]e)\s+commitments?|alliance\b|mutual\s+defen[cs]e"
        r"|arms\s+(?:sales?|deals?|deliveries|supplies|exports?)|port\s+(?:visit|call)"
        r"|visit\s+by\s+the\s+aircraft\s+carrier|(?-i:Exercise\s+[A-Z]{3,})|EDCA\s+sites"
        r"|coast\s+guard\s+cutter|weapons\s+(?:deliveries|transfers?)"
        r"|(?:military|naval|air)\s+(?:bases?|facilities)|basing\s+rights|troops?\s+stationed)",
        "sym",
        0.7,
    ),
    _t(
        "military_cooperation",
        r"\b(?:suppl(?:y|ies|ied|ying)|deliver(?:s|ed|ing)?|s(?:old|ells|ell|elling)"
        r"|transferr?(?:s|ed|ing)?|provid(?:e|es|ed|ing)|sen[dt]s?|ship(?:s|ped|ping)?)\s+"
        r"(?:[\w-]+\s+){0,3}?(?:weapons|arms|drones|missiles|tanks|fighter\s+jets|jets"
        r"|ammunition|artillery|warships|submarines|helicopters|air\s+defen[cs]e\s+systems?)"
        r"\s+to\b",
        "svo",
        0.7,
    ),
    # ------------------------------------------------------------------ sanctions
    _t(
        "sanctions",
        r"\b(?:sanction(?:s|ed|ing)?|designat(?:ed|es|ing)|blacklist(?:ed|s|ing)?"
        r"|asset\s+freezes?|froze\s+(?:the\s+)?assets|(?:travel|visa)\s+bans?|embargo(?:es)?"
        r"|targeting|punitive\s+measures|restrictive\s+measures"
        r"|(?:primary\s+)?money\s+laundering\s+concern|cut\s+off\s+funding)\b",
        "svo",
        0.75,
        excludes=r"\b(?:sanctionable|evaded\s+sanctions|sanctions\s+logo)\b"
        # a designation as a friend: "designating Kenya a major non-NATO ally"
        r"|\bdesignat\w*\s+(?:[\w.'’-]+\s+){1,4}?(?:as\s+)?(?:an?\s+)?(?:major\s+|strategic\s+)?"
        r"(?:non-NATO\s+)?(?:ally|allies|partners?|friends?|hub|host)\b",
    ),
    # ------------------------------------------------------------------ denial
    _t(
        "denial",
        r"\b(?:denied|rejected|dismissed)\s+by\b"
        r"|\b(?:den(?:y|ies|ied|ying)|reject(?:s|ed|ing)?|refut(?:e|es|ed|ing)|dismiss(?:es|ed|ing)?"
        r"|rebuff(?:s|ed)?)\b(?=(?:\s+\w+){0,4}\s+(?:claims?|charges?|accusations?|allegations?"
        r"|reports?|assertions?|suggestions?|criticism|involvement|responsibility|wrongdoing"
        r"|any|that|it"
        r"|the\s+account)|\s+(?:ever\s+)?(?:having|using|being|supplying|sending|funding"
        r"|supporting|arming|hacking|spying|interfering|ordering|carrying|attacking|killing)\b)"
        r"|\bsaid\s+the\s+(?:claims?|charges?|accusations?|allegations?|reports?)\s+(?:were|was)"
        r"\s+(?:false|baseless|untrue|lies|fabricated)",
        "denial",
        0.8,
    ),
    _t(
        "denial",
        r"\b(?:a|an|the)\s+(?:charge|claim|accusation|allegation)s?\s+(?:that\s+)?(?:the\s+)?"
        r"(?:(?-i:[A-Z])[\w.'’-]*\s+){1,3}(?:has\s+|have\s+)?(?:denies|denied|rejects|rejected"
        r"|dismisses|dismissed)\b",
        "denial_object",
        0.75,
    ),
    # ------------------------------------------------------------------ protest
    _t(
        "protest",
        r"\b(?:protesters|protestors|demonstrators|rioters|(?:angry\s+)?mob|crowds?|marchers"
        r"|(?:hundreds|thousands|dozens|scores|tens\s+of\s+thousands)\s+of\s+(?:[\w-]+\s+){0,2}?"
        r"(?:people|[A-Z][a-z]+(?:ians|ans|ese|is|ers)))\b"
        r"(?=(?:\s+[\w,-]+){0,12}?\s+(?:stormed|gathered|marched|rallied|attacked|overran"
        r"|breached|besieged|torched|set\s+fire|protested|burned|clashed|surrounded|moved\s+to"
        r"|held|broke\s+into|demonstrated|rioted|chanted))",
        "protest",
        0.75,
    ),
    _t(
        "protest",
        r"\b(?:demonstration|protest|rally)\s+(?:against|outside|in\s+front\s+of)\b",
        "protest",
        0.6,
        excludes=r"\bdiplomatic\s+protest|lodged\s+a\s+protest",
    ),
)
