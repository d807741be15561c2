"""Linking by mouse, and the drawn arcs: pressed where a hand presses, inside the glyphs.

A drag from the selected span to another (press inside a glyph of one, release inside a glyph
of the other) links them; Alt+click does the same; a menu asks the kind when the schema allows
several. The arcs' ends must sit on the spans' own glyphs, also over a Latin run inside the
Arabic and across a line break; an arc can be hovered, clicked, deleted (undoable) and hidden.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt

from tests.ui.conftest import USER
from tests.ui.helpers import drag_points, glyph_box, glyph_point, press
from tests.ui.links_kit import make_links_project, span_of, stored_relations, stored_roles
from tests.ui.test_link_keys import open_article
from ui.app import build_window
from ui.desk.relation_arcs import layer_color

OMAR, CONOCO, AIRPORT = "strike-omar", "strike-conoco", "strike-airport"


@pytest.fixture
def links_desk(qtbot, tmp_path):
    path = make_links_project(tmp_path / "links.db", others={"ali": [CONOCO]})
    window = build_window(path, USER)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.close()


def middle(view, span) -> QPoint:  # noqa: ANN001
    """Inside the glyph of the span's middle character, as a hand presses."""
    return glyph_point(view, span.start + (span.end - span.start) // 2)


def click(qtbot, view, point: QPoint, modifier=Qt.KeyboardModifier.NoModifier) -> None:  # noqa: ANN001
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, modifier, pos=point)


def on_glyphs(view, span, point: QPointF) -> bool:  # noqa: ANN001
    """Is ``point`` inside the box of one of ``span``'s own glyphs (its line's height)?"""
    boxes = [glyph_box(view, cp) for cp in range(span.start, span.end) if not view.qt_text.stored[cp].isspace()]
    return any(b.adjusted(-0.5, -0.5, 0.5, 0.5).contains(point) for b in boxes)


def test_a_drag_from_the_selected_span_with_one_kind_allowed_links_at_once(qtbot, links_desk):
    open_article(links_desk, OMAR)
    view = links_desk.view
    trigger, time = span_of(links_desk, "قصفا"), span_of(links_desk, "صباح اليوم")
    click(qtbot, view, middle(view, trigger))
    assert view.selected_span == trigger
    drag_points(qtbot, view, middle(view, trigger), middle(view, time))  # DATE: only the time role
    assert stored_roles(links_desk) == [("attack", "قصفا", "time", "صباح اليوم")]
    assert view.selected_range() is None  # a link, not a text selection


def test_a_drag_with_several_kinds_allowed_asks_which(qtbot, links_desk):
    open_article(links_desk, OMAR)
    view = links_desk.view
    trigger, agency = span_of(links_desk, "قصفا"), span_of(links_desk, "سبوتنيك")
    click(qtbot, view, middle(view, trigger))
    drag_points(qtbot, view, middle(view, trigger), middle(view, agency))
    menu = view.linker.menu
    assert menu is not None and menu.isVisible()
    entries = [a.text() for a in menu.actions()]
    assert entries == ["بحسب\tr", "المصدر\ts"]  # reported-by, the source role (Arabic desk)
    assert stored_relations(links_desk) == []
    menu.actions()[0].trigger()
    assert [r[:3] for r in stored_relations(links_desk)] == [("reported-by", "قصفا", "سبوتنيك")]


def test_alt_click_links_the_selected_span_to_the_clicked_one(qtbot, links_desk):
    open_article(links_desk, CONOCO)
    view = links_desk.view
    person, army = span_of(links_desk, "واين ماروتو"), span_of(links_desk, "الجيش الأمريكي")
    click(qtbot, view, middle(view, person))
    click(qtbot, view, middle(view, army), Qt.KeyboardModifier.AltModifier)
    assert [r[:3] for r in stored_relations(links_desk)] == [("member-of", "واين ماروتو", "الجيش الأمريكي")]


def make_links(window) -> None:  # noqa: ANN001
    """On the airport report: the attack with a Latin weapon name (M-16) and its source."""
    session, aid = window.session, window.controller.article_id
    trigger = span_of(window, "غارة")
    event = session.add_event(aid, trigger.id, "attack")
    session.set_argument(aid, event.id, "instrument", span_of(window, "M-16").id)
    session.add_relation(aid, "reported-by", trigger.id, span_of(window, "قناة الجزيرة").id)
    window.links.reload()


def test_arc_ends_sit_on_the_spans_glyphs_in_rtl_text_with_a_latin_run(qtbot, links_desk):
    open_article(links_desk, AIRPORT)
    make_links(links_desk)
    view = links_desk.view
    arcs = {a.link.name: a for a in view.arcs.arcs()}
    assert set(arcs) == {"instrument", "reported-by"}
    for arc in arcs.values():
        assert on_glyphs(view, arc.link.head, arc.head), (arc.link.name, arc.head)
        assert on_glyphs(view, arc.link.tail, arc.tail), (arc.link.name, arc.tail)
    assert arcs["reported-by"].text == "بحسب" and arcs["instrument"].text == "الأداة"
    latin = span_of(links_desk, "M-16")
    assert glyph_box(view, latin.start).center().x() < glyph_box(view, latin.end - 1).center().x()  # drawn LTR


def test_an_arc_across_a_line_break_ends_on_both_lines(qtbot, links_desk):
    open_article(links_desk, CONOCO)
    session, aid = links_desk.session, links_desk.controller.article_id
    session.add_relation(aid, "member-of", span_of(links_desk, "واين ماروتو").id,
                         span_of(links_desk, "الجيش الأمريكي").id)
    links_desk.links.reload()
    view = links_desk.view
    [arc] = view.arcs.arcs()
    assert on_glyphs(view, arc.link.head, arc.head) and on_glyphs(view, arc.link.tail, arc.tail)
    assert arc.head.y() > arc.tail.y() + view.fontMetrics().height() / 2  # the person is on a later line
    assert view.viewport().rect().contains(arc.label.toRect())


def test_hover_select_delete_undo_and_hide(qtbot, links_desk):
    open_article(links_desk, AIRPORT)
    make_links(links_desk)
    view = links_desk.view
    arc = next(a for a in view.arcs.arcs() if a.link.name == "reported-by")
    point = arc.label.center().toPoint()
    tip = view.tooltip_at(point)
    assert "غارة" in tip and "قناة الجزيرة" in tip and "بحسب" in tip
    click(qtbot, view, point)
    assert view.arcs.selected is not None and view.arcs.selected.name == "reported-by"
    assert view.selected_span is None
    press(qtbot, view, Qt.Key.Key_Delete)
    assert stored_relations(links_desk) == []
    assert stored_roles(links_desk) == [("attack", "غارة", "instrument", "M-16")]  # the other link stays
    assert len(view.arcs.own) == 1
    press(qtbot, view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [r[:3] for r in stored_relations(links_desk)] == [("reported-by", "غارة", "قناة الجزيرة")]
    links_desk.desk_actions["show_relations"].trigger()  # View ▸ Show relations off
    assert view.arcs.arcs() == [] and view.arcs.arc_at(QPointF(point)) is None
    links_desk.desk_actions["show_relations"].trigger()
    assert len(view.arcs.arcs()) == 2


def test_the_shown_layer_draws_its_links_dashed_in_its_colour(qtbot, links_desk):
    open_article(links_desk, CONOCO)
    project = links_desk.project
    ali = project.session("ali")
    aid = links_desk.controller.article_id
    spans = {s.text: s for s in ali.spans(aid)}
    ali.add_relation(aid, "located-in", spans["قاعدة كونيكو"].id, spans["دير الزور"].id)
    links_desk.ensure_panels().layer_bar.show_layer("ali")
    view = links_desk.view
    [arc] = view.arcs.arcs()
    assert arc.link.layer == "ali" and arc.color == layer_color("ali")
    assert on_glyphs(view, arc.link.head, arc.head) and on_glyphs(view, arc.link.tail, arc.tail)
    click(qtbot, view, arc.label.center().toPoint())
    press(qtbot, view, Qt.Key.Key_Delete)  # read-only: nothing of ali's is removed
    assert [r.type for r in ali.relations(aid)] == ["located-in"]


def test_arcs_are_measured_once_per_layout_not_per_repaint(qtbot, links_desk, monkeypatch):
    open_article(links_desk, AIRPORT)
    make_links(links_desk)
    view, arcs = links_desk.view, links_desk.view.arcs
    first = arcs.arcs()
    measured: list[object] = []
    real = arcs.anchor
    monkeypatch.setattr(arcs, "anchor", lambda span: measured.append(span) or real(span))
    view.viewport().repaint()  # a cursor blink, a hover: nothing moved
    assert arcs.arcs() is first and measured == []
    links_desk.resize(links_desk.width() - 200, links_desk.height())  # the lines wrap anew
    qtbot.waitUntil(lambda: arcs.arcs() is not first)
    assert measured and all(on_glyphs(view, a.link.head, a.head) for a in arcs.arcs())
