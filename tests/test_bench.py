"""The benchmark suite: its data, its query mix, its load generator and a smoke run of every part.

No test asserts a timing: timings depend on the machine. They check that every part runs,
produces numbers of the right kind and that those numbers are consistent with each other.
"""

from __future__ import annotations

import json
import math
import multiprocessing
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Graph

from bench import load, report
from bench.capped import run_capped
from bench.datasets import Prepared, parse_size, prepare
from bench.inprocess import run_query
from bench.memory import PeakMemory
from bench.query_mix import TRIVIAL_ASK, mix, naive_two_hop
from bench.run import Settings, run
from bench.servers import oxigraph_server
from bench.stats import (
    describe_growth,
    geometric_mean,
    growth,
    median,
    percentile,
    tail_growth,
)
from bench.synthetic import SYNTHETIC_RUN, articles, build_world, generate, role_kinds
from diplograph.cli.main import cli
from diplograph.ingest.facts import FACT_TYPES
from diplograph.ingest.to_rdf import article_to_graph
from diplograph.ingest.worker_lifetime import process_pool
from diplograph.shapes.validate import validate

REPO = Path(__file__).resolve().parent.parent

ROOT = Path(__file__).resolve().parent.parent


# --------------------------------------------------------------------------- data
def test_world_has_the_shape_of_world_news():
    world = build_world(1)
    assert 180 <= len(world.states) <= 220
    assert len(world.igos) == 50
    assert len(world.persons) > 2000
    assert all(state.wikidata for state in world.states)
    assert len({p.name for p, _ in world.persons}) == len(world.persons)


def test_generation_is_seeded(tmp_path):
    a = generate(2_000, tmp_path / "a.nq", seed=5)
    b = generate(2_000, tmp_path / "b.nq", seed=5)
    c = generate(2_000, tmp_path / "c.nq", seed=6)
    assert a.path.read_bytes() == b.path.read_bytes()
    assert a.path.read_bytes() != c.path.read_bytes()
    assert a.triples >= 2_000
    # the same bytes from another interpreter, whose string hashing (set order) differs
    script = (
        "import sys; from pathlib import Path; from bench.synthetic import generate;"
        f"generate(2_000, Path({str(tmp_path / 'd.nq')!r}), seed=5)"
    )
    env = {**os.environ, "PYTHONHASHSEED": "123", "PYTHONPATH": str(REPO)}
    subprocess.run([sys.executable, "-c", script], check=True, env=env, cwd=REPO)
    assert (tmp_path / "d.nq").read_bytes() == a.path.read_bytes()
    quads = list(ox.parse(path=str(a.path), format=ox.RdfFormat.N_QUADS))
    assert len(quads) == a.triples
    assert len({q.graph_name for q in quads}) == a.articles


def test_generated_facts_cover_every_type_and_conform_to_the_shapes():
    stream = articles(3, build_world(3))
    types: Counter[str] = Counter()
    combined = Graph()
    for _ in range(40):
        article, facts = next(stream)
        types.update(f.type for f in facts)
        for triple in article_to_graph(article, article.id, facts, SYNTHETIC_RUN):
            combined.add(triple)
    assert set(types) == set(FACT_TYPES)
    result = validate(combined)
    assert result.conforms, result.format()


def test_role_kinds_come_from_the_shapes():
    kinds = role_kinds()
    actor, _target = kinds["protest"]
    assert actor is not None and "country" not in actor
    assert kinds["meeting"][0] is not None and "person" in kinds["meeting"][0]


@pytest.mark.parametrize(
    ("label", "value"), [("10k", 10_000), ("1m", 1_000_000), ("2500", 2500), ("1.5k", 1500)]
)
def test_parse_size(label, value):
    assert parse_size(label) == value


@pytest.mark.parametrize("label", ["", "lots", "-1k", "0"])
def test_parse_size_rejects_nonsense(label):
    with pytest.raises(ValueError):
        parse_size(label)


# --------------------------------------------------------------------------- stats
def test_statistics():
    assert median([3, 1, 2]) == 2
    assert median([1, 2, 3, 4]) == 2.5
    assert percentile(list(range(1, 101)), 0.95) == 95
    assert math.isnan(percentile([], 0.5))
    assert geometric_mean([1, 4]) == pytest.approx(2)
    assert math.isnan(geometric_mean([1, 0]))
    assert growth([10, 100, 1000], [1, 10, 100]) == pytest.approx(1)
    assert growth([10, 1000], [1, 10_000]) == pytest.approx(2)
    assert describe_growth(1.0) == "linear"
    assert describe_growth(0.3) == "sub-linear"
    assert describe_growth(1.9) == "super-linear"
    assert describe_growth(1.2, engine=1.22) == "as the engine"
    assert describe_growth(1.4, engine=1.22) == "super-linear"
    # the asymptotic trend: an empty result at the smallest size does not count
    assert tail_growth([10, 100, 1000], [0.01, 10, 100]) == pytest.approx(1)
    assert growth([10, 100, 1000], [0.01, 10, 100]) == pytest.approx(2)
    assert tail_growth([10, 100, 1000], [1, 10, None]) == pytest.approx(1)


# --------------------------------------------------------------------------- query mix
@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """A 10k-triple store with its inferred graph, shared by the tests below."""
    from bench.reasoning import rebuild
    from diplograph.store import VersionedStore

    workdir = tmp_path_factory.mktemp("bench")
    prepared = prepare("10k", workdir, seed=11)
    rebuild(str(prepared.store_path), "reasonable", True)
    snapshot = VersionedStore.open(prepared.store_path, create=False).reader()
    return prepared, snapshot.path, workdir


def published(prepared: Prepared) -> ox.Store:
    """The store as readers get it (the union index as default graph)."""
    from diplograph.store import VersionedStore

    return VersionedStore.open(prepared.store_path, create=False).reader().store


def test_every_query_of_the_mix_answers(small):
    prepared, _, _ = small
    store = published(prepared)
    queries = mix(prepared.world)
    assert len(queries) == 6
    for query in queries:
        body = run_query(store, query)
        if query.is_graph:
            assert body.count(b"\n") > 0, query.name
        else:
            rows = json.loads(body)["results"]["bindings"]
            if query.name != "date-range":  # one quarter of ten years may be empty at 10k
                assert rows, query.name


def test_two_hop_rewrite_returns_what_the_naive_join_returns(small):
    prepared, _, _ = small
    store = published(prepared)
    rewritten = next(q for q in mix(prepared.world) if q.name == "two-hop")
    naive = naive_two_hop(prepared.world)
    rows = json.loads(run_query(store, rewritten))["results"]["bindings"]
    assert rows
    assert rows == json.loads(run_query(store, naive))["results"]["bindings"]


@pytest.mark.slow
def test_load_against_an_oxigraph_server(small, tmp_path):
    prepared, database, _ = small
    queries = mix(prepared.world)
    with oxigraph_server(database, tmp_path) as server:
        load.warm_up(server.endpoint, queries, rounds=1)
        result = load.run_level(server.endpoint, queries, 3, max_requests=6, max_seconds=20)
        fixed = load.fixed_cost(server.endpoint, TRIVIAL_ASK, requests=20)
    assert result.errors == dict.fromkeys(result.latencies, 0)
    assert result.completed == 18
    assert all(len(v) == 3 for v in result.latencies.values())
    assert result.throughput > 0
    summary = result.summary()
    assert 0 < summary["median_ms"] <= summary["p95_ms"]
    assert fixed["n"] == 20 and fixed["median_ms"] > 0
    assert server.process.poll() is not None, "the server is stopped afterwards"


def test_load_counts_errors_instead_of_failing(tmp_path):
    # Nothing listens on this port: every request fails, and the level still ends.
    from bench.servers import free_port

    endpoint = f"http://127.0.0.1:{free_port()}/query"
    result = load.run_level(endpoint, [TRIVIAL_ASK], 2, max_requests=3, max_seconds=5)
    assert result.completed == 0
    assert result.errors["ask"] == 6
    assert result.first_error


@pytest.mark.slow
def test_rounds_of_a_level_add_up_and_go_on_through_the_mix(small, tmp_path):
    prepared, database, _ = small
    queries = mix(prepared.world)
    with oxigraph_server(database, tmp_path) as server:
        first = load.run_level(server.endpoint, queries, 1, max_requests=4, max_seconds=20)
        second = load.run_level(
            server.endpoint, queries, 1, max_requests=4, max_seconds=20, start=4
        )
    assert [name for name, v in first.latencies.items() if v] == [q.name for q in queries[:4]]
    assert {name for name, v in second.latencies.items() if v} == {
        q.name for q in (*queries[4:], *queries[:2])
    }
    seconds = first.seconds + second.seconds
    first.add(second)
    assert first.completed == 8 and first.seconds == seconds
    assert all(first.latencies[q.name] for q in queries), "two rounds cover the whole mix"
    assert first.throughput == 8 / seconds


class _Sampler(PeakMemory):
    """PeakMemory on this process that also counts the blocks it samples."""

    def __init__(self) -> None:
        super().__init__(os.getpid(), pss=False)
        self.blocks = 0

    def __enter__(self) -> _Sampler:
        self.blocks += 1
        super().__enter__()
        return self


class _Reference:
    def __init__(self, calls: list) -> None:
        self.calls = calls

    def rounds(self, repeats: int, max_seconds: float) -> None:
        self.calls.append(("reference", 1, repeats))


def test_interleaved_rounds_alternate_order_share_budgets_and_go_on_through_the_mix(
    monkeypatch,
):
    from bench import queries as query_part

    mix_ = mix(build_world(7))[:5]
    calls: list = []

    def fake_run_level(endpoint, queries, clients, *, max_requests, max_seconds, start=0):
        result = load.LevelResult(clients=clients, seconds=0.5)
        for client in range(clients):
            sent = max_requests - client % 2  # some clients are cut by the time limit
            for n in range(sent):
                name = queries[(start + client + n) % len(queries)].name
                result.latencies.setdefault(name, []).append(0.001)
        calls.append((endpoint, clients, start if len(queries) > 1 else "ask", max_requests))
        return result

    monkeypatch.setattr(query_part.load, "run_level", fake_run_level)
    monkeypatch.setattr(query_part.load, "warm_up", lambda endpoint, queries: {"q": 1})
    systems = [query_part._UnderTest(key, key, _Sampler()) for key in ("ours", "ox", "ox-db")]
    query_part.measure_interleaved(
        systems, _Reference(calls), mix_, [1, 4], max_requests=10, max_seconds=8.0, rounds=4
    )
    fixed = [c for c in calls if c[2] == "ask"]
    assert [c[0] for c in fixed] == ["ours", "ox", "ox-db", "ox-db", "ox", "ours"] * 2
    assert sum(c[3] for c in fixed if c[0] == "ours") == query_part.FIXED_COST_REQUESTS
    one = [c[0] for c in calls if c[1] == 1 and c[2] != "ask"]
    forwards = ["ours", "ox", "ox-db", "reference"]
    assert one == (forwards + forwards[::-1]) * 2, "the reference takes turns at one client"
    assert not [c for c in calls if c[0] == "reference" and c[1] != 1]
    import bench.inprocess as inprocess

    assert sum(c[2] for c in calls if c[0] == "reference") == inprocess.REPEATS
    # 10 requests per client over 4 rounds: 3, 3, 2, 2; clients 1 and 3 send one fewer
    ours_four = [c for c in calls if c[0] == "ours" and c[1] == 4]
    assert [c[3] for c in ours_four] == [3, 3, 2, 2]
    sent = [0]
    for c in ours_four[:-1]:
        sent.append(sent[-1] + 4 * c[3] - 2)
    assert [c[2] for c in ours_four] == [n // 4 for n in sent]
    level = systems[0].levels[4]
    assert level.completed == sum(4 * c[3] - 2 for c in ours_four) and level.seconds == 2.0
    assert all(level.latencies[q.name] for q in mix_), "the rounds cover the whole mix"
    assert systems[0].fixed is not None and systems[0].fixed.completed == 300
    assert systems[0].memory.blocks == 1 + 4 + 4 + 4, "warm-up and every round sampled"


# --------------------------------------------------------------------------- capped runs
def _sleeper(seconds: float, progress=None) -> float:
    progress(1, 4)
    time.sleep(seconds)
    return seconds


def _failing(progress=None) -> None:
    raise ValueError("broken on purpose")


def _parent_of_a_sleeper(pid_file: str, progress=None) -> None:
    """A step that starts a process of its own (as the rebuild starts its pool workers)."""
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    Path(pid_file).write_text(str(child.pid))
    time.sleep(120)


def _pool_of_sleepers(progress=None) -> None:
    """A step that runs a process pool, as the reasoning rebuild does."""
    with process_pool(2, multiprocessing.get_context("spawn")) as pool:
        for future in [pool.submit(time.sleep, 60) for _ in range(2)]:
            future.result()


def test_a_step_stopped_at_the_cap_gives_its_pools_semaphores_back():
    """Killed outright, the step's pool left 'resource_tracker: There appear to be 5 leaked
    semaphore objects' on the benchmark's stderr at exit; the tracker speaks only when the
    benchmark's own process ends, hence a process of its own here."""
    code = (
        "from bench.capped import run_capped\n"
        "from tests.test_bench import _pool_of_sleepers\n"
        "print(run_capped(_pool_of_sleepers, (), 3).status)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.stdout.strip() == "timeout", done.stderr
    assert "leaked" not in done.stderr, done.stderr


def test_a_capped_step_is_killed_with_the_processes_it_started(tmp_path):
    import psutil

    pid_file = tmp_path / "child.pid"
    late = run_capped(_parent_of_a_sleeper, (str(pid_file),), 3)
    assert late.status == "timeout"
    child = int(pid_file.read_text())
    deadline = time.monotonic() + 5
    while psutil.pid_exists(child) and time.monotonic() < deadline:
        if psutil.Process(child).status() == psutil.STATUS_ZOMBIE:
            break
        time.sleep(0.1)
    gone = not psutil.pid_exists(child) or psutil.Process(child).status() == psutil.STATUS_ZOMBIE
    if not gone:
        os.kill(child, 9)
    assert gone, "the step's own child outlived the cap"


def test_capped_run_returns_kills_and_reports_errors():
    ok = run_capped(_sleeper, (0.1,), 30)
    assert ok.ok and ok.value == 0.1
    late = run_capped(_sleeper, (60,), 3)
    assert late.status == "timeout" and late.progress == 0.25
    assert late.seconds < 30
    broken = run_capped(_failing, (), 30)
    assert broken.status == "error" and "broken on purpose" in broken.error


# --------------------------------------------------------------------------- whole run
@pytest.mark.slow
def test_quick_run_produces_every_number_and_the_reports(tmp_path):
    settings = Settings.quick(
        sizes=("1k", "2k"),
        workdir=tmp_path / "work",
        ingest_articles=4,
        levels=(1, 2),
        max_requests=12,  # two rounds of the mix per client: every query is measured
        max_seconds=5.0,
    )
    results = run(settings)
    assert list(results["sizes"]) == ["1k", "2k"]
    for size in results["sizes"].values():
        assert size["asserted_triples"] >= size["target_triples"]
        r = size["reasoning"]
        assert r["reasonable"]["status"] == "ok" and r["reasonable"]["inferred_triples"] > 0
        assert r["owlrl"]["status"] == "ok"
        assert r["same_inferences"] is True
        assert size["inferred_triples"] == r["reasonable"]["inferred_triples"]
        assert size["store_triples"] > size["asserted_triples"] + size["inferred_triples"]
        q = size["queries"]
        for system in ("diplograph", "oxigraph", "oxigraph_index"):
            assert set(q[system]["result_bytes"]) == set(q["queries"])
            for level in ("1", "2"):
                assert q[system]["levels"][level]["errors"] == 0, q[system]["levels"][level]
                assert q[system]["levels"][level]["throughput_rps"] > 0
            assert q[system]["fixed_cost"]["median_ms"] > 0
            assert q[system]["memory"]["peak_rss_mib"] > 10
        assert set(q["ratios"]["vs_pyoxigraph"]) == set(q["queries"])
        assert q["ratios"]["vs_pyoxigraph_geomean"] > 0
        assert q["ratios"]["vs_oxigraph_server_geomean"] > 0
        assert q["ratios"]["vs_oxigraph_index_geomean"] > 0
        # over our database the Oxigraph server answers exactly what we answer; loaded with
        # the dump, its union repeats entity triples once per article (DESCRIBE grows)
        assert q["oxigraph_index"]["result_bytes"] == q["diplograph"]["result_bytes"]
        assert (
            q["oxigraph"]["result_bytes"]["describe"] > q["diplograph"]["result_bytes"]["describe"]
        )
        dumps = size["dumps"]
        assert dumps["all.nq.gz"]["triples"] == size["store_triples"]
        assert dumps["inferred.ttl.gz"]["triples"] == size["inferred_triples"]
        assert size["shacl"]["status"] == "ok" and size["shacl"]["conforms"] is True
        # merged: entity triples repeated by several articles count once
        assert 0.5 * size["asserted_triples"] < size["shacl"]["triples"] <= size["asserted_triples"]
        inc = size["incremental"]
        assert all(v > 0 for v in inc["without_dumps_ms"].values())
        assert inc["with_dumps_ms"]["store"] > 0
    ingest = results["ingest"]
    assert ingest["articles"] == 4 and ingest["articles_per_second"] > 0
    assert set(ingest["stages"]) == {"extract", "map", "validate", "reason", "store"}
    assert results["reasoning_per_article"]["median_ms"] > 0
    assert results["shacl_per_article"]["median_ms"] > 0
    assert "reasoning rebuild (ours)" in results["growth"]
    engine = results["growth"]["engine: scan-join of all events (pyoxigraph)"]
    assert all(v > 0 for v in engine["values"]) and engine["tail_exponent"] is not None

    written = report.write(results, tmp_path / "out")
    data = json.loads((tmp_path / "out" / "latest.json").read_text())
    assert data["sizes"]["1k"]["articles"] == results["sizes"]["1k"]["articles"]
    markdown = (tmp_path / "out" / "latest.md").read_text()
    assert "## Query latency at 2k, 1 client (ms)" in markdown
    assert "## Goals of issue 6" in markdown
    assert len(written) == 2


def test_report_renders_missing_parts_and_nan():
    results = {"machine": {}, "sizes": {}, "growth": {}, "seconds": float("nan")}
    text = report.markdown(results)
    assert "# Benchmark results" in text
    assert json.dumps(report.clean({"x": float("nan")})) == '{"x": null}'


# --------------------------------------------------------------------------- CLI
def test_cli_help_and_bad_sizes():
    runner = CliRunner()
    result = runner.invoke(cli, ["bench", "--help"])
    assert result.exit_code == 0
    assert "--sizes" in result.output and "--quick" in result.output
    result = runner.invoke(cli, ["bench", "--sizes", "10k,lots"])
    assert result.exit_code == 2
    assert "not a size" in result.output


def test_python_dash_m_bench_is_the_same_command():
    main = Path(__file__).resolve().parent.parent / "bench" / "__main__.py"
    assert "diplograph.cli.bench import bench" in main.read_text()


def test_growth_goal_ignores_the_reference_rows_and_names_engine_bound_costs():
    row = {"values": [1, 10, 100], "exponent": 1.0, "tail_exponent": 1.0}
    growth_rows = {
        "engine: scan-join of all events (pyoxigraph)": {**row, "verdict": "super-linear"},
        "2-hop naive (pyoxigraph)": {**row, "verdict": "super-linear"},
        "example 04-allegations-only": {**row, "verdict": "as the engine"},
        "query between (diplograph)": {**row, "verdict": "linear"},
    }
    goals = report.check_goals({"sizes": {}, "growth": growth_rows})
    (goal,) = [g for g in goals if g["goal"].startswith("no cost grows")]
    assert goal["met"] == "yes"
    assert goal["measured"] == "none super-linear; as the engine: example 04-allegations-only"
    growth_rows["query between (diplograph)"]["verdict"] = "super-linear"
    goals = report.check_goals({"sizes": {}, "growth": growth_rows})
    (goal,) = [g for g in goals if g["goal"].startswith("no cost grows")]
    assert goal["met"] == "no" and goal["measured"] == "query between (diplograph)"
