"""`diplograph evaluate`: score the extractor (or a predictions file) against gold facts."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from diplograph.cli.errors import Rejected
from diplograph.cli.options import OutputFile, write_output
from diplograph.ingest.evaluate import (
    Agreement,
    Report,
    load_gold,
    load_predictions,
    predict_documents,
    score,
)
from diplograph.ingest.facts import FACT_TYPES, FactFormatError


@click.command("evaluate")
@click.option(
    "--gold",
    "gold_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Gold annotations: devset records (one per text) or interchange-format fact lines."
    " A file without any is rejected (exit code 1).",
)
@click.option(
    "--texts",
    "texts_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Directory with <id>.txt for every gold document (the extractor is run on them).",
)
@click.option(
    "--predictions",
    "predictions_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Score these predicted facts (JSONL) instead of running the extractor.",
)
@click.option(
    "--json",
    "json_out",
    type=OutputFile(allow_dash=True),
    help="Also write the report as JSON to this file ('-' for stdout, replacing the table);"
    " its folder must exist (else exit code 2, before any scoring).",
)
@click.option(
    "--min-strict-f1",
    type=click.FloatRange(0.0, 1.0),
    default=None,
    help="Exit with status 1 when strict F1 is below this value (for CI).",
)
def evaluate(
    gold_path: Path,
    texts_dir: Path | None,
    predictions_path: Path | None,
    json_out: Path | None,
    min_strict_f1: float | None,
) -> None:
    """Score extracted facts against GOLD: per-type P/R/F1, strict and relaxed micro scores,
    date, negation and attribution agreement, QID linking and confidence calibration.

    Entities match by QID when both sides have one, else by normalised name (case,
    punctuation, diacritics and a leading "the" ignored). Strict = type + actor + target;
    relaxed = type + unordered {actor, target}; one-to-one matching per article.
    """
    if (texts_dir is None) == (predictions_path is None):
        raise click.UsageError("give exactly one of --texts DIR or --predictions FILE")
    try:
        documents = load_gold(gold_path)
        if not documents:  # all-zero scores would look like a result
            raise Rejected(
                f"{gold_path}: the gold file holds no records, so there is nothing to score"
            )
        if predictions_path is not None:
            predictions = load_predictions(predictions_path)
        else:
            predictions = predict_documents(documents, texts_dir)
    except (FactFormatError, FileNotFoundError, UnicodeDecodeError) as error:
        raise Rejected(str(error)) from None
    report = score(documents, predictions)
    data = report.to_dict()
    if json_out is not None:
        payload = json.dumps(data, indent=2, ensure_ascii=False)
        if str(json_out) == "-":
            click.echo(payload)
        else:
            encoded = (payload + "\n").encode("utf-8")
            write_output(json_out, "--json", lambda handle: handle.write(encoded))
    if json_out is None or str(json_out) != "-":
        render(report)
    if min_strict_f1 is not None and report.strict.f1 < min_strict_f1:
        click.echo(
            f"strict F1 {report.strict.f1:.3f} is below the required {min_strict_f1:.3f}",
            err=True,
        )
        sys.exit(1)


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _agreement(a: Agreement) -> str:
    return f"{_pct(a.rate)} ({a.agree}/{a.total})"


def render(report: Report) -> None:
    """A rich table on a terminal, plain aligned text otherwise."""
    rows = []
    for t in FACT_TYPES:
        s, r = report.per_type_strict[t], report.per_type_relaxed[t]
        if s.tp + s.fp + s.fn == 0:
            continue
        rows.append(
            (
                t,
                str(s.tp + s.fn),
                str(s.tp + s.fp),
                _pct(s.precision),
                _pct(s.recall),
                _pct(s.f1),
                _pct(r.f1),
            )
        )
    header = ("type", "gold", "pred", "P", "R", "F1 strict", "F1 relaxed")
    totals = [
        ("strict (type+actor+target)", report.strict),
        ("relaxed (type+{actor,target})", report.relaxed),
    ]
    extra = [
        ("date accuracy (matched)", _agreement(report.date)),
        ("date accuracy (gold dated)", _agreement(report.date_with_gold_date)),
        ("negation agreement", _agreement(report.negation)),
        ("attribution agreement", _agreement(report.attribution)),
        ("status agreement", _agreement(report.status)),
        ("QID linking accuracy", _agreement(report.qid_recall)),
        ("predicted QID precision", _agreement(report.qid_precision)),
    ] + [(f"precision, confidence {k}", _agreement(v)) for k, v in report.bands.items()]
    if sys.stdout.isatty():
        from rich.console import Console
        from rich.table import Table

        console = Console()
        table = Table(
            title=f"{report.documents} documents, {report.gold_facts} gold facts, "
            f"{report.predicted_facts} predicted"
        )
        for name in header:
            table.add_column(name, justify="left" if name == "type" else "right")
        for row in rows:
            table.add_row(*row)
        console.print(table)
        summary = Table(show_header=True)
        for name in ("score", "P", "R", "F1"):
            summary.add_column(name, justify="left" if name == "score" else "right")
        for name, prf in totals:
            summary.add_row(name, _pct(prf.precision), _pct(prf.recall), _pct(prf.f1))
        console.print(summary)
        measures = Table(show_header=True)
        measures.add_column("measure")
        measures.add_column("value (agree/total)", justify="right")
        for name, value in extra:
            measures.add_row(name, value)
        console.print(measures)
        return
    click.echo(
        f"{report.documents} documents, {report.gold_facts} gold facts, "
        f"{report.predicted_facts} predicted"
    )
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        click.echo(
            "  ".join(
                str(c).ljust(w) if i == 0 else str(c).rjust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )
    click.echo("")
    for name, prf in totals:
        click.echo(f"{name:32} P={_pct(prf.precision)} R={_pct(prf.recall)} F1={_pct(prf.f1)}")
    for name, value in extra:
        click.echo(f"{name:32} {value}")
