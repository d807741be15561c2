"""Run under ``xvfb-run`` by test_screenshot.py: the real xcb platform renders the desk.

Usage: python tests/ui/xvfb_child.py PROJECT.db OUT_DIR USER. Writes desk.png (the window),
desk-800x600.png (the same window at 800x600), document.png (the article view) and empty.png
(the same view with no article), and prints a JSON line with the platform, the document font
actually used, the window's size and what the article view paints over its text.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtGui import QFontInfo, QGuiApplication

from ui.app import application, build_window, save_screenshot


def main(project: str, out_dir: str, user: str) -> None:
    out = Path(out_dir)
    app = application()
    window = build_window(project, user)
    window.resize(1360, 820)
    save_screenshot(window, out / "desk.png")
    size = [window.width(), window.height()]
    marks = sorted({m.kind for m in window.view.marks.marks()})
    window.resize(800, 600)
    save_screenshot(window, out / "desk-800x600.png")
    inside = all(window.rect().contains(b.geometry().translated(b.mapTo(window, b.rect().topLeft())
                                                                 - b.geometry().topLeft()))
                 for b in window.palette.buttons.values())
    small = [window.width(), window.height()]
    window.resize(*size)
    save_screenshot(window, out / "desk.png")
    view = window.view
    view.grab().save(str(out / "document.png"))
    view.clear_article()
    app.processEvents()
    view.grab().save(str(out / "empty.png"))
    print(json.dumps({
        "platform": QGuiApplication.platformName(),
        "font": QFontInfo(view.font()).family(),
        "window": [window.width(), window.height()],
        "small": small,
        "palette_inside_small": inside,
        "marks": marks,
    }))
    window.close()


if __name__ == "__main__":
    main(*sys.argv[1:4])
