"""Run under ``xvfb-run`` by test_adjudication_desk.py: render the adjudication desk (xcb).

Usage: python tests/ui/adjudication_xvfb_child.py PROJECT.db OUT_DIR USER. Writes
adjudication.png, then shows the agreement tab, waits for its figures and writes
agreement_panel.png; prints a JSON line with the platform, window size, number of lanes and
what the panel shows.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from PySide6.QtGui import QGuiApplication

from ui.app import application, save_screenshot
from ui.review.window import build_adjudication_window


def main(project: str, out_dir: str, user: str) -> None:
    application()
    window = build_adjudication_window(project, user)
    window.show_layer("\x00all")  # every annotator's spans overlaid on the text
    save_screenshot(window, Path(out_dir) / "adjudication.png")
    panel = agreement_shown(window)
    save_screenshot(window, Path(out_dir) / "agreement_panel.png")
    print(json.dumps({
        "agreement_computed": panel.result is not None,
        "agreement_direction": panel.layoutDirection().name,
        "agreement_labels": [panel.labels.item(r, 0).text() for r in range(panel.labels.rowCount())],
        "platform": QGuiApplication.platformName(),
        "window": [window.width(), window.height()],
        "lanes": len(window.lanes.lanes),
        "lane_colour": window.schema.label("ORGANIZATION").color,
    }))
    window.close()


def agreement_shown(window, timeout: float = 30.0):
    """Ctrl+Shift+A's action, then events until the worker's figures are on screen."""
    window.acts["agreement"].trigger()
    app, deadline = QGuiApplication.instance(), time.monotonic() + timeout
    while window.agreement.result is None and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    return window.agreement


if __name__ == "__main__":
    main(*sys.argv[1:4])
