"""Part 4b: the time to write each published dump of a store version.

Uses the store's own dump writer (``diplograph.store.dumps.write_dump``), file by file, on
the current version of a benchmark store; the files go to a scratch folder.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

from diplograph.store import VersionedStore
from diplograph.store.dumps import DUMPS, write_dump


def measure(store_path: Path, scratch: Path) -> dict[str, Any]:
    """Seconds, triples and bytes per dump file."""
    snapshot = VersionedStore.open(store_path, create=False).reader()
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    out: dict[str, Any] = {}
    try:
        for spec in DUMPS:
            began = time.perf_counter()
            entry = write_dump(snapshot.store, scratch, spec)
            out[spec.name] = {
                "seconds": round(time.perf_counter() - began, 3),
                "triples": entry["triples"],
                "mib": round(entry["bytes"] / 1024 / 1024, 2),
            }
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return out
