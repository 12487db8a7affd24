"""A rich progress bar on stderr for long work; silent when stderr is not a terminal or --quiet."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

STAGE_LABELS = {
    "extract": "Extracting facts",
    "map": "Mapping to RDF",
    "reason": "Reasoning (OWL RL)",
    "rebuild": "Rebuilding inferences",
}


@contextmanager
def progress_reporter(quiet: bool) -> Iterator:
    """Yields a callback ``(stage, done, total)``; draws bars only for an interactive stderr."""
    console = Console(stderr=True)
    if quiet or not console.is_terminal:
        yield None
        return
    bars = Progress(
        TextColumn("{task.description:<24}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )
    tasks: dict[str, int] = {}

    def update(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = bars.add_task(STAGE_LABELS.get(stage, stage), total=total)
        bars.update(tasks[stage], completed=done, total=total)

    with bars:
        yield update


def note(message: str, quiet: bool) -> None:
    """A human-oriented line on stderr (stdout stays clean for data)."""
    if not quiet:
        print(message, file=sys.stderr)
