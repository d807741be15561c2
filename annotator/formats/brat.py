"""brat standoff: a folder of ``NAME.txt`` + ``NAME.ann`` pairs, both directions.

brat (https://brat.nlplab.org) keeps each document's text in ``NAME.txt`` and its annotations
beside it in ``NAME.ann``, one per line, fields separated by tabs::

    T1	attack 8 11	قصف                              entity: type, start end, covered text
    T3	LOCATION 23 32	حقل العمر
    R1	located-in Arg1:T3 Arg2:T4                  relation: Arg1 is the head, Arg2 the tail
    E1	attack:T1 place:T3 place2:T4 source:T5      event: type:trigger, then role:argument
    #1	AnnotatorNotes T1	a note                   note

Offsets are **code points** over the ``.txt`` exactly as stored on disk: brat's server
(``server/src/annotation.py``, Python 3) reads the text with ``codecs.open(..., 'utf8')``, which
translates no line ends, and slices ``self._document_text[start:end]`` to check each entity's
text. So a ``\\r\\n`` file counts its ``\\r``; :class:`SpanReader` carries such offsets through
our newline normalisation.

An event's trigger entity is typed with the event's type, as brat requires (its parser refuses
``E1 attack:T1`` over ``T1 ATTACK``): the writer does so, and import turns such a trigger's type
back into the schema's trigger label (:func:`annotator.text.links.schema_triggers`).

What is kept: entities (``T``), relations (``R``), events (``E``) whose trigger and arguments are
entities. A repeated role is numbered by brat (``place:T3 place2:T4``): the trailing number is
dropped on reading (role ``place`` twice) and added on writing, so role names must not end in a
digit. A discontinuous entity (``T1 LOC 0 4;9 13``) whose gaps are line breaks is how brat stores
a span across lines: it is read as one span (and written so). Any other discontinuous entity,
attributes (``A``/``M``), normalisations (``N``), equivalences (``*``), notes (``#``) and an
event argument that is itself an event are dropped, and each file says what it dropped through
``warn``; a relation or event that needs a dropped entity is dropped with it and counted.

Written: one ``NAME.txt``/``NAME.ann`` pair per document and layer, the layer's folder being
``FOLDER/<layer>`` (brat has no annotators: one folder per layer is one collection per
annotator, the way brat teams work). ``T`` ids follow text order (:func:`sort_spans`), ``R``
ids relation order, ``E`` ids trigger order, so the same document writes the same bytes.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from annotator.atomic_files import fsync_folder
from annotator.formats import brat_conf
from annotator.model import Document, Event, EventArgument, Relation, Schema, Span, sort_spans
from annotator.text.links import layers_of
from annotator.text.records import SpanReader, Warn, Where, emit

_ROLE_NUMBER = re.compile(r"^(.*?[^\d])(\d+)$")
_DROPPED_KINDS = {"A": "attribute", "M": "attribute", "N": "normalisation", "*": "equivalence",
                  "#": "note"}
DISCONT_SEP = " "
"""What brat writes between the fragments' texts of a discontinuous entity."""


@dataclass
class _Parsed:
    """One ``.ann`` file as read: entities by id, and what was dropped (kind -> count)."""

    entities: dict[str, Span] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    dropped: Counter[str] = field(default_factory=Counter)
    lost: set[str] = field(default_factory=set)
    """Ids of entities dropped (discontinuous): links that need them are dropped too."""
    seen: dict[str, int] = field(default_factory=dict)


def read_brat(text: str, ann: str, *, doc_id: str, ann_name: str, annotator: str = "",
              title: str = "", warn: Warn | None = None) -> Document:
    """The document of one ``.txt`` text and its ``.ann`` text (``ann_name`` names it in messages).

    >>> doc = read_brat("😀 قصف في حلب", "T1\\tATTACK 2 5\\tقصف\\nT2\\tLOCATION 9 12\\tحلب\\n"
    ...                 "R1\\tlocated-in Arg1:T1 Arg2:T2\\n", doc_id="a1", ann_name="a1.ann")
    >>> [(r.type, r.head.text, r.tail.text) for r in doc.relations]
    [('located-in', 'قصف', 'حلب')]
    """
    reader = SpanReader(text, utf16=False)
    parsed = _Parsed()
    lines = ann.split("\n")
    # Entities first: brat allows a relation line before the entity it names.
    for number, line in enumerate(lines, start=1):
        if line.startswith("T"):
            _entity(line, Where(ann_name, number, _ident(line)), reader, annotator, parsed)
    for number, line in enumerate(lines, start=1):
        if line.strip() and not line.startswith("T"):
            _link(line, Where(ann_name, number, _ident(line)), parsed)
    for kind, count in sorted(parsed.dropped.items()):
        emit(warn, f"dropped {count} {kind}(s): brat keeps them, this project has no place for them",
             ann_name, 1)
    return Document(doc_id=doc_id, text=reader.text, title=title,
                    spans=tuple(sort_spans(list(parsed.entities.values()))),
                    relations=tuple(parsed.relations), events=tuple(parsed.events))


def _ident(line: str) -> str:
    return line.split("\t", 1)[0].strip() or "line"


def _fields(line: str, where: Where, count: int) -> list[str]:
    parts = line.rstrip("\r").split("\t")
    if len(parts) < count:
        raise where.error(f"expected {count} tab-separated fields, found {len(parts)}")
    return parts


def _remember(ident: str, where: Where, parsed: _Parsed) -> None:
    if ident in parsed.seen:
        raise where.error(f"id {ident} is already used on line {parsed.seen[ident]}")
    parsed.seen[ident] = where.line


def _entity(line: str, where: Where, reader: SpanReader, annotator: str, parsed: _Parsed) -> None:
    ident, head, quoted = _fields(line, where, 3)[:3]
    _remember(ident, where, parsed)
    label, _, ranges = head.partition(" ")
    try:
        pieces = [tuple(int(n) for n in part.split()) for part in ranges.split(";")]
    except ValueError:
        pieces = []
    if not pieces or any(len(p) != 2 for p in pieces):
        raise where.error(f"expected 'TYPE START END', found {head!r}")
    if len(pieces) == 1:
        (start, end), = pieces
        parsed.entities[ident] = reader.span(start, end, label, where, annotator=annotator,
                                             quoted=quoted)
        return
    joined = _across_lines(reader.raw, pieces, quoted)
    if joined is None:
        parsed.dropped["discontinuous entity"] += 1
        parsed.lost.add(ident)
        return
    parsed.entities[ident] = reader.span(*joined, label, where, annotator=annotator)


def _across_lines(raw: str, pieces: list[tuple[int, ...]], quoted: str) -> tuple[int, int] | None:
    """``(start, end)`` of fragments that brat split at line breaks (their gaps are whitespace
    holding a line break, and ``quoted`` is their texts joined by a space), else None."""
    if any(not 0 <= a < b <= len(raw) for a, b in pieces):
        return None
    for (_, left_end), (right_start, _) in zip(pieces, pieces[1:]):
        gap = raw[left_end:right_start]
        if left_end > right_start or gap.strip() or "\n" not in gap.replace("\r", "\n"):
            return None
    if quoted != DISCONT_SEP.join(raw[a:b] for a, b in pieces):
        return None
    return pieces[0][0], pieces[-1][1]


def _link(line: str, where: Where, parsed: _Parsed) -> None:
    kind = line[0]
    if kind in _DROPPED_KINDS:
        parsed.dropped[_DROPPED_KINDS[kind]] += 1
        return
    if kind not in "RE":
        raise where.error(f"unknown annotation {_ident(line)!r} (brat lines start with T, R, E, "
                          "A, M, N, * or #)")
    ident, body = _fields(line, where, 2)[:2]
    _remember(ident, where, parsed)
    args = body.split()
    if not args:
        raise where.error("has no type")
    if kind == "R":
        _relation(args, where, parsed)
    else:
        _event(args, where, parsed)


def _pairs(args: list[str], where: Where) -> list[tuple[str, str]]:
    pairs = []
    for arg in args:
        role, colon, target = arg.partition(":")
        if not colon or not role or not target:
            raise where.error(f"expected ROLE:ID, found {arg!r}")
        pairs.append((role, target))
    return pairs


def _target(ident: str, where: Where, parsed: _Parsed) -> Span | None:
    """The entity ``ident`` names; None when it was dropped; an error when it names nothing."""
    if ident in parsed.entities:
        return parsed.entities[ident]
    if ident in parsed.lost:
        return None
    if ident in parsed.seen or ident.startswith("E"):
        return None  # an event (or other non-entity) as an argument: nothing here can hold it
    raise where.error(f"names {ident}, which is not an entity of this file")


def _relation(args: list[str], where: Where, parsed: _Parsed) -> None:
    kind, pairs = args[0], _pairs(args[1:], where)
    if len(pairs) != 2:
        raise where.error(f"relation {kind} needs two arguments (Arg1:T1 Arg2:T2)")
    named = dict(pairs)
    head_id, tail_id = (named["Arg1"], named["Arg2"]) if {"Arg1", "Arg2"} <= set(named) else (
        pairs[0][1], pairs[1][1])
    head, tail = _target(head_id, where, parsed), _target(tail_id, where, parsed)
    if head is None or tail is None:
        parsed.dropped["relation on a dropped entity"] += 1
        return
    parsed.relations.append(Relation(kind, head, tail, head.annotator))


def _event(args: list[str], where: Where, parsed: _Parsed) -> None:
    kind, colon, trigger_id = args[0].partition(":")
    if not colon or not kind or not trigger_id:
        raise where.error(f"expected TYPE:TRIGGER, found {args[0]!r}")
    trigger = _target(trigger_id, where, parsed)
    if trigger is None:
        parsed.dropped["event on a dropped trigger"] += 1
        return
    arguments = []
    for role, target in _pairs(args[1:], where):
        span = _target(target, where, parsed)
        if span is None:
            parsed.dropped["event argument that is not an entity"] += 1
            continue
        arguments.append(EventArgument(unnumbered(role), span))
    parsed.events.append(Event(kind, trigger, tuple(arguments), trigger.annotator))


def unnumbered(role: str) -> str:
    """A role as brat numbers its repeats, without the number.

    >>> unnumbered("place2"), unnumbered("place"), unnumbered("Arg1")
    ('place', 'place', 'Arg')
    """
    match = _ROLE_NUMBER.match(role)
    return match.group(1) if match else role


def ann_text(doc: Document) -> str:
    """The ``.ann`` text of one document's spans and links (one layer: ids are per file).

    >>> strike = Span(2, 5, "ATTACK", "قصف")
    >>> doc = Document("a1", "😀 قصف في حلب", spans=(strike, Span(9, 12, "LOCATION", "حلب")),
    ...                events=(Event("attack", strike, (EventArgument("place", Span(9, 12, "LOCATION", "حلب")),)),))
    >>> ann_text(doc).splitlines()
    ['T1\\tattack 2 5\\tقصف', 'T2\\tLOCATION 9 12\\tحلب', 'E1\\tattack:T1 place:T2']
    """
    ids: dict[tuple[int, int, str], str] = {}
    lines = []
    triggers = brat_conf.trigger_types(doc)
    for number, span in enumerate(sort_spans(_unique(doc.spans)), start=1):
        ids[span.key] = f"T{number}"
        kind = triggers.get(span.key, span.label)
        lines.append(f"T{number}\t{kind} {_ranges(doc.text, span)}\t{_quoted(doc.text, span)}")
    relations = sorted(doc.relations, key=lambda r: (r.head.start, r.tail.start, r.type))
    for number, link in enumerate(relations, start=1):
        lines.append(f"R{number}\t{link.type} Arg1:{ids[link.head.key]} Arg2:{ids[link.tail.key]}")
    events = sorted(doc.events, key=lambda e: (e.trigger.start, e.trigger.end, e.type))
    for number, event in enumerate(events, start=1):
        parts = [f"{event.type}:{ids[event.trigger.key]}"]
        used: Counter[str] = Counter()
        for argument in event.arguments:
            used[argument.role] += 1
            repeat = str(used[argument.role]) if used[argument.role] > 1 else ""
            parts.append(f"{argument.role}{repeat}:{ids[argument.span.key]}")
        lines.append(f"E{number}\t" + " ".join(parts))
    return "".join(line + "\n" for line in lines)


def _unique(spans: Iterable[Span]) -> list[Span]:
    return list({span.key: span for span in spans}.values())


def _fragments(text: str, span: Span) -> list[tuple[int, int]]:
    """``span`` cut at its line breaks, as brat stores a span across lines (no empty piece)."""
    pieces, start = [], span.start
    for match in re.finditer(r"\s*\n\s*", text[span.start : span.end]):
        pieces.append((start, span.start + match.start()))
        start = span.start + match.end()
    pieces.append((start, span.end))
    return [(a, b) for a, b in pieces if b > a]


def _ranges(text: str, span: Span) -> str:
    return ";".join(f"{a} {b}" for a, b in _fragments(text, span))


def _quoted(text: str, span: Span) -> str:
    return DISCONT_SEP.join(text[a:b] for a, b in _fragments(text, span))


def write_brat(documents: Iterable[Document], folder: Path, schema: Schema | None = None
               ) -> list[Path]:
    """Write ``FOLDER/<layer>/<doc_id>.txt`` and ``.ann`` for every document and layer (a
    document without spans: one pair in ``FOLDER``); returns the ``.ann`` paths written.
    With ``schema``, ``FOLDER`` also gets brat's ``annotation.conf`` and ``visual.conf``
    (:mod:`annotator.formats.brat_conf`), so a brat server opens the export with it.

    The collection is written into a fresh folder beside ``folder`` and then swapped in for it
    (whatever ``folder`` held is replaced): an interrupted export leaves the old folder, or
    none, never half a collection under the final name.
    """
    folder.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        written = _write_pairs(documents, fresh)
        if schema is not None:
            brat_conf.write_confs(schema, fresh)
        fsync_folder(fresh)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    old = folder.with_name(f".{folder.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if folder.exists():
        folder.rename(old)
    fresh.rename(folder)
    shutil.rmtree(old, ignore_errors=True)
    return [folder / path.relative_to(fresh) for path in written]


def _write_pairs(documents: Iterable[Document], folder: Path) -> list[Path]:
    written = []
    for doc in documents:
        doc.check()
        for layer, part in layers_of(doc).items():
            base = folder / safe_name(layer) if layer else folder
            path = base / (safe_relative(doc.doc_id) + ".ann")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.with_suffix(".txt").write_text(part.text, encoding="utf-8", newline="\n")
            path.write_text(ann_text(part), encoding="utf-8", newline="\n")
            written.append(path)
    return written


def safe_name(name: str) -> str:
    """One path component for a layer or id part: no separators, never ``.``/``..``.

    >>> safe_name("suggest:crf"), safe_name(".."), safe_name("a/b")
    ('suggest_crf', '_', 'a_b')
    """
    cleaned = re.sub(r"[\\/:*?\"<>|\x00-\x1f]", "_", name).strip() or "_"
    return "_" if set(cleaned) == {"."} else cleaned


def safe_relative(doc_id: str) -> str:
    """A document id as a relative path (ids made from folders keep their folders).

    >>> safe_relative("news/2024/a1"), safe_relative("../../etc/passwd")
    ('news/2024/a1', '_/_/etc/passwd')
    """
    return "/".join(safe_name(part) for part in PurePosixPath(doc_id).parts if part != "/")

