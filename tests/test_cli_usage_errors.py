"""What a user types wrong, or asks for that cannot be done, gets one clear line.

Files named on the command line that `ingest` does not read, dates that do not exist,
IRIs that are not IRIs, graphs the store does not hold, SPARQL Update and SERVICE sent to
`query`, formats of the wrong kind for a query's form: each is refused with the documented
exit code and without a traceback, and nothing is written. Also: an ingest of nothing
publishes no empty version, machine-readable query output ends with a newline, and
`serve` says which store it uses and why.

Cases run in-process through the ``invoke`` fixture, which re-raises an unexpected
exception (the traceback a user would see) instead of turning it into exit code 1.
"""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import DATA
from tests.test_cli_errors import one_error_line, tree

FACTS = DATA / "israel-morocco.jsonl"
TEXT = "Israel's foreign minister visited Morocco on Monday.\n"
ARTICLE_GRAPH = "https://w3id.org/diplograph/graph/article/dg-test-im"


@pytest.fixture(scope="module")
def base_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from click.testing import CliRunner

    from diplograph.cli.main import cli

    root = tmp_path_factory.mktemp("usage-errors") / "store"
    result = CliRunner().invoke(cli, ["ingest", str(FACTS), "--store", str(root), "-q"])
    assert result.exit_code == 0, result.output
    return root


def usage_error(result: Any, *words: str) -> None:
    """Click's usage error: exit 2, no traceback, the words in its `Error:` line."""
    assert "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0], lines[0]


# ------------------------------------------------------------------ ingest: what it reads
@pytest.mark.parametrize("name", ["note.md", "article.text", "data.json"])
def test_ingest_of_a_named_file_it_does_not_read_is_a_usage_error(
    invoke, store: Path, tmp_path: Path, name: str
) -> None:
    """Before: `ingested 0 article(s)`, exit 0, and a new empty version published."""
    path = tmp_path / name
    path.write_text(TEXT)
    before = tree(store)
    result = invoke("ingest", path, "--store", store, "-q", expect=2)
    usage_error(result, name, ".txt", ".jsonl")
    assert tree(store) == before
    new = tmp_path / "new-store"
    invoke("ingest", path, "--store", new, "-q", expect=2)
    assert not new.exists(), "a refused ingest created a store"


def test_a_file_it_does_not_read_is_not_dropped_from_a_batch(
    invoke, store: Path, tmp_path: Path
) -> None:
    """Before: `ingest note.md plain.txt` ingested plain.txt and silently dropped note.md."""
    (tmp_path / "note.md").write_text(TEXT)
    (tmp_path / "plain.txt").write_text(TEXT)
    before = tree(store)
    args = ["ingest", tmp_path / "note.md", tmp_path / "plain.txt", "--store", store, "-q"]
    usage_error(invoke(*args, expect=2), "note.md")
    assert tree(store) == before


def test_suffixes_match_in_any_letter_case_named_or_in_a_directory(invoke, tmp_path: Path) -> None:
    (tmp_path / "UPPER.TXT").write_text(TEXT)
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "Mixed.Txt").write_text(TEXT)
    shutil.copy(FACTS, folder / "FACTS.JSONL")
    (folder / "notes.md").write_text("skipped: not an input\n")
    store = tmp_path / "store"
    invoke("ingest", tmp_path / "UPPER.TXT", folder, "--store", store, "-q")
    records = [
        json.loads(line) for line in invoke("export", "facts", "--store", store).stdout.splitlines()
    ]
    assert {r["article"] for r in records if "article" in r} >= {"UPPER", "Mixed", "dg-test-im"}


def test_a_directory_without_inputs_is_rejected_and_creates_no_store(
    invoke, tmp_path: Path
) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "readme.md").write_text("nothing to ingest\n")
    store = tmp_path / "store"
    result = invoke("ingest", folder, "--store", store, expect=1)
    line = one_error_line(result.stderr)
    assert "no input files" in line and str(folder) in line
    assert not store.exists()


def test_an_ingest_of_no_articles_publishes_no_version(
    invoke, store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever leaves the batch empty, the store does not get an empty new version."""
    import diplograph.ingest.pipeline

    monkeypatch.setattr(diplograph.ingest.pipeline, "read_inputs", lambda paths, **options: [])
    before = tree(store)
    result = invoke("ingest", FACTS, "--store", store, "-q", expect=1)
    assert "no articles to ingest" in one_error_line(result.stderr)
    assert tree(store) == before
    new = tmp_path / "new-store"
    invoke("ingest", FACTS, "--store", new, "-q", expect=1)
    assert not new.exists()


def test_ingest_help_explains_what_is_read(invoke) -> None:
    text = " ".join(invoke("ingest", "--help").stdout.split())
    assert "any letter case" in text and "skipped" in text
    assert "a file named with another suffix, is a usage error (exit code 2)" in text


# ------------------------------------------------------------------ --published
@pytest.mark.parametrize("value", ["2024-02-30", "yesterday", "20240203", "2024-2-3"])
@pytest.mark.parametrize("command", ["extract", "ingest"])
def test_a_published_date_that_is_not_a_day_is_a_usage_error(
    invoke, tmp_path: Path, command: str, value: str
) -> None:
    """Before: `extract` blamed the file (exit 1, "plain.txt: bad metadata")."""
    path = tmp_path / "plain.txt"
    path.write_text(TEXT)
    store = ["--store", str(tmp_path / "store")] if command == "ingest" else []
    result = invoke(command, path, *store, "--published", value, expect=2)
    usage_error(result, "--published", repr(value), "YYYY-MM-DD")
    assert "plain.txt" not in result.stderr
    assert not (tmp_path / "store").exists()


def test_extract_uses_a_good_published_date(invoke, tmp_path: Path) -> None:
    path = tmp_path / "plain.txt"
    path.write_text(TEXT)
    out = invoke("extract", path, "--published", "2024-02-29", "--articles").stdout
    assert json.loads(out.splitlines()[0])["published"] == "2024-02-29"


# ------------------------------------------------------------------ dump --graph
@pytest.mark.parametrize("value", ["not an iri", "relative/path"])
def test_dump_of_a_graph_that_is_not_an_iri_is_a_usage_error(
    invoke, store: Path, value: str
) -> None:
    result = invoke("dump", "--store", store, "--graph", value, expect=2)
    usage_error(result, "--graph", repr(value), "not an IRI")
    assert result.stdout == ""


def test_load_into_a_graph_that_is_not_an_iri_is_the_same_usage_error(invoke, store: Path) -> None:
    """Checked when the options are parsed, as for dump: before, this .jsonl FILE was
    refused first (exit 1, not RDF); a bad --graph was only seen with an RDF file."""
    before = tree(store)
    usage_error(invoke("load", FACTS, "--store", store, "--graph", "bad iri", expect=2), "--graph")
    assert tree(store) == before


@pytest.mark.parametrize("format_name", ["nq", "ttl"])
def test_dump_of_a_graph_the_store_does_not_hold_says_so(
    invoke, store: Path, tmp_path: Path, format_name: str
) -> None:
    """Before: nothing printed, exit 0. Now exit 2, as `export facts --article nosuch`."""
    missing = "https://example.org/nope"
    result = invoke("dump", "--store", store, "--graph", missing, "--format", format_name, expect=2)
    line = one_error_line(result.stderr)
    assert "no such graph" in line and f"<{missing}>" in line and "--graph" in line
    assert result.stdout == ""
    out = tmp_path / "graph.nq"
    invoke("dump", "--store", store, "--graph", missing, "--out", out, expect=2)
    assert not out.exists()
    held = invoke("dump", "--store", store, "--graph", ARTICLE_GRAPH, "--format", format_name)
    assert "Morocco" in held.stdout


# ------------------------------------------------------------------ query: refused
@pytest.mark.parametrize(
    "service",
    ["http://127.0.0.1:9/sparql", "file:///etc/passwd", "http://127.0.0.1:18599/sparql"],
)
def test_a_service_that_fails_is_one_line(invoke, store: Path, service: str) -> None:
    """Before: a ConnectionRefusedError traceback, or `OSError: invalid format`. SERVICE
    itself is allowed on the command line (a local user may join with Wikidata)."""
    sparql = f"SELECT * WHERE {{ SERVICE <{service}> {{ ?s ?p ?o }} }}"
    result = invoke("query", sparql, "--store", store, expect=1)
    line = one_error_line(result.stderr)
    assert line.startswith("error: the query failed:")
    assert "Traceback" not in result.stderr and result.stdout == ""
    silent = f"select * where {{ service silent <{service}> {{ ?s ?p ?o }} }}"
    assert "Traceback" not in invoke("query", silent, "--store", store, expect=None).stderr


def test_the_word_service_in_a_string_is_not_refused(invoke, store: Path) -> None:
    result = invoke("query", 'ASK { ?s ?p "SERVICE <http://x/>" }', "--store", store)
    assert result.stdout == "false\n"


@pytest.mark.parametrize(
    ("sparql", "keyword"),
    [
        ("INSERT DATA { <a:b> <a:c> <a:d> }", "INSERT"),
        ("DROP ALL", "DROP"),
        ("PREFIX x: <http://x/> delete where { ?s x:p ?o }", "DELETE"),
        ("CLEAR DEFAULT", "CLEAR"),
        ("LOAD <http://example.org/data.ttl>", "LOAD"),
    ],
)
def test_query_refuses_sparql_update_as_the_server_does(
    invoke, store: Path, sparql: str, keyword: str
) -> None:
    """Before: "SPARQL syntax error: ... expected CONSTRUCT"."""
    before = tree(store)
    line = one_error_line(invoke("query", sparql, "--store", store, expect=1).stderr)
    assert line.startswith(f"error: SPARQL Update ({keyword}) is not accepted")
    assert "diplograph ingest" in line and "syntax" not in line
    assert tree(store) == before


# ------------------------------------------------------------------ query: syntax errors
def test_an_undefined_prefix_is_one_line_naming_it_and_its_position(invoke, store: Path) -> None:
    """Before: a dozen lines of Unicode code point ranges."""
    sparql = "SELECT * WHERE {\n  ?s a dg:Event .\n}"
    result = invoke("query", sparql, "--store", store, expect=1)
    line = one_error_line(result.stderr)
    assert line == (
        "error: SPARQL syntax error at line 2, column 8: undefined prefix 'dg:' in dg:Event"
        " (declare it: PREFIX dg: <...>)"
    )
    assert len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize(
    ("sparql", "expected"),
    [
        (
            "SELECT * WHERE {\n  ?s ?p ?o .\n  FILTER(?o = ) }",
            "SPARQL syntax error at line 3, column ",
        ),
        ("SELECT ?x WHERE { ?s ?p ?o } GROUP BY ?s", "variable that is unbound"),
        ("SELEC", "SPARQL syntax error at line 1, column 6: invalid SPARQL (at the end"),
        ('SELECT * WHERE { ?s ?p "abc }', "at line 1, column "),
        ("PREFIX x: <http://x/> SELECT * WHERE { ?s a x:y ; ?p 1:2 }", "at line 1, column "),
    ],
)
def test_syntax_errors_are_one_line_with_line_and_column(
    invoke, store: Path, sparql: str, expected: str
) -> None:
    result = invoke("query", sparql, "--store", store, expect=1)
    line = one_error_line(result.stderr)
    assert expected in line, line
    assert "\\u{" not in line and "['" not in line, line
    assert len(result.stderr.splitlines()) == 1, result.stderr


def test_syntax_error_message_keeps_what_was_expected() -> None:
    from diplograph.server.sparql_tokens import tokens
    from diplograph.server.syntax_errors import syntax_error_message

    message = "error at 1:37: expected one of LATERAL, SERVICE, [_]"
    text = "SELECT * WHERE { ?s ?p ?o . ?s ?p } x"
    assert syntax_error_message(message, text, tokens(text)) == (
        "SPARQL syntax error at line 1, column 37: expected one of LATERAL, SERVICE"
    )
    odd = 'error at 2:1: expected one of ",", ")"'
    assert syntax_error_message(odd, "SELECT (1\n", tokens("SELECT (1\n")) == (
        'SPARQL syntax error at line 2, column 1: expected one of ",", ")"'
        " (at the end of the query)"
    )
    assert syntax_error_message("something else\nand more", "x", []) == (
        "SPARQL syntax error: something else"
    )


# ------------------------------------------------------------------ query: formats
@pytest.mark.parametrize("output_format", ["turtle", "ntriples", "jsonld"])
def test_ask_with_a_graph_format_is_a_usage_error(invoke, store: Path, output_format: str) -> None:
    """Before: `ASK {} --format turtle` printed JSON and exited 0."""
    result = invoke("query", "ASK {}", "--store", store, "--format", output_format, expect=2)
    usage_error(result, "--format", output_format, "CONSTRUCT/DESCRIBE")
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("sparql", "output_format", "words"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "turtle", ("turtle", "CONSTRUCT/DESCRIBE")),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "csv", ("csv", "SELECT/ASK")),
        ("DESCRIBE <http://example.org/x>", "json", ("json", "SELECT/ASK")),
        ("PREFIX x: <http://x/> ask { ?s x:p ?o }", "ntriples", ("ntriples", "ASK")),
    ],
)
def test_a_format_of_the_other_kind_is_a_usage_error_before_the_store_is_read(
    invoke, tmp_path: Path, sparql: str, output_format: str, words: tuple[str, ...]
) -> None:
    """Checked from the query's form: even a missing store is not reached (else exit 3)."""
    missing = tmp_path / "nosuch"
    result = invoke("query", sparql, "--store", missing, "--format", output_format, expect=2)
    usage_error(result, "--format", *words)


@pytest.mark.parametrize(
    ("sparql", "output_format"),
    [
        ("ASK {}", "json"),
        ("ASK {}", "xml"),
        ("ASK {}", "csv"),
        ("ASK {}", "tsv"),
        ("SELECT * WHERE { ?s ?p ?o } LIMIT 2", "json"),
        ("SELECT * WHERE { ?s ?p ?o } LIMIT 2", "xml"),
        ("SELECT * WHERE { ?s ?p ?o } LIMIT 2", "csv"),
        ("SELECT * WHERE { ?s ?p ?o } LIMIT 2", "tsv"),
        ("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 2", "jsonld"),
        ("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 2", "xml"),
        ("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 2", "turtle"),
        ("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 2", "ntriples"),
    ],
)
def test_query_output_ends_with_one_newline(
    invoke, store: Path, sparql: str, output_format: str
) -> None:
    """Before: JSON, XML, JSON-LD and an ASK answer in CSV/TSV ended without one."""
    out = invoke("query", sparql, "--store", store, "--format", output_format).stdout
    assert out.endswith("\n") and not out.endswith("\n\n"), repr(out[-40:])
    if output_format in ("json", "jsonld"):
        json.loads(out)
    elif output_format == "xml":
        ET.fromstring(out)


# ------------------------------------------------------------------ serve: which store
@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """`serve` up to the point where it would listen: what it would serve."""
    import diplograph.ingest.pipeline
    import diplograph.server.run

    seen: dict[str, Any] = {}
    monkeypatch.setattr(
        diplograph.ingest.pipeline, "ensure_sample_store", lambda path: seen.update(sample=path)
    )
    monkeypatch.setattr(
        diplograph.server.run, "run_server", lambda config, **kwargs: seen.update(config=config)
    )
    return seen


def test_serve_says_the_store_came_from_the_environment(
    invoke, store: Path, served: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before: "Using the default store ..." for a store named by $DIPLOGRAPH_STORE."""
    monkeypatch.setenv("DIPLOGRAPH_STORE", str(store))
    result = invoke("serve", "--port", "0")
    assert f"Using the store from $DIPLOGRAPH_STORE: {store}" in result.stderr
    assert "default store" not in result.stderr
    assert served["config"]["STORE_PATH"] == str(store)


def test_serve_says_when_it_uses_the_default_store(
    invoke, tmp_path: Path, served: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    import diplograph.cli.options

    monkeypatch.delenv("DIPLOGRAPH_STORE", raising=False)
    monkeypatch.setattr(diplograph.cli.options, "user_data_dir", lambda *a, **k: str(tmp_path))
    result = invoke("serve", "--port", "0")
    assert f"Using the default store: {tmp_path / 'store'}" in result.stderr
    assert served["sample"] == tmp_path / "store"


@pytest.mark.parametrize("command", ["serve", "query", "ingest", "dump"])
def test_store_help_shows_the_resolved_default(
    invoke, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    """Resolved when the help is shown, for serve as for the other commands."""
    import diplograph.cli.options

    monkeypatch.setattr(diplograph.cli.options, "user_data_dir", lambda *a, **k: "/data/dir")
    monkeypatch.delenv("DIPLOGRAPH_STORE", raising=False)
    text = " ".join(invoke(command, "--help").stdout.split())
    assert "$DIPLOGRAPH_STORE if set, else /data/dir/store" in text
    monkeypatch.setenv("DIPLOGRAPH_STORE", "/srv/graph")  # short: help breaks long words
    text = " ".join(invoke(command, "--help").stdout.split())
    assert "$DIPLOGRAPH_STORE, now /srv/graph (unset: /data/dir/store)" in text
