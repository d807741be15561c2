"""The desk's layout from 800x600 to a wide screen, measured on the real widgets.

Each test names what a screenshot showed wrong: the queue panel cut at the window's edge, the
span table with a horizontal scrollbar and a cut annotator column, label buttons and tabs cut
at 800x600, 21 labels widening the window to 1757 px, an article line as wide as the screen.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QWidget

from annotator.importing import import_documents
from annotator.model import Document
from annotator.project import Project
from tests.ui.conftest import TEXTS, USER
from ui.app import build_window
from ui.desk.window import text_column_width

KEYS = "123456789abcdefghijkl"


def many_labels_project(path: Path, count: int = 21) -> Path:
    """A project whose schema has ``count`` labels with long-ish Arabic names."""
    labels = [
        {"name": f"LABEL_{n}", "display_ar": f"وسم طويل {n}", "display_en": f"Long label {n}",
         "color": f"#{(n * 37) % 200 + 40:02x}{(n * 71) % 200 + 40:02x}{(n * 113) % 200 + 40:02x}",
         "key": KEYS[n]}
        for n in range(count)
    ]
    schema = path.parent / "many.json"
    schema.write_text(json.dumps({"name": "many", "language": "ar", "labels": labels}), "utf-8")
    project = Project.create(path, schema)
    import_documents(project, [Document(k, t, title=t[:40]) for k, t in TEXTS.items()])
    project.close()
    return path


def inside(widget: QWidget, window: QWidget) -> bool:
    """Is the whole of ``widget`` inside the window's client area (and not cut by its parent)?

    One pixel of slack inside the splitter: mirrored for Arabic, QSplitter places its last
    widget one pixel past its edge (1024 + 325 in a 1348 px splitter), which cuts nothing
    a person can see; the window's own edge gets no slack.
    """
    top_left = widget.mapTo(window, QPoint(0, 0))
    rect = QRect(top_left, widget.size())
    if not window.rect().contains(rect):
        return False
    parent = widget.parentWidget()
    while parent is not None and parent is not window:  # every ancestor shows all of it
        where = QRect(widget.mapTo(parent, QPoint(0, 0)), widget.size())
        if not parent.rect().adjusted(-1, 0, 1, 0).contains(where):
            return False
        parent = parent.parentWidget()
    return True


@pytest.fixture
def open_desk(qtbot):
    windows = []

    def open_at(path: Path, width: int, height: int):
        window = build_window(path, USER)
        qtbot.addWidget(window)
        window.resize(width, height)
        window.show()
        qtbot.waitExposed(window)
        window.ensure_panels()
        qtbot.wait(20)
        windows.append(window)
        return window

    yield open_at
    for window in windows:
        window.close()


def test_21_labels_wrap_instead_of_widening_the_window(open_desk, tmp_path) -> None:
    window = open_desk(many_labels_project(tmp_path / "many.db"), 800, 600)
    assert window.minimumSizeHint().width() <= 800  # was 1757 with a one-row palette
    assert window.width() == 800
    buttons = list(window.palette.buttons.values())
    assert len(buttons) == 21
    assert all(inside(b, window) for b in buttons), [b.text() for b in buttons if not inside(b, window)]
    rows = {b.mapTo(window, QPoint(0, 0)).y() for b in buttons}
    assert len(rows) >= 3  # it wrapped
    # Arabic interface: the first label is the rightmost of the first row.
    first = buttons[0].mapTo(window, QPoint(0, 0))
    assert first.y() == min(rows)
    assert first.x() == max(b.mapTo(window, QPoint(0, 0)).x() for b in buttons
                            if b.mapTo(window, QPoint(0, 0)).y() == first.y())


@pytest.mark.parametrize("size", [(800, 600), (1024, 700), (1360, 820), (1920, 1080)])
def test_every_control_is_inside_the_window(open_desk, project_path, size) -> None:
    window = open_desk(project_path, *size)
    queue = window.queue
    controls = [queue.search, queue.state_box, queue.label_box, queue.order_box, queue.count_label,
                *window.palette.buttons.values()]
    assert all(inside(c, window) for c in controls), [
        c.objectName() or c.text() for c in controls if not inside(c, window)]
    assert window.view.width() >= 300  # the article keeps a usable column (was 132 px at 800)
    tabs = window.tabs.tabBar()
    for n in range(tabs.count()):  # both tabs fully visible
        assert tabs.rect().contains(tabs.tabRect(n)), tabs.tabText(n)
    assert not tabs.isVisibleTo(window) or inside(window.tabs, window)


@pytest.mark.parametrize("size", [(800, 600), (1360, 820)])
def test_span_table_fits_its_panel_empty_and_full(open_desk, project_path, size) -> None:
    window = open_desk(project_path, *size)
    table = window.span_panel.table
    assert window.controller.spans == []
    assert not table.horizontalScrollBar().isVisible()  # empty: was a scrollbar
    text = window.controller.article.text
    for word in text.split()[:3]:  # a few spans, through the desk's own controller
        start = text.index(word)
        assert window.controller.add_span(start, start + len(word), "LOCATION") is not None
    assert table.model().rowCount() == 3
    header = table.horizontalHeader()
    last = header.logicalIndex(header.count() - 1)
    for column in range(header.count()):
        left = header.sectionViewportPosition(column)
        assert 0 <= left and left + header.sectionSize(column) <= table.viewport().width(), column
    assert header.sectionSize(last) >= header.sectionSizeHint(last)  # annotator not cut
    assert not table.horizontalScrollBar().isVisible()


def test_the_text_column_keeps_a_readable_width_on_a_wide_screen(open_desk, project_path) -> None:
    window = open_desk(project_path, 2560, 1200)
    assert window.view.width() <= text_column_width(window.view)
    centre = window.view.parentWidget()
    left = window.view.mapTo(centre, QPoint(0, 0)).x()
    right = centre.width() - left - window.view.width()
    assert abs(left - right) <= 2  # centred in its column


def test_shrinking_a_shown_window_shrinks_every_column(open_desk, project_path, qtbot) -> None:
    """Shown at 1360 px, then made 800 px wide (a person resizing it): under X11 the side
    panels kept 330 px each and the article was left 135 px."""
    window = open_desk(project_path, 1360, 820)
    before = window.splitter.sizes()
    window.resize(800, 600)
    qtbot.wait(20)
    after = window.splitter.sizes()
    assert window.view.width() >= 300
    for old, new in zip(before, after):  # every column keeps its share (within rounding)
        assert abs(new / sum(after) - old / sum(before)) < 0.03
