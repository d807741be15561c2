"""The article view: RTL, fonts, nested spans visible, partial re-highlighting, big articles."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCharFormat

from annotator.importing import import_documents
from annotator.model import Document, make_span
from tests.ui.conftest import USER
from tests.ui.helpers import open_doc
from ui.app import build_window
from ui.fonts import DOCUMENT_FAMILIES

PARAGRAPH = "قصف صاروخي يستهدف القاعدة الأمريكية في حقل العمر السوري وأنباء عن إصابات في صفوف الجيش. "


def block_formats(view, number):
    block = view.document().findBlockByNumber(number)
    return [(r.start, r.length, QTextCharFormat(r.format)) for r in block.layout().formats()]


def test_text_is_shown_as_stored_right_to_left_in_an_arabic_font(desk):
    open_doc(desk, "linebreak")
    view = desk.view
    assert view.toPlainText() == desk.controller.article.text  # never reshaped or reordered
    assert view.document().defaultTextOption().textDirection() == Qt.LayoutDirection.RightToLeft
    assert view.font().families()[: len(DOCUMENT_FAMILIES)] == list(DOCUMENT_FAMILIES)
    assert view.isReadOnly()


def test_nested_spans_stay_visible(desk):
    aid = open_doc(desk, "linebreak")
    text = desk.controller.article.text
    outer = (len("أعلن "), len("أعلن الجيش الأمريكي"))
    inner = (len("أعلن الجيش "), len("أعلن الجيش الأمريكي"))
    desk.controller.add_span(*outer, "ORGANIZATION")
    desk.controller.add_span(*inner, "LOCATION")
    formats = block_formats(desk.view, 0)
    by_start = {start: (length, fmt) for start, length, fmt in formats}
    only_outer = by_start[outer[0]]
    assert only_outer[0] == len("الجيش ")
    assert only_outer[1].background().color().name() == "#b5a3f5"
    assert not only_outer[1].fontUnderline()
    both = by_start[inner[0]]
    assert both[0] == len("الأمريكي")
    assert both[1].fontUnderline()
    assert both[1].underlineStyle() == QTextCharFormat.UnderlineStyle.SingleUnderline
    assert both[1].background().color() != only_outer[1].background().color()
    assert [s.label for s in desk.view.spans_at(inner[0])] == ["LOCATION", "ORGANIZATION"]
    assert text[inner[0]:inner[1]] == "الأمريكي"
    assert aid == desk.controller.article_id


def test_one_changed_span_rehighlights_only_its_blocks(qtbot, tmp_path):
    from tests.ui.conftest import make_project

    text = "\n".join(f"{n} {PARAGRAPH}" for n in range(50))
    path = make_project(tmp_path / "p.db", {"long": text})
    window = build_window(path, USER)
    qtbot.addWidget(window)
    highlighter = window.view._highlighter
    before = highlighter.blocks_highlighted
    start = text.index("\n30 ") + 1
    window.controller.add_span(start, start + 2, "QUANTITY")
    assert highlighter.blocks_highlighted - before == 1
    window.controller.undo()
    assert highlighter.blocks_highlighted - before == 2
    assert block_formats(window.view, 30) == []


def test_desk_opens_a_200k_character_article_with_5000_spans(qtbot, tmp_path):
    from annotator.project import Project

    text = ""
    while len(text) < 200_000:
        text += PARAGRAPH * 3 + "\n"
    text = text[:200_000]
    step = len(text) // 5000
    spans = tuple(
        make_span(text, n * step, n * step + 4, ("LOCATION", "PERSON", "DATE")[n % 3], USER)
        for n in range(5000)
    )
    project = Project.create(tmp_path / "big.db")
    import_documents(project, [Document("big", text, title="big", spans=spans)])
    project.close()
    began = time.perf_counter()
    window = build_window(tmp_path / "big.db", USER)
    qtbot.addWidget(window)
    window.show()
    seconds = time.perf_counter() - began
    view = window.view
    assert len(view.toPlainText()) == 200_000
    assert len(view.spans) == 5000
    last = view.document().blockCount() - 1
    assert view._highlighter.blocks_highlighted >= last + 1  # every block was painted once
    assert block_formats(view, last)  # ... including the very last one
    assert window.span_panel.model.rowCount() == 5000
    assert seconds < 10  # a generous ceiling; bench/bench_desk.py measures the real figure


def test_language_switch_mirrors_the_layout(desk):
    assert desk.layoutDirection() == Qt.LayoutDirection.RightToLeft  # news schema is Arabic
    assert desk.menuBar().actions()[0].text() == "&ملف"
    desk.set_language("en")
    assert desk.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert desk.menuBar().actions()[0].text() == "&File"
    # the article itself stays right-to-left
    assert desk.view.document().defaultTextOption().textDirection() == Qt.LayoutDirection.RightToLeft
