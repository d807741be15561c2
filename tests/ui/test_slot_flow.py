"""Filling a frame by keyboard: one role key on a bare trigger, then Enter slot after slot.

A role key on a trigger span with no event yet makes the event (of the type whose trigger
label the span has) and fills that role; after each filled role, link mode goes on to the
frame's next empty slot (required first, then the rest in schema order), its nearest allowed
unfilled span boxed and the slot marked in the event panel, so Enter (or Tab, Enter) goes on.
Any other key leaves, as in every link mode.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.helpers import press
from tests.ui.links_kit import span_of, stored_roles
from tests.ui.test_link_keys import OMAR, key, open_article


def test_enter_after_enter_fills_the_frame_slot_after_slot(qtbot, links_desk):
    open_article(links_desk, OMAR)
    panel, view = links_desk.ensure_panels().event_panel, links_desk.view
    linker = view.linker
    view.select_span(span_of(links_desk, "قصفا"))
    key(qtbot, links_desk, "w")  # instrument, on a trigger with no event yet
    assert view.candidate.text == "صاروخيا"
    press(qtbot, view, Qt.Key.Key_Return)
    assert stored_roles(links_desk) == [("attack", "قصفا", "instrument", "صاروخيا")]
    # The required slot first: place, its nearest LOCATION boxed and its row marked.
    assert linker.active and linker.choice.name == "place" and view.candidate.text == "حقل العمر"
    assert panel.active == "place"
    marked = [r.role for n, r in enumerate(panel.rows) if panel.table.item(n, 1).font().bold()]
    assert marked == ["place"]
    expected = [("place", "حقل العمر"), ("time", "صباح اليوم"), ("casualties", "ثلاثة عناصر"),
                ("source", "سبوتنيك")]
    for role, words in expected:  # then on from place in schema order: Enter alone each time
        assert (linker.choice.name, view.candidate.text) == (role, words)
        press(qtbot, view, Qt.Key.Key_Return)
    assert stored_roles(links_desk) == sorted(
        [("attack", "قصفا", "instrument", "صاروخيا")] + [("attack", "قصفا", r, w) for r, w in expected])
    # attacker: two organisations allowed, the nearest offered first, Tab to the other.
    assert linker.choice.name == "attacker" and view.candidate.text == "التحالف"
    press(qtbot, view, Qt.Key.Key_Tab)
    assert view.candidate.text == "قوات سوريا الديمقراطية"
    press(qtbot, view, Qt.Key.Key_Escape)  # leaves link mode, nothing stored
    assert not linker.active and panel.active == "" and len(stored_roles(links_desk)) == 5
    assert len(links_desk.session.events(links_desk.controller.article_id)) == 1


def test_a_role_key_during_the_flow_goes_to_that_slot_instead(qtbot, links_desk):
    open_article(links_desk, OMAR)
    view = links_desk.view
    view.select_span(span_of(links_desk, "قصفا"))
    key(qtbot, links_desk, "p")
    press(qtbot, view, Qt.Key.Key_Return)
    assert view.linker.choice.name == "instrument"  # next after place
    key(qtbot, links_desk, "s")  # the hand wants the source now
    assert view.linker.choice.name == "source" and view.candidate.text == "سبوتنيك"
    press(qtbot, view, Qt.Key.Key_Return)
    assert stored_roles(links_desk) == [("attack", "قصفا", "place", "حقل العمر"),
                                        ("attack", "قصفا", "source", "سبوتنيك")]
