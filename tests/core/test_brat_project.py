"""brat through a project, as a user runs it: ``import`` of a brat folder, ``export --format brat``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli import cli
from annotator.project import Project

BRAT = Path(__file__).resolve().parents[1] / "fixtures" / "brat"
ANN = (BRAT / "strike.ann").read_text(encoding="utf-8")


def run(*args: object) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def imported(tmp_path: Path, layer: str = "ali") -> Path:
    db = tmp_path / "news.db"
    assert run("init", db)[0] == 0
    code, out, err = run("import", db, BRAT, "--layer", layer, "--new-labels", "add", "--as", "admin")
    assert code == 0, err
    return db


def test_a_brat_folder_imports_each_pair_once_with_exact_spans(tmp_path: Path) -> None:
    db = imported(tmp_path)
    with Project.open(db) as project:
        (article_id,) = project.store.article_ids()
        article = project.store.article(article_id)
        spans = project.store.spans(article_id, ["ali"])
    assert article.doc_id == "strike"
    assert article.text == (BRAT / "strike.txt").read_text(encoding="utf-8")
    assert [(s.start, s.end, s.label) for s in spans][:3] == [
        (8, 11, "ATTACK"), (12, 18, "WEAPON"), (23, 32, "LOCATION")]
    assert len(spans) == 9


def test_import_reports_the_dropped_note(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    run("init", db)
    code, _, err = run("import", db, BRAT, "--layer", "ali", "--new-labels", "add", "--as", "admin")
    assert code == 0
    assert f"{BRAT / 'strike.ann'}:1: dropped 1 note(s): brat keeps them, this project has no" \
           " place for them" in err.splitlines()
    assert f"{BRAT}: 1 file(s) read: 1 as brat standoff" in err.splitlines()


def test_an_ann_without_its_text_is_one_line_and_nothing_is_stored(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(BRAT / "strike.ann", folder / "strike.ann")
    db = tmp_path / "news.db"
    run("init", db)
    code, _, err = run("import", db, folder, "--layer", "ali", "--new-labels", "add", "--as", "admin")
    assert code == 2
    assert err.strip() == f"annotator: error: {folder / 'strike.ann'}: no strike.txt beside it" \
                          " (brat keeps the text there)"
    with Project.open(db) as project:
        assert project.store.article_ids() == []


def test_export_brat_writes_one_folder_per_layer_with_the_same_annotations(tmp_path: Path) -> None:
    db = imported(tmp_path)
    out = tmp_path / "out"
    code, stdout, err = run("export", db, "-o", out, "--format", "brat", "--source", "ali",
                            "--as", "admin")
    assert code == 0, err
    assert (out / "ali" / "strike.txt").read_bytes() == (BRAT / "strike.txt").read_bytes()
    written = (out / "ali" / "strike.ann").read_text(encoding="utf-8")
    assert written == "".join(line for line in ANN.splitlines(keepends=True) if line[0] != "#")
    assert (tmp_path / "out.card.md").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["news.db", "out", "out.card.json",
                                                          "out.card.md"]


def test_a_folder_reads_pairs_as_brat_and_lone_texts_as_articles(tmp_path: Path) -> None:
    from annotator.reading import ReadOptions, read_paths

    folder = tmp_path / "mixed"
    (folder / "news").mkdir(parents=True)
    shutil.copy(BRAT / "strike.txt", folder / "news" / "strike.txt")
    shutil.copy(BRAT / "strike.ann", folder / "news" / "strike.ann")
    (folder / "lone.txt").write_text("\n\nخبر بلا تعليقات\n", encoding="utf-8")
    notes: list[str] = []
    docs = {d.doc_id: d for d in read_paths([folder], ReadOptions(), notes.append)}
    assert sorted(docs) == ["lone", "news/strike"]
    assert len(docs["news/strike"].relations) == 4 and len(docs["lone"].spans) == 0
    assert docs["lone"].text == "خبر بلا تعليقات"  # read as plain text (blank lines stripped)
    # --format brat: a lone .txt is a brat document without annotations, text kept as is
    docs = {d.doc_id: d for d in read_paths([folder], ReadOptions(format="brat"), notes.append)}
    assert docs["lone"].text == "\n\nخبر بلا تعليقات\n"


def test_event_json_is_sniffed_on_import(tmp_path: Path) -> None:
    from annotator.reading import sniff_format

    line = '{"doc_id": "a", "text": "قصف", "entity_mentions": [], "event_mentions": []}'
    assert sniff_format(tmp_path / "x.jsonl", line) == "events"


def test_a_zip_of_brat_pairs_reads_like_the_folder(tmp_path: Path) -> None:
    import zipfile

    from annotator.reading import ReadOptions, read_paths

    archive = tmp_path / "brat.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.write(BRAT / "strike.txt", "news/strike.txt")
        zipped.write(BRAT / "strike.ann", "news/strike.ann")
    notes: list[str] = []
    (doc,) = read_paths([archive], ReadOptions(), notes.append)
    assert doc.doc_id == "news/strike"
    assert [(r.type, r.head.start, r.tail.start) for r in doc.relations][3] == ("located-in", 102, 36)
    assert f"{archive}: 1 file(s) read: 1 as brat standoff" in notes


def test_conll_and_hf_say_how_many_links_they_left_out(tmp_path: Path) -> None:
    import json

    db = imported(tmp_path)
    for args, card in (((tmp_path / "x.conll", "--format", "conll"), tmp_path / "x.card.json"),
                       ((tmp_path / "hf", "--flavor", "hf"), tmp_path / "hf" / "card.json")):
        code, _, err = run("export", db, "-o", *args, "--source", "ali", "--as", "admin")
        assert code == 0, err
        assert "left out: 2 events, 4 relations" in err
        assert json.loads(card.read_text(encoding="utf-8"))["links_left_out"] == {
            "events": 2, "relations": 4}


def _trigger_entities(flavor: str, written: str) -> list[tuple[int, int, str]]:
    """The entities a doccano / Label Studio / Prodigy export wrote, as (start, end, label)."""
    import json

    if flavor == "doccano":
        (record,) = map(json.loads, written.splitlines())
        return [(e["start_offset"], e["end_offset"], e["label"]) for e in record["entities"]]
    if flavor == "labelstudio":
        (task,) = json.loads(written)
        return [(r["value"]["start"], r["value"]["end"], r["value"]["labels"][0])
                for a in task["annotations"] for r in a["result"] if r["type"] == "labels"]
    (record,) = map(json.loads, written.splitlines())
    return [(s["start"], s["end"], s["label"]) for s in record["spans"]]


@pytest.mark.parametrize(("flavor", "name", "suffix"), [
    ("doccano", "doccano", ".jsonl"), ("labelstudio", "Label Studio", ".json"), ("prodigy", "Prodigy", ".jsonl")])
def test_an_event_without_a_filled_role_is_counted_where_roles_travel_as_relations(
        tmp_path: Path, flavor: str, name: str, suffix: str) -> None:
    """doccano, Label Studio and Prodigy carry roles as relations from the trigger: an event
    with none has nothing to travel as. The terminal and both cards say so, naming the format;
    its trigger is still written as an entity, and brat keeps the event."""
    import json

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("قصف حلب", encoding="utf-8")
    (folder / "a.ann").write_text("T1\tATTACK 0 3\tقصف\nE1\tattack:T1\n", encoding="utf-8")
    db = tmp_path / "news.db"
    run("init", db)
    assert run("import", db, folder, "--layer", "ali", "--as", "admin")[0] == 0
    out = tmp_path / f"x{suffix}"
    code, _, err = run("export", db, "-o", out, "--flavor", flavor, "--source", "ali", "--as", "admin")
    assert code == 0, err
    why = (f"{name} has no event frame: each filled role travels as a relation from the trigger, "
           "so an event with no filled role has nothing to travel as (its trigger is still "
           "written, as an entity)")
    assert f"left out: 1 events without a filled role: {why}" in err
    card = json.loads((tmp_path / "x.card.json").read_text(encoding="utf-8"))
    assert card["links_left_out"] == {"events without a filled role": 1}
    assert card["links_left_out_why"] == why
    assert (f"- relations and events: 1 events without a filled role left out: {why}"
            in (tmp_path / "x.card.md").read_text(encoding="utf-8").splitlines())
    assert _trigger_entities(flavor, out.read_text(encoding="utf-8")) == [(0, 3, "ATTACK")]
    code, _, err = run("export", db, "-o", tmp_path / "back", "--format", "brat", "--source",
                       "ali", "--as", "admin")
    assert "left out" not in err  # brat has events
    assert (tmp_path / "back" / "ali" / "a.ann").read_text(encoding="utf-8").endswith(
        "E1\tattack:T1\n")


def test_doccano_export_writes_one_shape_per_file(tmp_path: Path) -> None:
    import json

    folder = tmp_path / "in"
    shutil.copytree(BRAT, folder)
    (folder / "plain.txt").write_text("قصف حلب", encoding="utf-8")
    (folder / "plain.ann").write_text("T1\tLOCATION 4 7\tحلب\n", encoding="utf-8")
    db = tmp_path / "news.db"
    run("init", db)
    assert run("import", db, folder, "--layer", "ali", "--as", "admin")[0] == 0
    out = tmp_path / "x.jsonl"
    assert run("export", db, "-o", out, "--flavor", "doccano", "--source", "ali", "--as",
               "admin")[0] == 0
    lines = {r["doc_id"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    # the article without links is in the relation shape too: doccano reads one shape per file
    assert lines["plain"]["entities"] == [{"id": 1, "label": "LOCATION", "start_offset": 4,
                                           "end_offset": 7}]
    assert lines["plain"]["relations"] == [] and "label" not in lines["plain"]
    assert len(lines["strike"]["relations"]) == 11


def test_export_writes_brats_configuration_from_the_schema_and_reads_back(tmp_path: Path) -> None:
    # before: no annotation.conf, so brat showed every type as unknown; and the trigger was
    # written with our label (T1 ATTACK), which brat's parser refuses under E1 attack:T1
    db = imported(tmp_path)
    out = tmp_path / "out"
    assert run("export", db, "-o", out, "--format", "brat", "--source", "ali", "--as", "admin")[0] == 0
    conf = (out / "annotation.conf").read_text(encoding="utf-8").splitlines()
    assert conf[:2] == ["[entities]", "LOCATION"]
    assert "reported-by\tArg1:ATTACK|attack|EVENT|QUANTITY, Arg2:SOURCE|ORGANIZATION|PERSON" in conf
    assert "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>" in conf
    (events,) = [line for line in conf if line.startswith("attack\t")]
    assert events.startswith("attack\tattacker*:ORGANIZATION|PERSON|LOCATION, target*:")
    assert "time?:DATE" in events
    visual = (out / "visual.conf").read_text(encoding="utf-8").splitlines()
    assert "attack | هجوم | Attack" in visual and "LOCATION\tbgColor:#8ecae6" in visual
    assert (out / "ali" / "strike.ann").read_text(encoding="utf-8").startswith("T1\tattack 8 11\t")
    again = tmp_path / "again.db"
    assert run("init", again)[0] == 0
    code, _, err = run("import", again, out / "ali", "--layer", "ali", "--as", "admin")
    assert code == 0, err  # no --new-labels: 'attack' went back to the schema's ATTACK
    with Project.open(again) as project:
        (article_id,) = project.store.article_ids()
        labels = [s.label for s in project.store.spans(article_id, ["ali"])]
    assert labels.count("ATTACK") == 2 and "attack" not in labels
