"""Part 4b: the time to write each published dump of a store version.

Uses the store's own dump writer (``diplograph.store.dumps``) on the current version of a
benchmark store; the files go to a scratch folder. Each file is timed alone
(``write_dump``: serialisation with compression overlapped in another thread), then all of
them together as a version's dumps are written (``write_dumps``: files concurrently).
CPU seconds of the process are reported beside wall seconds, since on a shared machine
wall time depends on what else runs.
"""

from __future__ import annotations

import resource
import shutil
import time
from pathlib import Path
from typing import Any

from diplograph.store import VersionedStore
from diplograph.store.dumps import DUMPS, write_dump, write_dumps


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure(store_path: Path, scratch: Path) -> dict[str, Any]:
    """Seconds, CPU seconds, triples and bytes per dump file, and for the whole set."""
    snapshot = VersionedStore.open(store_path, create=False).reader()
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    out: dict[str, Any] = {}
    try:
        for spec in DUMPS:
            began, cpu = time.perf_counter(), _cpu_seconds()
            entry = write_dump(snapshot.store, scratch, spec)
            out[spec.name] = {
                "seconds": round(time.perf_counter() - began, 3),
                "cpu_seconds": round(_cpu_seconds() - cpu, 3),
                "triples": entry["triples"],
                "mib": round(entry["bytes"] / 1024 / 1024, 2),
            }
        began, cpu = time.perf_counter(), _cpu_seconds()
        write_dumps(snapshot.store, scratch / "together")
        out["all files together"] = {
            "seconds": round(time.perf_counter() - began, 3),
            "cpu_seconds": round(_cpu_seconds() - cpu, 3),
        }
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return out
