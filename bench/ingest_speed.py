"""Part 2: ingest throughput, end to end and per stage, with the real extractor.

The development texts (``$DIPLOGRAPH_SHARED/devset/texts``; the bundled samples when that
folder is absent) are copied under new names until there are at least ``articles`` of
them, then read and extracted on one core and ingested as one batch into a fresh store,
as ``diplograph ingest DIR`` would. Copies are distinct articles (own ids), so the store
grows as it would with new news.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path
from typing import Any

from diplograph.ingest.pipeline import SAMPLES_DIR, ingest, read_inputs
from diplograph.store import VersionedStore

REPO = Path(__file__).resolve().parent.parent


def source_texts() -> tuple[Path, list[Path]]:
    """The devset texts when the shared folder is there, else the bundled samples."""
    shared = Path(os.environ.get("DIPLOGRAPH_SHARED", REPO.parent / "shared"))
    folder = shared / "devset" / "texts"
    texts = sorted(folder.glob("*.txt")) if folder.is_dir() else []
    if not texts:
        folder = SAMPLES_DIR
        texts = sorted(folder.glob("*.txt"))
    return folder, texts


def replicate(texts: list[Path], target: int, into: Path) -> int:
    """Copy the texts (and metadata sidecars, re-identified) until ``target`` files exist."""
    shutil.rmtree(into, ignore_errors=True)
    into.mkdir(parents=True)
    written = 0
    round_ = 0
    while written < target:
        for text in texts:
            stem = f"{text.stem}-r{round_:04d}"
            shutil.copyfile(text, into / f"{stem}.txt")
            meta = text.with_name(text.stem + ".meta.json")
            if meta.is_file():
                data = json.loads(meta.read_text(encoding="utf-8"))
                data["id"] = stem
                (into / f"{stem}.meta.json").write_text(json.dumps(data), encoding="utf-8")
            written += 1
            if written >= target:
                break
        round_ += 1
    return written


def measure(workdir: Path, articles: int) -> dict[str, Any]:
    """Extract + map + validate + reason + store ``articles`` articles, timed per stage."""
    folder, texts = source_texts()
    corpus = workdir / "ingest-corpus"
    count = replicate(texts, articles, corpus)
    store_path = workdir / "ingest-store"
    shutil.rmtree(store_path, ignore_errors=True)
    store = VersionedStore.open(store_path)
    began = time.perf_counter()
    inputs = read_inputs([corpus], workers=1)
    extract_seconds = time.perf_counter() - began
    report = ingest(store, inputs, dumps=True)
    total = time.perf_counter() - began
    stages = {"extract": extract_seconds, **report.seconds}
    shutil.rmtree(corpus, ignore_errors=True)
    shutil.rmtree(store_path, ignore_errors=True)
    return {
        "source": str(folder),
        "distinct_texts": len(texts),
        "articles": count,
        "facts": report.facts,
        "asserted_triples": report.asserted_triples,
        "seconds": round(total, 3),
        "articles_per_second": round(count / total, 2),
        "stages": {
            name: {
                "seconds": round(seconds, 3),
                "articles_per_second": round(count / seconds, 1) if seconds > 0 else None,
                "share": round(seconds / total, 3),
            }
            for name, seconds in stages.items()
        },
    }
