"""Panels for relations and event arguments in the adjudication desk: lists, not arcs.

The review desk shows links as text rows (``reported-by «قصف» → «سبوتنيك»``) beside the span
regions: a reviewer compares lanes line by line (the current slot's lanes are also drawn as
arcs on the article: :mod:`ui.review.link_arcs`). The slot list makes a slot current; the lanes panel shows each annotator's version under
the same lane number as for spans; the gold list shows who proposed and who decided.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from annotator.agreement.links import LinkItem
from annotator.model import Event, Relation
from annotator.review.link_decisions import LinkState, link_provenance
from annotator.review.link_slots import LinkLane, describe, frame_item
from ui.named import named
from ui.review.strings import EN, tr


def _status(state: LinkState, language: str) -> str:
    if state.decision is not None:
        key = f"decision_{state.decision.decision}"
        name = tr(key, language) if key in EN else state.decision.decision
        return tr("status_decided", language, decision=name, by=state.decision.decided_by)
    if state.slot.agreed:
        return tr("status_agreed", language)
    return tr("status_open", language, alternatives=len(state.slot.alternatives))


def _slot_text(state: LinkState) -> str:
    first = next(alt for alt in state.slot.alternatives if alt.items)
    return describe(first.items[0])


class LinkList(QListWidget):
    """The link slots of the current article; choosing one makes it current."""

    linkChosen = Signal(str)

    def __init__(self, language: str) -> None:
        super().__init__()
        self.setObjectName("linkList")
        self.language = language
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys stay with the window's shortcuts
        self.itemClicked.connect(lambda it: self.linkChosen.emit(it.data(Qt.ItemDataRole.UserRole)))

    def show_links(self, states: Sequence[LinkState]) -> None:
        self.clear()
        for n, state in enumerate(states, 1):
            text = tr("link_item", self.language, n=n, text=_slot_text(state),
                      status=_status(state, self.language))  # fmt: skip
            row = QListWidgetItem(text)
            row.setData(Qt.ItemDataRole.UserRole, state.key)
            if state.open:
                font = row.font()
                font.setBold(True)
                row.setFont(font)
            self.addItem(row)

    def mark_current(self, state: LinkState | None) -> None:
        for row in range(self.count()):
            it = self.item(row)
            if state is not None and it.data(Qt.ItemDataRole.UserRole) == state.key:
                self.setCurrentRow(row)
                self.scrollToItem(it)
                return
        self.setCurrentRow(-1)


class LinkLanesPanel(QWidget):
    """One line per lane of the current slot: ``key · annotator — links``."""

    def __init__(self, language: str) -> None:
        super().__init__()
        self.setObjectName("linkLanesPanel")
        self.language = language
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.labels: list[QLabel] = []

    def caption(self, lane: LinkLane) -> str:
        links = "; ".join(describe(i) for i in lane.items) or tr("link_lane_nothing", self.language)
        return tr("lane", self.language, key=lane.number, annotator=lane.annotator, labels=links)

    def show_lanes(self, lanes: Sequence[LinkLane]) -> None:
        for label in self.labels:
            label.deleteLater()
        self.labels = []
        for lane in lanes:
            label = named(QLabel(self.caption(lane)), f"linkLane{lane.number}Label")
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            self.box.addWidget(label)
            self.labels.append(label)


class GoldLinkList(QListWidget):
    """Gold relations and arguments with who proposed them and who decided.

    A relation carries its provenance; an argument's is its slot's decision (the store keeps
    no provenance per argument row).
    """

    def __init__(self, language: str) -> None:
        super().__init__()
        self.setObjectName("goldLinkList")
        self.language = language
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setWordWrap(True)

    def show_gold(
        self, relations: Sequence[Relation], events: Sequence[Event], states: Sequence[LinkState]
    ) -> None:
        self.clear()
        decided = {
            item.key: {"proposed_by": state.decision.detail.get("proposed_by", []),
                       "decision": state.decision.decision, "decided_by": state.decision.decided_by}
            for state in states if state.decision is not None
            for alt in state.slot.alternatives for item in alt.items
        }  # fmt: skip
        for rel in relations:
            prov = link_provenance(rel)
            self._row(describe(LinkItem(rel.type, (rel.head, rel.tail))), prov)
        for event in events:
            prov = link_provenance(event)
            if not event.arguments:
                frame = frame_item(event)
                self._row(describe(frame), decided.get(frame.key, prov))
            for arg in event.arguments:
                item = LinkItem(f"{event.type}:{arg.role}", (event.trigger, arg.span))
                self._row(describe(item), decided.get(item.key, prov))

    def _row(self, text: str, prov: dict) -> None:
        key = f"decision_{prov.get('decision')}"
        decision = tr(key, self.language) if key in EN else str(prov.get("decision", "?"))
        proposed = ", ".join(prov.get("proposed_by", [])) or tr("nobody", self.language)
        self.addItem(tr("gold_link_row", self.language, text=text, proposed=proposed,
                        decision=decision, by=prov.get("decided_by", "?")))  # fmt: skip
