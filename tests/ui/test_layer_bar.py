"""Imported layers are visible (read-only) in the desk, and one click starts from them.

Seen: after importing a labelled corpus the desk showed 0 spans unless opened as the layer's
name. Now the layers a user may read are offered in the ``layerBar``; the chosen one is outlined
over the text; "take these as my starting point" copies it into her layer as one undo step.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from annotator.importing import import_documents
from annotator.model import Document, make_span
from annotator.project import Project
from tests.core.team_kit import label_a1, make_team_project
from tests.ui.conftest import MIXED, USER, make_project
from ui.app import build_window

CNN = (len("نقلت "), len("نقلت CNN"))
PLACE = (MIXED.index("دير الزور"), MIXED.index("دير الزور") + len("دير الزور"))


@pytest.fixture
def imported_path(tmp_path: Path) -> Path:
    path = make_project(tmp_path / "news.db", {"other": "خبر آخر عن بيروت"})
    with Project.open(path) as project:
        spans = (make_span(MIXED, *CNN, "SOURCE", "import"), make_span(MIXED, *PLACE, "LOCATION", "import"))
        import_documents(project, [Document("mixed", MIXED, title="mixed", spans=spans)])
    return path


def open_desk(qtbot, path: Path, user: str = USER, article: str | None = "mixed"):
    window = build_window(path, user, article=article)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.ensure_panels()
    qtbot.wait(10)  # a widget put in a shown layout is shown on the next event-loop turn
    return window


def stored(path: Path) -> list[tuple[int, int, str, str, str]]:
    with Project.open(path) as project:
        aid = project.store.article_id_by_doc_id("mixed")
        return sorted((s.start, s.end, s.label, s.annotator, s.provenance)
                      for s in project.store.spans(aid, [USER]))


def test_an_imported_layer_is_shown_read_only_and_can_be_the_starting_point(qtbot, imported_path) -> None:
    window = open_desk(qtbot, imported_path)
    bar = window.ensure_panels().layer_bar
    assert window.controller.spans == []  # her own layer is empty...
    assert bar.isVisibleTo(window) and bar.layers == ["import"]  # ...and the import is offered
    bar.show_layer("import")
    window.view.viewport().repaint()
    outlined = sorted({(m.span.start, m.span.end, m.span.label) for m in window.view.marks.marks()
                       if m.kind == "ref"})
    assert outlined == [(*CNN, "SOURCE"), (*PLACE, "LOCATION")]
    assert {m.text for m in window.view.marks.marks() if m.kind == "refchip"} == {"مصدر", "مكان"}
    assert stored(imported_path) == []  # showing writes nothing
    qtbot.mouseClick(bar.start, Qt.MouseButton.LeftButton)
    want = [(*CNN, "SOURCE", USER, "from import"), (*PLACE, "LOCATION", USER, "from import")]
    assert stored(imported_path) == want
    assert sorted(s.key for s in window.controller.spans) == [(*CNN, "SOURCE"), (*PLACE, "LOCATION")]
    assert window.controller.undo()  # ONE undo step takes both back
    assert stored(imported_path) == []
    assert window.controller.spans == []


def test_a_blind_annotator_is_offered_no_other_layer(qtbot, tmp_path) -> None:
    path = tmp_path / "team.db"
    with make_team_project(path) as project:
        label_a1(project)  # ali and mona both labelled a1
        assert project.session("ali").reference_layers() == []
        assert project.session("huda").reference_layers() == ["ali", "mona"]
    window = open_desk(qtbot, path, "ali", article="a1")
    bar = window.ensure_panels().layer_bar
    assert not bar.isVisibleTo(window) and bar.layers == []


def test_the_queue_says_whose_spans_it_counts(qtbot, imported_path) -> None:
    window = open_desk(qtbot, imported_path)
    model = window.queue.model
    assert model.headerData(2, Qt.Orientation.Horizontal) == "وسومي"
    window.set_language("en")
    assert model.headerData(2, Qt.Orientation.Horizontal) == "My spans"
