"""The project's native JSON Lines format: one article per line, every annotator layer kept.

Each line is an object with keys in this order::

    {"id": "a1", "title": "...", "text": "...",
     "spans": [{"start": 3, "end": 7, "label": "LOCATION", "text": "دمشق", "annotator": "ali"}],
     "meta": {...}}

Offsets are code points, ``[start, end)``, over ``text``. ``spans`` are in text order
(:func:`sort_spans`) and may overlap (two annotators, or nested entities); a span carries
``"provenance"`` only when it has one. ``meta`` keys are sorted so the same document always
writes the same bytes: ``write_jsonl(read_jsonl(f)) == f`` for any file this module wrote.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, TextIO

from annotator.model import Document, Span, sort_spans
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
    )


def write_jsonl(documents: Iterable[Document], out: TextIO) -> int:
    """Write one line per document to ``out``; returns how many were written.

    Each span is checked against its text first, so a drifted offset never reaches a file.
    """
    return write_json_lines(documents, out, lambda doc: [document_record(doc)])


def document_record(doc: Document) -> dict[str, Any]:
    """The JSON object of one document, keys in the documented order."""
    return {
        "id": doc.doc_id,
        "title": doc.title,
        "text": doc.text,
        "spans": [_span_record(span) for span in sort_spans(doc.spans)],
        "meta": _sorted(dict(doc.meta)),
    }


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
