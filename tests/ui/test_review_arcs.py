"""The review desk draws the current link slot's versions on the article, one colour per lane.

The slot «سقطت» place: ali says «حلب», mona «حي في حلب»; both arcs leave the trigger's glyphs
and end on each version's own span, dashed in each annotator's colour; a span region made
current again takes them away.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.core.test_link_adjudication import PLACE, QUARTER
from tests.ui.test_adjudication_links import linked_project, press
from tests.ui.test_link_mouse import on_glyphs
from ui.desk.relation_arcs import layer_color


@pytest.fixture
def review(qtbot, tmp_path):
    from ui.review.window import build_adjudication_window

    window = build_adjudication_window(linked_project(tmp_path / "news.db"), "huda", language="en", article="a5")
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
    yield window
    window.close()


def test_the_current_slot_s_lanes_are_drawn_as_arcs_on_the_text(review, qtbot) -> None:
    c, view = review.controller, review.view
    assert c.current.bounds == QUARTER
    assert not view.has_arcs or view.arcs.arcs() == []  # a span region: no arcs
    press(qtbot, review, Qt.Key.Key_1)
    press(qtbot, review, Qt.Key.Key_N)
    assert c.current_link.key == PLACE
    arcs = view.arcs.arcs()
    got = sorted((a.link.layer, a.link.name, a.link.head.text, a.link.tail.text) for a in arcs)
    assert got == [("ali", "place", "سقطت", "حلب"), ("mona", "place", "سقطت", "حي في حلب")]
    for arc in arcs:
        assert arc.color == layer_color(arc.link.layer)
        assert on_glyphs(view, arc.link.head, arc.head) and on_glyphs(view, arc.link.tail, arc.tail)
    mona = next(a for a in arcs if a.link.layer == "mona")
    assert "mona" in view.tooltip_at(mona.label.center().toPoint())
    c.select_link(None)
    assert view.arcs.arcs() == []
