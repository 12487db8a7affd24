"""SIGKILL during `diplograph ingest`: the store is unchanged or complete, never partial.

The real ``diplograph ingest`` runs in a subprocess on a batch that adds many articles to
a store and re-ingests two of its articles with different facts, and is SIGKILLed at a
seeded random moment. Half of the kills pick the moment uniformly over the whole ingest
(most land while it reads, maps, validates or reasons); the other half wait until the
writer has made its staging copy and strike at a random point of the store phase, where
a non-atomic design would leave half a batch behind. After every kill:

* the store still opens and answers a query;
* it is either byte-for-byte the version published before, or the complete new version:
  exactly the facts of the old store with the batch applied (the re-ingested articles
  *replaced*, not added to);
* the dumps served (written after publishing, so a kill may hit them) are complete: every
  file matches its manifest, no half-written file is visible, and no folder named
  ``dumps`` lacks its manifest;

Kills come in chains on one store, so later ingests start from whatever the dead ones
left (a staging copy, an unpublished version, a half-deleted leftover) and some kills hit
the cleanup itself. Each chain ends with an ingest that is left to finish: it must
complete the batch, remove every leftover and give the same facts again (re-ingesting
replaces, it never duplicates).

``DIPLOGRAPH_CRASH_RUNS`` sets the number of kills (default 20, the CI size; a multiple
of ``KILLS_PER_CHAIN``), ``DIPLOGRAPH_CRASH_BATCH`` the size of the batch in copies of
the three template articles (default 4).
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest

from diplograph.ingest.facts import Article, read_records
from diplograph.store import VersionedStore
from diplograph.store.versioned import STAGING_PREFIX
from tests.conftest import DATA

RUNS = int(os.environ.get("DIPLOGRAPH_CRASH_RUNS", "20"))
KILLS_PER_CHAIN = 5
#: Copies of the template's three articles in the killed batch.
BATCH_COPIES = int(os.environ.get("DIPLOGRAPH_CRASH_BATCH", "4"))
CLI = Path(sys.executable).with_name("diplograph")
TEMPLATE = DATA / "semantic-facts.jsonl"
COUNTRIES = [
    ("France", "Q142"),
    ("Germany", "Q183"),
    ("Japan", "Q17"),
    ("Brazil", "Q155"),
    ("Kenya", "Q114"),
    ("India", "Q668"),
    ("Canada", "Q16"),
    ("Egypt", "Q79"),
    ("Norway", "Q20"),
    ("Chile", "Q298"),
]

pytestmark = pytest.mark.slow


# ------------------------------------------------------------------------ the inputs
def _template_lines() -> list[dict]:
    return [json.loads(row) for row in TEMPLATE.read_text(encoding="utf-8").splitlines() if row]


def _article_records(prefix: str, variant: int) -> list[dict]:
    """The template's articles under ids ``prefix-ID``, one country swapped by ``variant``."""
    out = []
    for record in _template_lines():
        text = json.dumps(record, ensure_ascii=False)
        old_id = record["id"] if record.get("record") == "article" else record["article"]
        text = text.replace(json.dumps(old_id), json.dumps(f"{prefix}-{old_id}"))
        name, qid = COUNTRIES[variant % len(COUNTRIES)]
        text = text.replace('"Israel"', json.dumps(name)).replace('"Q801"', json.dumps(qid))
        out.append(json.loads(text))
    return out


def _write(path: Path, records: list[dict]) -> Path:
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    return path


@dataclass(frozen=True)
class Setup:
    base: Path  # the pristine base store (copied for every chain)
    base_facts: Counter[str]  # the facts it holds
    batch: Path  # the big facts file that the runs ingest
    expected: Counter[str]  # the facts of the complete store, as canonical JSON lines
    graphs: dict[str, int]  # triples per graph of a complete, uninterrupted ingest
    seconds: float  # wall time of one uninterrupted ingest subprocess
    store_seconds: float  # how long its staging copy existed (the store phase)


def ingest_command(store: Path, batch: Path) -> list[str]:
    return [str(CLI), "ingest", "--store", str(store), "--quiet", str(batch)]


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Setup:
    folder = tmp_path_factory.mktemp("crash")
    base_facts = _write(
        folder / "base.jsonl",
        [r for i in range(2) for r in _article_records(f"base{i}", variant=i)],
    )
    base = folder / "base-store"
    done = subprocess.run(ingest_command(base, base_facts), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr

    # The batch: many new articles, and base1's again with other facts (replacements).
    records = [r for i in range(BATCH_COPIES) for r in _article_records(f"new{i}", i + 3)]
    records += _article_records("base1", variant=7)
    batch = _write(folder / "batch.jsonl", records)
    replaced = {r["id"] for r in records if r.get("record") == "article"} | {
        r["article"] for r in records if "article" in r
    }
    expected = canonical_facts(base_facts, drop_articles=replaced) + canonical_facts(batch)

    reference = folder / "reference"
    shutil.copytree(base, reference)
    started = time.monotonic()
    log = folder / "reference.log"
    with open(log, "wb") as stderr:
        process = subprocess.Popen(ingest_command(reference, batch), stderr=stderr)
        staging_seen = None
        while process.poll() is None:
            if staging_seen is None and _staging(reference):
                staging_seen = time.monotonic()
            time.sleep(0.002)
    finished = time.monotonic()
    assert process.returncode == 0, log.read_text(errors="replace")
    assert staging_seen is not None, "the store phase was too short to observe"
    assert export_facts(reference) == expected
    return Setup(
        base=base,
        base_facts=export_facts(base),
        batch=batch,
        expected=expected,
        graphs=published_metadata(reference)["graphs"],
        seconds=finished - started,
        store_seconds=finished - staging_seen,
    )


def canonical_facts(path: Path, drop_articles: frozenset[str] | set[str] = frozenset()) -> Counter:
    """Facts of a JSONL file as a multiset of canonical JSON (article records left out)."""
    with open(path, encoding="utf-8") as handle:
        return Counter(
            json.dumps(record.to_dict(), sort_keys=True)
            for record in read_records(handle, source=str(path))
            if not isinstance(record, Article) and record.article not in drop_articles
        )


# ------------------------------------------------------------------------ store probes
def _staging(store: Path, pid: int | None = None) -> list[Path]:
    """Staging copies in the store (only those of process ``pid`` when given)."""
    prefix = STAGING_PREFIX if pid is None else f"{STAGING_PREFIX}{pid}-"
    return [p for p in store.iterdir() if p.name.startswith(prefix)]


def published_bytes(store: Path) -> dict[str, bytes]:
    """CURRENT and every data file of the version it names (RocksDB's LOCK/LOG excluded).

    Dumps are left out: they are written after publishing (see :func:`assert_dumps_sound`).
    """
    current = (store / "CURRENT").read_text(encoding="ascii").strip()
    return {"CURRENT": (store / "CURRENT").read_bytes(), **published_bytes_of(store, current)}


def _is_data_file(path: Path, version_dir: Path) -> bool:
    parts = path.relative_to(version_dir).parts
    return (
        path.is_file()
        and path.name not in {"LOCK", "LOG"}
        and ".old" not in path.name
        and parts[0] != "dumps"
        and not parts[0].startswith(".dumps-")
    )


def assert_dumps_sound(store: Path, context: str) -> None:
    """Every ``dumps`` folder is complete and the served one matches its manifest."""
    import hashlib

    for folder in (store / "versions").glob("*/dumps"):
        assert (folder / "manifest.json").is_file(), f"{context}: {folder} has no manifest"
    served = VersionedStore.open(store, create=False).dumps_dir()
    if not served.is_dir():
        return
    manifest = json.loads((served / "manifest.json").read_text("utf-8"))
    listed = {entry["name"]: entry for entry in manifest["files"]}
    assert {p.name for p in served.iterdir()} == {*listed, "manifest.json"}, context
    for name, entry in listed.items():
        data = (served / name).read_bytes()
        assert len(data) == entry["bytes"], f"{context}: {name} is half written"
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], f"{context}: {name}"


def published_metadata(store: Path) -> dict:
    current = (store / "CURRENT").read_text(encoding="ascii").strip()
    return json.loads((store / "versions" / f"{current}" / "meta.json").read_text("utf-8"))


def export_facts(store: Path) -> Counter:
    """The facts the published version holds, read back through the RDF mapping."""
    from diplograph.ingest.from_rdf import records_from_graph
    from diplograph.ingest.pipeline import article_ids_in
    from diplograph.ontology.namespaces import article_graph
    from diplograph.store.terms import rdflib_graph

    snapshot = VersionedStore.open(store, create=False).reader()
    facts: Counter[str] = Counter()
    for article_id in article_ids_in(snapshot.store):
        quads = snapshot.store.quads_for_pattern(
            None, None, None, ox.NamedNode(article_graph(article_id))
        )
        for record in records_from_graph(rdflib_graph(quads)):
            if not isinstance(record, Article):
                facts[json.dumps(record.to_dict(), sort_keys=True)] += 1
    count = snapshot.store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert int(next(iter(count))["n"].value) == snapshot.metadata["triples"]
    return facts


# ------------------------------------------------------------------------ one killed run
@dataclass(frozen=True)
class Outcome:
    seed: int
    mode: str
    delay: float
    state: str  # "unchanged" or "complete"
    killed: bool  # False when the ingest finished before the kill
    in_store_phase: bool  # the kill left a staging copy or an unpublished version behind


def kill_run(setup: Setup, store: Path, seed: int) -> Outcome:
    """Start the ingest and SIGKILL it at the seeded moment; report what it hit."""
    rng = random.Random(seed)
    mode = "store-phase" if seed % 2 else "anytime"
    versions_before = _version_dirs(store)
    process = subprocess.Popen(
        ingest_command(store, setup.batch),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        if mode == "anytime":
            delay = rng.uniform(0.0, setup.seconds * 1.05)
            deadline = time.monotonic() + delay
        else:
            delay = rng.uniform(0.0, setup.store_seconds * 0.8)  # most land before publishing
            deadline = time.monotonic() + setup.seconds * 3
            while process.poll() is None and not _staging(store, process.pid):
                if time.monotonic() > deadline:
                    raise AssertionError("the ingest never reached its store phase")
                time.sleep(0.001)
            deadline = time.monotonic() + delay
        while process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.001)
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):  # it may finish in between
                os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    # Decided by how it ended, not by a poll just before the kill: it can finish in between.
    assert process.returncode in (0, -signal.SIGKILL), process.returncode
    killed = process.returncode == -signal.SIGKILL
    return Outcome(
        seed=seed,
        mode=mode,
        delay=delay,
        state="",
        killed=killed,
        in_store_phase=bool(_staging(store, process.pid))
        or any(
            name > current_version(store) and versions_before.get(name) != identity
            for name, identity in _version_dirs(store).items()
        ),
    )


def _version_dirs(store: Path) -> dict[str, tuple[int, int]]:
    """Version folders with (inode, ctime): a folder deleted and made again is a new one."""
    return {p.name: (p.stat().st_ino, p.stat().st_ctime_ns) for p in (store / "versions").iterdir()}


OUTCOMES: list[Outcome] = []


def current_version(store: Path) -> str:
    return (store / "CURRENT").read_text(encoding="ascii").strip()


def next_version(version: str) -> str:
    return f"v{int(version[1:]) + 1:06d}"


@pytest.mark.parametrize("chain", range(max(1, RUNS // KILLS_PER_CHAIN)))
def test_sigkill_leaves_the_store_unchanged_or_complete(
    setup: Setup, tmp_path: Path, chain: int
) -> None:
    store = tmp_path / "store"
    shutil.copytree(setup.base, store)
    facts = setup.base_facts
    for seed in range(chain * KILLS_PER_CHAIN, (chain + 1) * KILLS_PER_CHAIN):
        before = published_bytes(store)
        version = current_version(store)

        outcome = kill_run(setup, store, seed)

        # Still openable, and either exactly the old version or exactly the new one.
        if current_version(store) == version:
            state = "unchanged"
            assert published_bytes(store) == before, f"seed {seed}: published version changed"
            assert export_facts(store) == facts, f"seed {seed}"
        else:
            state = "complete"
            assert current_version(store) == next_version(version), f"seed {seed}"
            assert published_metadata(store)["graphs"] == setup.graphs, f"seed {seed}"
            assert export_facts(store) == setup.expected, f"seed {seed}: partial or duplicated"
            facts = setup.expected
        assert outcome.killed or state == "complete"
        assert_dumps_sound(store, f"seed {seed}")
        OUTCOMES.append(Outcome(**{**outcome.__dict__, "state": state}))

    # An ingest left to finish completes the batch and cleans up after the dead writers.
    version = current_version(store)
    rerun = subprocess.run(ingest_command(store, setup.batch), capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert current_version(store) == next_version(version)
    assert not _staging(store), "a staging copy survived the next writer"
    leftovers = [p.name for p in store.iterdir() if p.name.endswith(".tmp")]
    assert not leftovers, f"temporary files survived the next writer: {leftovers}"
    newer = [p.name for p in (store / "versions").iterdir() if p.name > current_version(store)]
    assert not newer, f"unpublished versions survived the next writer: {newer}"
    half_dumps = list(store.glob("versions/*/.dumps-*"))
    assert not half_dumps, f"temporary dump folders survived the next writer: {half_dumps}"
    served = VersionedStore.open(store, create=False).dumps_dir()
    assert served.parent.name == current_version(store), "the dumps were not repaired"
    assert_dumps_sound(store, "after the final ingest")
    assert published_metadata(store)["graphs"] == setup.graphs
    assert export_facts(store) == setup.expected, "re-ingest duplicated or lost facts"


def test_the_kills_hit_every_phase(setup: Setup) -> None:
    """The runs must have exercised what they claim: kills in the store phase above all."""
    if len(OUTCOMES) < RUNS:
        pytest.skip("needs the seeded runs above (run the whole module)")
    killed = [o for o in OUTCOMES if o.killed]
    in_store = [o for o in killed if o.in_store_phase]
    summary = Counter(f"{o.mode}/{o.state}" for o in OUTCOMES)
    print(
        f"\ncrash runs: {len(OUTCOMES)}, SIGKILLed {len(killed)} (store intact after every"
        f" one), {len(in_store)} of them in the store phase; uninterrupted ingest"
        f" {setup.seconds:.2f}s, store phase {setup.store_seconds:.2f}s; {dict(summary)}"
    )
    assert len(killed) >= RUNS // 2
    assert len(in_store) >= RUNS // 4
    assert any(o.state == "unchanged" for o in killed)


def test_next_writer_removes_every_kind_of_leftover(tmp_path: Path) -> None:
    """What a writer killed at each step leaves behind, laid out by hand: all of it goes."""
    store = VersionedStore.open(tmp_path / "store")
    with store.writer() as batch:
        batch.replace_graph("https://w3id.org/diplograph/graph/article/a", [])
    root = store.path
    current = current_version(root)
    (root / f"{STAGING_PREFIX}999999-1" / "db").mkdir(parents=True)  # died while staging
    shutil.copytree(root / "versions" / current, root / "versions" / next_version(current))
    (root / ".CURRENT.999999.tmp").write_text(next_version(current) + "\n")  # died mid-swap
    dead_dumps = root / "versions" / current / ".dumps-999999-1.tmp"  # died writing dumps
    dead_dumps.mkdir()
    (dead_dumps / "all.nq.gz").write_bytes(b"half")
    before = published_bytes(root)

    assert VersionedStore.open(root, create=False).reader().version == current
    with store.writer():
        pass
    assert sorted(p.name for p in root.iterdir() if p.name not in {"LOCK", "DUMPS.LOCK"}) == [
        "CURRENT",
        "FORMAT",
        "versions",
    ]
    assert current_version(root) == next_version(current)
    assert not dead_dumps.exists(), "a dead dump writer's folder survived"
    assert {k: v for k, v in before.items() if k != "CURRENT"}.items() <= {
        **published_bytes_of(root, current)
    }.items()


def published_bytes_of(store: Path, version: str) -> dict[str, bytes]:
    folder = store / "versions" / version
    return {
        str(path.relative_to(store)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if _is_data_file(path, folder)
    }
