"""Forging work packages as an adversarial annotator would: the helpers of the package tests."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from click.testing import CliRunner

from annotator.cli import cli
from annotator.project import Project
from annotator.team import members as teams
from annotator.team.packages import pack
from tests.core.team_kit import DAMASCUS, MINISTER, SUNDAY, aid, make_team_project

OTHER_TEXT = "ءءءءءءءءءءءءءءء"


def packing_team(path: Path) -> Project:
    """ali and mona both label every article; ali holds دمشق and يوم الأحد in a1, mona دمشق."""
    project = make_team_project(path)
    teams.assign(project.session("sara"), ["ali", "mona"], 2, seed=1)
    a1 = aid(project, "a1")
    project.session("ali").add_span(a1, *DAMASCUS, "LOCATION")
    project.session("ali").add_span(a1, *SUNDAY, "DATE")
    project.session("mona").add_span(a1, *DAMASCUS, "LOCATION")
    return project


def labelled_package(project: Project, out: Path) -> Path:
    """mona's package, in which she labelled وزير الدفاع and marked a1 done (as her desk does)."""
    pack(project.session("sara"), "mona", out)
    with Project.open(out) as package:
        p1 = package.store.article_id_by_doc_id("a1")
        assert p1 is not None
        package.session("mona").add_span(p1, *MINISTER, "ORGANIZATION")
        package.session("mona").set_state(p1, "done")
    return out


def tamper(path: Path, *statements: str, params: tuple[object, ...] = ()) -> None:
    """Edit a package with plain SQLite, as its holder can (``params`` bind where a ``?`` is)."""
    conn = sqlite3.connect(path)
    for sql in statements:
        conn.execute(sql, params if "?" in sql else ())
    conn.commit()
    conn.close()


def snapshot(path: Path) -> list[tuple[object, ...]]:
    """Every row a merge could change (spans of all layers, states, registry, meta)."""
    conn = sqlite3.connect(path)
    try:
        rows: list[tuple[object, ...]] = []
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        for table in sorted(
            {"spans", "article_states", "work_packages", "project_meta", "users"} & tables
        ):
            rows += [(table, *r) for r in conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2")]
        return rows
    finally:
        conn.close()


def merge_cli(project: Path, package: Path, *extra: str) -> tuple[int, str]:
    """``annotator merge`` as the admin sara: (exit code, what it printed)."""
    result = CliRunner().invoke(cli, ["merge", str(project), str(package), "--as", "sara", *extra])
    return result.exit_code, result.output


def keys(project: Project, user: str) -> list[tuple[int, int, str]]:
    return sorted(s.key for s in project.store.spans(aid(project, "a1"), [user]))
