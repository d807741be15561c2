"""The article queue (objectName ``articleList``): a lazily fetched page-by-page table model.

With 100,000 articles the model never holds a list of all rows: Qt asks ``canFetchMore`` /
``fetchMore`` as the user scrolls, and each call reads one page (``session.queue``) from the
store. Search (normalised by the core: alef forms, ى/ي, ة/ه, diacritics, tatweel) and the
state/label filters reset the model to its first page.

The order (``queueOrder``): by id, or most informative first (the suggestion model's stored
uncertainty, sorted by the store in SQL). The choice is the user's, kept in the project by the
session; Ctrl+Enter (done → next) follows it (the controller asks the session).
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from annotator.model import Schema
from ui import i18n
from ui.desk.flow_layout import FlowLayout
from ui.desk.tables import column_header, row_table
from ui.named import named

STATES = ("new", "in_progress", "done")
ORDERS = ("id", "uncertainty")
_COLUMNS = ("col_title", "col_state", "col_spans")
ARTICLE_ID_ROLE = Qt.ItemDataRole.UserRole
_Index = QModelIndex | QPersistentModelIndex


class ArticleQueueModel(QAbstractTableModel):
    """Rows of ``session.queue`` fetched one page at a time."""

    PAGE = 200

    def __init__(self, session, language: str = "ar", parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.session = session
        self.language = language
        self._filter: dict[str, str | None] = {"state": None, "search": None, "label": None}
        self.order = session.queue_order()
        self._rows: list = []  # QueueRow, only the pages fetched so far
        self.total = self.session.queue_count()

    # -- filtering -------------------------------------------------------------------------------
    def set_filter(self, *, state: str | None = None, search: str | None = None,
                   label: str | None = None) -> None:
        self.beginResetModel()
        self._filter = {"state": state or None, "search": search or None, "label": label or None}
        self._rows = []
        self.total = self.session.queue_count(**self._filter)
        self.endResetModel()

    def refresh(self) -> None:
        self.set_filter(**self._filter)

    def set_order(self, order: str) -> None:
        """Reorder from the first page (the count does not change with the order)."""
        self.beginResetModel()
        self.order = order
        self._rows = []
        self.endResetModel()

    # -- lazy loading ----------------------------------------------------------------------------
    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: N802, B008
        return not parent.isValid() and len(self._rows) < self.total

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: N802, B008
        if parent.isValid():
            return
        page = self.session.queue(**self._filter, offset=len(self._rows), limit=self.PAGE, order=self.order)
        if not page:
            self.total = len(self._rows)  # the queue shrank under us (states changed)
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    # -- table -------------------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(_COLUMNS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: ANN201
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == ARTICLE_ID_ROLE:
            return row.article_id
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.doc_id
        if role == Qt.ItemDataRole.DisplayRole:
            column = index.column()
            if column == 0:
                return row.title or row.doc_id
            if column == 1:
                return i18n.state_name(row.state, self.language)
            return row.span_count
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole):  # noqa: ANN201
        return column_header(_COLUMNS, section, orientation, role, self.language)

    def row_of(self, article_id: int) -> int | None:
        """Row of an article among the rows fetched so far."""
        for n, row in enumerate(self._rows):
            if row.article_id == article_id:
                return n
        return None

    def article_id(self, row: int) -> int:
        return self._rows[row].article_id

    def update_article(self, article_id: int, *, state: str | None = None,
                       span_count: int | None = None) -> None:
        """Show a changed state or span count without reloading the page."""
        n = self.row_of(article_id)
        if n is None:
            return
        row = self._rows[n]
        self._rows[n] = replace(
            row,
            state=state if state is not None else row.state,
            span_count=span_count if span_count is not None else row.span_count,
        )
        self.dataChanged.emit(self.index(n, 1), self.index(n, 2))

    def set_language(self, language: str) -> None:
        self.language = language
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(_COLUMNS) - 1)
        if self._rows:
            self.dataChanged.emit(self.index(0, 1), self.index(len(self._rows) - 1, 1))


class ArticleQueuePanel(QWidget):
    """Search box, state and label filters, and the ``articleList`` table."""

    articleActivated = Signal(int)

    def __init__(self, session, schema: Schema, language: str = "ar", parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.schema = schema
        self.language = language
        self.model = ArticleQueueModel(session, language, self)
        self.search = named(QLineEdit(), "queueSearch")
        self.search.setClearButtonEnabled(True)
        self.state_box = named(QComboBox(), "stateFilter")
        self.label_box = named(QComboBox(), "labelFilter")
        self.order_box = named(QComboBox(), "queueOrder")
        self._current: int | None = None
        self.count_label = QLabel()
        self.table = row_table(self.model, "articleList")
        header = self.table.horizontalHeader()
        header.setMinimumSectionSize(28)  # a narrow panel elides titles, not the span counts
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self._layout()
        self._debounce = QTimer(self, singleShot=True, interval=250)
        self._debounce.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(self._debounce.start)
        self.search.returnPressed.connect(self.apply_filter)
        self.state_box.currentIndexChanged.connect(self.apply_filter)
        self.label_box.currentIndexChanged.connect(self.apply_filter)
        self.order_box.currentIndexChanged.connect(self._order_chosen)
        self.table.activated.connect(self._activated)
        self.table.clicked.connect(self._activated)
        self.model.modelReset.connect(self._update_count)
        self.model.rowsInserted.connect(self._update_count)
        self.retranslate(language)

    def _layout(self) -> None:
        # The three combos wrap under each other in a narrow panel instead of being cut.
        filters = named(QWidget(), "queueFilters")
        flow = FlowLayout(filters, spacing=4)
        for combo in (self.state_box, self.label_box, self.order_box):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            flow.addWidget(combo)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        filters.setSizePolicy(policy)
        self.count_label.setWordWrap(True)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.search)
        box.addWidget(filters)
        box.addWidget(self.table)
        box.addWidget(self.count_label)

    def retranslate(self, language: str) -> None:
        self.language = language
        self.search.setPlaceholderText(i18n.tr("queue_search", language))
        for box, items in (
            (self.state_box, [(i18n.tr("queue_all_states", language), None)]
             + [(i18n.state_name(s, language), s) for s in STATES]),
            (self.label_box, [(i18n.tr("queue_all_labels", language), None)]
             + [(label.display(language), label.name) for label in self.schema.labels]),
            (self.order_box, [(i18n.tr(f"queue_order_{o}", language), o) for o in ORDERS]),
        ):
            current = box.currentIndex() if box is not self.order_box else ORDERS.index(self.model.order)
            box.blockSignals(True)
            box.clear()
            for text, value in items:
                box.addItem(text, value)
            box.setCurrentIndex(max(current, 0))
            box.blockSignals(False)
        self.order_box.setToolTip(i18n.tr("queue_order_tip", language))
        self.model.set_language(language)
        self._update_count()

    def apply_filter(self) -> None:
        self._debounce.stop()
        self.model.set_filter(
            state=self.state_box.currentData(),
            search=self.search.text().strip(),
            label=self.label_box.currentData(),
        )

    def _order_chosen(self) -> None:
        order = self.order_box.currentData()
        if order is None or order == self.model.order:
            return
        self.model.session.set_queue_order(order)  # remembered for this user, in the project
        self.reload()

    def reload(self) -> None:
        """Re-read the queue from its first page (new order, or new scores after a retrain)
        and highlight the open article again if that page holds it."""
        self.model.set_order(self.order_box.currentData() or self.model.order)
        if self.model.canFetchMore():
            self.model.fetchMore()
        if self._current is not None:
            self.show_current(self._current)

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.articleActivated.emit(self.model.article_id(index.row()))

    def _update_count(self) -> None:
        self.count_label.setText(
            i18n.tr("queue_count", self.language, shown=self.model.rowCount(), total=self.model.total)
        )

    def show_current(self, article_id: int) -> None:
        """Highlight the open article's row (if its page is loaded) without re-emitting."""
        self._current = article_id
        row = self.model.row_of(article_id)
        if row is None:
            self.table.clearSelection()
            return
        self.table.blockSignals(True)
        # Through the selection model: QTableView.selectRow picks its column from the header's
        # layout, which a model reset (new order) leaves empty until the next paint.
        flags = QItemSelectionModel.SelectionFlag
        self.table.selectionModel().setCurrentIndex(
            self.model.index(row, 0), flags.ClearAndSelect | flags.Rows)
        self.table.scrollTo(self.model.index(row, 0))
        self.table.blockSignals(False)
