"""Status of future events: what a text announces for later is "planned", never "occurred",
and a planned fact entails no state-level relation. Sentences written for these tests (not
taken from the development set)."""

from __future__ import annotations

import pytest

from diplograph.ingest.extract import extract
from diplograph.ingest.facts import Fact
from diplograph.ontology.terms import is_affirmed

PUB = "2019-05-15"  # a Wednesday


def facts(text: str, published: str | None = PUB) -> list[Fact]:
    return extract(text, article_id="test-article", published=published)


def of_type(text: str, fact_type: str, published: str | None = PUB) -> list[Fact]:
    return [f for f in facts(text, published) if f.type == fact_type]


@pytest.mark.parametrize(
    "text",
    [
        "Kenya will hold talks with Somalia.",
        "Japanese Prime Minister Shinzo Abe is to meet Indian Prime Minister Narendra Modi.",
        "Kenya and Somalia are due to hold talks in Nairobi.",
        "Brazil plans to hold talks with Argentina.",
        "The leaders of Kenya and Somalia will meet in Nairobi.",
        "Kenya's president plans to host Somalia's president in Nairobi.",
        "Kenya and Somalia agreed to meet in June.",
    ],
)
def test_modal_future_meetings_are_planned(text: str) -> None:
    meetings = of_type(text, "meeting")
    assert meetings, text
    assert {f.status for f in meetings} == {"planned"}


def test_a_modal_governs_formats_named_far_from_it() -> None:
    # the last format noun lies more than 160 characters after "will"
    text = (
        "The foreign ministers of Canada will meet separately with business leaders, trade "
        "unions, farmers and civil society groups to discuss energy, fisheries and migration, "
        "as well as with their counterparts in the Canada-Mexico Partnership Forum and the "
        "Canada-Chile Council."
    )
    meetings = {f.target.name: f.status for f in of_type(text, "meeting")}
    assert meetings == {"Mexico": "planned", "Chile": "planned"}
    past = text.replace("will meet", "met").replace("as well as with", "as well as")
    assert {f.status for f in of_type(past, "meeting")} == {"occurred"}


def test_a_headline_infinitive_is_planned() -> None:
    (visit,) = of_type("Kenyan President William Ruto to Visit Mogadishu", "official_visit")
    assert (visit.actor.name, visit.target.name, visit.status) == ("Kenya", "Somalia", "planned")


def test_present_tense_meeting_in_a_coming_month_is_planned() -> None:
    (meeting,) = of_type("Kenya and Somalia have a meeting in June.", "meeting")
    assert (meeting.status, meeting.date) == ("planned", "2019-06")
    # the month of publication is still ahead of a present-tense "have a meeting"
    (meeting,) = of_type("Kenya and Somalia have a meeting in May.", "meeting")
    assert meeting.status == "planned"
    # a month already past is not read as next year's
    (meeting,) = of_type("Kenya and Somalia have a meeting in March.", "meeting")
    assert meeting.status == "occurred"
    # a past tense stays past whatever the month
    (meeting,) = of_type("Kenya and Somalia had a meeting in June.", "meeting")
    assert meeting.status == "occurred"


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Kenya and Somalia have a scheduled meeting in June.", "2019-06"),
        ("The Kenya-Somalia summit is in June.", "2019-06"),
        ("Kenya and Somalia hold talks on Friday.", "2019-05-17"),
    ],
)
def test_other_present_tense_forms_of_a_coming_meeting(text: str, date: str) -> None:
    (meeting,) = of_type(text, "meeting")
    assert (meeting.status, meeting.date) == ("planned", date)


@pytest.mark.parametrize(
    "text",
    [
        "Kenya and Somalia had a scheduled meeting in June.",
        "The Kenya-Somalia summit was held in June.",
        "Kenya and Somalia held talks on Friday.",
        "Kenya and Somalia have met in June.",
    ],
)
def test_their_past_tense_counterparts_occurred(text: str) -> None:
    (meeting,) = of_type(text, "meeting")
    assert meeting.status == "occurred"


def test_present_tense_with_a_later_day_is_planned_an_earlier_one_occurred() -> None:
    text = "Kenyan President William Ruto meets Somali President Hassan Sheikh Mohamud on May {}."
    (later,) = of_type(text.format(20), "meeting")
    assert (later.status, later.date) == ("planned", "2019-05-20")
    (earlier,) = of_type(text.format(13), "meeting")
    assert (earlier.status, earlier.date) == ("occurred", "2019-05-13")


def test_without_a_publication_date_nothing_is_ahead() -> None:
    (meeting,) = of_type("Kenya and Somalia have a meeting in June.", "meeting", published=None)
    assert meeting.status == "occurred"


def test_a_planned_meeting_is_kept_apart_from_one_that_occurred() -> None:
    text = (
        "Kenya and Somalia held talks in Nairobi. Kenya and Somalia have another meeting in June."
    )
    meetings = sorted((f.status, f.date) for f in of_type(text, "meeting"))
    assert meetings == [("occurred", "2019-05"), ("planned", "2019-06")]


def test_planned_facts_and_what_they_imply_affirm_no_relation() -> None:
    found = facts("The leaders of Kenya and Somalia will meet in Nairobi.")
    assert {(f.type, f.status) for f in found} == {
        ("meeting", "planned"),
        ("official_visit", "planned"),  # derived: the meeting is held in Kenya
    }
    assert not any(
        is_affirmed(negated=f.negated, attributed_to=f.attributed_to, status=f.status)
        for f in found
    )
