"""Linking by keys in the real desk: a relation key, Tab through the candidates, Enter.

The candidates are the spans the schema allows, visited in reading order, the first offered
being the one nearest the source; what is stored is checked in the store, offsets included.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.helpers import press
from tests.ui.links_kit import at, span_of, stored_relations, stored_roles

OMAR = "strike-omar"


def open_article(window, doc_id: str) -> None:  # noqa: ANN001
    window.open_article(window.project.article_id_by_doc_id(doc_id))
    window.view.setFocus()


def key(qtbot, window, char: str) -> None:  # noqa: ANN001
    press(qtbot, window.view, Qt.Key(ord(char.upper())))


def test_relation_key_then_enter_links_the_only_candidate(qtbot, links_desk):
    open_article(links_desk, OMAR)
    view = links_desk.view
    view.select_span(span_of(links_desk, "قصفا"))
    key(qtbot, links_desk, "r")  # reported-by: ATTACK -> SOURCE
    assert view.linker.active and view.candidate.text == "سبوتنيك"
    assert [s.text for s in view.linker.candidates] == ["سبوتنيك"]
    assert stored_relations(links_desk) == []  # nothing stored before Enter
    press(qtbot, view, Qt.Key.Key_Return)
    assert stored_relations(links_desk) == [("reported-by", "قصفا", "سبوتنيك", *at(OMAR, "قصفا"), *at(OMAR, "سبوتنيك"))]
    assert not view.linker.active and view.candidate is None
    assert view.selected_span.text == "قصفا"  # the source stays selected: the next key links from it


def test_tab_visits_the_allowed_spans_in_reading_order_from_the_nearest(qtbot, links_desk):
    open_article(links_desk, OMAR)
    view = links_desk.view
    view.select_span(span_of(links_desk, "قصفا"))
    key(qtbot, links_desk, "a")  # the attack event on its trigger
    key(qtbot, links_desk, "t")  # its target role: LOCATION, ORGANIZATION or PERSON
    order = ["التحالف", "حقل العمر", "دير الزور", "قوات سوريا الديمقراطية"]  # text order
    assert [s.text for s in view.linker.candidates] == order
    seen = [view.candidate.text]  # «التحالف» is 4 characters before «قصفا», «حقل العمر» 12 after
    for _ in range(4):
        press(qtbot, view, Qt.Key.Key_Tab)
        seen.append(view.candidate.text)
    assert seen == ["التحالف", "حقل العمر", "دير الزور", "قوات سوريا الديمقراطية", "التحالف"]
    press(qtbot, view, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert view.candidate.text == "قوات سوريا الديمقراطية"
    press(qtbot, view, Qt.Key.Key_Escape)
    assert not view.linker.active and stored_roles(links_desk) == []
    key(qtbot, links_desk, "t")
    press(qtbot, view, Qt.Key.Key_Tab)
    press(qtbot, view, Qt.Key.Key_Enter)
    assert stored_roles(links_desk) == [("attack", "قصفا", "target", "حقل العمر")]


def test_a_key_the_source_cannot_start_is_a_label_key_or_nothing(qtbot, links_desk):
    open_article(links_desk, OMAR)
    view = links_desk.view
    view.select_span(span_of(links_desk, "سبوتنيك"))  # a SOURCE heads no relation
    key(qtbot, links_desk, "r")
    assert not view.linker.active and stored_relations(links_desk) == []
    view.select_span(span_of(links_desk, "حقل العمر"))
    key(qtbot, links_desk, "l")  # located-in: LOCATION -> LOCATION
    assert [s.text for s in view.linker.candidates] == ["دير الزور"]
    press(qtbot, view, Qt.Key.Key_Return)
    press(qtbot, view, Qt.Key.Key_L)  # made already: no candidate left, nothing stored twice
    assert not view.linker.active
    assert [r[:3] for r in stored_relations(links_desk)] == [("located-in", "حقل العمر", "دير الزور")]


def test_links_are_undone_and_redone_with_the_span_history(qtbot, links_desk):
    open_article(links_desk, OMAR)
    view = links_desk.view
    view.select_span(span_of(links_desk, "قصفا"))
    key(qtbot, links_desk, "r")
    press(qtbot, view, Qt.Key.Key_Return)
    assert len(stored_relations(links_desk)) == 1
    press(qtbot, view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored_relations(links_desk) == [] and view.arcs.own == []
    press(qtbot, view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert len(stored_relations(links_desk)) == 1 and len(view.arcs.own) == 1


def test_a_span_already_linked_from_the_source_is_offered_last(qtbot, links_desk):
    open_article(links_desk, OMAR)
    view = links_desk.view
    view.select_span(span_of(links_desk, "قصفا"))
    key(qtbot, links_desk, "a")
    key(qtbot, links_desk, "k")  # attacker: «التحالف», the nearest ORGANIZATION
    assert view.candidate.text == "التحالف"
    press(qtbot, view, Qt.Key.Key_Return)
    key(qtbot, links_desk, "t")  # target: «التحالف» is nearer, but it is the attacker already
    assert view.candidate.text == "حقل العمر"
    assert [s.text for s in view.linker.candidates][0] == "التحالف"  # still visited, in text order


def test_the_english_desk_names_the_links_in_english(qtbot, links_desk):
    open_article(links_desk, OMAR)
    view = links_desk.view
    view.select_span(span_of(links_desk, "قصفا"))
    key(qtbot, links_desk, "r")
    press(qtbot, view, Qt.Key.Key_Return)
    assert [a.text for a in view.arcs.arcs()] == ["بحسب"]
    links_desk.set_language("en")
    assert [a.text for a in view.arcs.arcs()] == ["reported by"]
    assert links_desk.desk_actions["show_relations"].text() == "Show &relations"


def test_ctrl_l_offers_every_kind_of_link_from_the_span_in_a_menu(qtbot, links_desk):
    open_article(links_desk, OMAR)
    view = links_desk.view
    view.select_span(span_of(links_desk, "قصفا"))
    press(qtbot, view, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    menu = view.linker.menu
    assert menu is not None and menu.isVisible()
    assert [a.text().split("\t")[0] for a in menu.actions()] == [
        "بحسب", "يقع في", "المهاجم", "الهدف", "المكان", "الأداة", "الزمان", "الضحايا", "المصدر"]
    menu.actions()[1].trigger()  # located-in: then as by its key
    menu.close()
    assert view.linker.active and view.candidate.text == "حقل العمر"
    press(qtbot, view, Qt.Key.Key_Return)
    assert [r[:3] for r in stored_relations(links_desk)] == [("located-in", "قصفا", "حقل العمر")]
