"""No false recovery: a busy, read-only or empty project is never treated as damaged.

Issue 10, "Data loss: a healthy project replaced by an old backup". Each test here failed on the
code before it: opening took the write lock (readers waited 30 s behind any writer and then
called the file "not an annotator project"), a locked file counted as damaged, restore renamed
the project away before copying the backup in, and a 0-byte file was "ok" and became a project.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator import backup as backup_module
from annotator.backup import (
    backup,
    integrity_problems,
    open_checked,
    open_for_desk,
    restore_backup,
)
from annotator.cli import cli
from annotator.errors import ProjectBusy, ProjectDamaged, ProjectError
from annotator.importing import import_documents
from annotator.model import Document
from annotator.project import Project
from annotator.store import connection

TEXT = "قال مرصد مينا إن صاروخاً سقط في دير الزور."


def make_project(path: Path, articles: int = 4) -> Path:
    with Project.create(path) as project:
        import_documents(project, [Document(f"d{i}", f"{TEXT} {i}") for i in range(articles)])
        project.session("mona").add_span(1, len("قال "), len("قال مرصد مينا"), "SOURCE")
    return path


def article_count(path: Path) -> int:
    with Project.open(path) as project:
        return project.store.count("articles")


@contextmanager
def writer_holding_lock(path: Path, exclusive: bool = False) -> Iterator[sqlite3.Connection]:
    """Another program in the middle of a write transaction (``BEGIN IMMEDIATE``, one insert)."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN EXCLUSIVE" if exclusive else "BEGIN IMMEDIATE")
    conn.execute("INSERT INTO project_meta (key, value) VALUES ('busy', 'yes')")
    try:
        yield conn
    finally:
        conn.execute("ROLLBACK")
        conn.close()


@pytest.fixture
def short_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    # The old code waited the whole busy timeout behind a writer; 2 s keeps its failure quick.
    monkeypatch.setattr(connection, "BUSY_TIMEOUT_S", 2.0)
    monkeypatch.setattr(backup_module, "BUSY_TIMEOUT_S", 1.0, raising=False)


# --- opening never waits behind a writer ---------------------------------------------------------


def test_stats_and_export_succeed_promptly_while_another_program_holds_the_write_lock(
    tmp_path: Path, short_timeout: None
) -> None:
    path = make_project(tmp_path / "news.db")
    runner = CliRunner()
    with writer_holding_lock(path):
        started = time.monotonic()
        stats = runner.invoke(cli, ["stats", str(path), "--json"])
        out = tmp_path / "out.jsonl"
        export = runner.invoke(cli, ["export", str(path), "-o", str(out), "--include-unfinished"])
        # Only mona has labelled: agreement opens, reads, and says there is nothing to compare.
        agreement = runner.invoke(cli, ["agreement", str(path)])
        elapsed = time.monotonic() - started
    assert stats.exit_code == 0, stats.output
    assert '"articles": 4' in stats.output
    assert export.exit_code == 0, export.output
    assert len(out.read_text(encoding="utf-8").splitlines()) == 4
    assert agreement.output == (
        "annotator: error: no article has two annotators yet: nothing to compare\n")
    assert elapsed < 10.0  # none waited out the lock (the old open waited 30 s, then failed)


def test_the_desk_opens_a_project_another_program_is_writing(
    tmp_path: Path, short_timeout: None
) -> None:
    path = make_project(tmp_path / "news.db")
    with writer_holding_lock(path):
        started = time.monotonic()
        with Project.open(path) as project:  # read-write, as the desk opens it
            assert project.session("mona").spans(1)[0].text == "مرصد مينا"
        assert time.monotonic() - started < 1.5


def test_a_reader_cannot_write(tmp_path: Path) -> None:
    path = make_project(tmp_path / "news.db")
    with Project.open(path, read_only=True) as project:
        assert project.read_only
        with pytest.raises(ProjectError, match="opened for reading"):
            project.session("mona").add_span(2, 0, len("قال"), "SOURCE")
    assert article_count(path) == 4


# --- busy is not damage ----------------------------------------------------------------------


def test_a_locked_project_is_busy_never_damaged_and_no_backup_is_offered(
    tmp_path: Path, short_timeout: None
) -> None:
    path = make_project(tmp_path / "news.db")
    backup(path)
    # A rollback-journal file (as a copied-in backup is) with a writer committing: even reads wait.
    sqlite3.connect(path).execute("PRAGMA journal_mode = DELETE").connection.close()
    with writer_holding_lock(path, exclusive=True):
        opened = open_for_desk(path)
        assert (opened.project, opened.busy, opened.damaged, opened.backup) == (None, True, False, None)
        assert "another program is writing to this project" in (opened.problem or "")
        with pytest.raises(ProjectBusy):
            integrity_problems(path)  # "database is locked" used to be reported as damage
        project, problem, offered = open_checked(path)
        assert (project, offered) == (None, None) and "another program" in (problem or "")
    assert article_count(path) == 4
    assert [p.name for p in tmp_path.iterdir() if ".damaged-" in p.name] == []


# --- empty and missing files are never turned into projects ------------------------------------


def test_check_refuses_a_zero_byte_file(tmp_path: Path) -> None:
    path = tmp_path / "news.db"
    path.write_bytes(b"")
    result = CliRunner().invoke(cli, ["check", str(path)])
    assert result.exit_code == 2
    assert "empty file (0 bytes)" in result.output and ": ok" not in result.output


@pytest.mark.parametrize("command", [["stats"], ["schema"], ["users"], ["export", "-o", "x.jsonl"]])
def test_commands_refuse_a_zero_byte_file_and_leave_it_empty(
    tmp_path: Path, command: list[str]
) -> None:
    path = tmp_path / "news.db"
    path.write_bytes(b"")
    result = CliRunner().invoke(cli, [command[0], str(path), *command[1:]])
    assert result.exit_code == 2, result.output
    assert result.output.count("\n") == 1 and "an empty file (0 bytes)" in result.output
    assert path.stat().st_size == 0  # not silently made into a new, empty project


def test_stats_refuses_a_missing_file_without_creating_it(tmp_path: Path) -> None:
    path = tmp_path / "news.db"
    result = CliRunner().invoke(cli, ["stats", str(path)])
    assert result.exit_code == 2 and "no such project" in result.output
    assert not path.exists()


def test_a_zero_byte_project_is_damage_the_desk_may_offer_to_restore(tmp_path: Path) -> None:
    path = make_project(tmp_path / "news.db")
    good = backup(path)
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    path.write_bytes(b"")
    with pytest.raises(ProjectDamaged):
        Project.open(path)
    opened = open_for_desk(path)
    assert opened.damaged and opened.backup == good


# --- restore: never a moment without a project, and the file keeps its mode ---------------------


def test_restore_swaps_atomically_and_a_crash_before_the_swap_leaves_the_old_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make_project(tmp_path / "news.db", articles=4)
    old = backup(path, tmp_path / "old.db")
    with Project.open(path) as project:
        import_documents(project, [Document("d9", f"{TEXT} 9")])
    real_replace = os.replace

    def crash_on_swap(src: object, dst: object) -> None:
        if Path(str(dst)) == path:
            raise KeyboardInterrupt("killed just before the swap")
        real_replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", crash_on_swap)
    with pytest.raises(KeyboardInterrupt):
        restore_backup(old, path)
    monkeypatch.setattr(os, "replace", real_replace)
    # The old code had already renamed the project away: here it is still there, whole.
    assert article_count(path) == 5
    assert list(tmp_path.glob(".annotator-tmp-*")) == []
    kept = restore_backup(old, path)
    assert article_count(path) == 4 and kept is not None and article_count(kept) == 5


def test_restore_and_backup_keep_the_project_file_mode(tmp_path: Path) -> None:
    path = make_project(tmp_path / "news.db")
    os.chmod(path, 0o664)  # a project a group shares
    copy = backup(path)
    assert stat.S_IMODE(copy.stat().st_mode) == 0o664  # mkstemp's 0600 before
    os.chmod(path, 0o640)
    restore_backup(copy, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert article_count(path) == 4


def test_restore_refuses_while_another_program_has_the_project_open_for_writing(
    tmp_path: Path, short_timeout: None
) -> None:
    path = make_project(tmp_path / "news.db")
    old = backup(path)
    with writer_holding_lock(path):
        with pytest.raises(ProjectBusy):
            restore_backup(old, path)
    assert article_count(path) == 4
    assert [p.name for p in tmp_path.iterdir() if ".damaged-" in p.name] == []


def test_restore_leaves_no_stale_journal_beside_the_new_project(tmp_path: Path) -> None:
    path = make_project(tmp_path / "news.db", articles=2)
    old = backup(path)
    with Project.open(path) as project:  # leaves a -wal with recent work while open
        import_documents(project, [Document("d9", f"{TEXT} 9")])
        project.close()
    restore_backup(old, path)
    assert not Path(str(path) + "-wal").exists() or Path(str(path) + "-wal").stat().st_size == 0
    assert integrity_problems(path) == [] and article_count(path) == 2


# --- read-only is not damage ---------------------------------------------------------------------


def test_a_read_only_project_opens_for_reading_and_commands_say_read_only(tmp_path: Path) -> None:
    from tests.core.read_only_kit import read_only_folder

    def fill(folder: Path) -> None:
        make_project(folder / "news.db")
        backup(folder / "news.db")

    with read_only_folder(tmp_path / "ro", fill) as folder:
        path = folder / "news.db"
        opened = open_for_desk(path)
        assert opened.project is not None and opened.project.read_only
        assert (opened.damaged, opened.backup) == (False, None)  # no offer to replace it
        assert opened.project.store.count("articles") == 4
        with pytest.raises(ProjectError, match="opened for reading"):
            opened.project.session("mona").add_span(2, 0, len("قال"), "SOURCE")
        opened.project.close()
        runner = CliRunner()
        stats = runner.invoke(cli, ["stats", str(path), "--json"])
        assert stats.exit_code == 0 and '"articles": 4' in stats.output, stats.output
        assert runner.invoke(cli, ["check", str(path)]).output == f"{path}: ok\n"
        result = runner.invoke(cli, ["schema", str(path), "--add-label", "VEHICLE"])
        assert result.exit_code == 2
        assert result.output.startswith(f"annotator: error: {path}: the project is read-only")
