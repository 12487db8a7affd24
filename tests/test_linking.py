"""link_entity: conservative linking and the context rule for each known ambiguity."""

from __future__ import annotations

import pytest

from diplograph.ingest.gazetteer import Gazetteer, GazetteerEntry, link_entity


@pytest.mark.parametrize(
    ("name", "kind", "qid"),
    [
        ("Morocco", "country", "Q1028"),
        ("the U.S.", "country", "Q30"),
        ("UK", "country", "Q145"),
        ("NATO", "organization", "Q7184"),
        ("UN Security Council", "organization", "Q37470"),
        ("Trump", "person", "Q22686"),
        ("Putin", "person", "Q7747"),
        ("Kim Jong-un", "person", "Q56226"),
        ("Hugo Chavez", "person", "Q8440"),
        ("Western Sahara", "territory", "Q6250"),
        ("Hawaii", "territory", None),
        ("Moscow", "city", None),
        ("Barack Obama", "person", None),
        ("Polisario Front", "movement", None),
        ("AUKUS", "organization", None),
    ],
)
def test_plain_names(name: str, kind: str, qid: str | None) -> None:
    assert link_entity(name, kind) == qid


def test_kind_chooses_between_same_named_city_and_country() -> None:
    assert link_entity("Luxembourg", "city") == "Q1842"
    assert link_entity("Luxembourg", "country") == "Q32"


def test_capitals_and_metonyms_as_actors_resolve_to_their_state() -> None:
    assert link_entity("Rabat", "country") == "Q1028"
    assert link_entity("Rabat", "city") == "Q3551"
    assert link_entity("Pyongyang", "country") == "Q423"
    assert link_entity("the Kremlin", "country") == "Q159"
    assert link_entity("the White House", "country") == "Q30"
    # the metonym itself has no verified QID: as a named site it stays unlinked
    assert link_entity("the Kremlin", "organization") is None


def test_a_person_never_becomes_their_state() -> None:
    assert link_entity("Putin", "country") is None


def test_unknown_names_and_wrong_kinds_give_none() -> None:
    assert link_entity("Ruritania", "country") is None
    assert link_entity("Morocco", "person") is None
    assert link_entity("NATO", "city") is None
    assert link_entity("", "country") is None


def test_demonyms_link_as_their_state() -> None:
    assert link_entity("Moroccan", "country") == "Q1028"
    assert link_entity("South Sudanese", "country") == "Q958"
    assert link_entity("Dominican", "country") is None  # Dominica or Dominican Republic


def test_compatible_kinds() -> None:
    assert link_entity("Taiwan", "territory") == "Q865"
    assert link_entity("Western Sahara", "country") == "Q6250"
    assert link_entity("Reuters", "organization") == "Q130879"


# --- Georgia ----------------------------------------------------------------------------------


def test_georgia_country_by_kind_and_caucasus_context() -> None:
    assert link_entity("Georgia", "country") == "Q230"
    assert link_entity("Georgia", "country", "talks in Tbilisi on Abkhazia") == "Q230"
    assert link_entity("Georgia", "country", "the NATO-Georgia Commission met") == "Q230"


def test_georgia_us_state_context_gives_none() -> None:
    context = "Gov. Brian Kemp of Georgia met investors in Atlanta."
    assert link_entity("Georgia", "country", context) is None
    assert link_entity("Georgia", "territory", context) is None
    assert link_entity("Georgia", "territory") is None  # the U.S. state has no verified QID


def test_georgia_generic_american_words_do_not_make_it_the_state() -> None:
    context = "Sen. John McCain and the central bank Governor visited Georgia and Ukraine."
    assert link_entity("Georgia", "country", context) == "Q230"
    assert link_entity("Georgia", "country", "said Rep. Buddy Carter (R-Ga.)") is None
    assert link_entity("Georgia", "country", "Georgia Gov. Brian Kemp signed") is None


def test_georgia_contradictory_context_gives_none() -> None:
    assert link_entity("Georgia", "country", "from Atlanta to Tbilisi") is None


def test_georgia_as_a_first_name() -> None:
    assert link_entity("Georgia", "country", "Italy's Georgia Meloni said") is None


# --- Congo ------------------------------------------------------------------------------------


def test_bare_congo_needs_context() -> None:
    assert link_entity("Congo", "country") is None
    assert link_entity("Congo", "country", "Congo and Rwanda signed") is None


def test_congo_brazzaville_context() -> None:
    assert link_entity("Congo", "country", "officials in Brazzaville said") == "Q971"
    assert link_entity("Congo", "country", "the Republic of the Congo said") == "Q971"


def test_congo_kinshasa_context() -> None:
    assert link_entity("Congo", "country", "fighting near Goma; Kinshasa said") == "Q974"
    assert link_entity("Congo", "country", "the Democratic Republic of the Congo") == "Q974"
    assert link_entity("Congo", "country", "the DRC") == "Q974"


def test_congo_both_contexts_gives_none() -> None:
    assert link_entity("Congo", "country", "Kinshasa and Brazzaville") is None


def test_full_congo_names_need_no_context() -> None:
    assert link_entity("Republic of the Congo", "country") == "Q971"
    assert link_entity("Democratic Republic of the Congo", "country") == "Q974"
    assert link_entity("DRC", "country") == "Q974"


# --- Washington -------------------------------------------------------------------------------


def test_washington_as_actor_is_the_united_states() -> None:
    assert link_entity("Washington", "country") == "Q30"
    assert link_entity("Washington", "country", "Washington and Havana restored ties") == "Q30"


def test_washington_as_place_is_the_city() -> None:
    assert link_entity("Washington", "city") == "Q61"
    assert link_entity("Washington, DC", "city") == "Q61"


def test_washington_state_context() -> None:
    context = "wildfires in Washington state, near Spokane"
    assert link_entity("Washington", "territory", context) is None
    assert link_entity("Washington", "country", context) is None
    assert link_entity("Washington", "city", context) == "Q61"


def test_george_washington_is_not_linked() -> None:
    assert link_entity("Washington", "person") is None


# --- Guinea, Sudan, Niger, Dominica: whole names only ---------------------------------------


def test_guinea_family() -> None:
    assert link_entity("Guinea", "country") == "Q1006"
    assert link_entity("Guinea-Bissau", "country") == "Q1007"
    assert link_entity("Equatorial Guinea", "country") == "Q983"
    assert link_entity("Papua New Guinea", "country") == "Q691"
    assert link_entity("New Guinea", "country") is None
    assert link_entity("Guinea", "country", "Equatorial Guinea and Papua New Guinea") == "Q1006"


def test_sudan_and_south_sudan() -> None:
    assert link_entity("Sudan", "country", "South Sudan became independent") == "Q1049"
    assert link_entity("South Sudan", "country") == "Q958"


def test_the_northern_government_is_sudan_only_in_a_sudan_story() -> None:
    context = "South Sudan and the northern government, which has been accused"
    assert link_entity("the northern government", "country", context) == "Q1049"
    assert link_entity("the north", "country", context) is None  # too vague
    assert link_entity("the southern government", "country", context) == "Q958"
    assert link_entity("the northern government", "country", "Mali's north") is None


def test_niger_and_nigeria() -> None:
    assert link_entity("Niger", "country") == "Q1032"
    assert link_entity("Nigeria", "country") == "Q1033"
    assert link_entity("Nigerien", "country") == "Q1032"


def test_dominica_and_dominican_republic() -> None:
    assert link_entity("Dominica", "country") == "Q784"
    assert link_entity("Dominican Republic", "country") == "Q786"


# --- Korea, Palestine, China/Taiwan -----------------------------------------------------------


def test_bare_korea_needs_one_sided_context() -> None:
    assert link_entity("Korea", "country") is None
    assert link_entity("Korea", "country", "talks in Seoul") == "Q884"
    assert link_entity("Korea", "country", "missiles fired from Pyongyang") == "Q423"
    assert link_entity("Korea", "country", "North Korea and South Korea") is None


def test_palestine_state_actor_vs_territory() -> None:
    assert link_entity("Palestine", "country") == "Q219060"
    assert link_entity("Palestine", "organization") is None
    assert link_entity("Palestine", "territory") == "Q407199"
    assert link_entity("Palestinian territories", "territory") == "Q407199"
    assert link_entity("State of Palestine", "country") == "Q219060"


def test_china_and_taiwan() -> None:
    assert link_entity("China", "country") == "Q148"
    assert link_entity("Republic of China", "country") == "Q865"
    assert link_entity("People's Republic of China", "country") == "Q148"
    assert link_entity("Taiwan", "country") == "Q865"
    assert link_entity("Chinese", "country") == "Q148"


# --- first names that are country names -----------------------------------------------------


def test_jordan_the_country() -> None:
    assert link_entity("Jordan", "country") == "Q810"
    assert link_entity("Jordan", "country", "King Abdullah of Jordan visited") == "Q810"
    assert link_entity("Jordan", "country", "Egypt and Jordan signed") == "Q810"


def test_jordan_as_a_surname_is_not_the_country() -> None:
    assert link_entity("Jordan", "country", "Michael Jordan visited the school") is None
    assert link_entity("Jordan", "person", "Michael Jordan visited") is None


def test_chad_as_a_first_name_is_not_the_country() -> None:
    assert link_entity("Chad", "country", "Chad Wolf, the acting secretary, said") is None
    assert link_entity("Chad", "country", "Chad and Niger agreed") == "Q657"
    assert link_entity("Chad", "country", "troops from Chad arrived") == "Q657"


def test_mixed_mentions_keep_the_country() -> None:
    context = "Michael Jordan spoke. Jordan's foreign minister also spoke."
    assert link_entity("Jordan", "country", context) == "Q810"


# --- injected gazetteer ----------------------------------------------------------------------


def test_link_entity_uses_the_given_gazetteer() -> None:
    tiny = Gazetteer(
        [("Freedonia", GazetteerEntry("Freedonia", "country", "Q42", None, "name", "curated"))]
    )
    assert link_entity("Freedonia", "country", gazetteer=tiny) == "Q42"
    assert link_entity("Morocco", "country", gazetteer=tiny) is None


def test_two_qids_for_one_alias_give_none() -> None:
    tiny = Gazetteer(
        [
            ("Springfield", GazetteerEntry("Springfield A", "city", "Q1", None, "name", "curated")),
            ("Springfield", GazetteerEntry("Springfield B", "city", "Q2", None, "name", "curated")),
        ]
    )
    assert link_entity("Springfield", "city", gazetteer=tiny) is None


# --- surnames of verified persons ------------------------------------------------------------


def test_bare_surname_links_the_verified_person() -> None:
    assert link_entity("Trump", "person", "President Trump met Kim Jong Un.") == "Q22686"
    assert link_entity("Putin", "person", "But Putin said") == "Q7747"
    assert link_entity("Chavez", "person", "Venezuela's Hugo Chavez. Later Chavez said") == "Q8440"


def test_surname_of_someone_else_is_not_linked() -> None:
    assert link_entity("Trump", "person", "Ivanka Trump visited Seoul.") is None
    assert link_entity("Chavez", "person", "labour leader Cesar Chavez marched") is None
    both = "Ivanka Trump and her father Donald Trump visited. Trump said"
    assert link_entity("Trump", "person", both) == "Q22686"


def test_a_possessive_before_a_surname_is_not_a_given_name() -> None:
    assert link_entity("Putin", "person", "Russia's Putin met the envoy.") == "Q7747"
    assert link_entity("Macron", "person", "France’s Macron flew to Dakar.") == "Q3052772"
    # a given name still counts, possessive or not elsewhere in the text
    assert link_entity("Trump", "person", "America's Fred Trump spoke.") is None


def test_the_words_of_the_persons_other_names_are_not_someone_else() -> None:
    text = "President Donald J. Trump arrived. Trump said"
    assert link_entity("Trump", "person", text) == "Q22686"
    assert link_entity("Trump", "person", "Businessman Fred J. Trump arrived. Trump said") is None


# --- resolve_entity: the whole entry, for callers that also need the canonical name ------------


def test_resolve_entity_gives_the_canonical_entry() -> None:
    from diplograph.ingest.gazetteer import resolve_entity

    congo = resolve_entity("Congo", "country", "talks in Brazzaville")
    assert congo is not None and (congo.name, congo.wikidata) == ("Republic of the Congo", "Q971")
    assert resolve_entity("Congo", "country") is None
    morocco = resolve_entity("Rabat", "country")
    assert morocco is not None and morocco.name == "Morocco"
    kremlin = resolve_entity("the Kremlin", "organization")
    assert kremlin is not None and (kremlin.name, kremlin.wikidata) == ("Kremlin", None)
    apec = resolve_entity("APEC", "organization")
    assert apec is not None and apec.name == "Asia-Pacific Economic Cooperation"
    two = Gazetteer(
        [
            ("X", GazetteerEntry("X Forum", "organization", None, None, "acronym", "curated")),
            ("X", GazetteerEntry("X Bank", "organization", None, None, "acronym", "curated")),
        ]
    )
    assert resolve_entity("X", "organization", gazetteer=two) is None


def test_brussels_as_an_actor_is_not_belgium() -> None:
    assert link_entity("Brussels", "country") is None
    assert link_entity("Brussels", "city") is not None  # the city keeps its QID
