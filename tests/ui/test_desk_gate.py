"""The desk goes through the session's gate: in a blind project, an annotator's desk shows no
suggestion built from a colleague's labels, her retrain learns from her layer only, File ▸
Export writes her layer only, and File ▸ Import cannot write gold."""

from __future__ import annotations

import json
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
    from ui.desk.suggestions import install

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


def test_ali_desk_exports_her_layer_and_cannot_import_gold(qtbot, blind_team: Path, tmp_path: Path,
                                                          monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    from tests.core.team_kit import A1, DAMASCUS
    from ui.app import build_window
    from ui.desk.io_dialogs import export_file, import_files

    window = build_window(blind_team, "ali", article="a1")
    qtbot.addWidget(window)
    out = tmp_path / "out" / "mine.jsonl"
    assert export_file(window, out) == 1  # a1, the one article her layer worked on
    records = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert {s["annotator"] for r in records for s in r["spans"]} == {"ali"}
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warned.append(text))
    gold = tmp_path / "gold.jsonl"
    span = {"start": DAMASCUS[0], "end": DAMASCUS[1], "label": "PERSON", "annotator": "gold"}
    gold.write_text(json.dumps({"id": "a1", "text": A1, "spans": [span]}, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    assert import_files(window, [gold]) is None
    assert warned == ["ali is annotator: may not write layer 'gold' (an annotator writes only their"
                      " own layer, 'ali')"]
    with Project.open(blind_team) as project:
        assert project.store.spans(aid(project, "a1"), ["gold"]) == []
    window.close()
