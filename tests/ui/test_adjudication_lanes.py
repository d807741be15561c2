"""Review lanes: one number per annotator everywhere, versions named, N to the next open
disagreement, captions in the interface's direction — on the real adjudication window."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from annotator.model import GOLD
from annotator.project import Project
from annotator.team.members import assign, set_auto_accept
from tests.core.team_kit import DAMASCUS, DEFENCE, MINISTER, SUNDAY, aid, make_team_project

A2_MINISTRY = (len("قال مصدر في "), len("قال مصدر في وزارة الخارجية"))
A2_BEIRUT = (len("قال مصدر في وزارة الخارجية إن الوفد وصل إلى "),
             len("قال مصدر في وزارة الخارجية إن الوفد وصل إلى بيروت"))


def three_annotators(path: Path, *, auto: bool = True) -> Path:
    """a1: ali and mona disagree on the minister, agree on Damascus; mona alone saw Sunday.
    a2: mona and omar (not ali) disagree on the ministry; omar alone saw Beirut."""
    with make_team_project(path) as project:
        assign(project.session("sara"), ["ali", "mona", "omar"], 3, seed=1)
        a1, a2 = aid(project, "a1"), aid(project, "a2")
        ali, mona, omar = (project.session(n) for n in ("ali", "mona", "omar"))
        ali.add_span(a1, *MINISTER, "ORGANIZATION")
        ali.add_span(a1, *DAMASCUS, "LOCATION")
        mona.add_span(a1, *DEFENCE, "ORGANIZATION")
        mona.add_span(a1, *DAMASCUS, "LOCATION")
        mona.add_span(a1, *SUNDAY, "DATE")
        mona.add_span(a2, *A2_MINISTRY, "ORGANIZATION")
        omar.add_span(a2, *A2_MINISTRY, "PERSON")
        omar.add_span(a2, *A2_BEIRUT, "LOCATION")
        for name, article in (("ali", a1), ("mona", a1), ("omar", a1), ("mona", a2), ("omar", a2)):
            project.session(name).set_state(article, "done")  # omar finished a1 with no span
        if not auto:
            set_auto_accept(project.session("huda"), False)
    return path


@pytest.fixture
def open_review(qtbot):
    windows = []

    def open_it(path: Path, language: str = "en"):
        from ui.review.window import build_adjudication_window

        window = build_adjudication_window(path, "huda", language=language)
        qtbot.addWidget(window)
        with qtbot.waitActive(window):  # single-letter shortcuts need the active window
            window.show()
        windows.append(window)
        return window

    yield open_it
    for window in windows:
        window.close()


def lane_numbers(window) -> list[int]:
    return [int(label.objectName().removeprefix("lane").removesuffix("Label"))
            for label, _ in window.lanes.lanes]


def test_an_annotator_keeps_her_lane_number_across_articles(open_review, tmp_path, qtbot) -> None:
    path = three_annotators(tmp_path / "news.db")
    window = open_review(path)
    c = window.controller
    assert c.lane_names == ["ali", "mona", "omar"]
    assert c.article.doc_id == "a1" and c.current.bounds == MINISTER
    assert lane_numbers(window) == [1, 2, 3]  # omar saw nothing here: his lane says so
    assert window.lanes.lanes[2][0].text() == "3 · omar — (no span)"
    lane = window.lanes.lanes[0][1]  # ali's lane shows his span with its label's chip
    lane.viewport().repaint()
    assert [(m.kind, m.text) for m in lane.marks.marks() if m.kind == "chip"] == [("chip", "Organization")]
    c.open_article(aid_of(path, "a2"))
    assert c.current.bounds == A2_MINISTRY
    # ali did not work on a2: mona is still 2 and omar still 3 (they were 1 and 2 before).
    assert lane_numbers(window) == [2, 3]
    assert window.lanes.lanes[0][0].text() == "2 · mona — Organization «وزارة الخارجية»"
    assert window.lanes.lanes[1][0].text() == "3 · omar — Person «وزارة الخارجية»"
    qtbot.keyClick(window.focusWidget() or window, Qt.Key.Key_3)  # omar's version
    assert gold(path, "a2") == [(*A2_MINISTRY, "PERSON")]
    assert c.current.bounds == A2_BEIRUT
    qtbot.keyClick(window.focusWidget() or window, Qt.Key.Key_1)  # no lane 1 in this region
    assert gold(path, "a2") == [(*A2_MINISTRY, "PERSON")]
    assert window.statusBar().currentMessage() == "No lane with that number in this region"


def test_n_passes_an_agreement_nobody_accepted(open_review, tmp_path, qtbot) -> None:
    """Two annotators agree on Damascus; auto-accept is off, so it stays open, but it is no
    disagreement: N from the minister goes to Sunday, past it."""
    from tests.core.team_kit import label_a1

    path = tmp_path / "two.db"
    with make_team_project(path) as project:
        label_a1(project)
        set_auto_accept(project.session("huda"), False)
    window = open_review(path)
    c = window.controller
    assert c.current.bounds == MINISTER
    assert [i.bounds for i in c.items if i.open and i.region.agreed] == [DAMASCUS]
    qtbot.keyClick(window.focusWidget() or window, Qt.Key.Key_N)
    assert c.current.bounds == SUNDAY  # was DAMASCUS: an open agreement
    qtbot.keyClick(window.focusWidget() or window, Qt.Key.Key_N)  # a2 has none: round to a1
    assert c.article.doc_id == "a1" and c.current.bounds == MINISTER  # was: "no more"


def test_lane_captions_follow_an_arabic_interface(open_review, tmp_path) -> None:
    path = three_annotators(tmp_path / "news.db")
    window = open_review(path, language="ar")
    label = window.lanes.lanes[0][0]
    assert label.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert label.text().startswith("\u200f1 · \u2068ali\u2069 — منظمة «")  # RLM: an RTL paragraph
    assert label.alignment() & Qt.AlignmentFlag.AlignLeft  # mirrored: the right edge
    # the caption's text is at the right end of its lane
    assert label.fontMetrics().horizontalAdvance(label.text()) < label.width()


def aid_of(path: Path, doc_id: str) -> int:
    with Project.open(path) as project:
        return aid(project, doc_id)


def gold(path: Path, doc_id: str) -> list:
    with Project.open(path) as project:
        return sorted(s.key for s in project.store.spans(aid(project, doc_id), [GOLD]))
