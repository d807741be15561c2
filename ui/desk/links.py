"""The desk's relations and event frames: session calls out, the article's links back.

Why beside :class:`ui.desk.controller.DeskController` and not in it: links are a second kind
of thing on the same article, and the span controller is already the size a module should
be. Every change is ONE core call (one transaction, one step of the core's stored undo
history), made through the controller's write queue (behind another program's write it waits,
in order) and mirrored on the controller's undo stack with ``record_core_change``; that
re-reads the spans and says so, and the links are re-read whenever the spans are (a span
deleted or relabelled may take its links with it, an undo may bring them back).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from annotator.errors import AnnotatorError
from annotator.link_records import SpanLinks
from annotator.model import Event, Relation, Span
from ui.desk.controller import DeskController


class LinksController(QObject):
    """The relations and events of the user's layer on the open article."""

    linksChanged = Signal(object, object)  # list[Relation], list[Event]

    def __init__(self, controller: DeskController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.session = controller.session
        self.relations: list[Relation] = []
        self.events: list[Event] = []
        controller.articleOpened.connect(lambda *_: self.reload())
        controller.spansChanged.connect(lambda *_: self.reload())

    def reload(self) -> None:
        """Re-read the open article's links (one query each: an article has tens of them)."""
        aid = self.controller.article_id
        relations: list[Relation] = []
        events: list[Event] = []
        if aid is not None:
            try:
                relations, events = list(self.session.relations(aid)), list(self.session.events(aid))
            except AnnotatorError as exc:
                self.controller.message.emit(str(exc))
        self.relations, self.events = relations, events
        self.linksChanged.emit(list(relations), list(events))

    def layer_links(self, layer: str) -> tuple[list[Relation], list[Event]]:
        """Another layer's links on the open article (read-only; the session decides who may)."""
        aid = self.controller.article_id
        if aid is None:
            return [], []
        try:
            return list(self.session.layer_relations(aid, layer)), list(self.session.layer_events(aid, layer))
        except AnnotatorError as exc:
            self.controller.message.emit(str(exc))
            return [], []

    # -- changes: one core call each ---------------------------------------------------------
    def _write(self, action: Callable[[int], Any], undo_text: str) -> Any:
        return self.controller.write(action, lambda _: self.controller.record_core_change(undo_text))

    def add_relation(self, kind: str, head: Span, tail: Span) -> Relation | None:
        return self._write(lambda aid: self.session.add_relation(aid, kind, head.id, tail.id),
                           f"+{kind}")

    def remove_relation(self, relation: Relation) -> bool:
        return self._write(lambda aid: self.session.remove_relation(aid, relation.id) or True,
                           f"−{relation.type}") is not None

    def add_event(self, kind: str, trigger: Span) -> Event | None:
        return self._write(lambda aid: self.session.add_event(aid, trigger.id, kind), f"+{kind}")

    def fill_role(self, event: Event | None, kind: str, trigger: Span, role: str, span: Span) -> Event | None:
        """Fill ``role`` of ``event`` (None: the ``kind`` event ``trigger`` will have, made
        first) with ``span``: one write, so behind another program's write the event and its
        first argument wait (and are stored) together; two undo steps when the event is new."""
        def action(aid: int) -> Event:
            return self.session.fill_role(aid, event.id if event is not None else None, kind,
                                          trigger.id, role, span.id)

        def show(_: object) -> None:
            if event is None:
                self.controller.record_core_change(f"+{kind}")
            self.controller.record_core_change(f"+{role}")

        return self.controller.write(action, show)

    def remove_argument(self, event: Event, role: str, span: Span) -> Event | None:
        return self._write(lambda aid: self.session.remove_argument(aid, event.id, role, span.id),
                           f"−{role}")

    def remove_event(self, event: Event) -> bool:
        return self._write(lambda aid: self.session.remove_event(aid, event.id) or True,
                           f"−{event.type}") is not None

    def links_of_span(self, span: Span) -> SpanLinks | None:
        """The relations and events that use ``span`` (what deleting it breaks)."""
        aid = self.controller.article_id
        if aid is None or span.id is None:
            return None
        try:
            return self.session.links_of_span(aid, span.id)
        except AnnotatorError as exc:
            self.controller.message.emit(str(exc))
            return None

    def event_of(self, trigger: Span, kind: str) -> Event | None:
        """The ``kind`` event ``trigger`` triggers, if it has one."""
        return next((e for e in self.events if e.trigger.id == trigger.id and e.type == kind), None)
