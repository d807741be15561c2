"""One format registry (issue 13): import, export and their CLI choices read the same list."""

from __future__ import annotations

import click
from click.testing import CliRunner

from annotator import exporting, reading
from annotator.cli import cli
from annotator.formats import registry


def test_every_format_the_registry_names_has_a_reader():
    # txt (a file is its article), conll (strictness, repairs) and spacy (binary) are read apart
    dispatched = set(reading._READERS) | {"txt", "conll", "spacy", "brat"}
    assert dispatched == set(registry.read_names()) - {"auto"}


def test_import_and_export_vocabularies_are_the_registrys():
    assert reading.FORMATS == ("auto", "txt", "jsonl", "json", "conll", "doccano", "prodigy",
                               "labelstudio", "ant", "hf", "spacy", "brat", "events")
    assert reading.IMPORT_SUFFIXES == {s for f in registry.FORMATS for s in f.suffixes}
    assert (exporting.FORMATS, exporting.FLAVORS) == (
        ("brat", "conll", "jsonl", "spacy"),
        ("native", "doccano", "prodigy", "labelstudio", "hf", "events"))


def test_the_cli_offers_the_registrys_choices():
    context = click.Context(cli)
    commands = {name: cli.get_command(context, name) for name in ("import", "export")}
    choices = {(name, p.name): tuple(p.type.choices) for name, cmd in commands.items()
               if cmd is not None for p in cmd.params if isinstance(p.type, click.Choice)}
    assert choices[("import", "fmt")] == registry.read_names()
    assert choices[("export", "fmt")] == registry.export_formats()
    assert choices[("export", "flavor")] == registry.export_flavors()
    assert "doccano" in CliRunner().invoke(cli, ["import", "--help"]).output


def test_offset_units_are_stated_for_every_format():
    units = {f.name: f.offsets for f in registry.FORMATS}
    assert units["doccano"] == registry.UTF16 and units["labelstudio"] == registry.CODE_POINTS
    assert {f.name for f in registry.FORMATS if f.offsets == registry.TOKENS} == {"conll", "hf"}
