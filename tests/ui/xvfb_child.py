"""Run under ``xvfb-run`` by test_screenshot.py: the real xcb platform renders the desk.

Usage: python tests/ui/xvfb_child.py PROJECT.db OUT_DIR USER. Writes desk.png (the window),
document.png (the article view) and empty.png (the same view with no article), and prints a
JSON line with the platform, the document font actually used and the document's geometry.
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
    }))
    window.close()


if __name__ == "__main__":
    main(*sys.argv[1:4])
