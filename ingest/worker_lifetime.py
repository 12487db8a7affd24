"""Pool worker processes end with the process that started them.

A ``ProcessPoolExecutor`` worker waits on its task queue forever. If the ingest or
reasoning process is killed (SIGKILL, the OOM killer, a benchmark's time cap), its
workers live on as orphans: they finish the chunk in hand (minutes of owlrl on a large
store), then sleep for good, holding their memory. On Linux the kernel can signal a
process when its parent dies (``prctl(PR_SET_PDEATHSIG)``); every pool comes from
:func:`process_pool`, whose workers ask for that first. Elsewhere it does nothing.

The signal follows the *thread* that started the worker, so a pool must be used from a
thread that outlives it (ours are used from the main thread of the command).
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.context import BaseContext

#: From <linux/prctl.h>.
PR_SET_PDEATHSIG = 1


def process_pool(workers: int, context: BaseContext | None = None) -> ProcessPoolExecutor:
    """A process pool whose workers die with this process (see the module docstring)."""
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=end_with_parent,
        initargs=(os.getpid(),),
    )


def end_with_parent(parent_pid: int) -> None:
    """Pool initializer: SIGKILL this worker when its parent dies.

    ``parent_pid`` closes the race of a parent that died before the request took effect.
    """
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None)  # the interpreter's own C library
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        return  # refused (e.g. by a seccomp profile): the worker runs on as before
    if os.getppid() != parent_pid:
        os.kill(os.getpid(), signal.SIGKILL)
