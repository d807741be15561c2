"""``annotator gui``: the command that opens the desk, provided by the ``ui`` package.

It lives here, not in ``annotator/cli``, so the core never imports Qt or ``ui``: the CLI's command
table names this module as a string and imports it only when ``annotator gui`` runs. PySide6
itself is imported only after the arguments are parsed, so ``annotator gui --help`` works (and a
missing PySide6 is one clear line) on a core-only install.
"""

from __future__ import annotations

import getpass
from pathlib import Path

import click

from annotator.cli.common import PROJECT, run_command
from annotator.display import display_problem
from annotator.errors import AnnotatorError
from annotator.project import on_server


@click.command()
@click.argument("project_path", metavar="[PROJECT.db|URL]", required=False, type=PROJECT)
@click.option("--user", default=lambda: getpass.getuser(), show_default="your login name",
              help="Who is labelling: spans are stored under this name.")
@click.option("--screenshot", type=click.Path(dir_okay=False, path_type=Path),
              help="Render the window offscreen to this PNG and exit.")
@click.option("--article", metavar="ID", help="Open this article (its id) first.")
@click.option("--review", is_flag=True, help="Open the reviewer's adjudication desk.")
@run_command
def gui(project_path: Path | None, user: str, screenshot: Path | None, article: str | None,
        review: bool) -> None:
    """Open the annotation desk (with no project: a demo project of real Arabic news).

    \b
    Examples:
      annotator gui                              # demo project in your data folder
      annotator gui news.db --user mona
      annotator gui news.db --screenshot desk.png --article JA-sport-1-20170121
    """
    problem = None if screenshot is not None else display_problem()
    if problem:
        # Before Qt: without a display it aborts (rc 134) blaming xcb-cursor0, which is there.
        raise AnnotatorError(problem)
    try:
        from ui.app import run_gui  # noqa: PLC0415 (PySide6: only once the command runs)
    except ImportError as exc:
        raise AnnotatorError(
            f"the desk needs PySide6 ({exc}); install with: pip install 'annotator[gui]'"
        ) from None
    if project_path is None:
        from annotator.demo import ensure_demo_project  # noqa: PLC0415 (only without a project)

        project_path = ensure_demo_project()
    elif not on_server(project_path) and not project_path.exists():
        raise AnnotatorError(
            f"{project_path}: no such project (create one with 'annotator init {project_path}')"
        )
    raise SystemExit(
        run_gui(project_path, user, screenshot=screenshot, article=article, review=review)
    )


def register(group: click.Group) -> None:
    group.add_command(gui)
