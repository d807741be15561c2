"""spaCy DocBin: our tokens as spaCy words, exact offsets (emoji!), overlaps kept in spans["sc"]."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.errors import InputError
from annotator.formats.conll import read_conll
from annotator.model import Document, make_span

spacy = pytest.importorskip("spacy")

from spacy.tokens import Doc, DocBin
from spacy.vocab import Vocab

from annotator.formats.spacy_docbin import (
    docbin_bytes,
    read_docbin,
    to_docbin,
    write_docbin,
)

from .samples import stop_sentences, words_and_stops

TEXT = "😀 زار  محمد بن علي\n\nوالقاهرة. عاد "


def _doc() -> Document:
    person = make_span(TEXT, len("😀 زار  "), len("😀 زار  محمد بن علي"), "PER")
    inner = make_span(TEXT, len("😀 زار  محمد "), len("😀 زار  محمد بن علي"), "PER")
    city = make_span(
        TEXT, len("😀 زار  محمد بن علي\n\nو"), len("😀 زار  محمد بن علي\n\nوالقاهرة"), "LOC"
    )
    return Document("d1", TEXT, title="عنوان", spans=(person, inner, city), meta={"source": "x"})


def _spacy_docs(data: bytes) -> list[Doc]:
    return list(DocBin().from_bytes(data).get_docs(Vocab()))


def test_offsets_match_ours_after_an_emoji() -> None:
    bin_, report = to_docbin([_doc()], tokenize=words_and_stops, sentences=stop_sentences)
    (sdoc,) = _spacy_docs(bin_.to_bytes())
    assert sdoc.text == TEXT
    assert [(e.start_char, e.end_char, e.label_, e.text) for e in sdoc.ents] == [
        (len("😀 زار  "), len("😀 زار  محمد بن علي"), "PER", "محمد بن علي"),
        (len("😀 زار  محمد بن علي\n\nو"), len("😀 زار  محمد بن علي\n\nوالقاهرة"), "LOC", "القاهرة"),
    ]
    assert [(s.start_char, s.label_) for s in sdoc.spans["sc"]] == [
        (len("😀 زار  "), "PER"),
        (len("😀 زار  محمد "), "PER"),
        (len("😀 زار  محمد بن علي\n\nو"), "LOC"),
    ]
    assert [t.text for t in sdoc] == [
        "😀",
        "زار",
        " ",
        "محمد",
        "بن",
        "علي",
        "\n\n",
        "و",
        "القاهرة",
        ".",
        "عاد",
    ]
    assert [s.text for s in sdoc.sents] == ["😀 زار  محمد بن علي\n\nوالقاهرة.", "عاد"]
    assert (report.split_tokens, report.sentences, len(report.dropped)) == (1, 2, 1)
    assert report.dropped[0].reason == "overlaps a longer span"


def test_round_trip_keeps_every_span_id_title_and_meta() -> None:
    doc = _doc()
    (back,) = read_docbin(docbin_bytes([doc], tokenize=words_and_stops, sentences=stop_sentences))
    assert (back.doc_id, back.text, back.title) == ("d1", TEXT, "عنوان")
    assert [s.key for s in back.spans] == [s.key for s in doc.spans]
    assert back.meta["source"] == "x"
    assert list(back.meta) == ["source", "tokens", "sentences"]
    assert back.meta["tokens"][:3] == [[0, 1], [len("😀 "), len("😀 زار")], [7, 11]]


def test_file_on_disk_and_a_foreign_docbin_without_user_data(tmp_path: Path) -> None:
    path = tmp_path / "news.spacy"
    write_docbin([_doc()], path, tokenize=words_and_stops, sentences=stop_sentences)
    assert [d.doc_id for d in read_docbin(path)] == ["d1"]
    vocab = Vocab()
    sdoc = Doc(vocab, words=["زار", "دمشق"], spaces=[True, False])
    sdoc.ents = [sdoc.char_span(len("زار "), len("زار دمشق"), label="LOC")]
    foreign = DocBin()
    foreign.add(sdoc)
    (doc,) = read_docbin(foreign.to_bytes(), path_name="other.spacy")
    assert (doc.doc_id, doc.text) == ("other#1", "زار دمشق")
    assert [(s.start, s.end, s.label) for s in doc.spans] == [(len("زار "), len("زار دمشق"), "LOC")]
    assert doc.meta["tokens"] == [[0, 3], [4, 8]]


def test_garbage_is_an_input_error() -> None:
    with pytest.raises(InputError, match="not a spaCy DocBin"):
        list(read_docbin(b"not msgpack at all", path_name="bad.spacy"))


def test_aqmar_fixture_survives_conll_to_spacy_and_back(fixtures_dir: Path) -> None:
    (doc,) = read_conll(fixtures_dir / "aqmar_noisy.txt")
    (back,) = read_docbin(docbin_bytes([doc]))
    assert back.text == doc.text
    assert back.meta["tokens"] == doc.meta["tokens"]
    assert [s.key for s in back.spans] == [s.key for s in doc.spans]
