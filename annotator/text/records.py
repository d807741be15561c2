"""What the JSON-family readers share: records with line numbers, and checked spans.

Every reader here takes already-decoded text (see :mod:`annotator.text.encoding`) and a
``path_name`` used only in messages. Errors are :class:`InputError` located by 1-based line:
the line of the JSONL record, or the line where a JSON array element starts.

Offsets in files are converted once, here, into the code points of the *stored* text, which is
the file's text with ``\\r\\n`` and ``\\r`` turned into ``\\n`` (:func:`normalize_newlines`).
A tool that computed offsets on the ``\\r\\n`` text (doccano, Label Studio on Windows) would
otherwise see every span after the first line break drift by one per break.
"""

from __future__ import annotations

import json
import re
import sys
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any, TextIO

from annotator.errors import InputError
from annotator.model import Document, Span, normalize_newlines
from annotator.text.offsets import Utf16Map

Warn = Callable[[str], None]
"""Receives one rendered ``path:line: message`` per record a reader skipped on purpose."""

_DECODER = json.JSONDecoder()
_CRLF = re.compile("\r\n")
_WS = " \t\r\n"


def stem_of(path_name: str) -> str:
    """File name without folders or suffix: the fallback prefix of generated document ids."""
    return PurePath(path_name).stem or "input"


def line_of(text: str, pos: int) -> int:
    """1-based line of character ``pos`` of ``text``."""
    return text.count("\n", 0, pos) + 1


def iter_jsonl(text: str, path_name: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(line, object)`` for each non-blank line of a JSON Lines text.

    Splits on ``\\n`` only: ``str.splitlines`` would also split on U+2028, which JSON allows
    raw inside a string.
    """
    seen = False
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip(_WS + "\ufeff"):
            continue
        if not seen and line.lstrip(_WS + "\ufeff").startswith("["):
            # JSON Lines never start with an array; a JSON export does (Label Studio, doccano).
            raise InputError("this file is a JSON array; use --format json", path_name, number)
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"invalid JSON: {exc.msg} (column {exc.colno})", path_name, number) from None
        except RecursionError:
            raise too_deep(path_name, number) from None
        yield number, _require_object(value, path_name, number)
        seen = True
    if not seen:
        raise InputError("empty file", path_name, 1)


def iter_json_array(text: str, path_name: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(line, object)`` for each element of a top-level JSON array, one element at a time.

    Decoding element by element (rather than ``json.loads`` on the whole) gives each record the
    line it starts on, so a bad span deep in a 50 MB export is reported where it is.
    """
    pos = _skip_ws(text, 0)
    if pos >= len(text):
        raise InputError("empty file", path_name, 1)
    if text[pos] != "[":
        raise InputError("expected a JSON array '[' ...", path_name, line_of(text, pos))
    pos = _skip_ws(text, pos + 1)
    if pos < len(text) and text[pos] == "]":
        raise InputError("empty file (an empty JSON array)", path_name, line_of(text, pos))
    counted, number = 0, 1  # lines are counted incrementally: a whole recount is quadratic
    while True:
        try:
            value, end = _DECODER.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            raise InputError(f"invalid JSON: {exc.msg} (column {exc.colno})", path_name, exc.lineno) from None
        except RecursionError:
            raise too_deep(path_name, line_of(text, pos)) from None
        number += text.count("\n", counted, pos)
        counted = pos
        yield number, _require_object(value, path_name, number)
        pos = _skip_ws(text, end)
        if pos < len(text) and text[pos] == ",":
            pos = _skip_ws(text, pos + 1)
            continue
        if pos < len(text) and text[pos] == "]":
            if _skip_ws(text, pos + 1) < len(text):
                raise InputError(
                    "text after the end of the JSON array", path_name, line_of(text, pos)
                )
            return
        raise InputError("invalid JSON: expected ',' or ']'", path_name, line_of(text, pos))


def iter_json_records(text: str, path_name: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """A JSON array, a single JSON object, or JSON Lines, told apart by their first character."""
    pos = _skip_ws(text, 0)
    if pos >= len(text):
        raise InputError("empty file", path_name, 1)
    if text[pos] == "[":
        return iter_json_array(text, path_name)
    if text[pos] == "{":
        try:
            value, end = _DECODER.raw_decode(text, pos)
        except json.JSONDecodeError:
            return iter_jsonl(text, path_name)  # JSONL reports the bad line itself
        except RecursionError:
            raise too_deep(path_name, line_of(text, pos)) from None
        if _skip_ws(text, end) >= len(text):
            return iter([(line_of(text, pos), value)])
    return iter_jsonl(text, path_name)


def first_record(text: str, path_name: str) -> tuple[int, dict[str, Any]]:
    """The first record of a file that claims to be JSON (by its suffix), to sniff its format.

    Refuses, with ``file:line``, whatever is not a JSON object, an array of objects or JSON
    Lines: a broken first line, a bare string or number, an array of non-objects, nesting too
    deep to read. (Without this, such a file fell through to "plain text" and was imported,
    exit 0, as one article holding the raw JSON.)

    >>> first_record('{"text": "دمشق"}\\n{"text": "حلب"}', "a.jsonl")
    (1, {'text': 'دمشق'})
    >>> first_record('{"text": "دمشق"', "a.jsonl")
    Traceback (most recent call last):
    annotator.errors.InputError: a.jsonl:1: invalid JSON: Expecting ',' delimiter (column 16)
    """
    pos = _skip_ws(text, 0)
    if pos < len(text) and text[pos] not in "[{":
        raise InputError(
            f"expected a JSON object or an array of objects, found {_what_is(text, pos)}",
            path_name, line_of(text, pos),
        )
    for line, record in iter_json_records(text, path_name):
        return line, record
    raise InputError("empty file", path_name, 1)


def _what_is(text: str, pos: int) -> str:
    try:
        value, _ = _DECODER.raw_decode(text, pos)
    except (json.JSONDecodeError, RecursionError):
        return "text that is not JSON"
    return f"a JSON {type(value).__name__}"


def too_deep(path_name: str, line: int) -> InputError:
    """JSON nested deeper than Python's parser can follow (a crafted or broken file)."""
    return InputError(
        f"JSON nested too deeply to read (more than {sys.getrecursionlimit()} levels); "
        "no article is nested like this",
        path_name, line,
    )


def _skip_ws(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in _WS + "\ufeff":
        pos += 1
    return pos


def _require_object(value: Any, path_name: str, line: int) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InputError(f"expected a JSON object, found {type(value).__name__}", path_name, line)
    return value


@dataclass(frozen=True)
class Where:
    """Where a record is: its file, line, and a short name for messages (``record 3 (id 'a1')``)."""

    path: str
    line: int
    record: str

    def error(self, message: str) -> InputError:
        return InputError(f"{self.record}: {message}", self.path, self.line)


def describe(index: int, record: Mapping[str, Any], key: str = "id") -> str:
    """``record 3`` or ``record 3 (id 'a1')``: how messages name a record (1-based index)."""
    ident = record.get(key)
    return f"record {index}" if ident is None else f"record {index} (id {ident!r})"


def get_str(record: Mapping[str, Any], key: str, where: Where, *, required: bool = False) -> str:
    """``record[key]`` as a string: missing gives ``""`` unless ``required``."""
    value = record.get(key)
    if value is None:
        if required:
            raise where.error(f"missing {key!r}")
        return ""
    if not isinstance(value, str):
        raise where.error(f"{key!r} must be a string, found {type(value).__name__}")
    return value


def get_id(record: Mapping[str, Any], key: str, where: Where) -> str | None:
    """An identifier that may be written as a JSON number or string; ``None`` when absent."""
    value = record.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise where.error(f"{key!r} must be a string or an integer")
    return str(value)


def get_mapping(record: Mapping[str, Any], key: str, where: Where) -> dict[str, Any]:
    value = record.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise where.error(f"{key!r} must be a JSON object")
    return dict(value)


def get_list(record: Mapping[str, Any], key: str, where: Where) -> list[Any]:
    value = record.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise where.error(f"{key!r} must be a JSON array")
    return value


class SpanReader:
    """Turns one record's file offsets into checked spans over the stored (normalised) text.

    ``utf16`` says the file counts UTF-16 code units (JavaScript tools); otherwise code points.
    Checks run on the file's own text first (range, recorded span text), then the offsets are
    carried through newline normalisation.

    >>> r = SpanReader("a\\r\\nدمشق", utf16=False)
    >>> r.text, r.span(len("a\\r\\n"), len("a\\r\\nدمشق"), "LOC", Where("f", 1, "record 1"))
    ('a\\nدمشق', Span(start=2, end=6, label='LOC', text='دمشق', annotator='', id=None, provenance=''))
    """

    def __init__(self, raw_text: str, *, utf16: bool) -> None:
        self.raw = raw_text
        self.text = normalize_newlines(raw_text)
        self._unit = "UTF-16 offsets" if utf16 else "offsets"
        self._u16 = utf16_map(raw_text) if utf16 else None
        self._limit = utf16_units(raw_text) if utf16 else len(raw_text)
        # Positions of each '\r' that normalisation deletes (the '\r' of a '\r\n').
        self._dropped = [m.start() for m in _CRLF.finditer(raw_text)] if "\r" in raw_text else []

    def span(
        self,
        start: Any,
        end: Any,
        label: Any,
        where: Where,
        *,
        annotator: str = "",
        quoted: Any = None,
        provenance: str = "",
    ) -> Span:
        """A span from file offsets ``[start, end)``; ``quoted`` is the span text the file records."""
        for name, value in (("start", start), ("end", end)):
            if isinstance(value, bool) or not isinstance(value, int):
                raise where.error(f"span {name} must be an integer, found {value!r}")
        if not isinstance(label, str) or not label.strip():
            raise where.error(f"span [{start}, {end}) has no label (found {label!r})")
        if not 0 <= start < end <= self._limit:
            raise where.error(
                f"span [{start}, {end}) {label} is empty, reversed or outside the text "
                f"({self._unit}; the text has {self._limit})"
            )
        cp_start, cp_end = self._to_code_points(start, end, label, where)
        raw_piece = self.raw[cp_start:cp_end]
        if quoted is not None and quoted != raw_piece:
            raise where.error(
                f"span [{start}, {end}) {label} records text {quoted!r} "
                f"but the text there is {raw_piece!r}"
            )
        # Never empty: an end right after a '\r' that was dropped keeps the '\n' after it.
        new_start, new_end = self._normalised(cp_start), self._normalised(cp_end, is_end=True)
        piece = self.text[new_start:new_end]
        return Span(new_start, new_end, label, piece, annotator, provenance=provenance)

    def _to_code_points(self, start: int, end: int, label: str, where: Where) -> tuple[int, int]:
        if self._u16 is None:
            return start, end
        for value in (start, end):
            if not self._u16.is_utf16_boundary(value):
                raise where.error(
                    f"span [{start}, {end}) {label}: UTF-16 offset {value} splits a surrogate pair"
                )
        return self._u16.to_code_point(start), self._u16.to_code_point(end)

    def _normalised(self, offset: int, *, is_end: bool = False) -> int:
        dropped_before = bisect_left(self._dropped, offset)
        if is_end and dropped_before and self._dropped[dropped_before - 1] == offset - 1:
            # An end between '\r' and '\n' keeps the whole line break rather than half of it.
            return offset - dropped_before + 1
        return offset - dropped_before


def utf16_units(text: str) -> int:
    """Length of ``text`` in UTF-16 code units, at C speed (``surrogatepass``: JSON can hold
    a lone surrogate escape)."""
    return len(text.encode("utf-16-le", errors="surrogatepass")) // 2


def utf16_map(text: str) -> Utf16Map | None:
    """A UTF-16 converter for ``text``, or ``None`` when it has no astral character, as in
    most Arabic news: then both units agree and building the map would be wasted work.

    >>> utf16_map("دمشق") is None, utf16_map("😀 دمشق").to_utf16(2)
    (True, 3)
    """
    return Utf16Map(text) if utf16_units(text) != len(text) else None


def to_utf16(text: str) -> Callable[[int], int]:
    """Code point -> UTF-16 offset converter for one text (the identity without astrals)."""
    u16 = utf16_map(text)
    return u16.to_utf16 if u16 is not None else int


def emit(warn: Warn | None, message: str, path: str, line: int) -> None:
    """Send a skip notice to ``warn`` (if any), rendered like an :class:`InputError`."""
    if warn is not None:
        warn(str(InputError(message, path, line)))


def dumps(value: Any) -> str:
    """One JSON line as every writer here writes it: UTF-8 text, no ASCII escapes, compact."""
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def write_json_lines(
    documents: Iterable[Document], out: TextIO, records: Callable[[Document], Iterable[Any]]
) -> int:
    """Write each document's records as JSON lines after checking its spans; count the lines.

    The one loop every JSONL writer shares, so none of them can forget the span check.
    """
    count = 0
    for doc in documents:
        doc.check()
        for record in records(doc):
            out.write(dumps(record) + "\n")
            count += 1
    return count
