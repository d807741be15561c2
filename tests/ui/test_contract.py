"""The testability contract of issue 4: build_window and the four objectNames tools rely on."""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow, QWidget

CONTRACT_NAMES = ("articleList", "documentView", "labelPalette", "spanTable")


def test_build_window_gives_a_main_window_with_the_named_widgets(qtbot, project_path):
    from ui.app import build_window

    window = build_window(project_path, "mona")
    qtbot.addWidget(window)
    assert isinstance(window, QMainWindow)
    # The article view exists at once; the side panels are built right after its first paint
    # (start-up time), or at once by ensure_panels() for a tool that never shows the window.
    assert window.findChild(QWidget, "documentView") is not None
    window.show()
    qtbot.waitUntil(lambda: all(window.findChild(QWidget, n) for n in CONTRACT_NAMES), timeout=3000)
    window.close()


def test_ensure_panels_builds_them_without_showing(qtbot, project_path):
    from ui.app import build_window

    window = build_window(project_path, "mona")
    qtbot.addWidget(window)
    window.ensure_panels()
    assert all(window.findChild(QWidget, n) is not None for n in CONTRACT_NAMES)
    window.close()
