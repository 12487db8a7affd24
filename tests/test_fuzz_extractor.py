"""Property tests of the extractor: any text in, valid facts out, every claim traceable.

For any Unicode text (random, diplomatic-sounding sentences, and real sample articles
with noise spliced in):

* ``extract`` raises nothing and returns facts of the interchange format (a JSON round
  trip through the strict parser gives the same fact back);
* every fact's evidence is exactly ``text[evidence_start:evidence_end]``;
* the facts of an article, mapped to RDF, conform to the SHACL shapes.

Random text rarely contains an event, so the generators build sentences from country
names, diplomatic verbs, dates and hedges and then damage them. The example count comes
from a hypothesis profile: ``DIPLOGRAPH_FUZZ_PROFILE=bench`` (used by ``bench/fuzz.py``)
runs 10,000 examples per property, the default ``ci`` profile 200.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, date, datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diplograph.ingest.extract import extract
from diplograph.ingest.facts import Article, Fact, parse_record
from diplograph.ingest.to_rdf import IngestRun, article_to_graph
from diplograph.shapes.validate import validate

#: CI replays the same examples on every run (a red build is then never luck); the
#: benchmark draws new ones each time, to find what CI has not seen.
settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "bench",
    max_examples=int(os.environ.get("DIPLOGRAPH_FUZZ_EXAMPLES", "10000")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
PROFILE = settings.get_profile(os.environ.get("DIPLOGRAPH_FUZZ_PROFILE", "ci"))

SAMPLES = sorted((Path(__file__).resolve().parents[1] / "ingest" / "samples").glob("*.txt"))
RUN = IngestRun(
    id="fuzz",
    started_at=datetime(2026, 1, 1, tzinfo=UTC),
    extractor="fuzz",
    extractor_version="1",
)
#: Examples run and facts checked per property (read by bench/fuzz.py).
COUNTS: dict[str, int] = {"examples": 0, "facts": 0, "shacl_graphs": 0}

PARTIES = [
    "France",
    "Germany",
    "the United States",
    "China",
    "Russia",
    "Israel",
    "Morocco",
    "the European Union",
    "NATO",
    "Japan",
    "South Korea",
    "Iran",
    "the United Nations",
    "Côte d'Ivoire",
    "Ukraine",
    "Brazil",
    "Washington",
    "Beijing",
    "Moscow",
    "Georgia",
    "Congo",
    "Foreign Minister Ana Silva",
    "President Ali Hassan",
    "the Kremlin",
]
VERBS = [
    "met",
    "met with",
    "visited",
    "held talks with",
    "signed an agreement with",
    "signed a treaty with",
    "recognised",
    "recognized the independence of",
    "established diplomatic relations with",
    "restored ties with",
    "severed diplomatic relations with",
    "cut ties with",
    "accused",
    "condemned",
    "protested to",
    "summoned the ambassador of",
    "imposed sanctions on",
    "lifted sanctions on",
    "expressed support for",
    "backed",
    "denied supplying weapons to",
    "agreed to hold joint military exercises with",
    "will visit",
    "is expected to meet",
    "did not meet",
    "has denied that it attacked",
]
TAILS = [
    "",
    " on Monday",
    " on 3 May 2021",
    " in Paris",
    " last week",
    " in 2019",
    ", officials said",
    ", according to state media",
    " of spying",
    " over the border dispute",
    " during a two-day visit to Rabat on Tuesday",
    " next month",
]
#: Every code point a Python str can hold in a file (lone surrogates cannot be UTF-8).
CHARACTERS = st.characters(exclude_categories=("Cs",))
NOISE = st.text(alphabet=CHARACTERS, min_size=0, max_size=8)


@st.composite
def diplomatic_sentence(draw: st.DrawFn) -> str:
    actor = draw(st.sampled_from(PARTIES))
    verb = draw(st.sampled_from(VERBS))
    target = draw(st.sampled_from(PARTIES))
    tail = draw(st.sampled_from(TAILS))
    parts = [actor, " ", verb, " ", target, tail, draw(st.sampled_from([".", "!", "?", ";", ""]))]
    if draw(st.booleans()):  # damage it: noise spliced in at a random place
        at = draw(st.integers(0, len(parts)))
        parts.insert(at, draw(NOISE))
    return "".join(parts)


@st.composite
def diplomatic_text(draw: st.DrawFn) -> str:
    sentences = draw(st.lists(diplomatic_sentence(), min_size=1, max_size=6))
    separators = st.sampled_from([" ", "\n", "\n\n", "  ", "\r\n", "\t", "\u2028", "\xa0"])
    text = ""
    for sentence in sentences:
        text += sentence + draw(separators)
    if draw(st.booleans()):
        text = draw(st.sampled_from(["", "date 2021-11-23\n", "---\n", "PARIS, 1 May —"])) + text
    return text


@st.composite
def damaged_sample(draw: st.DrawFn) -> str:
    """A slice of a real sample article with random characters inserted or cut out."""
    text = draw(st.sampled_from(SAMPLES)).read_text(encoding="utf-8")
    start = draw(st.integers(0, max(0, len(text) - 1)))
    text = text[start : start + draw(st.integers(0, 2000))]
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(text)))
        cut = draw(st.integers(0, 3))
        text = text[:at] + draw(NOISE) + text[at + cut :]
    return text


TEXTS = st.one_of(
    st.text(alphabet=CHARACTERS, max_size=300),
    st.text(alphabet=st.characters(codec="ascii")),
    diplomatic_text(),
    damaged_sample(),
)
PUBLISHED = st.one_of(st.none(), st.dates().map(date.isoformat))


def check_extraction(text: str, published: str | None) -> list[Fact]:
    """The properties every extraction must have; returns the facts for further checks."""
    COUNTS["examples"] += 1
    facts = extract(text, article_id="fuzz-article", published=published)
    assert isinstance(facts, list)
    for fact in facts:
        COUNTS["facts"] += 1
        assert fact.article == "fuzz-article"
        assert fact.evidence_start is not None and fact.evidence_end is not None, fact
        assert text[fact.evidence_start : fact.evidence_end] == fact.evidence, fact
        again = parse_record(json.loads(fact.to_json()))
        assert again == fact, f"the fact does not survive the interchange format: {fact}"
    return facts


@settings(PROFILE)
@given(text=TEXTS, published=PUBLISHED)
def test_extract_never_fails_and_evidence_is_exact(text: str, published: str | None) -> None:
    check_extraction(text, published)


@settings(PROFILE)
@given(text=st.one_of(diplomatic_text(), damaged_sample()), published=PUBLISHED)
def test_extracted_facts_conform_to_the_shapes(text: str, published: str | None) -> None:
    facts = check_extraction(text, published)
    if not facts:
        return
    graph = article_to_graph(
        Article(id="fuzz-article", published=published), "fuzz-article", facts, RUN
    )
    COUNTS["shacl_graphs"] += 1
    report = validate(graph)
    assert report.conforms, report
