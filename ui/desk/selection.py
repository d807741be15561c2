"""Mouse and keyboard selection in the article view: the highlight is what a label key stores.

Mouse: a press and a release are resolved to the GLYPHS under the pointer (:mod:`ui.desk.glyphs`),
not to Qt's cursor positions, and the selection runs in logical order from the character under
the press to the one under the release; snapped (the default) it grows to the words they touch,
with Alt held it keeps the exact characters (:mod:`annotator.text.snap`). The Qt selection is set
to that one logical range while the hand moves, so Qt draws it in every visual piece it has and
the annotator sees, before any key, exactly what will be stored. A double click selects a word;
Shift+click moves the selection's near end to the clicked glyph.

Keyboard (reading direction: in Arabic text ← goes forward):
``Ctrl+←/→`` select the next / previous word (punctuation skipped); ``Ctrl+Shift+←/→`` grow /
shrink the selection at its end, ``Alt+←/→`` move its start; ``-`` strips the next proclitic
(و ف ب ل ك ال) from the selection or the selected span, and gives it back after the last one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

if TYPE_CHECKING:  # annotations only: each PySide6 class costs ~1 ms to load at desk start
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QKeyEvent, QMouseEvent

    from ui.desk.document_view import DocumentView

Range = tuple[int, int]
CLITIC_KEY = Qt.Key.Key_Minus
JITTER = 2  # px a click may tremble and stay a click
_ARROWS = (Qt.Key.Key_Left, Qt.Key.Key_Right)


class Selector:
    """The view's selection state: what the hand chose (``raw``) and what is shown (``shown``)."""

    def __init__(self, view: DocumentView) -> None:
        self.view = view
        self.snap = True
        self.raw: Range | None = None  # characters under the hand: Alt+label stores these
        self.shown: Range | None = None  # the selection as shown: a label key stores these
        self._press: tuple[int, QPoint] | None = None
        self._moved = False

    def forget(self) -> None:
        self.raw = self.shown = None
        self._press = None

    # -- what a label key stores ------------------------------------------------------------------
    def to_store(self, exact: bool) -> Range | None:
        """The range a label key stores: the shown selection, or with Alt (or snapping off) the
        exact characters under the hand; None when nothing is selected."""
        from annotator.text.snap import exact_range, snap_to_tokens  # noqa: PLC0415 (see view)

        current = self.view.selected_range()
        if current is None:
            return None
        text = self.view.qt_text.stored
        if current != self.shown:  # a selection made another way (Qt keys, code): judge it now
            self.raw = self.shown = current
            return exact_range(text, *current) if exact or not self.snap else snap_to_tokens(text, *current)
        if exact or not self.snap:
            return exact_range(text, *(self.raw or current))
        return current

    def show(self, raw: Range, *, exact: bool, backwards: bool = False) -> Range | None:
        """Select ``raw`` (snapped unless ``exact``) in the view; returns what is shown."""
        from annotator.text.snap import exact_range, snap_to_tokens  # noqa: PLC0415

        text = self.view.qt_text.stored
        shown = exact_range(text, *raw) if exact or not self.snap else snap_to_tokens(text, *raw)
        self.raw, self.shown = raw, shown
        view = self.view
        if shown is None:
            view.setTextCursor(view.qt_text.place(view.textCursor(), raw[0]))
        else:
            start, end = shown
            view.setTextCursor(view.qt_text.select(view.textCursor(), *((end, start) if backwards else shown)))
        return shown

    # -- mouse -----------------------------------------------------------------------------------
    def char_at(self, point: QPoint) -> int | None:
        """Code point of the character whose glyph is under viewport ``point``."""
        pos = self.view.glyphs.char_at(point)
        return None if pos is None else self.view.qt_text.to_cp(pos)

    def press(self, event: QMouseEvent) -> bool:
        if event.button() != Qt.MouseButton.LeftButton:
            return False
        cp = self.char_at(event.position().toPoint())
        if cp is None:
            return False
        self.view.setFocus(Qt.FocusReason.MouseFocusReason)
        current = self.raw or self.view.selected_range()
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier and current is not None:
            # Shift+click extends: the far end of the selection stays, the click moves the other.
            anchor = current[0] if cp >= current[0] else current[1] - 1
            self._press, self._moved = (anchor, event.position().toPoint()), True
            self._drag_to(event.position().toPoint(), event.modifiers())
            return True
        self._press, self._moved = (cp, event.position().toPoint()), False
        self.raw = self.shown = None
        self.view.setTextCursor(self.view.qt_text.place(self.view.textCursor(), cp))
        return True

    def move(self, event: QMouseEvent) -> bool:
        if self._press is None:
            return False
        point = event.position().toPoint()
        if self._dragging(point):
            self._drag_to(point, event.modifiers())
        return True

    def release(self, event: QMouseEvent) -> int | None:
        """End a press: the clicked code point for a click, else None (a drag was selected)."""
        if self._press is None or event.button() != Qt.MouseButton.LeftButton:
            return None
        point = event.position().toPoint()
        if self._dragging(point):
            self._drag_to(point, event.modifiers())
            self._press = None
            return None
        cp, self._press = self._press[0], None
        return cp

    def _dragging(self, point: QPoint) -> bool:
        """A press becomes a drag once the pointer reaches another glyph or moves the platform's
        drag distance: two adjacent glyphs can be closer than that (a 3 px quote beside a Latin
        run in Arabic text), and the hand means them. A click's 1 px tremble stays a click."""
        if not self._moved and self._press is not None:
            from PySide6.QtWidgets import QApplication  # noqa: PLC0415 (not on the start path)

            moved = (point - self._press[1]).manhattanLength()
            self._moved = moved >= QApplication.startDragDistance() or (
                moved >= JITTER and self.char_at(point) != self._press[0])
        return self._moved

    def double_click(self, event: QMouseEvent) -> bool:
        cp = self.char_at(event.position().toPoint()) if event.button() == Qt.MouseButton.LeftButton else None
        if cp is None:
            return False
        self._press = None
        self.show((cp, self._char_end(cp)), exact=False)
        return True

    def _drag_to(self, point: QPoint, modifiers: Qt.KeyboardModifier) -> None:
        here = self.char_at(point)
        if here is None or self._press is None:
            return
        first = self._press[0]
        lo, hi = min(first, here), max(first, here)
        exact = bool(modifiers & Qt.KeyboardModifier.AltModifier)
        self.show((lo, self._char_end(hi)), exact=exact, backwards=here < first)

    def _char_end(self, cp: int) -> int:
        """Code point after the glyph of ``cp`` (a ligature's other characters included)."""
        qt_text = self.view.qt_text
        end = qt_text.to_cp(self.view.glyphs.cluster_end(qt_text.to_qt(cp)), round_up=True)
        return min(max(end, cp + 1), len(qt_text.stored))

    # -- keys ------------------------------------------------------------------------------------
    def key(self, event: QKeyEvent) -> bool:
        """Handle a selection key; False when the key is not one of them."""
        key, mods = event.key(), event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        ctrl, shift, alt = (Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier,
                            Qt.KeyboardModifier.AltModifier)
        if key == Qt.Key.Key_Alt and self.raw is not None and self.shown is not None:
            self.show(self.raw, exact=True)  # holding Alt shows what Alt+label would store
            return False
        if key == CLITIC_KEY and mods == Qt.KeyboardModifier.NoModifier:
            return self.cycle_clitic()
        if key not in _ARROWS:
            return False
        forward = (key == Qt.Key.Key_Left) == self._rtl()
        if mods == ctrl:
            self.step_word(forward)
        elif mods == ctrl | shift:
            self.move_edge("end", forward)
        elif mods == alt:
            self.move_edge("start", forward)
        else:
            return False
        return True

    def key_release(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Alt and self.raw is not None and self.shown is not None:
            self.show(self.raw, exact=False)

    def _rtl(self) -> bool:
        return self.view.document().defaultTextOption().textDirection() == Qt.LayoutDirection.RightToLeft

    def _anchor(self) -> Range:
        current = self.view.selected_range()
        if current is not None:
            return current
        cp = self.view.cursor_code_point()
        return cp, cp

    def step_word(self, forward: bool) -> Range | None:
        """Select the next (previous) word after (before) the selection or the cursor."""
        from annotator.text.snap import next_word, previous_word  # noqa: PLC0415

        start, end = self._anchor()
        text = self.view.qt_text.stored
        word = next_word(text, end) if forward else previous_word(text, start)
        if word is None:
            return None
        self.view.deselect_span()
        return self.show(word, exact=True)

    def move_edge(self, edge: str, forward: bool) -> Range | None:
        """Move the selection's ``edge`` ("start"/"end") by one word; no selection: select a word."""
        from annotator.text.snap import move_edge  # noqa: PLC0415

        current = self.view.selected_range()
        if current is None:
            return self.step_word(forward)
        moved = move_edge(self.view.qt_text.stored, *current, edge, 1 if forward else -1)
        return self.show(moved, exact=True)

    def cycle_clitic(self) -> bool:
        """Strip the next proclitic from the selected span (or the selection), or give it back."""
        from annotator.text.clitics import cycle_clitic  # noqa: PLC0415
        from annotator.text.snap import tokens_near  # noqa: PLC0415

        span = self.view.selected_span
        current = (span.start, span.end) if span is not None else self.view.selected_range()
        if current is None:
            return False
        text = self.view.qt_text.stored
        start, end = current
        token = next((t for t in tokens_near(text, start, end) if t.start <= start < t.end), None)
        if token is None:
            return False
        new_start = token.start + cycle_clitic(token.text, start - token.start)
        if new_start >= end or new_start == start:
            return True
        if span is not None:
            self.view.spanResizeRequested.emit(span, new_start, end)
        else:
            self.show((new_start, end), exact=True)
        return True
