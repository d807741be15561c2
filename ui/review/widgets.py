"""Panels of the adjudication desk: the regions list, the versions lanes, the gold list.

The lanes reuse the annotation desk's :class:`ui.desk.document_view.DocumentView` (same RTL text,
same per-block highlighter, same label colours): each version of the current region is shown
as a short excerpt of the article around it, one lane per annotator, numbered with the key that
accepts it (the same number for the same annotator everywhere).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from annotator.model import Article, Schema, Span, make_span
from annotator.review.adjudication import Item, Lane, provenance
from ui.desk.document_view import DocumentView
from ui.named import named
from ui.review.strings import EN, tr

CONTEXT = 40  # code points of text shown on each side of a region in a lane
LANE_LINES = 2


def excerpt_bounds(text: str, start: int, end: int, context: int = CONTEXT) -> tuple[int, int]:
    """``[lo, hi)`` around ``[start, end)`` widened by ``context``, cut at whitespace.

    >>> excerpt_bounds("aa bb cc dd ee", 6, 8, context=2)
    (3, 11)
    """
    lo, hi = max(0, start - context), min(len(text), end + context)
    while lo > 0 and not text[lo - 1].isspace() and lo > start - 2 * context:
        lo -= 1
    while hi < len(text) and not text[hi].isspace() and hi < end + 2 * context:
        hi += 1
    return lo, hi


def _decision(name: object, language: str) -> str:
    key = f"decision_{name}"
    return tr(key, language) if key in EN else str(name)


def _short(text: str, limit: int = 30) -> str:
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"


class RegionList(QListWidget):
    """The regions of the current article; choosing one makes it current."""

    regionChosen = Signal(object)  # (start, end)

    def __init__(self, language: str) -> None:
        super().__init__()
        self.setObjectName("regionList")
        self.language = language
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys stay with the window's shortcuts
        self.itemClicked.connect(lambda it: self.regionChosen.emit(it.data(Qt.ItemDataRole.UserRole)))

    def show_items(self, text: str, items: Sequence[Item]) -> None:
        self.clear()
        for n, item in enumerate(items, 1):
            start, end = item.bounds
            if item.decision is not None:
                status = tr("status_decided", self.language,
                        decision=tr(f"decision_{item.decision.decision}", self.language),
                            by=item.decision.decided_by)
            elif item.region.agreed:
                status = tr("status_agreed", self.language)
            else:
                status = tr("status_open", self.language, alternatives=len(item.region.alternatives))
            row = QListWidgetItem(tr("item", self.language, n=n, start=start, end=end,
                                     text=_short(text[start:end]), status=status))
            row.setData(Qt.ItemDataRole.UserRole, item.bounds)
            if item.open:
                font = row.font()
                font.setBold(True)
                row.setFont(font)
            self.addItem(row)

    def mark_current(self, item: Item | None) -> None:
        for row in range(self.count()):
            it = self.item(row)
            if item is not None and it.data(Qt.ItemDataRole.UserRole) == item.bounds:
                self.setCurrentRow(row)
                self.scrollToItem(it)
                return
        self.setCurrentRow(-1)


class LanesPanel(QWidget):
    """One lane per annotator of the current region: ``key · annotator — labels`` over an excerpt.

    Lane ``n`` is always the same annotator (``AdjudicationController.lane_names``), so the
    reviewer's hand learns that 1 is ali and 2 is mona; the caption names each version's
    labels, and follows the interface's direction (an Arabic caption starts at the right even
    though it begins with a digit and a Latin name).
    """

    def __init__(self, schema: Schema, language: str) -> None:
        super().__init__()
        self.setObjectName("lanesPanel")
        self.schema, self.language = schema, language
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.box.addStretch(1)  # lanes stack at the top, whatever their number
        self.lanes: list[tuple[QLabel, DocumentView]] = []
        self.numbers: list[int] = []

    def caption(self, lane: Lane) -> str:
        lang = self.language
        if not lane.spans:
            labels = tr("lane_nothing", lang)
        else:
            labels = ("، " if lang == "ar" else ", ").join(
                tr("lane_span", lang, label=self._label(s.label), text=_short(s.text, 24))
                for s in lane.spans)
        return tr("lane", lang, key=lane.number, annotator=lane.annotator, labels=labels)

    def _label(self, name: str) -> str:
        try:
            return self.schema.label(name).display(self.language)
        except KeyError:
            return name

    def show_item(self, article: Article | None, item: Item | None, lanes: Sequence[Lane] = ()) -> None:
        for label, view in self.lanes:
            label.deleteLater()
            view.deleteLater()
        self.lanes, self.numbers = [], []
        if article is None or item is None:
            return
        lo, hi = excerpt_bounds(article.text, *item.bounds)
        snippet = article.text[lo:hi]
        # AlignLeft is mirrored in a right-to-left window: the caption starts where reading does.
        align = Qt.AlignmentFlag.AlignLeft
        for lane in lanes:
            n = lane.number
            label = named(QLabel(self.caption(lane)), f"lane{n}Label")
            label.setAlignment(align | Qt.AlignmentFlag.AlignVCenter)
            label.setTextFormat(Qt.TextFormat.PlainText)
            view = DocumentView(self.schema, self.language)
            view.setObjectName(f"lane{n}")
            view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            view.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
            # Room for the label chips above the first line.
            view.document().setDocumentMargin(view.marks.chip_font().pixelSize() * 0.6 + 4)
            view.setFixedHeight(view.fontMetrics().lineSpacing() * LANE_LINES + 24)
            spans = [make_span(snippet, s.start - lo, s.end - lo, s.label, s.annotator) for s in lane.spans
                     if s.start >= lo and s.end <= hi]
            view.show_article(Article(article.id, article.doc_id, article.title, snippet), spans)
            self.box.insertWidget(self.box.count() - 1, label)
            self.box.insertWidget(self.box.count() - 1, view)
            self.lanes.append((label, view))
            self.numbers.append(n)


class GoldList(QListWidget):
    """Gold spans of the article with who proposed them, who decided, how and when."""

    def __init__(self, language: str) -> None:
        super().__init__()
        self.setObjectName("goldList")
        self.language = language
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setWordWrap(True)

    def show_gold(self, spans: Sequence[Span], schema: Schema) -> None:
        self.clear()
        for span in spans:
            prov = provenance(span)
            try:
                name = schema.label(span.label).display(self.language)
            except KeyError:
                name = span.label
            proposed = ", ".join(prov.get("proposed_by", [])) or tr("nobody", self.language)
            text = tr("gold_row", self.language, label=name, text=_short(span.text),
                      proposed=proposed, decision=_decision(prov.get("decision"), self.language),
                      by=prov.get("decided_by", "?"), at=str(prov.get("decided_at", ""))[:16].replace("T", " "))
            row = QListWidgetItem(text)
            row.setData(Qt.ItemDataRole.UserRole, span.id)
            self.addItem(row)
