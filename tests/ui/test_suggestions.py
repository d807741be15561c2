"""Suggestions in the real desk: dashed boxes, accept/reject/accept-all keys, undo, retraining."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from annotator.formats.conll import read_conll
from annotator.importing import import_documents
from annotator.model import Document, make_span
from annotator.project import Project
from annotator.suggest.layers import ACCEPTED
from tests.ui.conftest import DIACRITICS, USER, make_project
from tests.ui.helpers import suggestion_desk
from ui import i18n

MINISTER = (len("وَصَلَ "), len("وَصَلَ وَزِيرُ الدِّفَاعِ"))
DAMASCUS = (len("وَصَلَ وَزِيرُ الدِّفَاعِ إلى "), len("وَصَلَ وَزِيرُ الدِّفَاعِ إلى دِمَشْقَ"))


@pytest.fixture
def suggested_path(tmp_path: Path) -> Path:
    path = make_project(tmp_path / "news.db", {"diacritics": DIACRITICS})
    with Project.open(path) as project:
        doc = Document("diacritics", DIACRITICS, spans=(
            make_span(DIACRITICS, *MINISTER, "PERSON", "suggest:crf"),
            make_span(DIACRITICS, *DAMASCUS, "LOCATION", "suggest:gazetteer"),
        ))
        import_documents(project, [doc])
    return path


@pytest.fixture
def desk(qtbot, suggested_path: Path):
    window = suggestion_desk(qtbot, suggested_path, "diacritics")
    yield window
    window.close()


def stored(path: Path) -> tuple[list, list]:
    with Project.open(path) as project:
        aid = project.store.article_id_by_doc_id("diacritics")
        return project.session(USER).spans(aid), project.store.rejections(aid)


def dashed_ranges(window) -> list[tuple[int, int]]:
    """Code-point ranges of the dashed boxes the view paints now (what a person sees)."""
    window.view.viewport().repaint()
    return sorted({(m.span.start, m.span.end) for m in window.view.marks.marks() if m.kind == "box"})


def test_pending_suggestions_are_dashed_not_filled(desk) -> None:
    assert [s.key for s in desk.suggestions.pending] == [(*MINISTER, "PERSON"), (*DAMASCUS, "LOCATION")]
    assert dashed_ranges(desk) == [MINISTER, DAMASCUS]
    # Not filled: a pending suggestion adds no format (background) to the text.
    assert desk.view.document().firstBlock().layout().formats() == []


def test_enter_accepts_backspace_rejects_and_undo_restores(desk, qtbot, suggested_path: Path) -> None:
    view = desk.view
    view.setFocus()
    view.set_cursor_code_point(DAMASCUS[0] + 2)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    spans, rejections = stored(suggested_path)
    assert [(s.key, s.annotator, s.provenance) for s in spans] == [((*DAMASCUS, "LOCATION"), USER, ACCEPTED)]
    assert dashed_ranges(desk) == [MINISTER]
    assert view.cursor_code_point() == MINISTER[0]  # moved to the next pending suggestion
    qtbot.keyClick(view, Qt.Key.Key_Backspace)
    spans, rejections = stored(suggested_path)
    assert len(spans) == 1
    assert [(u, s.key, s.annotator) for _, u, s in rejections] == [(USER, (*MINISTER, "PERSON"), "suggest:crf")]
    assert desk.suggestions.pending == [] and dashed_ranges(desk) == []
    assert desk.controller.undo()  # the rejection
    assert stored(suggested_path)[1] == [] and dashed_ranges(desk) == [MINISTER]
    assert desk.controller.undo()  # the acceptance
    assert stored(suggested_path)[0] == [] and dashed_ranges(desk) == [MINISTER, DAMASCUS]


def test_backspace_off_a_suggestion_is_left_to_the_desk(desk, qtbot, suggested_path: Path) -> None:
    desk.view.setFocus()
    desk.view.set_cursor_code_point(0)
    qtbot.keyClick(desk.view, Qt.Key.Key_Backspace)
    assert stored(suggested_path) == ([], [])
    assert len(desk.suggestions.pending) == 2


def test_shift_enter_accepts_all_as_one_undo_step(desk, qtbot, suggested_path: Path) -> None:
    desk.view.setFocus()
    qtbot.keyClick(desk.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    spans, _ = stored(suggested_path)
    assert [(s.key, s.provenance) for s in spans] == [
        ((*MINISTER, "PERSON"), ACCEPTED), ((*DAMASCUS, "LOCATION"), ACCEPTED)]
    assert [s.key for s in desk.view.spans] == [s.key for s in spans]  # drawn as spans now
    assert desk.controller.undo() and stored(suggested_path)[0] == []
    assert not desk.controller.can_undo()


def test_retraining_runs_off_the_ui_thread(desk, qtbot, suggested_path: Path, fixtures_dir: Path) -> None:
    pytest.importorskip("pycrfsuite")
    docs = list(read_conll(fixtures_dir / "aqmar_suggest.conll"))
    with Project.open(suggested_path) as project:
        import_documents(project, docs[:2], as_annotator="aqmar", new_labels="add")
    with qtbot.waitSignal(desk.suggestions.retrained, timeout=60_000) as blocker:
        worker = desk.suggestions.retrain(iterations=30)
    assert blocker.args[0].articles == 2
    assert worker.ran_on not in (None, threading.get_ident())  # a pool thread, not the UI's
    with Project.open(suggested_path) as project:
        assert project.store.load_model("crf") is not None
        aid = project.store.article_id_by_doc_id("diacritics")
        crf = project.store.spans(aid, ["suggest:crf"])
    pending = {(s.key, s.annotator) for s in desk.suggestions.pending}
    assert {(s.key, s.annotator) for s in crf} <= pending


def test_desk_installs_suggestions_after_first_paint(qtbot, suggested_path: Path):
    from ui.app import build_window

    window = build_window(suggested_path, USER, article="diacritics")
    qtbot.addWidget(window)
    assert getattr(window, "suggestions", None) is None  # not on the start path
    window.show()
    qtbot.waitUntil(lambda: getattr(window, "suggestions", None) is not None, timeout=3000)
    assert window.desk_actions["retrain"].shortcut().toString() == "Ctrl+Shift+R"
    window.close()


def test_a_read_only_project_shows_its_suggestions_and_says_why_none_are_retrained(
        qtbot, suggested_path: Path, tmp_path: Path) -> None:
    import shutil

    from tests.core.read_only_kit import read_only_folder
    from ui.app import build_window

    def fill(folder: Path) -> None:
        shutil.copy(suggested_path, folder / "news.db")

    with read_only_folder(tmp_path / "ro", fill) as ro:
        window = build_window(ro / "news.db", USER, article="diacritics", language="en")
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        assert window.project.read_only
        window.desk_actions["retrain"].trigger()
        assert dashed_ranges(window) == [MINISTER, DAMASCUS]
        assert window.suggestions._worker is None  # nothing started that could only fail
        assert window.statusBar().currentMessage() == i18n.paragraph(
            "The project is read-only: its suggestions are shown, none can be retrained")
        window.close()
        window.project.close()  # before the read-only mount goes
