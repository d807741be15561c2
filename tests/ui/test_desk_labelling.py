"""The labelling loop through real widgets, checked in the store (not in widget state)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.conftest import MIXED, USER
from tests.ui.helpers import click_at, drag_select, open_doc, press
from ui.app import build_window

CNN = (len("نقلت "), len("نقلت CNN"))
PLACE = (len("نقلت CNN عن مصدر أن 65 صاروخا من طراز M-16 أطلقت في 2017 على "), len(MIXED) - 1)


def labels(session, article_id):
    return [(s.start, s.end, s.label) for s in session.spans(article_id)]


def test_label_key_then_delete_then_undo_redo(qtbot, desk, store_session):
    aid = open_doc(desk, "mixed")
    view = desk.view
    drag_select(qtbot, view, *CNN)
    press(qtbot, view, Qt.Key.Key_3)
    assert labels(store_session, aid) == [(*CNN, "SOURCE")]
    # The new span is selected: Delete removes it from the store.
    press(qtbot, view, Qt.Key.Key_Delete)
    assert labels(store_session, aid) == []
    press(qtbot, view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert labels(store_session, aid) == [(*CNN, "SOURCE")]
    press(qtbot, view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert labels(store_session, aid) == []
    press(qtbot, view, Qt.Key.Key_Z,
          Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert labels(store_session, aid) == [(*CNN, "SOURCE")]
    assert [s.label for s in view.spans] == ["SOURCE"]
    assert desk.span_panel.model.rowCount() == 1


def test_click_a_span_and_relabel_it_with_a_key(qtbot, desk, store_session):
    aid = open_doc(desk, "mixed")
    view = desk.view
    drag_select(qtbot, view, *PLACE)
    press(qtbot, view, Qt.Key.Key_6)
    press(qtbot, view, Qt.Key.Key_Escape)
    assert view.selected_span is None
    click_at(qtbot, view, PLACE[0] + 2)
    assert view.selected_span is not None and view.selected_span.label == "DATE"
    press(qtbot, view, Qt.Key.Key_1)
    assert labels(store_session, aid) == [(*PLACE, "LOCATION")]
    press(qtbot, view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert labels(store_session, aid) == [(*PLACE, "DATE")]


def test_snapping_grows_to_whole_tokens_and_alt_keeps_exact_characters(qtbot, desk, store_session):
    aid = open_doc(desk, "mixed")
    view = desk.view
    word = len("نقلت CNN عن ")
    drag_select(qtbot, view, word + 1, word + 3)  # inside "مصدر"
    press(qtbot, view, Qt.Key.Key_4)
    drag_select(qtbot, view, PLACE[0] + len("دير ا"), PLACE[1])  # "لزور" without its article
    press(qtbot, view, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    assert labels(store_session, aid) == [
        (word, word + len("مصدر"), "PERSON"),
        (PLACE[0] + len("دير ا"), PLACE[1], "LOCATION"),
    ]


def test_snapping_can_be_switched_off(qtbot, desk, store_session):
    aid = open_doc(desk, "mixed")
    press(qtbot, desk, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert desk.labeller.snap is False
    drag_select(qtbot, desk.view, CNN[0], CNN[0] + 2)
    press(qtbot, desk.view, Qt.Key.Key_3)
    assert labels(store_session, aid) == [(CNN[0], CNN[0] + 2, "SOURCE")]


def test_palette_click_labels_the_selection(qtbot, desk, store_session):
    aid = open_doc(desk, "mixed")
    drag_select(qtbot, desk.view, *CNN)
    qtbot.mouseClick(desk.palette.buttons["ORGANIZATION"], Qt.MouseButton.LeftButton)
    assert labels(store_session, aid) == [(*CNN, "ORGANIZATION")]


def test_label_all_matches_is_one_undo_step(qtbot, desk, store_session, monkeypatch):
    text = "قال الأسد إن الاسد باق، وردّ معارضو الأسد."
    aid = desk.project.store.article_id_by_doc_id("emoji")
    # A fresh article with repeats, imported through the core like any other.
    from annotator.importing import import_documents
    from annotator.model import Document

    import_documents(desk.project, [Document("repeats", text, title="repeats")])
    desk.queue.model.refresh()
    aid = open_doc(desk, "repeats")
    asked = []
    desk.labeller.confirm = lambda title, question: asked.append(question) or True
    first = (len("قال "), len("قال الأسد"))
    drag_select(qtbot, desk.view, *first)
    press(qtbot, desk.view, Qt.Key.Key_4)
    press(qtbot, desk, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    got = labels(store_session, aid)
    assert (first[0], first[1], "PERSON") in got
    assert (len("قال الأسد إن "), len("قال الأسد إن الاسد"), "PERSON") in got  # normalised alef
    assert len(got) == 3 and len(asked) == 1
    press(qtbot, desk.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert labels(store_session, aid) == [(*first, "PERSON")]


def test_done_goes_to_the_next_article(qtbot, desk, store_session):
    first = open_doc(desk, "emoji")
    press(qtbot, desk.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert store_session.state(first) == "done"
    assert desk.controller.article_id == store_session.next_article(first) != first
    assert desk.queue.model.data(desk.queue.model.index(0, 1)) == "منجز"
    assert desk.view.hasFocus() or desk.view.toPlainText().startswith("وَصَلَ")


def test_undo_history_and_position_survive_a_restart(qtbot, project_path, store_session):
    window = build_window(project_path, USER)
    qtbot.addWidget(window)
    window.show()
    aid = open_doc(window, "mixed")
    drag_select(qtbot, window.view, *CNN)
    press(qtbot, window.view, Qt.Key.Key_3)
    window.view.set_cursor_code_point(PLACE[0])
    window.close()  # saves the position; a kill would lose at most the last 300 ms of cursor
    again = build_window(project_path, USER)
    qtbot.addWidget(again)
    again.show()
    again.activateWindow()
    qtbot.waitUntil(again.isActiveWindow)  # window shortcuts (Ctrl+Z) go to the active window
    assert again.controller.article_id == aid
    assert again.view.cursor_code_point() == PLACE[0]
    assert labels(store_session, aid) == [(*CNN, "SOURCE")]
    press(qtbot, again.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert labels(store_session, aid) == []
    press(qtbot, again.view, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert labels(store_session, aid) == [(*CNN, "SOURCE")]


def test_tooltip_names_label_and_annotator(qtbot, desk):
    open_doc(desk, "mixed")
    drag_select(qtbot, desk.view, *CNN)
    press(qtbot, desk.view, Qt.Key.Key_3)
    from tests.ui.helpers import point_for

    assert desk.view.tooltip_at(point_for(desk.view, CNN[0] + 1)) == f"مصدر — {USER}"
    desk.set_language("en")
    assert desk.view.tooltip_at(point_for(desk.view, CNN[0] + 1)) == f"Source — {USER}"


def test_tab_cycles_spans_and_span_table_click_jumps(qtbot, desk):
    open_doc(desk, "mixed")
    view = desk.view
    for rng, key in ((CNN, Qt.Key.Key_3), (PLACE, Qt.Key.Key_1)):
        drag_select(qtbot, view, *rng)
        press(qtbot, view, key)
    view.set_cursor_code_point(0)
    press(qtbot, view, Qt.Key.Key_Escape)
    press(qtbot, view, Qt.Key.Key_Tab)
    assert view.selected_span.start == CNN[0]
    press(qtbot, view, Qt.Key.Key_Tab)
    assert view.selected_span.start == PLACE[0]
    table = desk.span_panel.table
    rect = table.visualRect(desk.span_panel.model.index(0, 1))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert view.selected_span.start == CNN[0]
    assert view.cursor_code_point() == CNN[0]
