"""Run under ``xvfb-run`` by test_adjudication_desk.py: render the adjudication desk (xcb).

Usage: python tests/ui/adjudication_xvfb_child.py PROJECT.db OUT_DIR USER. Writes
adjudication.png and prints a JSON line with the platform, window size and number of lanes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtGui import QGuiApplication

from ui.adjudication_window import build_adjudication_window
from ui.app import application, save_screenshot


def main(project: str, out_dir: str, user: str) -> None:
    application()
    window = build_adjudication_window(project, user)
    window.show_layer("\x00all")  # every annotator's spans overlaid on the text
    save_screenshot(window, Path(out_dir) / "adjudication.png")
    print(json.dumps({
        "platform": QGuiApplication.platformName(),
        "window": [window.width(), window.height()],
        "lanes": len(window.lanes.lanes),
        "lane_colour": window.schema.label("ORGANIZATION").color,
    }))
    window.close()


if __name__ == "__main__":
    main(*sys.argv[1:4])
