"""The desk's single-key commands work with the Arabic keyboard layout active.

An annotator who has just typed Arabic in the search box presses the L key and the layout sends
«م», the ``]`` key «د». Qt's key code is then the Arabic letter's, so a command matched on Latin
key codes or text did nothing (found while building ``]``/``[``). The events here are what Qt
delivers on such a layout: the Arabic character's code point as key and text.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from tests.ui.helpers import drag_select, open_doc, press
from tests.ui.links_kit import at, span_of, stored_relations, stored_roles
from tests.ui.test_desk_labelling import CNN
from tests.ui.test_frame_keys import two_strikes  # noqa: F401 - the fixture
from tests.ui.test_link_keys import OMAR, open_article
from ui.desk.key_chars import key_char


def _arabic_key(text: str, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> QKeyEvent:
    return QKeyEvent(QEvent.Type.KeyPress, ord(text[0]), modifiers, text)


def _send(widget, text: str) -> None:  # noqa: ANN001
    QApplication.sendEvent(widget, _arabic_key(text))


@pytest.mark.parametrize(("text", "key"), [
    ("ق", "r"), ("م", "l"), ("ش", "a"), ("د", "]"), ("ج", "["), ("لا", "b"), ("ك", ";"),
    ("٣", "3"), ("x", "x"),
])
def test_an_arabic_layouts_character_names_its_latin_key(qapp, text: str, key: str) -> None:
    assert key_char(_arabic_key(text)) == key


def test_latin_keys_keep_their_letter_whatever_alt_or_shift_type(qapp) -> None:
    alt_l = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_L, Qt.KeyboardModifier.AltModifier, "¬")
    assert key_char(alt_l) == "l"
    assert key_char(QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Tab, Qt.KeyboardModifier.NoModifier,
                              "\t")) == "\t"


def test_a_relation_key_on_the_arabic_layout_links(qtbot, links_desk) -> None:
    open_article(links_desk, OMAR)
    view = links_desk.view
    view.select_span(span_of(links_desk, "قصفا"))
    _send(view, "ق")  # the R key: reported-by
    assert view.linker.active and view.candidate.text == "سبوتنيك"
    press(qtbot, view, Qt.Key.Key_Return)
    assert stored_relations(links_desk) == [
        ("reported-by", "قصفا", "سبوتنيك", *at(OMAR, "قصفا"), *at(OMAR, "سبوتنيك"))]


def test_the_bracket_key_on_the_arabic_layout_goes_to_the_next_open_frame(qtbot, two_strikes) -> None:  # noqa: F811
    window, view = two_strikes, two_strikes.view
    view.set_cursor_code_point(0)
    _send(view, "د")  # the ] key
    assert window.view.linker.active and view.candidate.text == "حلب"
    press(qtbot, view, Qt.Key.Key_Return)
    assert stored_roles(window) == [("attack", "قصف", "place", "حلب")]


def test_a_label_key_typed_as_an_arabic_indic_digit_labels(qtbot, desk, store_session) -> None:
    aid = open_doc(desk, "mixed")
    drag_select(qtbot, desk.view, *CNN)
    _send(desk.view, "٣")  # X11's ara layout: the 3 key types «٣»; 3 is SOURCE
    assert [(s.start, s.end, s.label) for s in store_session.spans(aid)] == [(*CNN, "SOURCE")]


def test_the_suggestion_keys_on_the_arabic_layout_reject_and_take_a_paragraph(qtbot, tmp_path) -> None:
    from tests.ui import test_paragraph_accept as para

    path = para.visit_project(tmp_path)
    desk = para.suggestion_desk(qtbot, path, "visit")
    desk.view.setFocus()
    desk.view.set_cursor_code_point(0)
    press(qtbot, desk.view, Qt.Key.Key_Space)
    press(qtbot, desk.view, Qt.Key.Key_Space)
    press(qtbot, desk.view, Qt.Key.Key_Space)
    assert desk.suggestions.current().key == (*para.TODAY, "DATE")
    _send(desk.view, "ق")  # the R key: reject
    _send(desk.view, "س")  # the S key: the rest of the paragraph
    assert [key for key, _ in para.mine(path)] == sorted(
        [(*para.MINISTER, "PERSON"), (*para.DAMASCUS, "LOCATION"), (*para.BEIRUT, "LOCATION")])
    desk.close()
