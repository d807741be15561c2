"""Relations and events in formats that know only binary relations (doccano, Label Studio, Prodigy).

Those tools link two spans with a typed, directed relation and have no event frame. An event is
written there as one relation per filled role, from the trigger to the argument, typed
``<event type>:<role>`` (``attack:place``), the way brat names an event's type and trigger and
most event-extraction code pairs trigger and argument. Reading turns every relation whose type
has a ``:`` back into an argument of the event of that type on that trigger (one event per
``(type, trigger)``); the rest stay relations. So a relation type must not contain ``:``
(the schema's names are ``reported-by``, ``located-in``...), and an event with no filled role
has no relation to travel as: :func:`event_links` counts those for the export report.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from annotator.model import Document, Event, EventArgument, Relation, Schema, Span

ROLE_SEP = ":"


@dataclass(frozen=True)
class Link:
    """A typed, directed link between two spans, as a relation-only format holds it."""

    type: str
    head: Span
    tail: Span


def event_links(doc: Document) -> tuple[list[Link], int]:
    """Every relation of ``doc``, then every event argument as a ``type:role`` link from its
    trigger; and how many events had no argument (so cannot be written).

    >>> strike, place = Span(0, 3, "ATTACK", "قصف"), Span(4, 7, "LOCATION", "حلب")
    >>> doc = Document("a", "قصف حلب", spans=(strike, place),
    ...                events=(Event("attack", strike, (EventArgument("place", place),)),))
    >>> [(link.type, link.tail.text) for link in event_links(doc)[0]]
    [('attack:place', 'حلب')]
    """
    links = [Link(r.type, r.head, r.tail) for r in doc.relations]
    empty = 0
    for event in doc.events:
        if not event.arguments:
            empty += 1
        for argument in event.arguments:
            links.append(Link(f"{event.type}{ROLE_SEP}{argument.role}", event.trigger, argument.span))
    return links, empty


def split_links(links: Iterable[Link], annotator: str = "") -> tuple[tuple[Relation, ...],
                                                                       tuple[Event, ...]]:
    """Relations and events back from :func:`event_links`' links (events in first-seen order,
    arguments in link order).

    >>> strike, place = Span(0, 3, "ATTACK", "قصف"), Span(4, 7, "LOCATION", "حلب")
    >>> relations, events = split_links([Link("attack:place", strike, place)])
    >>> relations, [(e.type, [a.role for a in e.arguments]) for e in events]
    ((), [('attack', ['place'])])
    """
    relations: list[Relation] = []
    frames: dict[tuple[str, tuple[int, int, str]], tuple[Span, list[EventArgument]]] = {}
    for link in links:
        kind, sep, role = link.type.partition(ROLE_SEP)
        if not sep or not kind or not role:
            relations.append(Relation(link.type, link.head, link.tail, annotator))
            continue
        frames.setdefault((kind, link.head.key), (link.head, []))[1].append(
            EventArgument(role, link.tail))
    events = tuple(Event(kind, trigger, tuple(arguments), annotator)
                   for (kind, _), (trigger, arguments) in frames.items())
    return tuple(relations), events


def layers_of(doc: Document) -> dict[str, Document]:
    """``doc`` cut into one document per layer (brat files have no annotators)."""
    names = sorted({s.annotator for s in doc.spans})
    return {
        name: Document(doc.doc_id, doc.text, doc.title,
                       tuple(s for s in doc.spans if s.annotator == name), doc.meta,
                       tuple(r for r in doc.relations if r.head.annotator == name),
                       tuple(e for e in doc.events if e.trigger.annotator == name))
        for name in names or [""]
    }


def schema_triggers(doc: Document, schema: Schema) -> Document:
    """``doc`` with each trigger typed by its event's type (brat's convention: ``T1 attack``
    under ``E1 attack:T1``) relabelled with the schema's trigger label for that event type.

    Only a label the schema does not know is changed, so a project whose trigger label is
    its event type's name, or a file that already uses the label, reads as it is.

    >>> from annotator.model import EventType, Label
    >>> schema = Schema("s", (Label("ATTACK", "", "", ""),),
    ...                 event_types=(EventType("attack", "", "", "ATTACK", ()),))
    >>> strike = Span(0, 3, "attack", "قصف")
    >>> doc = schema_triggers(Document("a", "قصف", spans=(strike,), events=(Event("attack", strike),)),
    ...                       schema)
    >>> doc.spans[0].label, doc.events[0].trigger.label
    ('ATTACK', 'ATTACK')
    """
    labels = {kind.name: kind.trigger_label for kind in schema.event_types}
    known = set(schema.names)
    renamed = {event.trigger: replace(event.trigger, label=labels[event.type])
               for event in doc.events
               if event.type in labels and event.trigger.label == event.type
               and event.type not in known}
    if not renamed:
        return doc

    def swap(span: Span) -> Span:
        return renamed.get(span, span)

    return replace(
        doc, spans=tuple(swap(s) for s in doc.spans),
        relations=tuple(replace(r, head=swap(r.head), tail=swap(r.tail)) for r in doc.relations),
        events=tuple(replace(e, trigger=swap(e.trigger), arguments=tuple(
            replace(a, span=swap(a.span)) for a in e.arguments)) for e in doc.events))
