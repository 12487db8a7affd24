"""The pipeline end to end through the real CLI: ingest → store → query / export / dump."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from diplograph.ontology.namespaces import ONTOLOGY_GRAPH
from diplograph.store import VersionedStore
from tests.conftest import DATA

FACTS = DATA / "israel-morocco.jsonl"
DG = "https://w3id.org/diplograph/ontology#"
INFERRED = "https://w3id.org/diplograph/graph/inferred"
WD = "http://www.wikidata.org/entity/"


def sparql_json(invoke: Callable[..., Result], store: Path, query: str) -> list[dict]:
    result = invoke("query", query, "--store", store, "--format", "json")
    return json.loads(result.stdout)["results"]["bindings"]


def published_files(store: Path) -> dict[str, bytes]:
    """Every published byte of a store (what readers can see), for unchanged-store checks."""
    current = (store / "CURRENT").read_text().strip()
    files = {"CURRENT": (store / "CURRENT").read_bytes()}
    for path in sorted((store / "versions" / current).rglob("*")):
        if path.is_file() and path.name not in {"LOCK", "LOG"}:
            files[str(path.relative_to(store))] = path.read_bytes()
    return files


def normalised(lines: list[str]) -> list[str]:
    return sorted(json.dumps(json.loads(line), sort_keys=True) for line in lines if line.strip())


def test_ingest_then_export_gives_the_same_facts(invoke, store_path: Path) -> None:
    invoke("ingest", FACTS, "--store", store_path, "--quiet")
    exported = invoke("export", "facts", "--store", store_path).stdout.splitlines()
    assert normalised(exported) == normalised(FACTS.read_text().splitlines())


def test_query_finds_the_visit_with_participant_evidence_and_source(invoke, store_path) -> None:
    invoke("ingest", FACTS, "--store", store_path, "--quiet")
    rows = sparql_json(
        invoke,
        store_path,
        f"""
        PREFIX dg: <{DG}>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX schema: <https://schema.org/>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?date ?person ?evidence ?url WHERE {{
          ?visit a dg:OfficialVisit ;
                 dg:actor/dg:wikidata <{WD}Q801> ;
                 dg:target/dg:wikidata <{WD}Q1028> ;
                 dg:date ?date ; dg:evidence ?evidence ;
                 dg:participant/rdfs:label ?person ;
                 prov:wasDerivedFrom ?article .
          ?article schema:url ?url .
        }}""",
    )
    assert len(rows) == 1
    row = rows[0]
    assert row["date"]["value"] == "2021-11-23"
    assert row["date"]["datatype"] == "http://www.w3.org/2001/XMLSchema#date"
    assert row["person"]["value"] == "Benny Gantz"
    assert "flew to Rabat" in row["evidence"]["value"]
    assert row["url"]["value"] == "https://example.org/news/israel-morocco-defence-visit"


def test_reasoning_puts_state_relations_in_the_inferred_graph_only(invoke, store_path) -> None:
    invoke("ingest", FACTS, "--store", store_path, "--quiet")

    def where(s: str, p: str, o: str) -> set[str]:
        rows = sparql_json(
            invoke,
            store_path,
            f"""PREFIX dg: <{DG}>
            SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s dg:{p} ?o }}
              ?s dg:wikidata <{WD}{s}> . ?o dg:wikidata <{WD}{o}> . }}""",
        )
        return {r["g"]["value"] for r in rows}

    assert where("Q801", "hasVisited", "Q1028") == {INFERRED}
    assert where("Q1028", "visitedBy", "Q801") == {INFERRED}
    assert where("Q1028", "hasDiplomaticTiesWith", "Q801") == {INFERRED}
    assert where("Q801", "hasDiplomaticTiesWith", "Q1028") == {INFERRED}, "symmetric"
    assert where("Q262", "accused", "Q1028") == {INFERRED}
    # planned, attributed or negated facts entail no relation
    assert where("Q801", "metWith", "Q1028") == set()
    assert where("Q30", "sanctioned", "Q1028") == set()


def test_ingesting_the_same_input_twice_changes_nothing(invoke, store_path) -> None:
    invoke("ingest", FACTS, "--store", store_path, "--quiet")
    before = published_files(store_path)
    versions = sorted(p.name for p in (store_path / "versions").iterdir())
    current = VersionedStore.open(store_path).current_version()
    again = invoke("ingest", FACTS, "--store", store_path)
    # no new version: same CURRENT, same bytes (so ETags and dumps stay valid)
    assert published_files(store_path) == before
    assert sorted(p.name for p in (store_path / "versions").iterdir()) == versions
    said = again.stdout + again.stderr
    assert "already stored" in said and f"stays at {current}" in said


def _runs_of(store_path: Path, article_id: str) -> set[str]:
    import pyoxigraph as ox

    from diplograph.ontology.namespaces import article_graph

    store = VersionedStore.open(store_path).reader().store
    generated = ox.NamedNode("http://www.w3.org/ns/prov#wasGeneratedBy")
    graph = ox.NamedNode(article_graph(article_id))
    return {q.object.value for q in store.quads_for_pattern(None, generated, None, graph)}


def test_a_batch_rewrites_only_the_articles_that_changed(invoke, store_path, tmp_path) -> None:
    other = tmp_path / "other.jsonl"
    other.write_text(FACTS.read_text().replace("dg-test-im", "dg-test-im-2"))
    invoke("ingest", FACTS, other, "--store", store_path, "--quiet")
    first_runs = _runs_of(store_path, "dg-test-im")
    assert len(first_runs) == 1 and _runs_of(store_path, "dg-test-im-2") == first_runs
    lines = [line for line in other.read_text().splitlines() if '"official_visit"' not in line]
    other.write_text("\n".join(lines) + "\n")
    invoke("ingest", FACTS, other, "--store", store_path, "--quiet")
    assert VersionedStore.open(store_path).current_version() == "v000002"
    # the unchanged article keeps the run that produced its facts; the changed one is new
    assert _runs_of(store_path, "dg-test-im") == first_runs
    changed = _runs_of(store_path, "dg-test-im-2")
    assert changed and changed.isdisjoint(first_runs)


def test_reingesting_a_changed_article_retracts_what_only_it_supported(
    invoke, store_path, tmp_path
) -> None:
    invoke("ingest", FACTS, "--store", store_path, "--quiet")
    lines = [line for line in FACTS.read_text().splitlines() if '"official_visit"' not in line]
    changed = tmp_path / "changed.jsonl"
    changed.write_text("\n".join(lines) + "\n")
    invoke("ingest", changed, "--store", store_path, "--quiet")
    ask = f"""PREFIX dg: <{DG}> ASK {{ GRAPH <{INFERRED}> {{ ?s dg:hasVisited ?o }}
        ?s dg:wikidata <{WD}Q801> . }}"""
    assert invoke("query", ask, "--store", store_path).stdout.strip() == "false"
    ties = (
        f"""PREFIX dg: <{DG}> ASK {{ GRAPH <{INFERRED}> {{ ?s dg:hasDiplomaticTiesWith ?o }} }}"""
    )
    assert invoke("query", ties, "--store", store_path).stdout.strip() == "true"


@pytest.mark.parametrize(
    ("replace", "by", "message"),
    [
        ('"type": "meeting"', '"type": "summit"', "fact.type must be one of"),
        ('"date": "2021-11-24"', '"date": "2021-13-24"', "fact.date must be"),
        ('"evidence": "Gantz is scheduled', '"evidenc": "Gantz is scheduled', "unknown field"),
    ],
)
def test_an_invalid_fact_rejects_the_batch_and_names_line_and_rule(
    invoke, store_path, tmp_path, replace, by, message
) -> None:
    invoke("ingest", FACTS, "--store", store_path, "--quiet")
    before = published_files(store_path)
    text = FACTS.read_text()
    assert replace in text
    bad = tmp_path / "bad.jsonl"
    bad.write_text(text.replace(replace, by))
    result = invoke("ingest", bad, "--store", store_path, expect=1)
    line = next(i for i, li in enumerate(text.splitlines(), 1) if replace in li)
    assert f"bad.jsonl:{line}:" in result.stderr
    assert message in result.stderr
    assert published_files(store_path) == before


def test_a_fact_violating_a_shape_is_rejected_with_the_shape_named(
    invoke, store_path, tmp_path
) -> None:
    invoke("ingest", FACTS, "--store", store_path, "--quiet")
    before = published_files(store_path)
    facts = [json.loads(line) for line in FACTS.read_text().splitlines()]
    visit = next(f for f in facts if f.get("type") == "official_visit")
    visit["actor"] = None  # a visit needs the visiting state
    bad = tmp_path / "no-actor.jsonl"
    bad.write_text("".join(json.dumps(f) + "\n" for f in facts))
    result = invoke("ingest", bad, "--store", store_path, expect=1)
    assert "dg-test-im" in result.stderr
    assert "actor" in result.stderr.lower()
    assert "Shape" in result.stderr or "shape" in result.stderr
    assert published_files(store_path) == before


def test_text_articles_are_extracted_and_stored(invoke, store_path, tmp_path) -> None:
    article = tmp_path / "talks.txt"
    article.write_text(
        "---\nurl: https://example.org/talks\noutlet: Example News\npublished: 2024-03-06\n---\n"
        "French President Emmanuel Macron met German Chancellor Olaf Scholz in Berlin on"
        " Tuesday to discuss support for Ukraine.\n",
        encoding="utf-8",
    )
    invoke("ingest", article, "--store", store_path, "--quiet")
    rows = sparql_json(
        invoke,
        store_path,
        f"""PREFIX dg: <{DG}> PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?type ?evidence WHERE {{ ?e a dg:Event, ?type ; dg:evidence ?evidence ;
          prov:wasDerivedFrom <https://w3id.org/diplograph/id/article/talks> .
          FILTER(?type != dg:Event) }}""",
    )
    assert f"{DG}Meeting" in {r["type"]["value"] for r in rows}
    exported = invoke("export", "facts", "--store", store_path).stdout.splitlines()
    article_record = json.loads(exported[0])
    assert article_record == {
        "record": "article",
        "id": "talks",
        "url": "https://example.org/talks",
        "outlet": "Example News",
        "published": "2024-03-06",
    }


def test_load_query_and_dump(invoke, store_path, tmp_path) -> None:
    data = tmp_path / "data.nq"
    data.write_text('<http://example.org/s> <http://example.org/p> "o" <http://example.org/g> .\n')
    invoke("load", data, "--store", store_path, "--quiet")
    table = invoke("query", "SELECT ?o WHERE { ?s ?p ?o }", "--store", store_path).stdout
    assert "1 row(s)" in table
    nquads = invoke("dump", "--store", store_path).stdout
    assert nquads.strip() == data.read_text().strip()
    out = tmp_path / "out.ttl"
    invoke("dump", "--store", store_path, "--format", "ttl", "--out", out)
    assert "<http://example.org/s>" in out.read_text()


def test_load_reads_a_gzipped_file_and_rejects_a_broken_one(invoke, store_path, tmp_path) -> None:
    import gzip

    packed = tmp_path / "data.ttl.gz"
    packed.write_bytes(gzip.compress(b'<http://example.org/s> <http://example.org/p> "o" .\n'))
    invoke("load", packed, "--store", store_path, "--quiet")
    table = invoke("query", "SELECT ?o WHERE { ?s ?p ?o }", "--store", store_path).stdout
    assert "1 row(s)" in table
    cut = tmp_path / "cut.nq.gz"
    cut.write_bytes(packed.read_bytes()[:20])
    result = invoke("load", cut, "--store", store_path, expect=1)
    assert "cut.nq.gz: not a complete gzip file" in result.stderr
    assert "Traceback" not in result.stderr


def test_load_rejects_a_syntax_error_with_its_position(invoke, store_path, tmp_path) -> None:
    invoke("load", DATA / "israel-morocco.jsonl", "--store", store_path, expect=1)
    bad = tmp_path / "bad.ttl"
    bad.write_text("<http://example.org/s> <http://example.org/p> .\n")
    result = invoke("load", bad, "--store", store_path, expect=1)
    assert "bad.ttl" in result.stderr
    assert "line" in result.stderr.lower() or "1:" in result.stderr


def test_commands_on_a_missing_store_exit_3(invoke, tmp_path) -> None:
    result = invoke("query", "ASK {}", "--store", tmp_path / "none", expect=3)
    assert "no Diplograph store" in result.stderr


def test_query_from_clauses_name_the_dataset(invoke, store_path) -> None:
    """The union default graph applies only when the query names no dataset of its own."""
    invoke("ingest", FACTS, "--store", store_path, "--quiet")
    count = "SELECT (COUNT(*) AS ?n) {} WHERE {{ ?s a <{}Accusation> }}"
    everything = sparql_json(invoke, store_path, count.format("", DG))
    from_ontology = sparql_json(invoke, store_path, count.format(f"FROM <{ONTOLOGY_GRAPH}>", DG))
    assert int(everything[0]["n"]["value"]) > 0
    assert from_ontology[0]["n"]["value"] == "0"


def test_query_syntax_error_is_rejected(invoke, store_path) -> None:
    invoke("load", DATA / "israel-morocco.jsonl", "--store", store_path, "--format", "nq", expect=1)
    VersionedStore.open(store_path)
    result = invoke("query", "SELECT WHERE {", "--store", store_path, expect=1)
    assert "syntax error" in result.stderr.lower()


def test_a_facts_file_that_is_not_utf8_is_rejected_at_its_line(invoke, store_path, tmp_path):
    bad = tmp_path / "latin1.jsonl"
    bad.write_bytes(FACTS.read_bytes().replace(b"Rabat", "Rabât".encode("latin-1"), 1))
    line = next(i for i, li in enumerate(FACTS.read_text().splitlines(), 1) if "Rabat" in li)
    result = invoke("ingest", bad, "--store", store_path, expect=1)
    assert f"latin1.jsonl:{line}: not valid UTF-8" in result.stderr


def test_line_separators_inside_json_strings_are_text(invoke, store_path, tmp_path) -> None:
    facts = [json.loads(line) for line in FACTS.read_text().splitlines()]
    facts[1]["evidence"] += "\u2028(continued)"
    data = tmp_path / "separators.jsonl"
    data.write_text("".join(json.dumps(f, ensure_ascii=False) + "\n" for f in facts))
    invoke("ingest", data, "--store", store_path, "--quiet")
    exported = invoke("export", "facts", "--store", store_path).stdout.split("\n")
    assert normalised(exported) == normalised(data.read_text().split("\n"))


def test_validate_reads_facts_in_any_case_and_gzipped_rdf(invoke, store_path, tmp_path) -> None:
    import gzip

    upper = tmp_path / "FACTS.JSONL"
    upper.write_bytes(FACTS.read_bytes())
    assert "Conforms" in invoke("validate", upper).stdout
    invoke("ingest", FACTS, "--store", store_path, "--quiet")
    article = "https://w3id.org/diplograph/graph/article/dg-test-im"
    turtle = invoke("dump", "--store", store_path, "--graph", article, "--format", "ttl").stdout
    packed = tmp_path / "article.ttl.gz"
    packed.write_bytes(gzip.compress(turtle.encode()))
    assert "Conforms" in invoke("validate", packed).stdout
    broken = tmp_path / "broken.ttl.gz"
    broken.write_bytes(packed.read_bytes()[:30])
    assert "not a complete gzip file" in invoke("validate", broken, expect=2).stderr


def test_validate_lists_every_bad_facts_file(invoke, tmp_path) -> None:
    first, second = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    first.write_text('{"bad\n')
    second.write_text('{"worse\n')
    result = invoke("validate", first, second, expect=2)
    lines = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(lines) == 2 and "one.jsonl" in lines[0] and "two.jsonl" in lines[1]
