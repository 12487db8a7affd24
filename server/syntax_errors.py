"""pyoxigraph's SPARQL syntax errors as one line with the line and column.

pyoxigraph reports what it expected, over many lines for a name (every character class a
prefixed name may hold). The endpoint answers errors as one line of text/plain and the
CLI prints one `error:` line, so both shorten the message here the same way.
"""

from __future__ import annotations

import re

from diplograph.server.sparql_tokens import Token, prologue_end, tokens

#: pyoxigraph's syntax errors: "error at LINE:COLUMN: expected one of A, B, ['x' | ...]".
_SYNTAX_ERROR = re.compile(r"error at (\d+):(\d+): (.*)", re.DOTALL)
#: An item of its "expected" list: a quoted token, a character class or a word/message.
_EXPECTED_ITEM = re.compile(r"\"(?:[^\"\\]|\\.)*\"|\[(?:'(?:[^'\\]|\\.)*'|[^\]'])*\]|[^,\s][^,]*")


def syntax_error_message(message: str, text: str, toks: list[Token]) -> str:
    """pyoxigraph's syntax error as one line with its line and column.

    An undefined prefix is named with its own position (pyoxigraph lists the characters
    a name may hold instead, over several lines); the character classes of the list of
    what was expected are left out, and a message in that list (such as "The SELECT
    contains a variable that is unbound") replaces the list.
    """
    token = _undefined_prefix(toks)
    if token is not None:
        prefix = token.text.split(":", 1)[0]
        line, column = _position(text, token.start)
        return (
            f"SPARQL syntax error at line {line}, column {column}: undefined prefix"
            f" '{prefix}:' in {token.text} (declare it: PREFIX {prefix}: <...>)"
        )
    match = _SYNTAX_ERROR.match(message)
    if match is None:
        first = message.strip().splitlines()[0] if message.strip() else "invalid query"
        return f"SPARQL syntax error: {first}"
    line, column, detail = match.groups()
    where = f"SPARQL syntax error at line {line}, column {column}"
    if not detail.startswith("expected"):
        return f"{where}: {' '.join(detail.split())}"
    listed = re.sub(r"^expected (one of )?", "", detail)
    items = [
        " ".join(item.split())
        for item in _EXPECTED_ITEM.findall(listed)
        if not item.startswith("[")  # a character class, often many lines of code points
    ]
    messages = [i for i in items if " " in i and not i.startswith('"')]
    at_end = _at_end(text, int(line), int(column))
    if messages:
        found = "; ".join(messages)
    elif items:
        found = f"expected {'one of ' if len(items) > 1 else ''}{', '.join(items)}"
    else:  # only character classes ("[_]": any character), which say nothing
        found = "invalid SPARQL"
    return f"{where}: {found}{' (at the end of the query)' if at_end else ''}"


def _undefined_prefix(toks: list[Token]) -> Token | None:
    """The first prefixed name whose prefix the query does not declare (pyoxigraph knows no
    prefixes of its own, not even rdf: or xsd:)."""
    end = prologue_end(toks)
    declared = {
        toks[i + 1].text.split(":", 1)[0]
        for i in range(end)
        if toks[i].kind == "word" and toks[i].text.upper() == "PREFIX" and i + 1 < end
    }
    for token in toks[end:]:
        if token.kind == "pname" and token.text.split(":", 1)[0] not in declared:
            return token
    return None


def _position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def _at_end(text: str, line: int, column: int) -> bool:
    """Whether only white space follows LINE:COLUMN (something is missing, then)."""
    lines = text.split("\n")
    if line < len(lines) and any(rest.strip() for rest in lines[line:]):
        return False
    return not (0 < line <= len(lines) and lines[line - 1][column - 1 :].strip())


def one_line(message: str, text: str) -> str:
    """:func:`syntax_error_message` for a query text not tokenized yet."""
    return syntax_error_message(message, text, tokens(text))
