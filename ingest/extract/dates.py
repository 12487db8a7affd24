"""Date expressions in a sentence, resolved against the publication date.

Precision follows the text: a full date gives ``YYYY-MM-DD``, "last month" ``YYYY-MM``,
"earlier this year" ``YYYY``. Relative expressions need an anchor (the publication date);
without one they resolve to None rather than to a guess. A weekday without a publication
date may still be resolved when the same text states a full date falling on that weekday
(a photo caption "Khartoum, September 14, 2012" and "on Friday"), because that is what a
reader does.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
WEEKDAYS = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
_MONTH = (
    r"(?P<{0}>January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
)
_DAY = r"(?P<{0}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<{0}>1[89]\d\d|20\d\d)"

#: the last day of a span told day first: "29-30 August", "29 to 30 August" (the first day
#: dates a multi-day event)
_DAY_RANGE = r"(?:\s*(?:[-–]|to|and|until|through)\s*\d{1,2}(?:st|nd|rd|th)?)?"
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")),
    ("us_numeric", re.compile(r"\b(?P<m>[01]?\d)/(?P<d>[0-3]?\d)/(?P<y>(?:19|20)\d\d)\b")),
    (
        "mdy",
        re.compile(
            r"\b"
            + _MONTH.format("m")
            + r"\s+"
            + _DAY.format("d")
            + r"(?:\s*[-–]\s*\d{1,2})?"
            + r",?\s+"
            + _YEAR.format("y")
            + r"\b"
        ),
    ),
    (
        "dmy",
        re.compile(
            r"\b"
            + _DAY.format("d")
            + _DAY_RANGE
            + r"\s+"
            + _MONTH.format("m")
            + r",?\s+"
            + _YEAR.format("y")
            + r"\b"
        ),
    ),
    (
        "dmy_slash",
        re.compile(r"\b(?P<d>[0-3]?\d)\s*/\s*(?P<m>[01]?\d)\s*/\s*(?P<y>\d\d)\b"),
    ),
    ("my", re.compile(r"\b" + _MONTH.format("m") + r",?\s+(?:of\s+)?" + _YEAR.format("y") + r"\b")),
    (
        "md",
        re.compile(
            r"\b"
            + _MONTH.format("m")
            + r"\s+"
            + _DAY.format("d")
            + r"(?:\s*[-–]\s*\d{1,2})?"
            + r"(?![\d,]*\s*(?:19|20)\d\d)\b"
        ),
    ),
    (
        "dm",
        re.compile(
            r"\b" + _DAY.format("d") + _DAY_RANGE + r"\s+(?:of\s+)?" + _MONTH.format("m") + r"\b"
        ),
    ),
    (
        "relative",
        re.compile(
            r"\b(?P<rel>today|tonight|this\s+(?:morning|afternoon|evening|week)|yesterday"
            r"|last\s+night|tomorrow|(?:earlier|later)\s+(?:this|in\s+the)\s+(?:month|year)"
            r"|this\s+(?:month|year|week)|last\s+(?:month|year|week)|next\s+(?:month|year|week)"
            r"|(?:the\s+)?previous\s+(?:month|year))\b",
            re.IGNORECASE,
        ),
    ),
    (
        "anniversary",
        re.compile(r"\b(?P<n>\d{1,3})(?:st|nd|rd|th)\s+anniversary\b", re.IGNORECASE),
    ),
    (
        "last_month_name",
        re.compile(r"\b(?P<dir>last|next|this\s+past|this)\s+" + _MONTH.format("m") + r"\b"),
    ),
    (
        "weekday",
        re.compile(
            r"\b(?P<dir>last\s+|next\s+|this\s+(?:past\s+)?)?(?P<wd>Monday|Tuesday|Wednesday"
            r"|Thursday|Friday|Saturday|Sunday)(?:'s)?\b"
        ),
    ),
    (
        "month_only",
        re.compile(
            r"\b(?:in|since|by|until|during|from|of|late|early|mid-?)\s+"
            + _MONTH.format("m")
            + r"\b(?!\s+\d)"
        ),
    ),
    (
        "year",
        re.compile(
            r"\b(?:in|since|from|of|until|by|year|during|late|early|mid-?)\s+"
            r"(?P<y>1[89]\d\d|20\d\d)\b(?!-)"
        ),
    ),
]


#: Small numbers as words, as offsets and spans of time write them ("three years later").
NUMBER_WORDS: dict[str, int] = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
#: The same as a regex alternation.
NUMBER = "|".join(NUMBER_WORDS)

#: "three years later", "two days earlier": an offset from the date the sentence stated
#: before it ("recognized Beijing in 2002, then restored relations with Taipei three years
#: later" is 2005). Without such a date in the sentence it resolves to None, not a guess.
_OFFSET = re.compile(
    r"\b(?P<n>" + NUMBER + r"|\d{1,2})"
    r"\s+(?P<unit>years?|months?|weeks?|days?)\s+(?P<dir>later|earlier|afterwards?)\b"
    r"(?!\s+than\b)",  # "two years later than planned" is no date
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression: offsets relative to the sentence, resolved value (or None)."""

    start: int
    end: int
    value: str | None
    kind: str
    future: bool = False
    #: for an offset ("three years later"): where the date it counts from starts
    anchor: int | None = None


# Publication dates outside this span are typos or test noise; relative dates resolved
# against them would be meaningless (and date arithmetic near year 1 or 9999 overflows).
PLAUSIBLE_YEARS = range(1800, 2201)


def parse_iso(value: str | None) -> dt.date | None:
    """A publication date ``YYYY-MM-DD``; None when absent, malformed or implausible."""
    if not value or not isinstance(value, str):
        return None
    try:
        parsed = dt.date.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.year in PLAUSIBLE_YEARS else None


def _year(year: int) -> str | None:
    return f"{year:04d}" if 1 <= year <= 9999 else None


def find_dates(
    sentence: str,
    published: dt.date | None,
    *,
    future: bool = False,
    anchors: tuple[dt.date, ...] = (),
) -> list[DateMention]:
    """All date expressions of ``sentence``; overlapping matches keep the earliest pattern.

    ``future`` says the clause speaks of a planned event, so that a bare month ("in March")
    or weekday points forward; ``anchors`` are full dates stated elsewhere in the text.
    """
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(sentence):
            if _overlaps(m, taken):
                continue
            value = _resolve(kind, m, published, future, anchors)
            if kind in ("month_only", "year") and value is None:
                continue
            taken.append((m.start(), m.end()))
            found.append(DateMention(m.start(), m.end(), value, kind, future))
    found.sort(key=lambda d: d.start)
    offsets = []
    for m in _OFFSET.finditer(sentence):
        if _overlaps(m, taken):
            continue
        anchor = next((d for d in reversed(found) if d.end <= m.start() and d.value), None)
        offsets.append(
            DateMention(
                m.start(),
                m.end(),
                _offset(m, anchor.value) if anchor and anchor.value else None,
                "offset",
                future,
                anchor.start if anchor else None,
            )
        )
    if offsets:
        found = sorted(found + offsets, key=lambda d: d.start)
    return found


def _overlaps(m: re.Match[str], taken: list[tuple[int, int]]) -> bool:
    return any(m.start() < end and start < m.end() for start, end in taken)


def _offset(m: re.Match[str], anchor: str) -> str | None:
    """The date ``m`` ("three years later") stands for, counted from ``anchor``, the last
    date the sentence states before it, at the precision the unit allows: years from any
    date, months from a month, days and weeks from a full date."""
    word = m.group("n").lower()
    n = NUMBER_WORDS.get(word) or int(word)
    if m.group("dir").lower() == "earlier":
        n = -n
    unit = m.group("unit").lower().rstrip("s")
    parts = [int(x) for x in anchor.split("-")]
    if unit == "year":
        return _year(parts[0] + n)
    if unit == "month":
        if len(parts) < 2:
            return None
        months = parts[0] * 12 + parts[1] - 1 + n
        return f"{months // 12:04d}-{months % 12 + 1:02d}" if 1 <= months // 12 <= 9999 else None
    if len(parts) < 3:
        return None
    days = n * (7 if unit == "week" else 1)
    try:
        return (dt.date(*parts) + dt.timedelta(days=days)).isoformat()
    except (ValueError, OverflowError):
        return None


def _month(text: str) -> int:
    return MONTHS[text.rstrip(".").lower()]


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _resolve(
    kind: str,
    m: re.Match[str],
    pub: dt.date | None,
    future: bool,
    anchors: tuple[dt.date, ...],
) -> str | None:
    if kind in ("iso", "mdy", "dmy", "us_numeric", "dmy_slash"):
        year = int(m.group("y"))
        if kind == "dmy_slash":
            year += 2000
        month = _month(m.group("m")) if kind in ("mdy", "dmy") else int(m.group("m"))
        day = _safe_date(year, month, int(m.group("d")))
        return day.isoformat() if day else None
    if kind == "my":
        return f"{int(m.group('y')):04d}-{_month(m.group('m')):02d}"
    if kind in ("md", "dm"):
        month, day_number = _month(m.group("m")), int(m.group("d"))
        if not 1 <= day_number <= 31:
            return None
        year = _year_for_month_day(month, day_number, pub, future, anchors)
        if year is None:
            return None
        day = _safe_date(year, month, day_number)
        return day.isoformat() if day else None
    if kind == "month_only":
        if pub is None:
            return None
        month = _month(m.group("m"))
        if future:
            year = pub.year if month >= pub.month else pub.year + 1
        else:
            year = pub.year if month <= pub.month else pub.year - 1
        return f"{year:04d}-{month:02d}"
    if kind == "last_month_name":
        if pub is None:
            return None
        month = _month(m.group("m"))
        direction = m.group("dir").lower()
        if direction == "next":
            year = pub.year if month > pub.month else pub.year + 1
        elif direction == "this":
            year = pub.year
        else:
            year = pub.year if month < pub.month else pub.year - 1
        return f"{year:04d}-{month:02d}"
    if kind == "year":
        return m.group("y")
    if kind == "anniversary":
        # "the 40th anniversary of diplomatic relations" (said in 2013) dates them to 1973
        return _year(pub.year - int(m.group("n"))) if pub is not None else None
    if kind == "relative":
        return _relative(m.group("rel").lower(), pub)
    if kind == "weekday":
        return _weekday(m, pub, future, anchors)
    return None


def _year_for_month_day(
    month: int, day: int, pub: dt.date | None, future: bool, anchors: tuple[dt.date, ...]
) -> int | None:
    if pub is not None:
        candidate = _safe_date(pub.year, month, day)
        if candidate is None:
            return None
        if future:
            return pub.year if candidate >= pub else pub.year + 1
        # a page dated at the start of a trip reports its next days too: a date up to two
        # weeks after the publication date is this year's, not last year's
        return pub.year if candidate <= pub + dt.timedelta(days=14) else pub.year - 1
    years = {a.year for a in anchors if a.month == month}
    return years.pop() if len(years) == 1 else None


def _relative(rel: str, pub: dt.date | None) -> str | None:
    if pub is None:
        return None
    rel = re.sub(r"\s+", " ", rel)
    if rel in ("today", "tonight") or (
        rel.startswith("this ") and rel.endswith(("morning", "afternoon", "evening"))
    ):
        return pub.isoformat()
    if rel in ("yesterday", "last night"):
        return (pub - dt.timedelta(days=1)).isoformat()
    if rel == "tomorrow":
        return (pub + dt.timedelta(days=1)).isoformat()
    if rel.endswith("month"):
        if rel.startswith(("last", "previous", "the previous")):
            year, month = (pub.year, pub.month - 1) if pub.month > 1 else (pub.year - 1, 12)
        elif rel.startswith("next"):
            year, month = (pub.year, pub.month + 1) if pub.month < 12 else (pub.year + 1, 1)
        else:
            year, month = pub.year, pub.month
        return f"{year:04d}-{month:02d}"
    if rel.endswith("year"):
        if rel.startswith(("last", "previous", "the previous")):
            return _year(pub.year - 1)
        if rel.startswith("next"):
            return _year(pub.year + 1)
        return _year(pub.year)
    if rel.endswith("week"):
        # no week precision in the format: the month, when the whole span lies in one
        if rel.startswith("last"):
            first, last = pub - dt.timedelta(days=7), pub - dt.timedelta(days=1)
        elif rel.startswith("next"):
            first, last = pub + dt.timedelta(days=1), pub + dt.timedelta(days=7)
        else:
            first = last = pub
        if (first.year, first.month) == (last.year, last.month):
            return f"{first.year:04d}-{first.month:02d}"
    return None


def _weekday(
    m: re.Match[str], pub: dt.date | None, future: bool, anchors: tuple[dt.date, ...]
) -> str | None:
    target = WEEKDAYS[m.group("wd").lower()]
    direction = (m.group("dir") or "").strip().lower()
    if pub is None:
        matching = {a for a in anchors if a.weekday() == target}
        return matching.pop().isoformat() if len(matching) == 1 else None
    if direction == "next" or (future and not direction.startswith(("last", "this past"))):
        delta = (target - pub.weekday()) % 7
        return (pub + dt.timedelta(days=delta)).isoformat()
    delta = (pub.weekday() - target) % 7
    if direction == "last" and delta == 0:
        delta = 7
    return (pub - dt.timedelta(days=delta)).isoformat()


_DATELINE = re.compile(
    r"^\s*(?:(?:Posted|Published|Updated|Released)(?:\s+on)?:?\s+)?"
    # a press release's place and date: "Tokyo, 30 August 2025"
    r"(?:(?-i:[A-Z])[\w.'’-]*(?:\s+(?-i:[A-Z])[\w.'’-]*){0,2},\s+)?(?P<date>.{6,30}?)"
    r"(?:\s+(?:to|-|–)\s+.{6,30})?\s*(?:at\s+.*)?$",
    re.IGNORECASE,
)


_CLOCK = re.compile(r"\b\d{1,2}:\d{2}(?:\s*[AaPp]\.?[Mm]\.?)?(?:\s*\([^)]*\))?\s*,?\s*")


def dateline(lines: list[str]) -> dt.date | None:
    """The date of a page-header line that holds only a date ("January 17, 2014",
    "Posted July 9th, 2011 at 9:35 am", "May 24, 2011 to May 27, 2011", "Tokyo, 30 August
    2025"): the date the page speaks from, when no publication date is known."""
    for line in lines:
        match = _DATELINE.match(_CLOCK.sub("", line))
        if not match or len(line) > 80:
            continue
        found = find_dates(match.group("date"), None)
        if (
            len(found) == 1
            and found[0].kind in ("mdy", "dmy", "iso")
            and found[0].end - found[0].start >= len(match.group("date").strip()) - 1
        ):
            return parse_iso(found[0].value)
    return None


def full_dates(text: str) -> tuple[dt.date, ...]:
    """Every fully specified date in a text (used as anchors when no publication date)."""
    result: list[dt.date] = []
    for kind in ("iso", "mdy", "dmy"):
        pattern = dict(_PATTERNS)[kind]
        for m in pattern.finditer(text):
            value = _resolve(kind, m, None, False, ())
            parsed = parse_iso(value)
            if parsed:
                result.append(parsed)
    return tuple(dict.fromkeys(result))
