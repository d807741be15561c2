"""The event frame panel: one key makes the event, one key plus a span fills a role.

And what a linked span's deletion or relabelling breaks is shown before it is done, and
undone with it.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.ui.conftest import USER
from tests.ui.helpers import press
from tests.ui.links_kit import make_links_project, span_of, stored_relations, stored_roles
from tests.ui.test_link_keys import key, open_article
from ui.app import build_window

OMAR = "strike-omar"
UNDO = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def links_desk(qtbot, tmp_path):
    window = build_window(make_links_project(tmp_path / "links.db"), USER)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.ensure_panels()
    yield window
    window.close()


def rows(panel) -> list[tuple[str, str | None, bool]]:  # noqa: ANN001
    return [(r.role, r.filler.text if r.filler else None, r.required) for r in panel.rows]


def cells(panel, row: int) -> list[str]:  # noqa: ANN001
    return [panel.table.item(row, c).text() for c in range(3)]


def test_an_event_key_makes_the_event_and_the_panel_shows_every_slot(qtbot, links_desk):
    open_article(links_desk, OMAR)
    panel, view = links_desk.ensure_panels().event_panel, links_desk.view
    view.select_span(span_of(links_desk, "قصفا"))
    assert "A" in panel.title.text() and panel.rows == []  # how to make one
    key(qtbot, links_desk, "a")
    assert [e.type for e in links_desk.session.events(links_desk.controller.article_id)] == ["attack"]
    assert rows(panel) == [("attacker", None, False), ("target", None, False), ("place", None, True),
                           ("instrument", None, False), ("time", None, False),
                           ("casualties", None, False), ("source", None, False)]
    assert cells(panel, 2) == ["P", "المكان *", "— فارغ —"]  # required, empty, in Arabic


def test_one_key_plus_a_span_fills_a_role_and_the_button_removes_it(qtbot, links_desk):
    open_article(links_desk, OMAR)
    panel, view = links_desk.ensure_panels().event_panel, links_desk.view
    view.select_span(span_of(links_desk, "قصفا"))
    key(qtbot, links_desk, "a")
    key(qtbot, links_desk, "p")  # place: the nearest LOCATION is «حقل العمر»
    assert view.candidate.text == "حقل العمر"
    press(qtbot, view, Qt.Key.Key_Return)
    key(qtbot, links_desk, "d")  # time: the only DATE
    press(qtbot, view, Qt.Key.Key_Return)
    key(qtbot, links_desk, "w")  # instrument
    press(qtbot, view, Qt.Key.Key_Return)
    assert stored_roles(links_desk) == [("attack", "قصفا", "instrument", "صاروخيا"),
                                        ("attack", "قصفا", "place", "حقل العمر"),
                                        ("attack", "قصفا", "time", "صباح اليوم")]
    assert ("place", "حقل العمر", True) in rows(panel) and ("time", "صباح اليوم", False) in rows(panel)
    row = [r.role for r in panel.rows].index("place")
    qtbot.mouseClick(panel.table.cellWidget(row, 3), Qt.MouseButton.LeftButton)
    assert ("attack", "قصفا", "place", "حقل العمر") not in stored_roles(links_desk)
    assert ("place", None, True) in rows(panel)
    press(qtbot, view, Qt.Key.Key_Z, UNDO)
    assert ("attack", "قصفا", "place", "حقل العمر") in stored_roles(links_desk)
    assert ("place", "حقل العمر", True) in rows(panel)


def test_deleting_a_linked_span_says_what_it_breaks_and_undo_restores_all(qtbot, links_desk):
    open_article(links_desk, OMAR)
    view = links_desk.view
    view.select_span(span_of(links_desk, "قصفا"))
    key(qtbot, links_desk, "r")
    press(qtbot, view, Qt.Key.Key_Return)
    asked: list[str] = []
    links_desk.labeller.confirm = lambda title, question: asked.append(question) is not None
    view.select_span(span_of(links_desk, "سبوتنيك"))
    press(qtbot, view, Qt.Key.Key_Delete)  # refused: nothing changes
    assert len(asked) == 1 and "بحسب" in asked[0] and "قصفا" in asked[0]
    assert len(stored_relations(links_desk)) == 1 and span_of(links_desk, "سبوتنيك")
    links_desk.labeller.confirm = lambda title, question: asked.append(question) or True
    press(qtbot, view, Qt.Key.Key_Delete)
    assert stored_relations(links_desk) == []
    assert all(s.text != "سبوتنيك" for s in links_desk.session.spans(links_desk.controller.article_id))
    assert view.arcs.own == []
    press(qtbot, view, Qt.Key.Key_Z, UNDO)  # ONE step brings the span and its link back
    assert [r[:3] for r in stored_relations(links_desk)] == [("reported-by", "قصفا", "سبوتنيك")]


def test_relabelling_a_filler_to_a_label_its_role_refuses_asks_first(qtbot, links_desk):
    open_article(links_desk, OMAR)
    view = links_desk.view
    view.select_span(span_of(links_desk, "قصفا"))
    key(qtbot, links_desk, "a")
    key(qtbot, links_desk, "d")
    press(qtbot, view, Qt.Key.Key_Return)
    asked: list[str] = []
    links_desk.labeller.confirm = lambda title, question: asked.append(question) or True
    view.select_span(span_of(links_desk, "صباح اليوم"))
    press(qtbot, view, Qt.Key.Key_1)  # DATE -> LOCATION: the time role no longer allows it
    assert len(asked) == 1 and "الزمان" in asked[0]
    assert stored_roles(links_desk) == []
    assert span_of(links_desk, "صباح اليوم").label == "LOCATION"
    press(qtbot, view, Qt.Key.Key_Z, UNDO)
    assert stored_roles(links_desk) == [("attack", "قصفا", "time", "صباح اليوم")]
    asked.clear()
    view.select_span(span_of(links_desk, "حقل العمر"))
    press(qtbot, view, Qt.Key.Key_2)  # an unlinked span: relabelled without a question
    assert asked == [] and span_of(links_desk, "حقل العمر").label == "WEAPON"


def test_a_role_filled_behind_another_writer_waits_with_its_new_event(qtbot, tmp_path, monkeypatch):
    """A role key on a trigger with no event yet, while another program holds the write lock:
    the event and its argument wait together (one queued write) and are both stored when the
    lock frees; before, the event was queued and the argument silently dropped."""
    from annotator.store import connection
    from tests.ui.test_busy_project import other_program_writing, release

    monkeypatch.setattr(connection, "BUSY_TIMEOUT_S", 3.0)
    path = make_links_project(tmp_path / "busy.db")
    window = build_window(path, USER)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    open_article(window, OMAR)
    view = window.view
    view.select_span(span_of(window, "قصفا"))
    with other_program_writing(path) as holder:
        key(qtbot, window, "d")  # time, on a trigger that has no event yet
        press(qtbot, view, Qt.Key.Key_Return)
        assert len(window.controller.writes.pending) == 1
        release(holder)
        qtbot.waitUntil(lambda: window.controller.writes.pending == [], timeout=5000)
    assert stored_roles(window) == [("attack", "قصفا", "time", "صباح اليوم")]
    press(qtbot, view, Qt.Key.Key_Z, UNDO)  # the argument, then the event: two steps
    assert stored_roles(window) == [] and len(window.session.events(window.controller.article_id)) == 1
    press(qtbot, view, Qt.Key.Key_Z, UNDO)
    assert window.session.events(window.controller.article_id) == []
    window.close()
