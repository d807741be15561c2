"""The desk's side of "nothing corrupt": open what can be opened, offer a backup only for damage.

Two moments. Opening (:func:`open_or_recover`): what stops a project from opening is told apart
by :func:`annotator.backup.open_for_desk`, and only a file SQLite *proves* damaged comes with
the offer to put the last good backup in its place (the damaged file is kept, never deleted).
Another program writing is not damage: the desk says so and waits, with a Cancel button. A
read-only file is not damage either: it opens for reading. After the first paint,
``PRAGMA quick_check`` runs on a worker thread (it reads the whole file: ~1 s for 1.4 GB, so not
on the start path) and a problem is reported with the same offer.

A run nobody watches (``--screenshot``, no display, CI) never blocks on a dialog: the problem is
raised as one line (the CLI prints it and exits 2).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from annotator.backup import integrity_problems, last_good_backup, open_for_desk, restore_backup
from annotator.errors import ProjectBusy, ProjectError
from annotator.project import Project
from ui import i18n

Ask = Callable[[str, Path], bool]
Wait = Callable[[str, Callable[[], bool]], bool]
"""``wait(message, retry)``: call ``retry`` until it returns True (opened) or the user cancels
(then False)."""

RETRY_S = 0.5
_interactive = True


def set_interactive(value: bool) -> None:
    """Declare whether someone can answer a dialog (``annotator gui`` sets it once at start)."""
    global _interactive
    _interactive = value


def interactive() -> bool:
    return _interactive


def ask_restore(problem: str, backup: Path, parent: QWidget | None = None,
                language: str = "ar") -> bool:
    """A yes/no question: put the last good backup in place of the damaged project?"""
    answer = QMessageBox.warning(
        parent, i18n.tr("integrity_title", language),
        i18n.tr("integrity_restore_question", language, problem=problem, backup=str(backup)),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def wait_with_cancel(message: str, retry: Callable[[], bool]) -> bool:
    """A progress dialog with Cancel while another program holds the project's write lock."""
    from PySide6.QtCore import QCoreApplication  # noqa: PLC0415
    from PySide6.QtWidgets import QProgressDialog  # noqa: PLC0415

    dialog = QProgressDialog(message, "Cancel", 0, 0)
    dialog.setWindowTitle("annotator")
    dialog.setMinimumDuration(0)
    dialog.show()
    try:
        while not dialog.wasCanceled():
            if retry():
                return True
            until = time.monotonic() + RETRY_S
            while time.monotonic() < until and not dialog.wasCanceled():
                QCoreApplication.processEvents()
                time.sleep(0.02)
        return False
    finally:
        dialog.close()


def open_or_recover(path: Path, ask: Ask | None = None, wait: Wait | None = None) -> Project:
    """Open ``path``: wait while another program writes, open a read-only file for reading, and
    offer the last good backup only when the file is proven damaged.

    ``ask`` / ``wait`` default to dialogs when someone can answer them (:func:`interactive`);
    otherwise the problem is raised at once, so an unattended run never hangs on a modal.
    """
    opened = open_for_desk(path)
    if opened.busy:
        if wait is None and not interactive():
            raise ProjectBusy(f"{opened.problem} (not waiting: nobody can answer a dialog)")
        found: list[Project] = []

        def retry() -> bool:
            again = open_for_desk(path)
            if again.project is not None:
                found.append(again.project)
            return again.project is not None or not again.busy

        message = f"{opened.problem}\n\nanother program is writing to this project; waiting…"
        if not (wait or wait_with_cancel)(message, retry):
            raise ProjectBusy(f"{opened.problem} (cancelled while waiting)")
        if found:
            return found[0]
        opened = open_for_desk(path)
    if opened.project is not None:
        return opened.project
    problem = opened.problem or f"{path}: cannot be opened"
    if not opened.damaged:
        raise ProjectError(problem)
    if opened.backup is None:
        raise ProjectError(f"{problem} (no good backup to restore)")
    if ask is None and not interactive():
        raise ProjectError(
            f"{problem}; not asking (nobody can answer a dialog): "
            f"'annotator restore {path} {opened.backup}' puts the last good backup in place"
        )
    if not (ask or ask_restore)(problem, opened.backup):
        raise ProjectError(f"{problem} (no backup was restored)")
    restore_backup(opened.backup, path)
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
        try:
            problems = integrity_problems(self.path, full=False)
        except ProjectError:  # busy or unreadable right now: that proves no damage
            problems = []
        self.signals.finished.emit(problems)


def check_in_background(path: Path, report: Callable[[list[str], Path | None], None]) -> _QuickCheck:
    """Quick-check ``path`` on the thread pool; ``report(problems, last_good_backup)`` if any."""
    job = _QuickCheck(path)

    def done(problems: list[str]) -> None:
        if not problems:
            return
        good = last_good_backup(path)
        if interactive():
            report(problems, good)
        else:  # nobody can close a modal: say it once on stderr
            hint = f"; annotator restore {path} {good}" if good else ""
            print(f"annotator: error: {path} is damaged: {problems[0]}{hint}", file=sys.stderr)

    job.signals.finished.connect(done)
    QThreadPool.globalInstance().start(job)
    return job
