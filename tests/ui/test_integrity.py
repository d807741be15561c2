"""The desk checks the project file: at open (offering the last good backup) and after the first paint."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.backup import backup, list_backups
from annotator.errors import ProjectError
from annotator.importing import import_documents
from annotator.model import Document
from annotator.project import Project
from ui.integrity import open_or_recover


def _project(path: Path, articles: int = 3) -> Path:
    with Project.create(path) as project:
        docs = [Document(f"d{i}", f"خبر رقم {i} عن دمشق " * 200, f"عنوان {i}") for i in range(articles)]
        import_documents(project, docs)
    return path


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


def test_a_damaged_file_is_replaced_by_the_last_good_backup_when_the_user_agrees(tmp_path):
    path = _project(tmp_path / "news.db")
    good = backup(path)
    _truncate(path)
    questions = []
    project = open_or_recover(path, ask=lambda problem, found: questions.append(found) or True)
    try:
        assert questions == [good]
        assert project.store.count("articles") == 3
    finally:
        project.close()
    kept = [p.name for p in tmp_path.iterdir() if ".damaged-" in p.name]
    assert len(kept) == 1  # the damaged file is kept, never deleted


def test_declining_the_backup_leaves_everything_and_says_so(tmp_path):
    path = _project(tmp_path / "news.db")
    backup(path)
    _truncate(path)
    damaged = path.read_bytes()
    with pytest.raises(ProjectError, match="no backup was restored"):
        open_or_recover(path, ask=lambda problem, found: False)
    assert path.read_bytes() == damaged and len(list_backups(path)) == 1


def test_the_desk_reports_damage_found_after_opening(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from ui.app import build_window

    path = _project(tmp_path / "news.db", articles=60)
    backup(path)
    # Corrupt a page deep in the file: the project still opens, quick_check finds it.
    with path.open("r+b") as handle:
        size = handle.seek(0, 2)
        handle.seek(size - 4096 * 3)
        handle.write(b"\xde\xad\xbe\xef" * 1024)
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: warnings.append(text))
    window = build_window(path, "mona")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: bool(warnings), timeout=5000)
    assert "annotator restore" in warnings[0] and str(path) in warnings[0]
    window.close()


# --- issue 10: busy, read-only and unattended runs are never offered a backup --------------------


def _locked_by_another_program(path: Path):
    """A rollback-journal project (as a copied backup is) while another program commits: even
    reading waits. Returns the writer's connection, holding BEGIN EXCLUSIVE."""
    import sqlite3

    sqlite3.connect(path).execute("PRAGMA journal_mode = DELETE").connection.close()
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN EXCLUSIVE")
    writer.execute("INSERT INTO project_meta (key, value) VALUES ('busy', 'yes')")
    return writer


@pytest.fixture
def short_timeouts(monkeypatch):
    from annotator import backup as backup_module
    from annotator.store import connection

    monkeypatch.setattr(connection, "BUSY_TIMEOUT_S", 0.3)
    monkeypatch.setattr(backup_module, "BUSY_TIMEOUT_S", 0.3, raising=False)


def test_a_locked_project_waits_for_the_writer_and_is_never_replaced(tmp_path, short_timeouts):
    path = _project(tmp_path / "news.db", articles=4)
    backup(path)  # an older, good backup exists: the old desk offered it here
    writer = _locked_by_another_program(path)
    asked, waits = [], []

    def wait(message, retry):
        waits.append(message)
        assert retry() is False  # still locked: the desk keeps waiting
        writer.execute("ROLLBACK")  # the other program finishes
        writer.close()
        return retry()

    project = open_or_recover(path, ask=lambda problem, found: asked.append(found) or True, wait=wait)
    try:
        assert project.store.count("articles") == 4
    finally:
        project.close()
    assert asked == [] and len(waits) == 1
    assert "another program is writing to this project; waiting" in waits[0]
    assert [p.name for p in tmp_path.iterdir() if ".damaged-" in p.name] == []


def test_cancelling_the_wait_leaves_the_project_alone(tmp_path, short_timeouts):
    from annotator.errors import ProjectBusy

    path = _project(tmp_path / "news.db", articles=4)
    backup(path)
    writer = _locked_by_another_program(path)
    try:
        with pytest.raises(ProjectBusy, match="cancelled while waiting"):
            open_or_recover(path, ask=lambda *a: True, wait=lambda message, retry: False)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert [p.name for p in tmp_path.iterdir() if ".damaged-" in p.name] == []


def test_an_unattended_run_never_waits_on_a_dialog(tmp_path, short_timeouts, monkeypatch):
    from annotator.errors import ProjectBusy
    from ui import integrity

    path = _project(tmp_path / "news.db", articles=4)
    backup(path)
    monkeypatch.setattr(integrity, "_interactive", False)
    writer = _locked_by_another_program(path)
    try:
        with pytest.raises(ProjectBusy, match="not waiting: nobody can answer a dialog"):
            open_or_recover(path)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    _truncate(path)
    with pytest.raises(ProjectError, match="not asking .*annotator restore"):
        open_or_recover(path)


def test_the_desk_opens_a_read_only_project_for_reading(qtbot, tmp_path):
    from tests.core.read_only_kit import read_only_folder
    from ui.app import build_window

    def fill(folder):
        _project(folder / "news.db")
        backup(folder / "news.db")

    with read_only_folder(tmp_path / "ro", fill) as folder:
        window = build_window(folder / "news.db", "mona")
        qtbot.addWidget(window)
        assert window.project.read_only
        assert "read-only: opened for reading" in window.statusBar().currentMessage()
        window.close()
        window.project.close()  # before the read-only mount goes: an open file keeps it busy


def test_a_screenshot_of_a_damaged_project_prints_one_line_and_exits_2(tmp_path, monkeypatch):
    from click.testing import CliRunner
    from PySide6.QtWidgets import QMessageBox

    from annotator.cli import cli

    path = _project(tmp_path / "news.db")
    good = backup(path)
    _truncate(path)
    damaged = path.read_bytes()
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a) or QMessageBox.StandardButton.No)
    result = CliRunner().invoke(cli, ["gui", str(path), "--screenshot", str(tmp_path / "shot.png")])
    assert shown == []  # the old desk blocked here on a modal nobody could answer
    assert result.exit_code == 2 and result.output.count("\n") == 1, result.output
    assert result.output.startswith(f"annotator: error: {path} is damaged: ")
    assert f"annotator restore {path} {good}" in result.output
    assert path.read_bytes() == damaged and not (tmp_path / "shot.png").exists()
