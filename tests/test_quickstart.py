"""Acceptance: a clean clone, a fresh venv and the README's first command give a live graph."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.test_readme import quick_start_commands


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_clean_clone_quick_start_serves_the_sample_graph(tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(REPO), str(clone)], check=True)
    install, _, serve = quick_start_commands()[0].rpartition(" && ")
    assert serve == ".venv/bin/diplograph serve"
    subprocess.run(install, shell=True, cwd=clone, check=True, capture_output=True, timeout=800)
    env = {**os.environ, "DIPLOGRAPH_STORE": str(tmp_path / "store")}
    # The README's command, on a free port so that parallel runs cannot collide.
    process = subprocess.Popen(
        [*shlex.split(serve), "--port", "0"],
        cwd=clone,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = None
        deadline = time.monotonic() + 300
        while url is None and time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line and process.poll() is not None:
                pytest.fail(f"serve exited {process.returncode}: {process.stderr.read()}")
            match = re.search(r"SPARQL endpoint (http://\S+/sparql)", line)
            url = match.group(1) if match else None
        assert url, "serve never printed its endpoint"
        query = urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"})
        request = urllib.request.Request(
            f"{url}?{query}", headers={"Accept": "application/sparql-results+json"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            body = json.load(response)
        assert int(body["results"]["bindings"][0]["n"]["value"]) > 0
        # The README's SPARQLWrapper example: some accusations, each row once (every article
        # graph repeats its entities' labels, so without DISTINCT rows came back ~30 times).
        example = re.search(r'setQuery\("""(.*?)"""\)', (clone / "README.md").read_text(), re.S)
        assert example, "the README lost its SPARQLWrapper example"
        request = urllib.request.Request(
            url,
            data=urllib.parse.urlencode({"query": example.group(1)}).encode(),
            headers={"Accept": "application/sparql-results+json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            rows = [
                json.dumps(b, sort_keys=True) for b in json.load(response)["results"]["bindings"]
            ]
        assert rows and len(rows) == len(set(rows))
    finally:
        process.terminate()
        process.wait(timeout=30)
        process.stdout.close()
        process.stderr.close()
