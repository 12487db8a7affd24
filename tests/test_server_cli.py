"""`diplograph serve`: options and defaults explained, bad stores refused, clean shutdown."""

from __future__ import annotations

import signal

import psutil
import pytest
from click.testing import CliRunner

from diplograph.cli.serve import serve
from tests import server_fixtures
from tests.server_fixtures import LiveServer

sample_store = server_fixtures.sample_store


def test_help_explains_every_option_and_default():
    result = CliRunner().invoke(serve, ["--help"])
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    for option in (
        "--store",
        "--host",
        "--port",
        "--workers",
        "--timeout",
        "--max-rows",
        "--memory-limit",
        "--queue-wait",
        "--threads",
        "--base-iri",
        "--trust-proxy",
        "--access-log",
    ):
        assert option in text
    assert "default: 127.0.0.1" in text and "default: 8000" in text
    assert "default: 30.0" in text and "default: 100000" in text
    assert "sample articles" in text  # what happens without --store


def test_a_path_that_is_not_a_store_is_refused(tmp_path):
    (tmp_path / "junk").mkdir()
    (tmp_path / "junk" / "file.txt").write_text("x")
    result = CliRunner().invoke(serve, ["--store", str(tmp_path / "junk"), "--port", "0"])
    assert result.exit_code == 3  # store unavailable, as for every other command
    assert "neither a Diplograph store nor an Oxigraph database" in result.stderr


@pytest.mark.slow
def test_sigterm_stops_the_server_and_its_workers(sample_store):
    server = LiveServer(sample_store, "--workers", "2", "--no-access-log")
    workers = server_fixtures.query_worker_processes(server.process.pid)
    assert len(workers) == 2
    server.process.send_signal(signal.SIGTERM)
    assert server.process.wait(10) == 0
    _gone, alive = psutil.wait_procs(workers, timeout=5)
    assert alive == []
    server.stop()
