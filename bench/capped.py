"""Run one benchmark step in a fresh process with a time cap, and measure its peak memory.

Why a process: a pure-Python step (owlrl, pySHACL) on a large graph may run for hours and
cannot be interrupted from a thread; a process can be killed at the cap, and its memory
is its own, so the peak RSS measured is the step's and not the benchmark's. The ``spawn``
start method gives a clean interpreter (no inherited open stores or threads).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import queue
import signal
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bench.memory import PeakMemory


@dataclass
class Outcome:
    """``status`` is "ok", "timeout" or "error"; ``value`` is the function's result."""

    status: str
    seconds: float
    value: Any = None
    error: str | None = None
    progress: float | None = None
    peak_rss_mib: float | None = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"


#: Seconds a step has, after the cap, to stop on SIGTERM before it is killed. A step
#: that runs a process pool (the reasoning rebuild) created semaphores that only a normal
#: exit gives back: killed outright, it left "resource_tracker: There appear to be 5
#: leaked semaphore objects" at the end of every full benchmark.
STOP_GRACE_SECONDS = 5.0


def _stop(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)


def _child(results: Any, progress: Any, function: Callable[..., Any], args: tuple) -> None:
    os.setsid()  # its own process group: the cap stops the step's own workers with it
    signal.signal(signal.SIGTERM, _stop)  # unwind: pools shut down, semaphores released

    def report(done: int, total: int) -> None:
        progress.value = done / total if total else 1.0

    try:
        results.put(("ok", function(*args, progress=report)))
    except SystemExit:
        raise  # stopped at the cap (or the step exited): the parent knows what happened
    except BaseException as error:
        results.put(("error", f"{type(error).__name__}: {error}\n{traceback.format_exc()}"))


def run_capped(function: Callable[..., Any], args: tuple, cap_seconds: float) -> Outcome:
    """Call ``function(*args, progress=callback)`` in a child process, killed at the cap.

    ``function`` must be importable (module level) and its result picklable; it may call
    ``progress(done, total)`` so that a step cut at the cap reports how far it got.
    """
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    progress = context.Value("d", 0.0)
    process = context.Process(target=_child, args=(results, progress, function, args))
    began = time.perf_counter()
    process.start()
    memory = PeakMemory(process.pid, interval=0.25, pss=False)
    message: tuple[str, Any] | None = None
    with memory:
        deadline = time.monotonic() + cap_seconds
        while time.monotonic() < deadline:
            try:
                message = results.get(timeout=0.2)
                break
            except queue.Empty:
                if not process.is_alive():
                    break
    seconds = time.perf_counter() - began
    peak = memory.summary()["peak_rss_mib"]
    if message is None:
        try:  # the result may have arrived just as the process ended
            message = results.get(timeout=1.0)
        except queue.Empty:
            message = None
    if process.is_alive():
        _signal_group(process.pid, signal.SIGTERM)  # the step and any workers it started
        process.join(STOP_GRACE_SECONDS)
    if process.is_alive():
        _signal_group(process.pid, signal.SIGKILL)
    process.join(30)
    results.close()
    if message is None:
        if process.exitcode not in (None, 0) and seconds < cap_seconds:
            return Outcome("error", seconds, error=f"exit code {process.exitcode}")
        return Outcome("timeout", seconds, progress=progress.value, peak_rss_mib=peak)
    status, value = message
    if status == "error":
        return Outcome("error", seconds, error=value, peak_rss_mib=peak)
    return Outcome("ok", seconds, value=value, peak_rss_mib=peak)


def _signal_group(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signum)
