"""What the desk's tables share: a read-only, one-row-at-a-time view and translated headers.

Why one piece: the article queue and the span table each built the same view (whole rows,
one selected, never edited, no row numbers) and answered ``headerData`` the same way (a column
key looked up in the desk's catalogue, in the model's language); one module keeps them from
drifting apart when a language, a role or a view setting changes.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QTableView

from ui import i18n
from ui.named import named


def row_table(model: QAbstractItemModel, name: str) -> QTableView:
    """A table over ``model`` (object name ``name``) that selects one whole row and edits nothing."""
    table = named(QTableView(), name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    return table


def column_header(columns: tuple[str, ...], section: int, orientation: Qt.Orientation,
                  role: int, language: str) -> str | None:
    """The translated title of column ``section`` for Qt's ``headerData``; None for any other ask."""
    if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
        return i18n.tr(columns[section], language)
    return None
