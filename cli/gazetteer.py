"""`diplograph gazetteer`: look names up, rebuild the shipped file, refresh from Wikidata."""

from __future__ import annotations

from pathlib import Path

import click

from diplograph.cli.errors import Rejected, StoreUnavailable
from diplograph.cli.options import OutputFile, write_output
from diplograph.ingest.facts import ENTITY_KINDS


@click.group()
def gazetteer() -> None:
    """Inspect, rebuild or refresh the offline Wikidata gazetteer."""


@gazetteer.command()
@click.argument("name")
@click.option(
    "--kind",
    type=click.Choice(ENTITY_KINDS),
    help="Also link NAME as this fact-model kind (as in facts: the `kind` of an entity).",
)
@click.option("--context", default="", help="Text around the mention, for context rules.")
def lookup(name: str, kind: str | None, context: str) -> None:
    """Show every gazetteer entry for NAME (and, with --kind, the linked QID)."""
    from diplograph.ingest.gazetteer import Gazetteer, link_entity

    entries = Gazetteer.default().lookup(name)
    if not entries:
        click.echo(f"{name!r}: not in the gazetteer")
    for entry in entries:
        stands = f" stands for {entry.stands_for}" if entry.stands_for else ""
        if entry.located_in and entry.located_in != entry.stands_for:
            stands += f" in {entry.located_in}"
        click.echo(
            f"{entry.name}\t{entry.kind}\t{entry.wikidata or '-'}\t{entry.role}{stands}"
            f"\t[{entry.source}, {entry.licence}]"
        )
    if kind:
        click.echo(f"link_entity({name!r}, {kind!r}) = {link_entity(name, kind, context)}")


@gazetteer.command(name="build")
@click.option(
    "--out",
    type=OutputFile(),
    help="Output file (default: the package's data file); its folder must exist.",
)
@click.option("--check", is_flag=True, help="Only check that the shipped file is up to date.")
def build_command(out: Path | None, check: bool) -> None:
    """Rebuild the gazetteer file from the shipped inputs (byte-identical when unchanged)."""
    from diplograph.ingest.gazetteer import build

    target = out or build.OUTPUT
    try:
        text = build.build_text()
    except (ValueError, KeyError) as error:
        raise Rejected(f"gazetteer inputs are inconsistent: {error}") from None
    if check:
        current = target.read_bytes() if target.exists() else b""
        if current != text.encode("utf-8"):
            raise Rejected(f"{target} is stale: run `diplograph gazetteer build`")
        click.echo(f"{target} is up to date")
        return
    encoded = text.encode("utf-8")
    write_output(target, "--out", lambda handle: handle.write(encoded))
    click.echo(f"wrote {text.count(chr(10)) - 1} rows to {target}")


@gazetteer.command()
@click.option(
    "--endpoint",
    default="https://query.wikidata.org/sparql",
    show_default=True,
    help="SPARQL endpoint of the Wikidata Query Service (or a mirror).",
)
@click.option("--dry-run", is_flag=True, help="Fetch and report the changes; write nothing.")
@click.option(
    "--out",
    type=OutputFile(),
    help="Where to write the gazetteer (default: the package's data file).",
)
@click.option(
    "--snapshot",
    type=OutputFile(),
    help="Where to store the Wikidata answers (default: beside the build inputs/--out).",
)
@click.option(
    "--max-attempts",
    default=5,
    show_default=True,
    type=click.IntRange(min=1),
    help="Tries per query (429/503).",
)
@click.option("--verbose", "-v", is_flag=True, help="List every change, not only counts.")
def refresh(
    endpoint: str,
    dry_run: bool,
    out: Path | None,
    snapshot: Path | None,
    max_attempts: int,
    verbose: bool,
) -> None:
    """Rebuild the gazetteer with current Wikidata data and print what changed."""
    from diplograph.ingest.gazetteer import build
    from diplograph.ingest.gazetteer.refresh import Client, RefreshError
    from diplograph.ingest.gazetteer.refresh import refresh as run_refresh

    def log(message: str) -> None:
        click.echo(message, err=True)

    client = Client(endpoint=endpoint, max_attempts=max_attempts, log=log)
    try:
        report = run_refresh(
            endpoint=endpoint,
            out=out or build.OUTPUT,
            snapshot_path=snapshot,
            dry_run=dry_run,
            client=client,
        )
    except RefreshError as error:
        raise StoreUnavailable(str(error)) from None
    except OSError as error:  # e.g. the package data folder is read-only: use --out
        raise StoreUnavailable(f"cannot write the gazetteer: {error}") from None
    lines = report.diff.lines()
    click.echo(lines[0] if not report.diff.empty else "no changes")
    if verbose:
        for line in lines[1:]:
            click.echo(line)
    else:
        for line in lines[1:21]:
            click.echo(line)
        if len(lines) > 21:
            click.echo(f"  ... {len(lines) - 21} more (use --verbose)")
    for note in report.notes:
        click.echo(f"note: {note}")
    click.echo(
        f"{report.requests} request(s) to {endpoint}; "
        + ("written" if report.written else "dry run: nothing written")
    )
