"""What every command shares: opening projects, one-line errors, quiet-in-pipes progress."""

from __future__ import annotations

import functools
import getpass
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from annotator.errors import AnnotatorError
from annotator.extras import missing_extra_message
from annotator.project import Project

F = TypeVar("F", bound=Callable[..., Any])

project_argument = click.argument(
    "project_path", metavar="PROJECT.db", type=click.Path(dir_okay=False, path_type=Path)
)


def login_name() -> str:
    """Who is running a command: ``$ANNOTATOR_USER``, else the login name."""
    try:
        return os.environ.get("ANNOTATOR_USER") or getpass.getuser()
    except (KeyError, OSError):
        return "admin"


as_option = click.option(
    "--as", "actor", default=login_name, show_default="$ANNOTATOR_USER or your login name",
    help="Who runs this command (their registered role decides what is allowed).",
)


def run_command(func: F) -> F:
    """Turn the project's errors into ``annotator: error: ...`` and exit code 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except AnnotatorError as exc:
            click.echo(f"annotator: error: {exc}", err=True)
            sys.exit(2)
        except ImportError as exc:  # an optional extra (spaCy, matplotlib...) is not installed
            message = missing_extra_message(exc)
            if message is None:
                raise
            click.echo(f"annotator: error: {message}", err=True)
            sys.exit(2)
        except KeyboardInterrupt:
            click.echo("annotator: interrupted; nothing was half-written", err=True)
            sys.exit(130)

    return wrapper  # type: ignore[return-value]


@contextmanager
def open_project(path: Path) -> Iterator[Project]:
    project = Project.open(path)
    try:
        yield project
    finally:
        project.close()


def is_terminal() -> bool:
    return sys.stderr.isatty()


@contextmanager
def progress_bar(description: str, total: int | None = None) -> Iterator[Callable[[int], None]]:
    """A rich progress bar on a terminal; a no-op in pipes and CI, where it would only add noise.

    Yields ``update(done)`` taking the number of items done so far.
    """
    if not is_terminal():
        yield lambda done: None
        return
    from rich.console import Console
    from rich.progress import Progress

    # On stderr, like every other note: stdout may be a pipe carrying data (--json, --order).
    # stdout is redrawn around the bar only when it is the same terminal: into a pipe it
    # must stay data (rich would otherwise send it to the bar's console, stderr).
    with Progress(console=Console(stderr=True), transient=True,
                  redirect_stdout=sys.stdout.isatty()) as progress:
        task = progress.add_task(description, total=total)
        yield lambda done: progress.update(task, completed=done)


def echo_lines(lines: list[str], *, err: bool = False) -> None:
    for line in lines:
        click.echo(line, err=err)
