"""Inspect a SPARQL request before it reaches a worker: its form, and what we refuse.

A regular expression on the raw text would be fooled by ``"SERVICE"`` in a string or a
comment, or miss ``service`` in lower case. This works on SPARQL tokens (see
sparql_tokens.py: strings, IRIs, prefixed names, variables and comments are single
tokens), so a keyword is only seen where the grammar has a keyword. It is far cheaper than
a full parse (microseconds instead of the ~20 ms of rdflib's pyparsing grammar) and the
full parse still happens in the worker, whose syntax errors (with line and column) are
passed on to the client.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from diplograph.server.errors import HTTPProblem, bad_request
from diplograph.server.sparql_tokens import Token, has_dataset_clause, prologue_end, tokens

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
)


@dataclass(frozen=True, slots=True)
class QueryInfo:
    """What the server needs to know about a query before running it."""

    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE; "" when the tokenizer cannot tell
    tokens: tuple[Token, ...]  # the query's tokens, for rewrites (select_cap) without relexing
    has_dataset: bool = False  # FROM / FROM NAMED: the query names its own dataset
    #: the same data always gives the same answer (no RAND, NOW, UUID, STRUUID, BNODE), so
    #: the answer may be cached and revalidated against the data version
    repeatable: bool = True


#: Functions whose value changes from one evaluation to the next (SPARQL 1.1 Query §17.4).
VOLATILE_FUNCTIONS = frozenset({"RAND", "NOW", "UUID", "STRUUID", "BNODE"})


#: Queries up to this many characters are remembered with what inspect_query found (an LRU
#: of REMEMBERED_QUERIES): the query UI, dashboards and scripts send the same text again and
#: again, and lexing a typical 1 KB query took about a quarter of the Python the server runs
#: per request. Longer queries are lexed every time, so the memory stays bounded (~10 MB).
REMEMBERED_QUERY_LENGTH = 8192
REMEMBERED_QUERIES = 512


def inspect_query(text: str) -> QueryInfo:
    """Classify ``text`` and raise an HTTP 400 problem for anything a read-only endpoint refuses.

    Refused: SPARQL Update operations (this endpoint never writes), ``SERVICE`` (a query must
    not make the server send requests anywhere: SSRF) and ``file:`` IRIs (no local files).
    Refusals are not remembered (an exception is never cached), accepted queries are.
    """
    if len(text) <= REMEMBERED_QUERY_LENGTH:
        return _remembered(text)
    return _inspect(text)


@functools.lru_cache(maxsize=REMEMBERED_QUERIES)
def _remembered(text: str) -> QueryInfo:
    return _inspect(text)


def _inspect(text: str) -> QueryInfo:
    toks = tuple(tokens(text))
    form = ""
    i = prologue_end(toks)
    if i < len(toks) and toks[i].kind == "word":
        first = toks[i].text.upper()
        if first in QUERY_FORMS:
            form = first
        elif first in UPDATE_KEYWORDS:
            raise HTTPProblem(
                400,
                f"SPARQL Update ({first}) is not accepted: this is a read-only query endpoint. "
                "Data changes go through `diplograph ingest`.",
            )
    for kind, value, _start in toks:
        if kind == "word" and value.upper() == "SERVICE":
            raise bad_request(
                "SERVICE (federated query) is not allowed: this endpoint does not send "
                "requests to other servers."
            )
        if kind == "iri" and unescape_iri(value[1:-1]).lower().startswith("file:"):
            raise bad_request(f"file: IRIs are not allowed in queries ({value}).")
    repeatable = not any(
        kind == "word" and value.upper() in VOLATILE_FUNCTIONS for kind, value, _start in toks
    )
    return QueryInfo(
        form=form, tokens=toks, has_dataset=has_dataset_clause(toks), repeatable=repeatable
    )


_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def unescape_iri(text: str) -> str:
    """Decode SPARQL codepoint escapes (``\\u0066``), as the parser does inside IRIs."""

    def one(m: re.Match[str]) -> str:
        code = int(m.group(1) or m.group(2), 16)
        return chr(code) if code <= 0x10FFFF else m.group(0)

    return _CODEPOINT.sub(one, text)


def check_graph_iri(value: str, parameter: str) -> str:
    """A ``default-graph-uri``/``named-graph-uri`` value must be an absolute, non-file IRI."""
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^<>\"{}|^`\\\x00-\x20]*$", value):
        raise bad_request(f"{parameter} must be an absolute IRI (got {value!r}).")
    if value.lower().startswith("file:"):
        raise bad_request(f"file: IRIs are not allowed in {parameter}.")
    return value
