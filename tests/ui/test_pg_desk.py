"""The desk on a server project (issue 14): the same labelling loop as on a file, checked in
the server through an independent session (``annotator gui postgresql://...``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from annotator.project import Project, project_location
from annotator.team.members import acting_session, add_user
from tests.conftest import pg_with_user
from tests.ui.conftest import USER, make_project
from tests.ui.helpers import drag_select, open_doc, press
from tests.ui.test_desk_labelling import CNN, labels

pytest.importorskip("psycopg")


@pytest.fixture
def project_path(pg_url: str) -> Path:
    """Overrides conftest's file: the same texts, in a fresh PostgreSQL database, opened as
    mona's own login (on a server the desk's user is the login: the owner may not name her)."""
    make_project(project_location(pg_url))
    with Project.open(pg_url) as project:
        add_user(acting_session(project, None), USER, "annotator", f"{USER}-pw")
    return project_location(pg_with_user(pg_url, USER, f"{USER}-pw"))


def test_label_delete_undo_redo_on_a_server_project(qtbot, desk, store_session, project_path):
    assert str(desk.windowTitle()) != "" and str(project_path).startswith("postgresql://")
    aid = open_doc(desk, "mixed")
    view = desk.view
    drag_select(qtbot, view, *CNN)
    press(qtbot, view, Qt.Key.Key_3)
    assert labels(store_session, aid) == [(*CNN, "SOURCE")]
    press(qtbot, view, Qt.Key.Key_Delete)
    assert labels(store_session, aid) == []
    press(qtbot, view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert labels(store_session, aid) == [(*CNN, "SOURCE")]
    with Project.open(project_path) as project:  # a third connection sees the committed span
        [span] = project.store.spans(aid, ["mona"])
        assert (span.start, span.end, span.label, span.text) == (*CNN, "SOURCE", "CNN")
