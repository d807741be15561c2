"""``annotator export`` as a user runs it: what it prints, what it refuses, what reads back."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.importing import import_documents
from annotator.model import Document
from annotator.project import Project

TEXT = "قصف صاروخي على حقل العمر في دير الزور."
FIELD = (len("قصف صاروخي على "), len("قصف صاروخي على حقل العمر"))
OMAR = (len("قصف صاروخي على حقل "), len("قصف صاروخي على حقل العمر"))


def annotator(*args: object, block_spacy: bool = False) -> subprocess.CompletedProcess[str]:
    """The CLI in a child process; ``block_spacy`` makes ``import spacy`` fail there."""
    code = ("import sys\n" + ("sys.modules['spacy'] = None\n" if block_spacy else "")
            + "from annotator.cli import main\nsys.argv = ['annotator', *sys.argv[1:]]\nmain()\n")
    return subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True,
                          text=True, timeout=120)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """One article: ali (done) labelled حقل العمر, mona (done) the nested العمر."""
    path = tmp_path / "news.db"
    with Project.create(path) as project:
        import_documents(project, [Document("a1", TEXT, "خبر")])
        for user, span in (("ali", FIELD), ("mona", OMAR)):
            session = project.session(user)
            session.add_span(1, *span, "LOCATION")
            session.set_state(1, "done")
    return path


def test_a_dropped_span_is_shown_as_article_offsets_label_and_text(db, tmp_path):
    done = annotator("export", db, "-o", tmp_path / "x.conll", "--format", "conll")
    assert done.returncode == 0, done.stderr
    shown = f"dropped: a1:{OMAR[0]}-{OMAR[1]} LOCATION «العمر» (overlaps a longer span)"
    assert shown in done.stderr.splitlines()
    assert "DroppedSpan" not in done.stderr


def test_format_spacy_without_spacy_names_the_extra(db, tmp_path):
    done = annotator("export", db, "-o", tmp_path / "x.spacy", "--format", "spacy",
                     block_spacy=True)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "annotator: error: spaCy is not installed (needed for export --format spacy, import of"
        " .spacy files): pip install 'annotator[spacy]'"]
    assert not (tmp_path / "x.spacy").exists()


def test_a_docbin_export_imports_back(db, tmp_path):
    pytest.importorskip("spacy")
    out = tmp_path / "news.spacy"
    assert annotator("export", db, "-o", out, "--format", "spacy").returncode == 0
    again = tmp_path / "again.db"
    assert annotator("init", again).returncode == 0
    done = annotator("import", again, out)
    assert done.returncode == 0, done.stderr
    with Project.open(again) as project:
        article_id = project.store.article_id_by_doc_id("a1")
        assert project.store.article(article_id).text == TEXT
        spans = project.store.spans(article_id)
    # doc.spans["sc"] keeps both, the nested one too (doc.ents could hold only one).
    assert [(s.start, s.end, s.label) for s in spans] == [(*FIELD, "LOCATION"), (*OMAR, "LOCATION")]


def test_label_studio_tasks_go_to_a_json_array(db, tmp_path):
    done = annotator("export", db, "-o", tmp_path / "t.jsonl", "--flavor", "labelstudio")
    assert done.returncode == 2 and "name the output t.json" in done.stderr
    assert annotator("export", db, "-o", tmp_path / "t.json", "--flavor", "labelstudio"
                     ).returncode == 0
    tasks = json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))
    assert [t["data"]["doc_id"] for t in tasks] == ["a1"]


def test_hf_split_writes_a_folder_and_an_empty_split_is_an_error(tmp_path):
    path = tmp_path / "many.db"
    with Project.create(path) as project:
        import_documents(project, [Document(f"d{i}", f"{TEXT} {i}") for i in range(3)])
    done = annotator("export", path, "-o", tmp_path / "hf", "--flavor", "hf", "--split", "80/10/10",
                     "--include-unfinished")
    assert done.returncode == 2
    assert "80/10/10: 3 articles leave the validation split empty" in done.stderr
    assert not (tmp_path / "hf").exists()
    done = annotator("export", path, "-o", tmp_path / "hf", "--flavor", "hf", "--split", "34/33/33",
                     "--include-unfinished")
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (tmp_path / "hf").iterdir()) == [
        "README.md", "card.json", "label_list.json", "test.jsonl", "train.jsonl",
        "validation.jsonl"]
    readme = (tmp_path / "hf" / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("---\nlanguage: [ar]\n") and "  - split: validation\n" in readme


def test_an_hf_export_folder_imports_back_whole(tmp_path):
    """The folder an HF export writes reads back as its articles: its label file and card are
    not articles (they were read as one and refused: 'card.json:1: expected article objects')."""
    path = tmp_path / "many.db"
    with Project.create(path) as project:
        import_documents(project, [Document(f"d{i}", f"{TEXT} {i}") for i in range(3)])
    done = annotator("export", path, "-o", tmp_path / "hf", "--flavor", "hf", "--split", "34/33/33",
                     "--include-unfinished")
    assert done.returncode == 0, done.stderr
    back = annotator("init", tmp_path / "back.db")
    back = annotator("import", tmp_path / "back.db", tmp_path / "hf")
    assert back.returncode == 0, back.stderr
    assert "3 articles added" in back.stdout + back.stderr
    for name in ("README.md", "card.json", "label_list.json"):
        assert f"{name}: skipped" in back.stdout + back.stderr
