"""The queue's order control in the real desk: rows reorder, the choice is remembered, Ctrl+Enter
follows it, and a background retrain re-sorts the queue by the new scores."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from annotator.formats.conll import read_conll
from annotator.importing import import_documents
from annotator.project import Project
from tests.ui.conftest import USER, make_project
from ui.desk.article_queue import ARTICLE_ID_ROLE

TEXTS = {f"a{i}": f"خبر رقم {i} عن مدينة الرقة" for i in range(1, 7)}
SCORES = {"a4": 0.9, "a2": 0.7, "a6": 0.7}  # a2/a6 tie: lower id first; a1, a3, a5 unscored
BY_ID = ["a1", "a2", "a3", "a4", "a5", "a6"]
INFORMATIVE = ["a4", "a2", "a6", "a1", "a3", "a5"]


@pytest.fixture
def scored_path(tmp_path: Path) -> Path:
    path = make_project(tmp_path / "news.db", TEXTS)
    with Project.open(path) as project:
        store = project.store
        with store.transaction():
            store.replace_priorities(
                USER, {store.article_id_by_doc_id(d): s for d, s in SCORES.items()}, "test"
            )
    return path


def open_desk(qtbot, path: Path, article: str | None = None):
    from ui.app import build_window

    window = build_window(path, USER, article=article)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)  # window shortcuts (Ctrl+Enter) go to the active window
    return window


def listed(window) -> list[str]:
    """Doc ids of the rows of ``articleList`` as shown (tooltip role holds the doc id)."""
    table = window.findChild(type(window.queue.table), "articleList")
    model = table.model()
    while model.canFetchMore():
        model.fetchMore()
    return [
        model.data(model.index(r, 0), Qt.ItemDataRole.ToolTipRole) for r in range(model.rowCount())
    ]


def choose(window, order: str) -> None:
    box = window.queue.order_box
    box.setCurrentIndex(box.findData(order))


def test_switching_order_reorders_rows_and_is_remembered(qtbot, scored_path: Path) -> None:
    window = open_desk(qtbot, scored_path, article="a1")
    box = window.queue.order_box
    assert box.objectName() == "queueOrder"
    assert [box.itemText(i) for i in range(box.count())] == ["حسب الرقم", "الأكثر إفادة أولًا"]
    assert listed(window) == BY_ID
    choose(window, "uncertainty")
    assert listed(window) == INFORMATIVE
    assert window.queue.table.selectionModel().selectedRows()[0].row() == INFORMATIVE.index("a1")
    window.set_language("en")
    assert box.currentText() == "Most informative first"
    window.close()
    with Project.open(scored_path) as project:
        assert project.session(USER).queue_order() == "uncertainty"
        assert project.session("ali").queue_order() == "id"
    again = open_desk(qtbot, scored_path)
    assert again.queue.order_box.currentData() == "uncertainty"
    assert listed(again) == INFORMATIVE
    assert again.controller.article.doc_id == "a1"  # the last position, not the top row
    choose(again, "id")
    assert listed(again) == BY_ID
    again.close()


def test_ctrl_enter_follows_the_chosen_order(qtbot, scored_path: Path) -> None:
    window = open_desk(qtbot, scored_path, article="a1")
    choose(window, "uncertainty")
    window.view.setFocus()
    seen = []
    for _ in range(6):
        qtbot.keyClick(window.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        seen.append(window.controller.article.doc_id)
    # a1 done first; then the most informative not-done one each time, unscored ones by id.
    assert seen == ["a4", "a2", "a6", "a3", "a5", "a5"]
    with Project.open(scored_path) as project:
        states = project.store.states_of(USER)
        assert sorted(states.values()) == ["done"] * 6
    table = window.queue.table
    assert [table.model().data(table.model().index(r, 1)) for r in range(6)] == ["منجز"] * 6
    window.close()


def test_ctrl_enter_in_id_order_is_unchanged(qtbot, scored_path: Path) -> None:
    window = open_desk(qtbot, scored_path, article="a3")
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.controller.article.doc_id == "a4"
    window.close()


def test_background_retrain_rescores_and_resorts_the_queue(
    qtbot, tmp_path: Path, fixtures_dir: Path
) -> None:
    pytest.importorskip("pycrfsuite")
    docs = list(read_conll(fixtures_dir / "aqmar_suggest.conll"))
    path = make_project(tmp_path / "al.db", TEXTS)
    with Project.open(path) as project:
        import_documents(project, docs[:2], as_annotator="aqmar", new_labels="add")
        import_documents(project, docs[3:4])
        project.session(USER).set_queue_order("uncertainty")
        with project.store.transaction():  # a colleague's order: USER's retrain must not touch it
            project.store.replace_priorities("ali", {1: 0.5, 2: 0.25}, "crf/ali@then")
    window = open_desk(qtbot, path, article="a1")
    assert listed(window)[:6] == BY_ID  # nothing scored yet: id order
    from ui.desk.suggestions import install

    desk = install(window)
    reports: list[object] = []
    desk.retrained.connect(lambda report: reports.append("retrained"))
    desk.rescored.connect(reports.append)
    with qtbot.waitSignal(desk.rescored, timeout=60_000):
        worker = desk.retrain(iterations=30)
    assert worker.user == USER
    assert reports == ["retrained", 9]  # the suggestions first, then the queue's priorities
    with Project.open(path) as project:
        store = project.store
        stored = {store.article(a).doc_id: s for a, s in store.priorities(USER).items()}
        assert store.priorities("ali") == {1: 0.5, 2: 0.25}
        assert store.priority_model(USER) == "crf@" + store.load_model("crf")[2]  # type: ignore[index]
    assert len(stored) == 9  # every article: none is done
    assert listed(window) == sorted(stored, key=lambda d: (-stored[d], d))
    assert window.queue.table.selectionModel().selectedRows()[0].row() == listed(window).index("a1")
    window.close()


def test_listing_uses_article_id_role(qtbot, scored_path: Path) -> None:
    window = open_desk(qtbot, scored_path)
    choose(window, "uncertainty")
    model = window.queue.table.model()
    ids = [model.data(model.index(r, 0), ARTICLE_ID_ROLE) for r in range(model.rowCount())]
    with Project.open(scored_path) as project:
        assert [project.store.article(a).doc_id for a in ids] == INFORMATIVE
    window.close()
