"""Arcs that leave the text to the hand: labels off the glyphs, no jump, a hover that shows.

A trigger with seven arguments on the first line (the Omar strike report) puts nine labels
over a few words; each must lie where no text is, so a press on any span's glyph selects
that span and not an arc. The room over the first line is there before the first link (the
text must not jump under the pointer when it is made). Hovering an arc highlights it and
the two spans it joins, and leaving it takes the highlight away.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.ui.helpers import glyph_box, glyph_point, press
from tests.ui.links_kit import add_gold_links, span_of, stored_relations
from tests.ui.test_link_keys import OMAR, key, open_article


def visible_glyphs(view):  # noqa: ANN001, ANN201
    """Boxes of every non-space character of the text in view."""
    text = view.qt_text.stored
    boxes = (glyph_box(view, cp) for cp in range(len(text)) if not text[cp].isspace())
    return [b for b in boxes if b.width() > 0 and b.bottom() < view.viewport().height()]


def test_labels_of_a_crowded_first_line_cover_no_glyph_and_clicks_reach_the_spans(qtbot, links_desk):
    open_article(links_desk, OMAR)
    add_gold_links(links_desk.session, links_desk.controller.article_id, OMAR)
    links_desk.links.reload()
    view = links_desk.view
    arcs = view.arcs.arcs()
    assert len(arcs) == 9  # 2 relations, 7 roles of one trigger
    boxes = visible_glyphs(view)
    for arc in arcs:
        assert not getattr(arc, "over_text", False), arc.text  # (the old arcs had no such flag)
        assert not any(arc.label.intersects(b) for b in boxes), (arc.text, arc.label)
        assert view.viewport().rect().contains(arc.label.toRect())
        others = [a.label for a in arcs if a is not arc]
        assert not any(arc.label.intersects(o) for o in others), arc.text
    for span in view.spans:  # a press on each span's middle glyph selects that span
        view.select_span(None)
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=glyph_point(
            view, span.start + (span.end - span.start) // 2))
        assert view.arcs.selected is None, span.text
        assert view.selected_span is not None and view.selected_span.key == span.key, span.text


def test_an_elided_label_keeps_its_whole_name_in_the_tooltip(qtbot, links_desk):
    open_article(links_desk, OMAR)
    add_gold_links(links_desk.session, links_desk.controller.article_id, OMAR)
    links_desk.resize(520, links_desk.height())  # less room over the line: names are shortened
    links_desk.links.reload()
    view = links_desk.view
    qtbot.waitUntil(lambda: view.viewport().width() < 400)
    arcs = view.arcs.arcs()
    boxes = visible_glyphs(view)
    shortened = [a for a in arcs if a.text != a.name]
    assert shortened and all(("…" in a.text or "..." in a.text) and a.text[:2] == a.name[:2] for a in shortened)
    for arc in arcs:
        if not arc.over_text:
            assert not any(arc.label.intersects(b) for b in boxes), arc.text
    arc = shortened[0]
    assert arc.name in view.tooltip_at(arc.label.center().toPoint())


def test_the_first_link_does_not_move_the_text(qtbot, links_desk):
    open_article(links_desk, OMAR)
    view = links_desk.view
    before = [glyph_box(view, cp) for cp in range(0, len(view.qt_text.stored), 7)]
    view.select_span(span_of(links_desk, "حقل العمر"))
    key(qtbot, links_desk, "l")
    press(qtbot, view, Qt.Key.Key_Return)
    assert [r[:3] for r in stored_relations(links_desk)] == [("located-in", "حقل العمر", "دير الزور")]
    assert view.arcs.arcs()
    after = [glyph_box(view, cp) for cp in range(0, len(view.qt_text.stored), 7)]
    assert after == before


def test_hover_highlights_the_arc_and_its_two_spans(qtbot, links_desk):
    open_article(links_desk, OMAR)
    session, aid = links_desk.session, links_desk.controller.article_id
    session.add_relation(aid, "located-in", span_of(links_desk, "حقل العمر").id, span_of(links_desk, "دير الزور").id)
    links_desk.links.reload()
    view = links_desk.view
    [arc] = view.arcs.arcs()
    head, tail, other = (glyph_box(view, span_of(links_desk, t).start).toRect()
                         for t in ("حقل العمر", "دير الزور", "صاروخيا"))
    plain = view.viewport().grab().toImage()
    QTest.mouseMove(view.viewport(), arc.label.center().toPoint())
    qtbot.waitUntil(lambda: view.arcs.hovered is not None)
    assert view.arcs.hovered.ident == arc.link.ident
    view.viewport().repaint()
    lit = view.viewport().grab().toImage()
    ratio = view.viewport().devicePixelRatio()

    def same(rect) -> bool:  # noqa: ANN001
        r = rect.adjusted(1, 1, -1, -1)
        return lit.copy(*(int(v * ratio) for v in (r.x(), r.y(), r.width(), r.height()))) == plain.copy(
            *(int(v * ratio) for v in (r.x(), r.y(), r.width(), r.height())))

    assert not same(head) and not same(tail)  # both ends lit
    assert same(other)  # a span the arc does not join is left alone
    far = glyph_point(view, span_of(links_desk, "صاروخيا").start)
    QTest.mouseMove(view.viewport(), far)
    qtbot.waitUntil(lambda: view.arcs.hovered is None)
    view.viewport().repaint()
    lit = view.viewport().grab().toImage()
    assert same(head) and same(tail)  # the light goes with the pointer
