"""Storing the relations and events a reader found, beside the spans an import stored.

Kept apart from ``importing.py`` (the article and span half). A format's :class:`Document` names
a link's spans by value, not id: here each end is matched by ``(layer, start, end, label)`` to the
span the import just stored in the same layer (after any ``--layer`` and any move off format
marks), so a link always lands in the layer of its spans. Links are idempotent like spans: a
re-import adds only what the project lacks. Relation and event types the schema lacks are
refused like unknown labels, or added (``--new-labels add``) with the labels they were seen with.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from annotator.errors import InputError, SpanError
from annotator.model import Document, Event, Relation, Schema, Span

if TYPE_CHECKING:
    from annotator.link_records import LinkRows

Resolve = Callable[[Span], Span | None]
"""A reader's span -> the span as the import stored it (layer, trimmed ends), None if dropped."""


@dataclass
class LinkTally:
    """What an import did with links, and the types the schema lacks (for the schema step)."""

    relations_added: int = 0
    relations_existing: int = 0
    events_added: int = 0
    events_existing: int = 0
    dropped: int = 0
    """Links (or arguments) whose span the import dropped (nothing but format marks)."""
    unknown_relations: dict[str, tuple[set[str], set[str]]] = field(default_factory=dict)
    """``{type: (head labels, tail labels)}`` of relation types the schema lacks."""
    unknown_events: dict[str, tuple[set[str], dict[str, set[str]]]] = field(default_factory=dict)
    """``{type: (trigger labels, {role: labels})}`` of event types or roles the schema lacks."""

    def summary(self) -> list[str]:
        parts = []
        if self.relations_added or self.relations_existing:
            parts.append(f"{self.relations_added} relations added"
                         + (f" ({self.relations_existing} already present)" if self.relations_existing else ""))
        if self.events_added or self.events_existing:
            parts.append(f"{self.events_added} events added"
                         + (f" ({self.events_existing} already present)" if self.events_existing else ""))
        if self.dropped:
            parts.append(f"{self.dropped} links left out: their span was only format marks")
        return parts

    def unknown_names(self) -> list[str]:
        return sorted(set(self.unknown_relations) | set(self.unknown_events))


def store_links(store: LinkRows, article_id: int, doc: Document, resolve: Resolve,
                schema: Schema, tally: LinkTally) -> None:
    """Store ``doc``'s relations and events over the spans already stored for the article."""
    if not (doc.relations or doc.events):
        return
    try:
        doc.check()  # every end is one of the document's spans
    except SpanError as exc:
        raise InputError(f"document {doc.doc_id!r}: {exc}", doc.meta.get("path"),
                         doc.meta.get("line")) from None
    _note_unknown(doc, schema, tally)
    held = {(s.annotator, s.key): s for s in store.spans(article_id)}

    def stored(span: Span) -> Span | None:
        moved = resolve(span)
        return None if moved is None else held.get((moved.annotator, moved.key))

    relations = {(r.type, r.head.id, r.tail.id) for r in store.relations(article_id)}
    for relation in doc.relations:
        head, tail = stored(relation.head), stored(relation.tail)
        if head is None or tail is None:
            tally.dropped += 1
            continue
        _one_layer(doc, f"relation {relation.type}", [head, tail])
        if (relation.type, head.id, tail.id) in relations:
            tally.relations_existing += 1
            continue
        store.insert_relation(article_id, Relation(relation.type, head, tail, head.annotator,
                                                   provenance=relation.provenance))
        relations.add((relation.type, head.id, tail.id))
        tally.relations_added += 1
    events = {(e.type, e.trigger.id): e for e in store.events(article_id)}
    for event in doc.events:
        _store_event(store, article_id, doc, event, stored, events, tally)


def _store_event(store: LinkRows, article_id: int, doc: Document, event: Event,
                 stored: Resolve, events: dict[tuple[str, int | None], Event], tally: LinkTally) -> None:
    trigger = stored(event.trigger)
    if trigger is None:
        tally.dropped += 1
        return
    held = events.get((event.type, trigger.id))
    if held is None:
        held = store.insert_event(article_id, Event(event.type, trigger, (), trigger.annotator,
                                                    provenance=event.provenance))
        events[(event.type, trigger.id)] = held
        tally.events_added += 1
    else:
        tally.events_existing += 1
    for argument in event.arguments:
        span = stored(argument.span)
        if span is None:
            tally.dropped += 1
            continue
        _one_layer(doc, f"event {event.type}", [trigger, span])
        store.insert_argument(held.id, argument.role, span.id)  # type: ignore[arg-type]


def _one_layer(doc: Document, what: str, spans: list[Span]) -> None:
    layers = sorted({s.annotator for s in spans})
    if len(layers) > 1:
        raise InputError(f"document {doc.doc_id!r}: {what} joins spans of layers "
                         f"{', '.join(layers)}; a link joins spans of one layer",
                         doc.meta.get("path"), doc.meta.get("line"))


def _note_unknown(doc: Document, schema: Schema, tally: LinkTally) -> None:
    """Record relation types, event types and roles ``schema`` lacks, with the labels seen."""
    known_relations = {kind.name for kind in schema.relation_types}
    for relation in doc.relations:
        if relation.type not in known_relations:
            heads, tails = tally.unknown_relations.setdefault(relation.type, (set(), set()))
            heads.add(relation.head.label)
            tails.add(relation.tail.label)
    known_events = {kind.name: {role.name for role in kind.roles} for kind in schema.event_types}
    for event in doc.events:
        roles = known_events.get(event.type)
        fresh = [a for a in event.arguments if roles is None or a.role not in roles]
        if roles is not None and not fresh:
            continue
        triggers, seen = tally.unknown_events.setdefault(event.type, (set(), {}))
        if roles is None:
            triggers.add(event.trigger.label)
        for argument in fresh:
            seen.setdefault(argument.role, set()).add(argument.span.label)
