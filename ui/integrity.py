"""The desk's side of "nothing corrupt": check the project file, offer the last good backup.

Two moments. Opening: a file that will not open as a project (damaged, truncated) is checked
with :func:`annotator.backup.open_checked` and, if a good backup exists, the user is asked
whether to put it in place (the damaged file is kept, never deleted). After the first paint:
``PRAGMA quick_check`` runs on a worker thread (it reads the whole file: ~1 s for 1.4 GB, so not
on the start path) and a problem is reported with the same offer.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from annotator.backup import integrity_problems, last_good_backup, open_checked, restore_backup
from annotator.errors import ProjectError
from annotator.project import Project
from ui import i18n

Ask = Callable[[str, Path], bool]


def ask_restore(problem: str, backup: Path, parent: QWidget | None = None,
                language: str = "ar") -> bool:
    """A yes/no question: put the last good backup in place of the damaged project?"""
    answer = QMessageBox.warning(
        parent, i18n.tr("integrity_title", language),
        i18n.tr("integrity_restore_question", language, problem=problem, backup=str(backup)),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def open_or_recover(path: Path, ask: Ask = ask_restore) -> Project:
    """Open ``path``; if it is damaged and a good backup exists, offer to restore it first."""
    try:
        return Project.open(path)
    except ProjectError as first_error:
        project, problem, backup = open_checked(path)
        if project is not None:
            return project
        if backup is None or not ask(problem or str(first_error), backup):
            raise ProjectError(f"{problem or first_error} (no backup was restored)") from None
        restore_backup(backup, path)
        return Project.open(path)


class _CheckSignals(QObject):
    finished = Signal(list)


class _QuickCheck(QRunnable):
    """``PRAGMA quick_check`` on its own connection, off the UI thread."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.signals = _CheckSignals()

    def run(self) -> None:
        self.signals.finished.emit(integrity_problems(self.path, full=False))


def check_in_background(path: Path, report: Callable[[list[str], Path | None], None]) -> _QuickCheck:
    """Quick-check ``path`` on the thread pool; ``report(problems, last_good_backup)`` if any."""
    job = _QuickCheck(path)

    def done(problems: list[str]) -> None:
        if problems:
            report(problems, last_good_backup(path))

    job.signals.finished.connect(done)
    QThreadPool.globalInstance().start(job)
    return job
