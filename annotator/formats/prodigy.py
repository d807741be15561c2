"""Prodigy NER JSONL (what ``prodigy db-out`` writes and ``ner.manual`` reads), both directions.

Prodigy is Python: offsets are **code points**, like ours. A record::

    {"text": "...", "tokens": [{"text": "في", "start": 0, "end": 2, "id": 0, "ws": true}, ...],
     "spans": [{"start": 3, "end": 7, "label": "LOCATION", "token_start": 1, "token_end": 1}],
     "meta": {"doc_id": "a1", "title": "..."}, "_annotator_id": "news-ali", "answer": "accept"}

``token_end`` is **inclusive**. Prodigy keeps one record per annotator (``_annotator_id``, or
``_session_id``), so the reader merges records of one document (same ``meta.doc_id``, else same
``_input_hash``) into one :class:`Document` whose spans carry the annotator; the writer does the
reverse, one record per annotator layer. Records answered ``reject`` or ``ignore`` are not
annotations of the text: they are skipped and reported to ``warn``.

Written records carry ``_input_hash`` and ``_task_hash``, which Prodigy uses to find duplicates
and to tell which examples a dataset already holds. They follow Prodigy's documented
``set_hashes`` scheme: the input hash covers the input keys (``text``), the task hash that input
hash plus the task keys (``spans``), each serialised as sorted-key JSON. Prodigy's own hash
function is not published, so ours is a stable signed 32-bit integer from BLAKE2b: equal inputs
get equal hashes in every export, different annotations of one text share ``_input_hash``; run
Prodigy's ``set_hashes(eg, overwrite=True)`` (or ``db-in --rehash``) to get its own values.

Relations (``rel.manual``) sit beside the spans, each end as a token index and a span::

    "relations": [{"head": 1, "child": 4, "label": "located-in",
                   "head_span": {"start": 3, "end": 7, "token_start": 1, "token_end": 1,
                                 "label": "LOCATION"}, "child_span": {...}}]

``head``/``child`` are the index of the span's last token (``token_end``), where Prodigy's
relation page draws the arc of a multi-token span. Reading takes the ends from ``head_span`` /
``child_span`` (offsets and label) and adds them to the spans if a record lists them only
there. Prodigy has no events: each filled role is a relation from the trigger labelled
``attack:place``, read back as an event argument (:mod:`annotator.text.links`).

Tokens come from :func:`annotator.text.tokenize.tokenize`; a token that a span boundary falls
inside is split there (as in the CoNLL export: the label never moves, the token does), so
``token_start``/``token_end`` always match the span exactly; a span that starts or ends on
whitespace (which no token covers) is written without them. ``ws`` is display-only in Prodigy.
"""

from __future__ import annotations

import hashlib
import json
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping
from itertools import pairwise
from typing import Any, TextIO

from annotator.model import Document, Span, Token, sort_spans
from annotator.text.links import Link, event_links, split_links
from annotator.text.records import (
    SpanReader,
    Warn,
    Where,
    describe,
    emit,
    get_id,
    get_list,
    get_mapping,
    get_str,
    iter_jsonl,
    stem_of,
    write_json_lines,
)
from annotator.text.tokenize import tokenize

_SKIPPED_ANSWERS = {"reject", "ignore"}
INPUT_KEYS = ("text", "image", "html", "input")
TASK_KEYS = ("spans", "label", "options")
"""Prodigy's default ``set_hashes`` keys."""


def read_prodigy(text: str, *, path_name: str, warn: Warn | None = None) -> Iterator[Document]:
    """Documents of a Prodigy NER JSONL text, one per document however many annotators.

    Reads the whole file before yielding: one document's records can be far apart in it.
    """
    docs: dict[str, Document] = {}
    for index, (line, record) in enumerate(iter_jsonl(text, path_name), start=1):
        where = Where(path_name, line, describe(index, record, key="_input_hash"))
        answer = record.get("answer", "accept")
        if answer in _SKIPPED_ANSWERS:
            emit(warn, f"{where.record}: skipped, answer is {answer!r}", path_name, line)
            continue
        doc = _document(record, where, default_id=f"{stem_of(path_name)}#{index}")
        earlier = docs.get(doc.doc_id)
        if earlier is None:
            docs[doc.doc_id] = doc
        elif earlier.text != doc.text:
            raise where.error(f"document {doc.doc_id!r} appears earlier with a different text")
        else:
            merged = sort_spans(earlier.spans + doc.spans)
            docs[doc.doc_id] = Document(
                earlier.doc_id, earlier.text, earlier.title, tuple(merged), earlier.meta,
                earlier.relations + doc.relations, earlier.events + doc.events,
            )
    yield from docs.values()


def _document(record: Mapping[str, Any], where: Where, *, default_id: str) -> Document:
    reader = SpanReader(get_str(record, "text", where, required=True), utf16=False)
    meta = get_mapping(record, "meta", where)
    annotator = get_str(record, "_annotator_id", where) or get_str(record, "_session_id", where)
    tokens = _tokens_by_id(get_list(record, "tokens", where), where)
    spans = []
    last_tokens: dict[Any, Span] = {}  # token id -> the span ending on it (token-only relations)
    token_ending = {end: ident for ident, (_, end) in tokens.items() if isinstance(end, int)}
    for item in get_list(record, "spans", where):
        if not isinstance(item, dict):
            raise where.error(f"each span must be a JSON object, found {item!r}")
        start, end, label = item.get("start"), item.get("end"), item.get("label")
        spans.append(
            reader.span(start, end, label, where, annotator=annotator, quoted=item.get("text"))
        )
        if tokens and "token_start" in item:
            _check_tokens(item, tokens, where)
        last = item["token_end"] if "token_end" in item else token_ending.get(end) if isinstance(end, int) else None
        if not isinstance(last, (list, dict)):
            last_tokens.setdefault(last, spans[-1])
    links = _read_relations(record, reader, annotator, spans, last_tokens, where)
    relations, events = split_links(links, annotator)
    doc_id = get_id(meta, "doc_id", where)
    input_hash = get_id(record, "_input_hash", where)
    if doc_id is None and input_hash is not None:
        doc_id = f"{stem_of(where.path)}#{input_hash}"
    title = meta.pop("title", "")
    meta.pop("doc_id", None)
    return Document(
        doc_id=doc_id or default_id,
        text=reader.text,
        title=title if isinstance(title, str) else "",
        spans=tuple(sort_spans(spans)),
        meta=meta,
        relations=relations,
        events=events,
    )


def _read_relations(record: Mapping[str, Any], reader: SpanReader, annotator: str,
                    spans: list[Span], last_tokens: Mapping[Any, Span], where: Where) -> list[Link]:
    """The record's relations; an end span the record does not list is added to ``spans``.

    An end is read from ``head_span`` / ``child_span`` (what ``rel.manual`` saves); a record
    with only ``head`` / ``child`` (token indices, as hand-made or converted data often has)
    names the span whose last token that is, as Prodigy draws it and its relation recipes
    read it back (``span_end_to_start[relation["head"]]``).
    """
    known = {span.key: span for span in spans}
    links = []
    for item in get_list(record, "relations", where):
        if not isinstance(item, dict):
            raise where.error(f"each relation must be a JSON object, found {item!r}")
        label = item.get("label")
        if not isinstance(label, str) or not label:
            raise where.error(f"relation {item.get('head')}->{item.get('child')} has no label")
        ends = []
        for key, index in (("head_span", "head"), ("child_span", "child")):
            data = get_mapping(item, key, where)
            if not data:
                ident = item.get(index)
                found = None if isinstance(ident, (list, dict)) else last_tokens.get(ident)
                if found is None:
                    raise where.error(f"relation {label} has no {key}, and its {index} {ident!r} "
                                      "is the last token of no span")
                ends.append(found)
                continue
            span = reader.span(data.get("start"), data.get("end"), data.get("label"), where,
                               annotator=annotator)
            if span.key not in known:
                known[span.key] = span
                spans.append(span)
            ends.append(known[span.key])
        links.append(Link(label, ends[0], ends[1]))
    return links


def _tokens_by_id(tokens: list[Any], where: Where) -> dict[Any, tuple[Any, Any]]:
    """Token id (its index when ids are absent) -> ``(start, end)`` in file code points."""
    out = {}
    for position, token in enumerate(tokens):
        if not isinstance(token, dict):
            raise where.error(f"token {position} is not a JSON object")
        ident = token.get("id", position)
        if isinstance(ident, (list, dict)):
            raise where.error(f"token {position} has id {ident!r}, not a number or string")
        out[ident] = (token.get("start"), token.get("end"))
    return out


def _token(tokens: Mapping[Any, tuple[Any, Any]], ident: Any) -> tuple[Any, Any] | None:
    """The token a span names; an unhashable reference (a list, an object) names none."""
    if isinstance(ident, (list, dict)):
        return None
    return tokens.get(ident)


def _check_tokens(
    item: Mapping[str, Any], tokens: Mapping[Any, tuple[Any, Any]], where: Where
) -> None:
    first, last = _token(tokens, item.get("token_start")), _token(tokens, item.get("token_end"))
    label = item.get("label")
    if first is None or last is None:
        raise where.error(
            f"span [{item.get('start')}, {item.get('end')}) {label}: token_start/token_end "
            f"{item.get('token_start')}/{item.get('token_end')} name no token"
        )
    if first[0] != item.get("start") or last[1] != item.get("end"):
        raise where.error(
            f"span [{item.get('start')}, {item.get('end')}) {label} does not match its tokens "
            f"[{first[0]}, {last[1]}) (token_end is inclusive)"
        )


def write_prodigy(documents: Iterable[Document], out: TextIO) -> int:
    """Write one record per document and annotator layer; returns the number of records."""
    return write_json_lines(documents, out, prodigy_records)


def prodigy_records(doc: Document) -> list[dict[str, Any]]:
    """The records of one document: one per annotator layer (one with no spans if none).

    >>> doc = Document("a1", "في دمشق", spans=(Span(3, 7, "LOC", "دمشق", "ali"),))
    >>> prodigy_records(doc)[0]["spans"]
    [{'start': 3, 'end': 7, 'token_start': 1, 'token_end': 1, 'label': 'LOC'}]
    """
    tokens, spaced = with_space_tokens(doc.text, tokenize(doc.text))
    tokens = split_tokens(tokens, doc.spans)
    token_records = [
        {"text": t.text, "start": t.start, "end": t.end, "id": i, "ws": t.end in spaced}
        for i, t in enumerate(tokens)
    ]
    ends, starts = [t.end for t in tokens], [t.start for t in tokens]
    layers: dict[str, list[Span]] = {}
    for span in sort_spans(doc.spans):
        layers.setdefault(span.annotator, []).append(span)
    links = event_links(doc)[0]
    records = []
    for name in sorted(layers) or [""]:
        record: dict[str, Any] = {
            "text": doc.text,
            "tokens": token_records,
            "spans": [_span_record(span, tokens, ends, starts) for span in layers.get(name, [])],
            "meta": {"doc_id": doc.doc_id, "title": doc.title},
            "answer": "accept",
        }
        mine = [link for link in links if link.head.annotator == name]
        if mine:
            record["relations"] = [_relation_record(link, tokens, ends, starts) for link in mine]
        if name:
            record["_annotator_id"] = name
        records.append(set_hashes(record))
    return records


def set_hashes(record: dict[str, Any]) -> dict[str, Any]:
    """``record`` with ``_input_hash`` (its input keys) and ``_task_hash`` (that hash and its
    task keys) set, Prodigy's scheme with a stable hash (see the module docstring).

    >>> a = set_hashes({"text": "دمشق", "spans": []})
    >>> b = set_hashes({"text": "دمشق", "spans": [{"start": 0, "end": 4, "label": "LOC"}]})
    >>> a["_input_hash"] == b["_input_hash"], a["_task_hash"] == b["_task_hash"]
    (True, False)
    """
    input_hash = _hash({k: record[k] for k in INPUT_KEYS if k in record})
    record["_input_hash"] = input_hash
    record["_task_hash"] = _hash({k: record[k] for k in TASK_KEYS if k in record}, input_hash)
    return record


def _hash(values: dict[str, Any], prefix: int | None = None) -> int:
    """A signed 32-bit integer (Prodigy's hashes are) of sorted-key JSON, stable across runs."""
    text = json.dumps(values, sort_keys=True, ensure_ascii=False)
    if prefix is not None:
        text = str(prefix) + text
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=4).digest()
    return int.from_bytes(digest, "little", signed=True)


def _span_record(
    span: Span, tokens: list[Token], ends: list[int], starts: list[int]
) -> dict[str, Any]:
    """``ends``/``starts`` are the tokens' ends and starts, for bisecting (tokens are sorted)."""
    record: dict[str, Any] = {"start": span.start, "end": span.end}
    first = bisect_right(ends, span.start)  # first token ending after the span starts
    last = bisect_left(starts, span.end) - 1  # last token starting before the span ends
    # Exact by construction unless an edge sits in whitespace, which no token covers: then
    # token indices would misstate the span, and the offsets alone place it.
    if first <= last and tokens[first].start == span.start and tokens[last].end == span.end:
        record["token_start"], record["token_end"] = first, last
    record["label"] = span.label
    return record


def _relation_record(link: Link, tokens: list[Token], ends: list[int], starts: list[int]
                     ) -> dict[str, Any]:
    """One ``rel.manual`` relation; ``head``/``child`` are the ends' last tokens (never null:
    an end whose edge sits in a space names the last token it overlaps)."""
    head = _span_record(link.head, tokens, ends, starts)
    child = _span_record(link.tail, tokens, ends, starts)
    return {"head": head.get("token_end", _last_token(starts, link.head)),
            "child": child.get("token_end", _last_token(starts, link.tail)),
            "head_span": head, "child_span": child, "label": link.type}


def _last_token(starts: list[int], span: Span) -> int:
    return max(bisect_left(starts, span.end) - 1, 0)


def with_space_tokens(text: str, tokens: list[Token]) -> tuple[list[Token], set[int]]:
    """``tokens`` with the whitespace between them as tokens of their own, as spaCy (so
    Prodigy) tokenizes: one space after a token is its ``ws``, any other run (a newline, a
    second space) is a token. Returns the tokens and the ends of those followed by a ``ws``
    space, so that the tokens' texts, each with a space when ``ws``, give back ``text``.

    Why: a reader that rebuilds the text from ``tokens`` (spaCy's ``Doc(words, spaces)``,
    as Prodigy's relation recipes do) must get the same offsets after a paragraph break.

    >>> text = "قصف\\nحلب  اليوم"
    >>> toks, spaced = with_space_tokens(text, tokenize(text))
    >>> [(t.text, t.end in spaced) for t in toks]
    [('قصف', False), ('\\n', False), ('حلب', True), (' ', False), ('اليوم', False)]
    """
    out: list[Token] = []
    spaced: set[int] = set()
    at = 0
    for token in [*tokens, Token("", len(text), len(text))]:
        gap = at
        if out and text[gap : gap + 1] == " " and gap < token.start:
            spaced.add(gap)
            gap += 1
        if gap < token.start:
            out.append(Token(text[gap : token.start], gap, token.start))
        if token.text:
            out.append(token)
        at = token.end
    return out, spaced


def split_tokens(tokens: list[Token], spans: Iterable[Span]) -> list[Token]:
    """``tokens`` cut at every span boundary that falls strictly inside one.

    >>> [t.text for t in split_tokens(tokenize("بدمشق"), [Span(1, 5, "LOC", "دمشق")])]
    ['ب', 'دمشق']
    """
    cuts = sorted({b for span in spans for b in (span.start, span.end)})
    out = []
    for token in tokens:
        inner = cuts[bisect_right(cuts, token.start) : bisect_left(cuts, token.end)]
        edges = [token.start, *inner, token.end]
        offset = token.start
        for left, right in pairwise(edges):
            out.append(Token(token.text[left - offset : right - offset], left, right))
    return out
