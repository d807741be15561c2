"""What every command shares: opening projects, one-line errors, quiet-in-pipes progress."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from annotator.errors import AnnotatorError, ProjectError
from annotator.extras import missing_extra_message
from annotator.project import Project, on_server, project_location, storage_failure

F = TypeVar("F", bound=Callable[..., Any])

class ProjectLocation(click.ParamType):
    """A project argument: a file (``news.db``) or a server URL (``postgresql://sara@db/news``).

    The one place every command's project argument is parsed (issue 14): a URL becomes a Path
    that prints without its password, so messages and ``--help`` examples need no change."""

    name = "project"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Path:
        if isinstance(value, Path):
            return value
        text = os.fsdecode(value)
        if not text:
            self.fail("a project file or postgresql:// URL is required", param, ctx)
        return project_location(text)


PROJECT = ProjectLocation()

project_argument = click.argument("project_path", metavar="PROJECT.db|URL", type=PROJECT)


def refuse_on_server(project_path: Path, what: str, instead: str) -> None:
    """Stop a file-only command (backup, check, restore...) given a server project, in one line."""
    if on_server(project_path):
        raise ProjectError(f"{project_path}: {what} works on project files, not on a server "
                           f"project; {instead}")


def given_user() -> str | None:
    """The name ``$ANNOTATOR_USER`` gives, or None. Not the operating system's login name: a
    name given is a claim (refused on a server unless it is the login), the login name a
    default (the core's :func:`~annotator.team.logins.identity` decides)."""
    return os.environ.get("ANNOTATOR_USER") or None


as_option = click.option(
    "--as", "actor", default=given_user, show_default="$ANNOTATOR_USER or your login name",
    help="Who runs this command (their registered role decides what is allowed). On a server"
         " project: your login; another name is refused.",
)


def run_command(func: F) -> F:
    """Turn every failure a user can meet into ``annotator: error: ...`` and exit code 2.

    The project's own errors, and also what the system says (SQLite: locked, disk full, damaged;
    the OS: no space, permission denied, a path under a file; input nested too deeply) from
    every command alike: one line naming the file, never a traceback. An SQLite error that
    reaches here has already been rolled back by its transaction.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except KeyboardInterrupt:
            click.echo("annotator: interrupted; nothing was half-written", err=True)
            sys.exit(130)
        except Exception as exc:  # noqa: BLE001 (each kind is named in failure_message)
            message = failure_message(exc, kwargs.get("project_path"))
            if message is None:
                raise
            click.echo(f"annotator: error: {message}", err=True)
            sys.exit(2)

    return wrapper  # type: ignore[return-value]


def failure_message(exc: BaseException, where: object = None) -> str | None:
    """The one line for ``exc``, or None for a genuine bug (which keeps its traceback).

    ``where`` names the project when the error itself does not (SQLite's messages name no file).

    >>> failure_message(OSError(28, "No space left on device", "out.jsonl"))
    'out.jsonl: No space left on device'
    >>> failure_message(RecursionError())
    'input nested too deeply to read (more than about 1,000 levels of JSON or XML)'
    """
    if isinstance(exc, AnnotatorError):
        return str(exc)
    if isinstance(exc, ImportError):  # an optional extra (spaCy, matplotlib...) is not installed
        return missing_extra_message(exc)
    as_project = storage_failure(exc, where or "the project")
    if as_project is not None:
        return str(as_project)
    if isinstance(exc, OSError):
        name = exc.filename if exc.filename is not None else where
        reason = exc.strerror or str(exc)
        return f"{name}: {reason}" if name is not None else reason
    if isinstance(exc, RecursionError):
        return "input nested too deeply to read (more than about 1,000 levels of JSON or XML)"
    return None


@contextmanager
def open_project(path: Path, *, read_only: bool = False) -> Iterator[Project]:
    """The project at ``path``, closed afterwards; ``read_only`` for commands that only read."""
    project = Project.open(path, read_only=read_only)
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
