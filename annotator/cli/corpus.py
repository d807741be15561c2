"""Commands over a project's corpus: init, import, export, stats, schema."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from annotator.cli.common import (
    as_option,
    given_user,
    open_project,
    progress_bar,
    project_argument,
    run_command,
)
from annotator.errors import SchemaError
from annotator.export_links import why_left_out
from annotator.exporting import (
    FLAVORS,
    FORMATS,
    SCHEMES,
    ExportOptions,
    export_project,
    parse_split,
)
from annotator.extras import require as require_extra
from annotator.importing import import_documents
from annotator.label_map import LabelMap
from annotator.project import Project, Session
from annotator.reading import FORMATS as READ_FORMATS
from annotator.reading import PathDocuments, ReadOptions
from annotator.schema import load_schema_file, with_display_names
from annotator.stats import project_stats
from annotator.team import members as teams


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
@click.option("--watch", "watch_s", type=click.FloatRange(min=0.2), metavar="SECONDS",
              help="Keep running: print the figures again whenever someone's progress changes "
                   "(checked every SECONDS). Ctrl+C stops.")
@as_option
@run_command
def stats(project_path: Path, as_json: bool, watch_s: float | None, actor: str | None) -> None:
    """Articles, done / in progress, spans per label and annotator, relations and events.

    Span figures count the layers the --as user may read (an annotator in a blind project:
    her own layer and her own progress; the article count is always whole).

    \b
    Examples:
      annotator stats news.db --json
      annotator stats news.db --watch 2      # an admin's live view of the team's progress
    """
    with open_project(project_path, read_only=True) as project:
        session = teams.acting_session(project, actor)
        if watch_s is None:
            _print_stats(project_stats(project, session), as_json)
            return
        from annotator.live import watch

        try:
            watch(project, watch_s, lambda: _print_stats(project_stats(project, session), as_json,
                                                         stamp=True))
        except KeyboardInterrupt:
            return


def _print_stats(figures: dict, as_json: bool, *, stamp: bool = False) -> None:
    if stamp:  # watching: when these figures were read; JSON as one line per reading
        from annotator.clock import now

        if as_json:
            click.echo(json.dumps({"at": now(), **figures}, ensure_ascii=False))
            return
        click.echo(f"--- {now()}")
    if as_json:
        click.echo(json.dumps(figures, ensure_ascii=False, indent=2))
        return
    click.echo(f"{figures['articles']} articles, {figures['done']} done, "
               f"{figures['in_progress']} in progress, {figures['spans']} spans")
    for label, count in figures["spans_per_label"].items():
        click.echo(f"  {label:<16} {count:>8}")
    for annotator, labels in figures["spans_per_annotator"].items():
        click.echo(f"  {annotator}: " + ", ".join(f"{k} {v}" for k, v in labels.items()))
    if figures["relations"] or figures["events"]:
        click.echo(f"{figures['relations']} relations, {figures['events']} events")
        for name, count in (*figures["relations_per_type"].items(), *figures["events_per_type"].items()):
            click.echo(f"  {name:<16} {count:>8}")


@click.command()
@project_argument
@click.option("--add-label", "add_labels", multiple=True, metavar="NAME",
              help="Add a label (repeatable); existing spans are untouched.")
@click.option("--rename", nargs=2, metavar="OLD NEW",
              help="Rename a label here and in every span; onto an existing label, merge the two.")
@click.option("--merge", "merge_ok", is_flag=True,
              help="With --rename onto an existing label: merge without asking (scripts).")
@click.option("--replace", "replace_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Install a new schema file; refused if it drops a label that spans use.")
@click.option("--display-name", "display_label", metavar="LABEL",
              help="Set LABEL's display names, given after it as ar=NAME and/or en=NAME.")
@click.argument("names", nargs=-1, metavar="[ar=NAME] [en=NAME]")
@click.option("--json", "as_json", is_flag=True, help="Print the current schema as JSON.")
@as_option
@run_command
def schema(project_path: Path, add_labels: tuple[str, ...], rename: tuple[str, str] | None,
           merge_ok: bool, replace_path: Path | None, display_label: str | None,
           names: tuple[str, ...], as_json: bool, actor: str | None) -> None:
    """Show the label schema (with its relation and event types), or evolve it safely (every
    change is a new version).

    \b
    Examples:
      annotator schema news.db
      annotator schema news.db --add-label VEHICLE --add-label UNIT
      annotator schema news.db --rename EVENT INCIDENT --as sara
      annotator schema news.db --rename PER PERSON --merge   # PERSON exists: merge PER into it
      annotator schema news.db --display-name MIS-2 ar=متفرقات en=Miscellaneous

    Changes need an admin once the project has one (see 'annotator users').
    """
    display = _display_names(display_label, names)
    with open_project(project_path) as project:
        if add_labels or rename or replace_path or display_label:
            session = teams.acting_session(project, actor)
        if add_labels:
            teams.add_labels(session, list(add_labels))
        if rename and rename[1] in project.schema.names:
            _merge_labels(session, *rename, merge_ok)
        elif rename:
            changed = teams.rename_label(session, *rename)
            click.echo(f"renamed {rename[0]} to {rename[1]} in the schema and {changed} spans")
        if replace_path:
            teams.replace_schema(session, load_schema_file(replace_path),
                                 note=f"replaced from {replace_path}")
        if display_label:
            _set_display_names(session, display_label, display)
        if as_json:
            click.echo(json.dumps(project.schema_data(), ensure_ascii=False, indent=2))
            return
        current = project.schema
        click.echo(f"schema {current.name!r} version {current.version}")
        for label in current.labels:
            click.echo(f"  [{label.key or ' '}] {label.name:<14} {label.color}  "
                       f"{label.display_en} / {label.display_ar}")
        for kind in current.relation_types:
            click.echo(f"  [{kind.key or ' '}] {kind.name:<14} relation  {'/'.join(kind.heads)}"
                       f" -> {'/'.join(kind.tails)}" + ("  (symmetric)" if kind.symmetric else ""))
        for frame in current.event_types:
            click.echo(f"  [{frame.key or ' '}] {frame.name:<14} event     trigger {frame.trigger_label}")
            for role in frame.roles:
                click.echo(f"      [{role.key or ' '}] {role.name:<12} {role.multiplicity:<8}"
                           f" {'/'.join(role.labels)}")


def _display_names(label: str | None, pairs: tuple[str, ...]) -> dict[str, str]:
    """``("ar=متفرقات", "en=Misc")`` as ``{"ar": ..., "en": ...}``; refused before the project
    is opened, so a typo changes nothing."""
    if pairs and not label:
        raise click.UsageError(f"unexpected argument {pairs[0]!r} (names go after --display-name LABEL)")
    if label and not pairs:
        raise click.UsageError("--display-name LABEL needs ar=NAME and/or en=NAME after it")
    names: dict[str, str] = {}
    for pair in pairs:
        language, sep, name = pair.partition("=")
        if not sep or language not in ("ar", "en") or not name.strip():
            raise click.UsageError(f"expected ar=NAME or en=NAME, got {pair!r}")
        names[language] = name.strip()
    return names


def _set_display_names(session: Session, label: str, names: dict[str, str]) -> None:
    """One schema version naming ``label`` in each language given (admins, as every change)."""
    if label not in session.project.schema.names:
        raise SchemaError(f"no label {label!r} in the schema")
    data = session.project.schema_data()
    for language, name in names.items():
        data = with_display_names(data, {label: name}, language)
    teams.replace_schema(session, data, note=f"display names of {label}")
    click.echo(f"{label}: " + ", ".join(f"{lang}={name}" for lang, name in names.items()))


def _new_label_hints(project_path: Path, labels: list[str]) -> list[str]:
    """One line per label an import added: it has only its tag as a name until someone sets one.

    >>> _new_label_hints(Path("news.db"), ["MIS-2"])[0].split(": ")
    ['label MIS-2 has no Arabic display name yet', "set it with 'annotator schema news.db \
--display-name MIS-2 ar=NAME en=NAME'"]
    """
    return [f"label {label} has no Arabic display name yet: set it with 'annotator schema "
            f"{project_path} --display-name {label} ar=NAME en=NAME'" for label in labels]


def _can_ask() -> bool:
    """A person can answer a prompt (not a script or a pipe)."""
    return sys.stdin.isatty()


def _merge_labels(session: Session, old: str, new: str, merge_ok: bool) -> None:
    """``--rename OLD NEW`` onto an existing NEW: merge, once the user said yes (or --merge)."""
    if not merge_ok:
        if not _can_ask():
            raise SchemaError(f"label {new!r} already exists: add --merge to merge {old} into it")
        click.confirm(f"{new} already exists: merge {old} into {new} (every {old} span becomes "
                      f"{new}, {old} leaves the schema)?", abort=True, err=True)
    moved, duplicates = teams.merge_label(session, old, new)
    click.echo(f"merged {old} into {new}: {moved} spans relabelled, {duplicates} duplicate spans "
               f"removed; {old} is no longer in the schema")


@click.command("import")
@project_argument
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(READ_FORMATS), default="auto", show_default=True,
              help="Input format; auto looks at the suffix and the first record.")
@click.option("--encoding", type=click.Choice(["auto", "utf-8", "cp1256"]), default="auto",
              show_default=True, help="Text encoding; auto tries UTF-8, then Windows-1256, and says so.")
@click.option("--force-encoding", is_flag=True,
              help="Keep --encoding even where the text it gives looks wrong (e.g. UTF-8 read as cp1256).")
@click.option("--layer", metavar="NAME",
              help="Store the files' spans in layer NAME (e.g. model-x predictions); default: the"
                   " annotator each span names, else 'import'. Annotators: only their own layer.")
@click.option("--as", "actor", metavar="NAME",
              help="Who runs this command (default $ANNOTATOR_USER or your login name). Deprecated"
                   " for one release: without --layer, --as NAME still names the layer.")
@click.option("--new-labels", type=click.Choice(["error", "add"]), default="error", show_default=True,
              help="Labels not in the schema: refuse the import (listing them) or add them (admins).")
@click.option("--clean", is_flag=True,
              help="Remove scraped-page boilerplate (share buttons, 'related articles'…); lists each removal.")
@click.option("--skip-bad", is_flag=True,
              help="Skip files that fail to read (listing them) instead of importing nothing.")
@click.option("--strict", is_flag=True,
              help="Refuse CoNLL tags that need a repair (respelled, unstarted, unclosed) instead of repairing them.")
@click.option("--map-labels", "map_labels", metavar="OLD=NEW,...",
              help="Rename the input's labels as they are read, e.g. PER=PERSON,LOC=LOCATION.")
@click.option("--map-labels-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The same from a file: OLD=NEW lines, or a JSON object {\"PER\": \"PERSON\"}.")
@run_command
def import_(project_path: Path, paths: tuple[Path, ...], fmt: str, encoding: str,
            force_encoding: bool, layer: str | None, actor: str | None, new_labels: str, clean: bool,
            skip_bad: bool, strict: bool, map_labels: str | None, map_labels_file: Path | None) -> None:
    """Import articles (and any spans they carry). All or nothing unless --skip-bad.

    Every layer the spans go into is checked against the --as user's role: an annotator
    imports only into her own layer, gold needs a reviewer, --new-labels add an admin.

    \b
    Examples:
      annotator import news.db articles/                      # .txt, .json, .jsonl, CoNLL, ANT
      annotator import news.db scraped.json --clean
      annotator import news.db old.txt --encoding cp1256
      annotator import news.db predictions.jsonl --layer model-x --as huda
      annotator import news.db corpus.conll --map-labels PER=PERSON,LOC=LOCATION,ORG=ORGANIZATION
      annotator import news.db brat/ali --layer ali      # brat .txt + .ann pairs, links too
    """
    if actor is not None and layer is None:
        click.echo("annotator: note: 'import --as NAME' for the layer is deprecated; use --layer NAME"
                   " (--as will name who runs the command)", err=True)
        layer, actor = actor, None
    label_map = LabelMap.parse(map_labels) if map_labels else LabelMap()
    if map_labels_file:
        label_map = label_map.merged(LabelMap.from_file(map_labels_file))
    options = ReadOptions(format=fmt, encoding=encoding, clean=clean, skip_bad=skip_bad,
                          strict=strict, label_map=label_map,
                          force_encoding=force_encoding)
    with open_project(project_path) as project, progress_bar("importing") as update:
        session = teams.acting_session(project, actor or given_user())
        docs = PathDocuments(paths, options, note=lambda msg: click.echo(msg, err=True))
        report = import_documents(project, docs, as_annotator=layer, new_labels=new_labels,
                                  progress=update, session=session)
    hints = _new_label_hints(project_path, report.labels_added)
    for note in [*report.notes, *label_map.report(), *hints]:
        click.echo(note, err=True)
    click.echo(report.summary())
    if options.skipped:
        click.echo(f"skipped {len(options.skipped)} file(s):", err=True)
        for reason in options.skipped:
            click.echo(f"  {reason}", err=True)


@click.command("export")
@project_argument
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
              help="Output file; with --split, NAME.train.EXT, NAME.dev.EXT, NAME.test.EXT"
                   " (--flavor hf: a folder NAME/ of train/validation/test.jsonl; --format brat:"
                   " a folder NAME/<layer>/ of .txt + .ann pairs).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="jsonl", show_default=True)
@click.option("--flavor", type=click.Choice(FLAVORS), default="native", show_default=True,
              help="JSONL dialect: ours, doccano, Prodigy, Label Studio, Hugging Face or ACE-style events.")
@click.option("--scheme", type=click.Choice(SCHEMES), default="iob2", show_default=True,
              help="Tag scheme of CoNLL and HF exports.")
@click.option("--source", default="human", show_default=True,
              help="Which spans: human (gold where adjudicated, else finished human layers), gold,"
                   " all (every layer: reviewers, admins, open projects), or layer names:"
                   " ali,suggest:crf (an annotator in a blind project: her own).")
@click.option("--include-unfinished", is_flag=True,
              help="Also export unfinished work and articles nobody labelled (as all-O examples).")
@click.option("--split", metavar="80/10/10", help="Train/dev/test percentages.")
@click.option("--seed", type=int, default=0, show_default=True, help="Shuffle seed of --split.")
@as_option
@run_command
def export(project_path: Path, output: Path, fmt: str, flavor: str, scheme: str, source: str,
           include_unfinished: bool, split: str | None, seed: int, actor: str | None) -> None:
    """Export spans for training; writes a dataset card beside the data.

    By default only human work goes in: gold where an article is adjudicated, else the layers
    their annotators marked done (and imported layers). Suggestions and model layers go in only
    when named with --source; unfinished or unlabelled articles only with --include-unfinished.

    CoNLL holds one label per token: overlapping spans keep the longest (each dropped span is
    reported); a span boundary inside a token splits the token.

    \b
    Examples:
      annotator export news.db -o exports/news.conll --format conll --scheme bioes
      annotator export news.db -o exports/news.jsonl --flavor doccano --source gold
      annotator export news.db -o exports/hf --flavor hf --split 80/10/10 --seed 13
      annotator export news.db -o exports/tasks.json --flavor labelstudio
      annotator export news.db -o exports/brat --format brat    # a folder per layer
      annotator export news.db -o exports/events.jsonl --flavor events   # ACE-style events
    """
    if fmt == "spacy":
        require_extra("spacy")
    options = ExportOptions(fmt, flavor, scheme, source, parse_split(split) if split else None, seed,
                            include_unfinished)
    with open_project(project_path, read_only=True) as project, progress_bar("exporting") as update:
        session = teams.acting_session(project, actor)
        result = export_project(project, output, options, progress=update, session=session)
    for path, count in zip(result.files, result.documents.values()):
        click.echo(f"wrote {path} ({count} articles)")
    if result.split_tokens:
        click.echo(f"{result.split_tokens} tokens split at span boundaries", err=True)
    for dropped in result.dropped:
        click.echo(f"dropped: {dropped}", err=True)
    if result.left_out:
        click.echo("left out: " + ", ".join(f"{n} articles {why}"
                                            for why, n in sorted(result.left_out.items())), err=True)
    if result.links_left_out:  # a format without relations, or without event frames
        click.echo("left out: " + ", ".join(f"{n} {what}" for what, n in sorted(
            result.links_left_out.items())) + f": {why_left_out(fmt, flavor)}", err=True)
    click.echo(f"card: {result.card}")


def register(group: click.Group) -> None:
    for command in (init, import_, export, stats, schema):
        group.add_command(command)
