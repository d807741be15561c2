"""Hugging Face JSONL: exact lines, label order, read back, and `datasets` loads what we write."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from annotator.errors import InputError, SchemaError
from annotator.formats.conll import read_conll
from annotator.formats.hf import (
    features,
    label_list,
    read_hf,
    read_hf_folder,
    write_hf,
    write_hf_folder,
)
from annotator.model import Document, make_span

from .samples import stop_sentences, words_and_stops

TEXT = "زار محمد دمشق. عاد."


def _doc() -> Document:
    person = make_span(TEXT, len("زار "), len("زار محمد"), "PER")
    place = make_span(TEXT, len("زار محمد "), len("زار محمد دمشق"), "LOC")
    return Document("a1", TEXT, spans=(person, place))


def test_label_list_orders_o_then_schema_order() -> None:
    assert label_list(["PER", "LOC"]) == ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"]
    assert label_list(["LOC"], "bioes") == ["O", "B-LOC", "I-LOC", "E-LOC", "S-LOC"]
    with pytest.raises(ValueError):
        label_list(["LOC"], "bilou")


def test_writer_lines_are_exact() -> None:
    buffer = io.StringIO()
    report = write_hf(
        [_doc()], buffer, labels=["PER", "LOC"], tokenize=words_and_stops, sentences=stop_sentences
    )
    lines = [json.loads(line) for line in buffer.getvalue().splitlines()]
    assert lines == [
        {
            "id": "a1/0",
            "doc_id": "a1",
            "sentence": 0,
            "tokens": ["زار", "محمد", "دمشق", "."],
            "ner_tags": [0, 1, 3, 0],
            "tags": ["O", "B-PER", "B-LOC", "O"],
        },
        {
            "id": "a1/1",
            "doc_id": "a1",
            "sentence": 1,
            "tokens": ["عاد", "."],
            "ner_tags": [0, 0],
            "tags": ["O", "O"],
        },
    ]
    assert buffer.getvalue().startswith(
        '{"id": "a1/0", "doc_id": "a1", "sentence": 0, "tokens": ["زار"'
    )
    assert report.label_list == ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"]
    assert (report.documents, report.sentences, report.tokens) == (1, 2, 6)


def test_writer_without_labels_sorts_them_and_refuses_unknown_labels() -> None:
    buffer = io.StringIO()
    report = write_hf(
        [_doc()], buffer, scheme="bioes", tokenize=words_and_stops, sentences=stop_sentences
    )
    assert report.label_list == [
        "O",
        "B-LOC",
        "I-LOC",
        "E-LOC",
        "S-LOC",
        "B-PER",
        "I-PER",
        "E-PER",
        "S-PER",
    ]
    assert json.loads(buffer.getvalue().splitlines()[0])["ner_tags"] == [0, 8, 4, 0]
    with pytest.raises(SchemaError, match="'LOC'"):
        write_hf(
            [_doc()],
            io.StringIO(),
            labels=["PER"],
            tokenize=words_and_stops,
            sentences=stop_sentences,
        )


def test_read_back_rebuilds_documents_from_sentences() -> None:
    buffer = io.StringIO()
    write_hf(
        [_doc(), Document("a2", "هنا")],
        buffer,
        labels=["PER", "LOC"],
        tokenize=words_and_stops,
        sentences=stop_sentences,
    )
    docs = list(read_hf(buffer.getvalue(), path_name="train.jsonl"))
    assert [d.doc_id for d in docs] == ["a1", "a2"]
    assert docs[0].text == "زار محمد دمشق .\nعاد ."
    assert [(s.start, s.end, s.label, s.text) for s in docs[0].spans] == [
        (len("زار "), len("زار محمد"), "PER", "محمد"),
        (len("زار محمد "), len("زار محمد دمشق"), "LOC", "دمشق"),
    ]
    assert docs[0].meta["tokens"][3] == [len("زار محمد دمشق "), len("زار محمد دمشق .")]


def test_reader_takes_integers_with_a_label_list_or_string_tags() -> None:
    ints = ['{"id": 7, "tokens": ["علي", "هنا"], "ner_tags": [1, 0]}']
    (doc,) = read_hf(ints, label_names=["O", "B-PER", "I-PER"])
    assert (doc.doc_id, [s.text for s in doc.spans]) == ("7", ["علي"])
    (doc,) = read_hf(['{"tokens": ["علي"], "ner_tags": ["B-PER"]}'], path_name="x/dev.jsonl")
    assert (doc.doc_id, [s.label for s in doc.spans]) == ("dev#1", ["PER"])


@pytest.mark.parametrize(
    ("lines", "line", "message"),
    [
        (['{"tokens": ["a"], "ner_tags": [0]}'], 1, "label list"),
        (['{"tokens": ["a", "b"], "tags": ["O"]}'], 1, "2 tokens but 1 tags"),
        (['{"tokens": "a b", "tags": ["O"]}'], 1, "tokens must be"),
        (['{"tokens": ["a"], "tags": ["PER"]}'], 1, "cannot read tag"),
        (
            [
                '{"doc_id": "x", "tokens": ["a"], "tags": ["O"]}',
                '{"doc_id": "y", "tokens": ["a"], "tags": ["O"]}',
                "",
                '{"doc_id": "x", "tokens": ["a"], "tags": ["O"]}',
            ],
            4,
            "not together",
        ),
    ],
)
def test_reader_errors_name_the_line(lines: list[str], line: int, message: str) -> None:
    with pytest.raises(InputError, match=message) as info:
        list(read_hf(lines, path_name="t.jsonl"))
    assert (info.value.path, info.value.line) == ("t.jsonl", line)


def test_reader_refuses_out_of_range_integers() -> None:
    with pytest.raises(InputError, match="index the 2 label names"):
        list(read_hf(['{"tokens": ["a"], "ner_tags": [2]}'], label_names=["O", "B-X"]))


def test_folder_round_trips_the_aqmar_fixture(tmp_path: Path, fixtures_dir: Path) -> None:
    docs = list(read_conll(fixtures_dir / "aqmar_noisy.txt"))
    labels = sorted({s.label for s in docs[0].spans})
    report = write_hf_folder(docs, tmp_path, labels=labels, split="train", name="aqmar-noisy")
    assert (
        json.loads((tmp_path / "label_list.json").read_text(encoding="utf-8")) == report.label_list
    )
    (back,) = read_hf_folder(tmp_path)
    assert back.text == docs[0].text
    assert [s.key for s in back.spans] == [s.key for s in docs[0].spans]
    assert back.meta["tokens"] == docs[0].meta["tokens"]


def test_dataset_card_is_valid_yaml_with_the_class_names(tmp_path: Path) -> None:
    yaml = pytest.importorskip("yaml")
    report = write_hf_folder([_doc()], tmp_path, labels=["PER", "LOC"], name="news")
    header = (tmp_path / "README.md").read_text(encoding="utf-8").split("---\n")[1]
    info = yaml.safe_load(header)
    ner = next(f for f in info["dataset_info"]["features"] if f["name"] == "ner_tags")
    names = ner["sequence"]["class_label"]["names"]
    assert [names[i] for i in sorted(names)] == report.label_list
    assert info["configs"][0]["data_files"] == [{"split": "train", "path": "train.jsonl"}]


def test_datasets_loads_the_export(tmp_path: Path, fixtures_dir: Path) -> None:
    datasets = pytest.importorskip("datasets")
    docs = list(read_conll(fixtures_dir / "aqmar_damascus.conll"))
    out = tmp_path / "export"
    report = write_hf_folder(docs, out, labels=["PER", "LOC", "ORG"])
    loaded = datasets.load_dataset(
        "json",
        data_files=str(out / "train.jsonl"),
        features=features(report.label_list),
        cache_dir=str(tmp_path / "cache"),
    )["train"]
    assert loaded.num_rows == 3
    assert loaded.features["ner_tags"].feature.names == [
        "O",
        "B-PER",
        "I-PER",
        "B-LOC",
        "I-LOC",
        "B-ORG",
        "I-ORG",
    ]
    first = loaded[0]
    assert first["id"] == "aqmar_damascus#1/0"
    assert first["tokens"][:3] == ["دمشق", "هي", "العاصمة"]
    assert first["ner_tags"][:4] == [3, 0, 3, 4]
    assert sum(len(row) for row in loaded["tokens"]) == 102
    plain = datasets.load_dataset(
        "json", data_files=str(out / "train.jsonl"), cache_dir=str(tmp_path / "cache2")
    )["train"]
    assert plain[0]["ner_tags"] == first["ner_tags"]
