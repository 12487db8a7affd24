"""Write a store's dumps in a detached process: ``python -m diplograph.store.dump_worker STORE``.

``diplograph ingest --background-dumps`` publishes the new version and starts this, so the
command returns as soon as readers see the new data. The worker takes the dumps lock
(``VersionedStore.refresh_dumps``): if a dump writer is already running it exits at once,
and that writer dumps the newest version when it finishes. A killed worker leaves only a
temporary folder, removed by the next writer; /dumps/ keeps serving the previous
complete dumps meanwhile.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from diplograph.store.versioned import VersionedStore

LOG_NAME = "dumps.log"


def spawn(store_path: Path) -> subprocess.Popen[bytes]:
    """Start the worker detached from this process (own session, output to STORE/dumps.log)."""
    with open(store_path / LOG_NAME, "ab") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "diplograph.store.dump_worker", str(store_path)],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=True,
            close_fds=True,
        )


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m diplograph.store.dump_worker STORE", file=sys.stderr)
        return 2
    store = VersionedStore.open(argv[0], create=False)
    version = store.refresh_dumps()
    if version is not None:
        print(f"dumps of {version} written (pid {os.getpid()})", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
