"""The README's promises: its test command is the one CI runs, its examples parse."""

from __future__ import annotations

import json
import re

from diplograph.ingest.facts import Fact
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def quick_start_commands() -> list[str]:
    block = README.split("## Quick start", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line.strip() and not line.startswith("#")]


def test_readme_has_exactly_two_setup_commands() -> None:
    commands = quick_start_commands()
    assert len(commands) == 2
    assert commands[0].endswith("diplograph serve")
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert quick_start_commands()[1] in ci.splitlines()


def test_fact_example_in_readme_is_a_valid_fact() -> None:
    block = README.split("## The fact format", 1)[1].split("```json", 1)[1].split("```", 1)[0]
    fact = Fact.from_dict(json.loads(block))
    assert fact.evidence_end - fact.evidence_start == len(fact.evidence)


def test_every_command_in_the_usage_block_exists() -> None:
    from diplograph.cli.main import COMMANDS

    block = README.split("## Using it on your own articles", 1)[1].split("```", 2)[1]
    used = set(re.findall(r"^diplograph (\w+)", block, flags=re.M))
    assert used and used <= set(COMMANDS)
