"""seqeval (strict mode, the reference for tag schemes) on our CoNLL in both schemes, and
``datasets.load_dataset(folder)`` on our Hugging Face export with a train/validation/test split."""

from __future__ import annotations

import json

import pytest

from annotator.formats.conll import read_conll
from annotator.reading import ReadOptions, read_paths

from .conftest import export

pytestmark = pytest.mark.interop


def _sentences(path):
    """Tags per sentence as the file states them, -DOCSTART- lines left out."""
    blocks = path.read_text(encoding="utf-8").split("\n\n")
    return [[line.split("\t")[1] for line in block.split("\n")]
            for block in blocks if block.strip() and not block.startswith("-DOCSTART-")]


@pytest.mark.parametrize(("scheme", "seqeval_scheme"), [("iob2", "IOB2"), ("bioes", "IOBES")])
def test_seqeval_strict_reads_every_entity_we_wrote(aqmar_project, tmp_path, scheme,
                                                    seqeval_scheme):
    from seqeval import scheme as schemes
    from seqeval.metrics import f1_score

    out = tmp_path / f"aqmar.{scheme}.conll"
    export(aqmar_project, out, format="conll", scheme=scheme)
    tags = _sentences(out)
    strict = getattr(schemes, seqeval_scheme)
    found = schemes.Entities(tags, strict).entities
    assert sum(len(sentence) for sentence in found) == sum(
        len(doc.spans) for doc in read_conll(out)) > 100
    # Strict mode refuses an invalid sequence (an I- with no B-, an unclosed BIOES entity):
    # every tag we wrote is valid, so a file scored against itself is perfect.
    assert f1_score(tags, tags, mode="strict", scheme=strict) == 1.0


def test_datasets_loads_our_split_folder_with_class_labels(aqmar_project, tmp_path):
    datasets = pytest.importorskip("datasets")
    result = export(aqmar_project, tmp_path / "aqmar-hf", flavor="hf", split=(60, 20, 20), seed=3)
    folder = tmp_path / "aqmar-hf"
    loaded = datasets.load_dataset(str(folder))
    assert set(loaded) == {"train", "validation", "test"}
    names = json.loads((folder / "label_list.json").read_text(encoding="utf-8"))
    feature = loaded["train"].features["ner_tags"].feature
    assert isinstance(feature, datasets.ClassLabel) and feature.names == names
    for split in loaded.values():
        for row in split:
            assert [names[i] for i in row["ner_tags"]] == row["tags"]
    assert sum(loaded[s].num_rows for s in loaded) == sum(
        1 for s in ("train", "validation", "test")
        for _ in (folder / f"{s}.jsonl").read_text(encoding="utf-8").splitlines())
    assert result.documents == {"train": 4, "validation": 1, "test": 1}
    # Our import reads the split back with the label list beside it: the same entities.
    back = list(read_paths([folder / "train.jsonl"], ReadOptions(format="hf")))
    assert sum(len(d.spans) for d in back) == sum(result.spans_per_label["train"].values())
