"""Who a person mention is: one identity per person within an article, and the Wikidata
link of the verified persons in extraction as in ``link_entity``. Sentences written for
these tests (not taken from the development set); the names other than the gazetteer's
verified persons are invented."""

from __future__ import annotations

import pytest

from diplograph.ingest.extract import extract, pipeline
from diplograph.ingest.extract.lexicon import default_lexicon
from diplograph.ingest.extract.persons import titled_names
from diplograph.ingest.facts import Entity, Fact

PUB = "2019-05-15"


def facts(text: str) -> list[Fact]:
    return extract(text, article_id="test-article", published=PUB)


def participants(text: str) -> list[tuple[str, str, str | None]]:
    """(fact type, person name, QID) for every participant of every fact."""
    return [(f.type, p.name, p.wikidata) for f in facts(text) for p in f.participants]


def people(text: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, set[Entity]]:
    """The persons the extractor's mentions name, by mention text (last pass over the
    article), whether or not a fact uses them."""
    found: dict[tuple[str, int], tuple[str, Entity]] = {}
    original = pipeline.find_mentions

    def spy(sentence, context):
        mentions = original(sentence, context)
        for m in mentions:
            if m.person is not None:
                found[(sentence, m.start)] = (sentence[m.start : m.end], m.person)
        return mentions

    monkeypatch.setattr(pipeline, "find_mentions", spy)
    facts(text)
    by_text: dict[str, set[Entity]] = {}
    for surface, person in found.values():
        by_text.setdefault(surface, set()).add(person)
    return by_text


# --- the verified persons are linked in extraction as by link_entity ----------------------


def test_a_titled_surname_of_a_verified_person_carries_the_qid() -> None:
    found = participants("Today, President Macron signed a defence agreement with India.")
    assert found and all(qid == "Q3052772" for _, _, qid in found), found


def test_a_titled_full_name_of_a_verified_person_carries_the_qid() -> None:
    text = (
        "North Korean leader Kim Jong-un met South Korean President Lee Han-sol at the border "
        "village on Friday."
    )
    assert ("meeting", "Kim Jong Un", "Q56226") in participants(text)


def test_a_possessive_before_a_verified_surname_is_no_other_person() -> None:
    text = "Russia's Putin met Chinese President Xi Jinping in Beijing on Monday."
    assert ("meeting", "Vladimir Putin", "Q7747") in participants(text)


def test_a_titled_name_ends_at_a_possessive() -> None:
    (found,) = titled_names("Remarks on President Putin’s Decree on Grain Exports")
    assert found[2] == "Putin"
    (found,) = titled_names("They praised Prime Minister Ana Maria Ruiz's government.")
    assert found[2] == "Ana Maria Ruiz"


def test_someone_else_by_a_verified_surname_gets_no_qid() -> None:
    text = (
        "Businesswoman Ivanka Trump visited Seoul on Monday. Later, Trump met South Korean "
        "President Lee Han-sol in Seoul."
    )
    assert not [p for p in participants(text) if p[2] == "Q22686"]


@pytest.mark.parametrize("other", ["Ivanka Trump", "Fred J. Trump"])
def test_the_surname_right_after_another_given_name_is_not_the_verified_person(
    other: str,
) -> None:
    # the sentence names Donald Trump, so a bare "Trump" would be him, but not this one
    sentence = f"{other} and his relative Donald Trump flew to Seoul. U.S. President Trump"
    found = [(sentence[s:e], lex.entity) for s, e, lex in default_lexicon().find(sentence)]
    people = [(surface, entity.wikidata) for surface, entity in found if entity.kind == "person"]
    assert people == [("Trump", None), ("Donald Trump", "Q22686"), ("Trump", "Q22686")]


def test_a_son_named_after_a_verified_person_is_not_linked() -> None:
    text = (
        "Donald Trump Jr. visited India on Monday. Trump met Indian Prime Minister Ravi Shankar "
        "Rao in New Delhi."
    )
    found = participants(text)
    assert ("meeting", "Donald Trump Jr.", None) in found
    assert not [p for p in found if p[2] == "Q22686"]


def test_a_surname_means_the_verified_full_name_introduced() -> None:
    text = (
        "President Donald J. Trump met South Korean President Lee Han-sol in Seoul on Monday. "
        "On Tuesday, Trump signed a trade agreement with South Korea."
    )
    signing = [f for f in facts(text) if f.type == "agreement_signing"]
    assert signing and [(p.name, p.wikidata) for p in signing[0].participants] == [
        ("Donald Trump", "Q22686")
    ]


def test_a_surname_shared_with_someone_shown_gets_no_qid_from_the_full_name() -> None:
    text = (
        "President Donald J. Trump met South Korean President Lee Han-sol in Seoul on Monday. "
        "His daughter Ivanka Trump also attended. On Tuesday, President Trump signed a trade "
        "agreement with South Korea."
    )
    found = participants(text)
    assert ("meeting", "Donald Trump", "Q22686") in found  # the full name is certain
    assert ("agreement_signing", "Trump", None) in found


# --- one identity per person within an article ---------------------------------------------


def test_a_surname_with_a_title_means_the_full_name_introduced() -> None:
    text = (
        "Chilean Foreign Minister Alicia Maria Fernandez met Argentine Foreign Minister Tomas "
        "Ruiz in Buenos Aires on Monday. On Tuesday, Minister Fernandez and Minister Ruiz "
        "signed a trade agreement."
    )
    signing = [f for f in facts(text) if f.type == "agreement_signing"]
    assert signing
    assert [p.name for p in signing[0].participants] == ["Alicia Maria Fernandez", "Tomas Ruiz"]


def test_a_headline_surname_means_the_full_name_of_the_body() -> None:
    text = (
        "Secretary Fernandez to Visit Peru\n\n"
        "Chilean Foreign Minister Alicia Maria Fernandez will travel to Lima on Monday. "
        "Secretary Fernandez will meet Peruvian Foreign Minister Ana Cecilia Gervasi."
    )
    names = {name for _, name, _ in participants(text)}
    assert "Alicia Maria Fernandez" in names
    assert "Fernandez" not in names


def test_a_run_of_the_full_names_words_means_the_full_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = (
        "Somali President Abdi Nur Farah met Kenyan President Grace Wanjiru in Nairobi on "
        "Monday. On Tuesday, President Nur Farah signed a security agreement with Kenya. "
        "President Abdi Nur's government thanked Kenya."
    )
    found = people(text, monkeypatch)
    full = Entity("Abdi Nur Farah", "person")
    assert found["President Nur Farah"] == {full}
    assert found["President Abdi Nur"] == {full}
    names = {name for _, name, _ in participants(text)}
    assert "Nur Farah" not in names and "Abdi Nur Farah" in names


def test_a_surname_means_the_full_name_with_middle_initial_and_suffix(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = (
        "Defense Secretary Robert K. Lindgren III hosted Polish Defense Minister Jan Wolski at "
        "the Pentagon on Monday. Secretary Lindgren and Minister Wolski discussed joint "
        "exercises. Secretary Robert Lindgren thanked Poland."
    )
    found = people(text, monkeypatch)
    full = Entity("Robert K. Lindgren III", "person")
    assert found["Secretary Lindgren"] == {full}
    assert found["Secretary Robert Lindgren"] == {full}
    assert found["Minister Wolski"] == {Entity("Jan Wolski", "person")}


def test_two_persons_with_one_surname_leave_the_surname_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = (
        "U.S. President Paul Lindqvist met Mexican President Ana Berg in Monterrey on Monday. "
        "Governor Maria Lindqvist also attended. On Tuesday, President Lindqvist signed a "
        "trade agreement with Mexico."
    )
    found = people(text, monkeypatch)
    assert found["President Lindqvist"] == {Entity("Lindqvist", "person")}
    signing = [f for f in facts(text) if f.type == "agreement_signing"]
    assert signing and [p.name for p in signing[0].participants] == ["Lindqvist"]
    # with one Lindqvist in the article, the surname is Paul Lindqvist
    alone = text.replace("Governor Maria Lindqvist also attended. ", "")
    assert people(alone, monkeypatch)["President Lindqvist"] == {Entity("Paul Lindqvist", "person")}


def test_a_given_name_alone_is_not_the_person_of_that_given_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = (
        "Belgian Foreign Minister Henri Laurent met Dutch Prime Minister Mark Visser in The "
        "Hague on Monday. On Tuesday, Prince Henri opened the new embassy."
    )
    found = people(text, monkeypatch)
    assert found["Prince Henri"] == {Entity("Henri", "person")}


def test_a_hyphenated_given_name_is_not_a_surname(monkeypatch: pytest.MonkeyPatch) -> None:
    text = (
        "Secretary-General Park Jae-lim met South Korean President Moon Ha-neul in Seoul on "
        "Monday. Later, Ambassador Lim met Japanese officials."
    )
    found = people(text, monkeypatch)
    assert found["Ambassador Lim"] == {Entity("Lim", "person")}


def test_a_generational_suffix_keeps_father_and_son_apart(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = (
        "Former President Tomas Reyes met Filipino President Tomas Reyes Jr. in Manila on "
        "Monday. President Reyes said the talks went well."
    )
    found = people(text, monkeypatch)
    assert found["President Reyes"] == {Entity("Reyes", "person")}


def test_the_spokesperson_who_reports_an_event_is_no_participant() -> None:
    text = (
        "Defense Secretary James N. Mattis and Vietnamese Defense Minister Ngo Xuan Lich met"
        " today in Hanoi to discuss regional security issues, Pentagon chief spokesperson"
        " Dana W. White said in a statement."
    )
    found = facts(text)
    assert "meeting" in {f.type for f in found}
    named = {p.name for f in found for p in f.participants}
    assert "Dana W. White" not in named
    meeting = next(f for f in found if f.type == "meeting")
    # the gazetteer's office-holders go by their canonical names (persons.tsv)
    assert {"Jim Mattis", "Ngo Xuan Lich"} <= {p.name for p in meeting.participants}
