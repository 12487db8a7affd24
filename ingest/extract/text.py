"""Article text preparation: metadata line, boilerplate lines and sentences with offsets.

Everything here works on offsets into the text exactly as given, so that evidence can be
cut from the original string (``text[start:end] == evidence``) whatever cleaning we do.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

_log = logging.getLogger(__name__)

# Real pages carry at most a few hundred kB of article text; beyond this we stop reading (and
# log a warning) so that a 5 MB paste costs seconds, not minutes. Offsets stay valid because
# only the tail is cut.
MAX_CHARS = 1_000_000

_DATE_LINE = re.compile(r"\A[ \t\ufeff]*date[ \t]+(\d{4}-\d{2}-\d{2})\b[ \t]*")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")

# Whole lines that are page furniture, never article content. Anchored on the full line so
# that a sentence merely mentioning Twitter is kept.
_BOILERPLATE = re.compile(
    r"""^\s*(?:
        follow\b.{0,60}\b(?:on|at)\s+(?:twitter|facebook|instagram|telegram|x|google\+?|youtube|whatsapp)\b.*
      | (?:share|share\s+this(?:\s+(?:article|story|page))?|tweet|email|print|comments?)\s*:?
      | (?:related|more|recommended|most\s+(?:read|popular)|read\s+more|see\s+also|also\s+read)
        (?:\s+(?:stories|articles|news|content|links|from\s+\w+))?\s*:?
        # a teaser link on the heading's own line: "Related: Mali junta expels French envoy"
      | (?:related|read\s+more|see\s+also|also\s+read|recommended|more\s+on\s+this(?:\s+story)?)
        (?:\s+(?:stories|articles|news|content|links))?\s*:\s*[^.!?]{1,160}
      | (?:accessibility\s+links|breaking\s+news|skip\s+(?:to\s+)?(?:main\s+)?(?:content|navigation)
        |main\s+navigation|navigation\s+path|left\s+navigation|additional\s+tools|print-only\s+banner
        |leave\s+a\s+comment|media\s+enquiries|for\s+journalists|further\s+information
        |updates\s+to\s+this\s+page|back\s+to\s+top|sign\s+up.*newsletter.*|subscribe.*
        |advertisement|listen\s+to\s+this\s+article|cookie.*|all\s+rights\s+reserved.*
        |copyright\b.*|©.*|full\s+text\s+in\s+the\s+.*website|\(archived\s+content\)
        |an\s+official\s+website\s+of\s+the\s+.*|here's\s+how\s+you\s+know)\s*
      | .{0,80}\(external\s+link\)\s*
      | .*\b(?:click\s+(?:here|the\s+logo)|sign\s+in\s+with|cookies?\s+policy|terms\s+of\s+use)\b.*
    )$""",
    re.IGNORECASE | re.VERBOSE,
)

_BULLETS = frozenset("•·▪◦‣●○■□➢►–—*>")
_ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "gen",
    "brig",
    "lt",
    "col",
    "maj",
    "capt",
    "sgt",
    "adm",
    "gov",
    "sen",
    "rep",
    "rev",
    "st",
    "sr",
    "jr",
    "hon",
    "rt",
    "no",
    "vs",
    "v",
    "inc",
    "corp",
    "co",
    "ltd",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "mt",
    "ft",
    "pres",
    "sec",
    "amb",
    "messrs",
    "e.g",
    "i.e",
    "etc",
    "approx",
    "dept",
}
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence (or caption/heading line) with its offsets in the original text."""

    start: int
    end: int
    text: str
    paragraph: int


def publication_date_from_text(text: str) -> str | None:
    """The date of a leading ``date YYYY-MM-DD`` metadata line, if the text has one."""
    if not isinstance(text, str):
        return None
    match = _DATE_LINE.match(text[:64])
    return match.group(1) if match else None


def looks_binary(text: str) -> bool:
    """True when the text is mostly control characters (a binary file decoded as text)."""
    sample = text[:4096]
    if not sample:
        return False
    return len(_CONTROL.findall(sample)) > 0.05 * len(sample) or "\x00" in sample


_TEASER_HEADING = re.compile(
    r"^\s*(?:related(?:\s+(?:stories|articles|news|coverage|content|links|topics))?"
    r"|more\s+(?:stories|news|on\s+this\s+story|from\s+[\w\s]+)|read\s+more|see\s+also"
    r"|also\s+read|recommended(?:\s+stories)?|most\s+(?:read|popular|viewed)"
    r"|you\s+may\s+also\s+like|top\s+stories)\s*:?\s*$",
    re.IGNORECASE,
)


def _is_teaser(line: str) -> bool:
    """A linked headline under a "Related" heading: short, no closing full stop."""
    stripped = line.strip()
    return (
        len(stripped.split()) <= 16
        and ". " not in stripped
        and not stripped.endswith((".", '"', "”", ")"))
    )


def is_boilerplate(line: str) -> bool:
    return bool(_BOILERPLATE.match(line))


def split_sentences(text: str) -> list[Sentence]:
    """Content sentences of an article, boilerplate lines and the metadata line skipped.

    Lines are the first unit (headlines, captions and datelines are separate lines in page
    text); each line is then split at sentence punctuation followed by a capital, except
    after abbreviations and initials.
    """
    if len(text) > MAX_CHARS:
        _log.warning(
            "article text of %d characters: only the first %d are read", len(text), MAX_CHARS
        )
        text = text[:MAX_CHARS]
    sentences: list[Sentence] = []
    offset = 0
    meta = _DATE_LINE.match(text[:64])
    if meta:
        offset = meta.end()
    paragraph = 0
    in_teasers = False
    for line_match in re.finditer(r"[^\n\r]+", text[offset:]):
        line_start = offset + line_match.start()
        line = line_match.group()
        if not line.strip():
            continue
        if _TEASER_HEADING.match(line):
            in_teasers = True  # "Related coverage": the headlines below are links
            continue
        if in_teasers and _is_teaser(line):
            continue
        in_teasers = False
        if is_boilerplate(line):
            continue
        paragraph += 1
        for start, end in _split_line(line):
            s, e = line_start + start, line_start + end
            sentences.append(Sentence(s, e, text[s:e], paragraph))
    return sentences


def _split_line(line: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(line):
        end = match.end()
        if line[match.start()] == "." and _is_abbreviation(line, match.start()):
            continue
        spans.append((start, end))
        start = end
    spans.append((start, len(line)))
    result = []
    for s, e in spans:
        while s < e and (line[s].isspace() or line[s] in _BULLETS or line.startswith("- ", s)):
            s += 1  # list bullets are layout, not evidence
        while e > s and line[e - 1].isspace():
            e -= 1
        if e > s:
            result.append((s, e))
    return result


def _is_abbreviation(line: str, dot: int) -> bool:
    """Whether the full stop at ``dot`` ends an abbreviation or an initial, not a sentence."""
    word_start = dot
    while word_start > 0 and (line[word_start - 1].isalpha() or line[word_start - 1] == "."):
        word_start -= 1
    word = line[word_start:dot]
    if not word:
        return False
    if len(word) == 1 and word.isupper():
        return True  # an initial: "Lloyd J. Austin"
    if "." in word:
        return True  # "U.S." "D.C." "e.g."
    return word.lower() in _ABBREVIATIONS
