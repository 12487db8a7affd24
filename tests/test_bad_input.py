"""Bad input never gets in: every broken file is refused by the real CLI, clearly, and harmlessly.

Each case runs the installed ``diplograph`` console script in a subprocess against a store
that already holds data, and requires

* a non-zero exit code (1: input rejected),
* one ``error:`` line on stderr that names the file, and the line where one exists,
  and no Python traceback,
* the store directory byte-for-byte as it was (every file, not only the published
  version: a rejected batch must not even leave a staging copy behind).

The corpus lives in ``tests/data/bad-input/``; the two huge inputs (50 MB of text, one
1 MB line) are generated in the test's temporary directory instead of being committed.
Names that are hostile but well-formed text (``"> <script>``, ``\"\"\"``) are *data*, not
errors: they are accepted, and the tests below prove they stay inert literals in every
serialisation (see also ``test_endpoint_security.py`` for the HTML side).
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from tests.conftest import DATA, run_cli

BAD = DATA / "bad-input"
GOOD_FACTS = DATA / "israel-morocco.jsonl"


def store_bytes(root: Path) -> dict[str, bytes]:
    """Every file of a store directory with its content (the byte-for-byte check)."""
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def base_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with one ingested article: rejected inputs must leave it exactly as is."""
    root = tmp_path_factory.mktemp("bad-input") / "store"
    result = run_cli("ingest", "--store", root, "--quiet", "--no-dumps", GOOD_FACTS)
    assert result.returncode == 0, result.stderr
    return root


def assert_rejected(
    store: Path, args: list[str | Path], file: Path, line: int | None, reason: str
) -> str:
    """Run the CLI on bad input; check exit code, message and the untouched store."""
    before = store_bytes(store)
    result = run_cli(*args)
    message = result.stderr
    assert result.returncode == 1, f"exit {result.returncode}\n{result.stdout}\n{message}"
    assert "Traceback" not in message, message
    errors = [row for row in message.splitlines() if row.startswith("error: ")]
    assert len(errors) == 1, message
    assert str(file) in errors[0], f"the message does not name {file}: {errors[0]}"
    if line is not None:
        assert re.search(rf"(:{line}:|\bline {line}\b)", errors[0]), (
            f"the message does not name line {line}: {errors[0]}"
        )
    assert re.search(reason, errors[0], re.IGNORECASE), f"expected /{reason}/: {errors[0]}"
    assert store_bytes(store) == before, "a rejected input changed the store"
    return errors[0]


# ------------------------------------------------------------------------ article texts
TEXT_CASES = [
    ("empty.txt", None, "empty"),
    ("whitespace-only.txt", None, "empty"),
    ("binary.txt", 3, "binary"),
    ("latin-1.txt", 4, "not valid UTF-8"),
    ("utf-16-bom.txt", None, "UTF-16"),
    ("page.txt", None, "HTML"),
    ("fragment.txt", None, "HTML"),
    ("feed.txt", None, "XML"),
]


@pytest.mark.parametrize(("name", "line", "reason"), TEXT_CASES, ids=[c[0] for c in TEXT_CASES])
def test_bad_article_text_is_rejected(store: Path, name: str, line: int | None, reason: str):
    path = BAD / name
    assert_rejected(store, ["ingest", "--store", store, "--quiet", path], path, line, reason)


def test_fifty_megabyte_text_is_rejected_without_reading_it(store: Path, tmp_path: Path):
    path = tmp_path / "huge.txt"
    paragraph = b"France and Germany met in Paris on Monday to discuss the treaty.\n"
    with open(path, "wb") as handle:
        for _ in range(50 * 1024 * 1024 // len(paragraph) + 1):
            handle.write(paragraph)
    assert path.stat().st_size >= 50 * 1024 * 1024
    assert_rejected(store, ["ingest", "--store", store, "-q", path], path, None, "bytes")


def test_one_megabyte_line_is_rejected_with_its_line_number(store: Path, tmp_path: Path):
    path = tmp_path / "long-line.txt"
    words = "France and Germany met in Paris on Monday. " * (1024 * 1024 // 43 + 1)
    path.write_text("date 2024-05-01\nHeadline\n" + words + "\nlast line\n", encoding="utf-8")
    assert_rejected(store, ["ingest", "--store", store, "-q", path], path, 3, "characters")


def test_nul_byte_deep_in_a_text_is_found(store: Path, tmp_path: Path):
    """Text for 75 KB, then a NUL: binary detection must not stop at the first page."""
    path = tmp_path / "late-nul.txt"
    filler = "The weather was mild and the markets were calm this week.\n" * 1300
    path.write_text(f"{filler}France and Germany signed a\x00 treaty.\n", encoding="utf-8")
    assert_rejected(store, ["ingest", "--store", store, "-q", path], path, 1301, "binary")


def test_bad_metadata_sidecar_is_named(store: Path, tmp_path: Path):
    article = tmp_path / "fine.txt"
    article.write_text("France and Germany met in Paris on Monday.\n", encoding="utf-8")
    sidecar = tmp_path / "fine.meta.json"
    sidecar.write_text('{"url": "https://example.org/", "published": ', encoding="utf-8")
    assert_rejected(store, ["ingest", "--store", store, "-q", article], sidecar, None, "JSON")


# ------------------------------------------------------------------------ facts files
FACT_CASES = [
    ("broken-json.jsonl", 2, "not valid JSON"),
    ("wrong-types.jsonl", 2, "negated"),
    ("wrong-type-date.jsonl", 1, "date"),
    ("unknown-field.jsonl", 2, "unknown field.*sentiment"),
    ("not-an-object.jsonl", 2, "object"),
    ("unknown-type.jsonl", 1, "type"),
    ("nul-in-name.jsonl", 1, "control character"),
    ("iri-space-in-qid.jsonl", 1, "QID"),
    ("iri-injection-in-qid.jsonl", 1, "QID"),
    ("iri-injection-in-article-id.jsonl", 1, "article id"),
    ("space-in-article-id.jsonl", 1, "article id"),
    ("iri-injection-in-url.jsonl", 1, "url"),
    ("script-url.jsonl", 1, "url"),
    ("utf-16.jsonl", None, "UTF-8"),
]


@pytest.mark.parametrize(("name", "line", "reason"), FACT_CASES, ids=[c[0] for c in FACT_CASES])
def test_bad_facts_file_is_rejected(store: Path, name: str, line: int | None, reason: str):
    path = BAD / name
    assert_rejected(store, ["ingest", "--store", store, "--quiet", path], path, line, reason)


def test_one_bad_file_rejects_the_whole_batch(store: Path, tmp_path: Path):
    """Good files before and after the bad one: none of them may reach the store."""
    batch = tmp_path / "batch"
    batch.mkdir()
    for index in range(3):
        text = GOOD_FACTS.read_text(encoding="utf-8").replace("dg-test-im", f"batch-{index}")
        (batch / f"a{index}.jsonl").write_text(text, encoding="utf-8")
    shutil.copy(BAD / "unknown-field.jsonl", batch / "b-bad.jsonl")
    (batch / "c-good.txt").write_text(
        "date 2024-05-01\nFrance and Germany signed a treaty in Paris.\n", encoding="utf-8"
    )
    bad = batch / "b-bad.jsonl"
    assert_rejected(store, ["ingest", "--store", store, "-q", batch], bad, 2, "unknown field")


def test_rejected_input_leaves_a_new_store_uncreated_or_empty(tmp_path: Path):
    """Even on a store that does not exist yet, nothing but an empty store may appear."""
    root = tmp_path / "fresh"
    result = run_cli("ingest", "--store", root, "-q", BAD / "broken-json.jsonl")
    assert result.returncode == 1, result.stderr
    if root.exists():
        result = run_cli("query", "--store", root, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")
        assert result.returncode == 0, result.stderr
        assert re.search(r"\b0\b", result.stdout), result.stdout


# ------------------------------------------------------------------------ RDF for `load`
RDF_CASES = [
    ("broken.ttl", 3, "IRI"),
    ("unterminated.ttl", 2, ""),
    ("broken.nt", 2, ""),
    ("iri-injection.nt", 2, ""),
    ("broken.trig", 4, ""),
    ("broken.rdf", 4, "expected"),
    ("broken.jsonld", 4, ""),
]


@pytest.mark.parametrize(("name", "line", "reason"), RDF_CASES, ids=[c[0] for c in RDF_CASES])
def test_rdf_with_syntax_errors_is_rejected_by_load(
    store: Path, name: str, line: int | None, reason: str
):
    path = BAD / name
    assert_rejected(store, ["load", "--store", store, "--quiet", path], path, line, reason)


def test_rdf_into_a_reserved_graph_is_rejected(store: Path, tmp_path: Path):
    path = tmp_path / "sneaky.nq"
    path.write_text(
        "<http://example.org/a> <http://example.org/b> <http://example.org/c>"
        " <https://w3id.org/diplograph/graph/inferred> .\n",
        encoding="utf-8",
    )
    assert_rejected(store, ["load", "--store", store, "-q", path], path, None, "managed")


# ------------------------------------------------------------------------ hostile but valid
def test_hostile_names_are_stored_as_inert_literals(store: Path):
    """Markup and quote characters in names are text: stored verbatim, never parsed.

    The ingest succeeds, the export gives back exactly the input, the N-Quads dump still
    parses and holds exactly as many triples as a store ingested with harmless names,
    and no IRI outside the Diplograph namespace appears (nothing broke out of a literal).
    """
    source = BAD / "hostile-names.jsonl"
    result = run_cli("ingest", "--store", store, "-q", source)
    assert result.returncode == 0, result.stderr

    exported = run_cli("export", "facts", "--store", store, "--article", "hostile-names")
    assert exported.returncode == 0, exported.stderr
    expected = [json.loads(row) for row in source.read_text(encoding="utf-8").splitlines()]
    got = [json.loads(row) for row in exported.stdout.splitlines()]
    assert got == expected

    dumps = store_dump_quads(store)
    iris = {
        term.value
        for quad in dumps
        for term in (quad.subject, quad.predicate, quad.object, quad.graph_name)
        if isinstance(term, ox.NamedNode)
    }
    assert not [iri for iri in iris if "evil.example" in iri], "an injected IRI got in"
    literals = {q.object.value for q in dumps if isinstance(q.object, ox.Literal)}
    assert '"> <script>alert(1)</script>' in literals
    assert "' } ; INSERT DATA { <a> <b> <c> } #" in literals

    benign = source.read_text(encoding="utf-8")
    for index, hostile in enumerate(_names(expected)):
        benign = benign.replace(json.dumps(hostile)[1:-1], f"Plain name {index}")
    assert "script" not in benign
    plain = store.parent / "plain.jsonl"
    plain.write_text(benign, encoding="utf-8")
    reference = store.parent / "reference"
    assert run_cli("ingest", "--store", reference, "-q", plain).returncode == 0
    mine = [q for q in dumps if q.graph_name.value.endswith("/hostile-names")]
    theirs = [
        q for q in store_dump_quads(reference) if q.graph_name.value.endswith("/hostile-names")
    ]
    assert len(mine) == len(theirs)


def _names(records: list[dict]) -> list[str]:
    names = []
    for record in records:
        for role in ("actor", "target", "place"):
            if record.get(role):
                names.append(record[role]["name"])
        names.extend(p["name"] for p in record.get("participants", []))
        for key in ("attributed_to", "evidence", "title", "outlet"):
            if record.get(key):
                names.append(record[key])
    return names


def store_dump_quads(store: Path) -> list[ox.Quad]:
    """The quads of the current version's N-Quads dump; every Turtle dump must parse too."""
    current = (store / "CURRENT").read_text(encoding="ascii").strip()
    folder = store / "versions" / current / "dumps"
    for turtle in sorted(folder.glob("*.ttl.gz")):
        with gzip.open(turtle, "rb") as handle:
            list(ox.parse(handle.read(), format=ox.RdfFormat.TURTLE))
    with gzip.open(folder / "all.nq.gz", "rb") as handle:
        return list(ox.parse(handle.read(), format=ox.RdfFormat.N_QUADS))


def test_the_pipeline_reads_suffixes_in_any_case_and_refuses_a_named_non_input(tmp_path):
    from diplograph.ingest.pipeline import IngestError, collect_paths

    (tmp_path / "dir").mkdir()
    upper = tmp_path / "dir" / "NOTES.TXT"
    upper.write_text("date 2024-01-02\nFrance and Germany signed a treaty.\n")
    (tmp_path / "dir" / "readme.md").write_text("not an article\n")
    assert collect_paths([tmp_path / "dir"]) == [upper]
    note = tmp_path / "note.md"
    note.write_text("not an article\n")
    with pytest.raises(IngestError, match=r"note\.md: not an input"):
        collect_paths([upper, note])


def test_a_batch_reports_every_bad_input_at_once(tmp_path):
    """Fixing a batch must take one run, not one run per bad file."""
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "empty.txt").write_text("")
    (folder / "binary.txt").write_bytes(b"\x00\x01")
    (folder / "broken.jsonl").write_text('{"bad json\n')
    (folder / "good.txt").write_text("date 2024-01-02\nFrance and Germany signed a treaty.\n")
    store = tmp_path / "store"
    result = run_cli("ingest", "--store", store, "--quiet", folder)
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(lines) == 3, result.stderr
    for name in ("empty.txt", "binary.txt", "broken.jsonl"):
        assert any(name in line for line in lines), (name, result.stderr)
    assert "Traceback" not in result.stderr
    assert not store.exists()


def test_the_list_of_bad_inputs_is_capped():
    from diplograph.ingest.pipeline import IngestError

    error = IngestError(*(f"f{i}.txt: the file is empty" for i in range(25)))
    lines = str(error).splitlines()
    assert len(error.problems) == 25 and len(lines) == IngestError.SHOWN + 1
    assert lines[-1] == "... and 5 more bad inputs"
