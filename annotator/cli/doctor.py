"""``annotator doctor``: check this machine (and a project) before the desk is opened."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from annotator.cli.common import PROJECT, run_command


@click.command()
@click.argument("project_path", metavar="[PROJECT.db|URL]", required=False, type=PROJECT)
@run_command
def doctor(project_path: Path | None) -> None:
    """Check Python, PySide6, Qt's libraries, the display, fonts, extras (and a project).

    Each line is ok, or says what to do. Exit code 1 when something the desk needs is missing
    (or the project is damaged or too new); a missing display or optional extra is only noted.

    \b
    Examples:
      annotator doctor
      annotator doctor news.db
    """
    from annotator.doctor import failed, machine_checks, project_checks

    checks = machine_checks()
    if project_path is not None:
        checks += project_checks(project_path)
    for check in checks:
        click.echo(check.line())
    if failed(checks):
        click.echo("annotator: doctor: fix the FAIL lines above", err=True)
        sys.exit(1)


def register(group: click.Group) -> None:
    group.add_command(doctor)
