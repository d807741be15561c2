"""Prodigy NER JSONL: code-point offsets, exact inclusive token indices, annotator records."""

from __future__ import annotations

import io
import json

import pytest

from annotator.errors import InputError
from annotator.formats.prodigy import read_prodigy, write_prodigy
from annotator.model import Document, Span, make_span

from .samples import CITY, ORG, TEXT, sample_document


def _doc() -> Document:
    return sample_document(
        make_span(TEXT, len(CITY), len(CITY + "دمشـــق"), "LOCATION", "ali"),
        make_span(TEXT, len(ORG), len(ORG + "Google"), "ORGANIZATION", "omar"),
        # Ends inside the token "2024": that token is split, the label stays put.
        make_span(TEXT, len(ORG + "Google ستفتح مكتباً عام "), len(TEXT) - 3, "YEAR", "ali"),
    )


def _write(docs: list[Document]) -> list[dict[str, object]]:
    out = io.StringIO()
    count = write_prodigy(docs, out)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert count == len(records)
    return records


def test_one_record_per_annotator_with_exact_tokens() -> None:
    ali, omar = _write([_doc()])
    assert (ali["_annotator_id"], omar["_annotator_id"]) == ("ali", "omar")
    assert ali["meta"] == {"doc_id": "a1", "title": "عنوان"}
    assert ali["answer"] == "accept"
    tokens = ali["tokens"]
    assert [t["text"] for t in tokens][-4:] == ["عام", "20", "24", "."]
    assert tokens[0] == {"text": "😀", "start": 0, "end": 1, "id": 0, "ws": True}
    assert tokens[-3]["ws"] is False
    assert ali["spans"] == [
        {
            "start": len(CITY),
            "end": len(CITY + "دمشـــق"),
            "token_start": 4,
            "token_end": 4,
            "label": "LOCATION",
        },
        {
            "start": len(TEXT) - 5,
            "end": len(TEXT) - 3,
            "token_start": 10,
            "token_end": 10,
            "label": "YEAR",
        },
    ]
    assert omar["spans"][0]["token_start"] == omar["spans"][0]["token_end"] == 6
    for record in (ali, omar):
        for span in record["spans"]:
            assert tokens[span["token_start"]]["start"] == span["start"]
            assert tokens[span["token_end"]]["end"] == span["end"]


def test_multi_token_span_has_inclusive_end() -> None:
    text = "زار محمد بن سلمان الرياض"
    doc = Document(
        "p", text, spans=(make_span(text, len("زار "), len("زار محمد بن سلمان"), "PER"),)
    )
    (record,) = _write([doc])
    assert record["spans"] == [
        {"start": 4, "end": 17, "token_start": 1, "token_end": 3, "label": "PER"}
    ]
    assert "_annotator_id" not in record


def test_round_trip_merges_annotator_records() -> None:
    out = io.StringIO()
    write_prodigy([_doc(), Document("a2", "لا شيء")], out)
    docs = list(read_prodigy(out.getvalue(), path_name="p.jsonl"))
    assert [d.doc_id for d in docs] == ["a1", "a2"]
    assert docs[0].spans == _doc().spans
    assert docs[0].title == "عنوان"
    again = io.StringIO()
    write_prodigy(docs, again)
    assert again.getvalue() == out.getvalue()


def test_rejected_answers_are_skipped_and_reported() -> None:
    lines = [
        {
            "text": "في دمشق",
            "spans": [{"start": 3, "end": 7, "label": "LOC"}],
            "_input_hash": 11,
            "answer": "accept",
        },
        {
            "text": "في حلب",
            "spans": [{"start": 3, "end": 6, "label": "LOC"}],
            "_input_hash": 12,
            "answer": "reject",
        },
        {"text": "في دمشق", "spans": [], "_input_hash": 11, "_session_id": "news-omar"},
    ]
    text = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines)
    notes: list[str] = []
    docs = list(read_prodigy(text, path_name="db.jsonl", warn=notes.append))
    assert [d.doc_id for d in docs] == ["db#11"]
    assert docs[0].spans == (Span(3, 7, "LOC", "دمشق"),)
    assert notes == ["db.jsonl:2: record 2 (id 12): skipped, answer is 'reject'"]


@pytest.mark.parametrize(
    ("span", "message"),
    [
        (
            {"start": 3, "end": 7, "label": "LOC", "token_start": 0, "token_end": 1},
            "does not match its tokens",
        ),
        ({"start": 3, "end": 7, "label": "LOC", "token_start": 1, "token_end": 5}, "name no token"),
        ({"start": 3, "end": 9, "label": "LOC"}, "outside the text"),
        ({"start": 3, "end": 7, "label": "LOC", "text": "حلب"}, "records text 'حلب'"),
    ],
)
def test_bad_spans(span: dict[str, object], message: str) -> None:
    tokens = [
        {"text": "في", "start": 0, "end": 2, "id": 0},
        {"text": "دمشق", "start": 3, "end": 7, "id": 1},
    ]
    bad = json.dumps({"text": "في دمشق", "tokens": tokens, "spans": [span]}, ensure_ascii=False)
    with pytest.raises(InputError, match=message) as info:
        list(read_prodigy('{"text": "a"}\n{"text": "b"}\n' + bad, path_name="file.jsonl"))
    assert str(info.value).startswith("file.jsonl:3: record 3")


def test_same_id_with_another_text_is_an_error() -> None:
    text = '{"text": "a", "meta": {"doc_id": "d"}}\n{"text": "b", "meta": {"doc_id": "d"}}'
    with pytest.raises(InputError, match=r"file\.jsonl:2: .*different text"):
        list(read_prodigy(text, path_name="file.jsonl"))


def test_span_edge_on_whitespace_is_written_without_token_indices() -> None:
    """The space a token's ``ws`` stands for is no token: a span starting on it has none to
    name. The second space of two IS a token (as in spaCy), so a span from it has indices."""
    text = "في  دمشق"
    on_ws = make_span(text, len("في"), len(text), "LOC", "ali")
    on_token = make_span(text, len("في "), len(text), "LOC", "omar")
    records = _write([Document("w", text, spans=(on_ws, on_token))])
    assert [t["text"] for t in records[0]["tokens"]] == ["في", " ", "دمشق"]
    assert [r["spans"] for r in records] == [
        [{"start": len("في"), "end": len(text), "label": "LOC"}],
        [{"start": len("في "), "end": len(text), "token_start": 1, "token_end": 2, "label": "LOC"}]]
    (back,) = read_prodigy("\n".join(json.dumps(r, ensure_ascii=False) for r in records), path_name="w.jsonl")
    assert back.spans == (on_ws, on_token)


def test_tokens_give_back_the_text_as_spacy_rebuilds_it() -> None:
    """A paragraph break, a double space, a trailing newline: each its own token, so words
    plus ``ws`` spaces (spaCy's ``Doc(words, spaces)``, what Prodigy's relation recipes build)
    are the text again, and every offset after them still lands on its span."""
    text = "قصف حلب\n\nغارة  على إدلب\n"
    spans = (make_span(text, text.index("إدلب"), text.index("إدلب") + 4, "LOC"),)
    (record,) = _write([Document("w", text, spans=spans)])
    tokens = record["tokens"]
    assert "".join(t["text"] + (" " if t["ws"] else "") for t in tokens) == text
    assert [t["text"] for t in tokens] == ["قصف", "حلب", "\n\n", "غارة", " ", "على", "إدلب", "\n"]
    assert record["spans"][0]["token_start"] == record["spans"][0]["token_end"] == 6


def test_unhashable_token_ids_are_input_errors() -> None:
    tokens = [{"text": "في", "start": 0, "end": 2, "id": [0]}]
    with pytest.raises(InputError, match=r"token 0 has id \[0\], not a number or string"):
        list(read_prodigy(json.dumps({"text": "في", "tokens": tokens}), path_name="t.jsonl"))
    span = {"start": 0, "end": 2, "label": "X", "token_start": [0], "token_end": 0}
    record = {"text": "في", "tokens": [{"start": 0, "end": 2}], "spans": [span]}
    with pytest.raises(InputError, match="name no token"):
        list(read_prodigy(json.dumps(record), path_name="t.jsonl"))


def test_records_carry_prodigy_hashes() -> None:
    doc = sample_document(
        make_span(TEXT, len(CITY), len(CITY + "دمشـــق"), "LOCATION", "ali"),
        make_span(TEXT, len(ORG), len(ORG + "Google"), "ORGANIZATION", "mona"),
    )
    ali, mona = _write([doc])
    for record in (ali, mona):
        assert all(isinstance(record[k], int) and -2**31 <= record[k] < 2**31
                   for k in ("_input_hash", "_task_hash"))
    # One text, two annotations of it: one input hash, two task hashes (Prodigy's scheme).
    assert ali["_input_hash"] == mona["_input_hash"]
    assert ali["_task_hash"] != mona["_task_hash"]
    # Stable across runs and machines: the same export gives the same hashes.
    again = _write([doc])[0]
    assert (again["_input_hash"], again["_task_hash"]) == (ali["_input_hash"], ali["_task_hash"])
    other = _write([sample_document(doc_id="a2", title="آخر")])[0]
    assert other["_input_hash"] == ali["_input_hash"]  # the input is the text, not our ids


@pytest.mark.parametrize("text", ["a\nb", "a \nb", "a  b", "a   b", "a \n\n b", "\na b", "a\r\nb",
                                  "a b\n", "a\u00a0b", " a", "a\t b", "  a  ", "قصف حلب\n\nغارة  على إدلب\n"])
def test_whitespace_tokens_are_spacys(text: str) -> None:
    """The whitespace tokens and ``ws`` flags are the ones spaCy (Prodigy's tokenizer) makes."""
    spacy = pytest.importorskip("spacy")
    from annotator.formats.prodigy import with_space_tokens
    from annotator.text.tokenize import tokenize

    ours, spaced = with_space_tokens(text, tokenize(text))
    theirs = spacy.blank("ar")(text)
    assert [(t.text, t.end in spaced) for t in ours if not t.text.strip()] == [
        (t.text, bool(t.whitespace_)) for t in theirs if not t.text.strip()]
