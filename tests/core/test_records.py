"""Shared reader machinery: JSON records with lines, offsets through CRLF and UTF-16, and a
property test that every writer's output reads back to the same spans."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from typing import Any, TextIO

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.errors import InputError
from annotator.formats.doccano import read_doccano, write_doccano
from annotator.formats.jsonl import read_jsonl, write_jsonl
from annotator.formats.labelstudio import read_labelstudio, write_labelstudio
from annotator.formats.prodigy import read_prodigy, write_prodigy
from annotator.model import Document, Span, make_span
from annotator.text.records import SpanReader, Where, iter_json_array, iter_json_records

WHERE = Where("f.json", 7, "record 1")


def test_json_array_elements_carry_their_line() -> None:
    text = '[\n  {"a": 1},\n\n  {"b": [\n 2]}, {"c": 3}\n]\n'
    assert list(iter_json_array(text, "f.json")) == [(2, {"a": 1}), (4, {"b": [2]}), (5, {"c": 3})]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"a": 1}', "f.json:1: expected a JSON array"),
        ('[{"a": 1}] x', "f.json:1: text after the end of the JSON array"),
        ('[{"a": 1}\n {"b": 2}]', "f.json:2: invalid JSON: expected ',' or ']'"),
        ("[\n 1]", "f.json:2: expected a JSON object, found int"),
        ('[{"a": 1},\n', "f.json:2: invalid JSON: Expecting value"),
    ],
)
def test_json_array_errors(text: str, message: str) -> None:
    with pytest.raises(InputError) as info:
        list(iter_json_array(text, "f.json"))
    assert str(info.value).startswith(message)


def test_json_records_tells_the_shapes_apart() -> None:
    assert list(iter_json_records('\ufeff[{"a": 1}]', "f")) == [(1, {"a": 1})]
    assert list(iter_json_records('{\n "a": 1\n}\n', "f")) == [(1, {"a": 1})]
    assert list(iter_json_records('{"a": 1}\n{"a": 2}\n', "f")) == [(1, {"a": 1}), (2, {"a": 2})]


def test_crlf_offsets_map_to_the_same_characters() -> None:
    reader = SpanReader("أ\r\nدمشق\r\nب", utf16=False)
    assert reader.text == "أ\nدمشق\nب"
    assert reader.span(3, 7, "LOC", WHERE) == Span(2, 6, "LOC", "دمشق")
    # A span ending between '\r' and '\n' keeps the whole line break.
    assert reader.span(3, 8, "LOC", WHERE) == Span(2, 7, "LOC", "دمشق\n")
    # Starting on the '\r' starts on the '\n' that replaces the pair.
    assert reader.span(1, 7, "LOC", WHERE) == Span(1, 6, "LOC", "\nدمشق")
    # Lone '\r' (old Mac) is replaced, not removed: offsets do not move.
    assert SpanReader("أ\rب", utf16=False).span(2, 3, "X", WHERE) == Span(2, 3, "X", "ب")


def test_span_of_half_a_crlf_becomes_the_newline() -> None:
    reader = SpanReader("أ\r\nب", utf16=False)
    assert reader.span(1, 2, "X", WHERE) == Span(1, 2, "X", "\n")
    assert reader.span(2, 3, "X", WHERE) == Span(1, 2, "X", "\n")


def test_utf16_and_crlf_together() -> None:
    raw = "😀\r\n😀 دمشق"
    start = len("😀\r\n😀 ") + 2  # two astral characters before it
    reader = SpanReader(raw, utf16=True)
    assert reader.span(start, start + 4, "LOC", WHERE, quoted="دمشق") == Span(
        len("😀\n😀 "), len("😀\n😀 دمشق"), "LOC", "دمشق"
    )
    with pytest.raises(InputError, match="the text has 11"):
        reader.span(0, 12, "LOC", WHERE)


def test_booleans_are_not_offsets() -> None:
    with pytest.raises(InputError, match="span start must be an integer, found True"):
        SpanReader("أب", utf16=False).span(True, 2, "X", WHERE)


# --- every writer round-trips through its reader ------------------------------------------

Writer = Callable[[list[Document], TextIO], int]
Reader = Callable[[str], Iterator[Document]]
FORMATS: dict[str, tuple[Writer, Reader, bool]] = {
    # name: (writer, reader, keeps annotator names)
    "jsonl": (write_jsonl, lambda t: read_jsonl(t, path_name="f"), True),
    "labelstudio": (write_labelstudio, lambda t: read_labelstudio(t, path_name="f"), True),
    "prodigy": (write_prodigy, lambda t: read_prodigy(t, path_name="f"), True),
    "doccano": (write_doccano, lambda t: read_doccano(t, path_name="f"), False),
}

# Arabic letters, diacritics, tatweel, Latin, digits, spaces, emoji (astral), newlines.
ALPHABET = st.sampled_from(
    list("دمشقالرئيس") + ["\u064e", "\u0651", "ـ", "G", "o", "7", "٤", " ", "\n", "😀", "🇸"]
)


@st.composite
def documents(draw: Any) -> Document:
    text = draw(st.text(ALPHABET, min_size=1, max_size=40))
    spans = []
    for _ in range(draw(st.integers(0, 4))):
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        label = draw(st.sampled_from(["LOC", "PER"]))
        spans.append(make_span(text, start, end, label, draw(st.sampled_from(["ali", "omar"]))))
    return Document("d1", text, "t", spans=tuple(spans))


@pytest.mark.parametrize("name", sorted(FORMATS))
@settings(max_examples=60, deadline=None)
@given(doc=documents())
def test_round_trip_property(name: str, doc: Document) -> None:
    writer, reader, keeps_annotators = FORMATS[name]
    out = io.StringIO()
    writer([doc], out)
    (back,) = reader(out.getvalue())
    assert (back.doc_id, back.text) == (doc.doc_id, doc.text)
    if keeps_annotators:
        assert sorted(back.spans, key=repr) == sorted(doc.spans, key=repr)
    else:
        assert {s.key for s in back.spans} == {s.key for s in doc.spans}
