"""Fixtures shared by the whole suite: CLI runner, temporary stores, the shared devset."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

REPO = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"


def _shared_dir() -> Path:
    configured = os.environ.get("DIPLOGRAPH_SHARED")
    return Path(configured) if configured else REPO.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The project's shared materials (devset, seed, protocol harness) beside the repo.

    A clean clone has no ../shared, so the tests that need it skip there; CI has it, and
    under CI (env CI set) a missing ../shared is a failure, not a silent skip.
    """
    path = _shared_dir()
    if not (path / "devset" / "gold.jsonl").is_file():
        if os.environ.get("CI"):
            pytest.fail(f"CI must run beside the shared materials, but {path} has no devset")
        pytest.skip(f"needs the shared materials at {path} (set DIPLOGRAPH_SHARED)")
    return path


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def invoke(runner: CliRunner) -> Callable[..., Result]:
    """Run `diplograph ARGS...` in-process; `expect` is the exit code the test requires."""
    from diplograph.cli.main import cli

    def run(*args: str, expect: int | None = 0, input: str | None = None) -> Result:
        result = runner.invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False)
        if expect is not None:
            assert result.exit_code == expect, (
                f"exit {result.exit_code}, expected {expect}\nstdout:\n{result.stdout}\n"
                f"stderr:\n{result.stderr}"
            )
        return result

    return run


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "store"


def run_cli(*args: str | Path, timeout: float = 300, **kwargs) -> subprocess.CompletedProcess:
    """Run the installed `diplograph` console script in a real subprocess."""
    executable = Path(sys.executable).with_name("diplograph")
    return subprocess.run(
        [str(executable), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        **kwargs,
    )


@pytest.fixture
def store(base_store: Path, tmp_path: Path) -> Path:
    """A private copy of the module's ``base_store`` (a module-scoped fixture each module
    that uses this one defines), so that one test's changes cannot spoil the others."""
    copy = tmp_path / "store"
    shutil.copytree(base_store, copy)
    return copy
