"""The shipped example queries and the entity pages, timed at each store size.

Issue 6 asks that no example or internal query grow quadratically with the data. The
examples (server/queries/*.rq) run on pyoxigraph in process, results serialised as SPARQL
JSON; the pages (a state, one of its events, that event's article) are rendered by the
real app through Flask's test client, which runs every internal page query
(server/page_queries.py). The growth table then gives each one's exponent.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from bench.stats import median
from bench.synthetic import World
from diplograph.ingest.to_rdf import entity_iri
from diplograph.ontology.namespaces import BASE, DG
from diplograph.server.examples import load_examples
from diplograph.store import VersionedStore

REPEATS = 5
MAX_SECONDS_EACH = 10.0

#: The engine's own growth, for comparison: one scan-join over every event (status, type,
#: actor) deduplicated, as any query over all events must do; nothing of ours in it.
ENGINE_SCAN = "scan-join of all events"
_ENGINE_SCAN_QUERY = f"""SELECT (COUNT(*) AS ?n) WHERE {{
  SELECT DISTINCT ?event ?status ?type ?actor WHERE {{
    ?event <{DG}status> ?status ; a ?type ; <{DG}actor> ?actor .
  }}
}}"""


def _median_ms(action: Callable[[], object], repeats: int) -> dict[str, float]:
    action()  # warm
    times: list[float] = []
    budget = time.monotonic() + MAX_SECONDS_EACH
    for _ in range(repeats):
        began = time.perf_counter()
        action()
        times.append(time.perf_counter() - began)
        if time.monotonic() > budget:
            break
    return {"n": len(times), "median_ms": round(median(times) * 1000, 3)}


def _page_paths(store: ox.Store, world: World) -> dict[str, str]:
    """Site paths of the busiest state, one event it acted in, and that event's article."""
    state = str(entity_iri(world.states[0]))
    found = store.query(
        f"""SELECT ?event ?article WHERE {{
  ?event <{DG}actor> <{state}> ; <http://www.w3.org/ns/prov#wasDerivedFrom> ?article .
}} ORDER BY ?event LIMIT 1""",
        use_default_graph_as_union=True,
    )
    paths = {"state page": state}
    for row in found:
        paths["event page"] = row["event"].value
        paths["article page"] = row["article"].value
    return {name: "/" + iri.removeprefix(BASE) for name, iri in paths.items()}


def measure(store_path: Path, world: World, repeats: int = REPEATS) -> dict[str, Any]:
    """Median milliseconds per example query and per page."""
    snapshot = VersionedStore.open(store_path, create=False).reader()
    store = snapshot.store
    out: dict[str, Any] = {"examples": {}, "pages": {}, "engine": {}}
    for example in load_examples():

        def run(text: str = example.query) -> bytes:
            result = store.query(text, use_default_graph_as_union=True)
            return result.serialize(format=ox.QueryResultsFormat.JSON)

        out["examples"][example.name] = _median_ms(run, repeats)
    out["engine"][ENGINE_SCAN] = _median_ms(
        lambda: list(store.query(_ENGINE_SCAN_QUERY, use_default_graph_as_union=True)), repeats
    )
    paths = _page_paths(store, world)
    # every repeat rendered anew: with the answer cache, repeats 2-5 would be cache hits
    out["pages"] = _pages(store_path, paths, repeats, RESULT_CACHE_SIZE=0)
    # ... and the busiest page once more as the default server answers a repeat of it
    cached = _pages(store_path, {"state page": paths["state page"]}, repeats)
    out["pages"]["state page, repeated (answer cache)"] = cached["state page"]
    return out


def _pages(store_path: Path, paths: dict[str, str], repeats: int, **config: Any) -> dict[str, Any]:
    """Median milliseconds of each page, rendered by the real app (test client)."""
    from diplograph.server import create_app

    app = create_app({"STORE_PATH": str(store_path), "ACCESS_LOG": False, **config})
    out: dict[str, Any] = {}
    try:
        client = app.test_client()
        for name, path in paths.items():

            def get(target: str = path) -> None:
                response = client.get(target, headers={"Accept": "text/html"})
                if response.status_code != 200:
                    raise RuntimeError(f"{target} answered {response.status_code}")

            out[name] = {"path": path, **_median_ms(get, repeats)}
    finally:
        app.extensions["diplograph"].close()
    return out
