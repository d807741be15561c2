"""Relations and event frames in a session: the rules of linking spans, and their undo.

The half of :class:`annotator.project.Session` that links spans, beside ``editing.py`` (which
changes spans). A link joins two spans of the session user's own layer; the schema says which
labels a relation type and an event role accept, and how often a role is filled. Every change
is one transaction that records one step of the persisted undo history, like a span edit.
History records name spans by content (``link_records``), and each step resolves them to the
user's current span ids, because undo may have restored a span under a new id.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from annotator.errors import LinkError, PermissionDenied, SchemaError
from annotator.link_records import (
    SpanLinks,
    argument_record,
    event_from_dict,
    event_to_dict,
    order_arguments,
    relation_from_dict,
    relation_to_dict,
)
from annotator.model import (
    Event,
    EventArgument,
    EventType,
    Relation,
    RelationType,
    Role,
    Span,
    span_from_dict,
)
from annotator.retries import one_action

if TYPE_CHECKING:
    from annotator.project import Project
    from annotator.store.protocol import ProjectStore

LINK_OPS = ("link", "unlink", "add_event", "remove_event", "argument")
"""History operations this module applies (``editing.Editing._apply`` hands them here)."""


class Linking:
    """The linking half of :class:`annotator.project.Session` (``project``, ``store``, ``user``)."""

    project: Project
    store: ProjectStore
    user: str

    if TYPE_CHECKING:  # provided by Session, its Gate and Editing
        def require_read(self, layer: str) -> None: ...
        def _own_span(self, article_id: int, span_id: int) -> Span: ...
        def _own_id(self, article_id: int, span: Span, label: str | None = None) -> int | None: ...
        def _touch(self, article_id: int) -> None: ...
        def _record(self, article_id: int, action: dict[str, Any]) -> None: ...

    def _done(self, article_id: int, action: dict[str, Any]) -> None:
        """One link change made: its undo step in the user's history, and the article touched."""
        self._record(article_id, action)
        self._touch(article_id)

    # --- reading -----------------------------------------------------------------------------

    def relations(self, article_id: int) -> list[Relation]:
        """This user's relations of an article (her own layer, as :meth:`spans`)."""
        return self.store.relations(article_id, [self.user])

    def events(self, article_id: int) -> list[Event]:
        """This user's events of an article, arguments in schema role order."""
        schema = self.project.schema
        return [order_arguments(e, schema) for e in self.store.events(article_id, [self.user])]

    def layer_relations(self, article_id: int, layer: str) -> list[Relation]:
        """Another layer's relations, if this session may read that layer (else PermissionDenied)."""
        self.require_read(layer)
        return self.store.relations(article_id, [layer])

    def layer_events(self, article_id: int, layer: str) -> list[Event]:
        """Another layer's events, if this session may read that layer (else PermissionDenied)."""
        self.require_read(layer)
        schema = self.project.schema
        return [order_arguments(e, schema) for e in self.store.events(article_id, [layer])]

    def links_of_span(self, article_id: int, span_id: int) -> SpanLinks:
        """What span ``span_id`` takes part in (what deleting or relabelling it breaks)."""
        where, span = self.store.span(span_id)
        if where != article_id:
            raise LinkError(f"span {span_id} is not in article {article_id}")
        return self._links_of(article_id, span)

    def _links_of(self, article_id: int, span: Span) -> SpanLinks:
        """:meth:`links_of_span` of a span already read from ``article_id`` (an edit has just
        read it to check it is the user's own: a second read would be a round trip more)."""
        self.require_read(span.annotator)
        span_id = span.id
        layer_relations, events = self.store.links(article_id, [span.annotator])
        relations = tuple(r for r in layer_relations if span_id in (r.head.id, r.tail.id))
        return SpanLinks(
            span, relations,
            tuple(e for e in events if e.trigger.id == span_id),
            tuple((e, a.role) for e in events if e.trigger.id != span_id
                  for a in e.arguments if a.span.id == span_id),
        )

    # --- relations ---------------------------------------------------------------------------

    @one_action
    def add_relation(self, article_id: int, type: str, head_id: int, tail_id: int) -> Relation:
        """Link two of this user's spans with a relation the schema allows between their labels."""
        kind = self._relation_type(type)
        if head_id == tail_id:
            raise LinkError(f"{type}: a span cannot be linked to itself")
        with self.store.transaction():
            head, tail = self._own_span(article_id, head_id), self._own_span(article_id, tail_id)
            if not kind.allows(head.label, tail.label):
                raise LinkError(f"{type} links {'/'.join(kind.heads)} to {'/'.join(kind.tails)},"
                                f" not {head.label} to {tail.label}")
            for held in self.store.relations(article_id, [self.user]):
                ends = {(held.head.id, held.tail.id)}
                if kind.symmetric:
                    ends.add((held.tail.id, held.head.id))
                if held.type == type and (head_id, tail_id) in ends:
                    raise LinkError(f"{type} «{head.text}» → «{tail.text}» already exists")
            saved = self.store.insert_relation(article_id, Relation(type, head, tail, self.user))
            self._done(article_id, {"op": "link", "relation": relation_to_dict(saved)})
        return saved

    @one_action
    def remove_relation(self, article_id: int, relation_id: int) -> None:
        with self.store.transaction():
            relation = self._own_relation(article_id, relation_id)
            self.store.delete_relation(relation_id)
            self._done(article_id, {"op": "unlink", "relation": relation_to_dict(relation)})

    # --- events ------------------------------------------------------------------------------

    @one_action
    def add_event(self, article_id: int, trigger_span_id: int, type: str) -> Event:
        """Make one of this user's spans the trigger of an event of ``type`` (no arguments yet)."""
        kind = self._event_type(type)
        with self.store.transaction():
            trigger = self._own_span(article_id, trigger_span_id)
            if trigger.label != kind.trigger_label:
                raise LinkError(f"a {type} event's trigger is labelled {kind.trigger_label},"
                                f" not {trigger.label}")
            if any(e.type == type and e.trigger.id == trigger_span_id
                   for e in self.store.events(article_id, [self.user])):
                raise LinkError(f"«{trigger.text}» already triggers a {type} event")
            saved = self.store.insert_event(article_id, Event(type, trigger, (), self.user))
            self._done(article_id, {"op": "add_event", "event": event_to_dict(saved)})
        return saved

    @one_action
    def remove_event(self, article_id: int, event_id: int) -> None:
        """Remove an event and its arguments (the spans stay), as one undo step."""
        with self.store.transaction():
            event = self._own_event(article_id, event_id)
            self.store.delete_event(event_id)
            self._done(article_id, {"op": "remove_event", "event": event_to_dict(event)})

    @one_action
    def set_argument(self, article_id: int, event_id: int, role: str, span_id: int) -> Event:
        """Let a span fill ``role``: it replaces the filler of a ``one``/``optional`` role and
        joins the fillers of a ``many`` role."""
        with self.store.transaction():
            event = self._own_event(article_id, event_id)
            slot = self._role(event, role)
            span = self._own_span(article_id, span_id)
            if span_id == event.trigger.id:
                raise LinkError(f"«{span.text}» is the trigger of this {event.type} event, not its {role}")
            if span.label not in slot.labels:
                raise LinkError(f"{event.type} {role} takes {'/'.join(slot.labels)}, not {span.label}")
            fillers = [a.span for a in event.arguments if a.role == role]
            if any(f.id == span_id for f in fillers):
                raise LinkError(f"«{span.text}» is already the {role} of this {event.type} event")
            removed = fillers if slot.multiplicity != "many" else []
            for old in removed:
                self.store.delete_argument(event_id, role, old.id)  # type: ignore[arg-type]
            self.store.insert_argument(event_id, role, span_id)
            self._done(article_id, {
                "op": "argument", "added": [argument_record(event, role, span)],
                "removed": [argument_record(event, role, old) for old in removed]})
            return self._own_event(article_id, event_id)

    @one_action
    def fill_role(self, article_id: int, event_id: int | None, type: str, trigger_span_id: int,
                  role: str, span_id: int) -> Event:
        """Let a span fill ``role`` of an event, making the ``type`` event of the trigger first
        when ``event_id`` is None: ONE transaction (two undo steps when the event is new), so the
        desk sends the new event and its first argument as one change, stored or not together."""
        with self.store.transaction():
            if event_id is None:
                event_id = self.add_event(article_id, trigger_span_id, type).id or 0
            return self.set_argument(article_id, event_id, role, span_id)

    @one_action
    def remove_argument(self, article_id: int, event_id: int, role: str, span_id: int) -> Event:
        """Empty one filler of a role, as one undo step."""
        with self.store.transaction():
            event = self._own_event(article_id, event_id)
            filler = [a.span for a in event.arguments if a.role == role and a.span.id == span_id]
            if not filler:
                raise LinkError(f"span {span_id} is not the {role} of {event.type} event {event_id}")
            self.store.delete_argument(event_id, role, span_id)
            self._done(article_id, {
                "op": "argument", "added": [], "removed": [argument_record(event, role, filler[0])]})
            return self._own_event(article_id, event_id)

    def _copy_links_from(self, article_id: int, layer: str) -> dict[str, Any]:
        """Copy ``layer``'s links into this user's layer where she holds all their spans (by
        ``(start, end, label)``) and not the link; returns them as a history record."""
        mine = {span.key: span for span in self.store.spans(article_id, [self.user])}
        held = {r.key for r in self.store.relations(article_id, [self.user])}
        relations = []
        for r in self.store.relations(article_id, [layer]):
            if r.key not in held and r.head.key in mine and r.tail.key in mine:
                relations.append(self.store.insert_relation(article_id, Relation(
                    r.type, mine[r.head.key], mine[r.tail.key], self.user, provenance=f"from {layer}")))
        frames = {e.key: e for e in self.store.events(article_id, [self.user])}
        events = []
        for e in self.store.events(article_id, [layer]):
            if e.key in frames or e.trigger.key not in mine:
                continue
            arguments = tuple(EventArgument(a.role, mine[a.span.key]) for a in e.arguments
                              if a.span.key in mine)
            events.append(self.store.insert_event(article_id, Event(
                e.type, mine[e.trigger.key], arguments, self.user, provenance=f"from {layer}")))
        return {"relations": [relation_to_dict(r) for r in relations],
                "events": [event_to_dict(e) for e in events], "arguments": []}

    # --- lookups -----------------------------------------------------------------------------

    def _relation_type(self, name: str) -> RelationType:
        try:
            return self.project.schema.relation_type(name)
        except KeyError:
            raise SchemaError(f"unknown relation type {name!r}") from None

    def _event_type(self, name: str) -> EventType:
        try:
            return self.project.schema.event_type(name)
        except KeyError:
            raise SchemaError(f"unknown event type {name!r}") from None

    def _role(self, event: Event, name: str) -> Role:
        try:
            return self._event_type(event.type).role(name)
        except KeyError:
            raise SchemaError(f"{event.type} events have no role {name!r}") from None

    def _own_relation(self, article_id: int, relation_id: int) -> Relation:
        for relation in self.store.relations(article_id):
            if relation.id == relation_id:
                if relation.annotator != self.user:
                    raise PermissionDenied(f"relation {relation_id} belongs to {relation.annotator}, not {self.user}")
                return relation
        raise LinkError(f"no relation {relation_id} in article {article_id}")

    def _own_event(self, article_id: int, event_id: int) -> Event:
        for event in self.store.events(article_id):
            if event.id == event_id:
                if event.annotator != self.user:
                    raise PermissionDenied(f"event {event_id} belongs to {event.annotator}, not {self.user}")
                return order_arguments(event, self.project.schema)
        raise LinkError(f"no event {event_id} in article {article_id}")

    # --- undo / redo of links (called by Editing._apply) --------------------------------------

    def _apply_link(self, article_id: int, action: dict[str, Any], *, reverse: bool) -> None:
        op = action["op"]
        if op in ("link", "unlink"):
            adding = (op == "link") != reverse
            relation = relation_from_dict(action["relation"], self.user)
            (self._restore_relation if adding else self._drop_relation)(article_id, relation)
        elif op in ("add_event", "remove_event"):
            adding = (op == "add_event") != reverse
            event = event_from_dict(action["event"], self.user)
            (self._restore_event if adding else self._drop_event)(article_id, event)
        elif op == "argument":
            gone, back = ("added", "removed") if reverse else ("removed", "added")
            for record in action[gone]:
                self._argument(article_id, record, add=False)
            for record in action[back]:
                self._argument(article_id, record, add=True)

    def _drop_links(self, article_id: int, links: dict[str, Any]) -> None:
        """Remove the links a ``remove``/``relabel`` step recorded (redo of that step)."""
        for record in links.get("arguments", []):
            self._argument(article_id, record, add=False)
        for data in links.get("events", []):
            self._drop_event(article_id, event_from_dict(data, self.user))
        for data in links.get("relations", []):
            self._drop_relation(article_id, relation_from_dict(data, self.user))

    def _restore_links(self, article_id: int, links: dict[str, Any]) -> None:
        """Put back the links a ``remove``/``relabel`` step took away (its undo)."""
        for data in links.get("relations", []):
            self._restore_relation(article_id, relation_from_dict(data, self.user))
        for data in links.get("events", []):
            self._restore_event(article_id, event_from_dict(data, self.user))
        for record in links.get("arguments", []):
            self._argument(article_id, record, add=True)

    def _current(self, article_id: int, span: Span) -> Span | None:
        """This user's span ``span`` as it is now (its id may have changed), or None if gone."""
        held = self._own_id(article_id, span)
        if held is None:
            return None
        return self.store.span(held)[1]

    def _restore_relation(self, article_id: int, relation: Relation) -> None:
        head, tail = self._current(article_id, relation.head), self._current(article_id, relation.tail)
        if head is None or tail is None or self._find_relation(article_id, relation) is not None:
            return
        self.store.insert_relation(article_id, Relation(relation.type, head, tail, self.user,
                                                        relation.id, relation.provenance))

    def _drop_relation(self, article_id: int, relation: Relation) -> None:
        held = self._find_relation(article_id, relation)
        if held is not None:
            self.store.delete_relation(held)

    def _find_relation(self, article_id: int, relation: Relation) -> int | None:
        head, tail = self._current(article_id, relation.head), self._current(article_id, relation.tail)
        if head is None or tail is None:
            return None
        for held in self.store.relations(article_id, [self.user]):
            if (held.type, held.head.id, held.tail.id) == (relation.type, head.id, tail.id):
                return held.id
        return None

    def _find_event(self, article_id: int, type: str, trigger: Span) -> Event | None:
        current = self._current(article_id, trigger)
        if current is None:
            return None
        for held in self.store.events(article_id, [self.user]):
            if held.type == type and held.trigger.id == current.id:
                return held
        return None

    def _restore_event(self, article_id: int, event: Event) -> None:
        held = self._find_event(article_id, event.type, event.trigger)
        if held is None:
            trigger = self._current(article_id, event.trigger)
            if trigger is None:
                return
            held = self.store.insert_event(article_id, Event(event.type, trigger, (), self.user,
                                                             event.id, event.provenance))
        for argument in event.arguments:
            span = self._current(article_id, argument.span)
            if span is not None:
                self.store.insert_argument(held.id, argument.role, span.id)  # type: ignore[arg-type]

    def _drop_event(self, article_id: int, event: Event) -> None:
        held = self._find_event(article_id, event.type, event.trigger)
        if held is not None:
            self.store.delete_event(held.id)  # type: ignore[arg-type]

    def _argument(self, article_id: int, record: dict[str, Any], *, add: bool) -> None:
        event = self._find_event(article_id, record["event"], span_from_dict(record["trigger"]))
        span = self._current(article_id, span_from_dict(record["span"]))
        if event is None or span is None:
            return
        if add:
            self.store.insert_argument(event.id, record["role"], span.id)  # type: ignore[arg-type]
        else:
            self.store.delete_argument(event.id, record["role"], span.id)  # type: ignore[arg-type]
