"""The adjudication desk driven by the keyboard through pytest-qt; results checked in the store.

The Xvfb test renders the desk on a real X server and keeps the picture as
``artifacts/adjudication.png`` (``docs/screenshots/adjudication.png`` is a committed copy), and
its agreement tab as ``artifacts/agreement_panel.png`` (``docs/screenshots/agreement_panel.png``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage

from annotator.errors import PermissionDenied
from annotator.model import GOLD
from annotator.project import Project
from annotator.review.adjudication import Adjudicator, provenance
from tests.core.team_kit import (
    DAMASCUS,
    DEFENCE,
    MINISTER,
    SUNDAY,
    aid,
    label_a1,
    make_team_project,
)
from tests.ui.test_busy_project import other_program_writing
from tests.ui.test_screenshot import colour_present, ink
from ui import i18n
from ui.review.strings import AR, EN

REPO = Path(__file__).resolve().parents[2]
ARTIFACT = REPO / "artifacts" / "adjudication.png"
PANEL_ARTIFACT = REPO / "artifacts" / "agreement_panel.png"

A2_MINISTRY = (len("قال مصدر في "), len("قال مصدر في وزارة الخارجية"))


def labelled_team(path: Path) -> Path:
    """a1: a boundary disagreement, an agreement, a span only mona saw; a2: one of ali's."""
    with make_team_project(path) as project:
        label_a1(project)
        a2 = aid(project, "a2")
        project.session("ali").add_span(a2, *A2_MINISTRY, "ORGANIZATION")
        project.session("mona").add_span(a2, *A2_MINISTRY, "PERSON")
    return path


@pytest.fixture
def team_path(tmp_path):
    return labelled_team(tmp_path / "news.db")


@pytest.fixture
def desk(qtbot, team_path):
    from ui.review.window import build_adjudication_window

    window = build_adjudication_window(team_path, "huda", language="en")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.close()


def gold_keys(path: Path, doc_id: str = "a1") -> list[tuple[int, int, str]]:
    with Project.open(path) as project:
        return sorted(s.key for s in project.store.spans(aid(project, doc_id), [GOLD]))


def press(qtbot, window, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(window.focusWidget() or window, key, modifier)


def test_agreement_auto_accepted_and_first_disagreement_current(desk, team_path):
    c = desk.controller
    assert c.article.doc_id == "a1" and c.current.bounds == MINISTER
    assert gold_keys(team_path) == [(*DAMASCUS, "LOCATION")]
    assert desk.regions.count() == 3 and len(desk.lanes.lanes) == 2
    assert desk.lanes.lanes[0][0].text() == "1 · ali — Organization «وزير الدفاع»"
    assert desk.lanes.lanes[1][0].text() == "2 · mona — Organization «الدفاع»"
    assert [s.label for s in desk.lanes.lanes[1][1].spans] == ["ORGANIZATION"]
    assert "proposed by ali, mona; auto-accepted by huda" in desk.gold_list.item(0).text()
    assert desk.progress_label.text().startswith("Articles adjudicated 0 / to do 2")


def test_keyboard_accept_reject_next_and_undo(desk, qtbot, team_path):
    press(qtbot, desk, Qt.Key.Key_2)  # mona's version of the ministry
    assert gold_keys(team_path) == [(*DEFENCE, "ORGANIZATION"), (*DAMASCUS, "LOCATION")]
    assert desk.controller.current.bounds == SUNDAY  # moved on to the next open region
    press(qtbot, desk, Qt.Key.Key_R)
    with Project.open(team_path) as project:
        assert project.store.state(aid(project, "a1"), GOLD) == "done"
        [defence] = [s for s in project.store.spans(aid(project, "a1"), [GOLD]) if s.start == DEFENCE[0]]
        assert (provenance(defence)["proposed_by"], provenance(defence)["decided_by"]) == (["mona"], "huda")
    assert "adjudicated 1 / to do 1" in desk.progress_label.text()
    press(qtbot, desk, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    with Project.open(team_path) as project:
        assert project.store.state(aid(project, "a1"), GOLD) == "in_progress"
        assert not Adjudicator(project.session("huda")).item(aid(project, "a1"), SUNDAY).decision
    press(qtbot, desk, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    press(qtbot, desk, Qt.Key.Key_N)  # a1 is done: next disagreement is in a2
    assert desk.controller.article.doc_id == "a2" and desk.controller.current.bounds == A2_MINISTRY
    press(qtbot, desk, Qt.Key.Key_1)
    assert gold_keys(team_path, "a2") == [(*A2_MINISTRY, "ORGANIZATION")]
    assert "adjudicated 2 / to do 0" in desk.progress_label.text()


def test_edit_with_selection_and_label_key(desk, qtbot, team_path):
    press(qtbot, desk, Qt.Key.Key_E)
    assert desk.editing and desk.view.hasFocus()
    desk.view.select_range(DEFENCE[0] + 1, DEFENCE[1] - 1)  # sloppy: snapping fixes it
    qtbot.keyClick(desk.view, Qt.Key.Key_5)  # ORGANIZATION's key in schemas/news.json
    assert not desk.editing
    assert gold_keys(team_path) == [(*DEFENCE, "ORGANIZATION"), (*DAMASCUS, "LOCATION")]
    with Project.open(team_path) as project:
        [edited] = [s for s in project.store.spans(aid(project, "a1"), [GOLD]) if s.start == DEFENCE[0]]
        assert (provenance(edited)["decision"], provenance(edited)["proposed_by"]) == ("edit", ["mona"])


def test_layer_overlay_and_navigation_keys(desk, qtbot):
    assert [s.annotator for s in desk.view.spans] == [GOLD]
    press(qtbot, desk, Qt.Key.Key_L)  # all annotators overlaid
    assert sorted({s.annotator for s in desk.view.spans}) == ["ali", "mona"]
    press(qtbot, desk, Qt.Key.Key_N)
    assert desk.controller.current.bounds == SUNDAY
    press(qtbot, desk, Qt.Key.Key_N, Qt.KeyboardModifier.ShiftModifier)
    assert desk.controller.current.bounds == MINISTER
    press(qtbot, desk, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert desk.controller.article.doc_id == "a2"


def test_annotators_cannot_open_the_adjudication_desk(qtbot, team_path):
    from ui.review.window import build_adjudication_window

    with pytest.raises(PermissionDenied):
        build_adjudication_window(team_path, "ali")


def test_strings_have_both_languages():
    assert set(EN) == set(AR)


@pytest.mark.xvfb
def test_adjudication_desk_renders_under_xvfb(tmp_path):
    if shutil.which("xvfb-run") is None:
        pytest.skip("xvfb-run is not installed (Debian: xvfb xauth)")
    project = labelled_team(tmp_path / "news.db")
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY")}
    env["PYTHONPATH"] = str(REPO)
    done = subprocess.run(
        ["xvfb-run", "-a", "-s", "-screen 0 1400x900x24", sys.executable,
         str(REPO / "tests" / "ui" / "adjudication_xvfb_child.py"), str(project), str(tmp_path), "huda"],
        capture_output=True, text=True, timeout=120, env=env, cwd=REPO, check=False,
    )
    assert done.returncode == 0, done.stderr
    info = json.loads(done.stdout.strip().splitlines()[-1])
    assert info["platform"] == "xcb" and info["lanes"] == 2
    picture = QImage(str(tmp_path / "adjudication.png"))
    assert (picture.width(), picture.height()) == tuple(info["window"])
    assert ink(picture, QColor("white")) > 0.03
    assert colour_present(picture, info["lane_colour"])  # the lanes paint ORGANIZATION spans
    assert colour_present(picture, "#f4a261")  # mona's DATE in the overlaid article text
    ARTIFACT.parent.mkdir(exist_ok=True)
    shutil.copyfile(tmp_path / "adjudication.png", ARTIFACT)
    # The agreement tab, in the schema's language (Arabic): right to left, schema label names.
    assert info["agreement_computed"] and info["agreement_direction"] == "RightToLeft"
    assert info["agreement_labels"] == ["تاريخ", "مكان", "منظمة", "شخص"]
    panel = QImage(str(tmp_path / "agreement_panel.png"))
    assert (panel.width(), panel.height()) == tuple(info["window"])
    assert ink(panel, QColor("white")) > 0.01
    shutil.copyfile(tmp_path / "agreement_panel.png", PANEL_ARTIFACT)


def test_annotation_desk_opens_a_work_package_directly(qtbot, team_path, tmp_path):
    from annotator.team.packages import pack
    from ui.app import build_window

    package = tmp_path / "mona.annot"
    with Project.open(team_path) as project:
        pack(project.session("sara"), "mona", package)
    window = build_window(package, "mona")
    qtbot.addWidget(window)
    assert window.session.role == "annotator"
    assert window.controller.article.doc_id == "a1"
    assert sorted(s.key for s in window.controller.spans) == [
        (*DEFENCE, "ORGANIZATION"), (*DAMASCUS, "LOCATION"), (*SUNDAY, "DATE")]
    window.close()


def test_the_review_desk_shows_an_annotators_new_span_without_reopening(desk, team_path, qtbot):
    """Issue 14, live progress: ali labels while huda reviews; her desk shows it by itself."""
    visited = (0, len("زار"))
    assert desk.controller.article_id is not None
    assert visited not in {i.bounds for i in desk.controller.items}
    with Project.open(team_path) as other:
        assert desk.controller.article_id == aid(other, "a1")
        other.session("ali").add_span(aid(other, "a1"), *visited, "ORGANIZATION")
    qtbot.waitUntil(lambda: any(i.bounds == visited for i in desk.controller.items),
                    timeout=5000)  # the live poll, within seconds, no click
    assert desk.poll_others() is False  # nothing new since


# -- another program writing (the annotation desk's write queue; it used to freeze for 30 s) ----

@pytest.fixture
def short_store_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    from annotator.store import connection

    monkeypatch.setattr(connection, "BUSY_TIMEOUT_S", 3.0)  # the old desk's wait, made short


def status(window) -> str:
    return window.statusBar().currentMessage()


@pytest.mark.usefixtures("short_store_timeout")
def test_decisions_behind_another_writer_wait_in_order_and_are_stored(desk, qtbot, team_path: Path) -> None:
    assert desk.controller.current.bounds == MINISTER
    with other_program_writing(team_path):
        started = time.monotonic()
        press(qtbot, desk, Qt.Key.Key_2)  # mona's version of the ministry
        press(qtbot, desk, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undone, after it
        press(qtbot, desk, Qt.Key.Key_1)  # ali's instead
        assert time.monotonic() - started < 1.5  # no freeze (the old wait: 3 s here, 30 s for real)
        assert status(desk) == i18n.paragraph(i18n.tr("status_busy_waiting", "en", count=3))
        assert gold_keys(team_path) == [(*DAMASCUS, "LOCATION")]  # nothing stored yet
    qtbot.waitUntil(lambda: not desk.controller.writes.pending, timeout=5000)
    assert gold_keys(team_path) == [(*MINISTER, "ORGANIZATION"), (*DAMASCUS, "LOCATION")]
    assert status(desk) == i18n.paragraph(i18n.tr("status_busy_saved", "en"))
    assert desk.controller.current.bounds == SUNDAY  # and the desk moved on as after any decision


@pytest.mark.usefixtures("short_store_timeout")
def test_closing_with_decisions_waiting_asks_once_then_gives_them_up(desk, qtbot, team_path: Path) -> None:
    with other_program_writing(team_path):
        press(qtbot, desk, Qt.Key.Key_2)
        desk.close()
        assert desk.isVisible() and status(desk) == i18n.paragraph(
            i18n.tr("status_busy_close", "en", count=1))
        desk.close()
        assert not desk.isVisible() and not desk.controller.writes.pending
    assert gold_keys(team_path) == [(*DAMASCUS, "LOCATION")]  # the decision given up: not stored
