"""Entry points of the desk: build the window (tests, tools) or run it (``annotator gui``).

``annotator gui [news.db] [--user NAME] [--screenshot out.png] [--article ID]`` calls
:func:`run_gui`. Without a project the desk opens (creating it on first use) a demo project in
the user's data folder, seeded with the sample articles the package ships.
"""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths
from PySide6.QtWidgets import QApplication, QMainWindow

from annotator.project import Project
from ui.fonts import ui_font

APP_NAME = "annotator"
DEMO_FILE = "demo.db"

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


def default_user() -> str:
    try:
        return getpass.getuser() or "annotator"
    except (KeyError, OSError):
        return "annotator"


def demo_project_path() -> Path:
    """``<user data folder>/annotator/demo.db`` (e.g. ``~/.local/share/annotator/annotator``)."""
    application()
    folder = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))
    folder.mkdir(parents=True, exist_ok=True)
    return folder / DEMO_FILE


def open_project(project_path: Path | str | None) -> Project:
    """The given project, or the demo project (created and seeded on first use)."""
    if project_path is not None:
        return Project.open(project_path)
    path = demo_project_path()
    demo = getattr(Project, "open_or_create_demo", None)
    if demo is not None:
        return demo(path)
    from annotator.demo import open_or_create_demo  # the core's demo seeding, wherever it lives

    return open_or_create_demo(path)


def build_window(project_path: Path | str | None, user: str | None = None, *,
                 language: str | None = None, article: str | int | None = None) -> QMainWindow:
    """The desk for ``user`` on a project, with its last article open; no event loop entered."""
    from ui.main_window import DeskWindow  # after QApplication exists: widgets need it

    application()
    project = open_project(project_path)
    session = project.session(user or default_user())
    window = DeskWindow(project, session, language)
    window.restore(article)
    _open_projects.append(project)
    window.destroyed.connect(lambda *_: _forget(project))
    return window


def _forget(project: Project) -> None:
    if project in _open_projects:
        _open_projects.remove(project)
        project.close()


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
            language: str | None = None) -> int:
    """Run the desk (exit code of the event loop); with ``screenshot`` render and exit.

    A screenshot needs no display: without one the offscreen platform is used.
    """
    if screenshot is not None and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = application()
    window = build_window(project_path, user, language=language, article=article)
    if screenshot is not None:
        save_screenshot(window, screenshot)
        window.close()
        return 0
    window.show()
    return app.exec()
