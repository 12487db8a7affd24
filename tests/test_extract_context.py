"""Article-level context: who "we", "he" and "the Secretary" are, header datelines,
protest scenes, and repeated reports merged into one fact."""

from __future__ import annotations

from diplograph.ingest.extract import extract


def summary(text: str, published: str | None = "2019-05-15") -> list[tuple]:
    return [
        (f.type, f.actor.name if f.actor else None, f.target.name if f.target else None, f.date)
        for f in extract(text, article_id="ctx", published=published)
    ]


def test_we_is_the_state_whose_organ_publishes_the_text() -> None:
    text = "Press statement of the U.S. Department of State\nWe recognize the government of Chad."
    assert ("recognition", "United States", "Chad", "2019-05-15") in summary(text)


def test_we_is_the_speaker_named_after_the_quote() -> None:
    text = '"We will not impose sanctions on Chile," Argentina said.'
    facts = extract(text, article_id="ctx", published="2019-05-15")
    assert [(f.type, f.actor.name, f.target.name, f.negated) for f in facts] == [
        ("sanctions", "Argentina", "Chile", True)
    ]


def test_he_is_the_last_official_named() -> None:
    text = (
        "Peruvian Foreign Minister Ana Rojas arrived in Quito on Monday.\n"
        "On Tuesday he will meet Ecuadorian President Luis Vera."
    )
    assert ("meeting", "Peru", "Ecuador", "2019-05-21") in summary(text)


def test_the_secretary_is_the_secretary_named_before() -> None:
    text = (
        "Secretary of State Jane Doe will travel to Lima on June 2.\n"
        "The Secretary will then continue to Santiago, Chile."
    )
    found = summary(text)
    assert ("official_visit", "United States", "Peru", "2019-06-02") in found
    assert any(f[:3] == ("official_visit", "United States", "Chile") for f in found)


def test_a_title_other_states_share_names_its_usual_state_only_where_the_article_does() -> None:
    """India and Pakistan have a Foreign Secretary too: in an article that never names
    Britain, "Foreign Secretary" is nobody's; "Secretary of State" is always American."""
    indian = "Foreign Secretary Ravi Kumar met Chinese Vice Foreign Minister Li Wen in Beijing."
    assert not [f for f in summary(indian) if "United Kingdom" in f]
    british = "Britain wants closer ties. " + indian
    assert ("meeting", "United Kingdom", "China") in [f[:3] for f in summary(british)]
    american = "Secretary of State Jane Doe met Saudi Foreign Minister Faisal Omar in Riyadh."
    assert ("meeting", "United States", "Saudi Arabia") in [f[:3] for f in summary(american)]


def test_header_dateline_replaces_a_missing_publication_date() -> None:
    text = "Press Statement\nMarch 3, 2012\nBolivia cut diplomatic ties with Israel on Tuesday."
    assert ("relations_severed", "Bolivia", "Israel", "2012-02-28") in summary(text, None)


def test_headline_and_body_reports_of_one_event_are_one_fact() -> None:
    text = (
        "Bolivia Cuts Ties With Israel\n"
        "Bolivia cut diplomatic ties with Israel on Tuesday, the foreign ministry said."
    )
    assert summary(text) == [("relations_severed", "Bolivia", "Israel", "2019-05-14")]


def test_protest_scene_carries_place_and_date_across_sentences() -> None:
    text = (
        "Demonstrators in Lebanon held anti-U.S. protests on Sunday.\n"
        "Hundreds of protesters gathered outside the U.S. embassy in Beirut.\n"
        "Later, the protesters stormed the Canadian embassy."
    )
    found = summary(text)
    assert ("protest", "protesters in Beirut", "United States", "2019-05-12") in found
    assert ("protest", "protesters in Beirut", "Canada", "2019-05-12") in found
    assert not any(f[1] == "demonstrators" for f in found)  # the unlocated summary


def test_condemnation_voiced_by_the_publishing_government() -> None:
    text = (
        "Press release of the U.S. Department of State\n"
        "Syria's reckless conduct will not be tolerated.\n"
        "The regime in Caracas continues to undermine democracy."
    )
    assert ("accusation", "United States", "Syria") in [f[:3] for f in summary(text)]


def test_plain_reporting_of_a_violation_is_not_an_accusation() -> None:
    assert summary("Iran violated the nuclear deal in 2019, inspectors found.") == []


def test_transcript_turns_and_page_head_official() -> None:
    text = (
        "Remarks With Peruvian Foreign Minister Ana Rojas Before Their Meeting\n"
        "Jane Doe\nSecretary of State\nWashington, DC\nMarch 3, 2014\n"
        "SECRETARY DOE: I am delighted to welcome Foreign Minister Rojas here.\n"
        "FOREIGN MINISTER ROJAS: We thank you. We will sign a trade agreement with Chile."
    )
    found = summary(text, None)
    assert ("official_visit", "Peru", "United States", "2014-03-03") in found
    assert any(f[:3] == ("agreement_signing", "Peru", "Chile") for f in found)


def test_an_unnamed_officials_turn_speaks_for_the_state_its_label_names() -> None:
    """A background briefing: "we" of "SENIOR STATE DEPARTMENT OFFICIAL ONE" is the United
    States; an unknown label ("MODERATOR") speaks for nobody."""
    text = (
        "Special Briefing\n"
        "SENIOR STATE DEPARTMENT OFFICIAL ONE: So we sent Chris Stevens to Benghazi.\n"
        "MODERATOR: We sent an envoy to Tripoli."
    )
    found = summary(text, "2011-07-15")
    assert [f[:3] for f in found] == [("official_visit", "United States", "Libya")]


def test_a_state_sending_its_envoy_visits_but_troops_or_aid_do_not() -> None:
    assert [f[:3] for f in summary("France sent its foreign minister to Beirut on Monday.")] == [
        ("official_visit", "France", "Lebanon")
    ]
    assert summary("Russia sent troops to Syria on Monday.") == []
    assert [f[:3] for f in summary("The United States sent aid to Ukraine.")] == [
        ("support", "United States", "Ukraine")
    ]


def test_an_epithet_names_the_people_the_sentence_addressed() -> None:
    """No earlier subject: "the island nation" is the country of the Cubans addressed."""
    text = (
        "Secretary of State John Kerry spoke to Cubans in a speech, marking the first time a "
        "U.S. secretary of state has visited the island nation since 1945."
    )
    assert [f[:3] for f in summary(text, "2015-08-14")] == [
        ("official_visit", "United States", "Cuba")
    ]


def test_contractions_are_not_possessives() -> None:
    text = "Press release of the U.S. Department of State\nWe’re imposing sanctions on Syria."
    assert any(f[:3] == ("sanctions", "United States", "Syria") for f in summary(text))


def test_a_wire_story_quoting_an_organ_is_not_its_voice() -> None:
    text = (
        "WASHINGTON (Reuters) - The State Department said on Monday it was watching the talks.\n"
        "Prime Minister Jean Dupont met Chilean President Ana Soto in Lima."
    )
    # Dupont's state is not stated; the story is not a State Department text
    assert not any(f[1] == "United States" for f in summary(text))


def test_the_embassy_or_the_ministry_is_the_one_of_the_state_named_with_it_last() -> None:
    text = (
        "Protesters gathered outside the U.S. embassy and the Turkish consulate on Friday. "
        "The embassy denied reports that protesters got into the compound. "
        "Germany's foreign ministry summoned Russia's ambassador. "
        "The ministry accused Russia of spreading lies."
    )
    found = summary(text)
    # press reports are nobody's claim: the denial has no target
    assert ("denial", "United States", None, "2019-05") in found
    assert ("accusation", "Germany", "Russia", "2019-05") in found
    # an organ no state was named with before stays nobody's
    alone = summary("The ministry accused Russia of spreading lies.")
    assert not [f for f in alone if f[0] == "accusation"]


def test_he_opening_a_sentence_goes_on_about_the_last_subject() -> None:
    """ "He will meet with NATO's Secretary General ... He will then travel to Vilnius":
    the traveller is still the Secretary, not the last official named; a second "he" in
    the sentence is the first one."""
    text = (
        "Secretary Blinken will travel to Brussels on March 5. "
        "He will meet with NATO Secretary General Jens Stoltenberg. "
        "He will then travel to Vilnius, where he will meet with Lithuania's foreign minister."
    )
    found = summary("Press Statement\nU.S. Department of State\n" + text, "2024-03-04")
    assert ("official_visit", "United States", "Lithuania", None) in found
    assert ("meeting", "United States", "Lithuania", None) in found
    assert not [f for f in found if f[1] == "NATO"]


def test_a_restrictive_relative_clause_names_its_own_doer() -> None:
    text = (
        'Press Release\nU.S. Department of the Treasury\n"We will continue to hold accountable'
        " those who support Iran's weapons programmes,\" the Secretary said."
    )
    # neither the Secretary's support nor a trip: "those" support Iran, and "continue to
    # hold" is no journey
    assert not [f for f in summary(text) if f[0] in ("support", "official_visit")]
    # the relative clause hangs on a party: that party did it; on anything else: nobody did
    found = summary("Serbia criticised Montenegro that recognised Kosovo.")
    assert ("recognition", "Montenegro", "Kosovo", "2019-05") in found
    found = summary("Serbia criticised the countries that recognise Kosovo.")
    assert not [f for f in found if f[0] == "recognition"]


def test_a_joint_statement_of_two_leaders() -> None:
    """A joint statement headed "Tokyo, 30 August 2025": the header dates the page, a span of
    days dates the visit by its first day, "the two Prime Ministers" are the pair, their
    welcoming a signing is their own signing, and an invitation to visit is a plan."""
    text = (
        "Joint Statement on the Visit of Prime Minister of India to Japan\n\n"
        "Tokyo, 30 August 2025\n\n"
        "Prime Minister Narendra Modi paid an official visit to Japan from 29 to 30 August 2025"
        " at the invitation of Prime Minister Shigeru Ishiba. The two Prime Ministers held"
        " summit talks in Tokyo. The two leaders welcomed the signing of a memorandum of"
        " cooperation and agreed to launch a new defence industrial dialogue. Prime Minister"
        " Ishiba accepted the invitation to visit India next year."
    )
    found = summary(text, published=None)
    assert found == [
        ("official_visit", "India", "Japan", "2025-08-29"),
        ("meeting", "India", "Japan", "2025-08"),
        ("agreement_signing", "India", "Japan", "2025-08"),
        ("military_cooperation", "India", "Japan", "2025-08"),
        ("official_visit", "Japan", "India", "2026"),
    ]
    statuses = [f.status for f in extract(text, article_id="ctx")]
    assert statuses == ["occurred", "occurred", "occurred", "agreed", "planned"]


def test_an_office_named_without_a_name_is_its_states() -> None:
    """ "The Secretary of State" is always the United States'; "The Foreign Secretary",
    a title India and Pakistan share, is Britain's only in an article that names Britain."""
    us = summary("The Secretary of State met Chile's foreign minister in Santiago on Monday.")
    assert ("meeting", "United States", "Chile", "2019-05-13") in us
    uk = "The Foreign Secretary met Chile's foreign minister on Monday. The UK welcomed the talks."
    assert ("meeting", "United Kingdom", "Chile", "2019-05-13") in summary(uk)
    alone = "The Foreign Secretary met Chile's foreign minister on Monday."
    assert not [f for f in summary(alone) if f[0] == "meeting"]
