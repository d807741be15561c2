"""What a span's links are, in words and as history records.

:class:`SpanLinks` answers "what does deleting or relabelling this span break?" for the desk
(a confirmation line) and for the session (the links it removes in the same undo step). The
``*_to_dict`` functions are the JSON the persisted undo history keeps: whole spans, never bare
ids, because span ids are reused and a restored span may come back under a new id.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from annotator.model import (
    Event,
    EventArgument,
    Relation,
    Schema,
    Span,
    span_from_dict,
    span_to_dict,
)

if TYPE_CHECKING:  # a type only (see annotator.suggest.layers.LayerStore)

    class LinkRows(Protocol):
        """The part of :class:`annotator.store.protocol.ProjectStore` that imports, exports and
        package merges use for links, so they depend on an interface, not on the store."""

        def spans(self, article_id: int, annotators: Iterable[str] | None = None) -> list[Span]: ...
        def relations(self, article_id: int, annotators: Iterable[str] | None = None) -> list[Relation]: ...
        def events(self, article_id: int, annotators: Iterable[str] | None = None) -> list[Event]: ...
        def insert_relation(self, article_id: int, relation: Relation) -> Relation: ...
        def insert_event(self, article_id: int, event: Event) -> Event: ...
        def insert_argument(self, event_id: int, role: str, span_id: int) -> None: ...
        def delete_relation(self, relation_id: int) -> None: ...
        def delete_event(self, event_id: int) -> None: ...
        def delete_argument(self, event_id: int, role: str, span_id: int) -> None: ...


@dataclass(frozen=True)
class SpanLinks:
    """The links one span takes part in: relations (as head or tail), the events it triggers
    (with all their arguments: they go with it) and the roles it fills in other events."""

    span: Span
    relations: tuple[Relation, ...] = ()
    triggers: tuple[Event, ...] = ()
    arguments: tuple[tuple[Event, str], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.relations or self.triggers or self.arguments)

    def describe(self) -> str:
        """One short line, e.g. ``reported-by «قصف» → «سبوتنيك»; place of attack «قصف»``.

        >>> strike = Span(0, 3, "ATTACK", "قصف", "ali", 1)
        >>> agency = Span(4, 11, "SOURCE", "سبوتنيك", "ali", 2)
        >>> SpanLinks(agency, (Relation("reported-by", strike, agency, "ali"),)).describe()
        'reported-by «قصف» → «سبوتنيك»'
        """
        parts = [f"{r.type} «{r.head.text}» → «{r.tail.text}»" for r in self.relations]
        for event in self.triggers:
            filled = len(event.arguments)
            parts.append(f"{event.type} event «{event.trigger.text}» ({filled} argument"
                         f"{'' if filled == 1 else 's'})")
        parts += [f"{role} of {event.type} «{event.trigger.text}»" for event, role in self.arguments]
        return "; ".join(parts) or "no links"

    def broken_by(self, label: str, schema: Schema) -> SpanLinks:
        """The part of these links that relabelling the span as ``label`` breaks: a relation
        whose type no longer allows its ends, an event whose trigger is no longer its trigger
        label, a role that does not accept ``label``."""
        def relation_ok(link: Relation) -> bool:
            head = label if link.head.id == self.span.id else link.head.label
            tail = label if link.tail.id == self.span.id else link.tail.label
            return _relation_allows(schema, link.type, head, tail)

        return SpanLinks(
            self.span,
            tuple(r for r in self.relations if not relation_ok(r)),
            tuple(e for e in self.triggers if not _trigger_ok(schema, e.type, label)),
            tuple((e, role) for e, role in self.arguments if not _role_ok(schema, e.type, role, label)),
        )

    def to_dict(self) -> dict[str, Any]:
        """The history record of these links (see the module docstring)."""
        return {"relations": [relation_to_dict(r) for r in self.relations],
                "events": [event_to_dict(e) for e in self.triggers],
                "arguments": [argument_record(e, role, self.span) for e, role in self.arguments]}


def _relation_allows(schema: Schema, name: str, head: str, tail: str) -> bool:
    try:
        return schema.relation_type(name).allows(head, tail)
    except KeyError:
        return False


def _trigger_ok(schema: Schema, name: str, label: str) -> bool:
    try:
        return schema.event_type(name).trigger_label == label
    except KeyError:
        return False


def _role_ok(schema: Schema, name: str, role: str, label: str) -> bool:
    try:
        return label in schema.event_type(name).role(role).labels
    except KeyError:
        return False


def relation_to_dict(relation: Relation) -> dict[str, Any]:
    return {"id": relation.id, "type": relation.type, "head": span_to_dict(relation.head),
            "tail": span_to_dict(relation.tail), "provenance": relation.provenance}


def relation_from_dict(data: Mapping[str, Any], annotator: str) -> Relation:
    return Relation(data["type"], span_from_dict(data["head"]), span_from_dict(data["tail"]),
                    annotator, data.get("id"), data.get("provenance", ""))


def event_to_dict(event: Event) -> dict[str, Any]:
    return {"id": event.id, "type": event.type, "trigger": span_to_dict(event.trigger),
            "arguments": [{"role": a.role, "span": span_to_dict(a.span)} for a in event.arguments],
            "provenance": event.provenance}


def event_from_dict(data: Mapping[str, Any], annotator: str) -> Event:
    arguments = tuple(EventArgument(a["role"], span_from_dict(a["span"])) for a in data["arguments"])
    return Event(data["type"], span_from_dict(data["trigger"]), arguments, annotator,
                 data.get("id"), data.get("provenance", ""))


def argument_record(event: Event, role: str, span: Span) -> dict[str, Any]:
    """One filled role, naming its event by type and trigger (event ids change on restore)."""
    return {"event": event.type, "trigger": span_to_dict(event.trigger), "role": role,
            "span": span_to_dict(span)}


def moved_links(links: dict[str, Any], old: Span, new: Span) -> dict[str, Any]:
    """A history record of links with span ``old`` replaced by ``new`` wherever it appears
    (a span given new bounds keeps its links).

    >>> old, new = Span(0, 4, "LOCATION", "بحلب", "ali", 3), Span(1, 4, "LOCATION", "حلب", "ali", 5)
    >>> strike = Span(5, 8, "ATTACK", "قصف", "ali", 1)
    >>> record = {"relations": [], "events": [], "arguments": [argument_record(
    ...     Event("attack", strike), "place", old)]}
    >>> moved_links(record, old, new)["arguments"][0]["span"]["text"]
    'حلب'
    """
    before, after = span_to_dict(old), span_to_dict(new)

    def swap(value: Any) -> Any:
        if value == before:
            return after
        if isinstance(value, dict):
            return {key: swap(item) for key, item in value.items()}
        if isinstance(value, list):
            return [swap(item) for item in value]
        return value

    return swap(links)  # type: ignore[no-any-return]


def order_arguments(event: Event, schema: Schema) -> Event:
    """``event`` with its arguments in schema role order, then text order (deterministic output
    for the frame panel and exports); roles the schema lacks go last, by name."""
    try:
        names = [role.name for role in schema.event_type(event.type).roles]
    except KeyError:
        names = []

    def rank(argument: EventArgument) -> tuple[int, str, int, int]:
        where = names.index(argument.role) if argument.role in names else len(names)
        return (where, argument.role, argument.span.start, -argument.span.end)

    ordered = tuple(sorted(event.arguments, key=rank))
    if ordered == event.arguments:
        return event
    return Event(event.type, event.trigger, ordered, event.annotator, event.id, event.provenance)
