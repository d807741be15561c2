"""The desk sends a change again after a lost acknowledgement, and it is stored once (issue 14).

Ctrl+Z reaches the project and is stored, then the connection drops before the answer comes
back (a wrapper raises ``ProjectOffline`` after the commit). The desk cannot tell that from a
lost change: it keeps the undo and sends it again by itself. The second sending carries the same
id, the core finds it stored and makes nothing: one step undone, not two, and the screen shows
what is stored.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from annotator.errors import ProjectOffline
from annotator.project import Project
from tests.ui.conftest import USER
from tests.ui.helpers import drag_select, open_doc, press

CNN = (len("نقلت "), len("نقلت CNN"))
DEIR = (len("نقلت CNN عن مصدر أن 65 صاروخا من طراز M-16 أطلقت في 2017 على "),
        len("نقلت CNN عن مصدر أن 65 صاروخا من طراز M-16 أطلقت في 2017 على دير الزور"))


def stored(path: Path) -> list[tuple[int, int]]:
    with Project.open(path, read_only=True) as project:
        session = project.session(USER)
        aid = next(r.article_id for r in session.queue() if r.doc_id == "mixed")
        return sorted((s.start, s.end) for s in session.spans(aid))


def test_an_undo_whose_answer_was_lost_is_sent_again_and_undoes_one_step(
        qtbot, desk, project_path: Path, monkeypatch) -> None:
    open_doc(desk, "mixed")
    for bounds in (CNN, DEIR):
        drag_select(qtbot, desk.view, *bounds)
        press(qtbot, desk.view, Qt.Key.Key_3)
    assert stored(project_path) == [CNN, DEIR]
    session = desk.controller.session
    real_undo = session.undo
    answers_lost: list[int] = []

    def undo_then_lose_the_answer(article_id: int) -> bool:
        done = real_undo(article_id)  # committed on the project
        if not answers_lost:
            answers_lost.append(article_id)
            raise ProjectOffline(f"{project_path}: server closed the connection unexpectedly")
        return done

    monkeypatch.setattr(session, "undo", undo_then_lose_the_answer)
    press(qtbot, desk.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert answers_lost and len(desk.controller.writes.pending) == 1  # kept: it may be lost
    assert stored(project_path) == [CNN]  # ...but it was stored
    qtbot.waitUntil(lambda: not desk.controller.writes.pending, timeout=5000)  # sent again
    assert stored(project_path) == [CNN]  # one step undone, not two
    assert [(s.start, s.end) for s in desk.controller.spans] == [CNN]  # the screen agrees
    assert desk.controller.can_undo() and desk.controller.can_redo()
    assert desk.controller.undo()  # the core's history goes on: the first label is undone
    qtbot.waitUntil(lambda: stored(project_path) == [], timeout=5000)
