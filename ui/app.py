"""Entry points of the desk: build the window (tests, tools) or run it (``annotator gui``).

``annotator gui [news.db] [--user NAME] [--screenshot out.png] [--article ID]`` calls
:func:`run_gui`. Without a project the desk opens (creating it on first use) a demo project in
the user's data folder, seeded with the sample articles the package ships.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TypeVar

# The core before PySide6, on purpose: once PySide6 is imported, its import hook reads the
# source of every module imported after it (looking for "PySide6", for its __feature__
# switching), which cost ~10 ms of start-up for the core's ~100 modules (measured in
# bench/bench_desk.py). The core imports no Qt, so importing it first changes nothing else.
from annotator.errors import ProjectError  # isort: skip
from annotator.project import Project, on_server  # isort: skip
from PySide6.QtCore import QCoreApplication  # isort: skip
from PySide6.QtWidgets import QApplication, QMainWindow  # isort: skip

from ui.fonts import ui_font

APP_NAME = "annotator"

# Windows built by build_window keep their project open; they are closed with the window.
_open_projects: list[Project] = []


def application() -> QApplication:
    """The one QApplication (created on first use, never twice)."""
    app = QApplication.instance()
    if app is None:
        QCoreApplication.setApplicationName(APP_NAME)
        QCoreApplication.setOrganizationName(APP_NAME)
        app = QApplication(sys.argv[:1])
        app.setFont(ui_font(app.font()))
    return app  # type: ignore[return-value]


def open_project(project_path: Path | str | None) -> Project:
    """The given project, or the demo project in the user's data folder (seeded on first use)."""
    if project_path is None:
        from annotator.demo import ensure_demo_project  # noqa: PLC0415

        project_path = ensure_demo_project()
    try:
        return Project.open(project_path)
    except ProjectError:
        if on_server(project_path):
            raise  # a server project has no file to check or restore: the one line says why
        # Damaged or not a project: check it and offer the last good backup (ui/integrity.py).
        from ui.integrity import open_or_recover  # noqa: PLC0415 (only on this rare path)

        return open_or_recover(Path(project_path))


def build_window(project_path: Path | str | None, user: str | None = None, *,
                 language: str | None = None, article: str | int | None = None,
                 review: bool = False) -> QMainWindow:
    """The desk for ``user`` on a project, with its last article open; no event loop entered.

    The article view (``documentView``) exists at once; the side panels (``articleList``,
    ``labelPalette``, ``spanTable``) are built right after its first paint, to keep start-up
    short, or at once by ``window.ensure_panels()`` for a tool that never shows the window.
    ``review`` opens the reviewer's adjudication desk instead (PermissionDenied for others).
    """
    if review:
        from ui.review.window import build_adjudication_window  # noqa: PLC0415

        return build_adjudication_window(project_path, user, language=language, article=article)
    from annotator.team.logins import identity  # noqa: PLC0415
    from ui.desk.window import DeskWindow  # after QApplication exists: widgets need it

    application()
    project = open_project(project_path)
    session = project.session(identity(project, user))  # server: the login
    window = DeskWindow(project, session, language)
    window.restore(article)
    if project.read_only:  # a read-only file or file system: say so, never offer a backup
        window.statusBar().showMessage(
            f"{project.path}: the project is read-only: opened for reading; changes are not saved")
    return keep_open_with(window, project)


W = TypeVar("W", bound=QMainWindow)


def keep_open_with(window: W, project: Project) -> W:
    """Keep ``project`` open while ``window`` lives and close it with the window.

    Why one helper: the desk and the review desk both own their project this way; the registry
    also keeps the Project referenced while Qt holds the only reference to the window.
    """
    _open_projects.append(project)
    window.destroyed.connect(lambda *_: _forget(project))
    return window


def _forget(project: Project) -> None:
    if project in _open_projects:
        _open_projects.remove(project)
        project.close()


def _someone_can_answer() -> bool:
    """False for a run nobody watches: CI, an offscreen platform, no display on Linux.

    Not "stdin is not a terminal": a desk started from a desktop launcher has no terminal,
    and its user must still be asked before a backup replaces a damaged project.
    """
    if os.environ.get("CI") or os.environ.get("QT_QPA_PLATFORM") in ("offscreen", "minimal"):
        return False
    if sys.platform.startswith("linux"):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def save_screenshot(window: QMainWindow, out: Path | str) -> Path:
    """Render ``window`` to a PNG after letting Qt lay it out and paint once."""
    app = application()
    window.show()
    for _ in range(3):
        app.processEvents()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(out), "PNG"):
        raise OSError(f"{out}: could not write the screenshot")
    return out


def run_gui(project_path: Path | str | None = None, user: str | None = None,
            screenshot: Path | str | None = None, article: str | None = None,
            language: str | None = None, review: bool = False) -> int:
    """Run the desk (exit code of the event loop); with ``screenshot`` render and exit.

    A screenshot needs no display: without one the offscreen platform is used.
    """
    if screenshot is not None and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from ui.integrity import set_interactive  # noqa: PLC0415

    set_interactive(screenshot is None and _someone_can_answer())
    app = application()
    window = build_window(project_path, user, language=language, article=article, review=review)
    if screenshot is not None:
        save_screenshot(window, screenshot)
        window.close()
        return 0
    window.show()
    return app.exec()
