"""The command line as a user meets it: help for everything, every option explained."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import click
import pytest

from diplograph.cli.main import COMMANDS, cli
from tests.conftest import DATA, run_cli


def all_commands() -> list[tuple[str, click.Command]]:
    found = []

    def walk(prefix: str, command: click.Command) -> None:
        found.append((prefix, command))
        if isinstance(command, click.Group):
            ctx = click.Context(command)
            for name in command.list_commands(ctx):
                walk(f"{prefix} {name}".strip(), command.get_command(ctx, name))

    walk("", cli)
    return found


def test_top_level_help_lists_every_command(invoke) -> None:
    text = invoke("--help").stdout
    for name in COMMANDS:
        assert name in text
    assert "Exit codes" in text


@pytest.mark.parametrize(("path", "command"), all_commands(), ids=lambda v: str(v) or "root")
def test_every_command_and_option_is_explained(invoke, path: str, command: click.Command) -> None:
    result = invoke(*path.split(), "--help")
    assert "Usage:" in result.stdout
    assert command.help or command.short_help, f"{path!r} has no help text"
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden:
            assert param.help, f"{path} {param.opts[0]} has no help text"


def test_console_script_runs_as_a_real_process() -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    assert "diplograph" in result.stdout


def test_unknown_option_is_a_usage_error(invoke) -> None:
    assert invoke("query", "--no-such-option", expect=2).exit_code == 2


def test_network_export_formats(invoke, store_path) -> None:
    invoke("ingest", DATA / "israel-morocco.jsonl", "--store", store_path, "--quiet")
    data = json.loads(invoke("export", "network", "--store", store_path, "--format", "json").stdout)
    labels = {n["label"] for n in data["nodes"]}
    assert {"Israel", "Morocco", "Algeria"} <= labels
    visit = [e for e in data["edges"] if e["type"] == "OfficialVisit"]
    assert visit == [
        {
            "source": "https://w3id.org/diplograph/id/entity/Q801",
            "target": "https://w3id.org/diplograph/id/entity/Q1028",
            "type": "OfficialVisit",
            "events": 1,
            "first": "2021-11-23",
            "last": "2021-11-23",
        }
    ]
    negated = [e for e in data["edges"] if e["type"] == "Sanctions"]
    assert negated == [], "negated facts are not edges"
    graphml = invoke("export", "network", "--store", store_path).stdout
    root = ET.fromstring(graphml.split("\n", 1)[1])
    assert len(root.findall(".//{http://graphml.graphdrawing.org/xmlns}edge")) == len(data["edges"])
    dot = invoke("export", "network", "--store", store_path, "--format", "dot").stdout
    assert dot.startswith("digraph diplograph {") and "OfficialVisit ×1" in dot


def test_info_shows_the_dumps_and_their_version(invoke, store_path) -> None:
    invoke("ingest", DATA / "israel-morocco.jsonl", "--store", store_path, "--quiet", "--no-dumps")
    assert "dumps:      none yet" in invoke("info", "--store", store_path).stdout
    invoke("ingest", DATA / "israel-morocco.jsonl", "--store", store_path, "--quiet")
    text = invoke("info", "--store", store_path).stdout
    assert "dump:       all.nq.gz" in text and "none yet" not in text
    meta = json.loads(invoke("info", "--store", store_path, "--json").stdout)
    assert meta["dumps"]["version"] == meta["version"]
    assert {f["name"] for f in meta["dumps"]["files"]} >= {"all.nq.gz", "asserted.ttl.gz"}
