"""fsync helpers shared by the version publisher and the dump writer.

A rename or a new file is only durable once its directory entry is: after a power cut,
a file fsynced but not its folder may be gone. Both writers therefore fsync the folder
after creating or renaming something in it.
"""

from __future__ import annotations

import os
from pathlib import Path


def fsync_path(path: Path | str) -> None:
    """Flush ``path`` to disk: a file's data, or a folder's entries (new, renamed or
    removed names)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
