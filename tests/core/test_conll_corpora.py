"""CoNLL as real corpora write it: nested tag columns, label case, format marks, BIOES closure."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from annotator.errors import InputError
from annotator.formats.conll import LineRepair, read_conll, write_conll
from annotator.formats.repairs import RepairLog

S1 = "قال محمود عباس سكرتير اللجنة القومية العربية في نابلس ."
S2 = "رئيس مجلس بلدية نابلس في فلسطين ."


def spans(doc: object) -> list[tuple[int, int, str, str]]:
    return [(s.start, s.end, s.label, s.text) for s in doc.spans]  # type: ignore[attr-defined]


def test_nested_columns_keep_every_entity_with_exact_offsets(fixtures_dir: Path) -> None:
    """Outer OCC over inner ORG/GPE: reading only the last column made OCC «سكرتير» + OCC «في»
    and lost the outer entities; every column is its own sequence of entities now."""
    repairs: list[LineRepair] = []
    (doc,) = read_conll(fixtures_dir / "nested_ner.conll", path_name="nested_ner.conll",
                        on_repair=repairs.append)
    assert doc.text == S1 + "\n" + S2
    second = len(S1 + "\n")
    assert spans(doc) == [
        (len("قال "), len("قال محمود عباس"), "PER", "محمود عباس"),
        (len("قال محمود عباس "), len("قال محمود عباس سكرتير اللجنة القومية العربية في نابلس"),
         "OCC", "سكرتير اللجنة القومية العربية في نابلس"),
        (len("قال محمود عباس سكرتير "), len("قال محمود عباس سكرتير اللجنة القومية العربية"),
         "ORG", "اللجنة القومية العربية"),
        (len("قال محمود عباس سكرتير اللجنة القومية العربية في "),
         len("قال محمود عباس سكرتير اللجنة القومية العربية في نابلس"), "GPE", "نابلس"),
        (second, second + len("رئيس مجلس بلدية نابلس"), "OCC", "رئيس مجلس بلدية نابلس"),
        (second + len("رئيس "), second + len("رئيس مجلس بلدية نابلس"), "ORG", "مجلس بلدية نابلس"),
        (second + len("رئيس مجلس بلدية "), second + len("رئيس مجلس بلدية نابلس"), "GPE", "نابلس"),
        (second + len("رئيس مجلس بلدية نابلس في "), second + len("رئيس مجلس بلدية نابلس في فلسطين"),
         "GPE", "فلسطين"),
    ]
    assert repairs == []
    assert doc.meta["tag_columns"] == 3


def test_nested_export_keeps_the_longest_and_reports_the_rest(fixtures_dir: Path) -> None:
    (doc,) = read_conll(fixtures_dir / "nested_ner.conll")
    out = io.StringIO()
    report = write_conll([doc], out)
    assert [(d.label, d.text) for d in report.dropped] == [
        ("ORG", "اللجنة القومية العربية"), ("GPE", "نابلس"), ("ORG", "مجلس بلدية نابلس"),
        ("GPE", "نابلس"),
    ]
    lines = out.getvalue().split("\n")
    assert lines[2:12] == [
        "قال\tO", "محمود\tB-PER", "عباس\tI-PER", "سكرتير\tB-OCC", "اللجنة\tI-OCC",
        "القومية\tI-OCC", "العربية\tI-OCC", "في\tI-OCC", "نابلس\tI-OCC", ".\tO",
    ]


def test_conll2003_chunk_column_is_not_an_entity_layer() -> None:
    lines = ["-DOCSTART- -X- -X- O", "", "EU NNP B-NP B-ORG", "rejects VBZ B-VP O",
             "German JJ B-NP B-MISC", "call NN I-NP O"]
    (doc,) = read_conll(lines, path_name="eng.train")
    assert spans(doc) == [(0, 2, "ORG", "EU"), (len("EU rejects "), len("EU rejects German"),
                                                 "MISC", "German")]


def test_label_names_keep_their_case() -> None:
    repairs: list[LineRepair] = []
    lines = ["سكان O", "القاهرة B-Population-Center", "الكبرى I-Population-Center"]
    (doc,) = read_conll(lines, on_repair=repairs.append)
    assert spans(doc) == [(len("سكان "), len("سكان القاهرة الكبرى"), "Population-Center",
                           "القاهرة الكبرى")]
    assert repairs == []


def test_format_marks_leave_token_columns_and_are_reported() -> None:
    """A token carrying LRM was another training token than the same word without it, and the
    span started on the invisible mark."""
    repairs: list[LineRepair] = []
    lines = ["وصل O", "\u200eفرانكفورت B-LOC", "\u200f O", "الألمانية\u200f I-LOC", ". O"]
    (doc,) = read_conll(lines, path_name="m.conll", on_repair=repairs.append)
    assert doc.text == "وصل فرانكفورت الألمانية ."
    assert spans(doc) == [(len("وصل "), len("وصل فرانكفورت الألمانية"), "LOC",
                           "فرانكفورت الألمانية")]
    assert [(r.line, r.kind) for r in repairs] == [(2, "marks"), (3, "marks"), (4, "marks")]
    # stripping marks changes no tag: strict reading still accepts it
    (strict,) = read_conll(lines, repair=False)
    assert strict.text == doc.text


def test_unclosed_bioes_entity_is_reported_and_refused_when_strict() -> None:
    lines = ["زار O", "محمد B-PER", "دمشق S-LOC", "أمس O"]
    repairs: list[LineRepair] = []
    (doc,) = read_conll(lines, path_name="b.bioes", on_repair=repairs.append)
    assert spans(doc) == [(len("زار "), len("زار محمد"), "PER", "محمد"),
                          (len("زار محمد "), len("زار محمد دمشق"), "LOC", "دمشق")]
    assert [(r.line, r.original, r.repaired, r.kind) for r in repairs] == [
        (2, "B-PER", "S-PER", "unclosed")
    ]
    with pytest.raises(InputError) as info:
        list(read_conll(lines, path_name="b.bioes", repair=False))
    assert (info.value.path, info.value.line) == ("b.bioes", 2)


def test_repairs_are_summarised_per_file_and_kind() -> None:
    lines = [f"w{n} b-per" for n in range(10)] + ["x I-LOC"]
    log = RepairLog()
    list(read_conll(lines, path_name="big.conll", on_repair=log.add))
    assert log.lines() == [
        "big.conll: 10 tag(s) respelled, e.g. line 1 'b-per' read as 'B-per', "
        "line 2 'b-per' read as 'B-per', line 3 'b-per' read as 'B-per'",
        "big.conll: 1 continuation tag(s) without their start read as a start, "
        "e.g. line 11 'I-LOC' read as 'B-LOC'",
    ]
