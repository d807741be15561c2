"""The article queue fetches pages lazily and filters through the core's normalised search."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.project import Project
from tests.ui.conftest import USER, make_project
from tests.ui.helpers import open_doc
from ui.desk.article_queue import ArticleQueueModel, ArticleQueuePanel


def many(tmp_path, n=450):
    texts = {f"a{i:04d}": f"خبر رقم {i} عن مدينة الرقة" for i in range(n)}
    texts["a9998"] = "تصريح لوزير الخارجية الأسد عن سوريا"
    texts["a9999"] = "إعلان مستشفى في القاهرة"
    return make_project(tmp_path / "many.db", texts)


def test_rows_are_fetched_one_page_at_a_time(qapp, tmp_path):
    project = Project.open(many(tmp_path))
    model = ArticleQueueModel(project.session(USER))
    assert model.total == 452
    assert model.rowCount() == 0 and model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == ArticleQueueModel.PAGE == 200
    model.fetchMore()
    model.fetchMore()
    assert model.rowCount() == 452 and not model.canFetchMore()
    project.close()


def test_search_ignores_hamza_forms_and_taa_marbuta(qapp, tmp_path):
    project = Project.open(many(tmp_path))
    panel = ArticleQueuePanel(project.session(USER), project.schema, "ar")
    panel.search.setText("الاسد")
    panel.apply_filter()
    panel.model.fetchMore()
    assert [panel.model.data(panel.model.index(r, 0), Qt.ItemDataRole.ToolTipRole)
            for r in range(panel.model.rowCount())] == ["a9998"]
    panel.search.setText("مستشفي في القاهره")
    panel.apply_filter()
    panel.model.fetchMore()
    assert panel.model.total == 1
    assert panel.model.data(panel.model.index(0, 2)) == 0
    project.close()


def test_state_and_label_filters(qtbot, desk):
    aid = open_doc(desk, "mixed")
    desk.controller.add_span(len("نقلت "), len("نقلت CNN"), "SOURCE")
    panel = desk.queue
    panel.label_box.setCurrentIndex(panel.label_box.findData("SOURCE"))
    panel.model.fetchMore()
    assert panel.model.total == 1 and panel.model.article_id(0) == aid
    panel.label_box.setCurrentIndex(0)
    panel.state_box.setCurrentIndex(panel.state_box.findData("in_progress"))
    panel.model.fetchMore()
    assert [panel.model.article_id(r) for r in range(panel.model.rowCount())] == [aid]
    assert panel.model.data(panel.model.index(0, 1)) == "قيد العمل"
    assert panel.model.data(panel.model.index(0, 2)) == 1


def test_clicking_a_row_opens_the_article(qtbot, desk):
    table = desk.queue.table
    model = desk.queue.model
    rect = table.visualRect(model.index(2, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert desk.controller.article_id == model.article_id(2)
    assert desk.view.toPlainText() == desk.controller.article.text
