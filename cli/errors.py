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
#: Usage error (click's own code for bad options and arguments).
EXIT_USAGE = 2
#: The store could not be used (missing, locked by another writer, damaged) or another
#: environment problem; nothing was written.
EXIT_STORE = 3

EXIT_CODES_HELP = (
    "Exit codes: 0 success; 1 input rejected (nothing written); 2 usage error; "
    "3 store unavailable (missing, locked or damaged)."
)

P = ParamSpec("P")
R = TypeVar("R")


class Rejected(click.ClickException):
    """Input rejected: exit code 1, message on stderr."""

    exit_code = EXIT_REJECTED

    def show(self, file: Any = None) -> None:
        click.echo(f"error: {self.format_message()}", err=True)


class StoreUnavailable(click.ClickException):
    exit_code = EXIT_STORE

    def show(self, file: Any = None) -> None:
        click.echo(f"error: {self.format_message()}", err=True)


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
