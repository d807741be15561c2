"""What a new user meets first: --version, gui without a display, usage lines, and messages that
say what to do (a JSON array given as JSONL, a missing optional extra), through the entry point."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from annotator import __version__
from annotator.cli.common import run_command
from tests.core.entry_point import run
from tests.core.test_cli import dump

NO_DISPLAY_ENV = ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "news.db"
    assert run("init", path).returncode == 0
    return path


def test_version():
    result = run("--version")
    assert (result.returncode, result.stdout) == (0, f"annotator, version {__version__}\n")


def test_gui_without_display_is_one_line_and_exit_2_not_a_qt_abort(db):
    """On main this aborted inside Qt (rc 134, 'xcb-cursor0 ... is needed')."""
    result = run("gui", db, env_remove=NO_DISPLAY_ENV)
    assert result.returncode == 2
    assert result.stderr == (
        "annotator: error: no display (DISPLAY and WAYLAND_DISPLAY are unset): run the desk in a"
        " desktop session, or render it without one: annotator gui --screenshot desk.png\n")
    assert result.stdout == ""


def test_restore_usage_shows_the_backup_optional():
    result = run("restore", "--help")
    assert result.returncode == 0
    assert "Usage: annotator restore [OPTIONS] PROJECT.db [BACKUP.db]\n" in result.stdout


@pytest.mark.parametrize("content", [
    '[{"id": "a", "text": "خبر"}]\n',                 # one line
    '[\n  {"id": "a", "text": "خبر"}\n]\n',            # pretty-printed
    '\ufeff\n  [{"id": "a", "text": "خبر"}]\n',        # BOM, blank line, indent
])
def test_jsonl_format_on_a_json_array_says_use_json(db, tmp_path, content):
    path = tmp_path / "export.jsonl"
    path.write_text(content, encoding="utf-8")
    before = dump(db)
    result = run("import", db, path, "--format", "jsonl")
    assert result.returncode == 2
    line = 2 if content.startswith("\ufeff\n") else 1
    assert result.stderr.splitlines()[-1] == (
        f"annotator: error: {path}:{line}: this file is a JSON array; use --format json")
    assert dump(db) == before
    assert run("import", db, path, "--format", "json").returncode == 0


def test_jsonl_lines_still_import(db, tmp_path):
    path = tmp_path / "ok.jsonl"
    path.write_text(json.dumps({"id": "a", "text": "[خبر] عاجل"}, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    result = run("import", db, path, "--format", "jsonl")
    assert result.returncode == 0, result.stderr


def without(tmp_path: Path, module: str) -> dict[str, str]:
    """An environment in which ``import module`` fails, as if its extra were not installed."""
    site = tmp_path / f"no-{module}"
    site.mkdir()
    (site / "sitecustomize.py").write_text(f"import sys\nsys.modules[{module!r}] = None\n")
    return {"PYTHONPATH": str(site)}


def test_export_spacy_without_spacy_names_the_extra(db, tmp_path):
    out = tmp_path / "news.spacy"
    result = run("export", db, "-o", out, "--format", "spacy", env=without(tmp_path, "spacy"))
    assert result.returncode == 2
    assert result.stderr == ("annotator: error: spaCy is not installed (needed for export --format"
                             " spacy, import of .spacy files): pip install 'annotator[spacy]'\n")
    assert not out.exists()


def test_agreement_plot_without_matplotlib_names_the_extra_before_any_work(tmp_path):
    """Refused before the project is even opened: here it does not exist."""
    result = run("agreement", tmp_path / "absent.db", "--plot", tmp_path / "a.png",
                 env=without(tmp_path, "matplotlib"))
    assert result.returncode == 2
    assert result.stderr == ("annotator: error: matplotlib is not installed (needed for agreement"
                             " --plot): pip install 'annotator[plot]'\n")


def test_an_extra_missing_deep_in_a_command_is_one_line():
    """Whatever path imports an optional module, the CLI names its extra, never a traceback."""

    @click.command()
    @run_command
    def reads_docbin() -> None:
        raise ModuleNotFoundError("No module named 'spacy.tokens'", name="spacy.tokens")

    @click.command()
    @run_command
    def broken() -> None:
        raise ModuleNotFoundError("No module named 'yaml'", name="yaml")

    result = CliRunner().invoke(reads_docbin, [])
    assert result.exit_code == 2
    assert result.output.endswith("pip install 'annotator[spacy]'\n")
    # Not one of ours: a real bug, which must stay visible.
    assert isinstance(CliRunner().invoke(broken, []).exception, ModuleNotFoundError)
