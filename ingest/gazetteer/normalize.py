"""Alias normalisation shared by the build, the lookup and the linker.

One function decides when two surface forms are "the same alias", so the gazetteer file, the
extractor's matcher and :func:`link_entity` can never disagree about it. Acronyms stay
case-sensitive ("US" the country is not "us" the pronoun, "IT" is not "it"); everything else
is compared case-, accent-, quote-, hyphen- and article-insensitively.
"""

from __future__ import annotations

import re
import unicodedata

_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "`": "'",
        "\u00b4": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00a0": " ",
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
    }
)
_SPACES = re.compile(r"\s+")
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"(?<=\w)'s?$")
#: An acronym: 2 to 6 capital letters (after removing periods), optionally with digits
#: ("G7", "G20"). Checked on the cleaned form, before case folding.
_ACRONYM = re.compile(r"^(?=.*[A-Z].*[A-Z0-9])[A-Z][A-Z0-9&]{1,5}$")


def clean(surface: str) -> str:
    """Typographic cleanup that never changes meaning: quotes, spaces, 'the', periods."""
    text = unicodedata.normalize("NFKC", surface).translate(_QUOTES)
    text = _SPACES.sub(" ", text).strip().strip(",;:")
    text = _LEADING_THE.sub("", text)
    text = _POSSESSIVE.sub("", text)
    # "U.S." -> "US", "U.N." -> "UN", "St. Lucia" -> "St Lucia".
    text = text.replace(".", "")
    return _SPACES.sub(" ", text).strip()


def is_acronym(surface: str) -> bool:
    """True for forms that must match case-sensitively ("US", "UK", "DPRK", "G7")."""
    return bool(_ACRONYM.match(clean(surface)))


def strip_accents(text: str) -> str:
    """ "Erdoğan" -> "Erdogan": the letters without their combining marks (NFKD), case kept."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(text: str) -> str:
    """Case-, accent- and hyphen-insensitive form of an already cleaned surface."""
    text = strip_accents(text.casefold())
    text = text.replace("&", " and ").replace("-", " ").replace("'", "")
    return _SPACES.sub(" ", text).strip()


def alias_key(surface: str) -> str:
    """The key under which an alias is stored: exact for acronyms, folded otherwise."""
    text = clean(surface)
    if is_acronym(text):
        return "=" + text
    return fold(text)


def lookup_keys(surface: str) -> list[str]:
    """Keys to try for a mention, most specific first.

    An all-capitals mention of a long name ("IRAN" in a headline) is tried as an acronym and,
    failing that, case-insensitively; acronym entries are never reached from lower case.
    """
    text = clean(surface)
    if not text:
        return []
    if is_acronym(text):
        return ["=" + text, fold(text)]
    return [fold(text)]
