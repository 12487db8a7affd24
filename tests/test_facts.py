"""The JSON Lines fact format: strict parsing with messages that name line and field."""

from __future__ import annotations

import io
import json

import pytest

from diplograph.ingest.facts import (
    Article,
    Entity,
    Fact,
    FactFormatError,
    read_records,
    write_records,
)

GOOD = {
    "article": "a-1",
    "type": "meeting",
    "actor": {"name": "France", "kind": "country", "wikidata": "Q142"},
    "target": {"name": "Germany", "kind": "country", "wikidata": "Q183"},
    "participants": [{"name": "Olaf Scholz", "kind": "person", "wikidata": None}],
    "place": {"name": "Berlin", "kind": "city", "wikidata": None},
    "date": "2024-03-05",
    "negated": False,
    "attributed_to": None,
    "status": "occurred",
    "evidence": "Macron met Scholz in Berlin on Tuesday.",
}


def with_(**changes) -> dict:
    data = json.loads(json.dumps(GOOD))
    data.update(changes)
    return data


def test_round_trip_keeps_exactly_the_given_fields() -> None:
    assert Fact.from_dict(GOOD).to_dict() == GOOD
    extended = with_(evidence_start=10, evidence_end=49, confidence=0.8)
    assert Fact.from_dict(extended).to_dict() == extended
    acting = with_(participants=[{**GOOD["participants"][0], "acting_for": GOOD["target"]}])
    fact = Fact.from_dict(acting)
    assert fact.to_dict() == acting
    assert fact.participants[0].acting_for == Entity("Germany", "country", "Q183")
    located = with_(place={**GOOD["place"], "located_in": GOOD["target"]})
    fact = Fact.from_dict(located)
    assert fact.to_dict() == located
    assert fact.place.located_in == Entity("Germany", "country", "Q183")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"type": "summit"}, "fact.type must be one of"),
        ({"date": "2021-02-30"}, "real date"),
        ({"date": "2021-13"}, "real date"),
        ({"date": "21-03-05"}, "real date"),
        ({"status": "rumoured"}, "fact.status must be one of"),
        ({"negated": "no"}, "fact.negated must be true or false"),
        ({"evidence": ""}, "fact.evidence must be a non-empty string"),
        ({"evidence": "a\x00b"}, "control character"),
        ({"actor": {"name": "X", "kind": "state", "wikidata": None}}, "actor.kind must be one of"),
        ({"actor": {"name": "X", "kind": "country", "wikidata": "1028"}}, "QID"),
        ({"actor": {"name": "X", "kind": "country", "wikidata": None, "iso": "XX"}}, "unknown"),
        ({"participants": {"name": "X"}}, "participants must be a list"),
        (
            {
                "actor": {
                    "name": "X",
                    "kind": "country",
                    "wikidata": None,
                    "acting_for": GOOD["target"],
                }
            },
            "actor.acting_for is for persons only",
        ),
        (
            {"participants": [{**GOOD["participants"][0], "acting_for": GOOD["place"]}]},
            "participants[0].acting_for must be a party",
        ),
        (
            {"participants": [{**GOOD["participants"][0], "acting_for": GOOD["participants"][0]}]},
            "participants[0].acting_for must be a party",
        ),
        (
            {"participants": [{**GOOD["participants"][0], "acting_for": {"name": "Y"}}]},
            "participants[0].acting_for.kind must be one of",
        ),
        (
            {"actor": {**GOOD["actor"], "located_in": GOOD["target"]}},
            "actor.located_in is for cities only",
        ),
        (
            {"place": {**GOOD["place"], "located_in": GOOD["place"]}},
            "place.located_in must be a state (country, territory)",
        ),
        (
            {"place": {**GOOD["place"], "located_in": {"name": "NATO", "kind": "organization"}}},
            "place.located_in must be a state (country, territory)",
        ),
        ({"article": "a b/../c"}, "article id"),
        ({"confidence": 1.5}, "confidence"),
        ({"evidence_start": 3}, "go together"),
        ({"colour": "red"}, "unknown field(s) 'colour'"),
    ],
)
def test_each_rule_rejects_with_a_message_naming_the_field(change: dict, message: str) -> None:
    with pytest.raises(FactFormatError) as caught:
        Fact.from_dict(with_(**change))
    assert message in str(caught.value)


def test_missing_required_field_is_named() -> None:
    data = with_()
    del data["evidence"]
    with pytest.raises(FactFormatError, match="missing required field 'evidence'"):
        Fact.from_dict(data)


def test_reader_names_source_and_line() -> None:
    lines = [json.dumps(GOOD), "", "{not json", json.dumps(GOOD)]
    with pytest.raises(FactFormatError) as caught:
        list(read_records(lines, source="facts.jsonl"))
    assert str(caught.value).startswith("facts.jsonl:3: not valid JSON")


def test_article_records_and_facts_are_told_apart() -> None:
    article = {"record": "article", "id": "a-1", "published": "2024-03-06", "title": "T"}
    records = list(read_records([json.dumps(article), json.dumps(GOOD)]))
    assert isinstance(records[0], Article) and isinstance(records[1], Fact)
    out = io.StringIO()
    assert write_records(records, out) == 2
    assert [json.loads(line) for line in out.getvalue().splitlines()] == [article, GOOD]


@pytest.mark.parametrize("published", ["2024-02-30", "2024-3-6", "yesterday"])
def test_article_publication_date_must_be_a_real_day(published: str) -> None:
    with pytest.raises(FactFormatError, match="published"):
        Article.from_dict({"record": "article", "id": "a", "published": published})


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "file:///etc/passwd",
        "https://example.org/a b> <http://evil.example/",
        'https://example.org/"onmouseover="x',
        "example.org/no-scheme",
    ],
)
def test_article_url_must_be_a_plain_http_url(url: str) -> None:
    with pytest.raises(FactFormatError, match=r"article\.url"):
        Article.from_dict({"record": "article", "id": "a", "url": url})


def test_article_url_accepts_ordinary_urls() -> None:
    url = "https://www.example.org/news/2024/03/06/talks?id=12&lang=en#top"
    assert Article.from_dict({"record": "article", "id": "a", "url": url}).url == url
