"""Run under ``xvfb-run`` by test_links_screenshot.py: the desk with drawn relations.

Usage: python tests/ui/links_xvfb_child.py PROJECT.db OUT_DIR USER. Opens the first strike
report (its gold links stored), selects the attack's trigger so the Event panel shows its
frame, and writes desk-relations.png (the window) and event-panel.png (the panel); prints a
JSON line with the platform, the arcs drawn (kind, label) and the panel's rows.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtGui import QGuiApplication

from ui.app import application, build_window, save_screenshot


def main(project: str, out_dir: str, user: str) -> None:
    out = Path(out_dir)
    app = application()
    window = build_window(project, user)
    window.resize(1360, 820)
    window.show()
    app.processEvents()
    panels = window.ensure_panels()
    window.open_article(window.project.article_id_by_doc_id("strike-omar"))
    trigger = next(s for s in window.view.spans if s.text == "قصفا")
    window.view.select_span(trigger, move_cursor=False)
    panels.side.setSizes([330, 420])  # the whole frame in view
    app.processEvents()
    save_screenshot(window, out / "desk-relations.png")
    panels.event_panel.grab().save(str(out / "event-panel.png"))
    arcs = sorted([a.link.kind, a.text] for a in window.view.arcs.arcs())
    rows = [[r.role, r.filler.text if r.filler else None] for r in panels.event_panel.rows]
    print(json.dumps({"platform": QGuiApplication.platformName(), "arcs": arcs, "rows": rows},
                     ensure_ascii=False))
    window.close()


if __name__ == "__main__":
    main(*sys.argv[1:4])
