"""`diplograph extract`: facts of article files as JSON Lines on stdout (no store needed)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from diplograph.cli.errors import handle_errors
from diplograph.cli.options import published_option


@click.command()
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@published_option(
    "Publication date used to resolve relative dates (default: each article's metadata,"
    " else unknown). A day that does not exist is a usage error (exit code 2)."
)
@click.option(
    "--articles/--no-articles",
    default=False,
    show_default=True,
    help="Also print an article metadata record before each article's facts.",
)
@handle_errors
def extract(files: tuple[Path, ...], published: str | None, articles: bool) -> None:
    """Print the facts found in article text FILES, one JSON object per line.

    The `article` field of each fact is the file name without extension unless the
    article's metadata (NAME.meta.json or front matter) names an id. Nothing is stored.
    A FILE that does not exist is a usage error (exit code 2); one that is not a readable
    article text is rejected (exit code 1).
    """
    from diplograph.ingest.articles import read_article
    from diplograph.ingest.extract import extract as run_extract
    from diplograph.ingest.facts import write_records

    for path in files:
        read = read_article(path, published=published)
        facts = run_extract(read.text, article_id=read.article.id, published=read.article.published)
        records = [read.article, *facts] if articles else facts
        write_records(records, sys.stdout)
