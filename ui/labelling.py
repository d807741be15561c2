"""Turning a selection and a label key (or palette click) into core calls.

Snapping (on by default): a selection grows to the whole tokens it touches, because annotators
drag imprecisely over shaped Arabic and a half-word span is almost always a mistake. Holding
**Alt** with the label key (or while clicking the palette) labels the exact characters instead,
e.g. a name without its clitic ``و``/``ب`` when the tokenizer keeps them together.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from annotator.model import Span
from ui import i18n
from ui.controller import DeskController
from ui.document_view import DocumentView

_WINDOW = 256  # code points of context tokenized around a selection (not the whole article)


def snap_to_tokens(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Grow ``[start, end)`` to the whole tokens it touches; None when it touches none.

    Only a window around the selection is tokenized, so snapping costs the same in a
    200,000-character article as in a tweet.

    >>> text = "قال وزير الدفاع"
    >>> snap_to_tokens(text, len("قال وز"), len("قال وزير الد"))
    (4, 15)
    """
    # Imported on first use (the desk warms it up after its first paint): compiling the
    # tokenizer's patterns is ~3 ms of start-up that the first visible article does not need.
    from annotator.text.tokenize import tokenize  # noqa: PLC0415

    lo = max(0, start - _WINDOW)
    hi = min(len(text), end + _WINDOW)
    # Move the window edges to whitespace so no token is cut by them.
    while lo > 0 and not text[lo - 1].isspace():
        lo -= 1
    while hi < len(text) and not text[hi].isspace():
        hi += 1
    touched = [
        t for t in tokenize(text[lo:hi]) if t.start + lo < end and t.end + lo > start
    ]
    if not touched:
        return None
    return touched[0].start + lo, touched[-1].end + lo


class Labeller(QObject):
    """Connects the view's key presses and the palette to the controller."""

    status = Signal(str)

    def __init__(
        self,
        view: DocumentView,
        controller: DeskController,
        language: Callable[[], str],
        confirm: Callable[[str, str], bool],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.view = view
        self.controller = controller
        self.language = language
        self.confirm = confirm  # (title, question) -> yes?; a dialog in the app, a stub in tests
        self.snap = True
        self.last_label: str | None = None
        view.labelKeyPressed.connect(self.apply_label)
        view.deleteRequested.connect(self.delete_selected)
        controller.spansChanged.connect(view.set_spans)

    def _tr(self, key: str, **values: object) -> str:
        return i18n.tr(key, self.language(), **values)

    def apply_label(self, label: str, exact: bool = False) -> Span | None:
        """Label the text selection, or relabel the selected span when there is no selection."""
        self.last_label = label
        selection = self.view.selected_range()
        if selection is None:
            span = self.view.selected_span
            if span is None:
                self.status.emit(self._tr("status_nothing_selected"))
                return None
            new = self.controller.relabel_span(span, label)
            if new is not None:
                self.view.select_span(new, move_cursor=False)
            return new
        start, end = selection
        if self.snap and not exact:
            snapped = snap_to_tokens(self.view.qt_text.stored, start, end)
            if snapped is None:
                self.status.emit(self._tr("status_no_token"))
                return None
            start, end = snapped
        span = self.controller.add_span(start, end, label)
        if span is not None:
            self.view.select_span(span)
            self.status.emit(self._tr("status_added", label=self._display(label), text=span.text))
        return span

    def delete_selected(self) -> bool:
        span = self.view.selected_span
        if span is None:
            self.status.emit(self._tr("status_nothing_selected"))
            return False
        return self.controller.remove_span(span)

    def label_all_matches(self) -> list[Span]:
        """Offer the selected span's label (or the last label) for every other occurrence."""
        span = self.view.selected_span
        if span is not None:
            start, end, label = span.start, span.end, span.label
        else:
            selection = self.view.selected_range()
            if selection is None or self.last_label is None:
                self.status.emit(self._tr("status_nothing_selected"))
                return []
            (start, end), label = selection, self.last_label
        taken = {(s.start, s.end) for s in self.controller.spans if s.label == label}
        ranges = [r for r in self.controller.find_matches(start, end) if r not in taken]
        text = self.view.qt_text.stored[start:end]
        if not ranges:
            self.status.emit(self._tr("no_matches", text=text))
            return []
        question = self._tr("confirm_matches", count=len(ranges), text=text, label=self._display(label))
        if not self.confirm(self._tr("confirm_matches_title"), question):
            return []
        return self.controller.add_spans(ranges, label)

    def _display(self, label: str) -> str:
        try:
            return self.view.schema.label(label).display(self.language())
        except KeyError:
            return label
