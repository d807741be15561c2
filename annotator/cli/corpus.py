"""Commands over a project's corpus: init, import, export, stats, schema."""

from __future__ import annotations

import json
from pathlib import Path

import click

from annotator.cli.common import open_project, progress_bar, project_argument, run_command
from annotator.project import Project
from annotator.schema import load_schema_file
from annotator.stats import project_stats


@click.command()
@project_argument
@click.option("--schema", "schema_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Label schema JSON (default: the shipped schemas/news.json).")
@run_command
def init(project_path: Path, schema_path: Path | None) -> None:
    """Create a new project file with a copy of a label schema.

    \b
    Example:
      annotator init news.db --schema schemas/news.json
    """
    with Project.create(project_path, schema_path) as project:
        schema = project.schema
        click.echo(f"created {project_path} with schema {schema.name!r} v{schema.version}: "
                   + ", ".join(schema.names))


@click.command()
@project_argument
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@run_command
def stats(project_path: Path, as_json: bool) -> None:
    """Articles, done / in progress, spans per label and annotator.

    \b
    Example:
      annotator stats news.db --json
    """
    with open_project(project_path) as project:
        figures = project_stats(project)
    if as_json:
        click.echo(json.dumps(figures, ensure_ascii=False, indent=2))
        return
    click.echo(f"{figures['articles']} articles, {figures['done']} done, "
               f"{figures['in_progress']} in progress, {figures['spans']} spans")
    for label, count in figures["spans_per_label"].items():
        click.echo(f"  {label:<16} {count:>8}")
    for annotator, labels in figures["spans_per_annotator"].items():
        click.echo(f"  {annotator}: " + ", ".join(f"{k} {v}" for k, v in labels.items()))


@click.command()
@project_argument
@click.option("--add-label", "add_labels", multiple=True, metavar="NAME",
              help="Add a label (repeatable); existing spans are untouched.")
@click.option("--rename", nargs=2, metavar="OLD NEW", help="Rename a label here and in every span.")
@click.option("--replace", "replace_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Install a new schema file; refused if it drops a label that spans use.")
@click.option("--json", "as_json", is_flag=True, help="Print the current schema as JSON.")
@run_command
def schema(project_path: Path, add_labels: tuple[str, ...], rename: tuple[str, str] | None,
           replace_path: Path | None, as_json: bool) -> None:
    """Show the label schema, or evolve it safely (every change is a new version).

    \b
    Examples:
      annotator schema news.db
      annotator schema news.db --add-label VEHICLE --add-label UNIT
      annotator schema news.db --rename EVENT INCIDENT
    """
    with open_project(project_path) as project:
        if add_labels:
            project.add_labels(list(add_labels))
        if rename:
            changed = project.rename_label(*rename)
            click.echo(f"renamed {rename[0]} to {rename[1]} in the schema and {changed} spans")
        if replace_path:
            project.replace_schema(load_schema_file(replace_path), note=f"replaced from {replace_path}")
        if as_json:
            click.echo(json.dumps(project.schema_data(), ensure_ascii=False, indent=2))
            return
        current = project.schema
        click.echo(f"schema {current.name!r} version {current.version}")
        for label in current.labels:
            click.echo(f"  [{label.key or ' '}] {label.name:<14} {label.color}  "
                       f"{label.display_en} / {label.display_ar}")


def register(group: click.Group) -> None:
    for command in (init, stats, schema):
        group.add_command(command)
