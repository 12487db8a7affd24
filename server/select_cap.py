"""Cap a SELECT query inside the engine, so its results keep pyoxigraph's native serialiser.

pyoxigraph can only serialise a whole ``QuerySolutions``; writing solutions from Python is
5-10x slower for large results. So a SELECT is rewritten as

    <prologue> SELECT <same projection> WHERE { { <the query> } } LIMIT <cap + 1>

(SPARQL allows solution modifiers and a VALUES clause in a sub-select), its results are
serialised natively, and the rows are counted in the serialised bytes. Only when the cap
is exceeded (the result has cap + 1 rows) does the server fall back to cutting rows in
Python. The projection is repeated explicitly because ``SELECT *`` over a sub-select need
not keep the sub-select's variable order. Queries with a dataset clause (``FROM``), which
a sub-select may not carry, are not rewritten.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from diplograph.server.sparql_tokens import Token, prologue_end, tokens


def _projection(toks: Sequence[Token], i: int) -> tuple[list[str] | None, int] | None:
    """Variables projected by the SELECT at ``toks[i]`` (None for ``*``) and where the
    WHERE clause starts; None if the select clause has a FROM (dataset clause)."""
    i += 1
    if i < len(toks) and toks[i].kind == "word" and toks[i].text.upper() in ("DISTINCT", "REDUCED"):
        i += 1
    names: list[str] | None = []
    depth = 0
    while i < len(toks):
        tok = toks[i]
        if depth == 0 and (tok.text == "{" or (tok.kind == "word" and tok.text.upper() == "WHERE")):
            break
        if depth == 0 and tok.kind == "word" and tok.text.upper() == "FROM":
            return None
        if tok.text == "(":
            depth += 1
        elif tok.text == ")":
            depth -= 1
        elif tok.text == "*" and depth == 0:
            names = None
        elif tok.kind == "var" and names is not None:
            previous = toks[i - 1]
            if depth == 0 or (previous.kind == "word" and previous.text.upper() == "AS"):
                names.append(tok.text[1:])
        i += 1
    else:
        return None
    return names, i


def capped_select(text: str, limit: int, toks: Sequence[Token] | None = None) -> str | None:
    """``text`` rewritten to return at most ``limit`` solutions, or None if not applicable.

    ``toks`` are the tokens of ``text`` when the caller has them already (the request
    checks tokenize every query), so a query is lexed once per request.
    """
    if toks is None:
        toks = tokens(text)
    i = prologue_end(toks)
    if i >= len(toks) or toks[i].kind != "word" or toks[i].text.upper() != "SELECT":
        return None
    found = _projection(toks, i)
    if found is None:
        return None
    names, _where = found
    if names is not None and not names:
        return None
    projection = "*" if names is None else " ".join("?" + n for n in names)
    start = toks[i].start
    return f"{text[:start]}SELECT {projection} WHERE {{ {{\n{text[start:]}\n}} }} LIMIT {limit}"


_CSV_QUOTED = re.compile(rb'"(?:[^"]|"")*"')
#: The start of every JSON solution after the first: a comma, then the first binding's
#: variable name and term object. A string may end in ',{' (its closing quote completing
#: ',{"'), but what follows a string is '}' or ',', never a name and '":{"type":"'.
_NEXT_SOLUTION = re.compile(rb',\{"[^"\\]*":\{"type":"')


def count_rows(body: bytes, media_type: str) -> int:
    """Solutions in a result serialised by pyoxigraph, counted at C speed (no parsing).

    TSV escapes newlines in values and XML escapes '<', so lines and ``<result>`` tags
    count rows. In JSON every solution after the first starts with ``,{"name":{"type":"``,
    which no string can contain (quotes inside strings are escaped); in CSV, with quoted
    fields removed, every record ends with a line break.
    """
    if media_type == "text/tab-separated-values":
        return body.count(b"\n") - 1
    if media_type == "application/sparql-results+xml":
        return body.count(b"<result>") + body.count(b"<result/>")
    if media_type == "application/sparql-results+json":
        if b"{}" in body:  # an empty solution, or "{}" inside a literal: parse to be exact
            return len(json.loads(body)["results"]["bindings"])
        start = body.find(b'"bindings":[') + len(b'"bindings":[')
        if body[start : start + 1] != b"{":
            return 0
        return 1 + len(_NEXT_SOLUTION.findall(body, start))
    if media_type == "text/csv":
        return _CSV_QUOTED.sub(b"", body).count(b"\n") - 1
    raise ValueError(f"cannot count rows of {media_type}")
