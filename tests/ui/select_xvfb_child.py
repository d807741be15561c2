"""Run under ``xvfb-run`` by test_glyph_selection.py: drags made of REAL X events (xdotool).

Usage: python tests/ui/select_xvfb_child.py PROJECT.db USER. For each case of
:data:`tests.ui.test_glyph_selection.X_CASES` it moves the X pointer 1.5 px inside the outer edge
of the first glyph, presses, moves to inside the outer edge of the last glyph, releases, and
prints one JSON line: the cases and the code-point range the desk then shows (= would store).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from PySide6.QtCore import QPoint
from PySide6.QtTest import QTest

from tests.ui.helpers import glyph_point, outer_sides
from tests.ui.test_glyph_selection import TEXTS, X_CASES, at
from ui.app import application, build_window


def xdotool(*args: str) -> None:
    subprocess.run(["xdotool", *args], check=True)
    QTest.qWait(60)  # let Qt read the X events


def drag(view, first: QPoint, last: QPoint, alt: bool) -> None:  # noqa: ANN001
    to_screen = view.viewport().mapToGlobal
    (x1, y1), (x2, y2) = ((p.x(), p.y()) for p in (to_screen(first), to_screen(last)))
    if alt:
        xdotool("keydown", "alt")
    xdotool("mousemove", str(x1), str(y1))
    xdotool("mousedown", "1")
    xdotool("mousemove", str((x1 + x2) // 2), str((y1 + y2) // 2))
    xdotool("mousemove", str(x2), str(y2))
    xdotool("mouseup", "1")
    if alt:
        xdotool("keyup", "alt")


def main(project: str, user: str) -> None:
    # Importing the test module imported tests/ui/conftest.py, which defaults Qt to offscreen;
    # set here, not at import (pytest imports this file for its doctests).
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    application()
    window = build_window(project, user)
    window.show()
    QTest.qWaitForWindowExposed(window)
    window.activateWindow()
    QTest.qWait(200)
    view = window.view
    results = []
    for doc, part, backwards, alt in X_CASES:
        window.open_article(window.project.store.article_id_by_doc_id(doc))
        view.set_cursor_code_point(0)  # no selection left: a press on one would start Qt's drag-and-drop
        QTest.qWait(100)
        start, end = at(TEXTS[doc], part)
        side1, side2 = outer_sides(view, start, end - 1)
        p1, p2 = glyph_point(view, start, side1), glyph_point(view, end - 1, side2)
        drag(view, *((p2, p1) if backwards else (p1, p2)), alt)
        results.append([doc, part, backwards, alt, view.selected_range()])
    print(json.dumps({"results": results}))
    window.close()


if __name__ == "__main__":
    main(*sys.argv[1:3])
