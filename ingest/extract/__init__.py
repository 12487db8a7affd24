"""Rule-based extraction of diplomatic event facts from English news text.

``extract(text, article_id=..., published=...)`` returns :class:`~diplograph.ingest.facts.Fact`
objects following the annotation rules of the development set: 12 event types, actor and
target as states/organisations (persons as participants), dates resolved against the
publication date, negation, attribution, status, evidence with offsets and a confidence.

Pipeline (one module per step): ``text`` (metadata line, boilerplate, sentences with
offsets) -> ``lexicon``/``mentions`` (gazetteer names, demonyms, metonyms, persons,
descriptive references) -> ``triggers`` + ``arguments`` (event patterns and clause-level
actor/target assignment) -> ``modality`` and ``dates`` -> ``assemble`` (facts, dedup).
Pure and deterministic: no network, no models, the same input gives the same facts.
"""

from __future__ import annotations

from diplograph.ingest.extract.pipeline import extract
from diplograph.ingest.extract.text import publication_date_from_text

EXTRACTOR_NAME = "diplograph-rules"
EXTRACTOR_VERSION = "1.0.0"

__all__ = ["EXTRACTOR_NAME", "EXTRACTOR_VERSION", "extract", "publication_date_from_text"]
