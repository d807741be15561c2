"""Commands that keep a project file safe: backup, check, restore."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from annotator.backup import (
    backup,
    backup_folder,
    integrity_problems,
    last_good_backup,
    restore_backup,
)
from annotator.cli.common import PROJECT, refuse_on_server, run_command
from annotator.errors import ProjectError


@click.command(name="backup")
@click.argument("project_path", metavar="PROJECT.db", type=PROJECT)  # file-only: URLs refused
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Backup file (default: backups/<name>-<UTC time>.db beside the project).",
)
@run_command
def backup_command(project_path: Path, output: Path | None) -> None:
    """Copy the project with SQLite's online backup; safe while the desk is open.

    \b
    Examples:
      annotator backup news.db -o backup.db
      annotator backup news.db            # -> backups/news-20250301T101502Z.db
    """
    refuse_on_server(project_path, "backup", "back the database up with pg_dump")
    target = backup(project_path, output)
    click.echo(f"backed up {project_path} to {target}")


@click.command()
@click.argument("project_path", metavar="PROJECT.db", type=PROJECT)  # file-only: URLs refused
@click.option(
    "--quick",
    is_flag=True,
    help="PRAGMA quick_check instead of the full integrity_check (faster, skips indexes).",
)
@run_command
def check(project_path: Path, quick: bool) -> None:
    """Check the project file's integrity; exit 2 and name the last good backup if damaged.

    \b
    Example:
      annotator check news.db
    """
    refuse_on_server(project_path, "check", "the server checks its own pages (pg_amcheck)")
    if not project_path.is_file():
        raise ProjectError(f"{project_path}: no such project")
    problems = integrity_problems(project_path, full=not quick)
    if not problems:
        click.echo(f"{project_path}: ok")
        return
    for problem in problems[:20]:
        click.echo(f"  {problem}", err=True)
    good = last_good_backup(project_path)
    hint = (
        f"last good backup: {good} (annotator restore {project_path} {good})"
        if good
        else f"no good backup in {backup_folder(project_path)}"
    )
    click.echo(
        f"annotator: error: {project_path} is damaged ({len(problems)} problems); {hint}", err=True
    )
    sys.exit(2)


@click.command()
@click.argument("project_path", metavar="PROJECT.db", type=PROJECT)  # file-only: URLs refused
@click.argument(
    "backup_path",
    metavar="[BACKUP.db]",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    required=False,
)
@run_command
def restore(project_path: Path, backup_path: Path | None) -> None:
    """Put a backup (default: the last good one) in the project's place; close the desk first.

    The replaced file is kept as <name>.damaged-<UTC time>, never deleted.

    \b
    Examples:
      annotator restore news.db
      annotator restore news.db backups/news-20250301T101502Z.db
    """
    refuse_on_server(project_path, "restore", "restore the database with pg_restore")
    chosen = backup_path or last_good_backup(project_path)
    if chosen is None:
        raise ProjectError(f"no good backup of {project_path} in {backup_folder(project_path)}")
    kept = restore_backup(chosen, project_path)
    click.echo(
        f"restored {project_path} from {chosen}" + (f"; the old file is {kept}" if kept else "")
    )


def register(group: click.Group) -> None:
    for command in (backup_command, check, restore):
        group.add_command(command)
