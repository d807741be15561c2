"""The project's native JSON Lines format: one article per line, every annotator layer kept.

Each line is an object with keys in this order::

    {"id": "a1", "title": "...", "text": "...",
     "spans": [{"start": 3, "end": 7, "label": "LOCATION", "text": "دمشق", "annotator": "ali"}],
     "meta": {...}}

Offsets are code points, ``[start, end)``, over ``text``. ``spans`` are in text order
(:func:`sort_spans`) and may overlap (two annotators, or nested entities); a span carries
``"provenance"`` only when it has one. ``meta`` keys are sorted so the same document always
writes the same bytes: ``write_jsonl(read_jsonl(f)) == f`` for any file this module wrote.

Relations and events (issue 15) follow ``spans`` when a document has any, naming spans by
their index in ``spans`` (0-based), so a span used by two links is written once::

    "relations": [{"type": "located-in", "head": 0, "tail": 1, "annotator": "ali"}],
    "events": [{"type": "attack", "trigger": 2, "annotator": "ali",
                "arguments": [{"role": "place", "span": 1}]}]

A link's ends are spans of its own layer (``annotator``); ``provenance`` appears when set.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, TextIO

from annotator.errors import SpanError
from annotator.model import Document, Event, EventArgument, Relation, Span, sort_spans
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


def read_jsonl(text: str, *, path_name: str) -> Iterator[Document]:
    """Documents of a native JSONL text; ``id`` may be a JSON number (kept as its string).

    A record without ``id`` gets ``<file stem>#<record number>``. Two records with one id are an
    error: the store keeps ids unique, and silently merging two articles would lose one.
    """
    seen: dict[str, int] = {}
    for index, (line, record) in enumerate(iter_jsonl(text, path_name), start=1):
        where = Where(path_name, line, describe(index, record))
        doc = _document(record, where, default_id=f"{stem_of(path_name)}#{index}")
        if doc.doc_id in seen:
            raise where.error(f"id {doc.doc_id!r} already used on line {seen[doc.doc_id]}")
        seen[doc.doc_id] = line
        yield doc


def _document(record: Mapping[str, Any], where: Where, *, default_id: str) -> Document:
    reader = SpanReader(get_str(record, "text", where, required=True), utf16=False)
    spans = []
    for item in get_list(record, "spans", where):
        if not isinstance(item, dict):
            raise where.error(f"each span must be a JSON object, found {item!r}")
        spans.append(
            reader.span(
                item.get("start"),
                item.get("end"),
                item.get("label"),
                where,
                annotator=get_str(item, "annotator", where),
                quoted=item.get("text"),
                provenance=get_str(item, "provenance", where),
            )
        )
    return Document(
        doc_id=get_id(record, "id", where) or default_id,
        text=reader.text,
        title=get_str(record, "title", where),
        spans=tuple(sort_spans(spans)),
        meta=get_mapping(record, "meta", where),
        relations=tuple(_relation(item, spans, where) for item in _objects(record, "relations", where)),
        events=tuple(_event(item, spans, where) for item in _objects(record, "events", where)),
    )


def _objects(record: Mapping[str, Any], key: str, where: Where) -> list[Mapping[str, Any]]:
    items = get_list(record, key, where)
    for item in items:
        if not isinstance(item, dict):
            raise where.error(f"each of {key} must be a JSON object, found {item!r}")
    return items


def _end(item: Mapping[str, Any], key: str, spans: list[Span], where: Where) -> Span:
    """The span ``item[key]`` names by its index in the record's ``spans``."""
    index = item.get(key)
    if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(spans):
        raise where.error(f"{key} must be the index of one of the {len(spans)} spans, found {index!r}")
    return spans[index]


def _layer(item: Mapping[str, Any], ends: list[Span], what: str, where: Where) -> str:
    """The one layer of a link's spans (``annotator``, when given, must be it)."""
    layers = {span.annotator for span in ends}
    stated = get_str(item, "annotator", where)
    if len(layers) > 1 or (item.get("annotator") is not None and {stated} != layers):
        raise where.error(f"{what} joins spans of layers {', '.join(sorted(layers | {stated}))};"
                          " a link joins spans of one layer")
    return layers.pop()


def _relation(item: Mapping[str, Any], spans: list[Span], where: Where) -> Relation:
    head, tail = _end(item, "head", spans, where), _end(item, "tail", spans, where)
    kind = get_str(item, "type", where, required=True)
    layer = _layer(item, [head, tail], f"relation {kind}", where)
    return Relation(kind, head, tail, layer, provenance=get_str(item, "provenance", where))


def _event(item: Mapping[str, Any], spans: list[Span], where: Where) -> Event:
    trigger = _end(item, "trigger", spans, where)
    kind = get_str(item, "type", where, required=True)
    arguments = []
    for argument in _objects(item, "arguments", where):
        role = get_str(argument, "role", where, required=True)
        arguments.append(EventArgument(role, _end(argument, "span", spans, where)))
    layer = _layer(item, [trigger, *(a.span for a in arguments)], f"event {kind}", where)
    return Event(kind, trigger, tuple(arguments), layer, provenance=get_str(item, "provenance", where))


def write_jsonl(documents: Iterable[Document], out: TextIO) -> int:
    """Write one line per document to ``out``; returns how many were written.

    Each span is checked against its text first, so a drifted offset never reaches a file.
    """
    return write_json_lines(documents, out, lambda doc: [document_record(doc)])


def document_record(doc: Document) -> dict[str, Any]:
    """The JSON object of one document, keys in the documented order."""
    spans = sort_spans(doc.spans)
    record: dict[str, Any] = {
        "id": doc.doc_id,
        "title": doc.title,
        "text": doc.text,
        "spans": [_span_record(span) for span in spans],
    }
    if doc.relations or doc.events:
        index = {(span.annotator, span.key): n for n, span in enumerate(spans)}
        if doc.relations:
            record["relations"] = [_relation_record(r, index) for r in doc.relations]
        if doc.events:
            record["events"] = [_event_record(e, index) for e in doc.events]
    record["meta"] = _sorted(dict(doc.meta))
    return record


_Index = Mapping[tuple[str, tuple[int, int, str]], int]


def _at(span: Span, index: _Index) -> int:
    try:
        return index[(span.annotator, span.key)]
    except KeyError:
        raise SpanError(f"a link points at a span the document lacks: {span.key}") from None


def _relation_record(relation: Relation, index: _Index) -> dict[str, Any]:
    record: dict[str, Any] = {"type": relation.type, "head": _at(relation.head, index),
                              "tail": _at(relation.tail, index), "annotator": relation.annotator}
    if relation.provenance:
        record["provenance"] = relation.provenance
    return record


def _event_record(event: Event, index: _Index) -> dict[str, Any]:
    record: dict[str, Any] = {
        "type": event.type, "trigger": _at(event.trigger, index), "annotator": event.annotator,
        "arguments": [{"role": a.role, "span": _at(a.span, index)} for a in event.arguments]}
    if event.provenance:
        record["provenance"] = event.provenance
    return record


def _span_record(span: Span) -> dict[str, Any]:
    record: dict[str, Any] = {
        "start": span.start,
        "end": span.end,
        "label": span.label,
        "text": span.text,
        "annotator": span.annotator,
    }
    if span.provenance:
        record["provenance"] = span.provenance
    return record


def _sorted(value: Any) -> Any:
    """``value`` with every nested dict's keys sorted (lists keep their order)."""
    if isinstance(value, Mapping):
        return {key: _sorted(value[key]) for key in sorted(value)}
    if isinstance(value, (list, tuple)):
        return [_sorted(item) for item in value]
    return value
