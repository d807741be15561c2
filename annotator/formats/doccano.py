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
ids survive a trip through it.

Relations (doccano >= 1.6, a sequence-labelling project with "use relation labeling"): a
document with relations or events, or every document when ``relations=True``, is written in
doccano's relation shape, entities with ids and relations between them::

    {"doc_id": "a1", "text": "...", "entities": [{"id": 1, "label": "LOCATION",
      "start_offset": 0, "end_offset": 4}, ...],
     "relations": [{"id": 1, "from_id": 3, "to_id": 4, "type": "located-in"}]}

doccano has no events: each filled role travels as a relation from the trigger, typed
``attack:place`` (:mod:`annotator.text.links`), and comes back as an event argument. One entry per distinct ``(start, end, label)``: doccano has no
annotator layers, so the same span from two annotators is written once. Overlapping spans are
written as they are; doccano shows them only in a project that allows overlap.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, TextIO

from annotator.model import Document, Span, sort_spans
from annotator.text.links import Link, event_links, split_links
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
        spans, by_id = [], {}
        for ident, start, end, label in _raw_spans(record, where):
            spans.append(reader.span(start, end, label, where, annotator=annotator))
            if ident is not None:
                by_id[ident] = spans[-1]
        relations, events = split_links(_links(record, by_id, where), annotator)
        doc_id = get_id(record, "doc_id", where) or get_id(record, "id", where)
        meta = {k: v for k, v in record.items() if k not in _OWN_KEYS}
        yield Document(
            doc_id=doc_id or f"{stem_of(path_name)}#{index}",
            text=reader.text,
            title=get_str(record, "title", where),
            spans=tuple(sort_spans(spans)),
            meta=meta,
            relations=relations,
            events=events,
        )


def _raw_spans(record: Mapping[str, Any], where: Where) -> Iterator[tuple[Any, Any, Any, Any]]:
    """``(id, start, end, label)`` in file units from whichever key this doccano version used
    (``id`` None where the version has none)."""
    for key in ("label", "labels", "entities"):
        for item in get_list(record, key, where):
            if isinstance(item, dict):
                ident = item.get("id")
                if isinstance(ident, (list, dict)):
                    raise where.error(f"entity id {ident!r} is not a number or string")
                yield ident, item.get("start_offset"), item.get("end_offset"), item.get("label")
            elif isinstance(item, list) and len(item) == 3:
                yield None, item[0], item[1], item[2]
            elif isinstance(item, str):
                raise where.error(
                    f"{key!r} holds the category {item!r}: this is a text-classification "
                    "export, not sequence labelling"
                )
            else:
                raise where.error(f"a span in {key!r} must be [start, end, label], found {item!r}")


def _links(record: Mapping[str, Any], by_id: Mapping[Any, Span], where: Where) -> list[Link]:
    """The record's ``relations``, their ends looked up among its entities' ids."""
    links = []
    for item in get_list(record, "relations", where):
        if not isinstance(item, dict):
            raise where.error(f"each relation must be a JSON object, found {item!r}")
        kind = item.get("type", item.get("label"))
        if not isinstance(kind, str) or not kind:
            raise where.error(f"relation {item.get('id')!r} has no type")
        ends = []
        for key in ("from_id", "to_id"):
            ident = item.get(key)
            if isinstance(ident, (list, dict)) or ident not in by_id:
                raise where.error(f"relation {item.get('id')!r} {key} {ident!r} names no entity")
            ends.append(by_id[ident])
        links.append(Link(kind, ends[0], ends[1]))
    return links


def write_doccano(documents: Iterable[Document], out: TextIO, *, relations: bool = False) -> int:
    """Write doccano-importable JSONL with UTF-16 offsets; returns the number of documents.

    ``relations`` writes every document in the relation shape (one shape per file is what a
    doccano relation project imports), even those without links.
    """
    return write_json_lines(documents, out, lambda doc: [doccano_record(doc, relations)])


def doccano_record(doc: Document, relations: bool = False) -> dict[str, Any]:
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
    record: dict[str, Any] = {"doc_id": doc.doc_id, "title": doc.title, "text": doc.text}
    if not (relations or doc.relations or doc.events):
        return {**record, "label": labels}
    ids = {(start, end, label): n for n, (start, end, label) in enumerate(labels, start=1)}
    record["entities"] = [{"id": ids[(start, end, label)], "label": label, "start_offset": start,
                           "end_offset": end} for start, end, label in labels]
    record["relations"] = _relation_records(doc, ids, u16)
    return record


def _relation_records(doc: Document, ids: Mapping[tuple[int, int, str], int],
                      u16: Any) -> list[dict[str, Any]]:
    """Relations (and event roles as relations), one per distinct (type, head, tail)."""
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, int, int]] = set()
    for link in event_links(doc)[0]:
        ends = [ids[(u16(s.start), u16(s.end), s.label)] for s in (link.head, link.tail)]
        if (link.type, *ends) not in seen:
            seen.add((link.type, ends[0], ends[1]))
            out.append({"id": len(out) + 1, "from_id": ends[0], "to_id": ends[1],
                        "type": link.type})
    return out
