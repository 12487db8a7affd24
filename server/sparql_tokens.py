"""A SPARQL tokenizer: just enough lexing to find keywords, braces and clauses safely.

Strings (all four quote styles), IRIs, prefixed names, variables, blank nodes and
comments are single tokens, so a keyword inside a literal or a comment is never mistaken
for one. Anything else is a one-character ``other`` token. Used by the request checks
(query_check.py) and by the result cap (select_cap.py); no Flask import, because the query
worker processes use it too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
  | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)
  | (?P<bnode>_:[\w.\-]+)
  | (?P<pname>(?:[^\W\d_][\w.\-]*)?:(?:[\w:%\\\-.]|\\.)*)
  | (?P<word>[^\W\d][\w]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


class Token(NamedTuple):
    kind: str  # string, iri, var, bnode, pname, word or other
    text: str
    start: int  # offset in the query text


def tokens(text: str) -> list[Token]:
    """Significant tokens of ``text``; whitespace and comments dropped."""
    out: list[Token] = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "other"
        if kind in ("ws", "comment"):
            continue
        out.append(Token(kind, m.group(), m.start()))
    return out


def has_dataset_clause(toks: Sequence[Token]) -> bool:
    """True when the query names its own dataset (``FROM``/``FROM NAMED``): then that, not
    the union default graph, is what it runs on (SPARQL 1.1 Query §13.2). FROM is a
    keyword nowhere else in a query (sub-queries cannot have one)."""
    return any(t.kind == "word" and t.text.upper() == "FROM" for t in toks)


def prologue_end(toks: Sequence[Token]) -> int:
    """Index of the first token after the prologue (``BASE <iri>``, ``PREFIX p: <iri>``)."""
    i = 0
    while i < len(toks):
        word = toks[i].text.upper() if toks[i].kind == "word" else ""
        if word == "BASE":
            i += 2
        elif word == "PREFIX":
            i += 3
        else:
            break
    return i
