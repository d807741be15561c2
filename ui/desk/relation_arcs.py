"""Relations and event arguments drawn as labelled arcs between the spans' glyphs.

Why arcs painted over the viewport (like the label chips of :mod:`ui.desk.span_marks`): a
link joins two places of the text that a character format cannot join. Each end sits ON a
glyph of its span: the layout's glyph runs give the box of every character of the span's
first line (``glyph_rect``), and the end is the top of the box nearest the middle of the
span's piece. Cursor positions would not do: where a Latin run or digits meet the Arabic
around them one position is the edge of two runs (QT_NOTES), and the arc would end on the
neighbouring word.

An arc rises above the line from head to tail (an arrowhead at the tail), its height growing
with the distance; between lines it leaves the head upwards and comes down onto the tail, so
it reads across a line break. The label (the type's display name, in the interface
language) sits in a white box at the arc's middle. Another layer's links (read-only) are
dashed in that layer's colour. Only links with an end in view are measured.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QPolygonF,
)

from annotator.model import Event, Relation, Span
from ui.desk.glyphs import glyph_rect

if TYPE_CHECKING:
    from ui.desk.document_view import DocumentView

ARC_COLORS = ("#1d3557", "#7b2cbf", "#2a9d8f", "#b5179e", "#e76f51", "#386641")
SELECTED = QColor("#d00000")
HIT_PX = 5  # how near the pointer must come to an arc's stroke to hover or click it
LIFT_MIN, LIFT_MAX = 12.0, 30.0  # px an arc rises above its ends (less than a line)
TOP_ROOM = 30  # px of document margin over the first line while an article has links


@dataclass(frozen=True)
class Link:
    """What an arc stands for: a relation, or one argument of an event (``role``)."""

    kind: str  # "relation" | "argument" | "preview"
    name: str  # relation type or role
    head: Span  # head, or trigger
    tail: Span  # tail, or the argument's span
    relation: Relation | None = None
    event: Event | None = None
    layer: str = ""  # another layer's (read-only) when set

    @property
    def ident(self) -> tuple[object, ...]:
        return (self.kind, self.name, self.head.id, self.head.key, self.tail.id, self.tail.key,
                self.layer, self.event.id if self.event else None)


def links_of(relations: Sequence[Relation], events: Sequence[Event], layer: str = "") -> list[Link]:
    out = [Link("relation", r.type, r.head, r.tail, relation=r, layer=layer) for r in relations]
    for event in events:
        out += [Link("argument", a.role, event.trigger, a.span, event=event, layer=layer)
                for a in event.arguments]
    return out


@dataclass
class Arc:
    """One drawn link, in viewport coordinates."""

    link: Link
    head: QPointF
    tail: QPointF
    path: QPainterPath
    label: QRectF
    text: str
    color: QColor = field(default_factory=lambda: QColor(ARC_COLORS[0]))


def layer_color(layer: str) -> QColor:
    """A steady colour per layer name (the same layer looks the same in every article)."""
    return QColor.fromHsv(zlib.crc32(layer.encode()) % 360, 170, 150)


def _free_place(label: QRectF, taken: list[QRectF], reach: float) -> QRectF:
    """``label`` moved along its arc (up to ``reach`` px either way), or else up over the
    others, until it covers no label already placed: every type's name stays readable."""
    step = label.width() + 2
    offsets = [0.0] + [sign * k * step for k in range(1, int(reach // step) + 1) for sign in (1, -1)]
    for dx in offsets:
        moved = label.translated(dx, 0)
        if not any(r.intersects(moved) for r in taken):
            return moved
    start = QRectF(label)
    for up in (True, False):  # stacked over the others; below them when that leaves the view
        label = QRectF(start)
        for _ in range(len(taken) + 1):
            hit = next((r for r in taken if r.intersects(label)), None)
            if hit is None:
                break
            if up:
                label.moveBottom(hit.top() - 1)
            else:
                label.moveTop(hit.bottom() + 1)
        if label.top() >= 0:
            break
    return label


class RelationArcs:
    """The arcs of one :class:`DocumentView`; ``paint`` runs after the text and the chips."""

    def __init__(self, view: DocumentView) -> None:
        self.view = view
        self.visible = True
        self.own: list[Link] = []
        self.reference: list[Link] = []
        self.selected: Link | None = None
        self.preview: Link | None = None  # link mode: from the source to the current candidate
        self.rubber: tuple[QPointF, QPointF] | None = None  # a drag from span to span
        self._arcs: tuple[tuple[object, ...], list[Arc]] | None = None  # arcs(): the last measured

    # -- what to draw ----------------------------------------------------------------------
    def set_links(self, relations: Sequence[Relation], events: Sequence[Event]) -> None:
        self.own = links_of(relations, events)
        if self.selected is not None and all(k.ident != self.selected.ident for k in self.own):
            self.selected = None
        self.view.viewport().update()

    def set_reference(self, layer: str | None, relations: Sequence[Relation] = (),
                      events: Sequence[Event] = ()) -> None:
        self.reference = links_of(relations, events, layer) if layer else []
        self.view.viewport().update()

    def caption(self, link: Link) -> str:
        schema, language = self.view.schema, self.view.language
        try:
            if link.kind == "argument" and link.event is not None:
                return schema.event_type(link.event.type).role(link.name).display(language)
            return schema.relation_type(link.name).display(language)
        except KeyError:
            return link.name

    def color(self, link: Link) -> QColor:
        if link.layer:
            return layer_color(link.layer)
        names = [k.name for k in self.view.schema.relation_types]
        index = names.index(link.name) if link.name in names else len(names) + zlib.crc32(link.name.encode())
        return QColor(ARC_COLORS[index % len(ARC_COLORS)])

    # -- geometry ------------------------------------------------------------------------------
    def anchor(self, span: Span) -> QPointF | None:
        """A point on the top of one of ``span``'s glyphs (the one nearest the middle of its
        first line's piece), in viewport coordinates; None when the span is out of view."""
        view, qt = self.view, self.view.qt_text
        start, end = qt.to_qt(span.start), qt.to_qt(span.end)
        block = view.document().findBlock(start)
        if not block.isValid():
            return None
        # Asked first: it lays the block out if a new width or margin left it without lines.
        geometry = view.blockBoundingGeometry(block).translated(view.contentOffset())
        layout = block.layout()
        if layout is None or layout.lineCount() == 0:
            return None
        if geometry.bottom() < 0 or geometry.top() > view.viewport().height():
            return None
        origin = geometry.topLeft() + layout.position()
        local = start - block.position()
        line = layout.lineForTextPosition(local)
        stop = min(end - block.position(), line.textStart() + line.textLength())
        boxes = [r for r in (glyph_rect(layout, p) for p in range(local, max(stop, local + 1)))
                 if r.width() > 0]
        if not boxes:
            return None
        middle = (min(b.left() for b in boxes) + max(b.right() for b in boxes)) / 2
        box = min(boxes, key=lambda b: abs(b.center().x() - middle))
        return QPointF(origin.x() + box.center().x(), origin.y() + line.y() + 2)

    def _off_view(self, span: Span) -> QPointF:
        """Where an arc to a span out of view leaves the viewport (above or below)."""
        first = self.view.firstVisibleBlock().position()
        above = self.view.qt_text.to_qt(span.start) < first
        return QPointF(self.view.viewport().width() / 2, -4.0 if above else self.view.viewport().height() + 4.0)

    def arcs(self) -> list[Arc]:
        """Every arc to draw now (reference first, then own, then the preview).

        Kept until the links, the scroll position, the size, the margin or the language
        change: the viewport repaints for every blink of the cursor, and measuring the
        glyphs of every linked span each time would be ~1 ms per arc for nothing.
        """
        if not self.view.qt_text.stored:
            return []
        links = [*self.reference, *self.own] if self.visible else []
        if self.preview is not None:
            links.append(self.preview)
        view = self.view
        key = (tuple(link.ident for link in links), view.verticalScrollBar().value(),
               view.viewport().width(), view.viewport().height(), view.document().documentMargin(),
               view.document().revision(), view.language, id(view.schema), id(view.qt_text))
        if self._arcs is not None and self._arcs[0] == key:
            return self._arcs[1]
        arcs = self._measure(links)
        self._arcs = (key, arcs)
        return arcs

    def _measure(self, links: list[Link]) -> list[Arc]:
        metrics = QFontMetricsF(self.view.marks.chip_font())
        anchors: dict[object, QPointF | None] = {}
        out: list[Arc] = []
        labels: list[QRectF] = []
        for link in links:
            ends = []
            for span in (link.head, link.tail):
                ident = (span.id, span.key)
                if ident not in anchors:
                    anchors[ident] = self.anchor(span)
                ends.append(anchors[ident])
            if ends[0] is None and ends[1] is None:
                continue
            head = ends[0] if ends[0] is not None else self._off_view(link.head)
            tail = ends[1] if ends[1] is not None else self._off_view(link.tail)
            out.append(self._arc(link, head, tail, metrics, labels))
        return out

    def _arc(self, link: Link, head: QPointF, tail: QPointF, metrics: QFontMetricsF,
             labels: list[QRectF]) -> Arc:
        lift = min(LIFT_MAX, max(LIFT_MIN, abs(head.x() - tail.x()) * 0.2))
        top = min(head.y(), tail.y()) - lift
        path = QPainterPath(head)
        path.cubicTo(QPointF(head.x(), top), QPointF(tail.x(), top), tail)
        text = self.caption(link)
        width, height = metrics.horizontalAdvance(text) + 6, metrics.height() + 2
        # A relation's name at its middle; a role's near its filler: an event's arguments all
        # leave one trigger, and their names would pile up over it.
        middle = path.pointAtPercent(0.5 if link.kind == "relation" else 0.8)
        label = _free_place(QRectF(middle.x() - width / 2, max(0.0, middle.y() - height / 2), width, height),
                            labels, abs(head.x() - tail.x()) / 2)
        labels.append(label)
        return Arc(link, head, tail, path, label, text, self.color(link))

    # -- the pointer -------------------------------------------------------------------------
    def arc_at(self, point: QPointF) -> Arc | None:
        """The arc under viewport ``point``: its label, or within HIT_PX of its stroke where
        no span is under the pointer (an arc crossing a line must not steal a span's click)."""
        arcs = [a for a in self.arcs() if a.link.kind != "preview"]
        for arc in reversed(arcs):  # the one drawn last is on top
            if arc.label.contains(point):
                return arc
        if not arcs or self._on_span(point):
            return None
        stroker = QPainterPathStroker()
        stroker.setWidth(2 * HIT_PX)
        return next((a for a in reversed(arcs) if stroker.createStroke(a.path).contains(point)), None)

    def _on_span(self, point: QPointF) -> bool:
        pos = self.view.glyphs.char_at(point.toPoint())
        if pos is None:
            return False
        block = self.view.document().findBlock(pos)
        box = glyph_rect(block.layout(), pos - block.position()).translated(self.view.glyphs.block_origin(block))
        line = block.layout().lineForTextPosition(pos - block.position())
        top = self.view.glyphs.block_origin(block).y() + line.y()
        inside = box.left() <= point.x() <= box.right() and top <= point.y() <= top + line.height()
        return inside and bool(self.view.spans_at(self.view.qt_text.to_cp(pos)))

    def tooltip(self, arc: Arc) -> str:
        """«قصف» —located in→ «حقل العمر» (and whose, for another layer's link)."""
        from ui import i18n  # noqa: PLC0415

        language = self.view.language
        text = i18n.tr("link_tooltip", language, kind=arc.text, head=arc.link.head.text, tail=arc.link.tail.text)
        if arc.link.layer:
            text += "\n" + i18n.tr("link_tooltip_layer", language, layer=arc.link.layer)
        return text

    # -- painting ------------------------------------------------------------------------------
    def paint_now(self) -> None:
        """Paint on the view's viewport (called from its paintEvent, after the text)."""
        if not (self.own or self.reference or self.preview or self.rubber):
            return
        painter = QPainter(self.view.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(self.view.marks.chip_font())
        self.paint(painter)
        painter.end()

    def paint(self, painter: QPainter) -> None:
        """Every arc, then every label over them: no line crosses a type's name."""
        arcs = [(arc, self.selected is not None and arc.link.ident == self.selected.ident)
                for arc in self.arcs()]
        for arc, chosen in arcs:
            color = SELECTED if chosen else arc.color
            style = Qt.PenStyle.DashLine if arc.link.layer or arc.link.kind == "preview" else Qt.PenStyle.SolidLine
            painter.setPen(QPen(color, 3 if chosen else 1.6, style))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(arc.path)
            self._arrowhead(painter, arc, color)
        for arc, chosen in arcs:
            color = SELECTED if chosen else arc.color
            painter.setPen(QPen(color, 2 if chosen else 1))
            painter.setBrush(QColor("#fff4f4") if chosen else QColor("white"))
            painter.drawRoundedRect(arc.label, 3, 3)
            painter.setPen(color.darker(130))
            painter.drawText(arc.label, Qt.AlignmentFlag.AlignCenter, arc.text)
        if self.rubber is not None:
            painter.setPen(QPen(QColor("#555555"), 1.5, Qt.PenStyle.DashLine))
            painter.drawLine(*self.rubber)

    @staticmethod
    def _arrowhead(painter: QPainter, arc: Arc, color: QColor) -> None:
        angle = arc.path.angleAtPercent(0.98)
        tip = arc.tail
        painter.save()
        painter.translate(tip)
        painter.rotate(-angle)
        painter.setBrush(color)
        painter.setPen(QPen(color, 1))
        painter.drawPolygon(QPolygonF([QPointF(-7, -3.5), QPointF(0, 0), QPointF(-7, 3.5)]))
        painter.restore()
