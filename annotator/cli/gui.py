"""``annotator gui``: open the desk. The core never imports Qt; this command loads ``ui`` lazily."""

from __future__ import annotations

import getpass
from pathlib import Path

import click

from annotator.cli.common import run_command
from annotator.demo import ensure_demo_project
from annotator.errors import AnnotatorError


@click.command()
@click.argument("project_path", metavar="[PROJECT.db]", required=False,
                type=click.Path(dir_okay=False, path_type=Path))
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
    try:
        from ui.app import run_gui
    except ImportError as exc:
        raise AnnotatorError(
            f"the desk needs PySide6 ({exc}); install with: pip install 'annotator[gui]'"
        ) from None
    path = project_path if project_path is not None else ensure_demo_project()
    if project_path is not None and not path.exists():
        raise AnnotatorError(f"{path}: no such project (create one with 'annotator init {path}')")
    raise SystemExit(run_gui(path, user, screenshot=screenshot, article=article, review=review))


def register(group: click.Group) -> None:
    group.add_command(gui)
