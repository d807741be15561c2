"""The span list (objectName ``spanTable``): the article's spans in text order, with label counts.

Clicking (or pressing Enter on) a row asks the desk to jump to that span; the table is a view
of the controller's spans and is refilled whenever they change.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from annotator.model import Schema, Span
from ui import i18n
from ui.desk.tables import column_header, row_table
from ui.named import named

_COLUMNS = ("col_label", "col_text", "col_range", "col_annotator")
_Index = QModelIndex | QPersistentModelIndex


class SpanTableModel(QAbstractTableModel):
    """Spans of the open article (a copy of the controller's list, text order)."""

    def __init__(self, schema: Schema, language: str = "ar", parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.schema = schema
        self.language = language
        self._spans: list[Span] = []

    def set_spans(self, spans: Sequence[Span]) -> None:
        self.beginResetModel()
        self._spans = list(spans)
        self.endResetModel()

    # Not QAbstractItemModel.span (cell spans, never used by a table of rows): the desk's name
    # for "the span on this row", kept for the panels and tests that call it.
    def span(self, row: int) -> Span:  # type: ignore[override]
        return self._spans[row]

    def row_of(self, span: Span) -> int | None:
        try:
            return self._spans.index(span)
        except ValueError:
            return None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._spans)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(_COLUMNS)

    def _display(self, name: str) -> str:
        try:
            return self.schema.label(name).display(self.language)
        except KeyError:
            return name

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: ANN201
        if not index.isValid():
            return None
        span = self._spans[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                self._display(span.label),
                span.text,
                f"\u2066{span.start}–{span.end}\u2069",  # isolated: RTL must not flip it
                span.annotator,
            )[column]
        if role == Qt.ItemDataRole.BackgroundRole and column == 0:
            try:
                return QColor(self.schema.label(span.label).color)
            except KeyError:
                return None
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole):  # noqa: ANN201
        return column_header(_COLUMNS, section, orientation, role, self.language)

    def counts(self) -> Counter[str]:
        return Counter(span.label for span in self._spans)


class SpanPanel(QWidget):
    """The ``spanTable`` view plus a line of label counts."""

    spanActivated = Signal(object)  # Span

    def __init__(self, schema: Schema, language: str = "ar", parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.schema = schema
        self.language = language
        self.model = SpanTableModel(schema, language, self)
        self.table = row_table(self.model, "spanTable")
        # Every column fits the panel: the text column takes what is left (elided), so there is
        # no horizontal scrollbar, empty or full, and the annotator column is never cut.
        header = self.table.horizontalHeader()
        header.setMinimumSectionSize(24)
        for column in range(len(_COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.counts = named(QLabel(), "spanCounts")
        self.counts.setWordWrap(True)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.table)
        box.addWidget(self.counts)
        self.table.clicked.connect(self._activated)
        self.table.activated.connect(self._activated)

    def set_spans(self, spans: Sequence[Span]) -> None:
        self.model.set_spans(spans)
        self._update_counts()

    def retranslate(self, language: str) -> None:
        self.language = language
        self.model.language = language
        self.model.set_spans(list(self.model._spans))
        self._update_counts()

    def _update_counts(self) -> None:
        counts = self.model.counts()
        parts = [i18n.tr("span_counts", self.language, total=sum(counts.values()))]
        for label in self.schema.labels:
            if counts.get(label.name):
                parts.append(f"{label.display(self.language)}: {counts[label.name]}")
        self.counts.setText(" · ".join(parts))

    def show_span(self, span: Span | None) -> None:
        """Select the row of the span selected in the text (keeps the two views in step)."""
        row = self.model.row_of(span) if span is not None else None
        self.table.blockSignals(True)
        if row is None:
            self.table.clearSelection()
        else:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))
        self.table.blockSignals(False)

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.spanActivated.emit(self.model.span(index.row()))
