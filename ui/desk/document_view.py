"""The article view (objectName ``documentView``): read-only RTL text with spans as colours.

Why a ``QPlainTextEdit`` with a per-block ``QSyntaxHighlighter`` (QT_NOTES, measured here):
on a 200,000-character article with 5,000 spans it highlights everything in ~14 ms and a change
to one span re-highlights only that span's blocks, while ``ExtraSelections`` are re-processed
on every repaint (the highlighter: ui/desk/highlighter.py). The only ExtraSelections used are
the selected span and link mode's candidate.

The text is given to Qt as stored (never reshaped, never ``get_display``-ed): Qt shapes and
orders Arabic itself. All position arithmetic goes through :class:`ui.offsets.QtText`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QEvent, QPointF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
    QTextOption,
)
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QToolTip, QWidget

from annotator.model import Article, Schema, Span
from ui import i18n
from ui.desk.glyphs import GlyphIndex
from ui.desk.highlighter import SpanHighlighter
from ui.desk.key_chars import key_char
from ui.desk.selection import Selector
from ui.desk.span_layout import SpanLayout
from ui.fonts import document_font
from ui.offsets import QtText

if TYPE_CHECKING:  # annotations only: each PySide6 class costs ~1 ms to load at desk start
    from PySide6.QtGui import QHelpEvent, QKeyEvent, QMouseEvent, QPaintEvent

    from ui.desk.linking import Linker
    from ui.desk.relation_arcs import Link, RelationArcs
    from ui.desk.span_marks import SpanMarks

_FALLBACK_COLOR = "#cccccc"


class DocumentView(QPlainTextEdit):
    """Shows one article; emits what the user wants done, never writes to the store itself."""

    labelKeyPressed = Signal(str, bool)  # label name, exact (no snapping)
    deleteRequested = Signal()
    spanSelected = Signal(object)  # Span | None
    spanResizeRequested = Signal(object, int, int)  # span, new start, new end (the clitic key)
    linkSelected = Signal(object)  # Link | None (ui/desk/relation_arcs.py)
    firstPainted = Signal()  # once, right after the viewport's first paint (ui/desk/first_paint.py)

    def __init__(self, schema: Schema, language: str = "ar", parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("documentView")
        self.schema = schema
        self.language = language
        self.qt_text = QtText("")
        self.layout_index: SpanLayout | None = None
        self.article: Article | None = None
        self._selected: Span | None = None
        self._colors = {label.name: QColor(label.color) for label in schema.labels}
        self._painted = False
        self.glyphs = GlyphIndex(self)
        self.selector = Selector(self)  # mouse and keyboard selection (ui/desk/selection.py)
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setFont(document_font())
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setMouseTracking(True)
        self.set_text_direction(schema.language)
        self._highlighter = SpanHighlighter(self)
        self._marks: SpanMarks | None = None  # label chips, suggestion boxes (ui/desk/span_marks.py)
        self._arcs: RelationArcs | None = None  # relations drawn (ui/desk/relation_arcs.py)
        self.linker: Linker | None = None  # link mode and gestures (ui/desk/linking.py), set by the window
        self._candidate: Span | None = None  # link mode's current target

    # -- appearance ------------------------------------------------------------------------
    def set_text_direction(self, language: str) -> None:
        """Arabic articles are laid out right-to-left whatever the UI language is."""
        option = self.document().defaultTextOption()
        rtl = language == "ar"
        option.setTextDirection(Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight)
        option.setAlignment(Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft)
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.document().setDefaultTextOption(option)

    def label_color(self, name: str) -> QColor:
        return self._colors.get(name) or QColor(_FALLBACK_COLOR)

    # -- content -----------------------------------------------------------------------------
    def show_article(self, article: Article, spans: Sequence[Span]) -> None:
        """Replace the text and spans; highlighting happens once, while Qt loads the text."""
        self.article = article
        self._selected = None
        self.selector.forget()
        self.glyphs.clear()
        self.setExtraSelections([])
        self.qt_text = QtText(article.text)
        self.layout_index = SpanLayout(self.qt_text, spans)
        self.setPlainText(self.qt_text.display)

    def clear_article(self) -> None:
        self.article = None
        self.layout_index = None
        self._select(None)
        self.qt_text = QtText("")
        self.setPlainText("")

    def set_spans(self, spans: Sequence[Span]) -> None:
        """Show ``spans``; only the blocks whose spans changed are re-highlighted."""
        if self.layout_index is None:
            return
        changed = self.layout_index.replace(spans)
        document = self.document()
        for number in sorted(changed):
            self._highlighter.rehighlightBlock(document.findBlockByNumber(number))
        if self._selected is not None and self._selected not in spans:
            self._select(None)

    @property
    def spans(self) -> list[Span]:
        return self.layout_index.spans if self.layout_index else []

    # -- selection in code points ----------------------------------------------------------
    def selected_range(self) -> tuple[int, int] | None:
        """The text selection as stored code points ``[start, end)``; None when nothing is selected."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        start, end = self.qt_text.cursor_range(cursor)
        return (start, end) if end > start else None

    def select_range(self, start: int, end: int) -> None:
        self.setTextCursor(self.qt_text.select(self.textCursor(), start, end))

    def cursor_code_point(self) -> int:
        return self.qt_text.cursor_cp(self.textCursor())

    def set_cursor_code_point(self, cp: int) -> None:
        self.setTextCursor(self.qt_text.place(self.textCursor(), cp))
        self.centerCursor()

    @property
    def selected_span(self) -> Span | None:
        return self._selected

    def select_span(self, span: Span | None, *, move_cursor: bool = True, after: bool = False) -> None:
        """Select a span (the target of Delete and of a relabelling key) and show it.

        ``after`` puts the cursor after the span (just labelled: the next word is one move away).
        """
        if span is not None and move_cursor:
            self.setTextCursor(self.qt_text.place(self.textCursor(), span.end if after else span.start))
            self.ensureCursorVisible()
        self.selector.forget()
        self._select(span)

    def deselect_span(self) -> None:
        if self._selected is not None:
            self._select(None)

    def _select(self, span: Span | None) -> None:
        self._selected = span
        if span is not None and self._arcs is not None:
            self._arcs.selected = None
        self._show_selections()
        self.spanSelected.emit(span)

    def _show_selections(self) -> None:
        """The selected span (dark) and link mode's candidate (underlined) as ExtraSelections."""
        extra: list[QTextEdit.ExtraSelection] = []
        for span, candidate in ((self._selected, False), (self._candidate, True)):
            if span is None:
                continue
            sel = QTextEdit.ExtraSelection()
            sel.cursor = self.qt_text.select(QTextCursor(self.document()), span.start, span.end)
            if candidate:
                sel.format.setBackground(self.label_color(span.label).darker(125))
                sel.format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DashUnderline)
                sel.format.setUnderlineColor(QColor("#d00000"))
            else:
                sel.format.setBackground(self.label_color(span.label).darker(150))
                sel.format.setForeground(QColor("white"))
            sel.format.setProperty(QTextFormat.Property.FullWidthSelection, False)
            extra.append(sel)
        self.setExtraSelections(extra)

    @property
    def candidate(self) -> Span | None:
        """The span link mode would link to now (Tab moves it, Enter links it)."""
        return self._candidate

    def set_candidate(self, span: Span | None) -> None:
        self._candidate = span
        if span is not None:
            self.setTextCursor(self.qt_text.place(self.textCursor(), span.start))
            self.ensureCursorVisible()
            self.setTextCursor(self.qt_text.place(self.textCursor(), span.start))
        self._show_selections()
        self.viewport().update()

    def select_link(self, link: Link | None) -> None:
        """Select a drawn relation or argument (Delete removes it); the span selection goes."""
        if self._selected is not None:
            self._select(None)
        self.arcs.selected = link
        self.linkSelected.emit(link)
        self.viewport().update()

    def spans_at(self, cp: int) -> list[Span]:
        if self.layout_index is None:
            return []
        return self.layout_index.spans_at(cp)

    def cycle_span(self, forward: bool = True) -> None:
        """Select the next (previous) span after (before) the cursor: keyboard-only labelling."""
        ordered = sorted(self.spans, key=lambda s: (s.start, -s.end))
        if not ordered:
            return
        here = self._selected
        cp = self.cursor_code_point()
        if here is not None and here in ordered:
            i = ordered.index(here) + (1 if forward else -1)
        elif forward:
            i = next((k for k, s in enumerate(ordered) if s.start >= cp), 0)
        else:
            i = max((k for k, s in enumerate(ordered) if s.start < cp), default=-1)
        self.select_span(ordered[i % len(ordered)])

    # -- events ------------------------------------------------------------------------------
    # Left-button presses, drags and double clicks go to the Selector (glyph hit-testing, see
    # ui/desk/selection.py); Qt's own selection by cursor positions picks the wrong side of a bidi
    # run boundary.
    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self.linker is not None and self.linker.press(event):
            return
        if not self.selector.press(event):
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self.linker is not None and self.linker.move(event):
            return
        if not self.selector.move(event):
            super().mouseMoveEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if not self.selector.double_click(event):
            super().mouseDoubleClickEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() != Qt.MouseButton.LeftButton:
            super().mouseReleaseEvent(event)
            return
        linked = self.linker.release(event) if self.linker is not None else None
        if linked:
            return
        clicked = self.selector.char_at(event.position().toPoint()) if linked is False else self.selector.release(event)
        if clicked is None:
            return
        spans = self.spans_at(clicked)
        if not spans:
            self._select(None)
            return
        # Clicking an already selected nested span selects the next one out.
        if self._selected in spans:
            spans = spans[spans.index(self._selected) + 1 :] + spans[: spans.index(self._selected)]
        self.select_span(spans[0] if spans else self._selected, move_cursor=False)

    def event(self, event: QEvent) -> bool:  # noqa: D102
        # Qt delivers a KeyPress as a QKeyEvent; the stubs type event() with the base class.
        key = cast("QKeyEvent", event).key() if event.type() == QEvent.Type.KeyPress else None
        if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            forward = key == Qt.Key.Key_Tab
            if self.linker is None or not self.linker.tab(forward):  # link mode: next candidate
                self.cycle_span(forward=forward)
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = event.key()
        if self.linker is not None and self.linker.key(event):
            return
        if self.selector.key(event):
            return
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.deleteRequested.emit()
            return
        if key == Qt.Key.Key_Escape:
            self.setTextCursor(self.qt_text.place(self.textCursor(), self.cursor_code_point()))
            self._select(None)
            if self._arcs is not None and self._arcs.selected is not None:
                self.select_link(None)
            return
        label = self._label_for(event)
        if label is not None:
            exact = bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)
            self.labelKeyPressed.emit(label, exact)
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        self.selector.key_release(event)
        super().keyReleaseEvent(event)

    def resizeEvent(self, event) -> None:  # noqa: ANN001, N802
        self.glyphs.clear()
        super().resizeEvent(event)

    def _label_for(self, event: QKeyEvent) -> str | None:
        """Label bound to this key press: the schema key, alone or with Alt (= exact characters)."""
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if mods not in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.AltModifier):
            return None
        char = key_char(event)  # the Arabic layout's «م» is the L key
        label = self.schema.by_key(char) if char else None
        return label.name if label else None

    @property
    def marks(self) -> SpanMarks:
        """The chip and box painter, made (and its module imported) when first needed."""
        if self._marks is None:
            from ui.desk.span_marks import SpanMarks  # noqa: PLC0415 (QPainter & co.: not at start)

            self._marks = SpanMarks(self)
        return self._marks

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)
        if self._marks is not None or (self.layout_index is not None and self.layout_index.spans):
            self.marks.paint()  # over the text: chips and boxes must not be hidden by it
        if self._arcs is not None:
            self._arcs.paint_now()  # over the chips: a link's label must be read whole

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.ToolTip:
            help_event = cast("QHelpEvent", event)  # what Qt delivers for a ToolTip
            QToolTip.showText(help_event.globalPos(), self.tooltip_at(help_event.pos()), self.viewport())
            return True
        handled = super().viewportEvent(event)
        if not self._painted and event.type() == QEvent.Type.Paint:
            self._painted = True
            self.firstPainted.emit()
        return handled

    @property
    def has_arcs(self) -> bool:
        return self._arcs is not None

    @property
    def arcs(self) -> RelationArcs:
        """The relation painter, made (and its module imported) when first needed."""
        if self._arcs is None:
            from ui.desk.relation_arcs import RelationArcs  # noqa: PLC0415 (not at start)

            self._arcs = RelationArcs(self)
        return self._arcs

    def tooltip_at(self, point) -> str:  # noqa: ANN001 (QPoint)
        """What a drawn link under viewport ``point`` joins; else label and annotator of every
        span there (innermost first)."""
        if self.layout_index is None:
            return ""
        arc = self._arcs.arc_at(QPointF(point)) if self._arcs is not None else None
        if arc is not None:
            return self._arcs.tooltip(arc) if self._arcs is not None else ""
        cp = self.selector.char_at(point)
        lines = []
        for span in self.spans_at(cp) if cp is not None else []:
            try:
                name = self.schema.label(span.label).display(self.language)
            except KeyError:
                name = span.label
            lines.append(i18n.tr("span_tooltip", self.language, label=name, annotator=span.annotator or "?"))
        return "\n".join(lines)
