"""Which character is under the pointer: hit-testing the glyph boxes of Qt's text layout.

Why not ``cursorForPosition``: it answers with a *cursor position* (a gap between characters),
and where a left-to-right run (``doing business``, ``137.2``, ``1257``) meets the right-to-left
paragraph one pixel is the visual edge of two logical positions; Qt picks the other run's side,
so a drag from the edge of "doing" stored ")" or "business)" (QT_NOTES, measured with real X
events). A hand presses ON a glyph: so each character's box is taken from the glyphs the layout
drew for it (``QTextLayout.glyphRuns(i, 1)``), and the character whose box holds the pointer is
the one meant. ``QTextLine.cursorToX`` cannot serve: at a run boundary it too gives the shared
edge (the first "d" of "doing" comes back 0 px wide at the far end of the run).

Positions here are Qt (UTF-16) positions; :class:`ui.offsets.QtText` converts them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: each PySide6 class costs ~1 ms to load at desk start
    from PySide6.QtCore import QPoint, QPointF, QRectF
    from PySide6.QtGui import QTextBlock, QTextLayout, QTextLine
    from PySide6.QtWidgets import QPlainTextEdit

Box = tuple[float, float, int]
"""``(left, right, position in the block)`` of one character, in layout coordinates."""


class GlyphIndex:
    """Character boxes of the lines a pointer visits, cached until the layout changes.

    A line's boxes cost ~0.1 ms per character to ask Qt for; a drag visits one or two lines
    many times, so they are kept, keyed by block, line and the block's layout width.
    """

    def __init__(self, view: QPlainTextEdit) -> None:
        self.view = view
        self._cache: dict[tuple[int, int, int, int, float], list[Box]] = {}

    def clear(self) -> None:
        """Forget every box: call when the text, the font or the width changes."""
        self._cache.clear()

    def char_at(self, point: QPoint) -> int | None:
        """Qt position of the character whose glyph is under viewport ``point``.

        Between glyphs, or beyond a line's ends, the nearest glyph of that line counts (a press
        in the margin next to a line's first word means that word). None in an empty document.
        """
        block = self.view.cursorForPosition(point).block()
        layout = block.layout()
        if not block.isValid() or layout is None or layout.lineCount() == 0:
            return None
        from PySide6.QtCore import QPointF  # noqa: PLC0415 (not on the start path)

        origin = self.block_origin(block)
        local = QPointF(point) - origin
        line = _line_at(layout, local.y())
        boxes = self.boxes(block, line)
        if not boxes:
            return None
        x = local.x()
        inside = [b for b in boxes if b[0] <= x < b[1]]
        if inside:  # overlapping boxes (a mark over its letter, a ligature): the first in text order
            return block.position() + min(b[2] for b in inside)
        nearest = min(boxes, key=lambda b: (min(abs(x - b[0]), abs(x - b[1])), b[2]))
        return block.position() + nearest[2]

    def cluster_end(self, pos: int) -> int:
        """Qt position just after the character at ``pos`` and any that follow it with no glyph
        of their own (the alef of a lam-alef ligature is drawn by the lam's glyph): where a
        selection ending on that glyph must end."""
        block = self.view.document().findBlock(pos)
        layout = block.layout()
        if layout is None:
            return pos + 1
        local = pos - block.position()
        stop = max(local + 1, block.length() - 1)
        end = local + 1
        while end < stop and glyph_rect(layout, end).width() <= 0:
            end += 1
        return block.position() + end

    def boxes(self, block: QTextBlock, line: QTextLine) -> list[Box]:
        """Visible character boxes of ``line`` (zero-width ones, e.g. bidi marks, left out)."""
        key = (block.blockNumber(), line.lineNumber(), block.revision(), self.view.viewport().width(),
               self.view.font().pointSizeF())
        found = self._cache.get(key)
        if found is None:
            found = list(_line_boxes(block.layout(), line))
            self._cache[key] = found
        return found

    def block_origin(self, block: QTextBlock) -> QPointF:
        """Where ``block``'s layout coordinates start, in viewport pixels."""
        geometry = self.view.blockBoundingGeometry(block).translated(self.view.contentOffset())
        return geometry.topLeft() + block.layout().position()


def glyph_rect(layout: QTextLayout, pos: int) -> QRectF:
    """The box of the glyphs drawn for the character at block position ``pos`` (layout
    coordinates); empty for a character drawn with no glyph."""
    from PySide6.QtCore import QRectF  # noqa: PLC0415 (not on the start path)

    rect = QRectF()
    for run in layout.glyphRuns(pos, 1):
        rect = rect.united(run.boundingRect())
    return rect


def _line_boxes(layout: QTextLayout, line: QTextLine):  # noqa: ANN202 (generator of Box)
    for pos in range(line.textStart(), line.textStart() + line.textLength()):
        rect = glyph_rect(layout, pos)
        if rect.width() > 0:
            yield (rect.left(), rect.right(), pos)


def _line_at(layout: QTextLayout, y: float) -> QTextLine:
    """The line of ``layout`` at height ``y`` (layout coordinates); the first/last beyond them."""
    for n in range(layout.lineCount()):
        line = layout.lineAt(n)
        if y < line.y() + line.height():
            return line
    return layout.lineAt(layout.lineCount() - 1)
