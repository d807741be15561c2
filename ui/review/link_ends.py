"""Other ends for a link slot, chosen on the text: the annotation desk's link mode, over gold.

The review desk's E offers the proposed ends under another relation type or role; when the
right end is a gold span nobody linked (the reviewer decided the region as ``في حلب`` where the
lanes linked ``حلب`` or ``حي في حلب``), it is picked here. Tab on a link slot enters link mode
from the slot's head (or trigger) in gold, with the kind of the slot's first version; Tab /
Shift+Tab visit the gold spans the schema allows for it that keep the link in its slot (each end
overlapping the slot's), nearest first, with the dashed preview arc; Enter puts that link as the
reviewer's edit (one undo step), Esc leaves.

Why a subclass of :class:`ui.desk.linking.Linker`: the candidates, their order, the preview and
the keys must be the annotation desk's (one link mode to learn, one to fix); only where the
spans come from (gold, narrowed to the slot) and where the link goes (the review's
``edit_link``) differ. The mouse is not taken: clicks on the text stay the review's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal

from annotator.agreement.links import LinkItem
from annotator.model import Event, Relation, Span
from annotator.review.link_slots import is_frame, joins
from ui.desk import link_targets as targets
from ui.desk.link_targets import LinkChoice
from ui.desk.linking import ENTER_KEYS, MODIFIER_KEYS, Linker

if TYPE_CHECKING:
    from PySide6.QtGui import QKeyEvent

    from ui.desk.document_view import DocumentView
    from ui.review.controller import AdjudicationController


class _NoLinks(QObject):
    """What :class:`Linker` reads of the annotator's own links: none here (an edit replaces
    the slot's links, so no gold span is "already linked" and passed over)."""

    linksChanged = Signal()
    relations: list[Relation] = []
    events: list[Event] = []


class EndPicker(Linker):
    """Link mode on the current slot of the review controller."""

    def __init__(self, view: DocumentView, controller: AdjudicationController,
                 language: Callable[[], str]) -> None:
        super().__init__(view, _NoLinks(view), language)  # type: ignore[arg-type]
        self.controller = controller
        controller.currentLinkChanged.connect(lambda _: self.cancel())

    def _proposed(self) -> list[LinkItem]:
        slot = self.controller.current_link.slot if self.controller.current_link else None
        return [item for alt in slot.alternatives for item in alt.items] if slot else []

    def begin(self) -> bool:
        """Link mode from the current slot's head or trigger in gold; False (said) when none."""
        proposed = [item for item in self._proposed() if not is_frame(item.kind)]
        if not proposed:
            return False
        first = proposed[0]
        gold = {span.key: span for span in self.controller.gold}
        source = gold.get(first.ends[0].key) or next(
            (s for s in self.controller.gold if s.start < first.ends[0].end and first.ends[0].start < s.end
             and s.label == first.ends[0].label), None)
        if source is None:
            self.status.emit(self._tr("link_no_candidates", kind=first.kind))
            return True
        return self.start(self._choice(first.kind), source) or True

    def _choice(self, kind: str) -> LinkChoice:
        schema = self.view.schema
        event_type, colon, role = kind.partition(":")
        if not colon:
            return targets.relation_choice(schema, kind)
        frame = schema.event_type(event_type)
        return targets.role_choice(frame, frame.role(role), None)

    def _item(self, choice: LinkChoice, source: Span, target: Span) -> LinkItem:
        if choice.kind == "relation":
            symmetric = self.view.schema.relation_type(choice.name).symmetric
            return LinkItem(choice.name, (source, target), symmetric)
        return LinkItem(f"{choice.event_type}:{choice.name}", (source, target))

    def reachable(self, choice: LinkChoice, source: Span) -> list[Span]:
        """Gold spans the schema allows, that keep the link in the slot."""
        proposed = self._proposed()
        return [span for span in targets.candidates(self.view.schema, choice, source, self.controller.gold)
                if any(joins(self._item(choice, source, span), other) for other in proposed)]

    def tab(self, forward: bool) -> bool:
        if not self.active and self.controller.current_link is not None:
            return self.begin()
        return super().tab(forward)

    def make(self, choice: LinkChoice, source: Span, target: Span) -> bool:
        return self.controller.edit_link(self._item(choice, source, target))

    def next_slot(self, trigger: Span, filled: LinkChoice) -> bool:
        return False  # the review desk goes on to the next open slot itself

    def key(self, event: QKeyEvent) -> bool:
        """Enter, Esc, Shift on its way to Shift+Tab; any other key leaves and is the review's."""
        if not self.active:
            return False
        if event.key() in (*ENTER_KEYS, Qt.Key.Key_Escape, *MODIFIER_KEYS):
            return super().key(event)
        self.cancel()
        return False

    def press(self, event: Any) -> bool:
        return False

    def move(self, event: Any) -> bool:
        return False

    def release(self, event: Any) -> bool | None:
        return None
