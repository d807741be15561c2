"""Labels added by an import get their own colour and, in the desk, an Arabic name."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from annotator.project import Project
from tests.ui.conftest import USER, make_project
from ui.app import build_window


def test_the_desk_asks_for_the_arabic_name_of_an_imported_label(qtbot, tmp_path: Path) -> None:
    path = make_project(tmp_path / "news.db")
    with Project.open(path) as project:
        project.add_labels(["MIS-2"])  # what 'import --new-labels add' does with a new tag
        colours = [label.color for label in project.schema.labels]
    assert len(set(colours)) == len(colours)  # MIS-2's colour is nobody else's
    window = build_window(path, USER)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: getattr(window, "label_names", None) is not None)
    bar = window.label_names
    qtbot.waitUntil(bar.isVisible)
    assert "MIS-2" in bar.text.text()
    qtbot.mouseClick(bar.button, Qt.MouseButton.LeftButton)
    dialog = bar.dialog
    assert dialog is not None and dialog.isVisible() and list(dialog.edits) == ["MIS-2"]
    assert window.palette.buttons["MIS-2"].text().endswith("MIS-2")  # the tag, until named
    dialog.edits["MIS-2"].setText("متفرقات")
    assert dialog.save()
    assert window.palette.buttons["MIS-2"].text().endswith("متفرقات")
    assert not bar.isVisible()
    assert window.view.schema.label("MIS-2").display_ar == "متفرقات"  # chips use it
    with Project.open(path) as project:
        assert project.schema.label("MIS-2").display_ar == "متفرقات"
        assert project.schema.label("MIS-2").color == colours[-1]
    window.close()


def test_no_question_when_every_label_has_an_arabic_name(qtbot, tmp_path: Path) -> None:
    window = build_window(make_project(tmp_path / "news.db"), USER)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window._panels is not None)
    qtbot.wait(20)
    assert getattr(window, "label_names", None) is None
    window.close()
