"""doccano sequence-labelling JSONL, both directions.

doccano's front end is JavaScript, so its offsets count **UTF-16 code units**: after an emoji
(one code point, two units) they run one ahead of Python's. Every offset is converted at this
boundary with :class:`annotator.text.offsets.Utf16Map`; stored offsets stay code points.

Read, one object per line (unknown keys are ignored)::

    {"id": 7, "text": "...", "label": [[0, 4, "LOCATION"], ...]}            # doccano 1.x
    {"id": 7, "text": "...", "entities": [{"id": 1, "start_offset": 0,       # doccano >= 1.6
      "end_offset": 4, "label": "LOCATION"}], "relations": [...]}

``"labels"`` is accepted as a synonym of ``"label"``. The document id is our ``doc_id`` key if
present (what :func:`write_doccano` puts there), else doccano's ``id``, else
``<file stem>#<record number>``. doccano records no annotator per span: pass ``annotator``
(for per-user exports, the user's file name).

Written::

    {"doc_id": "a1", "title": "...", "text": "...", "label": [[0, 4, "LOCATION"]]}

doccano keeps unknown columns (``doc_id``, ``title``) as metadata and exports them again, so
ids survive a trip through it. One entry per distinct ``(start, end, label)``: doccano has no
annotator layers, so the same span from two annotators is written once. Overlapping spans are
written as they are; doccano shows them only in a project that allows overlap.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, TextIO

from annotator.model import Document, sort_spans
from annotator.text.records import (
    SpanReader,
    Where,
    describe,
    get_id,
    get_list,
    get_str,
    iter_jsonl,
    stem_of,
    to_utf16,
    write_json_lines,
)

_OWN_KEYS = {"id", "doc_id", "title", "text", "label", "labels", "entities", "relations"}


def read_doccano(text: str, *, path_name: str, annotator: str = "") -> Iterator[Document]:
    """Documents of a doccano JSONL export, offsets converted from UTF-16 to code points."""
    for index, (line, record) in enumerate(iter_jsonl(text, path_name), start=1):
        where = Where(path_name, line, describe(index, record))
        reader = SpanReader(get_str(record, "text", where, required=True), utf16=True)
        spans = [
            reader.span(start, end, label, where, annotator=annotator)
            for start, end, label in _raw_spans(record, where)
        ]
        doc_id = get_id(record, "doc_id", where) or get_id(record, "id", where)
        meta = {k: v for k, v in record.items() if k not in _OWN_KEYS}
        yield Document(
            doc_id=doc_id or f"{stem_of(path_name)}#{index}",
            text=reader.text,
            title=get_str(record, "title", where),
            spans=tuple(sort_spans(spans)),
            meta=meta,
        )


def _raw_spans(record: Mapping[str, Any], where: Where) -> Iterator[tuple[Any, Any, Any]]:
    """``(start, end, label)`` in file units from whichever key this doccano version used."""
    for key in ("label", "labels", "entities"):
        for item in get_list(record, key, where):
            if isinstance(item, dict):
                yield item.get("start_offset"), item.get("end_offset"), item.get("label")
            elif isinstance(item, list) and len(item) == 3:
                yield item[0], item[1], item[2]
            elif isinstance(item, str):
                raise where.error(
                    f"{key!r} holds the category {item!r}: this is a text-classification "
                    "export, not sequence labelling"
                )
            else:
                raise where.error(f"a span in {key!r} must be [start, end, label], found {item!r}")


def write_doccano(documents: Iterable[Document], out: TextIO) -> int:
    """Write doccano-importable JSONL with UTF-16 offsets; returns the number of documents."""
    return write_json_lines(documents, out, lambda doc: [doccano_record(doc)])


def doccano_record(doc: Document) -> dict[str, Any]:
    """One doccano JSONL object; offsets in UTF-16 units.

    >>> from annotator.model import Span
    >>> doc = Document("a1", "😀 دمشق", spans=(Span(2, 6, "LOC", "دمشق"),))
    >>> doccano_record(doc)["label"]
    [[3, 7, 'LOC']]
    """
    u16 = to_utf16(doc.text)
    labels: list[list[Any]] = []
    seen: set[tuple[int, int, str]] = set()
    for span in sort_spans(doc.spans):
        if span.key not in seen:
            seen.add(span.key)
            labels.append([u16(span.start), u16(span.end), span.label])
    return {"doc_id": doc.doc_id, "title": doc.title, "text": doc.text, "label": labels}
