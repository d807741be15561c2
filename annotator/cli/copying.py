"""``annotator copy``: a project file to a server database and back (annotator.copying)."""

from __future__ import annotations

from pathlib import Path

import click

from annotator.cli.common import PROJECT, run_command
from annotator.copying import copy_project


@click.command("copy")
@click.argument("project_path", metavar="SRC", type=PROJECT)
@click.argument("target", metavar="DST", type=PROJECT)
@click.option("--replace", is_flag=True,
              help="Overwrite a DST that already holds a project (its work is lost).")
@run_command
def copy(project_path: Path, target: Path, replace: bool) -> None:
    """Copy a whole project (every table, ids kept) to DST; nothing is written unless all is.

    \b
    Examples:
      annotator copy news.db news-copy.db
      annotator copy news.db postgresql://sara@db.example/news     # to the team server
      annotator copy postgresql://sara@db.example/news snapshot.db  # a server snapshot as a file
    """
    report = copy_project(project_path, target, replace=replace)
    click.echo(f"copied {project_path} to {target}: {report.articles} articles, {report.rows} rows")


def register(group: click.Group) -> None:
    group.add_command(copy)
