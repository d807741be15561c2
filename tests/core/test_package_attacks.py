"""Work packages that cannot be forged: every attack of issue 10 on ``merge``, refused in one line.

A package is a file its holder edits with any SQLite tool, so each test forges one the way an
adversarial annotator would, merges it through the CLI (exit 2, one line, no traceback) or the
core, and checks that the project is unchanged and no other layer was touched.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator import teams
from annotator.cli import cli
from annotator.errors import PermissionDenied, ProjectError
from annotator.packages import merge, pack
from annotator.project import Project
from tests.core.team_kit import DAMASCUS, MINISTER, SUNDAY, aid, make_team_project

OTHER_TEXT = "ءءءءءءءءءءءءءءء"


@pytest.fixture
def team(tmp_path: Path) -> Iterator[Project]:
    """ali and mona both label every article; both hold دمشق in a1 before mona is packed."""
    with make_team_project(tmp_path / "news.db") as project:
        teams.assign(project.session("sara"), ["ali", "mona"], 2, seed=1)
        a1 = aid(project, "a1")
        project.session("ali").add_span(a1, *DAMASCUS, "LOCATION")
        project.session("ali").add_span(a1, *SUNDAY, "DATE")
        project.session("mona").add_span(a1, *DAMASCUS, "LOCATION")
        yield project


def _labelled_package(project: Project, out: Path) -> Path:
    """mona's package, in which she labelled وزير الدفاع and marked a1 done (as her desk does)."""
    pack(project.session("sara"), "mona", out)
    with Project.open(out) as package:
        p1 = package.store.article_id_by_doc_id("a1")
        assert p1 is not None
        package.session("mona").add_span(p1, *MINISTER, "ORGANIZATION")
        package.session("mona").set_state(p1, "done")
    return out


def _tamper(path: Path, *statements: str, params: tuple[object, ...] = ()) -> None:
    conn = sqlite3.connect(path)
    for sql in statements:
        conn.execute(sql, params if "?" in sql else ())
    conn.commit()
    conn.close()


def _snapshot(path: Path) -> list[tuple[object, ...]]:
    """Every row a merge could change (spans of all layers, states, registry, meta)."""
    conn = sqlite3.connect(path)
    try:
        rows: list[tuple[object, ...]] = []
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        for table in sorted({"spans", "article_states", "work_packages", "project_meta", "users"} & tables):
            rows += [(table, *r) for r in conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2")]
        return rows
    finally:
        conn.close()


def _merge_cli(project: Path, package: Path, *extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["merge", str(project), str(package), "--as", "sara", *extra])
    return result.exit_code, result.output


def _keys(project: Project, user: str) -> list[tuple[int, int, str]]:
    return sorted(s.key for s in project.store.spans(aid(project, "a1"), [user]))


# --- each forgery: exit 2, one line, the project unchanged -----------------------------------

LAYER_TO = (
    "UPDATE spans SET annotator = '{0}'",
    "UPDATE article_states SET user = '{0}'",
    "UPDATE assignments SET user = '{0}'",
    "UPDATE users SET name = '{0}'",
    "UPDATE project_meta SET value = '{0}' WHERE key = 'package.user'",
)

ATTACKS = {
    # attack: (statements run on mona's labelled package, what the one line says)
    "rewritten to ali": (
        [s.format("ali") for s in LAYER_TO],
        "says it is 'ali''s package, but it was issued to mona",
    ),
    "claims reviewer huda": (
        [s.format("huda") for s in LAYER_TO],
        "says it is 'huda''s package, but it was issued to mona",
    ),
    "claims suggest:crf": (
        [s.format("suggest:crf") for s in LAYER_TO],
        "says it is 'suggest:crf''s package, but it was issued to mona",
    ),
    "claims gold in its spans": (["UPDATE spans SET annotator = 'gold'"], "holds spans of layer 'gold'"),
    "unregistered id": (
        [f"UPDATE project_meta SET value = '{'0' * 32}' WHERE key = 'package.id'"],
        f"package id '{'0' * 16}' was never issued by this project",
    ),
    "label not in the schema": (
        ["UPDATE spans SET label = 'WEAPONX' WHERE label = 'ORGANIZATION'"],
        "label 'WEAPONX' is not in the project's schema",
    ),
    "state not known": (
        ["UPDATE article_states SET state = 'approved'"],
        "unknown article state 'approved'",
    ),
    "span text not the project's": (
        [
            f"UPDATE spans SET text = '{OTHER_TEXT[: MINISTER[1] - MINISTER[0]]}'"
            " WHERE label = 'ORGANIZATION'"
        ],
        "is not the project's text there",
    ),
    "offsets out of range": (
        ['UPDATE spans SET start = start + 1000, "end" = "end" + 1000'],
        "is not the project's text there",
    ),
    "view named like a table": (
        [
            "ALTER TABLE spans RENAME TO spans_real",
            "CREATE VIEW spans AS SELECT * FROM spans_real",
        ],
        "holds a view (spans), which no package has",
    ),
    "trigger": (
        ["CREATE TRIGGER evil AFTER INSERT ON spans BEGIN SELECT 1; END"],
        "holds a trigger (evil)",
    ),
    "unexpected table": (["CREATE TABLE evil (x)"], "holds an unexpected table (evil)"),
    "unexpected column": (
        ["ALTER TABLE spans ADD COLUMN evil TEXT"],
        "table spans differs from the layout of version",
    ),
    "non-integer offsets": (
        ["UPDATE spans SET start = 'four'"],
        "spans.start holds a value that is not integer",
    ),
    "schema version not a number": (
        ["UPDATE project_meta SET value = 'x1' WHERE key = 'package.source_schema_version'"],
        "its schema version 'x1' is not a number",
    ),
}


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_forged_package_is_refused_in_one_line_and_nothing_changes(
    team: Project, tmp_path: Path, attack: str
) -> None:
    statements, message = ATTACKS[attack]
    out = _labelled_package(team, tmp_path / "mona.annot")
    _tamper(out, *statements)
    before = _snapshot(team.path)
    code, output = _merge_cli(team.path, out)
    assert code == 2, output
    assert message in output and "nothing merged" in output, output
    assert output.count("\n") == 1 and "Traceback" not in output
    assert _snapshot(team.path) == before


def test_a_30_mb_label_is_refused_before_it_is_read(team: Project, tmp_path: Path) -> None:
    out = _labelled_package(team, tmp_path / "mona.annot")
    _tamper(out, "UPDATE spans SET label = ?", params=("L" * 30_000_000,))
    before = _snapshot(team.path)
    code, output = _merge_cli(team.path, out)
    assert code == 2 and output.count("\n") == 1, output
    assert "spans.label holds a value that is not text or longer than 100,000 characters" in output
    assert _snapshot(team.path) == before


def test_only_the_issued_layer_changes_whatever_the_package_says(
    team: Project, tmp_path: Path
) -> None:
    """Today's attack: mona's package relabelled 'ali' wiped ali's spans (here: his دمشق)."""
    out = _labelled_package(team, tmp_path / "mona.annot")
    _tamper(out, *(s.format("ali") for s in LAYER_TO), "DELETE FROM spans")
    ali_before = _keys(team, "ali")
    with pytest.raises(PermissionDenied, match="issued to mona"):
        merge(team.session("sara"), out)
    assert _keys(team, "ali") == ali_before == sorted([(*DAMASCUS, "LOCATION"), (*SUNDAY, "DATE")])
    with pytest.raises(PermissionDenied, match="issued to mona, not to ali"):
        merge(team.session("sara"), out, for_user="ali")


def test_a_registered_package_merges_from_the_projects_record_not_its_own(
    team: Project, tmp_path: Path
) -> None:
    """The base the package carries is not read (here: broken JSON); the project's record is."""
    out = _labelled_package(team, tmp_path / "mona.annot")
    _tamper(out, "UPDATE project_meta SET value = '{broken' WHERE key = 'package.base_spans'")
    report = merge(team.session("sara"), out)
    assert report.user == "mona" and report.totals() == (1, 0, 0)
    assert _keys(team, "mona") == [(*MINISTER, "ORGANIZATION"), (*DAMASCUS, "LOCATION")]
    assert team.store.state(aid(team, "a1"), "mona") == "done"


def test_suggestions_made_in_the_package_are_skipped_not_merged(team: Project, tmp_path: Path) -> None:
    out = _labelled_package(team, tmp_path / "mona.annot")
    _tamper(out, "UPDATE spans SET annotator = 'suggest:crf' WHERE label = 'ORGANIZATION'")
    report = merge(team.session("sara"), out)
    assert report.ignored_spans == 1 and report.totals() == (0, 0, 0)
    assert team.store.spans(aid(team, "a1"), ["suggest:crf"]) == []


def test_an_article_not_packed_for_her_is_refused(tmp_path: Path) -> None:
    """An article of the project (ali's, not hers) slipped into mona's package, with a span."""
    with make_team_project(tmp_path / "news.db") as project:
        teams.assign(project.session("sara"), ["ali", "mona"], 1, seed=1)
        mine = set(project.store.assigned_articles("mona"))
        other = next(a for a in project.store.iter_articles() if a.id not in mine)
        out = tmp_path / "mona.annot"
        pack(project.session("sara"), "mona", out)
        _tamper(
            out,
            "INSERT INTO articles (id, doc_id, title, text, meta, content_hash)"
            " VALUES (99, ?, '', ?, '{}', ?)",
            params=(other.doc_id, other.text, other.content_hash),
        )
        _tamper(
            out,
            'INSERT INTO spans (article_id, start, "end", label, text, annotator)'
            " VALUES (99, 0, 3, 'EVENT', ?, 'mona')",
            params=(other.text[:3],),
        )
        with pytest.raises(ProjectError, match=f"article '{other.doc_id}' was not packed"):
            merge(project.session("sara"), out)
        assert project.store.spans(other.id, ["mona"]) == []


# --- who a package may be for ----------------------------------------------------------------


@pytest.mark.parametrize("name", ["huda", "sara", "gold", "suggest:crf", "model-x", "stranger"])
def test_packages_are_only_for_annotators(team: Project, tmp_path: Path, name: str) -> None:
    teams.assign(team.session("sara"), ["huda", "sara"], 1, seed=1)
    with pytest.raises(PermissionDenied, match="packages are for annotators"):
        pack(team.session("sara"), name, tmp_path / "x.annot")
    assert not (tmp_path / "x.annot").exists()


def test_a_package_from_before_registration_needs_for(team: Project, tmp_path: Path) -> None:
    """A package packed by an older release carries no id: only the admin can say whose it is."""
    out = _labelled_package(team, tmp_path / "mona.annot")
    _tamper(out, "DELETE FROM project_meta WHERE key = 'package.id'")
    code, output = _merge_cli(team.path, out)
    assert code == 2 and "cannot prove whose it is; give --for NAME" in output, output
    code, output = _merge_cli(team.path, out, "--for", "ali")
    assert code == 2 and "says it is 'mona''s package, but --for names ali" in output, output
    code, output = _merge_cli(team.path, out, "--for", "huda")
    assert code == 2 and "huda is a reviewer" in output, output
    code, output = _merge_cli(team.path, out, "--for", "mona")
    assert code == 0, output
    assert output.startswith("merged mona: 1 added, 0 changed, 0 removed")


def test_bad_json_in_an_old_packages_metadata_is_one_line(team: Project, tmp_path: Path) -> None:
    out = _labelled_package(team, tmp_path / "mona.annot")
    _tamper(
        out,
        "DELETE FROM project_meta WHERE key = 'package.id'",
        "UPDATE project_meta SET value = '{\"x\": [[0, 1' WHERE key = 'package.base_spans'",
    )
    before = _snapshot(team.path)
    code, output = _merge_cli(team.path, out, "--for", "mona")
    assert code == 2 and output.count("\n") == 1, output
    assert "base spans are not valid JSON" in output and "Traceback" not in output
    assert _snapshot(team.path) == before


# --- read-only, and checked before the project is locked -------------------------------------


def _digest(folder: Path) -> dict[str, tuple[str, int]]:
    return {
        p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
        for p in folder.iterdir()
    }


def test_merge_never_writes_the_package_or_beside_it(team: Project, tmp_path: Path) -> None:
    """Today merge switched the package to WAL (rewriting its header) and left -wal/-shm files."""
    media = tmp_path / "media"
    media.mkdir()
    out = _labelled_package(team, media / "mona.annot")  # WAL mode now: the desk opened it
    out.chmod(0o444)
    media.chmod(0o555)
    try:
        before = _digest(media)
        assert merge(team.session("sara"), out).totals() == (1, 0, 0)
        assert _digest(media) == before
    finally:
        media.chmod(0o755)


RUN_CLI = "import sys; from annotator.cli import main; sys.argv[0] = 'annotator'; main()"


def _read_only(folder: Path) -> list[str] | None:
    """A command prefix under which ``folder`` cannot be written, or None where none exists.

    For a user other than root, ``chmod 0555`` already does it (no prefix). Root ignores
    permission bits, so the folder is bind-mounted read-only over itself in a private mount
    namespace (``unshare -m``), as a read-only medium would be.
    """
    if os.geteuid() != 0:
        return []
    script = 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"'
    prefix = ["unshare", "-m", "sh", "-c", script, str(folder)]
    try:
        probe = subprocess.run(
            [*prefix, "touch", str(folder / ".probe")], capture_output=True, text=True, timeout=30
        )
    except OSError:
        return None
    return prefix if "Read-only file system" in probe.stderr else None


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX permissions")
def test_merge_works_from_read_only_media(team: Project, tmp_path: Path) -> None:
    """A 0444 package in a 0555 folder that cannot be written: merged all the same."""
    media = tmp_path / "media"
    media.mkdir()
    out = _labelled_package(team, media / "mona.annot")
    out.chmod(0o444)
    media.chmod(0o555)
    try:
        prefix = _read_only(media)
        if prefix is None:
            pytest.skip("running as root without a way to make a read-only mount")
        result = subprocess.run(
            [*prefix, sys.executable, "-c", RUN_CLI, "merge", str(team.path), str(out),
             "--as", "sara"],
            capture_output=True, text=True, timeout=120,
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("merged mona: 1 added, 0 changed, 0 removed")
        assert sorted(p.name for p in media.iterdir()) == ["mona.annot"]
        assert _keys(team, "mona") == [(*MINISTER, "ORGANIZATION"), (*DAMASCUS, "LOCATION")]
    finally:
        media.chmod(0o755)


def test_a_forged_package_is_refused_while_another_writer_holds_the_project(
    team: Project, tmp_path: Path
) -> None:
    """Checks run before the write lock: a bad package is refused at once, not after 30 s."""
    out = _labelled_package(team, tmp_path / "mona.annot")
    _tamper(out, "UPDATE spans SET label = 'WEAPONX' WHERE label = 'ORGANIZATION'")
    writer = sqlite3.connect(team.path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        with pytest.raises(ProjectError, match="'WEAPONX' is not in the project's schema"):
            merge(team.session("sara"), out)
        assert time.monotonic() - started < 5
    finally:
        writer.execute("ROLLBACK")
        writer.close()


LOOPING_VIEW = (
    "CREATE VIEW spans AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
    "SELECT i AS id, 1 AS article_id, 0 AS start, 3 AS \"end\", 'EVENT' AS label, 'زار' AS text, "
    "'mona' AS annotator, '' AS provenance, '' AS created_at, '' AS updated_at FROM n"
)


def test_a_looping_view_cannot_hang_merge_or_lock_the_project(team: Project, tmp_path: Path) -> None:
    """Today: merge ran the view inside its write transaction and never returned."""
    out = _labelled_package(team, tmp_path / "mona.annot")
    _tamper(out, "DROP TABLE spans", LOOPING_VIEW)
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", RUN_CLI, "merge", str(team.path), str(out), "--as", "sara"],
        capture_output=True, text=True, timeout=30,
    )
    assert result.returncode == 2, result.stderr
    assert "holds a view (spans), which no package has; nothing merged" in result.stderr
    assert time.monotonic() - started < 30
    team.session("ali").add_span(aid(team, "a2"), 0, len("قال"), "EVENT")  # not locked
