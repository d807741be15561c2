"""The agreement panel of the adjudication desk shows exactly ``project_agreement``'s figures.

Cell texts are compared with the report's numbers through the same ``format_figure`` the CLI
uses; the report is computed independently on another connection.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidget

from annotator.agreement.layers import project_agreement
from annotator.agreement.report import AgreementReport, format_figure
from annotator.project import Project
from tests.core.team_kit import aid
from tests.ui.test_adjudication_desk import labelled_team

BEIRUT = (
    len("قال مصدر في وزارة الخارجية إن الوفد وصل إلى "),
    len("قال مصدر في وزارة الخارجية إن الوفد وصل إلى بيروت"),
)


@pytest.fixture
def team_path(tmp_path):
    return labelled_team(tmp_path / "news.db")


def open_desk(qtbot, path: Path, language: str = "en"):
    from ui.review.window import build_adjudication_window

    window = build_adjudication_window(path, "huda", language=language)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):  # window shortcuts (Ctrl+Shift+A) need the active window
        window.show()
        window.activateWindow()
    return window


@pytest.fixture
def desk(qtbot, team_path):
    window = open_desk(qtbot, team_path)
    yield window
    window.close()


def show_figures(qtbot, window) -> None:
    """Ctrl+Shift+A (the menu action's key) and wait for the worker's report."""
    with qtbot.waitSignal(window.agreement.computed, timeout=20_000):
        qtbot.keyClick(
            window,
            Qt.Key.Key_A,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )
    assert window.on_agreement


def reference(path: Path) -> AgreementReport:
    with Project.open(path) as project:
        return project_agreement(project.session("huda"))


def cells(table: QTableWidget) -> list[list[str]]:
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def figures(panel) -> dict[str, str]:
    return {key: label.text() for key, label in panel.figures.items()}


def expected_figures(report: AgreementReport) -> dict[str, str]:
    return {
        "agr_fleiss": format_figure(report.fleiss_kappa),
        "agr_alpha": format_figure(report.krippendorff_alpha),
        "agr_mean_kappa": format_figure(report.mean_kappa),
        "agr_f1_exact": format_figure(report.exact.micro.f1),
        "agr_f1_overlap": format_figure(report.overlap.micro.f1),
    }


def test_panel_shows_exactly_the_report(desk, qtbot, team_path):
    panel = desk.agreement
    assert (
        panel.objectName() == "agreementPanel" and panel.result is None
    )  # nothing computed at start
    show_figures(qtbot, desk)
    report = reference(team_path)
    assert figures(panel) == expected_figures(report)
    assert cells(panel.pairs) == [
        [
            "ali / mona",
            format_figure(p.kappa),
            format_figure(p.exact.micro.f1),
            format_figure(p.overlap.micro.f1),
        ]
        for p in report.pairs
    ]
    # ali 3 spans, mona 4; exact: Damascus; overlap: also the ministry (same label, shared text)
    assert cells(panel.pairs)[0][2:] == [
        format_figure(2 * 1 / (3 + 4)),
        format_figure(2 * 2 / (3 + 4)),
    ]
    schema = desk.schema
    assert cells(panel.labels) == [
        [
            schema.label(row.name).display_en,
            format_figure(row.exact.f1),
            format_figure(row.overlap.f1),
            str(row.spans),
        ]
        for row in report.label_rows()
    ]
    assert [row[0] for row in cells(panel.labels)] == ["Date", "Location", "Organization", "Person"]
    assert cells(panel.articles) == [
        [f"t{a.article_id[1:]}", format_figure(a.kappa), format_figure(a.span_f1), "ali, mona"]
        for a in report.by_article
    ]
    assert panel.caption_text("agr_fleiss") == "Fleiss' kappa (2 raters)"


def test_computed_on_a_pool_thread_one_at_a_time(desk, qtbot):
    show_figures(qtbot, desk)  # the first showing computes
    panel = desk.agreement
    assert panel.worker is None and panel.refresh_button.isEnabled()
    with qtbot.waitSignal(panel.computed, timeout=20_000):
        job = panel.refresh()
        assert job is not None and panel.refresh() is None  # one computation at a time
        assert not panel.refresh_button.isEnabled()
    assert job.ran_on is not None and job.ran_on != threading.get_ident()
    assert panel.refresh_button.isEnabled()


def test_lowest_agreement_row_opens_its_article(desk, qtbot, team_path):
    show_figures(qtbot, desk)
    report = reference(team_path)
    worst = report.by_article[0].article_id
    with Project.open(team_path) as project:
        worst_id = aid(project, worst)
        other = aid(project, "a1" if worst != "a1" else "a2")
    desk.controller.open_article(other)  # the desk is elsewhere, so opening is visible
    table = desk.agreement.articles
    table.setFocus()
    table.setCurrentCell(0, 0)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert desk.controller.article_id == worst_id and not desk.on_agreement
    assert desk.acts["accept1"].isEnabled()  # the decision keys work again on the desk


def test_decision_keys_rest_while_the_figures_show(desk, qtbot, team_path):
    show_figures(qtbot, desk)
    qtbot.keyClick(desk, Qt.Key.Key_R)  # would reject the current region on the desk
    qtbot.keyClick(desk, Qt.Key.Key_1)
    with Project.open(team_path) as project:
        from annotator.review.adjudication import Adjudicator

        items = Adjudicator(project.session("huda")).items(aid(project, "a1"))
        assert sum(1 for i in items if i.open) == 2
    qtbot.keyClick(
        desk, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert not desk.on_agreement and desk.acts["reject"].isEnabled()


def test_refresh_after_a_new_span_changes_the_figures(desk, qtbot, team_path):
    panel = desk.agreement
    show_figures(qtbot, desk)
    before = figures(panel)
    with Project.open(team_path) as project:
        project.session("mona").add_span(aid(project, "a2"), *BEIRUT, "LOCATION")
    with qtbot.waitSignal(panel.computed, timeout=20_000):
        qtbot.mouseClick(panel.refresh_button, Qt.MouseButton.LeftButton)
    report = reference(team_path)
    assert figures(panel) == expected_figures(report) != before
    assert figures(panel)["agr_f1_exact"] == format_figure(2 * 1 / (3 + 5))
    assert "Location" in [row[0] for row in cells(panel.labels)]


def test_arabic_panel_right_to_left_with_schema_names(qtbot, team_path):
    window = open_desk(qtbot, team_path, language="ar")
    show_figures(qtbot, window)
    panel = window.agreement
    assert panel.layoutDirection() == Qt.LayoutDirection.RightToLeft
    names = [row[0] for row in cells(panel.labels)]
    assert names == [
        window.schema.label(n).display_ar for n in ("DATE", "LOCATION", "ORGANIZATION", "PERSON")
    ]
    assert panel.caption_text("agr_alpha") == "ألفا كريبندورف"
    assert window.tabs.tabText(1) == "الاتفاق"
    window.close()


def test_save_chart_writes_the_picture(desk, qtbot, tmp_path):
    pytest.importorskip("matplotlib")
    show_figures(qtbot, desk)
    assert desk.agreement.chart_button.isEnabled()
    out = desk.agreement.save_chart(tmp_path / "agreement.png")
    assert out is not None and out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_project_without_pairs_says_so(qtbot, tmp_path):
    from tests.core.team_kit import make_team_project

    make_team_project(tmp_path / "solo.db").close()
    window = open_desk(qtbot, tmp_path / "solo.db")
    show_figures(qtbot, window)
    panel = window.agreement
    assert panel.summary.text() == "No article has two annotators yet: nothing to compare"
    assert set(figures(panel).values()) == {"—"} and panel.pairs.rowCount() == 0
    assert not panel.chart_button.isEnabled()
    window.close()


def test_the_agreement_worker_reads_a_read_only_project(tmp_path) -> None:
    """A project on read-only media: the worker opens it for reading and reports the figures
    (opened read-write it failed with 'the project is read-only')."""
    from tests.core.read_only_kit import read_only_folder
    from ui.review.agreement_panel import AgreementWorker

    want = reference(labelled_team(tmp_path / "news.db"))

    def fill(folder: Path) -> None:
        shutil.copy(tmp_path / "news.db", folder / "news.db")

    with read_only_folder(tmp_path / "ro", fill) as ro:
        worker = AgreementWorker(ro / "news.db", "huda")
        got: list = []
        worker.signals.finished.connect(got.append)
        worker.signals.failed.connect(got.append)
        worker.run()
    assert len(got) == 1 and not isinstance(got[0], str), got
    assert got[0].report.fleiss_kappa == want.fleiss_kappa
    assert got[0].report.articles == want.articles
