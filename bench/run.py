"""The whole benchmark, one size after the other, into one results dictionary.

Order per size: generate and load the data; rebuild the inferred graph with our engine
(timed, published) and with owlrl (capped, discarded); query mix through pyoxigraph in
process, ``diplograph serve`` and the Oxigraph server; dumps; SHACL on the whole graph
(capped); then one-article ingests into that store. Size-independent parts (ingest
throughput on the development texts, per-article reasoning and SHACL) run once.
Every part is bounded in time, so the full run (10k, 100k, 1M) stays under 30 minutes on
two cores.
"""

from __future__ import annotations

import json
import math
import os
import platform
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

import psutil

from bench import dumps, incremental, ingest_speed, load, queries, reasoning, shacl
from bench.datasets import parse_size, prepare
from bench.examples import ENGINE_SCAN
from bench.stats import describe_growth, growth, tail_growth
from diplograph.store import VersionedStore

PARTS = ("reasoning", "queries", "dumps", "shacl", "incremental", "ingest")
FULL_SIZES = ("10k", "100k", "1m")
QUICK_SIZES = ("1k", "3k")


@dataclass
class Settings:
    """What to run and how long each part may take."""

    sizes: tuple[str, ...] = FULL_SIZES
    workdir: Path = Path("bench/.work")
    seed: int = 42
    parts: tuple[str, ...] = PARTS
    ingest_articles: int = 1000
    owlrl_cap: float = 120.0
    shacl_cap: float = 240.0
    reasoning_cap: float = 900.0
    levels: tuple[int, ...] = queries.CLIENT_LEVELS
    max_requests: int = load.MAX_REQUESTS_PER_CLIENT
    max_seconds: float = load.MAX_SECONDS
    say: Callable[[str], None] = field(default=lambda _line: None, repr=False)

    @classmethod
    def quick(cls, **overrides: Any) -> Settings:
        """Small sizes and short budgets: a smoke run for CI (about a minute)."""
        values: dict[str, Any] = {
            "sizes": QUICK_SIZES,
            "ingest_articles": 30,
            "owlrl_cap": 60.0,
            "shacl_cap": 60.0,
            "reasoning_cap": 120.0,
            "max_requests": 12,
            "max_seconds": 2.0,
        }
        values.update(overrides)
        return cls(**values)


def machine() -> dict[str, Any]:
    """What the numbers were measured on."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "date": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(psutil.virtual_memory().total / 1024**3, 1),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "pyoxigraph": version("pyoxigraph"),
        "oxigraph_server": version("oxigraph"),
        "reasonable": version("reasonable"),
        "owlrl": version("owlrl"),
        "pyshacl": version("pyshacl"),
        "commit": _commit(),
        # other jobs on the machine slow every number down: say how busy it was
        "load_average_start": [round(x, 2) for x in os.getloadavg()],
    }


def _commit() -> str | None:
    """The measured commit: $DIPLOGRAPH_COMMIT (a run from an exported tree), else git's."""
    if os.environ.get("DIPLOGRAPH_COMMIT"):
        return os.environ["DIPLOGRAPH_COMMIT"]
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).parent,
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.stdout.strip() or None


def run(settings: Settings) -> dict[str, Any]:
    """Every selected part at every size; returns the results (see docs/benchmarks.md)."""
    for label in settings.sizes:
        parse_size(label)  # fail fast on a bad size
    say = settings.say
    workdir = settings.workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {
        "machine": machine(),
        "settings": {
            "sizes": list(settings.sizes),
            "seed": settings.seed,
            "parts": list(settings.parts),
            "clients": list(settings.levels),
            "max_requests_per_client": settings.max_requests,
            "max_seconds_per_level": settings.max_seconds,
            "owlrl_cap_s": settings.owlrl_cap,
            "shacl_cap_s": settings.shacl_cap,
        },
        "sizes": {},
    }
    started = time.perf_counter()
    owlrl_stopped: str | None = None
    shacl_stopped: str | None = None
    world = None
    for label in settings.sizes:
        say(f"size {label}: generating and loading")
        prepared = prepare(label, workdir, seed=settings.seed)
        world = prepared.world
        data = prepared.dataset
        size: dict[str, Any] = {
            "target_triples": parse_size(label),
            "articles": data.articles,
            "facts": data.facts,
            "asserted_triples": data.triples,
            "generate_seconds": round(prepared.generate_seconds, 3),
            "load_seconds": round(prepared.load_seconds, 3),
        }
        results["sizes"][label] = size
        if "reasoning" in settings.parts:
            say(f"size {label}: reasoning (ours{'' if owlrl_stopped else ', owlrl'})")
            size["reasoning"] = reasoning.full_rebuilds(
                prepared.store_path,
                owlrl=owlrl_stopped is None,
                owlrl_cap=settings.owlrl_cap,
                ours_cap=settings.reasoning_cap,
            )
            if owlrl_stopped is not None:
                size["reasoning"]["owlrl"] = {
                    "status": "skipped",
                    "note": f"not attempted: did not finish at {owlrl_stopped}",
                }
            elif size["reasoning"]["owlrl"]["status"] != "ok":
                owlrl_stopped = label
        snapshot = VersionedStore.open(prepared.store_path, create=False).reader()
        size["store_triples"] = snapshot.triples
        size["inferred_triples"] = _inferred(snapshot.metadata)
        database = snapshot.path
        del snapshot
        if "queries" in settings.parts:
            say(f"size {label}: query mix")
            size["queries"] = queries.run(
                prepared.store_path,
                database,
                prepared.world,
                workdir / "logs" / label,
                levels=settings.levels,
                max_requests=settings.max_requests,
                max_seconds=settings.max_seconds,
                say=say,
            )
        if "dumps" in settings.parts:
            say(f"size {label}: dumps")
            size["dumps"] = dumps.measure(prepared.store_path, workdir / "dumps-scratch")
        if "shacl" in settings.parts:
            if shacl_stopped is None:
                say(f"size {label}: SHACL on the whole graph")
                size["shacl"] = shacl.whole_graph(data.path, settings.shacl_cap)
                if size["shacl"]["status"] != "ok":
                    shacl_stopped = label
            else:
                size["shacl"] = {
                    "status": "skipped",
                    "note": f"not attempted: did not finish at {shacl_stopped}",
                }
        if "incremental" in settings.parts:
            say(f"size {label}: adding one article")
            size["incremental"] = incremental.measure(
                prepared.store_path, prepared.world, settings.seed
            )
        _checkpoint(results, workdir)
    if world is not None and "reasoning" in settings.parts:
        say("per-article reasoning")
        results["reasoning_per_article"] = reasoning.per_article(world, settings.seed)
    if world is not None and "shacl" in settings.parts:
        say("per-article SHACL")
        results["shacl_per_article"] = shacl.per_article(world, settings.seed)
    if "ingest" in settings.parts:
        say(f"ingest throughput ({settings.ingest_articles} articles)")
        results["ingest"] = ingest_speed.measure(workdir, settings.ingest_articles)
    results["growth"] = growth_table(results)
    results["seconds"] = round(time.perf_counter() - started, 1)
    results["machine"]["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    return results


def _checkpoint(results: dict[str, Any], workdir: Path) -> None:
    """Keep what is measured so far, so a run cut short still leaves its numbers."""
    from bench.report import clean

    path = workdir / "partial.json"
    path.write_text(json.dumps(clean(results), indent=1) + "\n", encoding="utf-8")


def _inferred(metadata: dict[str, Any]) -> int:
    from diplograph.ontology.namespaces import INFERRED_GRAPH

    return int(metadata.get("graphs", {}).get(INFERRED_GRAPH, 0))


def growth_table(results: dict[str, Any]) -> dict[str, Any]:
    """How each cost grows with the store: exponent k in cost ~ triples^k, and in words."""
    sizes = results["sizes"]
    labels = list(sizes)
    if len(labels) < 2:
        return {}
    triples = [sizes[s].get("store_triples") or sizes[s]["asserted_triples"] for s in labels]
    series: dict[str, list[float | None]] = {}

    def add(name: str, getter: Callable[[dict[str, Any]], Any]) -> None:
        values = []
        for label in labels:
            try:
                value = getter(sizes[label])
            except (KeyError, TypeError):
                value = None
            values.append(value if isinstance(value, int | float) else None)
        if any(v is not None for v in values):
            series[name] = values

    add("reasoning rebuild (ours)", lambda s: s["reasoning"]["reasonable"]["seconds"])
    add("reasoning rebuild (owlrl)", lambda s: s["reasoning"]["owlrl"]["seconds"])
    first = next((sizes[s]["queries"] for s in labels if "queries" in sizes[s]), None)
    for name in first["queries"] if first else ():
        add(
            f"query {name} (diplograph)",
            lambda s, n=name: s["queries"]["diplograph"]["levels"]["1"]["queries"][n]["median_ms"],
        )
    add("2-hop naive (pyoxigraph)", lambda s: s["queries"]["two_hop_naive"]["median_ms"])
    with_queries = [sizes[s]["queries"] for s in labels if "queries" in sizes[s]]
    shown = with_queries[0].get("examples") if with_queries else None
    for kind, prefix in (("examples", "example"), ("pages", "")):
        for name in (shown or {}).get(kind, {}):
            add(
                f"{prefix} {name}".strip(),
                lambda s, k=kind, n=name: s["queries"]["examples"][k][n]["median_ms"],
            )
    engine = f"engine: {ENGINE_SCAN} (pyoxigraph)"
    add(engine, lambda s: s["queries"]["examples"]["engine"][ENGINE_SCAN]["median_ms"])
    add("server peak RSS", lambda s: s["queries"]["diplograph"]["memory"]["peak_rss_mib"])
    for dump in ("asserted.ttl.gz", "inferred.ttl.gz", "all.nq.gz"):
        add(f"dump {dump}", lambda s, d=dump: s["dumps"][d]["seconds"])
    add("SHACL whole graph", lambda s: s["shacl"]["seconds"])
    for stage in incremental.STAGES:
        add(
            f"add one article: {stage}",
            lambda s, st=stage: s["incremental"]["without_dumps_ms"][st],
        )
    add("add one article: store + dumps", lambda s: s["incremental"]["with_dumps_ms"]["store"])

    def exponents(values: list[float | None]) -> tuple[float, float]:
        pairs = [(t, v) for t, v in zip(triples, values, strict=True) if v is not None]
        points = ([p[0] for p in pairs], [p[1] for p in pairs])
        return growth(*points), tail_growth(*points)

    engine_tail = exponents(series[engine])[1] if engine in series else math.nan
    out: dict[str, Any] = {}
    for name, values in series.items():
        exponent, tail = exponents(values)
        out[name] = {
            "values": values,
            "exponent": None if math.isnan(exponent) else round(exponent, 2),
            "tail_exponent": None if math.isnan(tail) else round(tail, 2),
            # the verdict is the asymptotic trend: between the two largest sizes
            "verdict": describe_growth(tail, math.nan if name == engine else engine_tail),
        }
    return out
