"""The desk's suggestions go through the session's gate: in a blind project, an annotator's desk
shows no suggestion built from a colleague's labels, and her retrain learns from her layer only."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.project import Project
from annotator.suggest.layers import register_suggestion_layer, suggestion_basis
from annotator.suggest.pipeline import apply_suggestions
from tests.core.team_kit import SUNDAY, aid, label_a1, make_team_project


@pytest.fixture
def blind_team(tmp_path: Path) -> Path:
    """a1 labelled by ali and mona; sara built the shared gazetteer suggestions from both, and
    mona's own layer is registered as suggestions (as a reviewer's --use-layer would)."""
    path = tmp_path / "news.db"
    with make_team_project(path) as project:
        label_a1(project)
        apply_suggestions(project, sources=["gazetteer"], session=project.session("sara"))
        register_suggestion_layer(project.store, "mona")
        spans = project.store.spans(aid(project, "a1"), ["suggest:gazetteer"])
        assert (*SUNDAY, "DATE") in {s.key for s in spans}  # mona's label, in the shared layer
    return path


def test_ali_desk_shows_and_builds_only_her_own_suggestions(qtbot, blind_team: Path) -> None:
    from ui.app import build_window
    from ui.suggestions import install

    window = build_window(blind_team, "ali", article="a1")
    qtbot.addWidget(window)
    desk = install(window)
    assert desk.pending == []  # neither sara's shared layer nor mona's layer reach her
    with qtbot.waitSignal(desk.retrained, timeout=60_000):
        desk.retrain(iterations=5)
    assert all(s.annotator.endswith("/ali") for s in desk.pending)
    assert (*SUNDAY, "DATE") not in {s.key for s in desk.pending}
    with Project.open(blind_team) as project:
        saved = project.store.load_model("crf/ali")
        assert saved is not None and saved[1]["basis"] == ["ali"]
        assert project.store.load_model("crf") is None  # the shared model was not touched
        assert suggestion_basis(project.store, "suggest:gazetteer/ali") == ["ali"]
    window.close()
