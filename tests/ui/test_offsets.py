"""Qt positions -> stored code points, through real selections in the real widget."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor, QTextDocument

from tests.ui.conftest import DIACRITICS, EMOJI, LINE_BREAK, MIXED
from tests.ui.helpers import drag_select, open_doc, press
from ui.offsets import QtText, display_text


def stored(session, article_id):
    return [(s.start, s.end, s.label, s.text) for s in session.spans(article_id)]


def test_emoji_before_the_span(qtbot, desk, store_session):
    aid = open_doc(desk, "emoji")
    start = len("😀 قال مراسل “")
    end = start + len("سبوتنيك")
    drag_select(qtbot, desk.view, start, end)
    assert desk.view.selected_range() == (start, end)
    press(qtbot, desk.view, Qt.Key.Key_3)
    assert stored(store_session, aid) == [(start, end, "SOURCE", "سبوتنيك")]
    # Qt counts the emoji as two units: the same span sits one position later there.
    assert desk.view.qt_text.to_qt(start) == start + 1


def test_diacritics_inside_the_span(qtbot, desk, store_session):
    aid = open_doc(desk, "diacritics")
    start = len("وَصَلَ ")
    end = len("وَصَلَ وَزِيرُ الدِّفَاعِ")
    drag_select(qtbot, desk.view, end, start)  # dragged leftwards-to-rightwards: reversed
    press(qtbot, desk.view, Qt.Key.Key_5)
    assert stored(store_session, aid) == [(start, end, "ORGANIZATION", "وَزِيرُ الدِّفَاعِ")]
    assert DIACRITICS[start:end] == "وَزِيرُ الدِّفَاعِ"


def test_span_across_a_line_break(qtbot, desk, store_session):
    aid = open_doc(desk, "linebreak")
    start = len("أعلن الجيش ")
    end = len("أعلن الجيش الأمريكي\nأن قاعدة")
    drag_select(qtbot, desk.view, start, end)
    press(qtbot, desk.view, Qt.Key.Key_7)
    assert stored(store_session, aid) == [(start, end, "EVENT", "الأمريكي\nأن قاعدة")]
    # Both blocks are painted: the highlighter saw the span in each of them.
    doc = desk.view.document()
    for number in (0, 1):
        formats = doc.findBlockByNumber(number).layout().formats()
        assert any(f.format.background().color().name() == "#90be6d" for f in formats)
    assert LINE_BREAK[start:end].count("\n") == 1


def test_mixed_arabic_latin_digits(qtbot, desk, store_session):
    aid = open_doc(desk, "mixed")
    q_start = len("نقلت CNN عن مصدر أن ")
    q_end = q_start + len("65 صاروخا")
    drag_select(qtbot, desk.view, q_start, q_end)
    press(qtbot, desk.view, Qt.Key.Key_8)
    w_start = len("نقلت CNN عن مصدر أن 65 صاروخا من طراز ")
    w_end = w_start + len("M-16")
    drag_select(qtbot, desk.view, w_start, w_end)
    press(qtbot, desk.view, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    assert stored(store_session, aid) == [
        (q_start, q_end, "QUANTITY", "65 صاروخا"),
        (w_start, w_end, "WEAPON", "M-16"),
    ]
    assert MIXED[w_start:w_end] == "M-16"


def test_keyboard_selection_in_rtl_moves_forward_with_shift_left(qtbot, desk, store_session):
    aid = open_doc(desk, "mixed")
    start = len("نقلت CNN عن مصدر أن 65 صاروخا من طراز M-16 أطلقت في 2017 على ")
    desk.view.set_cursor_code_point(start)
    for _ in range(len("دير الزور")):
        press(qtbot, desk.view, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    press(qtbot, desk.view, Qt.Key.Key_1)
    assert stored(store_session, aid) == [(start, start + 9, "LOCATION", "دير الزور")]


@pytest.mark.parametrize("text", [EMOJI, "a\r\nb\rc😀\u2029d\ufdd0e", "😀😀\n\n😀x", ""])
def test_qt_text_agrees_with_qtextdocument(qapp, text):
    """Block numbers and UTF-16 positions as QTextDocument itself computes them."""
    qt_text = QtText(text)
    doc = QTextDocument()
    doc.setPlainText(qt_text.display)
    assert len(qt_text.display) == len(text)
    assert doc.blockCount() == qt_text.block_count
    for cp in range(len(text) + 1):
        pos = qt_text.to_qt(cp)
        assert doc.findBlock(pos).blockNumber() == qt_text.block_of(cp)
        cursor = QTextCursor(doc)
        qt_text.select(cursor, 0, cp)
        assert qt_text.cursor_range(cursor) == (0, cp)


def test_a_selection_ending_inside_an_emoji_keeps_the_whole_emoji(qapp):
    qt_text = QtText("ab😀c")
    doc = QTextDocument()
    doc.setPlainText(qt_text.display)
    cursor = QTextCursor(doc)
    cursor.setPosition(1)
    cursor.setPosition(3, QTextCursor.MoveMode.KeepAnchor)  # between the two surrogates
    assert qt_text.cursor_range(cursor) == (1, len("ab😀"))


def test_display_text_keeps_length_and_never_reshapes():
    assert display_text("قال\r\nسوريا") == "قال \nسوريا"
    assert display_text(EMOJI) is EMOJI
