"""Keyboard labelling: word moves skipping punctuation, growing and shrinking either end, the
clitic key, and the cursor after a new span (so the next entity is one move away)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.conftest import USER, make_project
from tests.ui.helpers import drag_glyphs, open_doc, press
from ui.app import build_window

TEXT = "وزار وزير الدفاع بالمنستير، ثم التقى رئيس بلدية بتونس أمس."
CTRL, SHIFT, ALT = (Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier,
                    Qt.KeyboardModifier.AltModifier)
FORWARD, BACK = Qt.Key.Key_Left, Qt.Key.Key_Right  # reading direction of an Arabic paragraph


def at(part: str) -> tuple[int, int]:
    start = TEXT.index(part)
    return start, start + len(part)


def stored(window, aid):
    return [(s.start, s.end, s.label, s.text) for s in window.session.spans(aid)]


def open_desk(qtbot, tmp_path):
    window = build_window(make_project(tmp_path / "k.db", {"k": TEXT}), USER)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)  # window shortcuts (Ctrl+Z) go to the active window
    return window, open_doc(window, "k")


def test_words_by_keyboard_skipping_punctuation_and_cursor_after_the_span(qtbot, tmp_path):
    window, aid = open_desk(qtbot, tmp_path)
    view = window.view
    view.set_cursor_code_point(0)
    press(qtbot, view, FORWARD, CTRL)
    assert view.selected_range() == at("وزار")
    press(qtbot, view, FORWARD, CTRL)
    press(qtbot, view, FORWARD, CTRL | SHIFT)  # grow at the end: "وزير الدفاع"
    assert view.selected_range() == at("وزير الدفاع")
    press(qtbot, view, Qt.Key.Key_5)
    assert view.cursor_code_point() == at("وزير الدفاع")[1]  # after the span
    press(qtbot, view, FORWARD, CTRL)  # one move to the next word
    press(qtbot, view, Qt.Key.Key_1)
    press(qtbot, view, FORWARD, CTRL)  # skips "،"
    assert view.selected_range() == at("ثم")
    press(qtbot, view, BACK, CTRL)
    assert view.selected_range() == at("بالمنستير")
    assert stored(window, aid) == [
        (*at("وزير الدفاع"), "ORGANIZATION", "وزير الدفاع"),
        (*at("بالمنستير"), "LOCATION", "بالمنستير"),
    ]
    window.close()


def test_shrink_and_grow_either_end(qtbot, tmp_path):
    window, aid = open_desk(qtbot, tmp_path)
    view = window.view
    view.select_range(*at("التقى رئيس بلدية"))
    press(qtbot, view, FORWARD, ALT)  # start moves forward: shrinks
    assert view.selected_range() == at("رئيس بلدية")
    press(qtbot, view, BACK, CTRL | SHIFT)  # end moves back: shrinks
    assert view.selected_range() == at("رئيس")
    press(qtbot, view, FORWARD, CTRL | SHIFT)
    press(qtbot, view, FORWARD, CTRL | SHIFT)  # end grows over "بتونس"
    press(qtbot, view, BACK, ALT)  # start grows back over "التقى"
    assert view.selected_range() == at("التقى رئيس بلدية بتونس")
    window.close()


def test_the_clitic_key_strips_and_gives_back_a_proclitic_of_the_selected_span(qtbot, tmp_path):
    window, aid = open_desk(qtbot, tmp_path)
    view = window.view
    drag_glyphs(qtbot, view, *at("بتونس"))
    press(qtbot, view, Qt.Key.Key_1)
    press(qtbot, view, Qt.Key.Key_Minus)
    tunis = (at("بتونس")[0] + 1, at("بتونس")[1])
    assert stored(window, aid) == [(*tunis, "LOCATION", "تونس")]
    assert view.selected_span.text == "تونس"
    press(qtbot, view, Qt.Key.Key_Minus)  # no proclitic left: it comes back
    assert stored(window, aid) == [(*at("بتونس"), "LOCATION", "بتونس")]
    press(qtbot, view, Qt.Key.Key_Z, CTRL)  # each press is one undo step
    assert stored(window, aid) == [(*tunis, "LOCATION", "تونس")]
    window.close()


def test_the_clitic_key_on_a_selection_then_a_label_key_stores_it_as_shown(qtbot, tmp_path):
    window, aid = open_desk(qtbot, tmp_path)
    view = window.view
    drag_glyphs(qtbot, view, *at("بالمنستير"))
    press(qtbot, view, Qt.Key.Key_Minus)  # ب
    assert view.selected_range() == (at("بالمنستير")[0] + 1, at("بالمنستير")[1])
    press(qtbot, view, Qt.Key.Key_Minus)  # ال
    press(qtbot, view, Qt.Key.Key_1)
    assert stored(window, aid) == [(at("بالمنستير")[0] + 3, at("بالمنستير")[1], "LOCATION", "منستير")]
    window.close()


def test_holding_alt_shows_the_exact_characters_the_hand_dragged_over(qtbot, tmp_path):
    window, aid = open_desk(qtbot, tmp_path)
    view = window.view
    start, end = at("بالمنستير")
    drag_glyphs(qtbot, view, start + 1, end)  # "المنستير" under the hand
    assert view.selected_range() == (start, end)  # snapped: the whole word is shown
    qtbot.keyPress(view, Qt.Key.Key_Alt, ALT)
    assert view.selected_range() == (start + 1, end)  # Alt: what Alt+label would store
    qtbot.keyRelease(view, Qt.Key.Key_Alt)
    assert view.selected_range() == (start, end)
    press(qtbot, view, Qt.Key.Key_1, ALT)
    assert stored(window, aid) == [(start + 1, end, "LOCATION", "المنستير")]
    window.close()


def test_shift_click_extends_the_selection_to_the_clicked_word(qtbot, tmp_path):
    window, aid = open_desk(qtbot, tmp_path)
    view = window.view
    drag_glyphs(qtbot, view, *at("رئيس"))
    from tests.ui.helpers import glyph_point

    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, SHIFT,
                     glyph_point(view, at("بتونس")[0] + 2))
    assert view.selected_range() == at("رئيس بلدية بتونس")
    window.close()
