"""Qt tests run offscreen; fixtures give a real project file and the real desk window on it."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from annotator.importing import import_documents  # noqa: E402
from annotator.model import Document  # noqa: E402
from annotator.project import Project  # noqa: E402

USER = "mona"

# Texts chosen for the offset traps: an emoji before a name, diacritics inside one, a name
# across a line break, and Arabic mixed with Latin and digits.
EMOJI = "😀 قال مراسل “سبوتنيك” إن القصف استهدف حقل العمر."
DIACRITICS = "وَصَلَ وَزِيرُ الدِّفَاعِ إلى دِمَشْقَ صَبَاحَ اليَوْمِ."
LINE_BREAK = "أعلن الجيش الأمريكي\nأن قاعدة كونيكو تعرضت لقصف."
MIXED = "نقلت CNN عن مصدر أن 65 صاروخا من طراز M-16 أطلقت في 2017 على دير الزور."

TEXTS = {"emoji": EMOJI, "diacritics": DIACRITICS, "linebreak": LINE_BREAK, "mixed": MIXED}


def make_project(path: Path, texts: dict[str, str] = TEXTS) -> Path:
    """A project file holding ``texts`` (doc id -> text), imported through the core."""
    project = Project.create(path)
    docs = [Document(doc_id, text, title=text.split("\n")[0][:40]) for doc_id, text in texts.items()]
    import_documents(project, docs)
    project.close()
    return path


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    return make_project(tmp_path / "news.db")


@pytest.fixture
def desk(qtbot, project_path: Path):
    """The real desk window for user ``mona``, shown offscreen, first article open."""
    from ui.app import build_window

    window = build_window(project_path, USER)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.close()


@pytest.fixture
def store_session(project_path: Path):
    """An independent session on the same file: what the store really holds."""
    project = Project.open(project_path)
    yield project.session(USER)
    project.close()


@pytest.fixture
def links_desk(qtbot, tmp_path: Path):
    """The real desk on the strike reports with their gold spans (``tests/ui/links_kit.py``)."""
    from tests.ui.links_kit import make_links_project
    from ui.app import build_window

    window = build_window(make_links_project(tmp_path / "links.db"), USER)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.close()
