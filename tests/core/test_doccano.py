"""doccano JSONL: UTF-16 offsets out, code points in, every doccano export shape."""

from __future__ import annotations

import io
import json

import pytest

from annotator.errors import InputError
from annotator.formats.doccano import read_doccano, write_doccano
from annotator.model import Document, Span, make_span

from .samples import CITY, ORG, TEXT, sample_document


def _doc() -> Document:
    return sample_document(
        make_span(TEXT, len(CITY), len(CITY + "دمشـــق"), "LOCATION", "ali"),
        make_span(TEXT, len(CITY), len(CITY + "دمشـــق"), "LOCATION", "omar"),
        make_span(TEXT, len(ORG), len(ORG + "Google"), "ORGANIZATION", "ali"),
    )


def _write(docs: list[Document]) -> str:
    out = io.StringIO()
    assert write_doccano(docs, out) == len(docs)
    return out.getvalue()


def test_written_offsets_are_utf16_units() -> None:
    record = json.loads(_write([_doc()]))
    # The emoji is one code point but two UTF-16 units: every offset after it is one more.
    assert record["label"] == [
        [len(CITY) + 1, len(CITY + "دمشـــق") + 1, "LOCATION"],
        [len(ORG) + 1, len(ORG + "Google") + 1, "ORGANIZATION"],
    ]
    assert record["label"][0] == [19, 26, "LOCATION"]
    assert (record["doc_id"], record["title"], record["text"]) == ("a1", "عنوان", TEXT)


def test_round_trip_gives_code_points_back() -> None:
    (doc,) = read_doccano(_write([_doc()]), path_name="d.jsonl", annotator="bob")
    assert doc.doc_id == "a1"
    assert doc.spans == (
        Span(len(CITY), len(CITY + "دمشـــق"), "LOCATION", "دمشـــق", "bob"),
        Span(len(ORG), len(ORG + "Google"), "ORGANIZATION", "Google", "bob"),
    )
    assert (doc.spans[0].start, doc.spans[0].end) == (18, 25)


def test_reads_doccano_entities_export() -> None:
    line = json.dumps(
        {
            "id": 6400,
            "text": "🇸🇾 زار دمشق",
            "Comments": [],
            "entities": [{"id": 1662, "label": "LOC", "start_offset": 9, "end_offset": 13}],
            "relations": [],
        },
        ensure_ascii=False,
    )
    (doc,) = read_doccano(line, path_name="d.jsonl")
    # The flag is two astral code points, four UTF-16 units.
    assert doc.spans == (Span(len("🇸🇾 زار "), len("🇸🇾 زار دمشق"), "LOC", "دمشق"),)
    assert doc.doc_id == "6400"
    assert doc.meta == {"Comments": []}


def test_reads_labels_synonym_and_missing_id() -> None:
    line = '{"text": "في دمشق", "labels": [[3, 7, "LOC"]]}'
    (doc,) = read_doccano(line, path_name="x/export.jsonl")
    assert doc.doc_id == "export#1"
    assert [s.text for s in doc.spans] == ["دمشق"]


def test_crlf_text_offsets_follow_normalisation() -> None:
    raw = "سطر\r\n😀 دمشق"
    start16 = len("سطر\r\n😀 ") + 1
    line = json.dumps({"text": raw, "label": [[start16, start16 + 4, "LOC"]]}, ensure_ascii=False)
    (doc,) = read_doccano(line, path_name="d.jsonl")
    assert doc.text == "سطر\n😀 دمشق"
    assert (doc.spans[0].start, doc.spans[0].text) == (len("سطر\n😀 "), "دمشق")


@pytest.mark.parametrize(
    ("label", "message"),
    [
        ([[1, 3, "LOC"]], "splits a surrogate pair"),
        ([[3, 99, "LOC"]], "outside the text"),
        ([[5, 3, "LOC"]], "reversed"),
        ([[3, 5]], r"must be \[start, end, label\]"),
        (["positive"], "text-classification export"),
    ],
)
def test_bad_spans(label: list[object], message: str) -> None:
    text = '{"text": "أ"}\n{"text": "أ"}\n' + json.dumps({"text": "😀 دمشق", "label": label}) + "\n"
    with pytest.raises(InputError, match=message) as info:
        list(read_doccano(text, path_name="file.jsonl"))
    assert str(info.value).startswith("file.jsonl:3: record 3")


def test_malformed_line() -> None:
    with pytest.raises(InputError, match=r"^file\.jsonl:2: invalid JSON"):
        list(read_doccano('{"text": "a"}\n{"text": ', path_name="file.jsonl"))
