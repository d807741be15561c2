"""Driving the real document view with the mouse and keys, in stored code points.

Two ways to point: :func:`point_for` finds a pixel Qt maps to a cursor POSITION (good for
placing the cursor and for tooltips), but proves only that such a pixel exists; a hand presses
ON a glyph, so :func:`glyph_point` / :func:`drag_glyphs` press inside the box of the glyph Qt
drew for a character (from the text layout and the font), e.g. 1.5 px inside its outer edge.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QTextCursor

from ui.desk.document_view import DocumentView


def point_for(view: DocumentView, cp: int) -> QPoint:
    """A viewport pixel where a click puts the cursor exactly at code point ``cp``.

    The centre of ``cursorRect`` is one position off at glyph edges in shaped Arabic
    (QT_NOTES), so scan along the line and ask Qt itself with ``cursorForPosition``.
    """
    target = view.qt_text.to_qt(cp)
    cursor = QTextCursor(view.document())
    cursor.setPosition(target)
    rect = view.cursorRect(cursor)
    y = rect.center().y()
    for dx in sorted(range(-12, 13), key=abs):
        point = QPoint(rect.center().x() + dx, y)
        if view.cursorForPosition(point).position() == target:
            return point
    raise AssertionError(f"no pixel puts the cursor at code point {cp} (Qt {target})")


def glyph_box(view: DocumentView, cp: int) -> QRectF:
    """Viewport box of the glyphs Qt drew for the character at code point ``cp``, as the text
    layout reports them (``QTextLayout.glyphRuns``): what the eye sees of that character. A
    character drawn by the glyph of the one before it (the alef of a lam-alef ligature) gets
    that glyph's box."""
    pos = view.qt_text.to_qt(cp)
    block = view.document().findBlock(pos)
    layout = block.layout()
    local = pos - block.position()
    rect = QRectF()
    while rect.width() <= 0 and local >= 0:
        for run in layout.glyphRuns(local, 1):
            rect = rect.united(run.boundingRect())
        local -= 1
    assert rect.width() > 0, f"no glyph drawn for code point {cp} ({view.qt_text.stored[cp]!r})"
    local += 1
    line = layout.lineForTextPosition(local)
    origin = view.blockBoundingGeometry(block).translated(view.contentOffset()).topLeft()
    origin += layout.position()
    return QRectF(rect.left(), line.y(), rect.width(), line.height()).translated(origin)


def glyph_point(view: DocumentView, cp: int, side: str = "centre", inset: float = 1.5) -> QPoint:
    """A pixel ``inset`` px inside the ``"left"`` or ``"right"`` edge of character ``cp``'s glyph
    (or its centre), at the middle of its line."""
    box = glyph_box(view, cp)
    x = {"left": box.left() + inset, "right": box.right() - inset, "centre": box.center().x()}[side]
    return QPointF(x, box.center().y()).toPoint()


def outer_sides(view: DocumentView, first: int, last: int) -> tuple[str, str]:
    """The outer edges of a run from glyph ``first`` to glyph ``last``: which side of each lies
    outside, as the eye sees them (``("left", "right")`` for a left-to-right run)."""
    a, b = glyph_box(view, first), glyph_box(view, last)
    return ("left", "right") if a.center().x() <= b.center().x() else ("right", "left")


def drag_points(qtbot, view: DocumentView, p1: QPoint, p2: QPoint, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """A real mouse drag on the viewport: press at ``p1``, move through the middle, release at ``p2``."""
    viewport = view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, modifier, pos=p1)
    qtbot.mouseMove(viewport, pos=QPoint((p1.x() + p2.x()) // 2, (p1.y() + p2.y()) // 2))
    qtbot.mouseMove(viewport, pos=p2)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, modifier, pos=p2)


def drag_glyphs(qtbot, view: DocumentView, start: int, end: int, *, backwards: bool = False,
                inset: float = 1.5, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """Drag from ``inset`` px inside the outer edge of the glyph of ``start`` to inside the outer
    edge of the glyph of ``end - 1`` (or the other way with ``backwards``), as a hand would."""
    first, last = start, end - 1
    side1, side2 = outer_sides(view, first, last)
    p1, p2 = glyph_point(view, first, side1, inset), glyph_point(view, last, side2, inset)
    drag_points(qtbot, view, *((p2, p1) if backwards else (p1, p2)), modifier)


def drag_select(qtbot, view: DocumentView, start: int, end: int) -> None:
    """Select the characters ``[start, end)`` by a real mouse drag from the middle of the first
    glyph to the middle of the last one (``end < start``: the same, dragged the other way)."""
    viewport = view.viewport()
    if end < start:
        p1, p2 = glyph_point(view, start - 1), glyph_point(view, end)
    else:
        p1, p2 = glyph_point(view, start), glyph_point(view, end - 1)
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=p1)
    qtbot.mouseMove(viewport, pos=QPoint((p1.x() + p2.x()) // 2, (p1.y() + p2.y()) // 2))
    qtbot.mouseMove(viewport, pos=p2)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=p2)


def click_at(qtbot, view: DocumentView, cp: int) -> None:
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point_for(view, cp))


def open_doc(window, doc_id: str) -> int:
    """Open an article by its doc id through the queue's own signal; returns its id."""
    article_id = window.project.store.article_id_by_doc_id(doc_id)
    window.queue.articleActivated.emit(article_id)
    assert window.controller.article_id == article_id
    return article_id


def press(qtbot, widget, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(widget, key, modifier)


def suggestion_desk(qtbot, path, article: str):
    """The real desk window on ``article`` of project ``path``, its suggestions installed (as
    after the first paint), shown offscreen; the caller closes it."""
    from tests.ui.conftest import USER  # noqa: PLC0415
    from ui.app import build_window  # noqa: PLC0415
    from ui.desk.suggestions import install  # noqa: PLC0415

    window = build_window(path, USER, article=article)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    install(window)
    return window
