"""Backups: online copies while someone writes, integrity checks, the last good backup."""

from __future__ import annotations

import sqlite3
import threading
from datetime import datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.backup import (
    backup,
    default_backup_path,
    integrity_problems,
    last_good_backup,
    list_backups,
    open_checked,
    restore_backup,
)
from annotator.cli import cli
from annotator.importing import import_documents
from annotator.model import Document
from annotator.project import Project

TEXT = "قال مرصد مينا إن صاروخاً سقط في دير الزور."


def _make_project(path: Path, articles: int = 3) -> None:
    with Project.create(path) as project:
        import_documents(project, [Document(f"d{i}", f"{TEXT} {i}") for i in range(articles)])
        session = project.session("mona")
        session.add_span(1, len("قال "), len("قال مرصد مينا"), "SOURCE")


def _counts(path: Path) -> tuple[int, int]:
    with Project.open(path) as project:
        return project.store.count("articles"), project.store.count("spans")


def _damage(path: Path) -> None:
    """Overwrite pages in the middle of the file, as a bad disk or a half-synced copy would."""
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(2 * page, len(data), 3 * page):
        data[offset + 100 : offset + 600] = b"\xa5" * 500
    path.write_bytes(bytes(data))


def _checkpoint(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def test_backup_is_a_sound_standalone_copy(tmp_path: Path) -> None:
    src = tmp_path / "news.db"
    _make_project(src)
    out = backup(src, tmp_path / "backup.db")
    assert out == tmp_path / "backup.db"
    assert integrity_problems(out) == []
    assert not Path(str(out) + "-wal").exists()  # one file is the whole backup
    assert _counts(out) == (3, 1)
    assert list(tmp_path.glob(".annotator-tmp-*")) == []


def test_default_backup_goes_to_backups_folder_with_timestamp(tmp_path: Path) -> None:
    src = tmp_path / "news.db"
    _make_project(src)
    when = datetime(2025, 3, 1, 10, 15, 2, tzinfo=timezone.utc)
    first = default_backup_path(src, when)
    assert first == tmp_path / "backups" / "news-20250301T101502Z.db"
    backup(src, first)
    assert default_backup_path(src, when).name == "news-20250301T101502Z-2.db"
    second = backup(src)
    assert second.parent == tmp_path / "backups" and second.name.startswith("news-")
    assert list_backups(src)[0] == second  # newest first


def test_backup_while_another_connection_writes(tmp_path: Path) -> None:
    src = tmp_path / "news.db"
    _make_project(src, articles=5)
    stop = threading.Event()
    written: list[int] = []

    def writer() -> None:
        with Project.open(src) as project:
            session = project.session("ali")
            start = 0
            while not stop.is_set() and start < len(TEXT) - 1:
                for article in range(1, 6):
                    session.add_span(article, start, start + 1, "LOCATION")
                    written.append(article)
                start += 1

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        copies = [backup(src, tmp_path / f"b{i}.db") for i in range(5)]
    finally:
        stop.set()
        thread.join()
    for copy in copies:
        assert integrity_problems(copy) == []
        articles, spans = _counts(copy)
        # Each copy is one snapshot: the original span plus whole actions of the writer.
        assert articles == 5 and 1 <= spans <= 1 + len(written)
    assert _counts(src) == (5, 1 + len(written))


def test_integrity_problems_reports_damage_and_non_databases(tmp_path: Path) -> None:
    src = tmp_path / "news.db"
    _make_project(src, articles=200)
    _checkpoint(src)
    assert integrity_problems(src) == [] and integrity_problems(src, full=False) == []
    _damage(src)
    assert integrity_problems(src) != []
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    assert integrity_problems(junk) == ["file is not a database"]
    assert integrity_problems(tmp_path / "missing.db") == [
        f"{tmp_path / 'missing.db'}: no such file"
    ]
    assert not (tmp_path / "missing.db").exists()  # checking never creates a file


def test_open_checked_offers_last_good_backup(tmp_path: Path) -> None:
    src = tmp_path / "news.db"
    _make_project(src, articles=200)
    older = backup(src, default_backup_path(src, datetime(2025, 1, 1, tzinfo=timezone.utc)))
    newer = backup(src, default_backup_path(src, datetime(2025, 2, 1, tzinfo=timezone.utc)))
    newest = default_backup_path(src, datetime(2025, 3, 1, tzinfo=timezone.utc))
    newest.write_bytes(b"\0" * 8192)  # a damaged backup is skipped
    project, problem, offered = open_checked(src)
    assert problem is None and offered is None and project is not None
    project.close()
    _checkpoint(src)
    _damage(src)
    project, problem, offered = open_checked(src)
    assert project is None and problem.startswith(f"{src} is damaged: ")
    assert offered == newer
    assert list_backups(src) == [newest, newer, older]
    kept = restore_backup(offered, src)
    assert kept is not None and kept.name.startswith("news.db.damaged-") and kept.exists()
    project, problem, offered = open_checked(src)
    assert problem is None and project is not None
    assert (project.store.count("articles"), project.store.count("spans")) == (200, 1)
    project.close()


def test_open_checked_without_backup_and_for_non_projects(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    project, problem, offered = open_checked(other)
    assert project is None and "not an annotator project" in problem and offered is None
    project, problem, offered = open_checked(tmp_path / "none.db")
    assert (project, offered) == (None, None)
    assert problem.startswith(f"{tmp_path / 'none.db'}: no such project")


def test_last_good_backup_ignores_other_projects_and_none(tmp_path: Path) -> None:
    src = tmp_path / "news.db"
    _make_project(src)
    assert last_good_backup(src) is None
    folder = tmp_path / "backups"
    folder.mkdir()
    (folder / "sports-20250101T000000Z.db").write_bytes(b"")
    assert list_backups(src) == []


def test_backup_refuses_its_own_project(tmp_path: Path) -> None:
    src = tmp_path / "news.db"
    _make_project(src)
    with pytest.raises(Exception, match="cannot overwrite its own project"):
        backup(src, src)


def test_cli_backup_check_restore(tmp_path: Path) -> None:
    src = tmp_path / "news.db"
    _make_project(src, articles=200)
    runner = CliRunner()
    result = runner.invoke(cli, ["backup", str(src), "-o", str(tmp_path / "backup.db")])
    assert result.exit_code == 0, result.output
    assert result.output == f"backed up {src} to {tmp_path / 'backup.db'}\n"
    result = runner.invoke(cli, ["check", str(src)])
    assert (result.exit_code, result.output) == (0, f"{src}: ok\n")
    runner.invoke(cli, ["backup", str(src)])
    _checkpoint(src)
    _damage(src)
    result = runner.invoke(cli, ["check", str(src)])
    assert (
        result.exit_code == 2
        and "is damaged" in result.output
        and "last good backup" in result.output
    )
    result = runner.invoke(cli, ["restore", str(src)])
    assert result.exit_code == 0, result.output
    assert runner.invoke(cli, ["check", str(src)]).exit_code == 0
    result = runner.invoke(cli, ["check", str(tmp_path / "nope.db")])
    assert (
        result.exit_code == 2
        and result.output == f"annotator: error: {tmp_path / 'nope.db'}: no such project\n"
    )
