"""`diplograph ingest`: articles or facts into the store, all or nothing."""

from __future__ import annotations

import os
from pathlib import Path

import click

from diplograph.cli.errors import Rejected, handle_errors
from diplograph.cli.options import (
    engine_option,
    open_store_for_writing,
    published_option,
    quiet_option,
    with_store_options,
)
from diplograph.cli.progress import note, progress_reporter


def _check_paths(
    _ctx: click.Context, _param: click.Parameter, paths: tuple[Path, ...]
) -> tuple[Path, ...]:
    """A file named on the command line that ingest does not read is a usage error, before
    the store is opened: skipping it would store less than was asked for."""
    from diplograph.ingest.pipeline import INPUT_KINDS, input_kind

    for path in paths:
        if not path.is_dir() and input_kind(path) is None:
            raise click.BadParameter(
                f"{path} is not an input ingest reads ({INPUT_KINDS}, suffix in any letter case)"
            )
    return paths


@click.command()
@click.argument(
    "paths",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, path_type=Path),
    callback=_check_paths,
)
@with_store_options
@published_option(
    "Publication date for text articles that state none (default: from each article's"
    " metadata, else unknown, so relative dates stay unresolved). A day that does not exist"
    " is a usage error (exit code 2)."
)
@click.option(
    "--workers",
    type=click.IntRange(1, 256),
    default=1,
    show_default=True,
    help=f"Processes for extraction (this machine has {os.cpu_count()} cores).",
)
@engine_option
@click.option(
    "--dumps/--no-dumps",
    default=True,
    show_default=True,
    help="Write the downloadable dumps of the new version once it is published (queries see"
    " the new data first; /dumps/ serves the previous complete dumps until then).",
)
@click.option(
    "--background-dumps",
    is_flag=True,
    default=False,
    help="Write the dumps in a detached process and return once the version is published"
    " (its log: STORE/dumps.log). For frequent small ingests into a large store.",
)
@quiet_option
@handle_errors
def ingest(
    paths: tuple[Path, ...],
    store_path: Path | None,
    backend: str | None,
    backend_update: str | None,
    published: str | None,
    workers: int,
    engine: str,
    dumps: bool,
    background_dumps: bool,
    quiet: bool,
) -> None:
    """Ingest article text files (.txt) and facts files (.jsonl); directories are searched.

    Suffixes match in any letter case (NOTES.TXT is an article text). A directory is
    searched recursively for such files and its other files are skipped; a directory
    holding none is rejected (exit code 1). A PATH that does not exist, or a file named
    with another suffix, is a usage error (exit code 2).

    Every input is read, extracted, mapped to RDF, validated with SHACL and reasoned over
    before the store is touched; the store then publishes the whole batch at once. Any
    bad input rejects the batch (exit code 1) and the store stays exactly as it was (a
    new store is not even created). Re-ingesting an article replaces its facts.

    A text article's metadata comes from a NAME.meta.json sidecar, front matter, or a
    leading `date YYYY-MM-DD` line; its id is the file name without extension.
    """
    from diplograph.ingest.pipeline import collect_paths, read_inputs
    from diplograph.ingest.pipeline import ingest as run_ingest

    files = collect_paths(paths)  # no input files at all: rejected before the store is opened
    store = open_store_for_writing(store_path, backend, backend_update)
    with progress_reporter(quiet) as progress:
        inputs = read_inputs(files, published=published, workers=workers, progress=progress)
        if not inputs:  # a batch of nothing must not publish an empty version
            raise Rejected(f"no articles to ingest in {', '.join(map(str, paths))}")
        in_process = dumps and not background_dumps
        report = run_ingest(store, inputs, engine=engine, dumps=in_process, progress=progress)
    if dumps and background_dumps and backend is None:
        from diplograph.store.dump_worker import spawn

        spawn(store.path)
    timings = ", ".join(f"{stage} {secs:.2f}s" for stage, secs in report.seconds.items())
    if report.unchanged == report.articles:
        note(
            f"read {report.articles} article(s), {report.facts} fact(s): all already stored"
            f" as they are; store {store.path} stays at {report.version} ({timings})",
            quiet,
        )
        return
    unchanged = f", {report.unchanged} of them unchanged" if report.unchanged else ""
    note(
        f"ingested {report.articles} article(s){unchanged}, {report.facts} fact(s):"
        f" {report.asserted_triples} asserted triples, inferred +{report.inferred_added}"
        f" -{report.inferred_removed}; store {store.path} now at {report.version} ({timings})",
        quiet,
    )
