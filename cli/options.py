"""Options shared by several subcommands, with their defaults explained."""

from __future__ import annotations

import os
from pathlib import Path

import click
from platformdirs import user_data_dir

STORE_ENV = "DIPLOGRAPH_STORE"


def default_store_path() -> Path:
    """$DIPLOGRAPH_STORE, else the platform's user data directory (e.g. ~/.local/share)."""
    configured = os.environ.get(STORE_ENV)
    if configured:
        return Path(configured).expanduser()
    return Path(user_data_dir("diplograph", appauthor=False)) / "store"


store_option = click.option(
    "--store",
    "store_path",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help=(
        f"Store directory. Default: ${STORE_ENV} if set, else "
        f"{default_store_path() if not os.environ.get(STORE_ENV) else 'the user data directory'}."
    ),
)

quiet_option = click.option(
    "--quiet",
    "-q",
    is_flag=True,
    help="No progress bar or summary (progress is also off when stderr is not a terminal).",
)


def resolve_store(path: Path | None) -> Path:
    return path if path is not None else default_store_path()


engine_option = click.option(
    "--engine",
    type=click.Choice(["reasonable", "owlrl"]),
    default="reasonable",
    show_default=True,
    help="OWL RL engine: the native `reasonable` (fast) or the pure-Python reference `owlrl`"
    " (same inferences, tested).",
)
