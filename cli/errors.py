"""Exit codes that scripts can trust, and turning expected errors into one clear line."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

import click

#: Success.
EXIT_OK = 0
#: The input was rejected (unreadable file, invalid facts, SHACL violations, syntax errors):
#: nothing was written.
EXIT_REJECTED = 1
#: Usage error (click's own code for bad options and arguments): also a file, folder or
#: article named on the command line that does not exist, and an option value that cannot
#: be used (an output file in a missing folder, a port already in use).
EXIT_USAGE = 2
#: The store could not be used (missing, locked by another writer, damaged) or another
#: environment problem; nothing was written.
EXIT_STORE = 3
#: Interrupted by Ctrl-C (SIGINT): the shell's 128 + 2. Store writes and --out files are
#: atomic, so they stay as they were; 1 would claim the input was rejected.
EXIT_INTERRUPTED = 130

EXIT_CODES_HELP = (
    "Exit codes: 0 success; 1 input rejected (nothing written); 2 usage error (including a"
    " named file or article that does not exist, or an unusable option value); 3 store"
    " unavailable (missing, locked or damaged); 130 interrupted (Ctrl-C)."
)

P = ParamSpec("P")
R = TypeVar("R")


class Rejected(click.ClickException):
    """Input rejected: exit code 1, message on stderr; one `error:` line per problem (a
    batch lists every bad input it found, one per line)."""

    exit_code = EXIT_REJECTED

    def show(self, file: Any = None) -> None:
        for line in self.format_message().splitlines() or [""]:
            click.echo(f"error: {line}", err=True)


class StoreUnavailable(click.ClickException):
    """The store is missing, locked or damaged: exit code 3, message on stderr."""

    exit_code = EXIT_STORE

    def show(self, file: Any = None) -> None:
        click.echo(f"error: {self.format_message()}", err=True)


class Unusable(click.ClickException):
    """An option value that parses but cannot be used (a port in use, an output file that
    cannot be written): a usage error, exit code 2, as one line without click's usage text."""

    exit_code = EXIT_USAGE

    def show(self, file: Any = None) -> None:
        click.echo(f"error: {self.format_message()}", err=True)


class Interrupted(click.ClickException):
    """Ctrl-C: exit code 130 instead of click's "Aborted!" with 1 (which means rejected)."""

    exit_code = EXIT_INTERRUPTED

    def __init__(self) -> None:
        super().__init__("interrupted")

    def show(self, file: Any = None) -> None:
        # A new line first on a terminal, after the "^C" it echoed.
        newline = "\n" if sys.stderr.isatty() else ""
        click.echo(f"{newline}error: {self.format_message()}", err=True)


def handle_errors(function: Callable[P, R]) -> Callable[P, R]:
    """Map the pipeline's expected exceptions to exit codes; anything else is a bug (traceback)."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        from diplograph.ingest.articles import ArticleInputError
        from diplograph.ingest.facts import FactFormatError
        from diplograph.ingest.pipeline import IngestError
        from diplograph.shapes.validate import ShaclViolation
        from diplograph.store import StoreError

        try:
            return function(*args, **kwargs)
        except (IngestError, ArticleInputError, FactFormatError, ShaclViolation) as error:
            raise Rejected(str(error)) from None
        except StoreError as error:
            raise StoreUnavailable(str(error)) from None
        except BrokenPipeError:
            sys.stderr.close()
            sys.exit(EXIT_OK)

    return wrapper
