"""Driving the real document view with the mouse and keys, in stored code points."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor

from ui.document_view import DocumentView


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


def drag_select(qtbot, view: DocumentView, start: int, end: int) -> None:
    """Select ``[start, end)`` by a real mouse drag on the viewport (press, move, release)."""
    viewport = view.viewport()
    p1, p2 = point_for(view, start), point_for(view, end)
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
