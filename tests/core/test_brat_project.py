"""brat through a project, as a user runs it: ``import`` of a brat folder, ``export --format brat``."""

from __future__ import annotations

import shutil
from pathlib import Path

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


def test_export_brat_writes_one_folder_per_layer_with_the_same_entities(tmp_path: Path) -> None:
    db = imported(tmp_path)
    out = tmp_path / "out"
    code, stdout, err = run("export", db, "-o", out, "--format", "brat", "--source", "ali",
                            "--as", "admin")
    assert code == 0, err
    assert (out / "ali" / "strike.txt").read_bytes() == (BRAT / "strike.txt").read_bytes()
    written = (out / "ali" / "strike.ann").read_text(encoding="utf-8")
    entities = "".join(line for line in ANN.splitlines(keepends=True) if line[0] == "T")
    assert written.startswith(entities)
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
