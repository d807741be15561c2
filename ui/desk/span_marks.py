"""Label chips over spans and dashed boxes around suggestions, painted on the article view.

Why painted over the viewport rather than as character formats: a format can colour or
underline glyphs but cannot write a word (the label's name) beside them without changing the
text, and the stored text never changes. So the highlighter keeps painting backgrounds and
:class:`SpanMarks` paints, after the text, a small chip in the label's colour at the start of
each span (at the right edge in right-to-left text) and a dashed box in the label's colour
around each pending suggestion, one box per visual piece (a span crossing a left-to-right
run inside Arabic text can be two pieces on one line).

Geometry comes from the text layout itself: the glyph runs Qt shaped for a span's characters
(``QTextLine.glyphRuns``), so a chip sits on the glyphs, not on a cursor position that Qt may
resolve to the other side of a bidi boundary. Only the blocks in
view are measured, so the cost of a repaint does not grow with the article.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen, QTextLine

from annotator.model import Span
from ui.desk.span_layout import SpanLayout, span_identity

if TYPE_CHECKING:
    from PySide6.QtGui import QTextBlock

    from ui.desk.document_view import DocumentView

CHIP_SCALE = 0.3  # chip text size relative to the article's line height
CHIP_MIN_PX = 10
CHIP_PAD = 3  # px around the chip's text
CHIP_FAMILIES = ["Noto Sans Arabic", "Noto Sans", "DejaVu Sans"]  # compact beside Naskh


@dataclass(frozen=True)
class Mark:
    """One thing painted: a label ``chip`` or a suggestion ``box``, in viewport coordinates."""

    kind: str
    span: Span
    rect: QRectF
    text: str = ""


def text_color(background: QColor) -> QColor:
    """Black or white, whichever reads better on ``background``."""
    luma = 0.299 * background.red() + 0.587 * background.green() + 0.114 * background.blue()
    return QColor("#000000") if luma > 140 else QColor("#ffffff")


def glyph_pieces(line: QTextLine, lo: int, hi: int) -> list[tuple[float, float]]:
    """Visual x-ranges of block-local UTF-16 ``[lo, hi)`` on ``line``, left to right.

    From the glyph runs Qt shaped for exactly those characters, so the boxes are the glyphs'
    own, whatever the bidi runs: ``cursorToX`` would not do, because at the boundary between
    a left-to-right run and the Arabic around it a position belongs to the other run (its
    "leading edge" of "C" in «نقلت CNN» is the right end of "CNN"). Touching runs are merged;
    a span drawn in two places by the bidi algorithm yields two pieces.
    """
    a, b = max(lo, line.textStart()), min(hi, line.textStart() + line.textLength())
    if a >= b:
        return []
    boxes = sorted(
        (r.boundingRect().left(), r.boundingRect().right()) for r in line.glyphRuns(a, b - a)
    )
    pieces: list[tuple[float, float]] = []
    for left, right in boxes:
        if pieces and left <= pieces[-1][1] + 0.5:
            pieces[-1] = (pieces[-1][0], max(pieces[-1][1], right))
        else:
            pieces.append((left, right))
    return pieces


def _apart(chips: list[Mark], rtl: bool) -> list[Mark]:
    """Chips moved along their line, in the reading direction, until none covers another
    (a short span's chip is wider than the span: "2016" next to "تونس")."""
    placed: list[Mark] = []
    for chip in chips:
        rect = QRectF(chip.rect)
        for _ in range(len(placed) + 1):
            hit = next((p.rect for p in placed if p.rect.intersects(rect)), None)
            if hit is None:
                break
            rect.moveLeft(hit.left() - rect.width() - 2 if rtl else hit.right() + 2)
        placed.append(Mark(chip.kind, chip.span, rect, chip.text))
    return placed


class SpanMarks:
    """The chips and boxes of one :class:`DocumentView`; ``paint`` is called after the text."""

    def __init__(self, view: DocumentView) -> None:
        self.view = view
        self.show_chips = True
        self.suggestions: SpanLayout | None = None
        self.reference: SpanLayout | None = None  # another layer shown read-only
        self._cache: dict[int, tuple[tuple[object, ...], list[Mark], list[Mark]]] = {}

    # -- what to paint ----------------------------------------------------------------------
    def set_suggestions(self, spans: Sequence[Span]) -> None:
        """Pending suggestions to box (code points of the article shown)."""
        self.suggestions = SpanLayout(self.view.qt_text, spans) if spans else None
        self.view.viewport().update()

    def set_reference(self, spans: Sequence[Span]) -> None:
        """Another layer's spans to outline (dotted) and tag under their start, read-only."""
        self.reference = SpanLayout(self.view.qt_text, spans) if spans else None
        self.view.viewport().update()

    def chip_font(self) -> QFont:
        font = QFont()
        font.setFamilies(CHIP_FAMILIES)
        font.setPixelSize(
            max(CHIP_MIN_PX, round(QFontMetricsF(self.view.font()).height() * CHIP_SCALE))
        )
        font.setBold(True)
        return font

    def caption(self, span: Span) -> str:
        try:
            return self.view.schema.label(span.label).display(self.view.language)
        except KeyError:
            return span.label

    def _visible_blocks(self) -> Iterator[tuple[QTextBlock, QPointF]]:
        view = self.view
        block = view.firstVisibleBlock()
        bottom = view.viewport().height()
        while block.isValid():
            geometry = view.blockBoundingGeometry(block).translated(view.contentOffset())
            if geometry.top() > bottom:
                return
            if block.isVisible():
                yield block, geometry.topLeft()
            block = block.next()

    def _rects(self, block: QTextBlock, origin: QPointF, lo: int, hi: int) -> list[QRectF]:
        """Viewport rectangles of block-local ``[lo, hi)``, in logical line order."""
        layout = block.layout()
        rects = []
        for n in range(layout.lineCount()):
            line = layout.lineAt(n)
            for left, right in glyph_pieces(line, lo, hi):
                rects.append(
                    QRectF(origin.x() + left, origin.y() + line.y(), right - left, line.height())
                )
        return rects

    def marks(self) -> list[Mark]:
        """Everything :meth:`paint` draws now, in viewport coordinates: boxes first, then
        chips (drawn on top, moved apart where they would cover each other)."""
        index = self.view.layout_index
        if index is None:
            return []
        rtl = (
            self.view.document().defaultTextOption().textDirection()
            == Qt.LayoutDirection.RightToLeft
        )
        boxes: list[Mark] = []
        chips: list[Mark] = []
        for block, origin in self._visible_blocks():
            local_boxes, local_chips = self._block_marks(block, index, rtl)
            boxes += [Mark(m.kind, m.span, m.rect.translated(origin), m.text) for m in local_boxes]
            for m in local_chips:
                rect = m.rect.translated(origin)
                if rect.top() < 0:  # the first line of a lane: keep the chip in view
                    rect.moveTop(0)
                chips.append(Mark(m.kind, m.span, rect, m.text))
        return boxes + _apart(chips, rtl)

    def _block_marks(
        self, block: QTextBlock, index: SpanLayout, rtl: bool
    ) -> tuple[list[Mark], list[Mark]]:
        """One block's boxes and chips relative to the block's origin, cached.

        Measuring glyph runs is the costly part of a repaint (~10 ms for a screenful of spans
        on the 5,000-span bench article); a block's marks only change with its spans, the
        suggestions or reference layer over it, its line breaks (the width) or the language.
        """
        number = block.blockNumber()
        layers = (index, self.suggestions, self.reference)
        key = (
            self.view.viewport().width(),
            block.layout().lineCount(),
            self.show_chips,
            self.view.language,
            id(self.view.schema),
            *(
                tuple(span_identity(f[2]) for f in layer.fragments(number)) if layer else ()
                for layer in layers
            ),
        )
        cached = self._cache.get(number)
        if cached is not None and cached[0] == key:
            return cached[1], cached[2]
        if len(self._cache) > 4096:
            self._cache.clear()
        boxes, chips = self._measure(block, number, index, rtl)
        self._cache[number] = (key, boxes, chips)
        return boxes, chips

    def _measure(
        self, block: QTextBlock, number: int, index: SpanLayout, rtl: bool
    ) -> tuple[list[Mark], list[Mark]]:
        origin = QPointF(0, 0)
        font = QFontMetricsF(self.chip_font())
        boxes: list[Mark] = []
        chips: list[Mark] = []
        taken: dict[tuple[int, int], float] = {}  # chips already at one anchor: stack them
        if self.suggestions is not None:
            for lo, hi, span in self.suggestions.fragments(number):
                rects = self._rects(block, origin, lo, hi)
                boxes += [Mark("box", span, r) for r in rects]
                if rects and self.view.qt_text.block_of(span.start) == number:
                    # Its label under the box, with a question mark: proposed, not stored.
                    chip = self._chip(span, rects[0], font, rtl, taken, below=True, ask=True)
                    chips.append(Mark("suggestchip", span, chip.rect, chip.text))
        if self.reference is not None:
            for lo, hi, span in self.reference.fragments(number):
                rects = self._rects(block, origin, lo, hi)
                boxes += [Mark("ref", span, r) for r in rects]
                if rects and self.view.qt_text.block_of(span.start) == number:
                    chip = self._chip(span, rects[0], font, rtl, taken, below=True)
                    chips.append(Mark("refchip", span, chip.rect, chip.text))
        if not self.show_chips:
            return boxes, chips
        for lo, hi, span in sorted(index.fragments(number), key=lambda f: (f[0], -(f[1] - f[0]))):
            if self.view.qt_text.block_of(span.start) != number:
                continue  # the span starts in an earlier block: its chip is there
            if any(c.kind == "chip" and c.span.key == span.key for c in chips):
                continue  # the same span from another layer (the review desk's overlay)
            first = self._rects(block, origin, lo, lo + 1)
            if not first:
                continue
            # The visual piece of the span that holds its first character: a chip on
            # "623 سائح" goes at the right end of the whole piece, not on the "6".
            pieces = [
                r
                for r in self._rects(block, origin, lo, hi)
                if r.top() == first[0].top() and r.intersects(first[0])
            ]
            chips.append(self._chip(span, pieces[0] if pieces else first[0], font, rtl, taken))
        return boxes, chips

    def _chip(
        self,
        span: Span,
        first: QRectF,
        font: QFontMetricsF,
        rtl: bool,
        taken: dict[tuple[int, int], float],
        *,
        below: bool = False,
        ask: bool = False,
    ) -> Mark:
        """A chip on the top edge of the span's first glyph, towards the reading direction
        (on the bottom edge when ``below``: a read-only layer's, apart from the user's own)."""
        text = self.caption(span) + (("؟" if self.view.language == "ar" else "?") if ask else "")
        ink = font.tightBoundingRect(text)
        width, height = font.horizontalAdvance(text) + 2 * CHIP_PAD, ink.height() + 2 * CHIP_PAD
        anchor = (
            round(first.right() if rtl else first.left()),
            round(first.bottom() if below else first.top()),
        )
        shift = taken.get(anchor, 0.0)
        taken[anchor] = shift + width + 2
        left = anchor[0] - shift - width if rtl else anchor[0] + shift
        # Straddles the line's top edge: the top of a Naskh line is mostly air (room for
        # marks), so the chip hides as little of the text as it can.
        top = first.bottom() - height * 0.55 if below else first.top() - height * 0.45
        return Mark("chip", span, QRectF(left, top, width, height), text)

    # -- painting -----------------------------------------------------------------------------
    def paint(self) -> None:
        marks = self.marks()
        if not marks:
            return
        painter = QPainter(self.view.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(self.chip_font())
        metrics = QFontMetricsF(painter.font())
        for mark in marks:
            color = self.view.label_color(mark.span.label)
            if mark.kind in ("box", "ref"):
                style = Qt.PenStyle.DashLine if mark.kind == "box" else Qt.PenStyle.DotLine
                painter.setPen(QPen(color.darker(140), 2 if mark.kind == "box" else 1.5, style))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRoundedRect(mark.rect.adjusted(1, 1, -1, -1), 3, 3)
            elif mark.kind in ("refchip", "suggestchip"):  # outlined: not the user's own span
                painter.setPen(QPen(color.darker(150), 1))
                painter.setBrush(QColor("white"))
                painter.drawRoundedRect(mark.rect, 3, 3)
                painter.setPen(color.darker(180))
                ink = metrics.tightBoundingRect(mark.text)
                painter.drawText(
                    QPointF(
                        mark.rect.left() + CHIP_PAD, mark.rect.bottom() - CHIP_PAD - ink.bottom()
                    ),
                    mark.text,
                )
            else:
                fill = color.darker(125)
                painter.setPen(QPen(fill.darker(130), 1))
                painter.setBrush(fill)
                painter.drawRoundedRect(mark.rect, 3, 3)
                painter.setPen(text_color(fill))
                ink = metrics.tightBoundingRect(mark.text)
                baseline = mark.rect.bottom() - CHIP_PAD - ink.bottom()
                painter.drawText(QPointF(mark.rect.left() + CHIP_PAD, baseline), mark.text)
        painter.end()
