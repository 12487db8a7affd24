"""The cost of adding one article to a store of a given size, stage by stage.

Runs the real pipeline (``diplograph.ingest.pipeline.ingest``) with one new synthetic
article per batch, on the benchmark store after its query measurements: SHACL and
reasoning see only the new article, the store stage copies the current version
(checkpoint), applies the article and its inferences and publishes. Readers see the new
version at that point (``without_dumps_ms``). With dumps on, the same command then writes
the dumps of the new version after publishing (``with_dumps_ms.store`` is publish plus
dumps; ``dumps_after_publish_ms`` is the dumps alone, written by
``VersionedStore.refresh_dumps`` for a version published without them).
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from bench.stats import median
from bench.synthetic import World, articles
from diplograph.ingest.pipeline import ArticleInput, ingest
from diplograph.store import VersionedStore

STAGES = ("map", "validate", "reason", "store")


def measure(store_path: Path, world: World, seed: int, repeats: int = 5) -> dict[str, Any]:
    """Median stage times (ms) of ``repeats`` one-article ingests without dumps, plus one with.

    One untimed ingest comes first: a process pays once for imports, the parsed ontology
    and the prepared SHACL shapes, which is not the cost of adding an article.
    """
    store = VersionedStore.open(store_path, create=False)
    stream = articles(seed + 3, world)

    def one(dumps: bool) -> dict[str, float]:
        article, facts = next(stream)
        article = replace(article, id="inc-" + article.id)  # a new article, not a replacement
        facts = [replace(fact, article=article.id) for fact in facts]
        report = ingest(store, [ArticleInput(article, facts, source="bench")], dumps=dumps)
        return {stage: report.seconds.get(stage, 0.0) * 1000 for stage in STAGES}

    one(dumps=False)  # warm-up, not counted
    runs = [one(dumps=False) for _ in range(repeats)]
    began = time.perf_counter()
    store.refresh_dumps()  # the dumps of the last version, published without them
    dumps_after_publish = (time.perf_counter() - began) * 1000
    with_dumps = one(dumps=True)
    return {
        "articles": repeats,
        "without_dumps_ms": {s: round(median([r[s] for r in runs]), 1) for s in STAGES},
        "with_dumps_ms": {s: round(with_dumps[s], 1) for s in STAGES},
        "dumps_after_publish_ms": round(dumps_after_publish, 1),
    }
