"""The `diplograph` command group. Subcommands are imported only when used, so that
`diplograph --help` and quick commands start fast."""

from __future__ import annotations

import importlib
from importlib.metadata import version
from typing import Any

import click

from diplograph.cli.errors import EXIT_CODES_HELP, Interrupted

#: name -> (module, attribute, one-line help shown in `diplograph --help`)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "ingest": (
        "diplograph.cli.ingest",
        "ingest",
        "Extract, validate, reason and store articles or facts.",
    ),
    "extract": (
        "diplograph.cli.extract",
        "extract",
        "Print the facts found in article files (JSONL).",
    ),
    "query": ("diplograph.cli.query", "query", "Run a SPARQL query against the store."),
    "load": ("diplograph.cli.load", "load", "Import an RDF file as-is into the store."),
    "dump": ("diplograph.cli.dump", "dump", "Write the whole store as RDF."),
    "export": ("diplograph.cli.export", "export", "Export facts (JSONL) or the relation network."),
    "validate": (
        "diplograph.cli.validate",
        "validate",
        "Check facts or RDF against the SHACL shapes.",
    ),
    "reason": ("diplograph.cli.reason", "reason", "Rebuild the inferred graph (OWL RL)."),
    "info": ("diplograph.cli.info", "info", "Show what a store holds."),
    "serve": (
        "diplograph.cli.serve",
        "serve",
        "Serve the SPARQL endpoint, dumps and entity pages.",
    ),
    "evaluate": ("diplograph.cli.evaluate", "evaluate", "Score the extractor against gold facts."),
    "bench": ("diplograph.cli.bench", "bench", "Benchmark queries, ingest, reasoning and dumps."),
    "gazetteer": (
        "diplograph.cli.gazetteer",
        "gazetteer",
        "Inspect, rebuild or refresh the Wikidata gazetteer.",
    ),
}


class LazyGroup(click.Group):
    """A click group that imports a subcommand's module only when it is run or helped."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module_name, attribute, _ = COMMANDS[cmd_name]
        command = getattr(importlib.import_module(module_name), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{module_name}.{attribute} is not a click command")
        return command

    def invoke(self, ctx: click.Context) -> Any:
        """Ctrl-C exits 130 with one line, not click's "Aborted!" and 1 ("input rejected")."""
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            raise Interrupted() from None

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][2]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(
    cls=LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog=EXIT_CODES_HELP,
)
@click.version_option(version("diplograph"), prog_name="diplograph")
def cli() -> None:
    """Diplograph: an open knowledge graph of diplomacy.

    Reads English news articles, extracts diplomatic event facts (visits, meetings,
    agreements, recognition, accusations, sanctions ...), maps them to RDF, validates them
    with SHACL, infers state-level relations with OWL RL, stores them and serves them over
    SPARQL. Start with `diplograph serve`: with no store it builds one from the bundled
    sample articles.

    The store defaults to the user data directory (see `--store` on each command) or the
    DIPLOGRAPH_STORE environment variable.
    """


if __name__ == "__main__":
    cli()
