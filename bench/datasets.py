"""Benchmark datasets: generated N-Quads (cached by seed and size) loaded into a fresh store.

Why a cache: generating the 1M-triple graph takes tens of seconds and its content depends
only on the generator version, the seed and the size, so repeated runs reuse the file. The
store is always rebuilt: loading it is part of what a run must be able to do, and a store
left over from another code version would measure the wrong thing.
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from bench.synthetic import Dataset, World, build_world, cache_key, generate
from diplograph.ingest import inferred_graph
from diplograph.store import VersionedStore

SIZES: dict[str, int] = {"1k": 1_000, "3k": 3_000, "10k": 10_000, "100k": 100_000, "1m": 1_000_000}


def parse_size(label: str) -> int:
    """'10k' -> 10_000, '1m' -> 1_000_000, '2500' -> 2500."""
    text = label.strip().lower()
    if text in SIZES:
        return SIZES[text]
    multiplier = 1
    if text.endswith("k"):
        multiplier, text = 1_000, text[:-1]
    elif text.endswith("m"):
        multiplier, text = 1_000_000, text[:-1]
    try:
        value = int(float(text) * multiplier)
    except ValueError:
        raise ValueError(f"not a size: {label!r} (use e.g. 10k, 100k, 1m)") from None
    if value <= 0:
        raise ValueError(f"size must be positive: {label!r}")
    return value


@dataclass
class Prepared:
    """A dataset and the store that holds it (asserted graphs and ontology, no inferences)."""

    label: str
    dataset: Dataset
    store_path: Path
    generate_seconds: float
    load_seconds: float

    @property
    def world(self) -> World:
        return self.dataset.world

    def store(self) -> VersionedStore:
        return VersionedStore.open(self.store_path, create=False)


def dataset(label: str, workdir: Path, *, seed: int = 42) -> tuple[Dataset, float]:
    """The generated N-Quads for a size, from the cache when present; (dataset, seconds)."""
    target = parse_size(label)
    folder = workdir / "data"
    path = folder / f"synthetic-{label}-{cache_key(target, seed)}.nq"
    info_path = path.with_suffix(".json")
    if path.is_file() and info_path.is_file():
        info = json.loads(info_path.read_text(encoding="utf-8"))
        return (
            Dataset(
                path, info["articles"], info["facts"], info["triples"], seed, build_world(seed)
            ),
            0.0,
        )
    start = time.perf_counter()
    data = generate(target, path, seed=seed)
    seconds = time.perf_counter() - start
    info = {"articles": data.articles, "facts": data.facts, "triples": data.triples}
    info_path.write_text(json.dumps(info) + "\n", encoding="utf-8")
    return data, seconds


def prepare(label: str, workdir: Path, *, seed: int = 42) -> Prepared:
    """Generate (or reuse) a dataset and load it into a new store with the ontology graph."""
    data, generate_seconds = dataset(label, workdir, seed=seed)
    store_path = workdir / "stores" / label
    shutil.rmtree(store_path, ignore_errors=True)
    store = VersionedStore.open(store_path)
    start = time.perf_counter()
    with store.writer() as batch:
        inferred_graph.ensure_ontology(batch)
        batch.store.bulk_load(path=str(data.path), format=ox.RdfFormat.N_QUADS)
        # Compact now: a compaction still running in the background while the version is
        # published can delete files the publisher is fsyncing (see the report).
        batch.store.optimize()
        batch.metadata["bench_dataset"] = {"label": label, "seed": seed, **_counts(data)}
    load_seconds = time.perf_counter() - start
    return Prepared(label, data, store_path, generate_seconds, load_seconds)


def _counts(data: Dataset) -> dict[str, int]:
    return {"articles": data.articles, "facts": data.facts, "asserted_triples": data.triples}
