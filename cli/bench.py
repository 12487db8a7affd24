"""`diplograph bench`: the benchmark suite of bench/ (a checkout of the repository needs it)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

PARTS = ("reasoning", "queries", "dumps", "shacl", "incremental", "ingest")


def _import_bench() -> None:
    """bench/ lives beside the packages in the repository and is not installed."""
    try:
        import bench  # noqa: F401
    except ModuleNotFoundError:
        repo = Path(__file__).resolve().parent.parent
        if (repo / "bench" / "run.py").is_file():
            sys.path.insert(0, str(repo))
        else:
            raise click.ClickException(
                "the benchmark suite is not installed; run it from a checkout of the"
                " repository (python -m bench)"
            ) from None


@click.command("bench")
@click.option(
    "--sizes",
    default="10k,100k,1m",
    show_default=True,
    help="Comma-separated store sizes in asserted triples (e.g. 10k,100k,1m or 2500).",
)
@click.option(
    "--quick",
    is_flag=True,
    help="Smoke run: sizes 1k,3k (unless --sizes is given), 30 ingest articles, short budgets.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("bench/results"),
    show_default=True,
    help="Folder for latest.json and latest.md.",
)
@click.option(
    "--workdir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("bench/.work"),
    show_default=True,
    help="Scratch folder: generated data (cached by seed and size), stores, server logs.",
)
@click.option("--seed", default=42, show_default=True, help="Seed of the synthetic data.")
@click.option(
    "--skip",
    "skip",
    multiple=True,
    type=click.Choice(PARTS),
    help="Leave out a part (repeatable).",
)
@click.option(
    "--ingest-articles",
    type=click.IntRange(1),
    default=None,
    help="Articles for the ingest throughput part (default 1000; 30 with --quick).",
)
def bench(
    sizes: str,
    quick: bool,
    out: Path,
    workdir: Path,
    seed: int,
    skip: tuple[str, ...],
    ingest_articles: int | None,
) -> None:
    """Benchmark query latency and throughput (against an Oxigraph server and pyoxigraph in
    process), ingest, OWL RL reasoning, SHACL, dumps and server memory on synthetic
    diplomacy graphs; print the tables and write OUT/latest.json and OUT/latest.md.

    The full run (10k, 100k, 1M triples) takes 15-30 minutes on two cores; every part is
    bounded in time. Servers run on 127.0.0.1 only.
    """
    _import_bench()
    try:
        from bench import report
        from bench.datasets import parse_size
        from bench.run import PARTS as ALL_PARTS
        from bench.run import Settings
    except ModuleNotFoundError as error:  # psutil comes with the test extras
        raise click.ClickException(
            f"the benchmark needs {error.name}: pip install -e '.[test]'"
        ) from None

    chosen = tuple(s.strip().lower() for s in sizes.split(",") if s.strip())
    try:
        for label in chosen:
            parse_size(label)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--sizes") from None
    given = click.get_current_context().get_parameter_source("sizes")
    overrides: dict = {
        "workdir": workdir,
        "seed": seed,
        "parts": tuple(p for p in ALL_PARTS if p not in skip),
        "say": lambda line: click.echo(line, err=True),
    }
    if ingest_articles is not None:
        overrides["ingest_articles"] = ingest_articles
    if quick:
        if given is not None and given.name != "DEFAULT":
            overrides["sizes"] = chosen
        settings = Settings.quick(**overrides)
    else:
        settings = Settings(sizes=chosen, **overrides)
    from bench.run import run

    results = run(settings)
    report.print_tables(results)
    for path in report.write(results, out):
        click.echo(f"wrote {path}", err=True)
