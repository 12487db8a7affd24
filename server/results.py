"""SPARQL results writers: solutions and booleans as JSON, XML, CSV and TSV; graphs via pyoxigraph.

Why our own writers for SELECT: the result-row cap must be exact and signalled, and
pyoxigraph can only serialise a whole ``QuerySolutions`` iterator (no way to stop at N
rows). The writers take rows already cut at the cap and write straight into a binary
sink, one row at a time, so memory stays flat. Graph results keep pyoxigraph's native
serialisers (``pyoxigraph.serialize`` accepts any iterable of triples, cap included).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import BinaryIO
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox
from werkzeug.utils import get_content_type

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
RDF_DIR_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#dirLangString"

JSON = "application/sparql-results+json"
XML = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"

SOLUTION_TYPES = (JSON, XML, CSV, TSV)
#: SPARQL 1.1 CSV/TSV results define no boolean; ASK answers them with Jena's one-column
#: table ``_askResult`` holding ``true``/``false`` (see :func:`write_boolean`).
BOOLEAN_TYPES = (JSON, XML, CSV, TSV)
GRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
}
GRAPH_TYPES = tuple(GRAPH_FORMATS)

#: ``format=`` short names accepted by /sparql and the resource routes.
FORMAT_ALIASES = {
    "json": JSON,
    "srj": JSON,
    "xml": XML,
    "srx": XML,
    "csv": CSV,
    "tsv": TSV,
    "ttl": "text/turtle",
    "turtle": "text/turtle",
    "nt": "application/n-triples",
    "ntriples": "application/n-triples",
    "n-triples": "application/n-triples",
    "jsonld": "application/ld+json",
    "json-ld": "application/ld+json",
    "n3": "text/turtle",  # see GRAPH_SYNONYMS
    "rdf": "application/rdf+xml",
    "rdfxml": "application/rdf+xml",
    "rdf+xml": "application/rdf+xml",  # SPARQLWrapper's RDFXML
    "owl": "application/rdf+xml",
    "nq": "application/n-quads",
    "nquads": "application/n-quads",
    "trig": "application/trig",
}

#: For CONSTRUCT/DESCRIBE, ``format=json``/``xml`` mean the graph's JSON-LD/RDF/XML
#: (SPARQLWrapper's JSON and XML mean that for these forms too).
GRAPH_FORMAT_ALIASES = {
    **FORMAT_ALIASES,
    "json": "application/ld+json",
    "xml": "application/rdf+xml",
}

#: Other media types for graph formats, answered in the canonical type they map to (as
#: ``Accept`` or as a ``format=`` value).
#:
#: N3 is answered with Turtle, labelled ``text/turtle``: Turtle is a subset of N3, so the
#: document is a valid N3 answer, and the label says exactly what the bytes are. A client
#: that asked for N3 parses Turtle (SPARQLWrapper counts text/turtle as N3 and does not
#: warn), while a client that picks its parser from the Content-Type gets the strict,
#: widely available Turtle parser; ``text/n3`` would promise N3-only syntax that never
#: comes and give the same answer two cache keys.
GRAPH_SYNONYMS = {
    "text/n3": "text/turtle",
    "text/rdf+n3": "text/turtle",
    "application/n3": "text/turtle",
    "application/turtle": "text/turtle",
    "application/x-turtle": "text/turtle",
    "application/x-json+ld": "application/ld+json",
}

#: Every media type a graph may be asked for beyond GRAPH_TYPES, and the one it gets: the
#: generic JSON/XML/plain-text types (JSON-LD is JSON, RDF/XML is XML, N-Triples was
#: text/plain) and the synonyms above. /sparql (CONSTRUCT, DESCRIBE) and the resource
#: pages answer them alike.
GRAPH_EQUIVALENTS = {
    "application/json": "application/ld+json",
    "application/xml": "application/rdf+xml",
    "text/xml": "application/rdf+xml",
    "text/plain": "application/n-triples",
    **GRAPH_SYNONYMS,
}

#: Media types that are text and take a charset parameter.
CHARSET_TYPES = frozenset({CSV, TSV, "text/turtle", "application/trig"})


def content_type(media_type: str) -> str:
    """The Content-Type header for ``media_type``: UTF-8 said explicitly for every text,
    XML and Turtle-family type (werkzeug's rule for text/* and XML, plus CHARSET_TYPES)."""
    if media_type in CHARSET_TYPES:
        return f"{media_type}; charset=utf-8"
    return get_content_type(media_type, "utf-8")


def truncation_message(limit: int) -> str:
    return (
        f"Result cut at {limit} rows (the server's MAX_RESULT_ROWS). "
        "Add LIMIT/OFFSET to page through the full result, or download a dump from /dumps/."
    )


# -- terms -------------------------------------------------------------------------------


def _json_term(term: object) -> dict[str, object]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, object] = {"type": "literal", "value": term.value}
        dt = term.datatype.value
        if term.language:
            out["xml:lang"] = term.language
            if term.direction:
                out["its:dir"] = term.direction.name.lower()
        elif dt != XSD_STRING:
            out["datatype"] = dt
        return out
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": _json_term(term.subject),
                "predicate": _json_term(term.predicate),
                "object": _json_term(term.object),
            },
        }
    raise TypeError(f"not an RDF term: {term!r}")


def _xml_term(term: object) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        value = escape(term.value)
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{value}</literal>"
        dt = term.datatype.value
        if dt != XSD_STRING:
            return f"<literal datatype={quoteattr(dt)}>{value}</literal>"
        return f"<literal>{value}</literal>"
    if isinstance(term, ox.Triple):
        return (
            f"<triple><subject>{_xml_term(term.subject)}</subject>"
            f"<predicate>{_xml_term(term.predicate)}</predicate>"
            f"<object>{_xml_term(term.object)}</object></triple>"
        )
    raise TypeError(f"not an RDF term: {term!r}")


def _csv_field(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        text = "_:" + term.value
    elif isinstance(term, ox.NamedNode | ox.Literal):
        text = term.value
    else:
        text = str(term)
    if any(c in text for c in ',"\r\n'):
        text = '"' + text.replace('"', '""') + '"'
    return text


# -- solutions ---------------------------------------------------------------------------


def write_solutions(
    variables: Sequence[str],
    rows: Iterable[ox.QuerySolution],
    media_type: str,
    sink: BinaryIO,
    truncated_at: int | None = None,
) -> None:
    """Write SELECT solutions; ``truncated_at`` set means the rows were cut at that cap."""
    if media_type == JSON:
        head = json.dumps({"vars": list(variables)}, ensure_ascii=False)
        sink.write(f'{{"head":{head},"results":{{"bindings":['.encode())
        first = True
        for row in rows:
            binding = {}
            for v in variables:
                term = row[v]
                if term is not None:
                    binding[v] = _json_term(term)
            data = json.dumps(binding, ensure_ascii=False, separators=(",", ":"))
            sink.write((data if first else "," + data).encode())
            first = False
        tail = "]}"
        if truncated_at is not None:
            note = {"truncated": True, "limit": truncated_at}
            note["message"] = truncation_message(truncated_at)
            tail += ',"diplograph":' + json.dumps(note)
        sink.write((tail + "}").encode())
    elif media_type == XML:
        out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
        out.append("<head>" + "".join(f"<variable name={quoteattr(v)}/>" for v in variables))
        out.append("</head>")
        if truncated_at is not None:
            out.append(f"<!-- {escape(truncation_message(truncated_at))} -->")
        out.append("<results>")
        sink.write("".join(out).encode())
        for row in rows:
            parts = ["<result>"]
            for v in variables:
                term = row[v]
                if term is not None:
                    parts.append(f"<binding name={quoteattr(v)}>{_xml_term(term)}</binding>")
            parts.append("</result>")
            sink.write("".join(parts).encode())
        sink.write(b"</results></sparql>\n")
    elif media_type == CSV:
        sink.write((",".join(_csv_field(ox.Literal(v)) for v in variables) + "\r\n").encode())
        for row in rows:
            sink.write((",".join(_csv_field(row[v]) for v in variables) + "\r\n").encode())
    elif media_type == TSV:
        sink.write(("\t".join("?" + v for v in variables) + "\n").encode())
        for row in rows:
            cells = (str(row[v]) if row[v] is not None else "" for v in variables)
            sink.write(("\t".join(cells) + "\n").encode())
    else:
        raise ValueError(f"no solutions writer for {media_type}")


def write_boolean(value: bool, media_type: str, sink: BinaryIO) -> None:
    """Write an ASK answer.

    SPARQL 1.1 CSV/TSV results have no boolean form (the protocol allows them for ASK but
    the format only describes solutions). Rather than refuse (SPARQLWrapper asks for them
    and returns the text as is), this writes Jena's (Fuseki's) convention: a table with one
    column, ``_askResult``, and one row, ``true`` or ``false``. Any CSV/TSV reader takes it,
    and in TSV ``true``/``false`` are Turtle's xsd:boolean shorthand.
    """
    text = "true" if value else "false"
    if media_type == CSV:
        sink.write(f"_askResult\r\n{text}\r\n".encode())
    elif media_type == TSV:
        sink.write(f"?_askResult\n{text}\n".encode())
    elif media_type == JSON:
        sink.write(f'{{"head":{{}},"boolean":{text}}}'.encode())
    elif media_type == XML:
        sink.write(
            f'<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head/><boolean>{text}</boolean></sparql>\n".encode()
        )
    else:
        raise ValueError(f"no boolean writer for {media_type}")


def write_graph(
    triples: Iterable[ox.Triple],
    media_type: str,
    sink: BinaryIO,
    prefixes: dict[str, str] | None = None,
) -> None:
    """Write CONSTRUCT/DESCRIBE triples; quad formats put them in the default graph.

    With ``prefixes`` (pages), Turtle and TriG use them and JSON-LD is compacted with them.
    """
    fmt = GRAPH_FORMATS[media_type]
    if prefixes and fmt == ox.RdfFormat.JSON_LD:
        sink.write(compact_json_ld(triples, prefixes))
        return
    items: Iterable[ox.Triple | ox.Quad] = triples
    if fmt.supports_datasets:
        items = (ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)
    kwargs = (
        {"prefixes": prefixes}
        if prefixes and fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG)
        else {}
    )
    ox.serialize(items, sink, fmt, **kwargs)


def compact_json_ld(triples: Iterable[ox.Triple], prefixes: dict[str, str]) -> bytes:
    """JSON-LD compacted with ``prefixes`` as its ``@context`` ("rdfs:label", "wd:Q801"), the
    form people and plain-JSON tools read; pyoxigraph writes only the expanded form. rdflib
    compacts, which suits a page's description of one resource, not large query results
    (those stay expanded and streamed)."""
    from diplograph.store.terms import rdflib_graph

    graph = rdflib_graph(triples)
    out = graph.serialize(format="json-ld", context=dict(prefixes), auto_compact=True)
    return out.encode("utf-8")
