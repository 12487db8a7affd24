"""The query UI page and the example queries: every example runs, nothing is off-origin."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit

import pyoxigraph as ox
import pytest

from diplograph.ingest.pipeline import ensure_sample_store
from diplograph.server.examples import load_examples, parse_example
from tests import server_fixtures

sample_store = server_fixtures.sample_store
app = server_fixtures.app
client = server_fixtures.client

VENDOR = Path(__file__).resolve().parents[1] / "server" / "static" / "vendor" / "yasgui"


class _Refs(HTMLParser):
    """Collect every URL the browser would fetch from an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.fetched: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in ("script", "img", "iframe", "audio", "video", "source", "embed") and a.get("src"):
            self.fetched.append(a["src"] or "")
        if tag == "link" and a.get("href"):
            self.fetched.append(a["href"] or "")
        if tag == "object" and a.get("data"):
            self.fetched.append(a["data"] or "")
        for name, value in attrs:
            if name == "style" and value and "url(" in value:
                self.fetched.extend(re.findall(r"url\(([^)]*)\)", value))


def _off_origin(urls: list[str], base: str) -> list[str]:
    origin = urlsplit(base).netloc
    return [u for u in urls if urlsplit(urljoin(base, u.strip("'\" "))).netloc != origin]


def test_ui_page_and_its_css_and_js_reference_nothing_off_origin(client):
    resp = client.get("/", headers={"Accept": "text/html"})
    assert resp.status_code == 200
    parser = _Refs()
    parser.feed(resp.data.decode())
    assert any("yasgui.min.js" in u for u in parser.fetched)
    assert _off_origin(parser.fetched, "http://localhost/") == []
    for url in parser.fetched:
        asset = client.get(url)
        assert asset.status_code == 200, url
        text = asset.data.decode("utf-8", errors="replace")
        if url.endswith(".css"):
            imports = re.findall(r"url\(([^)]*)\)", text) + re.findall(r"@import\s+([^;]+)", text)
            assert (
                _off_origin(
                    [u for u in imports if not u.strip("'\" ").startswith("data:")],
                    "http://localhost" + url,
                )
                == []
            )
        if url.endswith("ui.js"):
            assert not re.search(r"https?://", text)
        asset.close()


def test_vendored_yasgui_has_licence_and_version():
    assert "MIT" in (VENDOR / "LICENSE").read_text(encoding="utf-8")
    version = (VENDOR / "VERSION").read_text(encoding="utf-8")
    package = json.loads((VENDOR / "package.json").read_text(encoding="utf-8"))
    assert package["name"] == "@zazuko/yasgui" and package["version"] in version
    assert package["license"] == "MIT"


def test_ui_disables_remote_autocompletion():
    """LOV (classes/properties) is the only autocompleter that calls a remote service."""
    bundle = (VENDOR / "yasgui.min.js").read_text(encoding="utf-8")
    assert "lov.linkeddata.es" in bundle  # so the switch below matters
    ui = (VENDOR.parents[1] / "ui.js").read_text(encoding="utf-8")
    assert 'name !== "property" && name !== "class"' in ui
    assert "prefixCcApi = null" in ui


def test_ui_config_cannot_break_out_of_its_script_block(client):
    html = client.get("/").data.decode()
    block = html.split('<script type="application/json" id="ui-config">', 1)[1]
    config_text = block.split("</script>", 1)[0]
    config = json.loads(config_text)
    assert config["endpoint"] == "http://localhost/sparql"
    assert len(config["examples"]) == len(load_examples())


def test_every_example_has_a_title_and_description():
    examples = load_examples()
    assert len(examples) >= 6
    names = {e.name for e in examples}
    assert {
        "01-us-vietnam-timeline",
        "02-severed-ties",
        "03-most-accused-countries",
        "04-allegations-only",
    } <= names
    for e in examples:
        assert e.title and e.description and "SELECT" in e.query


def test_example_header_is_required():
    with pytest.raises(ValueError, match="title"):
        parse_example("x", "# description: d\nSELECT * {}")


def _run(client, query: str) -> list[dict]:  # type: ignore[no-untyped-def]
    resp = client.get("/sparql?query=" + quote(query))
    assert resp.status_code == 200, resp.data
    return json.loads(resp.data)["results"]["bindings"]


EXPECTED = {
    # name -> (minimum rows, a value that must appear in the results) on the test sample;
    # 01's pair is not in it (see test_examples_find_facts_in_the_bundled_samples)
    "01-us-vietnam-timeline": (0, None),
    "02-severed-ties": (1, "Bolivia"),
    "03-most-accused-countries": (2, "Iran"),
    "04-allegations-only": (1, "Ukraine says Iran has supplied Russia with attack drones"),
    "05-state-relations": (2, "has diplomatic ties with"),
    "06-events-by-type-and-year": (5, "relations severed"),
    "07-entities-with-wikidata": (6, "http://www.wikidata.org/entity/Q750"),
    "08-who-acted-for-whom": (1, "Yair Lapid"),
    "09-where-events-took-place": (1, "Rabat"),
}


@pytest.mark.parametrize("example", load_examples(), ids=lambda e: e.name)
def test_every_example_runs_and_finds_the_sample_facts(client, example):
    rows = _run(client, example.query)
    minimum, needle = EXPECTED[example.name]
    assert len(rows) >= minimum
    values = {v["value"] for row in rows for v in row.values()}
    assert needle is None or needle in values


@pytest.fixture(scope="module")
def bundled_samples(tmp_path_factory: pytest.TempPathFactory) -> ox.Store:
    """What `diplograph serve` shows a new user: the bundled articles, really extracted."""
    store = ensure_sample_store(tmp_path_factory.mktemp("bundled") / "store")
    return store.reader().store


# The samples are U.S. government texts: no allegation is left unconfirmed in them.
EMPTY_ON_THE_SAMPLES = {"04-allegations-only"}


@pytest.mark.parametrize("example", load_examples(), ids=lambda e: e.name)
def test_examples_find_facts_in_the_bundled_samples(bundled_samples, example):
    """A new user's first click on an example must not give an empty table."""
    rows = list(bundled_samples.query(example.query, use_default_graph_as_union=True))
    assert bool(rows) != (example.name in EMPTY_ON_THE_SAMPLES), example.name
    if example.name == "01-us-vietnam-timeline":
        pairs = {frozenset((r["actorName"].value, r["targetName"].value)) for r in rows}
        assert pairs == {frozenset(("United States", "Vietnam"))}
        dated = [r["date"] is not None for r in rows]
        assert not all(dated) and dated == sorted(dated, reverse=True), "undated facts last"
        days = [r["date"].value for r in rows if r["date"] is not None]
        assert days == sorted(days), "oldest first"


def test_examples_give_the_right_answers(client):
    by_name = {e.name: e for e in load_examples()}
    severed = _run(client, by_name["02-severed-ties"].query)
    assert [(r["actorName"]["value"], r["targetName"]["value"]) for r in severed] == [
        ("Bolivia", "Israel")
    ]
    accused = _run(client, by_name["03-most-accused-countries"].query)
    assert [(r["name"]["value"], r["accusations"]["value"]) for r in accused] == [
        ("Iran", "1"),
        ("Israel", "1"),
    ]
    alleged = _run(client, by_name["04-allegations-only"].query)
    assert [r["claimedBy"]["value"] for r in alleged] == ["Ukraine"]
    # Israel–Morocco instead of the example's pair: the agreement (December 2020), then the
    # planned visit (August 2021), oldest first
    query = by_name["01-us-vietnam-timeline"].query.replace("Q30", "Q801").replace("Q881", "Q1028")
    timeline = _run(client, query)
    assert [r["type"]["value"] for r in timeline] == ["relations established", "official visit"]


def test_an_entity_with_two_names_gives_one_row_per_fact(tmp_path: Path) -> None:
    """An entity node carries every name the articles gave it (ingest/to_rdf.py): the
    examples pick one name, so a second label adds no row."""
    israel = ox.NamedNode("https://w3id.org/diplograph/id/entity/Q801")
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    other = ox.NamedNode("https://w3id.org/diplograph/graph/article/t-extra")
    plain = server_fixtures.build_store(tmp_path / "one").reader().store
    named_twice = (
        server_fixtures.build_store(
            tmp_path / "two", [ox.Quad(israel, label, ox.Literal("Israël"), other)]
        )
        .reader()
        .store
    )
    for example in load_examples():
        once = list(plain.query(example.query, use_default_graph_as_union=True))
        twice = list(named_twice.query(example.query, use_default_graph_as_union=True))
        assert len(twice) == len(once), example.name
