"""Example queries shipped in server/queries/*.rq, each with a title and a description.

The header of each file is a run of comment lines::

    # title: Timeline of United States–Vietnam relations
    # description: Every fact between the two states, oldest first.

The UI offers them as buttons, /queries.json lists them and a test runs every one.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

QUERIES_DIR = Path(__file__).parent / "queries"


@dataclass(frozen=True, slots=True)
class Example:
    name: str
    title: str
    description: str
    query: str


def parse_example(name: str, text: str) -> Example:
    """Read the ``# title:``/``# description:`` header; both are required."""
    fields: dict[str, str] = {}
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("#"):
            break
        key, sep, value = stripped.lstrip("#").strip().partition(":")
        if sep and key.strip().lower() in ("title", "description"):
            fields[key.strip().lower()] = value.strip()
    missing = {"title", "description"} - fields.keys()
    if missing:
        raise ValueError(f"example query {name} lacks a '# {sorted(missing)[0]}:' header line")
    return Example(name, fields["title"], fields["description"], text.strip() + "\n")


@lru_cache(maxsize=1)
def load_examples(folder: Path = QUERIES_DIR) -> tuple[Example, ...]:
    """All examples, in file-name order (files are numbered to fix the order)."""
    return tuple(
        parse_example(path.stem, path.read_text(encoding="utf-8"))
        for path in sorted(folder.glob("*.rq"))
    )
