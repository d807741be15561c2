"""CoNLL reader and writer: exact output, tolerant input, repairs with line numbers, round trips."""

from __future__ import annotations

import io
import re
from collections import Counter
from pathlib import Path

import pytest

from annotator.errors import InputError, SpanError
from annotator.formats.conll import LineRepair, read_conll, write_conll
from annotator.model import Document, Span, Token, make_span
from annotator.text.marks import strip_marks
from annotator.text.token_lists import DroppedSpan, TrimmedSpan

from .samples import stop_sentences

_TOKEN = re.compile(r"\w+|[^\w\s]")


def simple_tokenize(text: str) -> list[Token]:
    """A fixed tokenizer, so these tests do not depend on the project's (evolving) one."""
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def write(docs: list[Document], **kw: object) -> tuple[str, object]:
    buffer = io.StringIO()
    kw.setdefault("tokenize", simple_tokenize)
    kw.setdefault("sentences", stop_sentences)
    report = write_conll(docs, buffer, **kw)  # type: ignore[arg-type]
    return buffer.getvalue(), report


def entities(doc: Document) -> list[tuple[int, int, int, str]]:
    """Entities as (sentence, first token, end token, label), from the tokens the reader recorded."""
    first_of: dict[int, tuple[int, int]] = {}  # token start -> (sentence, index in sentence)
    last_of: dict[int, int] = {}  # token end -> index in sentence
    tokens = iter(doc.meta["tokens"])
    for number, (_, sentence_end) in enumerate(doc.meta["sentences"]):
        for index, (start, end) in enumerate(tokens):
            first_of[start], last_of[end] = (number, index), index
            if end == sentence_end:
                break
    out = []
    for span in doc.spans:
        number, first = first_of[span.start]
        out.append((number, first, last_of[span.end] + 1, span.label))
    return out


def token_texts(doc: Document) -> list[str]:
    return [doc.text[a:b] for a, b in doc.meta["tokens"]]


TEXT = "قال د. محمد في والقاهرة اليوم. انتهى."


def test_writer_splits_merges_trims_and_drops_and_reports_each() -> None:
    person = make_span(TEXT, len("قال "), len("قال د. محمد"), "PER")
    place = make_span(TEXT, len("قال د. محمد في و"), len("قال د. محمد في والقاهرة"), "LOC")
    overlap = make_span(TEXT, len("قال د. "), len("قال د. محمد في"), "ORG")
    spaced = make_span(
        TEXT, len("قال د. محمد في والقاهرة"), len("قال د. محمد في والقاهرة اليوم"), "DATE"
    )
    blank = make_span(TEXT, len("قال"), len("قال "), "X")
    doc = Document("d1", TEXT, spans=(person, place, overlap, spaced, blank))
    out, report = write([doc])
    assert out == (
        "-DOCSTART- -X- O O\n\n"
        "قال\tO\nد\tB-PER\n.\tI-PER\nمحمد\tI-PER\nفي\tO\nو\tO\nالقاهرة\tB-LOC\nاليوم\tB-DATE\n.\tO\n\n"
        "انتهى\tO\n.\tO\n\n"
    )
    assert (report.documents, report.sentences, report.tokens) == (1, 2, 11)
    assert dict(report.spans_per_label) == {"PER": 1, "LOC": 1, "DATE": 1}
    assert (report.split_tokens, report.merged_sentences) == (1, 1)
    assert report.dropped == [
        DroppedSpan("d1", len("قال"), len("قال "), "X", " ", "covers no token"),
        DroppedSpan(
            "d1", len("قال د. "), len("قال د. محمد في"), "ORG", "محمد في", "overlaps a longer span"
        ),
    ]
    written = make_span(
        TEXT, len("قال د. محمد في والقاهرة "), len("قال د. محمد في والقاهرة اليوم"), "DATE"
    )
    assert report.trimmed == [TrimmedSpan("d1", spaced, written)]


def test_writer_bioes_and_read_back() -> None:
    person = make_span(TEXT, len("قال "), len("قال د. محمد"), "PER")
    place = make_span(TEXT, len("قال د. محمد في و"), len("قال د. محمد في والقاهرة"), "LOC")
    out, _ = write([Document("d1", TEXT, spans=(person, place))], scheme="bioes")
    assert "د\tB-PER\n.\tI-PER\nمحمد\tE-PER\n" in out
    assert "القاهرة\tS-LOC\n" in out
    (doc,) = read_conll(out.splitlines(), path_name="x.conll")
    assert doc.text == "قال د . محمد في و القاهرة اليوم .\nانتهى ."
    assert [(s.label, s.text) for s in doc.spans] == [("PER", "د . محمد"), ("LOC", "القاهرة")]
    assert entities(doc) == [(0, 1, 4, "PER"), (0, 6, 7, "LOC")]


def test_writer_checks_every_span_against_the_text() -> None:
    bad = Span(0, 3, "X", "abc")
    with pytest.raises(SpanError):
        write([Document("d", "xyz", spans=(bad,))])


def test_writer_uses_recorded_tokens_over_the_tokenizer() -> None:
    # "1097م؛" is one AQMAR token; any tokenizer would split off the Arabic semicolon
    (doc,) = read_conll(["في O", "1097م؛ B-DATE"], path_name="t")
    out, report = write([doc])
    assert out == "-DOCSTART- -X- O O\n\nفي\tO\n1097م؛\tB-DATE\n\n"
    assert report.split_tokens == 0


def test_writer_refuses_a_token_it_could_not_read_back() -> None:
    doc = Document("d", "a\tb", meta={"tokens": [[0, 3]], "sentences": [[0, 3]]})
    with pytest.raises(InputError, match="cannot be written"):
        write([doc])


def test_token_with_a_space_survives_a_tab_file() -> None:
    (doc,) = read_conll(["New York\tB-LOC", "city\tO"], path_name="t")
    assert doc.text == "New York city"
    out, _ = write([doc])
    assert out == "-DOCSTART- -X- O O\n\nNew York\tB-LOC\ncity\tO\n\n"


def test_emoji_before_an_entity_keeps_code_point_offsets() -> None:
    text = "😀 زار دمشق"
    doc = Document("e", text, spans=(make_span(text, len("😀 زار "), len(text), "LOC"),))
    out, _ = write([doc])
    (back,) = read_conll(out.splitlines(), path_name="e")
    assert back.text == text
    assert [(s.start, s.end, s.text) for s in back.spans] == [(len("😀 زار "), len(text), "دمشق")]


def test_reader_accepts_spaces_tabs_extra_columns_crlf_bom_and_docstarts() -> None:
    lines = [
        "\ufeff-DOCSTART- -X- -X- O\r\n",
        "\r\n",
        "Ali  NNP  B-PER\r\n",
        "went\tVBD\tO\r\n",
        "\r\n",
        "\r\n",
        "#\tO\r\n",
        "-DOCSTART-\tO\r\n",
        "Rome B-LOC\r\n",
    ]
    docs = list(read_conll(lines, path_name="dir/news.conll"))
    assert [d.doc_id for d in docs] == ["news#1", "news#2"]
    assert docs[0].text == "Ali went\n#"
    assert [(s.start, s.end, s.label) for s in docs[0].spans] == [(0, len("Ali"), "PER")]
    assert docs[1].text == "Rome"
    assert docs[1].meta["format"] == "conll"


def test_reader_reads_a_path_with_bom_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "Damascus.txt"
    path.write_bytes("\ufeffدمشق B-LOC\r\nهي O\r\n\r\n".encode())
    (doc,) = read_conll(path)
    assert (doc.doc_id, doc.text) == ("Damascus", "دمشق هي")
    assert [s.text for s in doc.spans] == ["دمشق"]


def test_reader_reports_bad_encoding_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(b"a O\n\n" + "دمشق B-LOC\n".encode("cp1256"))
    with pytest.raises(InputError) as info:
        list(read_conll(path))
    assert (info.value.path, info.value.line) == (str(path), 3)


@pytest.mark.parametrize(
    ("lines", "line"),
    [
        (["a O", "", "lonely"], 3),
        (["a O", "b PER"], 2),
        (["a O", "b B-1X"], 2),
    ],
)
def test_malformed_lines_raise_input_error_with_line(lines: list[str], line: int) -> None:
    with pytest.raises(InputError) as info:
        list(read_conll(lines, path_name="f.conll"))
    assert (info.value.path, info.value.line) == ("f.conll", line)


def test_strict_reading_refuses_repairs_with_their_line() -> None:
    with pytest.raises(InputError) as info:
        list(read_conll(["a O", "b I-PER"], path_name="f", repair=False))
    assert info.value.line == 2


def test_label_map_renames_before_entities_are_joined() -> None:
    lines = ["كرة B-MISS1", "القدم I-MIS1", "و O", "DNS B-MIS-2"]
    repairs: list[LineRepair] = []
    mapping = {"MIS-2": "MIS2", "MISS1": "MIS1"}
    (doc,) = read_conll(lines, label_map=mapping, on_repair=repairs.append)
    assert [(s.label, s.text) for s in doc.spans] == [("MIS1", "كرة القدم"), ("MIS2", "DNS")]
    assert repairs == []
    with pytest.raises(ValueError):
        list(read_conll(["a O"], label_map={"X": "bad name"}))


def test_aqmar_noise_fixture_repairs_are_reported_by_line(fixtures_dir: Path) -> None:
    path = fixtures_dir / "aqmar_noisy.txt"
    repairs: list[LineRepair] = []
    (doc,) = read_conll(path, path_name="aqmar_noisy.txt", on_repair=repairs.append)
    assert [(r.line, r.original, r.repaired) for r in repairs] == [
        (2, "I-MIS1", "B-MIS1"),
        (20, "OO", "O"),
        (32, "B-MIS1`", "B-MIS1"),
        (56, "I-MIS", "B-MIS"),
        (111, "I--ORG", "I-ORG"),
        (188, "IO", "O"),
    ]
    assert str(repairs[1]) == "aqmar_noisy.txt:20: 'OO' read as 'O' (respelled)"
    labels = Counter(s.label for s in doc.spans)
    assert labels == {"LOC": 10, "MIS1": 5, "PER": 4, "ORG": 2, "MISS1": 1, "MIS": 1}
    out, _ = write([doc])
    (again,) = read_conll(out.splitlines(), path_name="aqmar_noisy.txt")
    assert token_texts(again) == token_texts(doc)
    assert entities(again) == entities(doc)


def test_clean_file_in_our_form_round_trips_byte_for_byte(fixtures_dir: Path) -> None:
    path = fixtures_dir / "aqmar_damascus.conll"
    original = path.read_text(encoding="utf-8")
    docs = list(read_conll(path))
    assert [d.doc_id for d in docs] == ["aqmar_damascus#1"]
    assert len(docs[0].spans) == 14
    out, report = write(docs)
    assert out == original
    assert (report.sentences, report.tokens) == (3, 102)


def test_every_aqmar_article_round_trips(shared_dir: Path) -> None:
    files = sorted(
        p for p in (shared_dir / "corpora" / "aqmar").glob("*.txt") if p.name != "SOURCE.txt"
    )
    assert len(files) == 28
    total_tokens = 0
    marked: list[LineRepair] = []
    for path in files:
        raw = [line.split(" ") for line in path.read_text(encoding="utf-8").split("\n") if line]
        (doc,) = read_conll(path, on_repair=marked.append)
        # format marks (LRM/RLM) leave the tokens; a token of nothing but marks leaves the data
        words = [strip_marks(cols[0])[0] for cols in raw]
        assert token_texts(doc) == [word for word in words if word], path.name
        out, report = write([doc])
        repairs: list[LineRepair] = []
        (again,) = read_conll(out.splitlines(), path_name=path.name, on_repair=repairs.append)
        assert repairs == [], path.name
        assert token_texts(again) == token_texts(doc), path.name
        assert entities(again) == entities(doc), path.name
        assert (report.split_tokens, report.merged_sentences, report.dropped) == (0, 0, []), (
            path.name
        )
        assert write([again])[0] == out, path.name
        total_tokens += report.tokens
    assert total_tokens == 73853 - 33
    assert sum(r.kind == "marks" for r in marked) == 70  # lines whose token had marks


def test_a_conll_path_is_decoded_by_the_one_decoder(tmp_path):
    """read_conll(path) names a bad byte as every other reader does (annotator.text.encoding),
    not with a message of its own; a BOM is dropped, an empty file is no document."""
    bad = tmp_path / "old.conll"
    bad.write_bytes("زار O\n".encode() + "دمشق B-LOC\n".encode("cp1256"))
    with pytest.raises(InputError) as caught:
        list(read_conll(bad))
    offset = len("زار O\n".encode())  # where the cp1256 line starts
    assert str(caught.value) == f"{bad}:2: byte 0xcf at byte offset {offset} is not valid utf-8"
    bom = tmp_path / "bom.conll"
    bom.write_bytes(b"\xef\xbb\xbf" + "دمشق B-LOC\n".encode())
    assert [(s.start, s.end, s.label) for s in next(read_conll(bom)).spans] == [(0, len("دمشق"), "LOC")]
    empty = tmp_path / "empty.conll"
    empty.write_bytes(b"")
    assert list(read_conll(empty)) == []
