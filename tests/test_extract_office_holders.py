"""Office-holders the gazetteer knows (``persons.tsv``): the state a titled name acts for
when the article does not say it, and who a bare family name after a title is. Sentences
written for these tests; the office-holders are real, their meetings invented."""

from __future__ import annotations

import pytest

from diplograph.ingest.extract import extract, pipeline
from diplograph.ingest.extract.lexicon import default_lexicon
from diplograph.ingest.facts import Entity, Fact
from diplograph.ingest.gazetteer import link_entity

PUB = "2010-06-20"


def facts(text: str, published: str | None = PUB) -> list[Fact]:
    return extract(text, article_id="test-article", published=published)


def pairs(
    text: str, kind: str = "meeting", published: str | None = PUB
) -> set[tuple[str | None, str | None]]:
    return {
        (f.actor and f.actor.name, f.target and f.target.name)
        for f in facts(text, published)
        if f.type == kind and not f.negated
    }


def people(
    text: str, monkeypatch: pytest.MonkeyPatch, published: str | None = PUB
) -> dict[str, set[Entity]]:
    """The persons the mentions name, by mention text."""
    found: dict[str, set[Entity]] = {}
    original = pipeline.find_mentions

    def spy(sentence, context):
        mentions = original(sentence, context)
        for m in mentions:
            if m.person is not None:
                found.setdefault(sentence[m.start : m.end], set()).add(m.person)
        return mentions

    with monkeypatch.context() as patch:
        patch.setattr(pipeline, "find_mentions", spy)
        facts(text, published)
    return found


def test_a_full_name_gives_the_state_the_article_leaves_out() -> None:
    text = "Foreign Minister Yair Lapid met his Moroccan counterpart Nasser Bourita on Tuesday."
    assert pairs(text) == {("Israel", "Morocco")}


def test_an_accent_free_spelling_is_the_same_person() -> None:
    found = facts("President Recep Tayyip Erdogan met Chancellor Angela Merkel on Friday.")
    meeting = next(f for f in found if f.type == "meeting")
    assert {meeting.actor.name, meeting.target.name} == {"Turkey", "Germany"}
    names = {p.name for p in meeting.participants}
    assert {"Recep Tayyip Erdoğan", "Angela Merkel"} <= names


def test_a_title_and_family_name_mean_the_office_holder_of_a_state_the_article_names() -> None:
    text = (
        "Canada will host the summit in Toronto next week. "
        "Prime Minister Harper met President Sarkozy of France in Ottawa on Friday."
    )
    found = facts(text)
    meeting = next(f for f in found if f.type == "meeting")
    assert (meeting.actor.name, meeting.target.name) == ("Canada", "France")
    assert "Stephen Harper" in {p.name for p in meeting.participants}


def test_a_rare_family_name_whose_state_the_article_never_names_needs_the_office_that_year(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Canada is never named: "Prime Minister Harper" is Stephen Harper only in a year he
    held that office (2006-2015), and only because nobody else in the gazetteer is Harper."""
    text = "Prime Minister Harper met President Sarkozy on Friday."
    assert pairs(text, published="2010-06-20") == {("Canada", "France")}
    assert pairs(text, published="2020-06-20") == set()
    found = people(text, monkeypatch, published="2020-06-20")
    assert found["Prime Minister Harper"] == {Entity("Harper", "person")}


def test_a_family_name_several_officials_of_one_state_share_needs_the_office_that_year(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Both Bushes acted for the United States: "President Bush" is the one who was
    president in the year of publication, and nobody in a year neither was or when the
    text is undated (both were presidents)."""
    text = "President Bush met President Putin on Monday."
    assert pairs(text, published="2005-06-20") == {("United States", "Russia")}
    assert people(text, monkeypatch, published="2005-06-20")["President Bush"] == {
        Entity("George W. Bush", "person")
    }
    assert people(text, monkeypatch, published="1991-06-20")["President Bush"] == {
        Entity("George H. W. Bush", "person")
    }
    for published in ("2015-06-20", None):
        found = people(text, monkeypatch, published=published)
        assert found["President Bush"] == {Entity("Bush", "person")}


def test_in_an_undated_text_the_office_ever_held_decides(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No publication date (a White House readout): "Prime Minister Harper" is still the one
    Harper who held that office, but "President Harper" nobody, and two presidents Lee stay
    "Lee"."""
    text = "President Obama and Prime Minister Harper met after the dinner session on Friday."
    assert pairs(text, published=None) == {("United States", "Canada")}
    found = people(text, monkeypatch, published=None)
    assert found["Prime Minister Harper"] == {Entity("Stephen Harper", "person")}
    other = people("President Harper met the press.", monkeypatch, published=None)
    assert other["President Harper"] == {Entity("Harper", "person")}
    korea = "South Korea and Japan held talks. President Lee met the press on Monday."
    assert people(korea, monkeypatch, published=None)["President Lee"] == {Entity("Lee", "person")}


@pytest.mark.parametrize("title", ["Mr", "Governor", "Mayor"])
def test_an_honorific_or_another_office_is_not_the_office_holder(
    title: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = f"Canada will host the summit. {title} Harper, from Toronto, met the press."
    assert people(text, monkeypatch)[f"{title} Harper"] == {Entity("Harper", "person")}


def test_a_shared_family_name_means_the_holder_of_the_office_that_year(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Lee Myung-bak (2008-2013) and Lee Jae-myung (2025-) were both presidents of South
    Korea: the year tells them apart; in a year neither was, "President Lee" acts for South
    Korea but stays "Lee"."""
    text = "South Korea and Japan held talks. President Lee met Prime Minister Kan on Monday."
    assert pairs(text) == {("South Korea", "Japan")}
    by_year = {
        year: people(text, monkeypatch, published=f"{year}-06-20")["President Lee"]
        for year in (2010, 2025, 2016)
    }
    assert by_year == {
        2010: {Entity("Lee Myung-bak", "person")},
        2025: {Entity("Lee Jae-myung", "person")},
        2016: {Entity("Lee", "person")},
    }
    assert pairs(text, published="2016-06-20") == {("South Korea", "Japan")}


@pytest.mark.parametrize(
    ("title", "year", "name"),
    [("Secretary", 2011, "Hillary Clinton"), ("President", 1998, "Bill Clinton")],
)
def test_the_office_tells_two_office_holders_of_one_family_apart(
    title: str, year: int, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = f"The United States and Mexico held talks. {title} Clinton met the press on Monday."
    found = people(text, monkeypatch, published=f"{year}-03-01")
    assert found[f"{title} Clinton"] == {Entity(name, "person")}


def test_a_family_name_of_office_holders_of_two_named_states_decides_nothing() -> None:
    """Lees led South Korea and Singapore: an article naming both leaves "President Lee"
    without a state rather than guess."""
    text = (
        "Singapore and South Korea signed a trade pact. President Lee met Prime Minister "
        "Kan of Japan on Monday."
    )
    assert pairs(text) == set()


def test_a_family_name_written_first_is_the_later_mention() -> None:
    text = (
        "South Korean President Lee Myung-bak arrived in Tokyo on Sunday. "
        "Lee met Prime Minister Naoto Kan on Monday."
    )
    meetings = [f for f in facts(text) if f.type == "meeting"]
    assert meetings and {(f.actor.name, f.target.name) for f in meetings} == {
        ("South Korea", "Japan")
    }
    assert "Lee Myung-bak" in {p.name for f in meetings for p in f.participants}


def test_a_family_name_is_no_mention_in_running_text() -> None:
    found = default_lexicon().find("Harper said the Harper government would decide.")
    assert found == ()
    assert link_entity("Harper", "person", "") is None


def test_participants_carry_the_party_they_act_for() -> None:
    text = "Foreign Minister Yair Lapid met his Moroccan counterpart Nasser Bourita on Tuesday."
    meeting = next(f for f in facts(text) if f.type == "meeting")
    acting = {p.name: p.acting_for and p.acting_for.name for p in meeting.participants}
    assert acting == {"Yair Lapid": "Israel", "Nasser Bourita": "Morocco"}


def test_a_person_of_no_known_state_acts_for_nobody() -> None:
    text = "Israel and Morocco signed a pact on Tuesday, adviser Tomas Reyes said."
    found = facts(text)
    assert all(p.acting_for is None for f in found for p in f.participants)


def test_a_family_name_common_among_other_states_officials_is_never_read_alone() -> None:
    """Chen is Chen Shui-bian of Taiwan in the table, but many Chinese officials are called
    Chen: persons.tsv marks it "-", so "Minister Chen" gets no state from it."""
    text = "China and Taiwan traded accusations. Minister Chen met Prime Minister Kan of Japan."
    assert pairs(text) == set()
