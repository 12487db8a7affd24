"""Peak resident memory of a server process and its children, sampled while it works.

``diplograph serve`` answers queries in worker processes, so the figure is the sum over
the whole process tree. RSS counts shared pages (the Python runtime, memory-mapped
database files) once per process, so the sum overstates the real footprint; PSS, which
splits shared pages between their users, is reported beside it where the kernel offers it.
"""

from __future__ import annotations

import threading
from typing import Any

import psutil

INTERVAL = 0.1


class PeakMemory:
    """Samples the tree rooted at ``pid`` every ``interval`` seconds until :meth:`stop`.

    PSS needs the kernel to walk every mapping of the process (``smaps``), which costs CPU
    for a large process; ``pss=False`` samples RSS only.
    """

    def __init__(self, pid: int, *, interval: float = INTERVAL, pss: bool = True):
        self.root = psutil.Process(pid)
        self.interval = interval
        self.pss = pss
        self.peak_rss = 0
        self.peak_pss = 0
        self.processes = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> PeakMemory:
        """Sample until the block ends; may be entered again (the peaks carry over), so
        only the server being measured is sampled while several are up."""
        self.sample()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(self._stop,), daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None and self._thread.is_alive():
            self._thread.join(5)
        self.sample()

    def _run(self, stop: threading.Event) -> None:
        while not stop.wait(self.interval):
            self.sample()

    def sample(self) -> None:
        try:
            tree = [self.root, *self.root.children(recursive=True)]
        except psutil.Error:
            return
        rss = pss = 0
        for process in tree:
            try:
                rss += process.memory_info().rss
                if self.pss and hasattr(process, "memory_full_info"):
                    pss += getattr(process.memory_full_info(), "pss", 0)
            except psutil.Error:
                continue
        self.peak_rss = max(self.peak_rss, rss)
        self.peak_pss = max(self.peak_pss, pss)
        self.processes = max(self.processes, len(tree))

    def summary(self) -> dict[str, Any]:
        mib = 1024 * 1024
        return {
            "peak_rss_mib": round(self.peak_rss / mib, 1),
            "peak_pss_mib": round(self.peak_pss / mib, 1) if self.peak_pss else None,
            "processes": self.processes,
        }
