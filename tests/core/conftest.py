"""Core fixtures: a fresh project on disk, and a session in it with one article."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.formats.conll import read_conll
from annotator.importing import import_documents
from annotator.model import Document
from annotator.project import Project

# An emoji before the first word shifts UTF-16 positions; diacritics, tatweel, Latin and
# Arabic-Indic digits cover the other offset traps.
ARTICLE_TEXT = "😀 أفادت وكالة “سبوتنيك” بأن قصفاً صاروخيّاً استهدف حقل العمر\nفي سوريـا يوم ٢٠١٩ عبر GPS."


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "news.db"


@pytest.fixture
def project(db_path: Path):
    with Project.create(db_path) as proj:
        yield proj


@pytest.fixture
def article_id(project: Project) -> int:
    import_documents(project, [Document("a1", ARTICLE_TEXT, "قصف حقل العمر")])
    return project.store.article_id_by_doc_id("a1")


@pytest.fixture
def aqmar_db(tmp_path: Path, fixtures_dir: Path) -> Path:
    """Three AQMAR articles labelled (layer ``aqmar``) and one held out unlabelled: enough to
    train and apply suggestions in seconds (the CLI suggestion and progress tests)."""
    path = tmp_path / "news.db"
    docs = list(read_conll(fixtures_dir / "aqmar_suggest.conll"))
    with Project.create(path) as project:
        import_documents(project, docs[:3], as_annotator="aqmar", new_labels="add")
        import_documents(project, [Document("held", docs[3].text)])
    return path
