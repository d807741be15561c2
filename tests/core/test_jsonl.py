"""Native JSONL: exact bytes, exact offsets, round trips, and errors located by line."""

from __future__ import annotations

import io
import json

import pytest

from annotator.errors import InputError
from annotator.formats.jsonl import read_jsonl, write_jsonl
from annotator.model import Document, Span, make_span

from .samples import CITY, ORG, TEXT, sample_document


def _doc() -> Document:
    return sample_document(
        make_span(TEXT, len(ORG), len(ORG + "Google"), "ORGANIZATION", "ali"),
        make_span(TEXT, len(CITY), len(CITY + "دمشـــق"), "LOCATION", "ali"),
        # Overlapping, another annotator, with provenance: all kept.
        make_span(TEXT, len("😀 قالَ "), len(CITY + "دمشـــق"), "PERSON", "omar", provenance="crf"),
        meta={"source": "test", "a": [1, {"z": 1, "b": 2}]},
    )


def _write(docs: list[Document]) -> str:
    out = io.StringIO()
    assert write_jsonl(docs, out) == len(docs)
    return out.getvalue()


def test_writes_exact_line() -> None:
    line = _write([_doc()])
    assert line == (
        '{"id": "a1", "title": "عنوان", "text": "' + TEXT + '", "spans": ['
        f'{{"start": {len("😀 قالَ ")}, "end": {len(CITY + "دمشـــق")}, "label": "PERSON", '
        '"text": "الرئيسُ في دمشـــق", "annotator": "omar", "provenance": "crf"}, '
        f'{{"start": {len(CITY)}, "end": {len(CITY + "دمشـــق")}, "label": "LOCATION", '
        '"text": "دمشـــق", "annotator": "ali"}, '
        f'{{"start": {len(ORG)}, "end": {len(ORG + "Google")}, "label": "ORGANIZATION", '
        '"text": "Google", "annotator": "ali"}], '
        '"meta": {"a": [1, {"b": 2, "z": 1}], "source": "test"}}\n'
    )


def test_round_trip_is_exact() -> None:
    first = _write([_doc(), Document("a2", "نص بلا كيانات")])
    docs = list(read_jsonl(first, path_name="f.jsonl"))
    assert _write(docs) == first
    assert docs[0].spans[1] == Span(len(CITY), len(CITY + "دمشـــق"), "LOCATION", "دمشـــق", "ali")
    assert docs[0].spans[0].provenance == "crf"
    assert docs[1].spans == ()


def test_integer_id_and_missing_optional_keys() -> None:
    text = '{"id": 17, "text": "في دمشق", "spans": [{"start": 3, "end": 7, "label": "LOC"}]}\n'
    (doc,) = read_jsonl(text, path_name="f.jsonl")
    assert doc.doc_id == "17"
    assert doc.title == ""
    assert doc.spans == (Span(len("في "), len("في دمشق"), "LOC", "دمشق"),)


def test_missing_id_uses_stem_and_record_number() -> None:
    text = '{"text": "أ"}\n\n{"text": "ب", "extra": "unknown keys are fine"}\n'
    assert [d.doc_id for d in read_jsonl(text, path_name="dir/news.jsonl")] == ["news#1", "news#2"]


def test_crlf_text_keeps_spans_on_the_same_characters() -> None:
    raw = "سطر\r\nفي دمشق\r\nو القاهرة"
    start = raw.index("القاهرة")
    record = {"id": "c", "text": raw, "spans": [{"start": start, "end": start + 7, "label": "LOC"}]}
    (doc,) = read_jsonl(json.dumps(record, ensure_ascii=False), path_name="f.jsonl")
    assert doc.text == "سطر\nفي دمشق\nو القاهرة"
    assert doc.spans[0].start == len("سطر\nفي دمشق\nو ")
    assert doc.spans[0].text == "القاهرة"


def test_u2028_inside_a_string_is_not_a_line_break() -> None:
    record = {"id": "u", "text": "أ\u2028ب", "spans": []}
    (doc,) = read_jsonl(json.dumps(record, ensure_ascii=False) + "\n", path_name="f.jsonl")
    assert doc.text == "أ\u2028ب"


def _line(**span: object) -> str:
    return json.dumps({"id": "x", "text": "في دمشق", "spans": [span]}, ensure_ascii=False)


@pytest.mark.parametrize(
    ("span", "message"),
    [
        ({"start": 3, "end": 99, "label": "LOC"}, "outside the text"),
        ({"start": 7, "end": 3, "label": "LOC"}, "reversed"),
        ({"start": 3, "end": 3, "label": "LOC"}, "empty"),
        ({"start": "3", "end": 7, "label": "LOC"}, "start must be an integer"),
        ({"start": 3, "end": 7.0, "label": "LOC"}, "end must be an integer"),
        ({"start": 3, "end": 7, "label": ""}, "has no label"),
        ({"start": 3, "end": 7, "label": "LOC", "text": "حلب"}, "records text 'حلب'"),
    ],
)
def test_bad_span_names_file_line_and_record(span: dict[str, object], message: str) -> None:
    text = '{"id": "ok", "text": "أ"}\n' + _line(**span) + "\n"
    with pytest.raises(InputError, match=message) as info:
        list(read_jsonl(text, path_name="file.jsonl"))
    assert str(info.value).startswith("file.jsonl:2: record 2 (id 'x'): ")


def test_malformed_json_on_line_3() -> None:
    text = '{"id": "a", "text": "أ"}\n{"id": "b", "text": "ب"}\n{"id": "c", "text": \n'
    with pytest.raises(InputError, match=r"^file\.jsonl:3: invalid JSON") as info:
        list(read_jsonl(text, path_name="file.jsonl"))
    assert info.value.line == 3


def test_empty_file_and_blank_lines_only() -> None:
    for text in ("", "\n  \n"):
        with pytest.raises(InputError, match="empty file"):
            list(read_jsonl(text, path_name="e.jsonl"))


def test_duplicate_id_and_non_object_line() -> None:
    with pytest.raises(InputError, match=r"e\.jsonl:2: .*already used on line 1"):
        list(read_jsonl('{"id": 1, "text": "a"}\n{"id": "1", "text": "b"}', path_name="e.jsonl"))
    with pytest.raises(InputError, match=r"e\.jsonl:2: expected a JSON object, found list"):
        list(read_jsonl('{"id": 1, "text": "a"}\n[1, 2]', path_name="e.jsonl"))
    # A first line that opens an array is a JSON file given as JSONL (issue 16).
    with pytest.raises(InputError, match=r"e\.jsonl:1: this file is a JSON array; use --format json"):
        list(read_jsonl("[1, 2]", path_name="e.jsonl"))
    with pytest.raises(InputError, match="missing 'text'"):
        list(read_jsonl('{"id": 1}', path_name="e.jsonl"))


def test_writer_refuses_a_drifted_span() -> None:
    doc = Document("d", "في دمشق", spans=(Span(0, 4, "LOC", "دمشق"),))
    with pytest.raises(Exception, match="records 'دمشق'"):
        write_jsonl([doc], io.StringIO())
