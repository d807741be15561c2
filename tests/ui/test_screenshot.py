"""A real X server (Xvfb) renders the desk; the picture must show Arabic text and span colours.

The PNG is kept as ``artifacts/desk.png`` for a person to look at (``docs/screenshots/desk.png``
is a committed copy for the README).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

from annotator.demo import ensure_demo_project
from annotator.importing import import_documents
from annotator.model import Document, make_span
from annotator.project import Project
from tests.ui.conftest import USER
from ui.fonts import DOCUMENT_FAMILIES

REPO = Path(__file__).resolve().parents[2]
ARTIFACT = REPO / "artifacts" / "desk.png"


def labelled_demo(path: Path) -> Path:
    """The shipped demo articles with a few spans on the first one, labelled through the core:
    a span nested in another (a place inside an organisation's name) and one pending
    suggestion (a gazetteer's), as the README's picture shows them."""
    ensure_demo_project(path)
    with Project.open(path) as project:
        session = project.session(USER)
        article = session.article(session.queue(limit=1)[0].article_id)
        for word, label in (("تونس", "LOCATION"), ("2016", "DATE"), ("623 سائح", "QUANTITY"),
                            ("وزارة السياحة التونسية", "ORGANIZATION"), ("التونسية", "LOCATION"),
                            ("قناة سي إن إن", "SOURCE")):
            start = article.text.find(word, article.text.find("وزارة") if word == "التونسية" else 0)
            if start >= 0:
                session.add_span(article.id, start, start + len(word), label)
        start = article.text.find("تركيا")
        suggestion = make_span(article.text, start, start + len("تركيا"), "LOCATION", "suggest:gazetteer")
        import_documents(project, [Document(article.doc_id, article.text, title=article.title,
                                            spans=(suggestion,))])
        session.save_position(article.id, 0)
    return path


def ink(image: QImage, background: QColor) -> float:
    """Share of pixels (sampled every 2nd pixel) that differ clearly from ``background``."""
    differ = total = 0
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            c = image.pixelColor(x, y)
            total += 1
            if abs(c.red() - background.red()) + abs(c.green() - background.green()) + abs(
                c.blue() - background.blue()
            ) > 60:
                differ += 1
    return differ / max(total, 1)


def colour_present(image: QImage, hex_colour: str) -> bool:
    want = QColor(hex_colour)
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            c = image.pixelColor(x, y)
            if abs(c.red() - want.red()) + abs(c.green() - want.green()) + abs(c.blue() - want.blue()) < 12:
                return True
    return False


@pytest.mark.xvfb
def test_desk_renders_arabic_under_xvfb(tmp_path):
    if shutil.which("xvfb-run") is None:
        pytest.skip("xvfb-run is not installed (Debian: xvfb xauth)")
    project = labelled_demo(tmp_path / "demo.db")
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY")}
    env["PYTHONPATH"] = str(REPO)
    done = subprocess.run(
        ["xvfb-run", "-a", "-s", "-screen 0 1400x900x24", sys.executable,
         str(REPO / "tests" / "ui" / "xvfb_child.py"), str(project), str(tmp_path), USER],
        capture_output=True, text=True, timeout=120, env=env, cwd=REPO,
    )
    assert done.returncode == 0, done.stderr
    info = json.loads(done.stdout.strip().splitlines()[-1])
    assert info["platform"] == "xcb"
    assert info["font"] in DOCUMENT_FAMILIES  # not DejaVu: Arabic glyphs from an Arabic font
    desk = QImage(str(tmp_path / "desk.png"))
    assert (desk.width(), desk.height()) == tuple(info["window"])
    document, empty = QImage(str(tmp_path / "document.png")), QImage(str(tmp_path / "empty.png"))
    white = QColor("white")
    assert ink(empty, white) < 0.01  # the empty view is blank...
    assert ink(document, white) > 0.04  # ...the article view is full of text
    assert colour_present(document, "#8ecae6")  # a LOCATION span is painted in its colour
    assert info["marks"] == ["box", "chip", "suggestchip"]  # chips; the suggestion's dashed box
    assert info["small"] == [800, 600] and info["palette_inside_small"]
    small = QImage(str(tmp_path / "desk-800x600.png"))
    assert (small.width(), small.height()) == (800, 600)
    ARTIFACT.parent.mkdir(exist_ok=True)
    shutil.copyfile(tmp_path / "desk.png", ARTIFACT)
    shutil.copyfile(tmp_path / "desk-800x600.png", ARTIFACT.with_name("desk-800x600.png"))
