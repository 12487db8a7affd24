"""Pool workers die with their parent (Linux): a killed ingest leaves no orphans behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psutil
import pytest

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux-only"
)

#: A parent that starts a spawn pool like the reasoning rebuild (ours, or a plain one),
#: prints its workers' pids once they are busy, and waits to be killed.
PARENT = textwrap.dedent(
    """
    import multiprocessing, sys, time
    from concurrent.futures import ProcessPoolExecutor
    from diplograph.ingest.worker_lifetime import process_pool

    def busy(_):
        time.sleep(120)

    if __name__ == "__main__":
        context = multiprocessing.get_context("spawn")
        if sys.argv[1] == "end-with-parent":
            pool = process_pool(2, context)
        else:
            pool = ProcessPoolExecutor(max_workers=2, mp_context=context)
        for _ in range(2):
            pool.submit(busy, None)
        while len(pool._processes) < 2 or not all(p.pid for p in pool._processes.values()):
            time.sleep(0.05)
        print(" ".join(str(pid) for pid in pool._processes), flush=True)
        time.sleep(120)
    """
)


def _workers_after_parent_killed(tmp_path: Path, mode: str) -> list[int]:
    script = tmp_path / "parent.py"
    script.write_text(PARENT)
    log = tmp_path / "parent.log"
    with log.open("w") as stderr:  # the killed parent's resource tracker complains there
        parent = subprocess.Popen(
            [sys.executable, str(script), mode],
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            cwd=tmp_path,
        )
    assert parent.stdout is not None
    try:
        with parent.stdout:
            workers = [int(pid) for pid in parent.stdout.readline().split()]
        assert len(workers) == 2, log.read_text()
        time.sleep(0.5)  # the initializers have run (the tasks are sleeping)
    finally:
        parent.kill()
        parent.wait(10)
    deadline = time.monotonic() + 5
    alive = workers
    while alive and time.monotonic() < deadline:
        alive = [pid for pid in workers if _running(pid)]
        time.sleep(0.1)
    return alive


def _running(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def test_pool_workers_die_with_a_killed_parent(tmp_path):
    assert _workers_after_parent_killed(tmp_path, "end-with-parent") == []


def test_without_it_the_workers_outlive_their_parent(tmp_path):
    """The control: what the initializer prevents really happens without it."""
    orphans = _workers_after_parent_killed(tmp_path, "plain")
    try:
        assert len(orphans) == 2
    finally:
        for pid in orphans:
            os.kill(pid, signal.SIGKILL)
