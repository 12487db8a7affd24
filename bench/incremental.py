"""The cost of adding one article to a store of a given size, stage by stage.

Runs the real pipeline (``diplograph.ingest.pipeline.ingest``) with one new synthetic
article per batch, on the benchmark store after its query measurements: SHACL and
reasoning see only the new article, the store stage copies the current version
(checkpoint), applies the article and its inferences and publishes; with dumps on, it also
rewrites every dump file, which is the part that grows with the store.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from bench.stats import median
from bench.synthetic import World, articles
from diplograph.ingest.pipeline import ArticleInput, ingest
from diplograph.store import VersionedStore

STAGES = ("map", "validate", "reason", "store")


def measure(store_path: Path, world: World, seed: int, repeats: int = 3) -> dict[str, Any]:
    """Median stage times (ms) of ``repeats`` one-article ingests without dumps, plus one with."""
    store = VersionedStore.open(store_path, create=False)
    stream = articles(seed + 3, world)

    def one(dumps: bool) -> dict[str, float]:
        article, facts = next(stream)
        article = replace(article, id="inc-" + article.id)  # a new article, not a replacement
        facts = [replace(fact, article=article.id) for fact in facts]
        report = ingest(store, [ArticleInput(article, facts, source="bench")], dumps=dumps)
        return {stage: report.seconds.get(stage, 0.0) * 1000 for stage in STAGES}

    runs = [one(dumps=False) for _ in range(repeats)]
    with_dumps = one(dumps=True)
    return {
        "articles": repeats,
        "without_dumps_ms": {s: round(median([r[s] for r in runs]), 1) for s in STAGES},
        "with_dumps_ms": {s: round(with_dumps[s], 1) for s in STAGES},
    }
