"""Turning a selection and a label key (or palette click) into core calls.

Snapping (on by default): a selection grows to the whole words it touches and never starts or
ends on punctuation, because annotators drag imprecisely over shaped Arabic and a half-word span
is almost always a mistake. The view shows the snapped selection while the hand drags
(ui/desk/selection.py), so the key stores what is seen. Holding **Alt** with the label key (or while
clicking the palette) labels the exact characters instead; ``-`` strips a proclitic (و ف ب ل ك
ال) from the selection or the selected span. After labelling, the cursor goes after the span.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from annotator.model import Span
from ui import i18n
from ui.desk.controller import DeskController
from ui.desk.document_view import DocumentView


def snap_to_tokens(text: str, start: int, end: int) -> tuple[int, int] | None:
    """:func:`annotator.text.snap.snap_to_tokens`, imported on first use: compiling the
    tokenizer's patterns is ~3 ms of start-up that the first visible article does not need (the
    desk warms it up after its first paint).

    >>> snap_to_tokens("قال وزير الدفاع", len("قال وز"), len("قال وزير الد"))
    (4, 15)
    """
    from annotator.text.snap import snap_to_tokens as snap  # noqa: PLC0415

    return snap(text, start, end)


class Labeller(QObject):
    """Connects the view's key presses and the palette to the controller."""

    status = Signal(str)
    labelled = Signal(object)  # Span: stored by a label key (new, or relabelled); a trigger opens its frame

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
        self.last_label: str | None = None
        # What deleting a span (or relabelling it: the new label) would break, one line per
        # link (ui/desk/link_desk.py); asked before the change, so nothing goes unnoticed.
        self.breaks: Callable[..., list[str]] | None = None
        view.labelKeyPressed.connect(self.apply_label)
        view.deleteRequested.connect(self.delete_selected)
        view.spanResizeRequested.connect(self.resize_span)
        controller.spansChanged.connect(view.set_spans)

    @property
    def snap(self) -> bool:
        """Snapping to whole words (Ctrl+T): the view applies it to the selection it shows."""
        return self.view.selector.snap

    @snap.setter
    def snap(self, on: bool) -> None:
        self.view.selector.snap = on

    def _tr(self, key: str, **values: object) -> str:
        return i18n.tr(key, self.language(), **values)

    def apply_label(self, label: str, exact: bool = False) -> Span | None:
        """Label the text selection, or relabel the selected span when there is no selection."""
        self.last_label = label
        if self.view.selected_range() is None:
            span = self.view.selected_span
            if span is None:
                self.status.emit(self._tr("status_nothing_selected"))
                return None
            breaking = self._may_break(span, label)
            if breaking is None:
                return None
            new = self.controller.relabel_span(span, label, force=breaking)
            if new is not None:
                self.view.select_span(new, move_cursor=False)
                self.labelled.emit(new)
            return new
        chosen = self.view.selector.to_store(exact)
        if chosen is None:
            self.status.emit(self._tr("status_no_token"))
            return None
        span = self.controller.add_span(*chosen, label)
        if span is not None:
            self.view.select_span(span, after=True)
            self.status.emit(self._tr("status_added", label=self._display(label), text=span.text))
            self.labelled.emit(span)
        return span

    def resize_span(self, span: Span, start: int, end: int) -> Span | None:
        """Give the selected span new bounds (the clitic key): one core call, one undo step."""
        new = self.controller.replace_span(span, start, end)
        if new is not None:
            self.view.select_span(new, after=True)
            self.status.emit(self._tr("status_added", label=self._display(new.label), text=new.text))
        return new

    def delete_selected(self) -> bool:
        span = self.view.selected_span
        if span is None:
            self.status.emit(self._tr("status_nothing_selected"))
            return False
        if self._may_break(span, None) is None:
            return False
        return self.controller.remove_span(span)

    def _may_break(self, span: Span, label: str | None) -> bool | None:
        """False when nothing links ``span`` (or nothing the change breaks), True when the user
        agreed to lose what it breaks, None when she said no (nothing is changed)."""
        if self.breaks is None or span.label == label:
            return False
        lines = self.breaks(span, label)
        if not lines:
            return False
        question = self._tr("confirm_breaks", text=span.text, links="\n".join(lines))
        if not self.confirm(self._tr("confirm_breaks_title"), question):
            self.status.emit(self._tr("status_kept_links"))
            return None
        self.status.emit(self._tr("status_broke_links", count=len(lines)))
        return True

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
