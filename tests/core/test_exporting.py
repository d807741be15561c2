"""Exports from a project: layers, gold, splits, cards, overlap reports, our readers reading back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.errors import AnnotatorError
from annotator.exporting import ExportOptions, export_project, parse_split
from annotator.formats.doccano import read_doccano
from annotator.formats.prodigy import read_prodigy
from annotator.importing import import_documents
from annotator.model import Document
from annotator.review.adjudication import Adjudicator
from annotator.team.members import acting_session, add_user

TEXT = "😀 قصف صاروخي على حقل العمر في دير الزور."
FIELD = (TEXT.index("حقل"), TEXT.index("حقل") + len("حقل العمر"))
OMAR = (TEXT.index("العمر"), TEXT.index("العمر") + len("العمر"))
DEIR = (TEXT.index("دير"), TEXT.index("دير") + len("دير الزور"))


@pytest.fixture
def labelled(project):
    """Two annotators on one article: they agree on دير الزور, disagree on حقل العمر / العمر."""
    import_documents(project, [Document("a1", TEXT, "خبر"), Document("a2", "خبر بلا تسميات", "")])
    ali, mona = project.session("ali"), project.session("mona")
    ali.add_span(1, *FIELD, "LOCATION")
    ali.add_span(1, *DEIR, "LOCATION")
    mona.add_span(1, *OMAR, "LOCATION")
    mona.add_span(1, *DEIR, "LOCATION")
    ali.set_state(1, "done")
    mona.set_state(1, "done")
    return project


def _export(project, tmp_path, name="out.jsonl", **kw) -> tuple[Path, object]:
    out = tmp_path / name
    return out, export_project(project, out, ExportOptions(**kw))


def test_native_jsonl_keeps_every_layer_and_overlaps(labelled, tmp_path):
    out, result = _export(labelled, tmp_path, include_unfinished=True)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == ["a1", "a2"]
    spans = [(s["start"], s["end"], s["annotator"]) for s in records[0]["spans"]]
    # Nested حقل العمر ⊃ العمر both kept; دير الزور once per annotator.
    assert spans == [(*FIELD, "ali"), (*OMAR, "mona"), (*DEIR, "ali"), (*DEIR, "mona")]
    assert result.documents == {"all": 2}


def test_formats_without_annotators_see_an_agreement_once(labelled, tmp_path):
    out, _ = _export(labelled, tmp_path, "d.jsonl", flavor="doccano")
    assert json.loads(out.read_text(encoding="utf-8").splitlines()[0])["label"].count(
        [DEIR[0] + 1, DEIR[1] + 1, "LOCATION"]) == 1


def test_conll_keeps_longest_and_reports_the_dropped_span(labelled, tmp_path):
    out, result = _export(labelled, tmp_path, "out.conll", format="conll", scheme="bioes")
    lines = out.read_text(encoding="utf-8").split("\n")
    assert "حقل\tB-LOCATION" in lines and "العمر\tE-LOCATION" in lines
    assert "دير\tB-LOCATION" in lines and "الزور\tE-LOCATION" in lines
    assert [(d.doc_id, d.start, d.end) for d in result.dropped] == [("a1", *OMAR)]
    shown = f"a1:{OMAR[0]}-{OMAR[1]} LOCATION «العمر» (overlaps a longer span)"
    card = (tmp_path / "out.card.md").read_text(encoding="utf-8")
    assert "1 dropped" in card and f"- {shown}" in card.splitlines()
    assert "DroppedSpan(" not in card
    assert json.loads((tmp_path / "out.card.json").read_text(encoding="utf-8"))["dropped"] == [shown]


def test_card_counts_what_was_written_not_what_was_dropped(labelled, tmp_path):
    _, result = _export(labelled, tmp_path, "out.conll", format="conll")
    # Three distinct LOCATION spans, one of them (العمر inside حقل العمر) dropped: two written.
    assert result.spans_per_label == {"all": {"LOCATION": 2}}
    card = (tmp_path / "out.card.md").read_text(encoding="utf-8").splitlines()
    assert "| LOCATION | 2 |" in card
    assert json.loads((tmp_path / "out.card.json").read_text(encoding="utf-8"))[
        "spans_per_label"] == {"all": {"LOCATION": 2}}


def test_one_annotators_layer_only(labelled, tmp_path):
    out, _ = _export(labelled, tmp_path, source="mona")
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == ["a1"]
    assert {s["annotator"] for s in records[0]["spans"]} == {"mona"}
    with pytest.raises(AnnotatorError, match="no layer 'nobody'"):
        _export(labelled, tmp_path, source="nobody")


def test_gold_exports_only_adjudicated_articles(labelled, tmp_path):
    with pytest.raises(AnnotatorError, match="nothing to export"):
        _export(labelled, tmp_path, source="gold")
    admin = acting_session(labelled, "sara")
    add_user(admin, "sara", "admin")
    add_user(admin, "huda", "reviewer")
    judge = Adjudicator(labelled.session("huda"))
    items = judge.open_article(1)  # the agreement on دير الزور is accepted automatically
    for item in (i for i in items if i.open):
        judge.accept(1, item.bounds, 0)
    out, result = _export(labelled, tmp_path, source="gold")
    record = json.loads(out.read_text(encoding="utf-8"))
    assert record["id"] == "a1" and result.documents == {"all": 1}
    assert {(s["start"], s["end"]) for s in record["spans"]} >= {DEIR}
    assert all(s["annotator"] == "gold" for s in record["spans"])


def test_split_is_reproducible_and_complete(project, tmp_path):
    import_documents(project, [Document(f"d{i}", f"نص رقم {i}", "") for i in range(20)])
    _, first = _export(project, tmp_path, "a.jsonl", split=(80, 10, 10), seed=7,
                       include_unfinished=True)
    _, again = _export(project, tmp_path, "b.jsonl", split=(80, 10, 10), seed=7,
                       include_unfinished=True)
    assert first.documents == {"train": 16, "dev": 2, "test": 2}

    def ids(name: str) -> list[str]:
        lines = (tmp_path / name).read_text(encoding="utf-8").splitlines()
        return [json.loads(line)["id"] for line in lines]

    assert ids("a.train.jsonl") == ids("b.train.jsonl")
    assert sorted(ids("a.train.jsonl") + ids("a.dev.jsonl") + ids("a.test.jsonl")) == sorted(
        f"d{i}" for i in range(20))


@pytest.mark.parametrize("bad", ["80/30", "80/30/10", "a/b/c", "100", "50/-10/60"])
def test_parse_split_refuses_nonsense(bad):
    with pytest.raises(AnnotatorError, match="--split"):
        parse_split(bad)


def test_doccano_and_prodigy_flavors_read_back_by_our_readers(labelled, tmp_path):
    out, _ = _export(labelled, tmp_path, "d.jsonl", flavor="doccano", source="ali")
    raw = json.loads(out.read_text(encoding="utf-8"))
    # doccano counts UTF-16 units: the emoji at the start shifts every offset by one.
    assert [FIELD[0] + 1, FIELD[1] + 1, "LOCATION"] in raw["label"]
    back = next(read_doccano(out.read_text(encoding="utf-8"), path_name=str(out)))
    assert {(s.start, s.end) for s in back.spans} == {FIELD, DEIR}
    out, _ = _export(labelled, tmp_path, "p.jsonl", flavor="prodigy", source="ali")
    back = next(read_prodigy(out.read_text(encoding="utf-8"), path_name=str(out)))
    assert {(s.start, s.end, s.label) for s in back.spans} == {(*FIELD, "LOCATION"), (*DEIR, "LOCATION")}


def test_hf_flavor_loads_with_datasets_and_names_its_tags(labelled, tmp_path):
    datasets = pytest.importorskip("datasets")
    _, result = _export(labelled, tmp_path, "hf.jsonl", flavor="hf", source="ali", scheme="bioes")
    folder = tmp_path / "hf"
    assert result.folder == folder and result.card == folder / "README.md"
    names = json.loads((folder / "label_list.json").read_text(encoding="utf-8"))
    assert names[:5] == ["O", "B-LOCATION", "I-LOCATION", "E-LOCATION", "S-LOCATION"]
    loaded = datasets.load_dataset(str(folder), split="train")
    assert loaded.features["ner_tags"].feature.names == names
    row = loaded[0]
    tags = [names[i] for i in row["ner_tags"]]
    assert tags[row["tokens"].index("حقل")] == "B-LOCATION"
    assert tags[row["tokens"].index("العمر")] == "E-LOCATION"
    assert tags == row["tags"]


def test_interrupted_export_leaves_no_file_under_the_final_name(labelled, tmp_path, monkeypatch):
    from annotator.formats import jsonl

    def explode(docs, out):
        out.write("partial")
        raise KeyboardInterrupt

    monkeypatch.setattr(jsonl, "write_jsonl", explode)
    with pytest.raises(KeyboardInterrupt):
        _export(labelled, tmp_path, "never.jsonl")
    assert not (tmp_path / "never.jsonl").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".annotator-tmp")] == []


def test_hf_import_reads_the_label_file_beside_the_data(labelled, tmp_path):
    from annotator.reading import ReadOptions, read_paths

    _export(labelled, tmp_path, "hf", flavor="hf", source="ali")
    train = tmp_path / "hf" / "train.jsonl"
    # Integer ner_tags only (as a model's output or a Hub dataset has them): the names come
    # from label_list.json, the one label file every HF export writes.
    lines = [json.loads(line) for line in train.read_text(encoding="utf-8").splitlines()]
    train.write_text("".join(json.dumps({k: v for k, v in r.items() if k != "tags"},
                                        ensure_ascii=False) + "\n" for r in lines), encoding="utf-8")
    [doc] = read_paths([train], ReadOptions())
    assert [(doc.text[s.start:s.end], s.label) for s in doc.spans] == [
        ("حقل العمر", "LOCATION"), ("دير الزور", "LOCATION")]
