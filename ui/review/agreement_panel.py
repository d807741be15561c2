"""The reviewer's agreement panel: the figures of ``annotator agreement`` inside the adjudication desk.

It renders an :class:`annotator.agreement.report.AgreementReport` and does no maths and no SQL:
the report comes from :func:`annotator.agreement.layers.project_agreement`, numbers are shown with
:func:`annotator.agreement.report.format_figure` (the CLI's formatting: 3 decimals, ``—`` when
undefined), per-label rows from the report's own :meth:`label_rows`.

Why a worker: the computation reads and tokenizes every article (a 100,000-article project takes
seconds), so it runs on the thread pool with its OWN project connection (an SQLite connection
belongs to the thread that opened it; the desk's stays on the UI thread). The panel computes
when first shown, and again on Refresh; never at desk start.
"""

from __future__ import annotations

import importlib.util
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.agreement.layers import RankedArticle
from annotator.agreement.link_report import LinkReport, link_rows
from annotator.agreement.report import AgreementReport, format_figure
from annotator.errors import Cancelled
from annotator.model import Schema
from annotator.project import Project
from ui.named import named
from ui.review.strings import tr

LOWEST_SHOWN = 200  # rows of the "where to start" table; the report ranks every article
PROGRESS_EVERY = 500  # articles between two progress signals from the worker
ARTICLE_ROLE = Qt.ItemDataRole.UserRole


@dataclass(frozen=True)
class AgreementResult:
    """What the worker hands to the UI thread: plain frozen data, no connection."""

    report: AgreementReport
    lowest: list[RankedArticle]
    links: LinkReport | None = None  # relations and event arguments (issue 15)


class _WorkerSignals(QObject):
    progress = Signal(int, int)  # articles read, articles in the project
    finished = Signal(object)  # AgreementResult
    failed = Signal(str)


class AgreementWorker(QRunnable):
    """``project_agreement`` of the project at ``path`` as ``user`` sees it, on a pool thread."""

    def __init__(self, path: Path, user: str, limit: int = LOWEST_SHOWN) -> None:
        super().__init__()
        self.path, self.user, self.limit = path, user, limit
        self.signals = _WorkerSignals()
        self.cancelled = False
        self.ran_on: int | None = None  # thread id, for tests

    def run(self) -> None:
        self.ran_on = threading.get_ident()
        from annotator.agreement.layers import (
            lowest_agreement,
            project_agreement,
            project_link_agreement,
        )
        from annotator.team.members import acting_session

        try:
            # Read-only: the figures only read, so a read-only project (a USB stick, a share)
            # has its agreement tab too, and the worker never waits behind another writer.
            with Project.open(self.path, read_only=True) as project:
                session = acting_session(project, self.user)
                total = project.article_count()

                def progress(done: int) -> None:
                    if self.cancelled:
                        raise Cancelled  # a computation nobody waits for any more
                    if done % PROGRESS_EVERY == 0 or done == total:
                        self.signals.progress.emit(done, total)

                report = project_agreement(session, progress)
                lowest = lowest_agreement(session, report, self.limit)
                links = project_link_agreement(session)
        except Cancelled:
            return
        except Exception as exc:  # noqa: BLE001 - a pool thread has nobody above it to report to
            self.signals.failed.emit(str(exc) or type(exc).__name__)
            return
        self.signals.finished.emit(AgreementResult(report, lowest, links))


def _table(name: str, headers: list[str]) -> QTableWidget:
    table = named(QTableWidget(0, len(headers)), name)
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    return table


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    """Text cells; every column after the first holds a figure and is centred."""
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            if c:
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            table.setItem(r, c, item)


class AgreementPanel(QWidget):
    """Overall figures, pairs, labels and the lowest-agreement articles of one project."""

    articleChosen = Signal(int)  # store id of the article a reviewer wants to open
    computed = Signal(object)  # AgreementResult, once shown
    message = Signal(str)

    def __init__(
        self, path: Path, user: str, schema: Schema, language: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("agreementPanel")
        self.path, self.user, self.schema, self.language = Path(path), user, schema, language
        self.result: AgreementResult | None = None
        self.worker: AgreementWorker | None = None
        self.summary = named(QLabel(wordWrap=True), "agreementSummary")
        self.status = named(QLabel(), "agreementStatus")
        self.figures: dict[str, QLabel] = {}
        self.captions: dict[str, QLabel] = {}
        self._retired: list[AgreementWorker] = []  # cancelled, still running: keep their signals
        self.pairs = _table(
            "agreementPairs",
            [tr(k, language) for k in ("col_pair", "col_kappa", "col_f1_exact", "col_f1_overlap")],
        )
        self.labels = _table(
            "agreementLabels",
            [tr(k, language) for k in ("col_label", "col_f1_exact", "col_f1_overlap", "col_spans")],
        )
        self.articles = _table(
            "agreementArticles",
            [
                tr(k, language)
                for k in ("col_article", "col_kappa", "col_f1_exact", "col_annotators")
            ],
        )
        self.links = _table(
            "agreementLinks",
            [tr(k, language) for k in ("col_kind", "col_f1_exact", "col_f1_overlap", "col_links")],
        )
        self.articles_box = named(QGroupBox(), "agreementArticlesBox")
        self.refresh_button = named(QPushButton(tr("agr_refresh", language)), "agreementRefresh")
        self.chart_button = named(QPushButton(tr("agr_save_chart", language)), "agreementSaveChart")
        self.can_plot = importlib.util.find_spec("matplotlib") is not None
        self._compose()
        self.refresh_button.clicked.connect(lambda: self.refresh())
        self.chart_button.clicked.connect(lambda: self.save_chart())
        self.articles.itemActivated.connect(self._article_activated)
        self._show_result()

    # -- composition -----------------------------------------------------------------------
    def _compose(self) -> None:
        lang = self.language
        overall = QGroupBox(tr("agr_overall", lang))
        form = QFormLayout(overall)
        for key in ("agr_fleiss", "agr_alpha", "agr_mean_kappa", "agr_f1_exact", "agr_f1_overlap"):
            figure = named(QLabel(), f"figure_{key.removeprefix('agr_')}")
            figure.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.figures[key] = figure
            self.captions[key] = named(QLabel(), f"caption_{key.removeprefix('agr_')}")
            form.addRow(self.captions[key], figure)
        pairs_box = QGroupBox(tr("agr_pairs", lang))
        QVBoxLayout(pairs_box).addWidget(self.pairs)
        labels_box = QGroupBox(tr("agr_labels", lang))
        QVBoxLayout(labels_box).addWidget(self.labels)
        QVBoxLayout(self.articles_box).addWidget(self.articles)
        top = QHBoxLayout()
        top.addWidget(overall, 2)
        top.addWidget(pairs_box, 3)
        bottom = named(QSplitter(Qt.Orientation.Horizontal), "agreementSplitter")
        links_box = QGroupBox(tr("agr_links", lang))
        QVBoxLayout(links_box).addWidget(self.links)
        bottom.addWidget(labels_box)
        bottom.addWidget(links_box)
        bottom.addWidget(self.articles_box)
        bottom.setStretchFactor(0, 2)
        bottom.setStretchFactor(1, 2)
        bottom.setStretchFactor(2, 3)
        bottom.setSizes([420, 420, 560])  # the label table's figures must fit without scrolling
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(self.refresh_button)
        buttons.addWidget(self.chart_button)
        box = QVBoxLayout(self)
        box.addLayout(buttons)
        box.addLayout(top, 2)
        box.addWidget(bottom, 3)
        box.addWidget(self.status)
        if not self.can_plot:
            self.chart_button.setToolTip(tr("agr_no_matplotlib", lang))

    # -- computing -------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self.worker is not None

    def showEvent(self, event) -> None:  # noqa: N802 (Qt API)
        """Compute on first sight: a reviewer who never looks pays nothing."""
        super().showEvent(event)
        if self.result is None and not self.busy:
            self.refresh()

    def refresh(self) -> AgreementWorker | None:
        """Recompute on the thread pool; ignored while a computation is running."""
        if self.busy:
            return None
        worker = AgreementWorker(self.path, self.user)
        worker.signals.progress.connect(self._progress)
        worker.signals.finished.connect(self._finished)
        worker.signals.failed.connect(self._failed)
        self.worker = worker  # keeps the signals object alive until it reports
        self.refresh_button.setEnabled(False)
        self.status.setText(tr("agr_computing", self.language, done=0, total="…"))
        QThreadPool.globalInstance().start(worker)
        return worker

    def cancel(self) -> None:
        """Stop a running computation at its next article (the window is closing)."""
        if self.worker is not None:
            self.worker.cancelled = True
            self._retired.append(self.worker)
            self.worker = None
            self.refresh_button.setEnabled(True)

    def _current(self) -> bool:
        """Whether the signal being handled comes from the running (not a cancelled) worker."""
        return self.worker is not None and self.sender() is self.worker.signals

    def _progress(self, done: int, total: int) -> None:
        if self._current():
            self.status.setText(tr("agr_computing", self.language, done=done, total=total))

    def _finished(self, result: AgreementResult) -> None:
        if not self._current():
            return
        self.worker = None
        self.result = result
        self.refresh_button.setEnabled(True)
        self._show_result()
        self.status.setText(
            tr("agr_computed", self.language, time=datetime.now().strftime("%H:%M:%S"))
        )
        self.computed.emit(result)

    def _failed(self, error: str) -> None:
        if not self._current():
            return
        self.worker = None
        self.refresh_button.setEnabled(True)
        self.status.setText(tr("agr_failed", self.language, error=error))

    # -- rendering -------------------------------------------------------------------------
    def _show_result(self) -> None:
        lang, report = self.language, self.result.report if self.result else None
        raters = report.fleiss_raters if report else 0
        for key in self.figures:
            self.captions[key].setText(
                tr(key, lang, raters=raters) if key == "agr_fleiss" else tr(key, lang)
            )
        self.chart_button.setEnabled(self.can_plot and bool(report and report.pairs))
        if report is None:
            self.summary.clear()
            for shown in self.figures.values():
                shown.setText(format_figure(None))
            for table in (self.pairs, self.labels, self.links, self.articles):
                table.setRowCount(0)
            self.articles_box.setTitle(tr("agr_articles", lang, shown=0, total=0))
            return
        self.summary.setText(
            tr("agr_nothing", lang)
            if not report.pairs
            else tr(
                "agr_summary",
                lang,
                articles=report.articles,
                tokens=report.tokens,
                annotators=", ".join(report.annotators),
            )
        )
        for key, value in (
            ("agr_fleiss", report.fleiss_kappa),
            ("agr_alpha", report.krippendorff_alpha),
            ("agr_mean_kappa", report.mean_kappa),
            ("agr_f1_exact", report.exact.micro.f1),
            ("agr_f1_overlap", report.overlap.micro.f1),
        ):
            self.figures[key].setText(format_figure(value))
        _fill(
            self.pairs,
            [
                [
                    p.name,
                    format_figure(p.kappa),
                    format_figure(p.exact.micro.f1),
                    format_figure(p.overlap.micro.f1),
                ]
                for p in report.pairs
            ],
        )
        _fill(
            self.labels,
            [
                [
                    self.label_name(row.name),
                    format_figure(row.exact.f1),
                    format_figure(row.overlap.f1),
                    str(row.spans),
                ]
                for row in report.label_rows()
            ],
        )
        links = self.result.links if self.result else None
        _fill(self.links, [] if links is None else [
            [name, format_figure(exact.f1), format_figure(overlap.f1), str(n)]
            for name, exact, overlap, n in link_rows(links)
        ])  # fmt: skip
        lowest = self.result.lowest if self.result else []
        _fill(
            self.articles,
            [
                [
                    r.title,
                    format_figure(r.agreement.kappa),
                    format_figure(r.agreement.span_f1),
                    ", ".join(r.agreement.annotators),
                ]
                for r in lowest
            ],
        )
        for row, ranked in enumerate(lowest):
            cell = self.articles.item(row, 0)
            assert cell is not None  # _fill just filled every row
            cell.setData(ARTICLE_ROLE, ranked.article_id)
            cell.setToolTip(ranked.agreement.article_id)
        self.articles_box.setTitle(
            tr("agr_articles", lang, shown=len(lowest), total=len(report.by_article))
        )

    def caption_text(self, key: str) -> str:
        """The caption beside figure ``key`` (an ``agr_*`` catalogue key)."""
        return self.captions[key].text()

    def label_name(self, name: str) -> str:
        """The schema's display name in the UI language; the report's name for unknown labels."""
        return self.schema.label(name).display(self.language) if name in self.schema.names else name

    def _article_activated(self, item: QTableWidgetItem) -> None:
        cell = self.articles.item(item.row(), 0)
        article_id = cell.data(ARTICLE_ROLE) if cell is not None else None
        if article_id is not None:
            self.articleChosen.emit(int(article_id))

    # -- the picture -------------------------------------------------------------------------
    def save_chart(self, path: Path | str | None = None) -> Path | None:
        """Draw the figures with :func:`annotator.agreement.plot.plot_agreement` (asks where)."""
        if self.result is None or not self.result.report.pairs:
            return None
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self,
                tr("agr_save_chart", self.language),
                str(self.path.with_suffix(".png")),
                tr("agr_chart_filter", self.language),
            )
            if not chosen:
                return None
            path = chosen
        from annotator.agreement.plot import plot_agreement

        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            written = plot_agreement(
                self.result.report, path, language=self.language, schema=self.schema
            )
        except ImportError:
            self.message.emit(tr("agr_no_matplotlib", self.language))
            return None
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.message.emit(tr("agr_chart_saved", self.language, path=str(written)))
        return written
