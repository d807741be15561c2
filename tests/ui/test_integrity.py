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
