"""Rule-based extraction of diplomatic event facts from English news text.

``extract(text, article_id=..., published=...)`` returns :class:`~diplograph.ingest.facts.Fact`
objects following the annotation rules of the development set: 12 event types, actor and
target as states/organisations (persons as participants), dates resolved against the
publication date, negation, attribution, status, evidence with offsets and a confidence.

Pipeline (one module per step, driven by ``pipeline``): ``text`` (metadata line,
boilerplate, sentences with offsets) -> ``lexicon`` (the gazetteer as one trie regex) ->
``mentions`` + ``persons`` + ``context`` (names, demonyms, metonyms, officials, pronouns,
descriptive references) -> ``triggers`` (event patterns) -> ``clauses`` + ``sentence`` +
``arguments`` (clause-level actor/target frames) -> ``modality`` and ``dates`` ->
``assemble`` (facts, evidence offsets, confidence, merging) -> ``derive`` (implied facts).
Pure and deterministic: no network, no models, the same input gives the same facts.
"""

from __future__ import annotations

from diplograph.ingest.extract.pipeline import extract
from diplograph.ingest.extract.text import publication_date_from_text

EXTRACTOR_NAME = "diplograph-rules"
EXTRACTOR_VERSION = "1.0.0"

__all__ = ["EXTRACTOR_NAME", "EXTRACTOR_VERSION", "extract", "publication_date_from_text"]
