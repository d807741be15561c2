"""The status bar and the dialogs speak the interface's language and read in its direction.

Seen in screenshots: the Ctrl+M question in Arabic with English Yes/No buttons, an English
message's quotes and full stop thrown to the wrong end of the Arabic status bar, and a message
about the previous article still shown on the next one.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QFont, QTextLayout, QTextOption
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.ui.conftest import USER, make_project
from tests.ui.helpers import open_doc
from ui.app import build_window
from ui.desk.span_marks import glyph_pieces

REPEATED = "زار الوزير دمشق ثم غادر دمشق إلى حلب"
DAMASCUS = (REPEATED.index("دمشق"), REPEATED.index("دمشق") + len("دمشق"))


@pytest.fixture
def arabic_desk(qtbot, tmp_path: Path):
    path = make_project(tmp_path / "news.db", {"repeated": REPEATED, "other": "خبر آخر عن بيروت"})
    window = build_window(path, USER, language="ar")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.ensure_panels()
    open_doc(window, "repeated")
    yield window
    window.close()
    window.set_language("en")  # the application's direction back for the other tests


def test_ctrl_m_asks_in_arabic_with_arabic_buttons(arabic_desk, qtbot) -> None:
    window = arabic_desk
    window.view.select_range(*DAMASCUS)
    qtbot.keyClick(window.view, Qt.Key.Key_1)  # LOCATION
    assert [s.key for s in window.controller.spans] == [(*DAMASCUS, "LOCATION")]
    seen: dict[str, object] = {}

    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen["buttons"] = sorted(b.text() for b in box.buttons())
        seen["direction"] = box.layoutDirection()
        seen["text"] = box.text()
        yes = next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.YesRole)
        yes.click()

    QTimer.singleShot(50, answer)
    window.desk_actions["label_all"].trigger()
    assert seen["buttons"] == ["&لا", "&نعم"]  # was &No / &Yes
    assert seen["direction"] == Qt.LayoutDirection.RightToLeft
    assert "وسم 1 مواضع أخرى" in str(seen["text"])
    second = REPEATED.rindex("دمشق")
    assert sorted(s.key for s in window.controller.spans) == [
        (*DAMASCUS, "LOCATION"), (second, second + len("دمشق"), "LOCATION")]


def status_layout(window) -> tuple[str, object, QTextLayout]:
    """The status message laid out as QStatusBar paints it: in the bar's own direction."""
    bar = window.statusBar()
    message = bar.currentMessage()
    layout = QTextLayout(message, QFont(bar.font()))
    option = QTextOption()
    option.setTextDirection(bar.layoutDirection())
    layout.setTextOption(option)
    layout.beginLayout()
    line = layout.createLine()
    line.setLineWidth(4000)
    layout.endLayout()
    return message, line, layout  # the line lives as long as its layout


def test_an_english_message_keeps_its_quotes_and_full_stop_in_the_arabic_desk(arabic_desk) -> None:
    window = arabic_desk
    assert window.statusBar().layoutDirection() == Qt.LayoutDirection.RightToLeft
    window.show_status("span 'تونس' overlaps span 'CNN' here.")
    message, line, _layout = status_layout(window)
    here = message.index("here")
    stop = message.index(".")
    quote = message.index("'")
    [(_, here_right)] = glyph_pieces(line, here, here + 4)
    [(stop_left, _)] = glyph_pieces(line, stop, stop + 1)
    [(quote_left, _)] = glyph_pieces(line, quote, quote + 1)
    first = message.index("span")
    [(_, span_right)] = glyph_pieces(line, first, first + 4)
    assert stop_left >= here_right - 0.5  # the full stop ends the sentence, on its right
    assert quote_left >= span_right - 0.5  # the opening quote follows "span", on its right


def test_a_message_about_one_article_is_gone_on_the_next(arabic_desk, qtbot) -> None:
    window = arabic_desk
    window.view.select_range(*DAMASCUS)
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    assert "دمشق" in window.statusBar().currentMessage()
    open_doc(window, "other")
    assert window.statusBar().currentMessage() == ""


def test_dialogs_follow_the_interface_language(arabic_desk) -> None:
    window = arabic_desk
    assert QApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft  # file/progress dialogs
    arabic_yes = QCoreApplication.translate("QPlatformTheme", "&Yes")
    window.set_language("en")
    assert QApplication.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert QCoreApplication.translate("QPlatformTheme", "&Yes") == "&Yes"
    if arabic_yes == "&Yes":
        pytest.skip("Qt's Arabic strings (qtbase_ar.qm) are not installed here")
    assert arabic_yes != "&Yes"
