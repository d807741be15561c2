"""Relations and event arguments in the review desk: listed per lane, decided with the span keys
(lane digits, R, N, Ctrl+Z) on the real window, checked in the store."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from annotator.model import GOLD
from annotator.project import Project
from annotator.team.members import assign
from tests.core.team_kit import aid, make_team_project
from tests.core.test_link_adjudication import ALEPPO, LOCATED, PLACE, QUARTER, TIME, label


def linked_project(path: Path) -> Path:
    with make_team_project(path) as project:
        assign(project.session("sara"), ["ali", "mona"], 2, seed=1)
        label(project, "ali", ALEPPO, time=True)
        label(project, "mona", QUARTER, time=False)
    return path


@pytest.fixture
def review(qtbot, tmp_path):
    from ui.review.window import build_adjudication_window

    path = linked_project(tmp_path / "news.db")
    window = build_adjudication_window(path, "huda", language="en", article="a5")
    qtbot.addWidget(window)
    with qtbot.waitActive(window):  # single-letter shortcuts need the active window
        window.show()
    yield window
    window.close()


def press(qtbot, window, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(window.focusWidget() or window, key, modifier)


def stored(window) -> tuple[list, list, str]:
    with Project.open(window.project.path) as project:
        a5 = aid(project, "a5")
        relations = [(r.type, r.head.text, r.tail.text) for r in project.store.relations(a5, [GOLD])]
        args = sorted((a.role, a.span.text) for e in project.store.events(a5, [GOLD]) for a in e.arguments)
        return relations, args, project.store.state(a5, GOLD)


def test_links_are_decided_with_the_span_keys(review, qtbot) -> None:
    c = review.controller
    assert c.current.bounds == QUARTER  # the one open span region comes first
    assert review.link_list.count() == 4
    assert "instrument" in review.link_list.item(0).text() and "auto-accepted" in review.link_list.item(0).text()
    press(qtbot, review, Qt.Key.Key_1)  # ali's «حلب»
    press(qtbot, review, Qt.Key.Key_N)  # spans done: on to this article's open links
    assert c.current is None and c.current_link.key == PLACE
    assert [label.text() for label in review.link_lanes.labels] == [
        "1 · ali — attack:place «سقطت» ← «حلب»",
        "2 · mona — attack:place «سقطت» ← «حي في حلب»",
    ]
    press(qtbot, review, Qt.Key.Key_1)  # accept ali's place; the desk moves on
    assert c.current_link.key == LOCATED
    press(qtbot, review, Qt.Key.Key_1)
    assert c.current_link.key == TIME
    assert [label.text() for label in review.link_lanes.labels][1] == "2 · mona — (no link)"
    press(qtbot, review, Qt.Key.Key_R)
    assert stored(review) == (
        [("located-in", "سقطت", "حلب")], [("instrument", "قذيفة"), ("place", "حلب")], "done")
    rows = [review.gold_links.item(i).text() for i in range(review.gold_links.count())]
    assert "located-in «سقطت» → «حلب» — proposed by ali; accepted by huda" in rows
    press(qtbot, review, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert c.current_link.key == TIME and c.current_link.open
    assert stored(review)[2] == "in_progress"


def test_a_link_before_its_spans_says_why_in_the_status_bar(review, qtbot) -> None:
    review.controller.select_link(PLACE)
    press(qtbot, review, Qt.Key.Key_1)
    assert "decide the spans first" in review.statusBar().currentMessage()
    assert stored(review)[1] == [("instrument", "قذيفة")]


def test_agreement_tab_shows_the_link_figures(review, qtbot) -> None:
    """ali / mona by hand (tests/core/test_link_adjudication.py): relations exact F1 0, overlap 1;
    arguments exact P 1/2 R 1/3 F1 0.4, overlap F1 0.8; per role pooled."""
    panel = review.agreement
    with qtbot.waitSignal(panel.computed, timeout=20_000):
        review.toggle_agreement()
    rows = [[panel.links.item(r, c).text() for c in range(4)] for r in range(panel.links.rowCount())]
    assert rows[:2] == [
        ["ali / mona · relations", "0.000", "1.000", "2"],
        ["ali / mona · arguments", "0.400", "0.800", "5"],
    ]
    assert ["attack:time", "0.000", "0.000", "1"] in rows
    assert ["located-in", "0.000", "1.000", "2"] in rows


def test_e_on_a_slot_offers_the_other_allowed_roles_and_puts_the_chosen_one(review, qtbot) -> None:
    c = review.controller
    press(qtbot, review, Qt.Key.Key_1)  # ali's «حلب» into gold
    c.select_link(PLACE)
    press(qtbot, review, Qt.Key.Key_E)
    menu = review.link_menu
    assert [a.text() for a in menu.actions()] == [  # mona's ends first, as her version sorts first
        "attack:attacker «سقطت» ← «حي في حلب»",
        "attack:target «سقطت» ← «حي في حلب»",
        "attack:attacker «سقطت» ← «حلب»",
        "attack:target «سقطت» ← «حلب»",
    ]
    menu.actions()[3].trigger()
    assert stored(review)[1] == [("instrument", "قذيفة"), ("target", "حلب")]
    assert c.links[[s.key for s in c.links].index(PLACE)].decision.decision == "edit"
    c.select_link(PLACE)
    press(qtbot, review, Qt.Key.Key_E)
    review.link_menu.actions()[0].trigger()  # «حي في حلب» is not gold: refused, and said so
    assert "decide the spans first" in review.statusBar().currentMessage()


def test_tab_on_a_slot_picks_another_gold_end_and_enter_puts_it(review, qtbot) -> None:
    # before: E kept the proposed ends, so a link could never reach a gold span the reviewer
    # drew herself («في حلب» here, where the lanes linked «حلب» and «حي في حلب»)
    c = review.controller
    in_aleppo = QUARTER[1] - len("في حلب")
    c.edit(in_aleppo, QUARTER[1], "LOCATION")  # the place region decided as the reviewer's own
    c.select_link(PLACE)
    review.view.setFocus()
    press(qtbot, review, Qt.Key.Key_Tab)
    picker = review.end_picker
    assert picker.active and picker.source.text == "سقطت"
    assert [s.text for s in picker.candidates] == ["في حلب"] and review.view.candidate.text == "في حلب"
    assert review.view.arcs.preview is not None and review.view.arcs.preview.name == "place"
    assert "في حلب" in review.statusBar().currentMessage()
    press(qtbot, review, Qt.Key.Key_Return)
    assert not picker.active
    assert stored(review)[1] == [("instrument", "قذيفة"), ("place", "في حلب")]
    assert c.links[[s.key for s in c.links].index(PLACE)].decision.decision == "edit"
    press(qtbot, review, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored(review)[1] == [("instrument", "قذيفة")]


def test_esc_leaves_the_end_picker_and_tab_on_a_region_still_cycles_spans(review, qtbot) -> None:
    c = review.controller
    c.edit(QUARTER[1] - len("في حلب"), QUARTER[1], "LOCATION")
    c.select_link(PLACE)
    review.view.setFocus()
    press(qtbot, review, Qt.Key.Key_Tab)
    assert review.end_picker.active
    press(qtbot, review, Qt.Key.Key_Escape)
    assert not review.end_picker.active and review.view.arcs.preview is None
    assert stored(review)[1] == [("instrument", "قذيفة")]
    c.select_link(None)
    press(qtbot, review, Qt.Key.Key_Tab)
    assert not review.end_picker.active
