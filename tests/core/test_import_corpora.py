"""Importing corpora as they ship: folders with their README, zips, tag sets to map, marks."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli import cli
from annotator.errors import InputError
from annotator.formats import archive
from annotator.importing import import_documents
from annotator.model import Document, make_span
from annotator.project import Project
from annotator.reading import ReadOptions, read_paths

A1 = "زار وزير الدفاع دمشق يوم الأحد"
A2 = "قصف صاروخي يستهدف القاعدة في حلب"


def invoke(*args: object, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args], input=stdin)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "news.db"
    assert invoke("init", path)[0] == 0
    return path


def labels_and_spans(db: Path) -> tuple[tuple[str, ...], list[tuple[str, str]]]:
    with Project.open(db) as project:
        spans = [(s.label, s.text) for a in project.store.article_ids()
                 for s in project.store.spans(a)]
        return project.schema.names, sorted(spans)


def test_folder_import_skips_corpus_documentation_and_says_so(tmp_path: Path) -> None:
    """SOURCE.txt became an article; README/SOURCE/LICENSE/*.md are about the data."""
    folder = tmp_path / "corpus"
    (folder / "sub").mkdir(parents=True)
    (folder / "a1.txt").write_text(A1, encoding="utf-8")
    (folder / "sub" / "a2.txt").write_text(A2, encoding="utf-8")
    for name in ("SOURCE.txt", "README", "readme.txt", "LICENSE", "notes.md", "photo.png"):
        (folder / name).write_text("from the CAMeL Lab site, CC BY-SA", encoding="utf-8")
    notes: list[str] = []
    docs = list(read_paths([folder], ReadOptions(), notes.append))
    assert [d.doc_id for d in docs] == ["a1", "sub/a2"]
    assert notes == [
        f"{folder}/LICENSE: skipped (a corpus's documentation, not an article)",
        f"{folder}/README: skipped (a corpus's documentation, not an article)",
        f"{folder}/SOURCE.txt: skipped (a corpus's documentation, not an article)",
        f"{folder}/notes.md: skipped (a corpus's documentation, not an article)",
        f"{folder}/readme.txt: skipped (a corpus's documentation, not an article)",
        f"{folder}: 2 file(s) read: 2 as txt, one article per file (UTF-8)",
        f"{folder}: 1 file(s) of other kinds left out (photo.png)",
    ]


def test_a_named_txt_file_reports_encoding_and_format(tmp_path: Path) -> None:
    path = tmp_path / "a1.txt"
    path.write_text(A1, encoding="utf-8")
    notes: list[str] = []
    (doc,) = read_paths([path], ReadOptions(), notes.append)
    assert doc.text == A1
    assert notes == [f"{path}: read as txt, one article per file (UTF-8)"]


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in members.items():
            out.writestr(name, data)
    return path


def test_a_zip_is_read_like_a_folder(tmp_path: Path) -> None:
    path = _zip(tmp_path / "day.zip", {
        "2015/a1.txt": A1.encode(),
        "2015/SOURCE.txt": b"scraped by ...",
        "__MACOSX/2015/._a1.txt": b"\x00\x05\x16\x07",
        "2015/ner.conll": "دمشق B-LOC\nهي O\n".encode(),
    })
    notes: list[str] = []
    docs = list(read_paths([path], ReadOptions(), notes.append))
    assert [(d.doc_id, d.text) for d in docs] == [("2015/a1", A1), ("ner", "دمشق هي")]
    assert [(s.start, s.end, s.label) for s in docs[1].spans] == [(0, 4, "LOC")]
    assert notes == [
        f"{path}/2015/SOURCE.txt: skipped (a corpus's documentation, not an article)",
        f"{path}: 2 file(s) read: 1 as txt, one article per file (UTF-8), 1 as conll (UTF-8)",
    ]


def test_a_zip_bomb_is_refused_before_it_fills_memory(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(archive, "_RATIO_FLOOR", 1024)
    path = _zip(tmp_path / "bomb.zip", {"a.txt": b"\x00" * 5_000_000})
    with pytest.raises(InputError, match=r"bomb\.zip/a\.txt: .*zip bomb"):
        list(read_paths([path], ReadOptions()))
    (tmp_path / "broken.zip").write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(InputError, match="not a readable zip archive"):
        list(read_paths([tmp_path / "broken.zip"], ReadOptions()))


def test_zip_at_the_cli_imports_and_a_broken_one_is_one_line(db: Path, tmp_path: Path) -> None:
    path = _zip(tmp_path / "day.zip", {"a1.txt": A1.encode(), "a2.txt": A2.encode()})
    code, out, _ = invoke("import", db, path)
    assert code == 0 and "2 articles added" in out
    (tmp_path / "bad.zip").write_bytes(b"PK\x03\x04 truncated")
    code, _, err = invoke("import", db, tmp_path / "bad.zip")
    assert code == 2 and len(err.strip().splitlines()) == 1 and "bad.zip" in err


def test_map_labels_lands_a_tag_set_on_the_schema(db: Path, tmp_path: Path) -> None:
    conll = tmp_path / "corpus.conll"
    conll.write_text("زار O\nمحمد B-PER\nدمشق B-LOC\nمع O\nالأمم B-ORG\nالمتحدة I-ORG\n",
                     encoding="utf-8")
    code, _, err = invoke("import", db, conll)
    assert code == 2 and "labels not in the schema: LOC, ORG, PER" in err
    code, out, err = invoke("import", db, conll,
                            "--map-labels", "PER=PERSON,LOC=LOCATION,ORG=ORGANIZATION,MISC=EVENT")
    assert code == 0, err
    assert "labels mapped: PER→PERSON, LOC→LOCATION, ORG→ORGANIZATION" in err
    assert "label map entries that matched nothing: MISC" in err
    names, spans = labels_and_spans(db)
    assert "PER" not in names and spans == [
        ("LOCATION", "دمشق"), ("ORGANIZATION", "الأمم المتحدة"), ("PERSON", "محمد")]


def test_map_labels_file_applies_to_json_formats_too(db: Path, tmp_path: Path) -> None:
    records = tmp_path / "doccano.jsonl"
    records.write_text(json.dumps({"text": A1, "label": [[16, 20, "LOC"]]}, ensure_ascii=False),
                       encoding="utf-8")
    mapping = tmp_path / "map.json"
    mapping.write_text('{"LOC": "LOCATION"}', encoding="utf-8")
    code, _, err = invoke("import", db, records, "--map-labels-file", mapping)
    assert code == 0, err
    assert labels_and_spans(db)[1] == [("LOCATION", "دمشق")]
    code, _, err = invoke("import", db, records, "--map-labels", "LOC")
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert err.strip().endswith("--map-labels:1: expected OLD=NEW, got 'LOC'")


def test_repairs_are_one_line_per_kind_and_strict_refuses(db: Path, tmp_path: Path) -> None:
    conll = tmp_path / "fine.bioes"
    rows = [f"كلمة{n} s-PER" for n in range(50)] + ["زار O", "محمد B-PER", "دمشق S-LOC", "x O"]
    conll.write_text("\n".join(rows) + "\n", encoding="utf-8")
    code, _, err = invoke("import", db, conll, "--format", "conll", "--new-labels", "add")
    assert code == 0, err
    repair_lines = [line for line in err.splitlines() if "e.g." in line]
    assert repair_lines == [
        f"{conll}: 50 tag(s) respelled, e.g. line 1 's-PER' read as 'S-PER', "
        "line 2 's-PER' read as 'S-PER', line 3 's-PER' read as 'S-PER'",
        f"{conll}: 1 BIOES entit(ies) not closed by E-/S- (read as ending there), "
        "e.g. line 52 'B-PER' read as 'S-PER'",
    ]
    code, _, err = invoke("import", db, conll, "--format", "conll", "--strict", "--layer", "b")
    assert code == 2
    assert len(err.strip().splitlines()) == 1  # one line, no traceback (the prefix is the CLI's)
    assert err.strip().endswith(f"{conll}:1: tag 's-PER' at token 1: respelled")


def test_spans_never_start_or_end_on_a_format_mark(tmp_path: Path) -> None:
    text = "زار \u200fدمشق\u200e اليوم \u200e"
    with Project.create(tmp_path / "p.db") as project:
        doc = Document("a", text, spans=(
            make_span(text, len("زار "), len("زار \u200fدمشق\u200e"), "LOCATION"),
            make_span(text, len(text) - 1, len(text), "DATE"),
        ))
        report = import_documents(project, [doc], new_labels="add")
        article = project.store.article_ids()[0]
        session = project.session("mona")
        stored = [(s.start, s.end, s.text) for s in project.store.spans(article)]
        assert stored == [(len("زار \u200f"), len("زار \u200fدمشق"), "دمشق")]
        assert report.spans_trimmed == 2
        made = session.add_span(article, len("زار "), len("زار \u200fدمشق\u200e"), "LOCATION")
        assert (made.start, made.end, made.text) == (len("زار \u200f"), len("زار \u200fدمشق"), "دمشق")


def test_rename_onto_an_existing_label_merges_them(db: Path, tmp_path: Path) -> None:
    # two layers: 'import' has PER and, from the second record (same text), PERSON on one range
    records = tmp_path / "a.jsonl"
    records.write_text(json.dumps({"text": A1, "label": [[4, 8, "PER"], [16, 20, "PER"]]},
                                  ensure_ascii=False), encoding="utf-8")
    assert invoke("import", db, records, "--format", "doccano", "--new-labels", "add")[0] == 0
    records.write_text(json.dumps({"text": A1, "label": [[4, 8, "PERSON"]]}, ensure_ascii=False),
                       encoding="utf-8")
    assert invoke("import", db, records, "--format", "doccano")[0] == 0
    code, _, err = invoke("schema", db, "--rename", "PER", "PERSON")
    assert code == 2 and "add --merge" in err and len(err.strip().splitlines()) == 1
    code, out, err = invoke("schema", db, "--rename", "PER", "PERSON", "--merge")
    assert code == 0, err
    assert out.splitlines()[0] == (
        "merged PER into PERSON: 1 spans relabelled, 1 duplicate spans removed; "
        "PER is no longer in the schema")
    names, spans = labels_and_spans(db)
    assert "PER" not in names and spans == [("PERSON", "دمشق"), ("PERSON", "وزير")]


def test_rename_merge_asks_a_person_first(db: Path, tmp_path: Path, monkeypatch) -> None:
    import annotator.cli.corpus as corpus

    records = tmp_path / "a.jsonl"
    records.write_text(json.dumps({"text": A1, "label": [[4, 8, "PER"]]}, ensure_ascii=False),
                       encoding="utf-8")
    assert invoke("import", db, records, "--format", "doccano", "--new-labels", "add")[0] == 0
    monkeypatch.setattr(corpus, "_can_ask", lambda: True)
    code, _, err = invoke("schema", db, "--rename", "PER", "PERSON", stdin="n\n")
    assert code == 1 and "PERSON already exists: merge PER into PERSON" in err
    assert "PER" in labels_and_spans(db)[0]
    code, out, _ = invoke("schema", db, "--rename", "PER", "PERSON", stdin="y\n")
    assert code == 0 and "merged PER into PERSON: 1 spans relabelled" in out
    assert labels_and_spans(db)[1] == [("PERSON", "وزير")]


@pytest.mark.shared
def test_real_corpus_folders_and_zip(shared_dir: Path) -> None:
    """ANT ships LICENSE and SOURCE.txt beside its articles; SaudiNewsNet ships one zip a day."""
    notes: list[str] = []
    ant = shared_dir / "corpora" / "antcorpus_sample"
    docs = list(read_paths([ant], ReadOptions(), notes.append))
    assert len(docs) == 18 and not any("SOURCE" in d.doc_id or "LICENSE" in d.doc_id for d in docs)
    assert notes[:2] == [f"{ant}/LICENSE: skipped (a corpus's documentation, not an article)",
                         f"{ant}/SOURCE.txt: skipped (a corpus's documentation, not an article)"]
    day = shared_dir / "corpora" / "saudinewsnet" / "2015-07-23.zip"
    notes.clear()
    articles = list(read_paths([day], ReadOptions(), notes.append))
    assert len(articles) == 1302
    assert notes[-1] == f"{day}: 1 file(s) read: 1 as json (UTF-8)"


def test_labels_differing_only_in_case_are_pointed_out(db: Path, tmp_path: Path) -> None:
    conll = tmp_path / "mixed.conll"
    conll.write_text("زار O\nمحمد B-Person\nو O\nعلي B-PERSON\n", encoding="utf-8")
    code, _, err = invoke("import", db, conll)
    assert code == 2 and err.strip().endswith(
        "labels not in the schema: Person (use --new-labels add to add them, --map-labels OLD=NEW"
        " to rename them, or fix the input); labels that differ only in case: PERSON, Person"
        " (--map-labels Person=PERSON joins them)")
    code, _, err = invoke("import", db, conll, "--new-labels", "add")
    assert code == 0, err
    assert "labels that differ only in case: PERSON, Person (--map-labels Person=PERSON joins them)" in err
    assert labels_and_spans(db)[1] == [("PERSON", "علي"), ("Person", "محمد")]


def test_each_added_label_gets_a_hint_and_the_schema_command_names_it(db: Path, tmp_path: Path) -> None:
    conll = tmp_path / "mis.conll"
    conll.write_text("زار O\nمحمد B-MIS-2\nدمشق B-VEHICLE\n", encoding="utf-8")
    code, _, err = invoke("import", db, conll, "--format", "conll", "--new-labels", "add")
    assert code == 0, err
    hints = [line for line in err.splitlines() if "display name" in line]
    assert hints == [
        f"label {label} has no Arabic display name yet: set it with "
        f"'annotator schema {db} --display-name {label} ar=NAME en=NAME'"
        for label in ("MIS-2", "VEHICLE")
    ]
    code, out, err = invoke("schema", db, "--display-name", "MIS-2", "ar=متفرقات", "en=Miscellaneous")
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == "MIS-2: ar=متفرقات, en=Miscellaneous"
    with Project.open(db) as project:
        label = project.schema.label("MIS-2")
        assert (label.display_ar, label.display_en) == ("متفرقات", "Miscellaneous")
    code, out, err = invoke("schema", db, "--display-name", "MIS-2", "fr=Divers")
    assert code == 2 and "expected ar=NAME or en=NAME, got 'fr=Divers'" in err
    code, out, err = invoke("schema", db, "--display-name", "NOPE", "ar=لا")
    assert code == 2 and err.strip().endswith("no label 'NOPE' in the schema")
