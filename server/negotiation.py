"""Content negotiation: one Accept parser with q-values, used by every route.

Why not Werkzeug's ``accept_mimetypes.best_match``: it ignores our server-side order on
ties in a way that makes ``*/*`` pick arbitrary types, and it has no notion of short
``format=`` names. The rules here follow RFC 9110 §12.5.1: the most specific matching
range decides an offer's quality, ``q=0`` forbids, ties go to the server's preference.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class MediaRange:
    """One element of an Accept header."""

    type: str
    subtype: str
    q: float
    params: tuple[tuple[str, str], ...]

    def specificity(self, offer: str) -> int:
        """-1 if this range does not match ``offer``, else how specific the match is."""
        otype, _, osub = offer.partition("/")
        if self.type == "*":
            return 0 if self.subtype == "*" else -1
        if self.type != otype:
            return -1
        if self.subtype == "*":
            return 1
        return 2 + len(self.params) if self.subtype == osub else -1


def parse_accept(header: str | None) -> list[MediaRange]:
    """Parse an Accept header leniently: malformed elements are skipped, bad q means 1."""
    ranges: list[MediaRange] = []
    for element in (header or "").split(","):
        parts = [p.strip() for p in element.split(";")]
        media = parts[0].lower()
        if "/" not in media:
            if media == "*":  # seen in the wild, means */*
                media = "*/*"
            else:
                continue
        mtype, _, subtype = media.partition("/")
        if not mtype or not subtype:
            continue
        q = 1.0
        params: list[tuple[str, str]] = []
        for param in parts[1:]:
            key, _, value = param.partition("=")
            key = key.strip().lower()
            value = value.strip().strip('"')
            if key == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 1.0
                break  # accept-ext after q is ignored
            if key:
                params.append((key, value.lower()))
        ranges.append(MediaRange(mtype, subtype, q, tuple(params)))
    return ranges


def negotiate(accept: str | None, offers: Sequence[str]) -> str | None:
    """The best of ``offers`` (in server preference order) for ``accept``, or None (406).

    No or empty Accept header means the first offer.
    """
    if not offers:
        return None
    ranges = parse_accept(accept)
    if not ranges:
        return offers[0]
    best: str | None = None
    best_q = 0.0
    for offer in offers:
        q = _quality(ranges, offer)
        if q > best_q:
            best, best_q = offer, q
    return best


def _quality(ranges: list[MediaRange], offer: str) -> float:
    top = -1
    q = 0.0
    for r in ranges:
        s = r.specificity(offer)
        if s > top:
            top, q = s, r.q
    return q


def choose(
    accept: str | None,
    format_param: str | None,
    offers: Sequence[str],
    aliases: Mapping[str, str],
) -> str | None:
    """Pick a media type from a ``format=`` parameter (short name or media type) or Accept.

    ``format=`` wins over Accept. ``aliases`` maps short names (and other media types) to
    offers, so a name can mean a different type for each result form (``xml`` is SPARQL
    XML for SELECT, RDF/XML for CONSTRUCT). A value that names nothing in ``offers`` yields
    None so the caller can answer 406 with the choices. A space in the value is read as
    ``+``: no format name or media type has a space, and ``?format=rdf+xml`` or
    ``?format=application/sparql-results+json`` typed into a URL arrive with one.
    """
    if format_param:
        wanted = format_param.strip().lower().replace(" ", "+")
        wanted = aliases.get(wanted, wanted)
        return wanted if wanted in offers else None
    return negotiate(accept, offers)
