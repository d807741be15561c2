"""Event-extraction JSON Lines in the ACE shape OneIE's preprocessing writes, both directions.

Most event-extraction code trained on ACE 2005 (OneIE, and DEGREE, AMPERE, TextEE, which start
from OneIE's or DyGIE++'s preprocessed files) reads one JSON object per line with
``entity_mentions``, ``relation_mentions`` and ``event_mentions``. We follow OneIE's key names
(``prepreocessing/process_ace.py``) with two changes an article-level corpus needs: offsets
are **code points** into ``text`` (OneIE counts tokens of one sentence; a reader tokenises
``text`` itself), and arguments carry their own ``start``/``end`` beside ``entity_id``::

    {"doc_id": "a1", "annotator": "ali", "text": "...",
     "entity_mentions": [{"id": "a1-E1", "text": "حقل العمر", "entity_type": "LOCATION",
                          "start": 23, "end": 32}],
     "relation_mentions": [{"id": "a1-R1", "relation_type": "located-in", "arguments": [
         {"entity_id": "a1-E1", "text": "حقل العمر", "role": "Arg-1"},
         {"entity_id": "a1-E2", "text": "دير الزور", "role": "Arg-2"}]}],
     "event_mentions": [{"id": "a1-EV1", "event_type": "attack",
         "trigger": {"text": "قصف", "start": 8, "end": 11, "label": "ATTACK"},
         "arguments": [{"entity_id": "a1-E1", "text": "حقل العمر", "role": "place",
                        "start": 23, "end": 32}]}]}

A trigger is an event's, not an entity: it is listed in ``entity_mentions`` only when it is also
a relation's end or another event's argument. ``trigger.label`` is our span label of it (ACE
has none; the reader uses ``event_type`` without it). One line per document and layer.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, TextIO

from annotator.model import Document, Event, EventArgument, Relation, Span, sort_spans
from annotator.text.links import layers_of
from annotator.text.records import (
    SpanReader,
    Where,
    describe,
    get_id,
    get_list,
    get_mapping,
    get_str,
    iter_jsonl,
    stem_of,
    write_json_lines,
)

HEAD_ROLE, TAIL_ROLE = "Arg-1", "Arg-2"
"""ACE's names of a relation's two arguments (OneIE keeps them)."""


def read_events_json(text: str, *, path_name: str) -> Iterator[Document]:
    """Documents of an event JSON Lines text; lines of one ``doc_id`` (one per layer) merge."""
    docs: dict[str, Document] = {}
    for index, (line, record) in enumerate(iter_jsonl(text, path_name), start=1):
        where = Where(path_name, line, describe(index, record, key="doc_id"))
        doc = _document(record, where, default_id=f"{stem_of(path_name)}#{index}")
        earlier = docs.get(doc.doc_id)
        if earlier is not None and earlier.text != doc.text:
            raise where.error(f"document {doc.doc_id!r} appears earlier with a different text")
        docs[doc.doc_id] = doc if earlier is None else Document(
            doc.doc_id, doc.text, earlier.title, tuple(sort_spans(earlier.spans + doc.spans)),
            earlier.meta, earlier.relations + doc.relations, earlier.events + doc.events)
    yield from docs.values()


def _document(record: Mapping[str, Any], where: Where, *, default_id: str) -> Document:
    reader = SpanReader(get_str(record, "text", where, required=True), utf16=False)
    layer = get_str(record, "annotator", where)
    entities: dict[str, Span] = {}
    for item in _objects(record, "entity_mentions", where):
        ident = get_id(item, "id", where)
        if ident is None:
            raise where.error("an entity mention has no id")
        entities[ident] = reader.span(item.get("start"), item.get("end"), item.get("entity_type"),
                                      where, annotator=layer, quoted=item.get("text"))
    spans = {span.key: span for span in entities.values()}
    relations = [_relation(item, entities, where, layer) for item in
                 _objects(record, "relation_mentions", where)]
    events = []
    for item in _objects(record, "event_mentions", where):
        event = _event(item, reader, entities, where, layer)
        spans.setdefault(event.trigger.key, event.trigger)
        events.append(event)
    return Document(get_id(record, "doc_id", where) or default_id, reader.text,
                    get_str(record, "title", where), tuple(sort_spans(list(spans.values()))),
                    relations=tuple(relations), events=tuple(events))


def _objects(record: Mapping[str, Any], key: str, where: Where) -> list[dict[str, Any]]:
    items = get_list(record, key, where)
    for item in items:
        if not isinstance(item, dict):
            raise where.error(f"each of {key!r} must be a JSON object, found {item!r}")
    return items


def _entity(item: Mapping[str, Any], entities: Mapping[str, Span], where: Where) -> Span:
    ident = item.get("entity_id")
    if not isinstance(ident, (str, int)) or str(ident) not in entities:
        raise where.error(f"argument entity_id {ident!r} names no entity mention")
    return entities[str(ident)]


def _relation(item: Mapping[str, Any], entities: Mapping[str, Span], where: Where,
              layer: str) -> Relation:
    kind = get_str(item, "relation_type", where, required=True)
    args = {get_str(arg, "role", where): arg for arg in _objects(item, "arguments", where)}
    if set(args) != {HEAD_ROLE, TAIL_ROLE}:
        raise where.error(f"relation {kind} needs arguments {HEAD_ROLE} and {TAIL_ROLE}")
    return Relation(kind, _entity(args[HEAD_ROLE], entities, where),
                    _entity(args[TAIL_ROLE], entities, where), layer)


def _event(item: Mapping[str, Any], reader: SpanReader, entities: Mapping[str, Span],
           where: Where, layer: str) -> Event:
    kind = get_str(item, "event_type", where, required=True)
    trigger = get_mapping(item, "trigger", where)
    span = reader.span(trigger.get("start"), trigger.get("end"), trigger.get("label") or kind,
                       where, annotator=layer, quoted=trigger.get("text"))
    arguments = tuple(EventArgument(get_str(arg, "role", where, required=True),
                                    _entity(arg, entities, where))
                      for arg in _objects(item, "arguments", where))
    return Event(kind, span, arguments, layer)


def write_events_json(documents: Iterable[Document], out: TextIO) -> int:
    """Write one line per document and layer; returns the number of lines."""
    return write_json_lines(documents, out, lambda doc: [
        event_record(part) for part in layers_of(doc).values()])


def event_record(doc: Document) -> dict[str, Any]:
    """The line of one layer of one document (``doc``'s spans are one layer).

    >>> strike, town = Span(0, 3, "ATTACK", "قصف"), Span(4, 7, "LOCATION", "حلب")
    >>> doc = Document("a1", "قصف حلب", spans=(strike, town),
    ...                events=(Event("attack", strike, (EventArgument("place", town),)),))
    >>> record = event_record(doc)
    >>> [m["text"] for m in record["entity_mentions"]], record["event_mentions"][0]["trigger"]
    (['حلب'], {'text': 'قصف', 'start': 0, 'end': 3, 'label': 'ATTACK'})
    """
    triggers = {event.trigger.key for event in doc.events}
    needed = {end.key for r in doc.relations for end in (r.head, r.tail)}
    needed |= {arg.span.key for event in doc.events for arg in event.arguments}
    mentions = [s for s in sort_spans(list({s.key: s for s in doc.spans}.values()))
                if s.key not in triggers or s.key in needed]
    ids = {span.key: f"{doc.doc_id}-E{n}" for n, span in enumerate(mentions, start=1)}
    layer = doc.spans[0].annotator if doc.spans else ""
    return {
        "doc_id": doc.doc_id, "annotator": layer, "title": doc.title, "text": doc.text,
        "entity_mentions": [{"id": ids[s.key], "text": s.text, "entity_type": s.label,
                             "start": s.start, "end": s.end} for s in mentions],
        "relation_mentions": [
            {"id": f"{doc.doc_id}-R{n}", "relation_type": r.type, "arguments": [
                {"entity_id": ids[r.head.key], "text": r.head.text, "role": HEAD_ROLE},
                {"entity_id": ids[r.tail.key], "text": r.tail.text, "role": TAIL_ROLE}]}
            for n, r in enumerate(sorted(doc.relations, key=_relation_order), start=1)],
        "event_mentions": [
            {"id": f"{doc.doc_id}-EV{n}", "event_type": e.type,
             "trigger": {"text": e.trigger.text, "start": e.trigger.start, "end": e.trigger.end,
                         "label": e.trigger.label},
             "arguments": [{"entity_id": ids[a.span.key], "text": a.span.text, "role": a.role,
                            "start": a.span.start, "end": a.span.end} for a in e.arguments]}
            for n, e in enumerate(sorted(doc.events, key=_event_order), start=1)],
    }


def _relation_order(r: Relation) -> tuple[int, int, str]:
    return (r.head.start, r.tail.start, r.type)


def _event_order(e: Event) -> tuple[int, int, str]:
    return (e.trigger.start, e.trigger.end, e.type)
