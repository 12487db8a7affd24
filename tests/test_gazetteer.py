"""The shipped gazetteer: reproducible build, normalisation, source decisions, provenance."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from diplograph.ingest.gazetteer import Gazetteer, GazetteerEntry, build
from diplograph.ingest.gazetteer.model import COLUMNS, ROLES
from diplograph.ingest.gazetteer.normalize import clean, fold
from diplograph.ingest.gazetteer.sources import SOURCES

GAZ = Gazetteer.default()

# (name as used in the devset gold, expected kind, QID) derived from the "QIDs" section of
# the devset README: every QID the gold uses must be reproduced by the gazetteer.
DEVSET_README_QIDS = [
    ("United States", "country", "Q30"),
    ("South Sudan", "country", "Q958"),
    ("Sudan", "country", "Q1049"),
    ("Mexico", "country", "Q96"),
    ("Russia", "country", "Q159"),
    ("Libya", "country", "Q1016"),
    ("Venezuela", "country", "Q717"),
    ("North Korea", "country", "Q423"),
    ("China", "country", "Q148"),
    ("Iran", "country", "Q794"),
    ("Philippines", "country", "Q928"),
    ("Canada", "country", "Q16"),
    ("Colombia", "country", "Q739"),
    ("Peru", "country", "Q419"),
    ("Germany", "country", "Q183"),
    ("South Korea", "country", "Q884"),
    ("Japan", "country", "Q17"),
    ("Somalia", "country", "Q1045"),
    ("Cuba", "country", "Q241"),
    ("Vietnam", "country", "Q881"),
    ("Indonesia", "country", "Q252"),
    ("Ecuador", "country", "Q736"),
    ("United Kingdom", "country", "Q145"),
    ("France", "country", "Q142"),
    ("Pakistan", "country", "Q843"),
    ("Fiji", "country", "Q712"),
    ("Ukraine", "country", "Q212"),
    ("Israel", "country", "Q801"),
    ("Morocco", "country", "Q1028"),
    ("Algeria", "country", "Q262"),
    ("Spain", "country", "Q29"),
    ("United Arab Emirates", "country", "Q878"),
    ("Bahrain", "country", "Q398"),
    ("Bandar Seri Begawan", "city", "Q9279"),
    ("Lima", "city", "Q2868"),
    ("Seoul", "city", "Q8684"),
    ("Tokyo", "city", "Q1490"),
    ("Islamabad", "city", "Q1362"),
    ("Khartoum", "city", "Q1963"),
    ("London", "city", "Q84"),
    ("Havana", "city", "Q1563"),
    ("Washington", "city", "Q61"),
    ("Hanoi", "city", "Q1858"),
    ("Rabat", "city", "Q3551"),
    ("Algiers", "city", "Q3561"),
    ("NATO", "organization", "Q7184"),
    ("African Union", "organization", "Q7159"),
    ("UN Security Council", "organization", "Q37470"),
    ("OECD", "organization", "Q41550"),
    ("European Union", "organization", "Q458"),
    ("United Nations", "organization", "Q1065"),
    ("Arab League", "organization", "Q7172"),
    ("Gulf Cooperation Council", "organization", "Q217172"),
    ("Arab Maghreb Union", "organization", "Q370862"),
    ("Vladimir Putin", "person", "Q7747"),
    ("Donald Trump", "person", "Q22686"),
    ("Kim Jong Un", "person", "Q56226"),
    ("Hugo Chávez", "person", "Q8440"),
    ("Emmanuel Macron", "person", "Q3052772"),
]
# Further (name, kind, QID) triples the devset gold uses beyond the README's list.
DEVSET_README_QIDS += [
    ("Beijing", "city", "Q956"),
    ("Cairo", "city", "Q85"),
    ("Tehran", "city", "Q3616"),
    ("Mogadishu", "city", "Q2449"),
    ("Luxembourg", "city", "Q1842"),
    ("Georgia", "country", "Q230"),
    ("Taiwan", "country", "Q865"),
    ("Turkey", "country", "Q43"),
    ("Nauru", "country", "Q697"),
    ("New Zealand", "country", "Q664"),
    ("Eritrea", "country", "Q986"),
    ("Ethiopia", "country", "Q115"),
    ("Moldova", "country", "Q217"),
    ("Brunei", "country", "Q921"),
    ("Western Sahara", "territory", "Q6250"),
]
# Places the devset README says stay null (not verifiable offline).
DEVSET_README_NULLS = ["Moscow", "Manila", "Berlin", "Paris", "Geneva", "Istanbul", "Benghazi"]


def qids(surface: str) -> set[str | None]:
    return {entry.wikidata for entry in GAZ.lookup(surface)}


def test_shipped_file_is_exactly_what_the_build_produces(tmp_path: Path) -> None:
    out = tmp_path / "gazetteer.tsv"
    assert build.main(["--out", str(out)]) == 0
    assert out.read_bytes() == (build.DATA_DIR / "gazetteer.tsv").read_bytes()
    assert build.main(["--out", str(out), "--check"]) == 0


def test_check_mode_detects_a_stale_file(tmp_path: Path) -> None:
    stale = tmp_path / "gazetteer.tsv"
    stale.write_text("alias\n", encoding="utf-8")
    assert build.main(["--out", str(stale), "--check"]) == 1


def test_file_is_sorted_and_has_no_duplicate_rows() -> None:
    text = (build.DATA_DIR / "gazetteer.tsv").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0].split("\t") == list(COLUMNS)
    assert len(lines) == len(set(lines))
    assert "\r" not in text


@pytest.mark.parametrize(("name", "kind", "qid"), DEVSET_README_QIDS)
def test_devset_readme_qids_are_reproduced(name: str, kind: str, qid: str) -> None:
    entry = GAZ.by_name(name, kind)
    assert entry is not None, name
    assert entry.wikidata == qid
    assert GAZ.by_qid(qid) == entry


@pytest.mark.parametrize("name", DEVSET_README_NULLS)
def test_unverified_places_have_no_qid(name: str) -> None:
    assert qids(name) <= {None}


def test_every_row_has_a_known_source_licence_and_role() -> None:
    count = 0
    for alias, entry in GAZ.aliases():
        count += 1
        assert alias.strip() == alias and alias
        assert entry.source in SOURCES, entry
        assert entry.licence == SOURCES[entry.source].licence
        assert entry.role in ROLES
        assert entry.kind in {
            "country",
            "organization",
            "city",
            "territory",
            "movement",
            "company",
            "person",
        }
    assert count == len(GAZ) > 2000


def test_every_stands_for_names_an_entity_of_a_state_or_organisation() -> None:
    for _alias, entry in GAZ.aliases():
        if entry.stands_for:
            target = GAZ.by_name(entry.stands_for)
            assert target is not None and target.kind in {"country", "organization"}, entry


def test_a_qid_belongs_to_one_canonical_entity() -> None:
    owners: dict[str, tuple[str, str]] = {}
    for _alias, entry in GAZ.aliases():
        if entry.wikidata:
            owner = owners.setdefault(entry.wikidata, (entry.name, entry.kind))
            assert owner == (entry.name, entry.kind), entry


def test_coverage_of_states_territories_and_organisations() -> None:
    kinds: dict[str, set[str]] = {}
    for _alias, entry in GAZ.aliases():
        if entry.wikidata:
            kinds.setdefault(entry.kind, set()).add(entry.wikidata)
    assert len(kinds["country"]) == 198  # cc 195 independent (incl. Taiwan) + PS, XK, SADR
    assert len(kinds["territory"]) >= 50
    assert len(kinds["organization"]) >= 500
    assert len(kinds["city"]) >= 150


def test_default_is_cached_and_loads_fast() -> None:
    assert Gazetteer.default() is Gazetteer.default()
    start = time.perf_counter()
    Gazetteer.from_tsv(build.DATA_DIR / "gazetteer.tsv")
    assert time.perf_counter() - start < 1.0  # ~50 ms on the dev machine; generous for CI


# --- normalisation -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "surface",
    [
        "United States",
        "the United States",
        "U.S.",
        "the U.S.",
        "US",
        "USA",
        "America",
        "United States of America",
        "the United States'",
        "United States’",
    ],
)
def test_united_states_forms(surface: str) -> None:
    assert qids(surface) == {"Q30"}


def test_acronyms_are_case_sensitive() -> None:
    assert GAZ.lookup("us") == []
    assert GAZ.lookup("Us") == []
    assert GAZ.lookup("it") == []
    assert qids("UK") == {"Q145"} and GAZ.lookup("uk") == []


def test_all_caps_names_fall_back_to_case_insensitive() -> None:
    assert qids("IRAN") == {"Q794"}
    assert qids("MOROCCO") == {"Q1028"}


def test_quotes_accents_hyphens_and_possessives() -> None:
    assert qids("Côte d’Ivoire") == {"Q1008"}
    assert qids("Cote d'Ivoire") == {"Q1008"}
    assert qids("Türkiye") == qids("Turkiye") == qids("Turkey") == {"Q43"}
    assert qids("Guinea Bissau") == qids("Guinea-Bissau") == {"Q1007"}
    assert qids("Morocco's") == {"Q1028"}
    assert qids("Kim Jong-un") == qids("Kim Jong Un") == {"Q56226"}


def test_lookup_of_unknown_or_empty_surface() -> None:
    assert GAZ.lookup("") == []
    assert GAZ.lookup("   ") == []
    assert GAZ.lookup("Atlantis") == []


# --- aliases, demonyms, metonyms -----------------------------------------------------------


@pytest.mark.parametrize(
    ("surface", "qid"),
    [
        ("Moroccan", "Q1028"),
        ("Israeli", "Q801"),
        ("American", "Q30"),
        ("British", "Q145"),
        ("Chinese", "Q148"),
        ("Emirati", "Q878"),
        ("Sudanese", "Q1049"),
        ("South Sudanese", "Q958"),
        ("Taiwanese", "Q865"),
        ("Nigerien", "Q1032"),
        ("Nigerian", "Q1033"),
    ],
)
def test_demonyms(surface: str, qid: str) -> None:
    entries = GAZ.lookup(surface)
    assert {e.wikidata for e in entries} == {qid}
    assert all(e.role == "demonym" for e in entries)


@pytest.mark.parametrize(
    ("surface", "qid"),
    [
        ("UAE", "Q878"),
        ("DRC", "Q974"),
        ("UK", "Q145"),
        ("Britain", "Q145"),
        ("ROK", "Q884"),
        ("DPRK", "Q423"),
        ("Russian Federation", "Q159"),
        ("Burma", "Q836"),
        ("Myanmar", "Q836"),
        ("Ivory Coast", "Q1008"),
        ("Czechia", "Q213"),
        ("Czech Republic", "Q213"),
        ("Vietnam", "Q881"),
        ("Viet Nam", "Q881"),
        ("Laos", "Q819"),
        ("Syria", "Q858"),
        ("the Netherlands", "Q55"),
        ("Holland", "Q55"),
        ("Republic of China", "Q865"),
        ("People's Republic of China", "Q148"),
        ("PRC", "Q148"),
        ("Islamic Republic of Iran", "Q794"),
    ],
)
def test_short_forms_and_acronyms(surface: str, qid: str) -> None:
    assert qids(surface) == {qid}


@pytest.mark.parametrize(
    ("surface", "qid"),
    [
        ("NATO", "Q7184"),
        ("North Atlantic Treaty Organization", "Q7184"),
        ("EU", "Q458"),
        ("UN", "Q1065"),
        ("U.N.", "Q1065"),
        ("AU", "Q7159"),
        ("ECOWAS", "Q193272"),
        ("Arab League", "Q7172"),
        ("League of Arab States", "Q7172"),
        ("GCC", "Q217172"),
        ("OSCE", "Q81299"),
        ("ASEAN", "Q7768"),
        ("OAS", "Q123759"),
        ("OIC", "Q47543"),
        ("OECD", "Q41550"),
        ("WTO", "Q7825"),
        ("IMF", "Q7804"),
        ("World Bank", "Q7164"),
        ("IAEA", "Q41984"),
        ("ICC", "Q47488"),
        ("ICJ", "Q7801"),
        ("Interpol", "Q8475"),
        ("Arab Maghreb Union", "Q370862"),
        ("UN Security Council", "Q37470"),
        ("Security Council", "Q37470"),
        ("UNSC", "Q37470"),
        ("UN General Assembly", "Q47423"),
        ("UNHCR", "Q28606331"),
    ],
)
def test_international_organisations(surface: str, qid: str) -> None:
    assert qids(surface) == {qid}


@pytest.mark.parametrize(
    ("surface", "state"),
    [
        ("Rabat", "Morocco"),
        ("Pyongyang", "North Korea"),
        ("Beijing", "China"),
        ("Washington", "United States"),
        ("Khartoum", "Sudan"),
        ("Kremlin", "Russia"),
        ("the Kremlin", "Russia"),
        ("the White House", "United States"),
        ("Downing Street", "United Kingdom"),
        ("Elysee", "France"),
        ("State Department", "United States"),
        ("Foggy Bottom", "United States"),
        ("Putin", "Russia"),
    ],
)
def test_capitals_metonyms_and_leaders_stand_for_their_state(surface: str, state: str) -> None:
    stands = {e.stands_for for e in GAZ.lookup(surface) if e.kind != "territory"}
    assert stands == {state}


def test_descriptors() -> None:
    assert qids("the North African kingdom") == {"Q1028"}
    assert qids("the Jewish state") == {"Q801"}
    assert qids("the Islamic Republic") == {"Q794"}
    assert GAZ.lookup("the Kingdom") == []  # too ambiguous to list


def test_ambiguous_short_names_list_every_reading() -> None:
    assert qids("Congo") == {"Q971", "Q974"}
    assert qids("Korea") == {"Q884", "Q423"}
    assert qids("Dominican") == {"Q784", "Q786"}
    assert {e.kind for e in GAZ.lookup("Georgia")} == {"country", "territory"}


def test_whole_name_lookup_keeps_guinea_apart() -> None:
    assert qids("Guinea") == {"Q1006"}
    assert qids("Equatorial Guinea") == {"Q983"}
    assert qids("Papua New Guinea") == {"Q691"}
    assert GAZ.lookup("New Guinea") == []


def test_unverified_persons_and_groups_have_no_qid() -> None:
    for name in ("G7", "G20", "BRICS", "AUKUS", "Quad", "Polisario Front", "NSO Group", "OFAC"):
        entries = GAZ.lookup(name)
        assert entries, name
        assert qids(name) == {None}, name


def test_entry_is_hashable_and_frozen() -> None:
    entry = GAZ.by_name("Morocco")
    assert isinstance(entry, GazetteerEntry)
    assert {entry: 1}[entry] == 1
    with pytest.raises(AttributeError):
        entry.name = "x"  # type: ignore[misc]


# --- source disagreements (linking notes §3) ------------------------------------------------


def test_western_sahara_territory_vs_sadr() -> None:
    ws = GAZ.by_name("Western Sahara")
    assert (ws.kind, ws.wikidata) == ("territory", "Q6250")
    assert qids("SADR") == qids("Sahrawi Arab Democratic Republic") == {"Q40362"}
    assert GAZ.by_qid("Q40362").kind == "country"


def test_palestine_state_vs_territories() -> None:
    assert GAZ.by_name("Palestine").wikidata == "Q219060"
    assert qids("State of Palestine") == {"Q219060"}
    assert qids("Palestinian territories") == {"Q407199"}
    assert GAZ.by_qid("Q407199").kind == "territory"


def test_netherlands_denmark_namibia_kosovo() -> None:
    assert qids("Netherlands") == {"Q55"}
    assert GAZ.by_qid("Q29999") is None
    assert qids("Denmark") == {"Q35"}
    assert qids("Namibia") == {"Q1030"}
    assert qids("Kosovo") == {"Q1246"}


def test_holy_see_is_not_vatican_city() -> None:
    assert qids("Vatican City") == {"Q237"}
    assert GAZ.lookup("Holy See") == []


# --- the build refuses inconsistent input ---------------------------------------------------


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(build.DATA_DIR, target, ignore=shutil.ignore_patterns("gazetteer.tsv"))
    return target


def _append(path: Path, line: str) -> None:
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(line + "\n")


def test_build_rejects_alias_to_unknown_target(data_copy: Path) -> None:
    _append(data_copy / "aliases.tsv", "Ruritania\tQ999999999\tshort\t")
    with pytest.raises(KeyError, match="Q999999999"):
        build.build_text(data_copy)


def test_build_rejects_a_second_qid_for_one_entity(data_copy: Path) -> None:
    _append(data_copy / "extras.tsv", "Q1\tMorocco\t\tcountry\t\t\tcurated\twrong on purpose")
    with pytest.raises(ValueError, match="two QIDs"):
        build.build_text(data_copy)


def test_build_rejects_dangling_stands_for(data_copy: Path) -> None:
    _append(data_copy / "extras.tsv", "\tPalace X\t\torganization\tRuritania\tmetonym\tcurated\t")
    with pytest.raises(ValueError, match="Ruritania"):
        build.build_text(data_copy)


def test_build_rejects_unknown_source(data_copy: Path) -> None:
    _append(data_copy / "extras.tsv", "\tSomething\t\torganization\t\t\tmy-memory\t")
    with pytest.raises(ValueError, match="unknown source"):
        build.build_text(data_copy)


def test_build_follows_decision_table(data_copy: Path) -> None:
    """Without the NL decision, country-codes' Kingdom of the Netherlands item comes back."""
    for name, prefix in (("decisions.tsv", "NL\t"), ("aliases.tsv", "Holland\t")):
        path = data_copy / name
        lines = path.read_text(encoding="utf-8").splitlines()
        path.write_text(
            "\n".join(line for line in lines if not line.startswith(prefix)) + "\n",
            encoding="utf-8",
        )
    gaz = Gazetteer._from_lines(build.build_text(data_copy).splitlines(keepends=True))
    assert {e.wikidata for e in gaz.lookup("Netherlands")} == {"Q29999"}


def test_a_canonical_name_beats_another_entitys_alias() -> None:
    # supraverden lists OPEC's full name as an "other name" of the OPEC Fund
    opec = GAZ.lookup("Organization of the Petroleum Exporting Countries")
    assert [e.name for e in opec] == ["Organization of the Petroleum Exporting Countries"]


def test_plural_demonyms() -> None:
    assert qids("Israelis") == {"Q801"}
    assert qids("Americans") == {"Q30"}
    assert qids("Germans") == {"Q183"}
    assert GAZ.lookup("Chineses") == []
    assert build.plural("Sudanese") is None and build.plural("British") is None
    assert build.plural("Lao") is None  # "Laos" is the country


def test_brussels_is_a_city_that_stands_for_nobody() -> None:
    (brussels,) = GAZ.lookup("Brussels")
    assert (brussels.kind, brussels.stands_for) == ("city", None)


# --- office-holders (persons.tsv) ----------------------------------------------------------


def test_every_office_holder_acts_for_the_party_of_its_row() -> None:
    rows = build.read_tsv(build.DATA_DIR / "persons.tsv")
    assert len(rows) > 300
    for row in rows:
        entries = [e for e in GAZ.lookup(row["name"]) if e.kind == "person"]
        assert [(e.name, e.stands_for, e.wikidata) for e in entries] == [
            (row["name"], row["stands_for"], None)
        ], row["name"]


@pytest.mark.parametrize(
    ("surface", "name"),
    [
        ("Recep Tayyip Erdogan", "Recep Tayyip Erdoğan"),  # accent-free form added by the build
        ("Andres Manuel Lopez Obrador", "Andrés Manuel López Obrador"),
        ("Binali Yildirim", "Binali Yıldırım"),  # dotless i
        ("Lloyd J. Austin III", "Lloyd Austin"),
        ("Muammar Qadhafi", "Muammar Gaddafi"),
    ],
)
def test_office_holder_name_variants(surface: str, name: str) -> None:
    assert [e.name for e in GAZ.lookup(surface) if e.kind == "person"] == [name]


def test_a_family_name_alone_is_never_looked_up() -> None:
    """ "Harper" is a family row for the extractor's titles, not a name of the person."""
    assert GAZ.lookup("Harper") == []
    assert GAZ.lookup("Lee") == []
    rows = [line.split("\t") for line in build.OUTPUT.read_text(encoding="utf-8").splitlines()]
    assert ["Harper", "Stephen Harper", "person", "", "Canada", "family"] in [r[:6] for r in rows]


def test_build_rejects_an_office_holder_listed_twice(data_copy: Path) -> None:
    _append(data_copy / "persons.tsv", "Stephen Harper\t\t\tCanada\tprime minister")
    with pytest.raises(ValueError, match="Stephen Harper is already a person"):
        build.build_text(data_copy)


def test_build_rejects_an_office_holder_acting_for_nobody_known(data_copy: Path) -> None:
    _append(data_copy / "persons.tsv", "Rudolf Rassendyll\t\t\tRuritania\tking")
    with pytest.raises(ValueError, match="Ruritania"):
        build.build_text(data_copy)


def test_a_refresh_gives_a_curated_office_holder_its_qid() -> None:
    """Wikidata's current head of government who is already curated for the same state gets
    the QID; someone of the same name acting for another state is skipped, not merged."""
    registry = build.build_registry()
    harper = registry.add_person("Stephen Harper", "Q206", "Canada")
    assert harper is not None and harper.wikidata == "Q206" and harper.stands_for == "Canada"
    assert registry.add_person("Naoto Kan", "Q999", "Canada") is None
    assert any("Naoto Kan (Q999) skipped" in note for note in registry.notes)


def test_every_family_name_is_part_of_a_name_of_its_person() -> None:
    """A typo in the family column would make a title link the wrong words."""
    for row in build.read_tsv(build.DATA_DIR / "persons.tsv"):
        if row["family"] == "-":
            continue
        names = [row["name"], *filter(None, row["aliases"].split("|"))]
        padded = [f" {fold(clean(name))} " for name in names]
        for family in (row["family"] or build._family_name(row["name"])).split("|"):
            assert any(f" {fold(family)} " in name for name in padded), (row["name"], family)


# --- cities other than capitals (cities.tsv) -----------------------------------------------


def test_every_city_lies_in_its_state_and_stands_for_nobody() -> None:
    rows = build.read_tsv(build.DATA_DIR / "cities.tsv")
    assert len(rows) > 250
    for row in rows:
        for name in (row["name"], *(a for a in row["aliases"].split("|") if a)):
            entries = [e for e in GAZ.lookup(name) if e.kind == "city"]
            assert [(e.name, e.stands_for, e.located_in, e.wikidata) for e in entries] == [
                (row["name"], None, row["country"], None)
            ], name


def test_a_capital_lies_in_the_state_it_stands_for_and_a_seat_of_organisations_too() -> None:
    (ankara,) = GAZ.lookup("Ankara")
    assert (ankara.stands_for, ankara.located_in) == ("Turkey", "Turkey")
    (brussels,) = GAZ.lookup("Brussels")
    assert (brussels.stands_for, brussels.located_in) == (None, "Belgium")


def test_build_rejects_a_city_in_no_known_state(data_copy: Path) -> None:
    _append(data_copy / "cities.tsv", "Zenda\t\tRuritania")
    with pytest.raises(ValueError, match="Zenda lies in 'Ruritania'"):
        build.build_text(data_copy)


@pytest.mark.parametrize("name", ["Rabat", "Harper", "Istanbul"])
def test_build_rejects_a_city_name_another_entry_has(data_copy: Path, name: str) -> None:
    """A capital, an office-holder's family name, a city already listed."""
    _append(data_copy / "cities.tsv", f"{name}\t\tCanada")
    with pytest.raises(ValueError, match=f"{name} already names another entry"):
        build.build_text(data_copy)


@pytest.mark.parametrize(
    "surface",
    ["Abkhazia", "South Ossetia", "Transnistria", "TRNC", "Somaliland", "Artsakh"],
)
def test_de_facto_states_are_territories_acting_for_themselves_without_qid(surface: str) -> None:
    (entry,) = GAZ.lookup(surface)
    assert (entry.kind, entry.wikidata, entry.stands_for) == ("territory", None, None)


def test_the_libyan_transitional_council_is_recognised_in_its_own_name() -> None:
    """States recognised the TNC as Libya's government in 2011; "recognise the TNC" is not
    a recognition of Libya, which they recognised long before."""
    (tnc,) = GAZ.lookup("TNC")
    assert (tnc.name, tnc.kind, tnc.stands_for) == (
        "Transitional National Council",
        "organization",
        None,
    )
