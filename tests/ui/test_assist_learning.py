"""The assist learns while the annotator works (issue 11's throughput): a name labelled is
suggested at once wherever else it occurs, a rejection unlearns it, Space jumps to the next
suggestion, and finishing an article retrains the model for the next one."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from annotator.formats.conll import read_conll
from annotator.importing import import_documents
from tests.ui.conftest import USER, make_project

FIRST = "زار الرئيس تونس أمس، وقال في تونس إن وفدا سيصل لتونس وبتونس غدا."
SECOND = "عاد الوفد من تونس إلى القاهرة."
TUNIS = [(i, i + 4) for i in (11, 29, 48, 55)]  # «تونس»: alone, after في, inside لتونس and وبتونس


def test_the_fixture_offsets_are_tunis() -> None:
    assert [FIRST[a:b] for a, b in TUNIS] == ["تونس"] * 4
    assert SECOND[13:17] == "تونس"


@pytest.fixture
def desk(qtbot, tmp_path: Path):
    from ui.app import build_window

    path = make_project(tmp_path / "news.db", {"first": FIRST, "second": SECOND})
    window = build_window(path, USER, article="first")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.install_suggestions()
    yield window
    window.close()


def pending(window) -> list[tuple[int, int, str]]:
    return [s.key for s in window.suggestions.pending]


def test_a_labelled_name_is_suggested_at_its_other_occurrences_through_proclitics(desk) -> None:
    assert pending(desk) == []
    desk.controller.add_span(*TUNIS[0], "LOCATION")
    # At once (no --apply, no training): the other three, without ل / وب.
    assert pending(desk) == [(*r, "LOCATION") for r in TUNIS[1:]]
    # And in the next article opened in the session.
    desk.open_article(desk.project.store.article_id_by_doc_id("second"))
    assert pending(desk) == [(13, 17, "LOCATION")]


def test_space_jumps_to_the_next_suggestion_and_a_rejection_unlearns_the_name(desk, qtbot) -> None:
    view = desk.view
    desk.controller.add_span(*TUNIS[0], "LOCATION")
    view.setFocus()
    view.set_cursor_code_point(0)
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert view.cursor_code_point() == TUNIS[1][0]
    qtbot.keyClick(view, Qt.Key.Key_A)  # accepted: a second vote for the name
    assert [s.key for s in desk.session.spans(desk.controller.article_id)] == [
        (*TUNIS[0], "LOCATION"), (*TUNIS[1], "LOCATION")]
    qtbot.keyClick(view, Qt.Key.Key_R)
    qtbot.keyClick(view, Qt.Key.Key_R)  # rejected as often as labelled: no longer proposed
    desk.open_article(desk.project.store.article_id_by_doc_id("second"))
    assert pending(desk) == []


def test_marking_an_article_done_retrains_the_model_for_the_next(desk, qtbot, fixtures_dir: Path) -> None:
    pytest.importorskip("pycrfsuite")
    from annotator.suggest.crf import Options
    from annotator.suggest.pipeline import train_project

    docs = list(read_conll(fixtures_dir / "aqmar_suggest.conll"))
    project = desk.project
    import_documents(project, docs[:2], as_annotator=USER, new_labels="add")
    train_project(project, folds=0, options=Options(max_iterations=20))
    assert project.store.load_model("crf")[1]["articles"] == 2
    desk.controller.add_span(*TUNIS[0], "LOCATION")
    with qtbot.waitSignal(desk.suggestions.retrained, timeout=60_000) as blocker:
        desk.controller.mark_done_and_next()
    assert blocker.args[0].articles == 3  # the finished article taught the new model
    assert project.store.load_model("crf")[1]["articles"] == 3


def test_propagation_keeps_proclitics_when_the_user_does(desk) -> None:
    text = FIRST
    lil, wab = text.index("لتونس"), text.index("وبتونس")
    desk.controller.add_span(wab, wab + 6, "LOCATION")  # she labels «وبتونس» whole
    assert pending(desk) == [(*r, "LOCATION") for r in TUNIS[:2]] + [(lil, lil + 5, "LOCATION")]
