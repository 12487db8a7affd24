"""The ingest pipeline: extract → map to RDF → validate → reason → store, for one batch.

A batch is all the inputs of one ``diplograph ingest`` call. It is atomic: every input
is read, extracted, mapped, validated and reasoned over *before* the store is touched,
and the store publishes the whole batch in one step (see ``store/README.md``). Any bad
input aborts the batch with a message naming the file (and line or fact), leaving the
store exactly as it was.

Re-ingesting an article replaces its graph. The inferred graph is maintained
incrementally through the store's *support index* (per-article inferred triples): an
inferred triple leaves the inferred graph only when no article supports it any more.
"""

from __future__ import annotations

import contextlib
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from diplograph.ingest import inferred_graph
from diplograph.ingest.articles import ArticleInputError, ArticleText, decode_text, read_article
from diplograph.ingest.facts import Article, Fact, FactFormatError, read_records
from diplograph.ingest.to_rdf import IngestRun, article_to_graph
from diplograph.ingest.worker_lifetime import process_pool
from diplograph.ontology.namespaces import ARTICLE_GRAPH_PREFIX, RUN_PREFIX, article_graph
from diplograph.ontology.reasoning_terms import triples_from_rdflib, triples_to_oxigraph
from diplograph.shapes.validate import check
from diplograph.store import VersionedStore, write_dumps
from diplograph.store.terms import oxigraph_triples

#: The agent named in provenance for facts read from a facts file rather than extracted.
IMPORT_AGENT = "diplograph facts import"
TEXT_SUFFIXES = (".txt",)
FACT_SUFFIXES = (".jsonl",)
#: Passed to the progress callback: (stage, done, total).
Progress = Callable[[str, int, int], None]


class IngestError(ValueError):
    """The batch was rejected; the store is unchanged. The message says which input and why.

    A batch reports every bad input it found (``problems``, one line each), not only the
    first: fixing them should take one run, not one run per file.
    """

    #: Problems listed in full; beyond this many, the count of the others.
    SHOWN = 20

    def __init__(self, *problems: str):
        self.problems = list(problems)
        lines = self.problems[: self.SHOWN]
        if len(self.problems) > self.SHOWN:
            lines.append(f"... and {len(self.problems) - self.SHOWN} more bad inputs")
        super().__init__("\n".join(lines))


@dataclass
class ArticleInput:
    """One article of a batch: metadata, facts and the file they came from.

    ``extracted`` is True when our extractor produced the facts from the text, False when
    they were imported from a facts file (provenance names a different agent).
    """

    article: Article
    facts: list[Fact]
    source: str
    extracted: bool = False


@dataclass
class IngestReport:
    """What a batch did, with per-stage timings (seconds) for users and benchmarks."""

    articles: int = 0
    facts: int = 0
    asserted_triples: int = 0
    inferred_added: int = 0
    inferred_removed: int = 0
    #: articles whose graph (apart from the run that wrote it) is already in the store:
    #: they are left as they are, and a batch of only such articles publishes nothing
    unchanged: int = 0
    version: str | None = None
    seconds: dict[str, float] = field(default_factory=dict)


#: What a batch reads, as messages name it.
INPUT_KINDS = ".txt article texts or .jsonl facts"


def input_kind(path: Path) -> str | None:
    """ "text", "facts" or None (not an input), by suffix in any letter case (NOTES.TXT is
    an article text, as a file manager or a Windows share may well name it)."""
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return "text"
    if suffix in FACT_SUFFIXES:
        return "facts"
    return None


def collect_paths(paths: Sequence[Path]) -> list[Path]:
    """The named files, and the inputs found in the named directories (sorted, recursive;
    a directory's other files are skipped). A named file that is not an input is an
    error: skipping it would store less than was asked for."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                p for p in sorted(path.rglob("*")) if p.is_file() and input_kind(p) is not None
            )
        elif not path.exists():
            raise IngestError(f"{path}: no such file or directory")
        elif input_kind(path) is None:
            raise IngestError(f"{path}: not an input ({INPUT_KINDS})")
        else:
            found.append(path)
    if not found:
        raise IngestError(f"no input files ({INPUT_KINDS}) in {', '.join(map(str, paths))}")
    return found


def read_inputs(
    paths: Sequence[Path],
    *,
    published: str | None = None,
    workers: int = 1,
    progress: Progress | None = None,
) -> list[ArticleInput]:
    """Read and extract every input; raises IngestError listing every bad one (each file is
    still read and extracted, so that one run shows all that needs fixing)."""
    files = collect_paths(paths)
    texts = [p for p in files if input_kind(p) == "text"]
    fact_files = [p for p in files if input_kind(p) == "facts"]
    inputs: list[ArticleInput] = []
    problems: list[str] = []
    for path in fact_files:
        try:
            inputs.extend(_read_fact_file(path))
        except IngestError as error:
            problems.extend(error.problems)
    try:
        inputs.extend(extract_texts(texts, published=published, workers=workers, progress=progress))
    except IngestError as error:
        problems.extend(error.problems)
    if problems:
        raise IngestError(*problems)
    seen: dict[str, str] = {}
    for item in inputs:
        if item.article.id in seen:
            raise IngestError(
                f"{item.source}: article id {item.article.id!r} also comes from"
                f" {seen[item.article.id]}; one batch may hold each article once"
            )
        seen[item.article.id] = item.source
    return inputs


def extract_texts(
    paths: Sequence[Path],
    *,
    published: str | None = None,
    workers: int = 1,
    progress: Progress | None = None,
) -> list[ArticleInput]:
    """Read and extract text articles, in parallel processes when ``workers`` > 1."""
    jobs = [(str(p), published) for p in paths]
    results: list[ArticleInput] = []
    problems: list[str] = []

    def keep(item: ArticleInput | str) -> None:
        if isinstance(item, str):
            problems.append(item)
        else:
            results.append(item)

    if workers > 1 and len(jobs) > 1:
        with process_pool(workers) as pool:
            for done, item in enumerate(pool.map(_extract_one, jobs, chunksize=8), start=1):
                keep(item)
                if progress:
                    progress("extract", done, len(jobs))
    else:
        for done, job in enumerate(jobs, start=1):
            keep(_extract_one(job))
            if progress:
                progress("extract", done, len(jobs))
    if problems:  # every bad text, not only the first
        raise IngestError(*problems)
    return results


def _extract_one(job: tuple[str, str | None]) -> ArticleInput | str:
    """Worker: one text file to an ArticleInput, or the error message (errors must pickle)."""
    from diplograph.ingest.extract import extract

    path, published = job
    try:
        read: ArticleText = read_article(Path(path), published=published)
    except ArticleInputError as error:
        return str(error)
    facts = extract(read.text, article_id=read.article.id, published=read.article.published)
    return ArticleInput(article=read.article, facts=facts, source=path, extracted=True)


def _read_fact_file(path: Path) -> list[ArticleInput]:
    try:
        text = decode_text(path.read_bytes(), path)  # names the line of bad UTF-8
        # "\n" only: U+2028 and friends may stand raw inside JSON strings
        records = list(read_records(text.split("\n"), source=str(path)))
    except (FactFormatError, ArticleInputError) as error:
        raise IngestError(str(error)) from None
    except OSError as error:
        raise IngestError(f"{path}: cannot read the file: {error.strerror}") from None
    articles: dict[str, Article] = {}
    facts: dict[str, list[Fact]] = defaultdict(list)
    for record in records:
        if isinstance(record, Article):
            if record.id in articles:
                raise IngestError(f"{path}: article {record.id!r} is described twice")
            articles[record.id] = record
        else:
            facts[record.article].append(record)
    ids = list(dict.fromkeys([*articles, *facts]))
    if not ids:
        raise IngestError(f"{path}: the file holds no facts and no articles")
    return [
        ArticleInput(article=articles.get(i, Article(id=i)), facts=facts[i], source=str(path))
        for i in ids
    ]


def ingest(
    store: VersionedStore,
    inputs: Sequence[ArticleInput],
    *,
    engine: str = "reasonable",
    dumps: bool = True,
    progress: Progress | None = None,
) -> IngestReport:
    """Map, validate, reason and store a batch, all or nothing."""
    report = IngestReport(articles=len(inputs), facts=sum(len(i.facts) for i in inputs))
    runs = new_runs()

    with _timed(report, "map"):
        graphs = {}
        for done, item in enumerate(inputs, start=1):
            run = runs[item.extracted]
            graphs[item.article.id] = article_to_graph(
                item.article, item.article.id, item.facts, run
            )
            if progress:
                progress("map", done, len(inputs))

    with _timed(report, "validate"):
        _validate_batch(graphs)

    with _timed(report, "reason"):
        # Several articles per reasoner call (renamed apart: each keeps its own inferences).
        inferred = {}
        ids = list(graphs)
        for start in range(0, len(ids), inferred_graph.REBUILD_CHUNK):
            chunk = ids[start : start + inferred_graph.REBUILD_CHUNK]
            results = inferred_graph.infer_apart_terms(
                [triples_from_rdflib(graphs[i]) for i in chunk], engine=engine
            )
            for article_id, triples in zip(chunk, results, strict=True):
                inferred[article_id] = set(triples_to_oxigraph(triples))
            if progress:
                progress("reason", start + len(chunk), len(graphs))

    with _timed(report, "store"), store.writer() as batch:
        new_ontology = inferred_graph.ensure_ontology(batch)
        if new_ontology and batch.base_metadata.get("triples"):
            # A new ontology can change what every stored article entails.
            inferred_graph.rebuild(batch, engine=engine)
        stored_sizes = batch.base_metadata.get("graphs") or {}
        for article_id, graph in graphs.items():
            triples = oxigraph_triples(graph)
            report.asserted_triples += len(triples)
            name = article_graph(article_id)
            if stored_sizes.get(name) == len(triples) and stored_as_is(batch.store, name, triples):
                report.unchanged += 1
                continue
            batch.replace_graph(name, triples)
            added, removed = inferred_graph.update_article(batch, name, inferred[article_id])
            report.inferred_added += added
            report.inferred_removed += removed
        if report.unchanged == len(graphs) and not new_ontology:
            batch.publish = False  # the same input again: no new version, no new dumps
        batch.metadata["last_run"] = {
            "iri": str(runs[True].iri),
            "started_at": runs[True].started_at.isoformat(),
            "articles": report.articles,
            "facts": report.facts,
        }
        if dumps:
            batch.dump_writer = write_dumps
    report.version = store.current_version()
    return report


def stored_as_is(store: ox.Store, graph: str, triples: Sequence[ox.Triple]) -> bool:
    """Whether the named ``graph`` already holds ``triples``, apart from the ingest run.

    Every run has its own IRI, start time and ``prov:wasGeneratedBy`` links, so a graph
    mapped again from the same input differs from the stored one only there. Writing it
    would publish a version that changes nothing but provenance, invalidate every cached
    answer (ETags) and rewrite the dumps: the stored graph, with the run that really
    produced its facts, is kept instead. The caller asks only for a graph whose size in
    the published version's metadata matches (a new or resized article costs nothing);
    then it is one lookup of that graph.
    """
    stored = [
        ox.Triple(q.subject, q.predicate, q.object)
        for q in store.quads_for_pattern(None, None, None, ox.NamedNode(graph))
    ]
    return len(stored) == len(triples) and _without_run(stored) == _without_run(triples)


_RUN_PLACEHOLDER = ox.NamedNode(RUN_PREFIX + "this")


def _without_run(triples: Sequence[ox.Triple]) -> set[ox.Triple]:
    """The triples with the run's own description left out and links to it made alike."""
    out = set()
    for t in triples:
        if isinstance(t.subject, ox.NamedNode) and t.subject.value.startswith(RUN_PREFIX):
            continue
        obj = t.object
        if isinstance(obj, ox.NamedNode) and obj.value.startswith(RUN_PREFIX):
            obj = _RUN_PLACEHOLDER
        out.add(ox.Triple(t.subject, t.predicate, obj))
    return out


def new_runs() -> dict[bool, IngestRun]:
    """This run's prov:Activity for extracted facts (True) and for imported facts (False)."""
    from diplograph.ingest.extract import EXTRACTOR_NAME, EXTRACTOR_VERSION

    extracting = IngestRun.new(EXTRACTOR_NAME, EXTRACTOR_VERSION)
    importing = IngestRun(
        id=extracting.id + "-import",
        started_at=extracting.started_at,
        extractor=IMPORT_AGENT,
        extractor_version=version("diplograph"),
    )
    return {True: extracting, False: importing}


def _validate_batch(graphs: dict[str, Graph]) -> None:
    """One SHACL pass over the whole batch (much cheaper than one per article)."""
    combined = Graph()
    for graph in graphs.values():
        combined += graph
    if len(combined):
        check(combined)


@contextlib.contextmanager
def _timed(report: IngestReport, stage: str) -> Iterator[None]:
    """Add the wall time of a stage to the report."""
    start = time.perf_counter()
    try:
        yield
    finally:
        report.seconds[stage] = report.seconds.get(stage, 0.0) + time.perf_counter() - start


def article_ids_in(store: ox.Store) -> list[str]:
    """The ids of the articles a store version holds (from their graph names)."""
    return [
        name.value[len(ARTICLE_GRAPH_PREFIX) :]
        for name in store.named_graphs()
        if isinstance(name, ox.NamedNode) and name.value.startswith(ARTICLE_GRAPH_PREFIX)
    ]


#: The bundled public-domain sample articles (see samples/README.md).
SAMPLES_DIR = Path(__file__).parent / "samples"


def ensure_sample_store(path: Path, progress: Progress | None = None) -> VersionedStore:
    """Open the store at ``path``; if it holds no data yet, ingest the bundled samples."""
    store = VersionedStore.open(path)
    if not store.reader().metadata.get("triples"):
        ingest(store, read_inputs([SAMPLES_DIR], progress=progress), progress=progress)
    return store
