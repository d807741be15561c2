"""The event frame panel (objectName ``eventPanel``): the selected trigger's roles and fillers.

Why a panel and not only arcs: an empty slot draws nothing, and what an annotator must see to
finish a frame is precisely what is missing. For the selected trigger span the panel lists the
event type and its roles in schema order, each with its key, its filler(s) or an empty slot,
required roles (multiplicity ``one``) marked. A role key in the text (one key), then Tab to the
span and Enter, fills a slot (:mod:`ui.desk.linking`); a row's ✕ removes its filler (one undo
step). On a span that may trigger an event but has none, the panel names the key that creates
it. The panel only renders what the desk's links controller read; it writes nothing itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from annotator.model import Event, Schema, Span
from ui import i18n
from ui.desk import link_targets as targets
from ui.named import named

REQUIRED = "one"  # the multiplicity whose empty slot is marked


@dataclass(frozen=True)
class SlotRow:
    """One row of the frame: a role and one filler (None: the slot is empty)."""

    role: str
    filler: Span | None
    required: bool
    key: str


def frame_rows(schema: Schema, event: Event) -> list[SlotRow]:
    """The rows of ``event``'s frame: every role in schema order, one row per filler and one
    empty row for a role with none (a ``many`` role takes more with its key again)."""
    kind = schema.event_type(event.type)
    rows = []
    for role in kind.roles:
        fillers = [a.span for a in event.arguments if a.role == role.name]
        required = role.multiplicity == REQUIRED
        rows += [SlotRow(role.name, span, required, role.key) for span in fillers] or [
            SlotRow(role.name, None, required, role.key)]
    return rows


class EventPanel(QWidget):
    """Renders one event frame; asks for a filler's removal with ``removeRequested``."""

    removeRequested = Signal(object, str, object)  # Event, role, Span

    def __init__(self, schema: Schema, language: str = "ar", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("eventPanel")
        self.schema, self.language = schema, language
        self.frame: Event | None = None
        self.rows: list[SlotRow] = []
        self._trigger: Span | None = None
        self._events: list[Event] = []
        self.heading = QLabel()
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.title = named(QLabel(), "eventTitle")
        self.title.setWordWrap(True)
        self.table = named(QTableWidget(0, 4), "eventSlots")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys belong to the text
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for column in (0, 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Fixed)
        header.setMinimumSectionSize(24)
        header.resizeSection(3, 28)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        box = QVBoxLayout(self)
        box.setContentsMargins(2, 4, 2, 0)
        box.addWidget(self.heading)
        box.addWidget(self.title)
        box.addWidget(self.table, 1)
        self.retranslate(language)

    def _tr(self, name: str, **values: object) -> str:
        return i18n.tr(name, self.language, **values)

    def retranslate(self, language: str) -> None:
        self.language = language
        self.heading.setText(self._tr("panel_event"))
        self.table.setHorizontalHeaderLabels(
            [self._tr(k) for k in ("col_key", "col_role", "col_filler", "col_remove")])
        self.show_for(self._trigger, self._events)

    def show_for(self, span: Span | None, events: Sequence[Event]) -> None:
        """Show the frame of the event ``span`` triggers (or how to make one)."""
        self._trigger, self._events = span, list(events)
        mine = targets.events_of(span, events) if span is not None else []
        self.frame = mine[0] if mine else None
        self.rows = frame_rows(self.schema, self.frame) if self.frame is not None else []
        self.title.setText(self._caption(span))
        self.table.setRowCount(len(self.rows))
        for number, row in enumerate(self.rows):
            self._fill_row(number, row)

    def _caption(self, span: Span | None) -> str:
        if span is None:
            return self._tr("event_none")
        if self.frame is not None:
            kind = self.schema.event_type(self.frame.type)
            return self._tr("event_title", kind=kind.display(self.language), text=span.text)
        kinds = targets.event_types_for(self.schema, span)
        if not kinds:
            return self._tr("event_not_trigger", text=span.text)
        return "\n".join(self._tr("event_create_hint", key=k.key.upper() or "?",
                                  kind=k.display(self.language)) for k in kinds)

    def _fill_row(self, number: int, row: SlotRow) -> None:
        assert self.frame is not None
        role = self.schema.event_type(self.frame.type).role(row.role)
        name = role.display(self.language) + (" *" if row.required else "")
        cells = (row.key.upper(), name, row.filler.text if row.filler else self._tr("event_empty_slot"))
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if row.filler is None:
                item.setForeground(QColor("#b00020") if row.required else QColor("#777777"))
            if row.required:
                item.setToolTip(self._tr("event_required"))
            self.table.setItem(number, column, item)
        if row.filler is None:
            self.table.removeCellWidget(number, 3)
            return
        button = named(QToolButton(), f"removeFiller{number}")
        button.setText("×")
        button.setAutoRaise(True)
        button.setToolTip(self._tr("event_remove_filler"))
        event, filler = self.frame, row.filler
        button.clicked.connect(lambda _=False: self.removeRequested.emit(event, row.role, filler))
        self.table.setCellWidget(number, 3, button)
