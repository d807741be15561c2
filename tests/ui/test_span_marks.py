"""Label chips on spans and dashed suggestion boxes, measured on the real article view.

A screenshot showed spans as colour only (which label is mint green?) and suggestions as a
faint dashed underline. These tests read where the chips and boxes are painted, compare them
with the glyphs' own boxes from the text layout, and look at the painted pixels.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor

from tests.ui.conftest import MIXED
from tests.ui.helpers import open_doc

CNN = (len("نقلت "), len("نقلت CNN"))
SOURCE_PHRASE = (len("نقلت "), len("نقلت CNN عن مصدر"))  # starts on the Latin run
YEAR = (MIXED.index("2017"), MIXED.index("2017") + 4)
PLACE = (MIXED.index("دير الزور"), MIXED.index("دير الزور") + len("دير الزور"))


def glyph_box(view, cp: int):
    """Viewport x-range of the character at code point ``cp`` (block 0, one line or more)."""
    from ui.desk.span_marks import glyph_pieces  # noqa: PLC0415

    block = view.document().firstBlock()
    origin = view.blockBoundingGeometry(block).translated(view.contentOffset()).topLeft()
    pos = view.qt_text.to_qt(cp)
    layout = block.layout()
    for n in range(layout.lineCount()):
        line = layout.lineAt(n)
        pieces = glyph_pieces(line, pos, pos + 1)
        if pieces:
            left, right = pieces[0]
            return origin.x() + left, origin.x() + right, origin.y() + line.y()
    raise AssertionError(cp)


def chips(view) -> dict[tuple[int, int, str], object]:
    view.viewport().repaint()
    return {(m.span.start, m.span.end, m.span.label): m for m in view.marks.marks() if m.kind == "chip"}


def test_every_span_gets_a_chip_with_its_label_name_at_its_start(desk) -> None:
    open_doc(desk, "mixed")
    view = desk.view
    for bounds, label in ((YEAR, "DATE"), (PLACE, "LOCATION"), (CNN, "SOURCE")):
        assert desk.controller.add_span(*bounds, label) is not None
    found = chips(view)
    assert set(found) == {(*YEAR, "DATE"), (*PLACE, "LOCATION"), (*CNN, "SOURCE")}
    assert {m.text for m in found.values()} == {"تاريخ", "مكان", "مصدر"}  # the schema's Arabic names
    # An Arabic word: the chip ends at the right edge of its first glyph (where reading starts)
    # and sits on the top edge of that glyph's line.
    left, right, top = glyph_box(view, PLACE[0])
    chip = found[(*PLACE, "LOCATION")].rect
    assert abs(chip.right() - right) <= 1
    assert chip.top() < top < chip.bottom()
    # A Latin run inside Arabic: the chip is at the right end of the whole run "CNN", not on
    # the glyph "C" (the leftmost one).
    c_left, _, _ = glyph_box(view, CNN[0])
    _, n_right, _ = glyph_box(view, CNN[1] - 1)
    assert abs(found[(*CNN, "SOURCE")].rect.right() - n_right) <= 1
    assert found[(*CNN, "SOURCE")].rect.right() > c_left + 10


def test_chips_of_spans_starting_together_do_not_cover_each_other(desk) -> None:
    open_doc(desk, "mixed")
    view = desk.view
    desk.controller.add_span(*CNN, "SOURCE")
    desk.controller.add_span(*SOURCE_PHRASE, "ORGANIZATION")
    found = chips(view)
    inner, outer = found[(*CNN, "SOURCE")].rect, found[(*SOURCE_PHRASE, "ORGANIZATION")].rect
    assert not inner.intersects(outer)
    assert inner.top() == outer.top()


def test_a_chip_is_painted_in_the_label_colour(desk) -> None:
    open_doc(desk, "mixed")
    view = desk.view
    desk.controller.add_span(*PLACE, "LOCATION")
    chip = chips(view)[(*PLACE, "LOCATION")].rect
    image = view.viewport().grab().toImage()
    want = view.label_color("LOCATION").darker(125)
    # The chip's edge pixels (inside the border, away from the letters) are its fill colour.
    point = QPoint(round(chip.left()) + 2, round(chip.center().y()))
    got = QColor(image.pixelColor(point))
    assert abs(got.red() - want.red()) + abs(got.green() - want.green()) + abs(got.blue() - want.blue()) < 24


def test_removing_a_span_removes_its_chip(desk) -> None:
    open_doc(desk, "mixed")
    span = desk.controller.add_span(*PLACE, "LOCATION")
    assert (*PLACE, "LOCATION") in chips(desk.view)
    assert desk.controller.remove_span(span)
    assert chips(desk.view) == {}
