"""Reaching an event frame by keyboard: ``]`` / ``[``, and a trigger just labelled.

``]`` selects the next trigger in reading order whose frame has an empty slot some span may
fill and offers that slot (its nearest candidate boxed, the slot marked in the event panel), so
Enter fills it and the desk goes on slot to slot; ``[`` goes back. Labelling a span with a
trigger label offers its first empty slot the same way. What is stored is checked in the store.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from annotator.importing import import_documents
from annotator.model import Document, Event, EventArgument, make_span
from annotator.project import Project
from annotator.schema import load_schema_file, schema_from_data
from tests.ui.conftest import USER
from tests.ui.helpers import drag_select, press
from tests.ui.links_kit import (
    SCHEMA,
    add_gold_links,
    gold_document,
    make_links_project,
    span_of,
    stored_roles,
)
from tests.ui.test_link_keys import key, open_article
from ui.app import build_window
from ui.desk import link_targets as targets

# Two strikes in one article: «قصف» (its place «حلب» nearest) and «غارة» (its place «إدلب»).
TWO = "قصف الطيران حي الشعار في حلب، ثم شنت الطائرات غارة على إدلب."
TWO_SPANS = (("قصف", "ATTACK"), ("حلب", "LOCATION"), ("غارة", "ATTACK"), ("إدلب", "LOCATION"))


def _desk(qtbot, path: Path):  # noqa: ANN001, ANN202
    window = build_window(path, USER)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def two_strikes(qtbot, tmp_path):
    spans = tuple(make_span(TWO, TWO.index(w), TWO.index(w) + len(w), label) for w, label in TWO_SPANS)
    project = Project.create(tmp_path / "two.db", SCHEMA)
    import_documents(project, [Document("two", TWO, title="two", spans=spans)], as_annotator=USER)
    project.close()
    window = _desk(qtbot, tmp_path / "two.db")
    open_article(window, "two")
    yield window
    window.close()


def _bracket(qtbot, window, forward: bool = True) -> None:  # noqa: ANN001
    press(qtbot, window.view, Qt.Key.Key_BracketRight if forward else Qt.Key.Key_BracketLeft)


def _offered(window) -> tuple[str, str, str]:  # noqa: ANN001
    linker = window.view.linker
    assert linker.active
    return linker.source.text, linker.choice.name, window.view.candidate.text


def test_bracket_goes_to_the_next_open_frame_and_enter_fills_its_first_slot(qtbot, two_strikes):
    window, view = two_strikes, two_strikes.view
    panel = window.ensure_panels().event_panel
    view.set_cursor_code_point(0)
    _bracket(qtbot, window)
    # No event yet: the first empty slot (place is the test schema's required role) is offered.
    assert _offered(window) == ("قصف", "place", "حلب")
    assert view.selected_span.text == "قصف" and panel.active == "place"
    press(qtbot, view, Qt.Key.Key_Return)
    assert stored_roles(window) == [("attack", "قصف", "place", "حلب")]
    _bracket(qtbot, window)  # out of «قصف»'s next slot, on to «غارة»'s frame
    assert _offered(window) == ("غارة", "place", "إدلب")
    _bracket(qtbot, window, forward=False)
    assert _offered(window)[:2] == ("قصف", "target")  # back: «قصف»'s frame, its next empty slot
    _bracket(qtbot, window, forward=False)  # round the article, backwards
    assert _offered(window)[:2] == ("غارة", "place")
    press(qtbot, view, Qt.Key.Key_Return)
    assert stored_roles(window) == [("attack", "غارة", "place", "إدلب"), ("attack", "قصف", "place", "حلب")]


def test_bracket_passes_over_a_full_frame_and_says_when_none_is_left(qtbot, two_strikes):
    window, view = two_strikes, two_strikes.view
    aid = window.controller.article_id
    spans = {s.text: s for s in window.session.spans(aid)}
    for trigger, place in (("قصف", "حلب"), ("غارة", "إدلب")):
        event = window.session.add_event(aid, spans[trigger].id, "attack")
        window.session.set_argument(aid, event.id, "place", spans[place].id)
    window.links.reload()
    # Both places filled; «قصف»'s target may still take «إدلب» or «حلب»: a slot is open.
    view.set_cursor_code_point(TWO.index("غارة"))
    _bracket(qtbot, window)
    assert _offered(window)[:2] == ("غارة", "target")
    for trigger in ("قصف", "غارة"):  # fill every slot a span may fill (the LOCATIONs as targets)
        event = next(e for e in window.session.events(aid) if e.trigger.text == trigger)
        for place in ("حلب", "إدلب"):
            event = window.session.set_argument(aid, event.id, "target", spans[place].id)
    window.links.reload()
    messages = []
    window.view.linker.status.connect(messages.append)
    _bracket(qtbot, window)
    assert not view.linker.active
    assert messages == ["لا إطار حدث في هذا المقال فيه خانة فارغة يمكن ملؤها"]


def test_labelling_a_trigger_offers_its_first_empty_slot(qtbot, tmp_path):
    doc = gold_document("strike-omar")
    bare = Document(doc.doc_id, doc.text, title=doc.title, spans=tuple(s for s in doc.spans if s.label != "ATTACK"))
    project = Project.create(tmp_path / "bare.db", SCHEMA)
    import_documents(project, [bare], as_annotator=USER)
    project.close()
    window = _desk(qtbot, tmp_path / "bare.db")
    try:
        open_article(window, "strike-omar")
        view, panel = window.view, window.ensure_panels().event_panel
        start = doc.text.index("قصفا")
        drag_select(qtbot, view, start, start + len("قصفا"))
        press(qtbot, view, Qt.Key.Key_7)  # ATTACK: the trigger label
        assert [(s.text, s.label) for s in window.session.spans(window.controller.article_id)
                if s.label == "ATTACK"] == [("قصفا", "ATTACK")]
        assert _offered(window) == ("قصفا", "place", "حقل العمر")  # place: the required role
        assert panel.active == "place"
        press(qtbot, view, Qt.Key.Key_Return)  # the event is made with its first role
        assert stored_roles(window) == [("attack", "قصفا", "place", "حقل العمر")]
        assert _offered(window)[:2] == ("قصفا", "instrument")  # and on, slot to slot
        # Another label key leaves the slot and labels as always: nothing else is stored.
        press(qtbot, view, Qt.Key.Key_Escape)
        assert not view.linker.active and len(stored_roles(window)) == 1
    finally:
        window.close()


def test_a_relation_from_a_trigger_offers_its_events_source_first(qtbot, tmp_path):
    """«reported-by» from «غارة» boxes «قناة الجزيرة», its event's source, not «سانا» further
    on (before, a span already an argument of the trigger's event was offered last)."""
    window = _desk(qtbot, make_links_project(tmp_path / "links.db"))
    try:
        open_article(window, "strike-airport")
        aid = window.controller.article_id
        add_gold_links(window.session, aid, "strike-airport")
        for relation in window.session.relations(aid):
            window.session.remove_relation(aid, relation.id)
        window.links.reload()
        view = window.view
        view.select_span(span_of(window, "غارة"))
        key(qtbot, window, "r")
        assert [s.text for s in view.linker.candidates] == ["قناة الجزيرة", "سانا"]
        assert view.candidate.text == "قناة الجزيرة"
    finally:
        window.close()


def test_the_open_slot_is_the_first_empty_one_a_span_may_fill():
    """Pure: required roles first, then schema order from the role just filled; a slot no
    span may fill is passed; a full frame has none."""
    schema = schema_from_data(load_schema_file(SCHEMA), 1)
    spans = list(gold_document("strike-conoco").spans)
    trigger = next(s for s in spans if s.label == "ATTACK")
    kind = schema.event_type("attack")
    first = targets.open_slot(schema, trigger, spans, [], [])
    assert (first.name, first.event) == ("place", None)  # the test schema's required role
    assert [r.name for r in targets.empty_slots(kind, None, "instrument")] == [
        "place", "time", "casualties", "source", "attacker", "target", "instrument"]
    # After time: place (required) first; then casualties would come, but no QUANTITY is
    # labelled in this article, so source.
    place = next(s for s in spans if s.text == "قاعدة كونيكو")
    event = Event("attack", trigger, (EventArgument("place", place),))
    after = targets.role_choice(kind, kind.role("time"), event)
    assert targets.open_slot(schema, trigger, spans, [], [event], after=after).name == "source"
    full = Event("attack", trigger, tuple(EventArgument(r.name, place) for r in kind.roles))
    assert targets.open_slot(schema, trigger, spans, [], [full]) is None
