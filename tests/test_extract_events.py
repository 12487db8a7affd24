"""One behaviour per test: each fact type and each hard case, on sentences written for
these tests (not taken from the development set)."""

from __future__ import annotations

import pytest

from diplograph.ingest.extract import extract
from diplograph.ingest.facts import Fact

PUB = "2019-05-15"  # a Wednesday


def facts(text: str, published: str | None = PUB) -> list[Fact]:
    return extract(text, article_id="test-article", published=published)


def summary(text: str, published: str | None = PUB) -> set[tuple]:
    return {
        (f.type, f.actor.name if f.actor else None, f.target.name if f.target else None)
        for f in facts(text, published)
    }


def only(text: str, fact_type: str, published: str | None = PUB) -> Fact:
    found = [f for f in facts(text, published) if f.type == fact_type]
    assert len(found) == 1, found
    return found[0]


# ------------------------------------------------------------------ the 12 types


def test_official_visit_with_travel_verb_and_capital() -> None:
    fact = only(
        "Japanese Prime Minister Shinzo Abe arrived in Tehran on Monday for talks.",
        "official_visit",
    )
    assert (fact.actor.name, fact.target.name) == ("Japan", "Iran")
    assert fact.place is not None and fact.place.name == "Tehran"
    assert fact.date == "2019-05-13"
    assert [p.name for p in fact.participants] == ["Shinzo Abe"]


def test_meeting_with_counterpart_and_derived_visit() -> None:
    found = summary("Kenya's foreign minister met his Somali counterpart in Nairobi.")
    assert ("meeting", "Kenya", "Somalia") in found
    assert ("official_visit", "Somalia", "Kenya") in found


def test_talks_between_two_states() -> None:
    fact = only("Talks between India and Pakistan resumed on Monday.", "meeting")
    assert (fact.actor.name, fact.target.name, fact.date) == ("India", "Pakistan", "2019-05-13")


def test_a_meeting_between_two_states_keeps_their_order_when_the_subject_is_one_of_them() -> None:
    """ "we have a meeting between Russia and the United States" (said by the U.S.): the
    first party named after "between" is the actor."""
    text = (
        "Press Statement\nU.S. Department of State\n"
        "We will have a meeting between Russia and the United States in July."
    )
    fact = only(text, "meeting")
    assert (fact.actor.name, fact.target.name) == ("Russia", "United States")


def test_phone_calls_are_not_meetings() -> None:
    assert not any(
        f.type == "meeting"
        for f in facts("Chile's president held talks with Peru's president by telephone.")
    )


def test_joint_signing_first_mentioned_is_actor() -> None:
    fact = only(
        "Chile and Argentina signed a border treaty in Santiago on 3 May.", "agreement_signing"
    )
    assert (fact.actor.name, fact.target.name, fact.date) == ("Chile", "Argentina", "2019-05-03")


def test_relations_established() -> None:
    fact = only("Qatar and Egypt restored diplomatic relations in 2021.", "relations_established")
    assert (fact.actor.name, fact.target.name, fact.date) == ("Qatar", "Egypt", "2021")


def test_relations_severed_by_expelling_an_ambassador() -> None:
    fact = only("Australia expelled Iran's ambassador last month.", "relations_severed")
    assert (fact.actor.name, fact.target.name, fact.date) == ("Australia", "Iran", "2019-04")


def test_an_envoy_recalled_for_consultations_is_a_recall_not_talks() -> None:
    text = "Chile recalled its ambassador to Peru for consultations on Monday."
    assert summary(text) == {("relations_severed", "Chile", "Peru")}
    talks = (
        "Chile's foreign minister arrived in Lima for consultations with his Peruvian counterpart."
    )
    assert ("meeting", "Chile", "Peru") in summary(talks)


def test_an_earlier_event_set_apart_by_days_keeps_its_own_parties_date_and_place() -> None:
    """Wire copy: 'X did A on Thursday, days after Y did B' is two events: B has its own
    subject, its own place and no date of A's."""
    found = facts(
        "Ghana and Togo signed a security pact on Tuesday, days after Togolese President "
        "Faure Gnassingbe held talks with Ghanaian President Nana Akufo-Addo in Accra."
    )
    meeting = [f for f in found if f.type == "meeting"]
    assert [(f.actor.name, f.target.name) for f in meeting] == [("Togo", "Ghana")]
    assert meeting[0].date is None and meeting[0].place.name == "Accra"
    signing = [f for f in found if f.type == "agreement_signing"]
    assert [(f.actor.name, f.target.name, f.date) for f in signing] == [
        ("Ghana", "Togo", "2019-05-14")
    ]
    assert signing[0].place is None and signing[0].participants == ()
    # and the earlier event's date is not the later one's
    later = only(
        "Ghana and Togo signed a security pact, days after Togolese President Faure "
        "Gnassingbe met Ghanaian President Nana Akufo-Addo on 3 May.",
        "agreement_signing",
    )
    assert later.date == "2019-05"  # undated past news: the month of publication
    assert later.participants == ()


def test_meetings_of_other_officials_of_the_same_two_states_stay_apart() -> None:
    """Two meetings between the same states on no stated date are one event only when they
    could be: a report naming nobody, or someone named in the other, joins; a meeting
    whose officials on one side are all others is a second meeting, with its own place."""
    found = [
        f
        for f in facts(
            "Secretary of State Hillary Clinton met Russian Foreign Minister Sergey Lavrov in "
            "Geneva. Defense Secretary Robert Gates met Russian Defence Minister Anatoly "
            "Serdyukov in Moscow. Clinton and Lavrov discussed missile defence at the meeting.",
            published="2010-03-01",
        )
        if f.type == "meeting"
    ]
    by_people = {frozenset(p.name for p in f.participants): f for f in found}
    assert set(by_people) == {
        frozenset({"Hillary Clinton", "Sergey Lavrov"}),
        frozenset({"Robert Gates", "Anatoly Serdyukov"}),
    }
    assert by_people[frozenset({"Robert Gates", "Anatoly Serdyukov"})].place.name == "Moscow"
    one = facts(
        "Secretary of State Hillary Clinton met Russian Foreign Minister Sergey Lavrov. "
        "Clinton and President Dmitry Medvedev also met Lavrov on Monday.",
        published="2010-03-01",
    )
    assert len([f for f in one if f.type == "meeting"]) == 1


def test_a_denial_names_a_claimant_only_when_it_denies_a_claim() -> None:
    """The last country mentioned is not the accuser: 'denied arming the Houthis' names no
    claimant, 'rejected the claims' denies those of the country that made them."""
    text = (
        "Canada and the Netherlands provided support for the operation. "
        "Iran has denied arming the Houthis."
    )
    assert only(text, "denial").target is None
    claims = "Colombia said Ecuador had ties with the rebels. Ecuador rejected the claims."
    assert only(claims, "denial").target.name == "Colombia"


def test_a_requested_meeting_is_not_a_meeting() -> None:
    text = "Russia requested an emergency meeting of the UN Security Council on Monday."
    assert not [f for f in facts(text) if f.type == "meeting"]


def test_a_plan_announced_after_a_meeting_does_not_make_the_meeting_planned() -> None:
    fact = only(
        "Argentine President Javier Milei said on Tuesday he planned to move the embassy, "
        "after meeting Israeli Prime Minister Benjamin Netanyahu.",
        "meeting",
    )
    assert (fact.actor.name, fact.target.name, fact.status) == ("Argentina", "Israel", "occurred")


def test_a_passive_signing_by_two_ministers_adds_its_place_and_signatories() -> None:
    """Wire copy reports the signing, then how it was signed: one event, completed."""
    found = facts(
        "Chile and Peru signed a status of forces agreement on Monday. The pact was signed "
        "in Lima by Chilean Defence Minister Ana Soto and Peruvian Defence Minister Luis Vera."
    )
    signing = [f for f in found if f.type == "agreement_signing"]
    assert [(f.actor.name, f.target.name, f.date) for f in signing] == [
        ("Chile", "Peru", "2019-05-13")
    ]
    assert signing[0].place.name == "Lima"
    assert [p.name for p in signing[0].participants] == ["Ana Soto", "Luis Vera"]
    assert [f.type for f in found].count("military_cooperation") == 1  # forces agreement


def test_an_agreement_between_two_states_institutes_is_not_between_the_states() -> None:
    text = (
        "An MoU was signed on 2 May between Chile's National Defence Academy and the "
        "Diplomatic Academy of Peru."
    )
    assert not [f for f in facts(text) if f.type == "agreement_signing"]


def test_a_possessive_names_the_visitor_of_a_visit_noun_and_the_noun_is_no_present_tense() -> None:
    """ "during Putin's first visit to Pyongyang": Russia visits; and "visit" is a noun, so
    the sentence's Tuesday is not next Tuesday's plan."""
    fact = only(
        "Russia and North Korea signed a treaty on Tuesday, during Putin's first visit to "
        "Pyongyang in 24 years.",
        "official_visit",
    )
    assert (fact.actor.name, fact.target.name, fact.place.name) == (
        "Russia",
        "North Korea",
        "Pyongyang",
    )
    assert (fact.status, fact.date) == ("occurred", "2019-05-14")


def test_a_denied_plan_or_an_unexpected_support_is_negated() -> None:
    """The denied act is reported negated; "not expect Turkey's support" is no support."""
    assert only(
        "China denies plans to open a military base in Cambodia.", "military_cooperation"
    ).negated
    rejected = "Beijing has rejected reports that it plans to build a naval base in Cambodia."
    assert only(rejected, "military_cooperation").negated
    support = "Sweden should not expect Turkey's support for its NATO bid, Erdogan said."
    assert only(support, "support").negated
    # a rejection followed by another act does not negate that act
    signed = "Chile rejected the proposal and signed a trade agreement with Peru on Monday."
    assert not only(signed, "agreement_signing").negated


def test_a_protest_takes_its_city_from_the_body_not_from_the_dateline() -> None:
    text = (
        "ANKARA, Jan 23 - Erdogan spoke after a protest outside the Turkish embassy in "
        "Stockholm on Saturday."
    )
    fact = only(text, "protest", published="2023-01-24")
    assert (fact.actor.name, fact.place.name) == ("protesters in Stockholm", "Stockholm")


def test_an_attempt_a_wish_or_a_possibility_is_no_event() -> None:
    for text in (
        "Israel, which has sought to normalise relations with Saudi Arabia, did not comment.",
        "Iran hopes to sign a trade agreement with Iraq.",
        "Ukraine wants to meet Russia in Istanbul.",
        "France could impose sanctions on Niger, a diplomat said.",
        "Chile may restore ties with Venezuela.",
        "Brazil is considering recognising Palestine as a state.",
    ):
        assert facts(text) == [], text
    # the month is no modal, and "could not" is a negation
    assert ("recognition", "Brazil", "Palestine") in summary("In May Brazil recognised Palestine.")
    assert only("Chile could not sign the deal with Peru.", "agreement_signing").negated


def test_talks_between_two_states_officials_named_by_possessive_and_demonym() -> None:
    """ "Iran's top security official X" is Iran's; "Saudi national security adviser Y" is
    Saudi Arabia's, although the United States has a national security adviser too."""
    text = (
        "The United States welcomed the deal. It was reached after talks in Beijing between "
        "Iran's top security official Ali Shamkhani and Saudi national security adviser "
        "Musaed al-Aiban."
    )
    fact = only(text, "meeting")
    assert (fact.actor.name, fact.target.name, fact.place.name) == (
        "Iran",
        "Saudi Arabia",
        "Beijing",
    )
    assert [p.name for p in fact.participants] == ["Musaed al-Aiban"]


def test_the_actor_named_again_in_the_attribution_is_no_object() -> None:
    text = (
        "Honduras established diplomatic relations with China on Sunday and severed ties "
        "with Taiwan, the Honduran foreign ministry said."
    )
    assert ("relations_severed", "Honduras", "Taiwan") in summary(text)


def test_no_plans_to_lift_sanctions_negates_the_lifting_and_dates_the_report_in_the_past() -> None:
    text = (
        "The European Union has no plans to lift sanctions on Belarus, two EU diplomats told "
        "Reuters on Monday, denying a report in a Minsk newspaper."
    )
    lifting = only(text, "sanctions")
    assert (lifting.negated, lifting.date) == (True, "2019-05-13")
    denial = only(text, "denial")
    assert (denial.status, denial.date) == ("occurred", "2019-05-13")


def test_sanctions_on_a_states_judges_target_that_state() -> None:
    fact = only(
        "The United States on Friday slapped sanctions on three Nicaraguan judges.", "sanctions"
    )
    assert (fact.actor.name, fact.target.name, fact.date) == (
        "United States",
        "Nicaragua",
        "2019-05-10",
    )


def test_wire_headline_verbs_of_criticism_are_accusations_but_not_in_sport() -> None:
    assert summary("Beijing blasted Washington for interfering in its affairs.") == {
        ("accusation", "China", "United States")
    }
    assert summary("Turkey slammed Sweden over the Koran burning.") == {
        ("accusation", "Turkey", "Sweden")
    }
    assert summary("Messi blasted the ball past the Brazil goalkeeper.") == set()


def test_a_withdrawn_recognition_is_negated_and_a_trailing_reporter_attributes_it() -> None:
    fact = only(
        "Togo revoked its recognition of Kosovo last year, Serbian officials said.", "recognition"
    )
    assert (fact.actor.name, fact.target.name, fact.negated) == ("Togo", "Kosovo", True)
    assert fact.attributed_to == "Serbian officials"
    own = only(
        "Ghana recognized Kosovo in 2012, the Ghanaian foreign ministry said.", "recognition"
    )
    assert (own.negated, own.attributed_to) == (False, None)  # its own government says so


def test_a_weekday_after_on_dates_the_verb_and_does_not_govern_its_object() -> None:
    fact = only("Kosovo's government on Tuesday criticized Spain for its stance.", "accusation")
    assert (fact.actor.name, fact.target.name, fact.date) == ("Kosovo", "Spain", "2019-05-14")


def test_leaders_shaking_hands_at_a_world_cup_meet_but_teams_do_not() -> None:
    leaders = (
        "Egyptian President Abdel Fattah el-Sisi and Turkish President Recep Tayyip Erdogan "
        "shook hands at the opening of the World Cup in Doha in November."
    )
    fact = only(leaders, "meeting")
    assert (fact.actor.name, fact.target.name, fact.place.name, fact.date) == (
        "Egypt",
        "Turkey",
        "Doha",
        "2018-11",
    )
    assert facts("France and Germany will meet in the World Cup semi-final.") == []


def test_expelling_each_others_ambassadors_is_one_fact_per_state_and_that_year_is_no_today() -> (
    None
):
    text = (
        "Egypt and Turkey fell out in 2013. "
        "Both countries expelled each other's ambassadors that year."
    )
    severed = [f for f in facts(text) if f.type == "relations_severed"]
    assert {(f.actor.name, f.target.name) for f in severed} == {
        ("Egypt", "Turkey"),
        ("Turkey", "Egypt"),
    }
    assert {f.date for f in severed} == {None}  # "that year" is 2013, not this month


def test_a_plans_date_is_neither_the_dateline_nor_the_day_it_was_announced() -> None:
    """ "BERLIN, May 11 - Germany will deliver ..., the minister said on Saturday": read
    forward, the statement's Saturday became next Saturday and the dateline next year's."""
    text = (
        "BERLIN, May 11 - Germany will deliver an air defence system to Ukraine, Defence "
        "Minister Hans Weber said on Saturday."
    )
    fact = only(text, "military_cooperation")
    assert (fact.status, fact.date) == ("planned", None)


def test_a_visit_to_the_country_goes_where_the_clause_set_the_scene() -> None:
    text = (
        "Japanese Prime Minister Fumio Kishida and Vietnamese President Vo Van Thuong signed a "
        "pact in Hanoi on Monday during Kishida's first official visit to the country."
    )
    fact = only(text, "official_visit")
    assert (fact.actor.name, fact.target.name, fact.place.name, fact.date) == (
        "Japan",
        "Vietnam",
        "Hanoi",
        "2019-05-13",
    )


def test_a_visit_to_the_country_goes_where_the_sentence_before_set_the_scene() -> None:
    """A press-release caption: the meeting's place is the country of the next sentence's
    visit; "this marks the first visit" is today's visit, "the first visit since" is not."""
    text = (
        "The defense secretary held a news conference with the prime minister following a "
        "meeting in Fiji. This marks the first visit by a U.S. defense secretary to the country."
    )
    fact = only(text, "official_visit")
    assert (fact.actor.name, fact.target.name, fact.date) == ("United States", "Fiji", PUB)
    assert (
        summary("The defense secretary met reporters. It is the first visit to the country.")
        == set()
    )
    background = only(
        "Secretary of State John Kerry visited Havana, the first such visit since 1945.",
        "official_visit",
    )
    assert background.date is None


def test_a_leg_of_a_trip_is_a_visit_to_the_stop_named_before_it() -> None:
    assert summary(
        "Defense Secretary Ash Carter spoke on the Vietnam leg of a 10-day trip to the region."
    ) == {("official_visit", "United States", "Vietnam")}
    assert summary("President Barack Obama began the Indian leg of his tour on Monday.") == {
        ("official_visit", "United States", "India")
    }
    assert summary("Germany beat France in the second leg of the tie on Monday.") == set()


def test_criticising_sanctions_is_no_sanction_by_the_critic() -> None:
    """The critic takes a stance on measures another state imposed: the sanctions are the
    state's the noun names, or nobody's we know."""
    assert summary("Turkey criticised the new U.S. sanctions on Iran on Monday.") == {
        ("accusation", "Turkey", "United States"),
        ("sanctions", "United States", "Iran"),
    }
    assert summary("China opposes the sanctions imposed on Russia.") == set()
    assert summary("Hungary called for lifting the EU's sanctions on Russia.") == {
        ("sanctions", "European Union", "Russia")
    }


def test_a_reaction_to_another_partys_act_gives_the_act_to_that_party() -> None:
    """The subject protests, criticises or welcomes; the act is the possessor's."""
    assert summary("Serbia protested against Togo's recognition of Kosovo.") == {
        ("recognition", "Togo", "Kosovo")
    }
    assert summary("China criticised Honduras's decision to establish relations with Taiwan.") == {
        ("relations_established", "Honduras", "Taiwan"),
        ("accusation", "China", "Honduras"),
    }
    # a second verb of the subject is its own act
    assert ("recognition", "Benin", "Kosovo") in summary(
        "Benin welcomed the talks and recognised Kosovo on Monday."
    )
    # what the subject welcomes between two others stays theirs
    assert ("meeting", "Ethiopia", "Eritrea") in summary(
        "Kenya welcomed the meeting between Ethiopia and Eritrea on Monday."
    )


def test_a_clause_coordinated_with_its_own_subject_is_that_subjects() -> None:
    """ ", and Montenegro recognised Kosovo" after a clause with a verb has its own subject;
    a list of names before one verb stays the verb's subject."""
    assert summary("Serbia criticised the decision, and Montenegro recognised Kosovo.") == {
        ("recognition", "Montenegro", "Kosovo")
    }
    assert summary("Spain, Italy, and France signed the treaty on Monday.") == {
        ("agreement_signing", "Spain", "Italy")
    }


def test_de_facto_states_are_recognised_and_sign_in_their_own_name() -> None:
    assert summary("Russia recognised the independence of Abkhazia and South Ossetia.") == {
        ("recognition", "Russia", "Abkhazia"),
        ("recognition", "Russia", "South Ossetia"),
    }
    assert summary("Ethiopia signed a memorandum of understanding with Somaliland.") == {
        ("agreement_signing", "Ethiopia", "Somaliland")
    }


def test_designating_a_state_an_ally_is_no_sanction() -> None:
    assert summary("The United States designated Qatar a major non-NATO ally in 2022.") == set()
    designated = "The United States designated three Iranian companies on Monday."
    assert ("sanctions", "United States", "Iran") in summary(designated)


def test_a_visit_by_a_named_visitor_to_a_place() -> None:
    text = (
        "Israel and Morocco signed a defence pact on Tuesday during the first official visit "
        "by an Israeli defence minister to the North African kingdom."
    )
    visit = only(text, "official_visit")
    assert (visit.actor.name, visit.target.name, visit.date) == ("Israel", "Morocco", "2019-05-14")
    cancelled = only(
        "The visit by Japan's foreign minister to Seoul was cancelled.", "official_visit"
    )
    assert (cancelled.actor.name, cancelled.target.name, cancelled.status) == (
        "Japan",
        "South Korea",
        "cancelled",
    )
    assert facts("A visit by the aircraft carrier to Manila drew protests.") == []


def test_a_state_set_in_contrast_or_left_out_is_no_party() -> None:
    contrast = summary("Unlike Germany, France did not sign the declaration.")
    assert not [fact for fact in contrast if "Germany" in fact]
    assert summary("Kenya met Uganda without Tanzania.") == {("meeting", "Kenya", "Uganda")}


def test_a_warship_in_port_is_no_official_visit() -> None:
    assert facts("A Russian warship arrived in Havana on Wednesday.") == []
    assert facts("Russia's navy ships arrived in Havana.") == []
    lavrov = "Russian Foreign Minister Sergei Lavrov arrived in Havana on Wednesday."
    assert ("official_visit", "Russia", "Cuba") in summary(lavrov)


def test_a_hyphenated_surname_is_one_name() -> None:
    fact = only("Ghanaian President Nana Akufo-Addo visited Lome on Monday.", "official_visit")
    assert [p.name for p in fact.participants] == ["Nana Akufo-Addo"]


def test_leaving_a_bloc_severs_relations_with_it_but_leaving_a_mission_does_not() -> None:
    fact = only(
        "Mali, which withdrew from the ECOWAS bloc last year, was absent.", "relations_severed"
    )
    assert (fact.actor.name, fact.target.name, fact.date) == ("Mali", "ECOWAS", "2018")
    assert summary("Qatar quit OPEC in January.") == {
        ("relations_severed", "Qatar", "Organization of the Petroleum Exporting Countries")
    }
    for text in (
        "Russia withdrew from the UN mission in 2019.",
        "The United States pulled out of the Paris agreement.",
        "Chile withdrew from the African Union summit after a row.",
    ):
        assert not [f for f in facts(text) if f.type == "relations_severed"], text


def test_relations_severed_by_cutting_ties() -> None:
    fact = only("Bolivia cut diplomatic ties with Israel on Tuesday.", "relations_severed")
    assert (fact.actor.name, fact.target.name, fact.date) == ("Bolivia", "Israel", "2019-05-14")


def test_recognition() -> None:
    fact = only("Brazil recognized the independence of Kosovo in 2010.", "recognition")
    assert (fact.actor.name, fact.target.name, fact.date, fact.negated) == (
        "Brazil",
        "Kosovo",
        "2010",
        False,
    )


def test_accusation_x_accused_y_of() -> None:
    fact = only("Ukraine accused Russia of shelling civilian areas.", "accusation")
    assert (fact.actor.name, fact.target.name) == ("Ukraine", "Russia")


def test_calling_a_partys_act_a_provocation_accuses_that_party() -> None:
    """A characterisation accuses whoever the characterised thing names: a possessive, a
    modifier or demonym, or "by" after it; nobody named, no fact."""
    assert summary("Britain called Iran's seizure of the tanker an act of piracy.") == {
        ("accusation", "United Kingdom", "Iran")
    }
    assert summary("China called the U.S. move a dangerous provocation on Monday.") == {
        ("accusation", "China", "United States")
    }
    assert summary("Japan branded the North Korean missile launch a grave threat.") == {
        ("accusation", "Japan", "North Korea")
    }
    assert summary("Britain described the seizure by Iran as a grave violation of law.") == {
        ("accusation", "United Kingdom", "Iran")
    }
    assert summary("Russia called the meeting a success.") == set()
    assert summary("The minister called the sinking an act of aggression.") == set()


def test_support() -> None:
    fact = only("Turkey backs Azerbaijan in the conflict.", "support")
    assert (fact.actor.name, fact.target.name) == ("Turkey", "Azerbaijan")


def test_military_cooperation_joint_exercises() -> None:
    fact = only("India and Japan held joint naval exercises.", "military_cooperation")
    assert (fact.actor.name, fact.target.name) == ("India", "Japan")


def test_sanctions_imposed_on() -> None:
    fact = only("The European Union imposed sanctions on Belarus on Monday.", "sanctions")
    assert (fact.actor.name, fact.target.name, fact.date) == (
        "European Union",
        "Belarus",
        "2019-05-13",
    )
    assert fact.actor.wikidata == "Q458"


def test_denial_names_the_party_whose_claim_is_denied() -> None:
    fact = only("Beijing rejected the claims made by Washington.", "denial")
    assert (fact.actor.name, fact.target.name) == ("China", "United States")


def test_protest_outside_an_embassy() -> None:
    fact = only("Protesters in Athens marched on the Turkish embassy on Sunday.", "protest")
    assert fact.actor is not None and fact.actor.kind == "movement"
    assert fact.actor.name == "protesters in Athens"
    assert (fact.target.name, fact.place.name, fact.date) == ("Turkey", "Athens", "2019-05-12")


def test_a_protest_verb_names_the_crowd_protesters() -> None:
    fact = only(
        "Supporters of the ousted leader protest outside the French embassy in Dakar on Sunday.",
        "protest",
    )
    assert (fact.actor.name, fact.target.name) == ("protesters in Dakar", "France")


def test_diplomatic_protest_notes_are_not_protests() -> None:
    assert not any(
        f.type == "protest" for f in facts("Spain lodged a protest against Morocco on Monday.")
    )


# ------------------------------------------------------------------ hard cases


def test_negation() -> None:
    fact = only("Serbia does not recognize Kosovo.", "recognition")
    assert fact.negated
    fact = only("Nigeria and Ghana have never signed the pact.", "agreement_signing")
    assert fact.negated and fact.date is None


def test_stance_negation() -> None:
    fact = only(
        "We are in no way targeting Canada with these measures, Washington said.", "sanctions"
    )
    assert fact.negated and fact.status == "stance"


def test_withdrawn_recognition_is_negated() -> None:
    fact = only("Paraguay no longer recognizes Taiwan.", "recognition")
    assert fact.negated


def test_passive_denial_by() -> None:
    text = "Algeria cut ties with Morocco citing hostile acts -- a charge denied by Rabat."
    found = summary(text)
    assert ("relations_severed", "Algeria", "Morocco") in found
    assert ("accusation", "Algeria", "Morocco") in found
    assert ("denial", "Morocco", "Algeria") in found


def test_accusation_with_unnamed_accuser() -> None:
    fact = only("Eritrea, which has been accused of abuses, rejects criticism.", "accusation")
    assert fact.actor is None and fact.target.name == "Eritrea"


def test_attribution_according_to_and_allegedly() -> None:
    text = "Iran allegedly supplied drones to Russia, according to Ukrainian intelligence."
    cooperation = only(text, "military_cooperation")
    assert (cooperation.actor.name, cooperation.target.name) == ("Iran", "Russia")
    assert cooperation.attributed_to == "Ukrainian intelligence"
    assert cooperation.status == "alleged"
    accusation = only(text, "accusation")
    assert accusation.actor is None and accusation.target.name == "Iran"


def test_modality_planned_and_agreed() -> None:
    planned = only(
        "Indonesia will sign a trade agreement with Australia next month.", "agreement_signing"
    )
    assert (planned.status, planned.date) == ("planned", "2019-06")
    agreed = only("Egypt agreed to sign a gas deal with Cyprus.", "agreement_signing")
    assert agreed.status == "agreed"
    plans = only(
        "The Kremlin said it plans to sign a defence pact with Minsk.", "agreement_signing"
    )
    assert (plans.actor.name, plans.target.name, plans.status) == ("Russia", "Belarus", "planned")


def test_defence_agreement_is_also_military_cooperation() -> None:
    found = summary("The Kremlin said it plans to sign a defence pact with Minsk.")
    assert ("military_cooperation", "Russia", "Belarus") in found


def test_metonymy_and_demonyms() -> None:
    found = summary("Seoul and Tokyo signed an intelligence-sharing pact last December.")
    assert ("agreement_signing", "South Korea", "Japan") in found
    fact = only(
        "Seoul and Tokyo signed an intelligence-sharing pact last December.", "agreement_signing"
    )
    assert fact.date == "2018-12"
    assert ("accusation", "Algeria", "Morocco") in summary("Algiers accused Rabat of lying.")


def test_joint_actors_give_one_fact_each() -> None:
    text = "Turkey, Iran, and Ethiopia have reopened their embassies in the Somali capital."
    found = summary(text)
    for state in ("Turkey", "Iran", "Ethiopia"):
        assert ("relations_established", state, "Somalia") in found


def test_person_state_from_a_later_apposition_and_surname() -> None:
    text = (
        "Defence Minister Avi Cohen flew to Morocco on Tuesday.\n"
        "Cohen, the first Israeli defence minister to go there, met officials."
    )
    fact = only(text, "official_visit")
    assert (fact.actor.name, fact.target.name, fact.date) == ("Israel", "Morocco", "2019-05-14")


def test_descriptive_reference_the_two_countries() -> None:
    text = (
        "Ghana hosted Togo's president. He praised defence cooperation between the two countries."
    )
    assert ("military_cooperation", "Ghana", "Togo") in summary(text)


def test_captions_are_kept_and_boilerplate_ignored() -> None:
    text = (
        "Follow us on Twitter\nShare this\n"
        "Iraqi Foreign Minister Fuad Hussein visits Ankara, March 3, 2019. (Photo: AP)\n"
        "Related stories\nTurkey hosts Iraqi minister"
    )
    fact = only(text, "official_visit")
    assert (fact.actor.name, fact.target.name, fact.date) == ("Iraq", "Turkey", "2019-03-03")
    assert "Follow" not in fact.evidence


def test_relative_dates_resolve_only_with_a_publication_date() -> None:
    text = "Bolivia cut diplomatic ties with Israel on Tuesday."
    assert only(text, "relations_severed", published=None).date is None
    assert (
        only(" date 2019-05-15 " + text, "relations_severed", published=None).date == "2019-05-14"
    )


def test_evidence_offsets_and_confidence() -> None:
    text = "Intro line.\nChile and Argentina signed a border treaty. Later they met in Lima."
    for fact in facts(text):
        assert text[fact.evidence_start : fact.evidence_end] == fact.evidence
        assert 0.0 <= fact.confidence <= 1.0


def test_qids_come_from_the_gazetteer() -> None:
    fact = only("Bolivia cut diplomatic ties with Israel on Tuesday.", "relations_severed")
    assert fact.target.wikidata == "Q801"


def test_denial_in_a_relative_phrase() -> None:
    found = summary("Pakistan accused India of sponsoring militants, a charge New Delhi denies.")
    assert ("accusation", "Pakistan", "India") in found
    assert ("denial", "India", "Pakistan") in found


def test_denial_of_an_act() -> None:
    fact = only("Morocco has denied using the spyware.", "denial")
    assert (fact.actor.name, fact.target) == ("Morocco", None)


def test_ordering_an_ambassador_out_severs_relations() -> None:
    fact = only(
        "Niger's military junta ordered the French ambassador to leave.", "relations_severed"
    )
    assert (fact.actor.name, fact.target.name) == ("Niger", "France")


def test_summoning_an_ambassador_is_not_a_rupture() -> None:
    assert facts("Russia's foreign ministry summoned the German ambassador on Tuesday.") == []


def test_receiving_a_foreign_official_is_a_meeting_and_a_visit() -> None:
    text = "Egypt's president received Sudanese army chief Ahmed Osman in Cairo on Tuesday."
    found = summary(text)
    assert ("meeting", "Egypt", "Sudan") in found
    assert ("official_visit", "Sudan", "Egypt") in found


def test_mediator_is_not_a_party_of_the_talks() -> None:
    assert ("meeting", "Hamas", "Israel") in summary(
        "Qatar mediated talks between Hamas and Israel."
    )


def test_third_party_claim_is_attributed_to_its_source() -> None:
    fact = only(
        "Ukrainian intelligence said Iran had supplied drones to Russia.", "military_cooperation"
    )
    assert (fact.actor.name, fact.target.name) == ("Iran", "Russia")
    assert fact.attributed_to == "Ukrainian intelligence"


def test_own_statement_is_not_attributed() -> None:
    fact = only("Chile said it had signed a trade pact with Peru.", "agreement_signing")
    assert fact.attributed_to is None


def test_sanctions_on_a_states_companies_target_the_state() -> None:
    fact = only("The United States imposed sanctions on three Russian banks.", "sanctions")
    assert (fact.actor.name, fact.target.name) == ("United States", "Russia")


def test_non_diplomatic_news_gives_no_facts() -> None:
    for text in (
        "Brazil beat Argentina 2-1 in the Copa America final on Sunday.",
        "France and Germany will meet in the World Cup semi-final.",
        "Japan's economy grew 2 percent last quarter, while exports to China fell.",
        "Germany supports the idea of a common European bond.",
        "India recognized the contribution of its scientists.",
        "Iran's football team arrived in Qatar for the tournament.",
        "The French ambassador attended a concert in Rome.",
    ):
        assert facts(text) == [], text


def test_protest_by_a_named_crowd() -> None:
    fact = only(
        "Hundreds of Palestinians protested outside the Israeli embassy in Amman.", "protest"
    )
    assert (fact.actor.name, fact.target.name, fact.place.name) == (
        "Palestinians in Amman",
        "Israel",
        "Amman",
    )


def test_passive_accusation_with_agent_outside_the_gazetteer() -> None:
    fact = only("Israel has been accused by rights groups of war crimes.", "accusation")
    assert (fact.actor, fact.target.name) == (None, "Israel")


def test_restored_defence_pact_is_an_agreement_and_cooperation() -> None:
    found = summary("South Korea and Japan restored a military intelligence-sharing pact.")
    assert ("agreement_signing", "South Korea", "Japan") in found
    assert ("military_cooperation", "South Korea", "Japan") in found


def test_sanctions_imposed_by_an_agent() -> None:
    text = "Beijing firmly opposes the sanctions imposed by Washington on Chinese firms."
    fact = only(text, "sanctions")
    assert (fact.actor.name, fact.target.name) == ("United States", "China")


def test_basing_access_is_military_cooperation() -> None:
    text = (
        "The US and the Philippines agreed to expand American access to Philippine military bases."
    )
    fact = only(text, "military_cooperation")
    assert (fact.actor.name, fact.target.name, fact.status) == (
        "United States",
        "Philippines",
        "agreed",
    )


def test_the_parties_own_statement_is_not_an_attribution() -> None:
    text = "Iran and Saudi Arabia agreed to resume relations, according to a joint statement."
    fact = only(text, "relations_established")
    assert fact.attributed_to is None and fact.status == "agreed"


def test_all_caps_headline() -> None:
    assert ("agreement_signing", "China", "Russia") in summary("CHINA, RUSSIA SIGN ENERGY DEAL")


def test_bilateral_formats_named_by_their_pair() -> None:
    found = summary(
        "They will meet counterparts in the NATO-Georgia Commission and the NATO-Russia Council."
    )
    assert ("meeting", "NATO", "Georgia") in found and ("meeting", "NATO", "Russia") in found
    fact = only("Leaders met at the EU-China summit in Brussels on Friday.", "meeting")
    assert (fact.actor.name, fact.target.name, fact.date) == (
        "European Union",
        "China",
        "2019-05-10",
    )
    assert facts("The US-China trade war escalated.") == []


def test_quoted_object_stays_in_the_clause() -> None:
    text = 'Chile will sign "a memorandum on defence cooperation" with Peru, its ministry said.'
    fact = only(text, "agreement_signing")
    assert (fact.actor.name, fact.target.name, fact.status) == ("Chile", "Peru", "planned")


def test_a_new_clause_does_not_inherit_a_preposition() -> None:
    text = "Peru and Chile set up ties in 1950 but Lima broke them off in 1973."
    found = {(f.type, f.actor.name, f.target.name, f.date) for f in facts(text)}
    assert ("relations_severed", "Peru", "Chile", "1973") in found


def test_backing_a_movement_is_a_standing_policy() -> None:
    fact = only("Algeria, which backs the Polisario Front, denied involvement.", "support")
    assert (fact.actor.name, fact.target.name, fact.status) == (
        "Algeria",
        "Polisario Front",
        "ongoing",
    )


def test_threats_and_conditions_are_not_facts() -> None:
    assert facts("The United States will impose sanctions on Iran if it refuses.") == []
    assert facts("If Chile signs the treaty with Peru, trade will grow.") == []


def test_a_hosted_visit_takes_no_place_from_an_earlier_event_in_the_sentence() -> None:
    """The place named after 'following their meeting in' belongs to that meeting."""
    text = (
        "Secretary of Defense Lloyd J. Austin III hosted President Ferdinand Romualdez Marcos"
        " Jr. of the Philippines at the Pentagon today following their meeting in Manila"
        " earlier this year."
    )
    visits = [f for f in facts(text) if f.type == "official_visit" and f.actor.wikidata == "Q928"]
    assert len(visits) == 1 and visits[0].place is None  # the Pentagon is no gazetteer city
    tokyo = (
        "Japanese Prime Minister Fumio Kishida hosted President Emmanuel Macron of France in"
        " Tokyo on Monday, after their talks in Paris last year."
    )
    visits = {
        (f.actor.name, f.target.name, f.date, f.place.name if f.place else None)
        for f in facts(tokyo)
        if f.type == "official_visit"
    }
    # the talks in Paris last year are another event: the Japanese party's visit to France
    assert visits == {
        ("France", "Japan", "2019-05-13", "Tokyo"),
        ("Japan", "France", "2018", "Paris"),
    }


def test_an_offset_dates_the_event_after_the_date_it_counts_from() -> None:
    found = facts(
        "Nauru recognized China in 2002 and restored relations with Taiwan three years later."
    )
    dates = {(f.type, f.target.name if f.target else None): f.date for f in found}
    assert dates[("recognition", "China")] == "2002"
    assert dates[("relations_established", "Taiwan")] == "2005"


def test_an_offset_does_not_date_the_event_before_its_starting_date() -> None:
    """The offset dates the second clause's event (its own subject), not the first's."""
    found = facts(
        "Ecuador expelled the Colombian ambassador on March 3, 2008, and Colombia recalled"
        " its envoy from Quito two days later."
    )
    assert {(f.type, f.actor.name, f.target.name, f.date) for f in found} == {
        ("relations_severed", "Ecuador", "Colombia", "2008-03-03"),
        ("relations_severed", "Colombia", "Ecuador", "2008-03-05"),
    }


@pytest.mark.parametrize(
    ("text", "fact_type", "status"),
    [
        # an announcement of the act itself
        (
            "Chile announced that it is recognizing the government of Peru.",
            "recognition",
            "occurred",
        ),
        (
            "Chile announces the signing of a trade agreement with Peru.",
            "agreement_signing",
            "occurred",
        ),
        # an announcement of a plan
        (
            "Chile announced it was restoring relations with Peru.",
            "relations_established",
            "announced",
        ),
        (
            "Chile announced its decision to restore relations with Peru.",
            "relations_established",
            "announced",
        ),
    ],
)
def test_an_announced_act_occurred_and_an_announced_plan_is_announced(
    text: str, fact_type: str, status: str
) -> None:
    assert only(text, fact_type).status == status


def test_a_visit_noun_as_an_adverbial_belongs_to_the_clause_subject_however_far() -> None:
    text = (
        "Foreign Minister Yair Lapid of Israel meeting with his Moroccan counterpart Nasser"
        " Bourita during a visit to Rabat in August."
    )
    visit = only(text, "official_visit")
    assert (visit.actor.name, visit.target.name, visit.place.name) == ("Israel", "Morocco", "Rabat")
    # a visit noun far from the subject, not an adverbial, is somebody else's
    far = (
        "Foreign Minister Yair Lapid of Israel praised the progress made by the two countries"
        " since the first visit to Rabat."
    )
    assert not [f for f in facts(far) if f.type == "official_visit"]


def test_officials_in_a_state_are_its_officials_not_a_venue() -> None:
    """The annotation rules' own example: "officials in Ankara and Cairo" -> Turkey acts."""
    fact = only("Officials in Ankara and Cairo held talks on Monday.", "meeting")
    assert (fact.actor.name, fact.target.name, fact.place) == ("Turkey", "Egypt", None)
    fact = only(
        "U.S. Defense Secretary Jim Mattis met with senior leaders in Indonesia.", "meeting"
    )
    assert (fact.actor.name, fact.target.name) == ("United States", "Indonesia")


def test_a_party_after_the_triggers_next_occurrence_is_that_ones() -> None:
    text = (
        "U.S. Defense Secretary Jim Mattis is in Hanoi to meet with leaders as part of a trip"
        " that previously took him to meet with senior leaders in Indonesia."
    )
    meetings = [(f.target.name, f.date) for f in facts(text) if f.type == "meeting"]
    # the earlier meeting is not dated today
    assert meetings == [("Indonesia", None)]


@pytest.mark.parametrize(
    "text",
    [
        "Algeria accused Morocco of spying last month, a charge denied by Rabat.",
        "Algeria accused Morocco of spying last month, a charge Rabat rejected.",
    ],
)
def test_a_denial_told_as_an_aside_takes_no_date_from_the_main_event(text: str) -> None:
    assert only(text, "accusation").date == "2019-04"
    denial = only(text, "denial")
    assert (denial.actor.name, denial.target.name, denial.date) == ("Morocco", "Algeria", None)
    # a denial told in its own right keeps its date
    assert only("Morocco rejected the charge on Monday.", "denial").date == "2019-05-13"


@pytest.mark.parametrize(
    ("text", "date"),
    [
        # the expulsion happened on Friday: "has given" is no present tense of a plan
        (
            "Niger's junta has given France's ambassador 48 hours to leave the country, state"
            " television said on Friday.",
            "2019-05-10",
        ),
        ("Niger orders French ambassador to leave", "2019-05-15"),
    ],
)
def test_giving_or_ordering_an_ambassador_to_leave_is_an_expulsion(text: str, date: str) -> None:
    fact = only(text, "relations_severed")
    assert (fact.actor.name, fact.target.name, fact.status, fact.date) == (
        "Niger",
        "France",
        "occurred",
        date,
    )


def test_a_crowd_at_a_states_base_protests_against_that_state() -> None:
    text = "Thousands of people rallied outside the French military base in Niamey on Saturday."
    protest = only(text, "protest")
    assert (protest.target.name, protest.place.name) == ("France", "Niamey")
    # the base stands: a standing arrangement, not an event of that day
    assert only(text, "military_cooperation").status == "ongoing"
    assert only("Russia opened a military base in Niger.", "military_cooperation").status == (
        "occurred"
    )


def test_lower_case_words_are_no_names_for_case_sensitive_triggers() -> None:
    """ "host a ..." is no "hosted Ruto"; "exercise their" is no "Exercise BALIKATAN"."""
    hosting = facts("Niger agreed to host a Russian military base.")
    assert not [f for f in hosting if f.type == "meeting"]
    exercising = facts("Chile and Peru said both countries exercise their right to self-defence.")
    assert not [f for f in exercising if f.type == "military_cooperation"]
    assert only("Chile and Peru held Exercise CONDOR in March.", "military_cooperation")


def test_the_subject_of_a_verb_after_a_relative_aside_is_what_the_aside_hangs_on() -> None:
    text = (
        "Nigerian President Bola Tinubu, who chairs ECOWAS, met with Algeria's foreign minister"
        " in Abuja on Thursday."
    )
    meeting = only(text, "meeting")
    assert (meeting.actor.name, meeting.target.name) == ("Nigeria", "Algeria")


def test_rejecting_criticism_denies_the_critic() -> None:
    text = (
        "China's embassy criticised the drills on Monday. The Philippines rejected the criticism."
    )
    denial = only(text, "denial")
    assert (denial.actor.name, denial.target.name) == ("Philippines", "China")


def test_condemning_an_act_told_before_accuses_its_doers() -> None:
    """ "condemned the deal": the last agreement found; a joint act has two doers, and a
    joint condemnation gives one fact per state that voiced it."""
    text = (
        "Russia and North Korea signed a defence pact on Monday. "
        "The United States and Japan condemned the deal."
    )
    accusations = {(f.actor.name, f.target.name) for f in facts(text) if f.type == "accusation"}
    assert accusations == {
        ("United States", "Russia"),
        ("United States", "North Korea"),
        ("Japan", "Russia"),
        ("Japan", "North Korea"),
    }
    # no such act told before: nobody is accused
    assert not [f for f in facts("Japan condemned the deal.") if f.type == "accusation"]


def test_a_date_in_a_relative_aside_dates_the_aside_only() -> None:
    text = "Algeria, which cut ties with Morocco in August, condemned the visit on Monday."
    assert only(text, "relations_severed").date == "2018-08"
    text = "Chile, which recognised Kosovo in 2009, met Serbia's foreign minister."
    assert only(text, "meeting").date == "2019-05"
