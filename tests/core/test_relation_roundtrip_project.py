"""brat -> project -> each format -> project -> brat, as a user runs it: the same links with the
same offsets come out as went in (the hand-written Arabic fixture, emoji first)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli import cli

BRAT = Path(__file__).resolve().parents[1] / "fixtures" / "brat"
WITHOUT_NOTE = "".join(line for line in (BRAT / "strike.ann").read_text(encoding="utf-8")
                       .splitlines(keepends=True) if not line.startswith("#"))


def run(*args: object) -> str:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code == 0, result.output + result.stderr
    return result.stderr


def project_from(tmp_path: Path, name: str, source: Path, fmt: str) -> Path:
    db = tmp_path / f"{name}.db"
    run("init", db)
    run("import", db, source, "--format", fmt, "--layer", "ali", "--new-labels", "add",
        "--as", "admin")
    return db


@pytest.mark.parametrize(("flavor", "name"), [
    ("native", "x.jsonl"), ("doccano", "x.jsonl"), ("labelstudio", "x.json"),
    ("prodigy", "x.jsonl"), ("events", "x.jsonl"),
])
def test_brat_project_format_project_brat_keeps_every_link(tmp_path: Path, flavor: str,
                                                           name: str) -> None:
    first = project_from(tmp_path, "first", BRAT, "brat")
    out = tmp_path / name
    run("export", first, "-o", out, "--flavor", flavor, "--source", "ali", "--as", "admin")
    read_as = {"native": "jsonl"}.get(flavor, flavor)
    second = project_from(tmp_path, "second", out, read_as)
    back = tmp_path / "back"
    run("export", second, "-o", back, "--format", "brat", "--source", "ali", "--as", "admin")
    assert (back / "ali" / "strike.ann").read_text(encoding="utf-8") == WITHOUT_NOTE
    assert (back / "ali" / "strike.txt").read_bytes() == (BRAT / "strike.txt").read_bytes()
