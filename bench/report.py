"""Turn the results into tables: a rich console table, Markdown for the README, and JSON.

Each table is built once as plain rows (:class:`Table`) and rendered twice, so the console
and ``bench/results/latest.md`` always say the same thing. ``check_goals`` compares the
numbers with the acceptance goals of issue 6.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table as RichTable

from bench.queries import OXIGRAPH_SYSTEMS


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)
    note: str | None = None


def fmt(value: Any, digits: int = 1) -> str:
    """Numbers for tables: fixed digits, '—' for missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return str(value)


def _get(data: Any, *path: Any) -> Any:
    for key in path:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def tables(results: dict[str, Any]) -> list[Table]:
    sizes: dict[str, Any] = results.get("sizes", {})
    out: list[Table] = []
    data = Table(
        "Datasets",
        ["size", "articles", "facts", "asserted", "inferred", "store triples", "load s"],
    )
    for label, s in sizes.items():
        data.rows.append(
            [
                label,
                fmt(s["articles"]),
                fmt(s["facts"]),
                fmt(s["asserted_triples"]),
                fmt(s.get("inferred_triples")),
                fmt(s.get("store_triples")),
                fmt(s["load_seconds"], 2),
            ]
        )
    out.append(data)
    for label, s in sizes.items():
        q = s.get("queries")
        if not q:
            continue
        out.append(_latency_table(label, q))
    load = Table(
        "Throughput under concurrent clients (query mix)",
        [
            "size",
            "clients",
            "diplograph req/s",
            "med ms",
            "p95 ms",
            "errors",
            "oxigraph (dump) req/s",
            "errors",
            "ours/theirs",
            "oxigraph (our db) req/s",
            "errors",
            "ours/theirs",
        ],
    )
    for label, s in sizes.items():
        q = s.get("queries")
        if not q:
            continue
        for level, ours in q["diplograph"]["levels"].items():
            row = [
                label,
                level,
                fmt(ours["throughput_rps"]),
                fmt(ours["median_ms"], 2),
                fmt(ours["p95_ms"], 2),
                fmt(ours["errors"]),
            ]
            for system, (key, _description) in OXIGRAPH_SYSTEMS.items():
                theirs = _get(q, system, "levels", level) or {}
                row += [
                    fmt(theirs.get("throughput_rps")),
                    fmt(theirs.get("errors")),
                    fmt(_get(q, "ratios", f"throughput_vs_{key}", level), 2),
                ]
            load.rows.append(row)
    cached = [
        f"{label} {level} client{'s' if level != '1' else ''}: {fmt(lv['throughput_rps'])} req/s,"
        f" median {fmt(lv['median_ms'], 2)} ms"
        for label, s in sizes.items()
        for level, lv in (_get(s, "queries", "diplograph_cached", "levels") or {}).items()
    ]
    load.note = (
        "diplograph: `serve --result-cache 0`, so that every request is evaluated (the mix"
        " repeats six queries, which the answer cache would otherwise answer itself)"
        + (
            "; with the answer cache on (the default), every repeat a hit: " + "; ".join(cached)
            if cached
            else ""
        )
    )
    if load.rows:
        out.append(load)
    examples = _examples_table(sizes)
    if examples.rows:
        out.append(examples)
    reasoning = Table(
        "OWL RL full rebuild of the inferred graph",
        ["size", "ours s", "inferred", "ours peak RSS MiB", "owlrl", "owlrl inferred", "same"],
    )
    for label, s in sizes.items():
        r = s.get("reasoning")
        if not r:
            continue
        theirs = r.get("owlrl", {})
        reasoning.rows.append(
            [
                label,
                fmt(_get(r, "reasonable", "seconds"), 2),
                fmt(_get(r, "reasonable", "inferred_triples")),
                fmt(_get(r, "reasonable", "peak_rss_mib")),
                fmt(theirs.get("seconds"), 2) + " s"
                if theirs.get("status") == "ok"
                else theirs.get("note", "—"),
                fmt(theirs.get("inferred_triples")),
                fmt(r.get("same_inferences")),
            ]
        )
    if reasoning.rows:
        out.append(reasoning)
    other = Table(
        "Dumps, SHACL and server memory",
        [
            "size",
            "asserted.ttl.gz s",
            "inferred.ttl.gz s",
            "all.nq.gz s",
            "all.nq.gz MiB",
            "all dumps together s",
            "SHACL whole graph s",
            "diplograph RSS MiB",
            "diplograph PSS MiB",
            "oxigraph RSS MiB",
        ],
    )
    for label, s in sizes.items():
        sh = s.get("shacl", {})
        other.rows.append(
            [
                label,
                fmt(_get(s, "dumps", "asserted.ttl.gz", "seconds"), 2),
                fmt(_get(s, "dumps", "inferred.ttl.gz", "seconds"), 2),
                fmt(_get(s, "dumps", "all.nq.gz", "seconds"), 2),
                fmt(_get(s, "dumps", "all.nq.gz", "mib")),
                fmt(_get(s, "dumps", "all files together", "seconds"), 2),
                fmt(sh.get("seconds"), 2) if sh.get("status") == "ok" else sh.get("note", "—"),
                fmt(_get(s, "queries", "diplograph", "memory", "peak_rss_mib")),
                fmt(_get(s, "queries", "diplograph", "memory", "peak_pss_mib")),
                fmt(_get(s, "queries", "oxigraph", "memory", "peak_rss_mib")),
            ]
        )
    out.append(other)
    inc = Table(
        "Adding one article to a store (ms)",
        [
            "size",
            "map",
            "SHACL",
            "reasoning",
            "store publish",
            "dumps after publish",
            "publish + dumps",
        ],
    )
    for label, s in sizes.items():
        i = s.get("incremental")
        if not i:
            continue
        inc.rows.append(
            [
                label,
                fmt(i["without_dumps_ms"]["map"]),
                fmt(i["without_dumps_ms"]["validate"]),
                fmt(i["without_dumps_ms"]["reason"]),
                fmt(i["without_dumps_ms"]["store"]),
                fmt(i.get("dumps_after_publish_ms")),
                fmt(i["with_dumps_ms"]["store"]),
            ]
        )
    inc.note = (
        "readers see the new version after 'store publish'; its dumps follow (until they are"
        " complete, /dumps/ serves the previous ones)"
    )
    rpa, spa = results.get("reasoning_per_article"), results.get("shacl_per_article")
    if rpa or spa:
        inc.note += (
            f"; one new article in isolation: reasoning median"
            f" {fmt(_get(rpa, 'median_ms'), 1)} ms, SHACL median {fmt(_get(spa, 'median_ms'), 1)}"
            f" ms ({fmt(_get(spa, 'batch_ms_per_article'), 1)} ms per article in a batch of"
            f" {fmt(_get(spa, 'batch_articles'))}; stock pyshacl.validate"
            f" {fmt(_get(spa, 'stock_median_ms'), 1)} ms)"
        )
    if inc.rows:
        out.append(inc)
    ingest = results.get("ingest")
    if ingest:
        table = Table(
            f"Ingest: {ingest['articles']:,} articles end to end (one core)",
            ["stage", "seconds", "articles/s", "share"],
        )
        for name, stage in ingest["stages"].items():
            table.rows.append(
                [
                    name,
                    fmt(stage["seconds"], 2),
                    fmt(stage["articles_per_second"]),
                    f"{stage['share']:.0%}",
                ]
            )
        table.rows.append(
            ["end to end", fmt(ingest["seconds"], 2), fmt(ingest["articles_per_second"]), "100%"]
        )
        table.note = (
            f"{ingest['distinct_texts']} distinct texts from {ingest['source']} repeated;"
            f" {ingest['facts']:,} facts, {ingest['asserted_triples']:,} triples"
        )
        out.append(table)
    growth = results.get("growth")
    if growth:
        table = Table(
            "Growth with store size (cost ~ triples^k)",
            ["cost", *list(sizes), "k", "k (largest two)", "verdict"],
        )
        for name, g in growth.items():
            table.rows.append(
                [
                    name,
                    *(fmt(v, 2) for v in g["values"]),
                    fmt(g["exponent"], 2),
                    fmt(g.get("tail_exponent"), 2),
                    g["verdict"],
                ]
            )
        table.note = (
            "k: smallest to largest size; the verdict uses k between the two largest sizes "
            "(fixed costs or empty results dominate the smallest). 'as the engine': grows "
            "faster than linear, but no faster than pyoxigraph's own scan-join of all events "
            "(the 'engine' row) in the same run"
        )
        out.append(table)
    goals = check_goals(results)
    if goals:
        table = Table("Goals of issue 6", ["goal", "measured", "met"])
        table.rows.extend([[g["goal"], g["measured"], g["met"]] for g in goals])
        out.append(table)
    return out


def _examples_table(sizes: dict[str, Any]) -> Table:
    """Example queries (pyoxigraph in process) and pages (the app) in ms, one column per size."""
    found = {label: _get(s, "queries", "examples") for label, s in sizes.items()}
    found = {label: e for label, e in found.items() if e}
    table = Table("Example queries and entity pages (ms)", ["what", *found])
    first = next(iter(found.values()), None)
    for kind in ("examples", "pages"):
        for name in (first or {}).get(kind, {}):
            cells = [fmt(_get(e, kind, name, "median_ms"), 2) for e in found.values()]
            table.rows.append([name, *cells])
    table.note = "examples: server/queries/*.rq on pyoxigraph in process; pages: the app"
    return table


def _latency_table(label: str, q: dict[str, Any]) -> Table:
    """One client, per query: pyoxigraph in process, us, both Oxigraph servers, ratios."""
    table = Table(
        f"Query latency at {label}, 1 client (ms)",
        [
            "query",
            "pyoxigraph",
            "diplograph med",
            "diplograph p95",
            "oxigraph (dump) med",
            "oxigraph (our db) med",
            "ours/pyox",
            "ours/oxigraph (dump)",
            "ours/oxigraph (our db)",
            "answer bytes: ours / oxigraph (dump)",
        ],
    )
    ours = q["diplograph"]["levels"]["1"]["queries"]
    ratios = q["ratios"]
    for name in q["queries"]:
        table.rows.append(
            [
                name,
                fmt(q["pyoxigraph"][name]["median_ms"], 2),
                fmt(ours[name]["median_ms"], 2),
                fmt(ours[name]["p95_ms"], 2),
                fmt(_get(q, "oxigraph", "levels", "1", "queries", name, "median_ms"), 2),
                fmt(_get(q, "oxigraph_index", "levels", "1", "queries", name, "median_ms"), 2),
                fmt(ratios["vs_pyoxigraph"][name], 2),
                fmt(_get(ratios, "vs_oxigraph_server", name), 2),
                fmt(_get(ratios, "vs_oxigraph_index", name), 2),
                f"{fmt(_get(q, 'diplograph', 'result_bytes', name))}"
                f" / {fmt(_get(q, 'oxigraph', 'result_bytes', name))}",
            ]
        )
    table.rows.append(
        [
            "geometric mean",
            *[""] * 5,
            fmt(ratios["vs_pyoxigraph_geomean"], 2),
            fmt(ratios.get("vs_oxigraph_server_geomean"), 2),
            fmt(ratios.get("vs_oxigraph_index_geomean"), 2),
            "",
        ]
    )
    asks = ", ".join(
        f"{name} {fmt(_get(q, key, 'fixed_cost', 'median_ms'), 2)} ms"
        for key, name in (
            ("diplograph", "diplograph"),
            ("oxigraph", "oxigraph (dump)"),
            ("oxigraph_index", "oxigraph (our db)"),
        )
    )
    table.note = (
        f"trivial ASK (fixed cost): {asks}; 2-hop join without per-hop DISTINCT (pyoxigraph):"
        f" {fmt(q['two_hop_naive']['median_ms'], 2)} ms. oxigraph (dump): loaded with our"
        " dump, --union-default-graph (a bag: a triple once per graph holding it);"
        " oxigraph (our db): our database, whose default graph is our union index (the same"
        " answers as ours)"
    )
    return table


def check_goals(results: dict[str, Any]) -> list[dict[str, str]]:
    """Each acceptance goal with the measured value and whether it is met."""
    sizes = results.get("sizes", {})
    goals: list[dict[str, str]] = []

    def goal(text: str, value: Any, met: bool | None, unit: str = "") -> None:
        shown = fmt(value, 2) + unit if not isinstance(value, str) else value
        goals.append({"goal": text, "measured": shown, "met": "n/a" if met is None else fmt(met)})

    for label, s in sizes.items():
        q = s.get("queries")
        if q and s["asserted_triples"] >= 100_000:  # the latency goals are for 100k and 1M
            r = q["ratios"]
            geo, worst = r["vs_pyoxigraph_geomean"], r["vs_pyoxigraph_max"]
            goal(f"{label}: geomean ours/pyoxigraph ≤ 1.3", geo, _le(geo, 1.3))
            goal(f"{label}: no query over 2× pyoxigraph", worst, _le(worst, 2.0))
            for key, description in OXIGRAPH_SYSTEMS.values():
                server = r.get(f"vs_{key}_geomean")
                goal(f"{label}: at least as fast as the {description}", server, _le(server, 1.0))
                t16 = _get(r, f"throughput_vs_{key}", "16")
                goal(f"{label}: throughput at 16 clients ≥ {description}", t16, _ge(t16, 1.0))
        if q:
            fixed = q["diplograph"]["fixed_cost"]["median_ms"]
            goal(f"{label}: fixed cost per request ≤ 3 ms", fixed, _le(fixed, 3.0), " ms")
            rss = q["diplograph"]["memory"]["peak_rss_mib"]
            goal(f"{label}: server RSS ≤ 2 GiB", rss, _le(rss, 2048), " MiB")
        d = s.get("dumps")
        if d and s["asserted_triples"] >= 1_000_000:
            for name in ("asserted.ttl.gz", "all.nq.gz"):
                sec = d[name]["seconds"]
                goal(f"{label}: dump {name} ≤ 5 s", sec, _le(sec, 5.0), " s")
        r = s.get("reasoning")
        if r and s["asserted_triples"] >= 1_000_000:
            sec = _get(r, "reasonable", "seconds")
            goal(f"{label}: full OWL RL rebuild ≤ 60 s", sec, _le(sec, 60.0), " s")
        i = s.get("incremental")
        if i:
            ms = i["without_dumps_ms"]
            goal(f"{label}: one article, reasoning ≤ 50 ms", ms["reason"], _le(ms["reason"], 50))
            goal(f"{label}: one article, SHACL ≤ 20 ms", ms["validate"], _le(ms["validate"], 20))
    same = [s["reasoning"].get("same_inferences") for s in sizes.values() if s.get("reasoning")]
    if any(v is not None for v in same):
        first = next(v for v in same if v is not None)
        goal("same inferred triples as owlrl (smallest size)", fmt(first), bool(first))
    ingest = results.get("ingest")
    if ingest:
        rate = ingest["articles_per_second"]
        goal("ingest ≥ 20 articles/s end to end", rate, _ge(rate, 20.0))
    growth = results.get("growth", {})
    worse = [
        name
        for name, g in growth.items()
        # the naive 2-hop join is shown as the bad example, the engine row as the reference
        if g["verdict"] == "super-linear" and "naive" not in name and not name.startswith("engine")
    ]
    if growth:
        goal(
            "no cost grows worse than linear (or than the engine's own scan)",
            ", ".join(worse) if worse else _none_worse(growth),
            not worse,
        )
    return goals


def _none_worse(growth: dict[str, Any]) -> str:
    engine_bound = [name for name, g in growth.items() if g["verdict"] == "as the engine"]
    if engine_bound:
        return "none super-linear; as the engine: " + ", ".join(engine_bound)
    return "none super-linear"


def _le(value: Any, bound: float) -> bool | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value <= bound


def _ge(value: Any, bound: float) -> bool | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value >= bound


def markdown(results: dict[str, Any]) -> str:
    m = results.get("machine", {})
    lines = [
        "# Benchmark results",
        "",
        f"Measured {m.get('date', '?')} on {m.get('cpu', '?')} ({m.get('cores', '?')} cores,"
        f" {m.get('memory_gib', '?')} GiB), {m.get('os', '?')}, Python {m.get('python', '?')},"
        f" pyoxigraph {m.get('pyoxigraph', '?')}, commit {m.get('commit') or '?'};"
        f" whole run {fmt(results.get('seconds'))} s{_load(m)}. Method: docs/benchmarks.md.",
        "",
    ]
    for table in tables(results):
        lines += [f"## {table.title}", ""]
        lines.append("| " + " | ".join(table.headers) + " |")
        lines.append("|" + "|".join("---" for _ in table.headers) + "|")
        lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in table.rows]
        if table.note:
            lines += ["", table.note]
        lines.append("")
    return "\n".join(lines)


def _load(machine: dict[str, Any]) -> str:
    start, end = machine.get("load_average_start"), machine.get("load_average_end")
    if not start or not end:
        return ""
    return f"; load average (1 min) {start[0]} at the start, {end[0]} at the end"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def print_tables(results: dict[str, Any], console: Console | None = None) -> None:
    if console is None:
        console = Console()
        console.width = max(console.width, 150)  # wide tables stay readable in logs
    for table in tables(results):
        rich = RichTable(title=table.title, caption=table.note, title_justify="left")
        for header in table.headers:
            rich.add_column(
                header, justify="left" if header in ("query", "cost", "goal", "stage") else "right"
            )
        for row in table.rows:
            rich.add_row(*row)
        console.print(rich)


def clean(value: Any) -> Any:
    """JSON has no NaN: missing numbers become null."""
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if isinstance(value, dict):
        return {str(k): clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    return value


def write(results: dict[str, Any], out: Path, names: Iterable[str] = ("latest",)) -> list[Path]:
    """Write ``NAME.json`` and ``NAME.md`` for each name into ``out``; returns the paths."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in names:
        json_path = out / f"{name}.json"
        json_path.write_text(
            json.dumps(clean(results), indent=1, allow_nan=False) + "\n", encoding="utf-8"
        )
        md_path = out / f"{name}.md"
        md_path.write_text(markdown(results), encoding="utf-8")
        written += [json_path, md_path]
    return written
