"""`gazetteer refresh` against recorded WDQS responses served on 127.0.0.1 (no network)."""

from __future__ import annotations

import json
import shutil
import threading
import urllib.parse
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from diplograph.cli.gazetteer import gazetteer as gazetteer_cli
from diplograph.ingest.gazetteer import Gazetteer, build
from diplograph.ingest.gazetteer.refresh import (
    BATCH_SIZE,
    CAPITALS_QUERY,
    ITEMS_QUERY,
    LEADERS_QUERY,
    STATES_QUERY,
    Client,
    RefreshError,
    refresh,
    retry_after_seconds,
    user_agent,
)
from diplograph.ingest.gazetteer.wikidata import Snapshot

RECORDED = Path(__file__).parent / "data" / "wdqs"


class FakeWDQS:
    """A local stand-in for query.wikidata.org: answers by query shape from recorded files.

    ``script`` is a list of (status, headers) answered before the recorded data, e.g. a 429
    with Retry-After; ``always`` makes every request fail with that status.
    """

    def __init__(self, script: list[tuple[int, dict[str, str]]] | None = None, always=None):
        self.script = list(script or [])
        self.always = always
        self.requests: list[dict[str, str]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                form = urllib.parse.parse_qs(self.rfile.read(length).decode("utf-8"))
                outer.requests.append(
                    {
                        "query": form.get("query", [""])[0],
                        "user-agent": self.headers.get("User-Agent", ""),
                        "accept": self.headers.get("Accept", ""),
                    }
                )
                if outer.always is not None:
                    self._send(outer.always, b"busy", {"Retry-After": "0"})
                    return
                if outer.script:
                    status, headers = outer.script.pop(0)
                    self._send(status, b"slow down", headers)
                    return
                body = json.dumps(outer.answer(outer.requests[-1]["query"])).encode()
                self._send(200, body, {"Content-Type": "application/sparql-results+json"})

            def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/sparql"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @staticmethod
    def answer(query: str) -> dict:
        if query == STATES_QUERY:
            return json.loads((RECORDED / "states.json").read_text(encoding="utf-8"))
        if query == CAPITALS_QUERY:
            return json.loads((RECORDED / "capitals.json").read_text(encoding="utf-8"))
        if query == LEADERS_QUERY:
            return json.loads((RECORDED / "leaders.json").read_text(encoding="utf-8"))
        recorded = json.loads((RECORDED / "items.json").read_text(encoding="utf-8"))
        asked = set(query.split("VALUES ?item {", 1)[1].split("}", 1)[0].split())
        recorded["results"]["bindings"] = [
            b
            for b in recorded["results"]["bindings"]
            if "wd:" + b["item"]["value"].rsplit("/", 1)[-1] in asked
        ]
        return recorded

    def __enter__(self) -> FakeWDQS:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A private copy of the build inputs, so refresh can write without touching the package."""
    target = tmp_path / "data"
    shutil.copytree(build.DATA_DIR, target)
    return target


def test_refresh_honours_retry_after_and_reports_changes(data_dir: Path) -> None:
    waits: list[float] = []
    out = data_dir / "gazetteer.tsv"
    before = out.read_bytes()
    with FakeWDQS(script=[(429, {"Retry-After": "3"})]) as wdqs:
        client = Client(endpoint=wdqs.url, sleep=waits.append)
        report = refresh(out=out, data_dir=data_dir, dry_run=True, client=client)
    assert waits == [3.0]
    base = build.build_registry(data_dir, Snapshot())
    qids = {e.wikidata for e in base.entities if e.wikidata}
    batches = -(-len(qids) // BATCH_SIZE)
    assert (
        len(wdqs.requests) == report.requests == 1 + 3 + batches
    )  # 429, states, capitals, leaders
    assert all(r["user-agent"].startswith("Diplograph/") for r in wdqs.requests)
    assert "gazetteer refresh" in wdqs.requests[0]["user-agent"]
    assert all(r["accept"] == "application/sparql-results+json" for r in wdqs.requests)
    assert out.read_bytes() == before  # dry run
    assert not (data_dir / "sources" / "wikidata.json").exists()

    d = report.diff
    assert "Eswatini (country): Q1050 -> Q990000001" in d.qid_changed
    assert "UNHCR (organization): Q28606331 -> Q990000003" in d.qid_changed
    assert "Moscow (city): Q990000002" in d.qid_added
    assert "Commonwealth Secretariat (organization): Q3954348" in d.qid_removed
    assert not any("Manila" in line for line in d.details())  # label differs: no guess
    assert not any("Western Sahara" in line for line in d.details())  # pinned decision
    assert not any("Netherlands" in line for line in d.details())
    assert d.aliases_added >= 4  # Kingdom of Morocco, Al-Maghrib, the States, Liswati, ...
    assert any(n.startswith("pinned EH: keeping Q6250") for n in report.notes)
    assert any(n.startswith("pinned NL: keeping Q55") for n in report.notes)
    assert any("redirect Q28606331 -> Q990000003" in n for n in report.notes)


def test_refresh_writes_atomically_and_stays_reproducible(data_dir: Path) -> None:
    out = data_dir / "gazetteer.tsv"
    with FakeWDQS() as wdqs:
        report = refresh(out=out, data_dir=data_dir, client=Client(endpoint=wdqs.url))
    assert report.written
    snapshot = data_dir / "sources" / "wikidata.json"
    assert snapshot.exists()
    assert not list(data_dir.rglob("*.tmp"))
    # The refreshed file is what the build makes from the inputs plus the snapshot.
    assert build.build_text(data_dir).encode("utf-8") == out.read_bytes()
    refreshed = Gazetteer.from_tsv(out)
    assert {e.wikidata for e in refreshed.lookup("Moscow")} == {"Q990000002"}
    assert {e.wikidata for e in refreshed.lookup("Kingdom of Morocco")} == {"Q1028"}
    assert {e.source for e in refreshed.lookup("Al-Maghrib")} == {"wikidata"}
    assert {e.licence for e in refreshed.lookup("Al-Maghrib")} == {"CC0-1.0"}
    assert {e.wikidata for e in refreshed.lookup("Swaziland")} == {"Q990000001"}
    assert {e.wikidata for e in refreshed.lookup("Commonwealth Secretariat")} == {None}
    (jane,) = refreshed.lookup("Jane Example")
    assert (jane.kind, jane.wikidata, jane.stands_for) == ("person", "Q990000005", "New Zealand")
    (king,) = refreshed.lookup("King Example")
    assert (king.wikidata, king.stands_for) == ("Q990000006", None)
    assert refreshed.lookup("John Smith") == []  # two different people
    assert refreshed.lookup("Example") == []  # never a bare surname
    (putin,) = refreshed.lookup("Vladimir Putin")
    assert putin.source == "devset-readme"
    # A second refresh with the same answers changes nothing.
    with FakeWDQS() as wdqs:
        again = refresh(out=out, data_dir=data_dir, client=Client(endpoint=wdqs.url))
    assert again.diff.empty


def test_refresh_with_out_elsewhere_keeps_package_inputs(tmp_path: Path) -> None:
    out = tmp_path / "elsewhere" / "gaz.tsv"
    out.parent.mkdir()
    shipped_snapshot = build.DATA_DIR / "sources" / "wikidata.json"
    existed = shipped_snapshot.exists()
    with FakeWDQS() as wdqs:
        refresh(out=out, client=Client(endpoint=wdqs.url))
    assert out.exists() and (out.parent / "wikidata.json").exists()
    assert shipped_snapshot.exists() == existed


def test_retries_are_bounded() -> None:
    waits: list[float] = []
    with FakeWDQS(always=503) as wdqs:
        client = Client(endpoint=wdqs.url, max_attempts=3, sleep=waits.append)
        with pytest.raises(RefreshError, match="HTTP 503"):
            client.select(STATES_QUERY)
    assert len(wdqs.requests) == 3
    assert waits == [0.0, 0.0]


def test_client_errors_are_not_retried() -> None:
    with FakeWDQS(script=[(400, {})]) as wdqs:
        client = Client(endpoint=wdqs.url, sleep=lambda s: None)
        with pytest.raises(RefreshError, match="HTTP 400"):
            client.select(STATES_QUERY)
    assert len(wdqs.requests) == 1


def test_unreachable_endpoint_fails_cleanly() -> None:
    with FakeWDQS() as wdqs:
        url = wdqs.url
    client = Client(endpoint=url, max_attempts=2, sleep=lambda s: None, timeout=5)
    with pytest.raises(RefreshError, match="cannot reach"):
        client.select(STATES_QUERY)


def test_retry_after_parsing() -> None:
    assert retry_after_seconds("7", 1) == 7.0
    assert retry_after_seconds("100000", 1) == 300.0  # capped
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    assert 25 <= retry_after_seconds(later, 1) <= 30
    assert retry_after_seconds(None, 3) == 8.0  # exponential backoff without the header
    assert retry_after_seconds("soon", 1) == 2.0


def test_user_agent_is_descriptive() -> None:
    agent = user_agent()
    assert agent.startswith("Diplograph/") and "https://" in agent


def test_snapshot_json_is_deterministic() -> None:
    a = Snapshot(states=[{"item": "b", "iso2": "B"}, {"item": "a", "iso2": "A"}])
    b = Snapshot(states=[{"item": "a", "iso2": "A"}, {"item": "b", "iso2": "B"}] * 2)
    assert a.to_json() == b.to_json()
    assert Snapshot.from_json(a.to_json()).states == [
        {"item": "a", "iso2": "A"},
        {"item": "b", "iso2": "B"},
    ]


# --- CLI -------------------------------------------------------------------------------------


def test_cli_refresh_dry_run(tmp_path: Path) -> None:
    out = tmp_path / "gaz.tsv"
    shutil.copy(build.DATA_DIR / "gazetteer.tsv", out)
    with FakeWDQS(script=[(429, {"Retry-After": "0"})]) as wdqs:
        result = CliRunner().invoke(
            gazetteer_cli, ["refresh", "--endpoint", wdqs.url, "--dry-run", "--out", str(out)]
        )
    assert result.exit_code == 0, result.output
    assert "QIDs: +1 -1 ~2" in result.output
    assert "QID changed  Eswatini (country): Q1050 -> Q990000001" in result.output
    assert "dry run: nothing written" in result.output
    assert "HTTP 429; retrying in 0 s" in result.output
    assert out.read_bytes() == (build.DATA_DIR / "gazetteer.tsv").read_bytes()
    assert not (tmp_path / "wikidata.json").exists()


def test_cli_refresh_unreachable_exits_3(tmp_path: Path) -> None:
    with FakeWDQS() as wdqs:
        url = wdqs.url
    result = CliRunner().invoke(
        gazetteer_cli,
        ["refresh", "--endpoint", url, "--max-attempts", "1", "--out", str(tmp_path / "g.tsv")],
    )
    assert result.exit_code == 3
    assert "cannot reach" in result.output


def test_cli_lookup_and_build_check() -> None:
    runner = CliRunner()
    result = runner.invoke(gazetteer_cli, ["lookup", "Rabat", "--kind", "country"])
    assert result.exit_code == 0
    assert "Q3551" in result.output and "stands for Morocco" in result.output
    assert "= Q1028" in result.output
    istanbul = runner.invoke(gazetteer_cli, ["lookup", "Istanbul"]).output
    assert "name in Turkey" in istanbul and "stands for" not in istanbul
    assert "not in the gazetteer" in runner.invoke(gazetteer_cli, ["lookup", "Ruritania"]).output
    check = runner.invoke(gazetteer_cli, ["build", "--check"])
    assert check.exit_code == 0, check.output


def test_cli_build_check_detects_stale(tmp_path: Path) -> None:
    stale = tmp_path / "g.tsv"
    stale.write_text("x\n", encoding="utf-8")
    result = CliRunner().invoke(gazetteer_cli, ["build", "--check", "--out", str(stale)])
    assert result.exit_code == 1
    assert "stale" in result.output


@pytest.mark.parametrize(
    "query", [STATES_QUERY, CAPITALS_QUERY, LEADERS_QUERY, ITEMS_QUERY % "wd:Q1028 wd:Q30"]
)
def test_queries_are_valid_sparql(query: str) -> None:
    from rdflib.plugins.sparql import prepareQuery

    prepareQuery(query)


def test_refresh_refuses_an_answer_that_deletes_too_many_items(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An answer with bare rows for many items (e.g. a label service failure) must not wipe
    QIDs: more than 2 % (at least 5) of "deleted" items aborts the refresh."""
    out = data_dir / "gazetteer.tsv"
    before = out.read_bytes()
    recorded = FakeWDQS.answer

    def bare_rows(query: str) -> dict:
        if "VALUES ?item" not in query:
            return recorded(query)
        asked = query.split("VALUES ?item {", 1)[1].split("}", 1)[0].split()
        uri = "http://www.wikidata.org/entity/"
        rows = [{"item": {"type": "uri", "value": uri + q[3:]}} for q in asked]
        return {"head": {"vars": ["item"]}, "results": {"bindings": rows}}

    monkeypatch.setattr(FakeWDQS, "answer", staticmethod(bare_rows))
    with FakeWDQS() as wdqs, pytest.raises(RefreshError, match="refusing to rebuild"):
        client = Client(endpoint=wdqs.url, max_attempts=1)
        refresh(out=out, data_dir=data_dir, client=client)
    assert out.read_bytes() == before
    assert not (data_dir / "sources" / "wikidata.json").exists()
