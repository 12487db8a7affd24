"""Acceptance checks on the shared materials (seed gold facts, devset): run where ../shared exists.

The seed article is copyrighted, so its gold facts stay outside the repository; CI has them.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.test_end_to_end import normalised, sparql_json

DG = "https://w3id.org/diplograph/ontology#"
WD = "http://www.wikidata.org/entity/"


def test_seed_gold_round_trips_through_the_store(invoke, store_path: Path, shared_dir) -> None:
    seed = shared_dir / "devset" / "seed-gold.jsonl"
    invoke("ingest", seed, "--store", store_path, "--quiet")
    exported = invoke("export", "facts", "--store", store_path, "--no-articles").stdout
    assert normalised(exported.splitlines()) == normalised(seed.read_text().splitlines())


def test_seed_visit_is_queryable(invoke, store_path: Path, shared_dir) -> None:
    invoke("ingest", shared_dir / "devset" / "seed-gold.jsonl", "--store", store_path, "--quiet")
    rows = sparql_json(
        invoke,
        store_path,
        f"""PREFIX dg: <{DG}> PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?date ?evidence ?article ?id WHERE {{
          ?e a dg:OfficialVisit ; dg:actor/dg:wikidata <{WD}Q801> ;
             dg:target/dg:wikidata <{WD}Q1028> ; dg:date ?date ; dg:evidence ?evidence ;
             dg:participant/rdfs:label "Benny Gantz" ; prov:wasDerivedFrom ?article .
          ?article dcterms:identifier ?id .
        }}""",
    )
    assert [(r["date"]["value"], r["id"]["value"]) for r in rows] == [("2021-11-23", "seed-000")]
    assert "Gantz" in rows[0]["evidence"]["value"]


def test_devset_texts_ingest_in_one_batch(invoke, store_path: Path, shared_dir) -> None:
    texts = shared_dir / "devset" / "texts"
    invoke("ingest", texts, "--store", store_path, "--quiet", "--no-dumps")
    info = json.loads(invoke("info", "--store", store_path, "--json").stdout)
    articles = [g for g in info["graphs"] if "/graph/article/" in g]
    assert len(articles) == len(list(texts.glob("*.txt")))
