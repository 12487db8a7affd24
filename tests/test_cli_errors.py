"""Every way a command can fail ends in one clear line and the documented exit code.

README: 0 success · 1 input rejected (a file's or query's content) · 2 usage error (a bad
option or argument, including a file, folder or article named on the command line that
does not exist, and a value that cannot be used: an output folder that is missing, a port
in use) · 3 store unavailable (missing, locked, damaged) · 130 interrupted (Ctrl-C).
No traceback, and nothing half-written: no partial output file, no new or changed store.

Most cases run in-process through the ``invoke`` fixture, which re-raises an unexpected
exception (the traceback a user would see) instead of turning it into exit code 1.
"""

from __future__ import annotations

import json
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from diplograph.cli.serve import serve
from tests.conftest import DATA, run_cli

FACTS = DATA / "israel-morocco.jsonl"
GOLD = DATA / "extract-gold.jsonl"
PREDICTIONS = DATA / "extract-predictions.jsonl"


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` with its bytes: the "nothing changed" check."""
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def one_error_line(stderr: str) -> str:
    """The single `error:` line a failing command prints (and no traceback)."""
    assert "Traceback" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if line.lower().startswith("error: ")]
    assert len(lines) == 1, stderr
    return lines[0]


@pytest.fixture(scope="module")
def base_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cli-errors") / "store"
    result = run_cli("ingest", FACTS, "--store", root, "--quiet")
    assert result.returncode == 0, result.stderr
    return root


def damage(store: Path, how: str) -> Path:
    """Damage the current version the way a careless `rm` or a bad disk would; returns the
    path the error message must name."""
    version = store / "versions" / (store / "CURRENT").read_text().strip()
    if how == "db":
        shutil.rmtree(version / "db")
        return version / "db"
    if how == "version":
        shutil.rmtree(version)
        return version
    if how == "meta":
        (version / "meta.json").write_text("{not json", encoding="utf-8")
        return version / "meta.json"
    if how == "sst":
        for sst in (version / "db").glob("*.sst"):
            sst.unlink()
        return version / "db"
    raise ValueError(how)


# ------------------------------------------------------------------ 1. output files
def test_dump_into_a_missing_folder_is_a_usage_error(invoke, store: Path, tmp_path: Path) -> None:
    out = tmp_path / "missing" / "dir" / "x.ttl"
    result = invoke("dump", "--store", store, "--format", "ttl", "--out", out, expect=2)
    assert "--out" in result.stderr and str(out.parent) in result.stderr
    assert "does not exist" in result.stderr
    assert not (tmp_path / "missing").exists()


def test_evaluate_json_into_a_missing_folder_is_a_usage_error(invoke, tmp_path: Path) -> None:
    out = tmp_path / "missing" / "r.json"
    args = ["evaluate", "--gold", GOLD, "--predictions", PREDICTIONS, "--json", out]
    result = invoke(*args, expect=2)
    assert "--json" in result.stderr and str(out.parent) in result.stderr
    assert not (tmp_path / "missing").exists()
    good = tmp_path / "r.json"
    invoke(*args[:-1], good)
    assert json.loads(good.read_text())["documents"] == 2
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"], "a temporary file was left"


def test_an_interrupted_dump_leaves_no_partial_file(
    invoke, store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C half-way: the old --out file stays as it was, no temporary file remains."""
    import pyoxigraph as ox

    out = tmp_path / "everything.nq"
    out.write_text("the previous dump\n")

    def half_then_ctrl_c(items, output, *args, **kwargs) -> None:
        output.write(b"<http://example.org/half")
        raise KeyboardInterrupt

    monkeypatch.setattr(ox, "serialize", half_then_ctrl_c)
    result = invoke("dump", "--store", store, "--out", out, expect=130)
    assert one_error_line(result.stderr) == "error: interrupted"
    assert out.read_text() == "the previous dump\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["everything.nq", "store"]


def test_an_output_folder_that_vanishes_is_reported_in_one_line(
    invoke, store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Checked when parsed, gone when written: still one line naming the file and option."""
    import diplograph.cli.dump

    folder = tmp_path / "out"
    folder.mkdir()
    real_open_store = diplograph.cli.dump.open_store

    def open_store_and_remove_the_folder(*args, **kwargs):
        folder.rmdir()
        return real_open_store(*args, **kwargs)

    monkeypatch.setattr(diplograph.cli.dump, "open_store", open_store_and_remove_the_folder)
    result = invoke("dump", "--store", store, "--out", folder / "x.nq", expect=2)
    line = one_error_line(result.stderr)
    assert line == f"error: cannot write {folder / 'x.nq'} (--out): No such file or directory"


# ------------------------------------------------------------------ 2. serve: host and port
@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        yield taken.getsockname()[1]


def test_serve_on_a_port_in_use_says_so(store: Path, busy_port: int) -> None:
    result = run_cli("serve", "--store", store, "--port", busy_port, "--workers", "1", timeout=60)
    assert result.returncode == 2, result.stderr
    assert one_error_line(result.stderr) == (
        f"error: cannot listen on 127.0.0.1:{busy_port}: address already in use"
        " (use --port to choose another)"
    )
    assert "serving" not in result.stdout


@pytest.mark.parametrize(
    ("host", "reason"),
    [
        ("192.0.2.1", "not an address of this machine"),  # TEST-NET-1: nobody's interface
        ("no-such-host.invalid", "resolve"),
    ],
)
def test_serve_on_a_host_that_is_not_this_machine_says_so(
    store: Path, host: str, reason: str
) -> None:
    args = ["--store", store, "--host", host, "--port", "18899", "--workers", "1"]
    result = run_cli("serve", *args, timeout=60)
    assert result.returncode == 2, result.stderr
    line = one_error_line(result.stderr)
    assert line.startswith(f"error: cannot listen on {host}:18899: ") and reason in line
    assert "--host" in line


def test_serve_with_a_base_iri_without_slash_is_a_usage_error(store: Path) -> None:
    result = CliRunner().invoke(serve, ["--store", str(store), "--base-iri", "http://x.org/id"])
    assert result.exit_code == 2 and "--base-iri" in result.stderr


# ------------------------------------------------------------------ 3. consistent codes
def test_serve_on_a_missing_store_exits_3_like_the_other_commands(invoke, tmp_path: Path) -> None:
    missing = tmp_path / "nonexistent"
    for args in (["query", "ASK {}"], ["info"], ["export", "facts"]):
        invoke(*args, "--store", missing, expect=3)
    result = CliRunner().invoke(serve, ["--store", str(missing), "--port", "0"])
    assert result.exit_code == 3, result.output
    assert str(missing) in one_error_line(result.stderr)


@pytest.mark.parametrize(
    "args",
    [
        ["ingest", "{missing}", "--store", "{store}"],
        ["extract", "{missing}"],
        ["load", "{missing}", "--store", "{store}"],
        ["validate", "{missing}"],
        ["evaluate", "--gold", "{missing}", "--predictions", str(PREDICTIONS)],
        ["query", "@{missing}", "--store", "{store}"],
    ],
    ids=["ingest", "extract", "load", "validate", "evaluate", "query"],
)
def test_a_named_file_that_does_not_exist_is_a_usage_error(
    invoke, store: Path, tmp_path: Path, args: list[str]
) -> None:
    """One rule for every command: a path on the command line that does not exist is a
    usage error (2), as click.Path(exists=True) reports it; bad content is 1."""
    missing = tmp_path / "nosuch.jsonl"
    before = tree(store)
    result = invoke(*[a.format(missing=missing, store=store) for a in args], expect=2)
    assert "nosuch.jsonl" in result.stderr
    assert tree(store) == before


def test_ctrl_c_exits_130_without_aborted(invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    import diplograph.cli.query

    def interrupted(argument: str) -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr(diplograph.cli.query, "_read_query", interrupted)
    result = invoke("query", "-", expect=130)
    assert one_error_line(result.stderr) == "error: interrupted"
    assert "Aborted" not in result.stderr


def test_a_real_sigint_exits_130(store: Path) -> None:
    """SIGINT while `query -` waits for its query on stdin."""
    diplograph = str(Path(sys.executable).with_name("diplograph"))
    # The test runner may ignore SIGINT (as a background job does), and Python would then
    # ignore it too: exec the command with SIGINT back to its default.
    with_sigint = (
        "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL);"
        " os.execv(sys.argv[1], sys.argv[1:])"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", with_sigint, diplograph, "query", "-", "--store", str(store)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 20
        wchan = Path(f"/proc/{process.pid}/wchan")
        while time.monotonic() < deadline:  # until it blocks reading stdin
            if wchan.is_file() and "pipe" in wchan.read_text():
                break
            time.sleep(0.05)
        process.send_signal(signal.SIGINT)
        _out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 130, err
    assert one_error_line(err) == "error: interrupted"


def test_help_documents_the_exit_codes(invoke) -> None:
    text = " ".join(invoke("--help").stdout.split())
    for code in ("0 success", "1 input rejected", "2 usage error", "3 store", "130 interrupted"):
        assert code in text


# ------------------------------------------------------------------ 4. rejected ingest
def test_ingest_of_a_missing_folder_creates_no_store(invoke, tmp_path: Path) -> None:
    new = tmp_path / "x" / "s2"
    result = invoke("ingest", tmp_path / "nosuch", "--store", new, expect=2)
    assert "nosuch" in result.stderr
    assert not (tmp_path / "x").exists()


def test_ingest_of_rejected_facts_creates_no_store(invoke, tmp_path: Path) -> None:
    """Rejected by SHACL, after reading: the store is created only when a batch is written."""
    facts = [json.loads(line) for line in FACTS.read_text().splitlines()]
    next(f for f in facts if f.get("type") == "official_visit")["actor"] = None
    bad = tmp_path / "no-actor.jsonl"
    bad.write_text("".join(json.dumps(f) + "\n" for f in facts))
    new = tmp_path / "x" / "s2"
    result = invoke("ingest", bad, "--store", new, "--quiet", expect=1)
    assert result.stderr.startswith("error: ") and "needs an actor" in result.stderr
    assert not (tmp_path / "x").exists()
    empty = tmp_path / "empty"
    empty.mkdir()
    invoke("ingest", bad, "--store", empty, "--quiet", expect=1)
    assert list(empty.iterdir()) == [], "an empty folder given as --store stays empty"
    invoke("ingest", FACTS, "--store", new, "--quiet")
    assert (new / "CURRENT").read_text().strip() == "v000001"


def test_ingest_into_a_path_that_is_not_a_store_fails_before_reading(
    invoke, tmp_path: Path
) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    result = invoke("ingest", FACTS, "--store", tmp_path, expect=3)
    assert "not a Diplograph store" in one_error_line(result.stderr)


# ------------------------------------------------------------------ 5. damaged store
@pytest.mark.parametrize(
    "args",
    [
        ["info"],
        ["query", "ASK {}"],
        ["dump"],
        ["export", "facts"],
        ["export", "network"],
        ["reason", "--quiet"],
        ["ingest", str(FACTS), "--quiet"],
        ["load", "{rdf}", "--quiet"],
    ],
    ids=lambda args: " ".join(args[:2]) if args[0] == "export" else args[0],
)
def test_every_command_reports_a_damaged_store(
    invoke, store: Path, tmp_path: Path, args: list[str]
) -> None:
    rdf = tmp_path / "data.nt"
    rdf.write_text("<http://example.org/s> <http://example.org/p> <http://example.org/o> .\n")
    damaged = damage(store, "db")
    before = tree(store)
    result = invoke(*[a.replace("{rdf}", str(rdf)) for a in args], "--store", store, expect=3)
    line = one_error_line(result.stderr)
    assert "damaged" in line and str(damaged) in line, line
    assert result.stdout == ""
    assert tree(store) == before, "a command changed a damaged store"


@pytest.mark.parametrize("how", ["version", "meta", "sst"])
def test_other_damage_is_reported_too(invoke, store: Path, how: str) -> None:
    damaged = damage(store, how)
    line = one_error_line(invoke("info", "--store", store, expect=3).stderr)
    assert "damaged" in line and str(damaged) in line, line


def test_serve_refuses_a_damaged_store(store: Path) -> None:
    damaged = damage(store, "db")
    result = CliRunner().invoke(serve, ["--store", str(store), "--port", "0", "--workers", "1"])
    assert result.exit_code == 3, result.output
    line = one_error_line(result.stderr)
    assert "damaged" in line and str(damaged) in line
    assert "serving" not in result.stdout


def test_serve_refuses_a_damaged_store_as_a_real_process(store: Path) -> None:
    damage(store, "db")
    result = run_cli("serve", "--store", store, "--port", "0", "--workers", "1", timeout=60)
    assert result.returncode == 3, result.stderr
    assert "damaged" in one_error_line(result.stderr)
    assert "serving" not in result.stdout


# ------------------------------------------------------------------ 6. unknown values
def test_gazetteer_lookup_refuses_an_unknown_kind(invoke) -> None:
    result = invoke("gazetteer", "lookup", "Georgia", "--kind", "nation", expect=2)
    assert "'nation' is not one of" in result.stderr and "country" in result.stderr
    linked = invoke("gazetteer", "lookup", "Georgia", "--kind", "country").stdout
    assert "link_entity('Georgia', 'country') = Q230" in linked


def test_export_of_an_article_the_store_does_not_hold(invoke, store: Path) -> None:
    result = invoke("export", "facts", "--store", store, "--article", "nosuch", expect=2)
    line = one_error_line(result.stderr)
    assert "no such article" in line and "nosuch" in line and "--article" in line
    assert result.stdout == ""
    mixed = ["--article", "dg-test-im", "--article", "nosuch"]
    assert invoke("export", "facts", "--store", store, *mixed, expect=2).stdout == ""
    one = invoke("export", "facts", "--store", store, "--article", "dg-test-im").stdout
    assert one.count("\n") == len(FACTS.read_text().splitlines())
