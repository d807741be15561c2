"""Hovering an arc: the arc drawn bold and the two spans it joins lit in its colour.

Why more than the tooltip: with several arcs crossing one line, which two words an arc joins
is what the eye must find before it clicks, and a tooltip comes late (after a pause) and names
the words without showing them. Watching the viewport's mouse moves from an event filter
keeps :class:`ui.desk.document_view.DocumentView` unaware of it; the highlight is painted by
:class:`ui.desk.relation_arcs.RelationArcs` before the arcs, so the text stays readable.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QRectF, Qt
from PySide6.QtGui import QColor, QMouseEvent, QPainter

from ui.desk.glyphs import glyph_rect

if TYPE_CHECKING:
    from annotator.model import Span
    from ui.desk.relation_arcs import Link, RelationArcs

LIT_ALPHA = 70  # of 255: the spans' light, over their own colours


class ArcHover(QObject):
    """Tracks which arc is under the pointer (``hovered``) and paints its spans lit."""

    def __init__(self, arcs: RelationArcs) -> None:
        super().__init__(arcs.view)
        self.arcs = arcs
        self.hovered: Link | None = None
        viewport = arcs.view.viewport()
        viewport.setMouseTracking(True)  # moves without a button pressed
        viewport.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.MouseMove:
            move = event if isinstance(event, QMouseEvent) else None
            if move is not None and move.buttons() == Qt.MouseButton.NoButton:
                arc = self.arcs.arc_at(move.position())
                self.set(arc.link if arc is not None else None)
        elif event.type() == QEvent.Type.Leave:
            self.set(None)
        return False  # the view still sees every event

    def set(self, link: Link | None) -> None:
        same = (link is None and self.hovered is None) or (
            link is not None and self.hovered is not None and link.ident == self.hovered.ident)
        if not same:
            self.hovered = link
            self.arcs.view.viewport().update()

    def is_hovered(self, link: Link) -> bool:
        return self.hovered is not None and self.hovered.ident == link.ident

    def paint(self, painter: QPainter, color: QColor) -> None:
        """Light the hovered link's two spans (their glyphs in view, each line's height)."""
        if self.hovered is None:
            return
        light = QColor(color)
        light.setAlpha(LIT_ALPHA)
        painter.save()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(light)
        for span in (self.hovered.head, self.hovered.tail):
            for rect in self._boxes(span):
                painter.drawRect(rect)
        painter.restore()

    def _boxes(self, span: Span) -> list[QRectF]:
        view = self.arcs.view
        qt, height = view.qt_text, view.viewport().height()
        out = []
        for pos in range(qt.to_qt(span.start), qt.to_qt(span.end)):
            block = view.document().findBlock(pos)
            layout = block.layout()
            if layout is None or layout.lineCount() == 0:
                continue
            local = pos - block.position()
            box = glyph_rect(layout, local)
            line = layout.lineForTextPosition(local)
            if box.width() <= 0 or not line.isValid():
                continue
            rect = QRectF(box.left(), line.y(), box.width(), line.height())
            rect.translate(view.glyphs.block_origin(block))
            if rect.bottom() >= 0 and rect.top() <= height:
                out.append(rect)
        return out
