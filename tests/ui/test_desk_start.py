"""What the desk does (and does not do) before its first article is visible.

``bench/bench_desk.py`` times start to the first paint of the article view against a bare
PySide6 window; these tests pin the decisions behind that figure so they cannot silently
regress: nothing heavy is imported, nothing is written, optional work runs after the paint.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from PySide6.QtWidgets import QWidget

from tests.ui.conftest import USER
from ui.app import build_window
from ui.desk.first_paint import AfterFirstPaint

REPO = Path(__file__).resolve().parents[2]

# Modules the first visible article must not wait for (each one measured in the bench).
NOT_AT_START = (
    "pandas", "numpy", "jsonschema", "sqlite_utils", "click", "rich",
    "annotator.agreement.measures", "annotator.formats", "annotator.text.tokenize",
    "annotator.text.normalize", "ui.desk.io_dialogs",
)

CHILD = """
import json, os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
sys.path.insert(0, {repo!r})
from ui.app import application, build_window
app = application()
window = build_window({project!r}, {user!r})
watch = {watch!r}
seen = {{}}
def at_first_paint():
    seen["first_paint"] = [m for m in watch if sys.modules.get(m) is not None]
    seen["text"] = window.view.toPlainText()[:10]
    QTimer.singleShot(0, after_deferred)  # queued behind the desk's own deferred work
def after_deferred():
    seen["after"] = [m for m in watch if sys.modules.get(m) is not None]
    print(json.dumps(seen, ensure_ascii=False), flush=True)
    os._exit(0)
from PySide6.QtCore import QTimer
from ui.desk.first_paint import AfterFirstPaint
probe = AfterFirstPaint(window.view.viewport(), [at_first_paint])
window.show()
app.exec()
"""


def test_first_paint_waits_for_no_heavy_import(project_path):
    code = CHILD.format(repo=str(REPO), project=str(project_path), user=USER, watch=NOT_AT_START)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=60).stdout
    seen = json.loads(out)
    assert seen["first_paint"] == []
    assert seen["text"] == "😀 قال مراس"  # the first article (conftest EMOJI) is what was painted
    assert seen["after"] == ["annotator.text.tokenize"]  # warmed up just after the paint


def test_start_writes_nothing_until_the_position_debounce(qtbot, project_path, store_session):
    window = build_window(project_path, USER)
    qtbot.addWidget(window)
    aid = window.controller.article_id
    assert aid is not None
    assert store_session.last_position() is None  # restoring wrote nothing (no fsync at start)
    qtbot.waitUntil(lambda: store_session.last_position() == (aid, 0), timeout=3000)


def test_guidelines_render_when_their_tab_is_shown(qtbot, desk):
    panel = desk.guidelines
    assert panel.toPlainText() == ""  # behind the span list's tab: not rendered at start
    desk.tabs.setCurrentWidget(panel)
    first = desk.schema.labels[0]
    assert first.description and first.description in panel.toPlainText()
    desk.set_language("en")
    assert first.display("en") in panel.toPlainText()


def test_after_first_paint_runs_once_after_the_paint(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    calls: list[int] = []
    hook = AfterFirstPaint(widget, [lambda: calls.append(1)])
    qtbot.wait(20)
    assert calls == [] and not hook.done  # not shown, not painted: nothing ran
    widget.show()
    qtbot.waitUntil(lambda: calls == [1])
    widget.repaint()
    qtbot.wait(20)
    assert calls == [1]
