"""File ▸ Import / Export with a cancellable progress dialog.

The work is the core's (``annotator.importing.import_documents`` runs in ONE transaction; the
export writes through an atomic temp file). Cancelling raises :class:`Cancelled` from the
progress callback, so the transaction rolls back / the temp file is dropped: cancelling leaves
the project and the destination exactly as they were.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QProgressDialog, QWidget

from annotator.errors import AnnotatorError, Cancelled
from ui import i18n

if TYPE_CHECKING:
    from ui.desk.window import DeskWindow

T = TypeVar("T")


def run_with_progress(parent: QWidget | None, label: str, cancel: str, total: int,
                      job: Callable[[Callable[[int], None]], T]) -> T:
    """Run ``job(progress)`` with a modal progress dialog; raises :class:`Cancelled` on cancel.

    ``progress(n)`` reports ``n`` of ``total`` items done and keeps the window responsive.
    """
    dialog = QProgressDialog(label, cancel, 0, max(total, 0), parent)
    dialog.setObjectName("progressDialog")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)

    def progress(done: int) -> None:
        dialog.setValue(min(done, total) if total else 0)
        QApplication.processEvents()
        if dialog.wasCanceled():
            raise Cancelled

    try:
        return job(progress)
    finally:
        dialog.close()
        dialog.deleteLater()


def import_filter(language: str) -> str:
    """The Import dialog's file filter: every ending the format registry imports."""
    from annotator.formats.registry import file_patterns  # noqa: PLC0415

    return i18n.tr("import_filter", language, patterns=file_patterns())


def _read_documents(paths: list[Path]):  # noqa: ANN202
    """Documents of the chosen files, through the core's readers (format sniffed per file);
    read again if the import is made again after a server conflict."""
    from annotator.reading import PathDocuments, ReadOptions  # noqa: PLC0415

    return PathDocuments(paths, ReadOptions())


def import_dialog(window: DeskWindow) -> int | None:
    """Ask for files and import them; returns the number of new articles (None if cancelled)."""
    lang = window.language
    names, _ = QFileDialog.getOpenFileNames(window, i18n.tr("act_import", lang).replace("&", ""),
                                            "", import_filter(lang))
    if not names:
        return None
    return import_files(window, [Path(n) for n in names])


def import_files(window: DeskWindow, paths: list[Path]) -> int | None:
    from annotator.importing import import_documents  # noqa: PLC0415

    lang = window.language
    report = _run_reported(
        window, "progress_import", 0,
        lambda progress: import_documents(window.project, _read_documents(paths), progress=progress,
                                          session=window.session),
    )
    if report is None:
        return None
    window.queue.model.refresh()
    window.statusBar().showMessage(i18n.tr("import_done", lang, count=report.articles_added))
    return report.articles_added


def export_dialog(window: DeskWindow) -> int | None:
    """Ask for a destination and export this project through the core's exporter."""
    lang = window.language
    name, _ = QFileDialog.getSaveFileName(window, i18n.tr("act_export", lang).replace("&", ""),
                                          "exports/news.jsonl", i18n.tr("export_filter", lang))
    if not name:
        return None
    return export_file(window, Path(name))


def export_options(path: Path, session=None):  # noqa: ANN001, ANN201 (ExportOptions)
    """Format from the chosen suffix: ``.conll`` is CoNLL (IOB2), anything else native JSONL.

    Every layer for a session that reads them all; else (an annotator in a blind project) the
    user's own layer, which is all the session's gate lets them export.
    """
    from annotator.exporting import ExportOptions  # noqa: PLC0415

    source = "all" if session is None or session.sees_all() else session.user
    # The desk's export saves the work as it stands, unfinished included; a training set with
    # only finished human work is the CLI's default (annotator export).
    return ExportOptions(format="conll" if path.suffix == ".conll" else "jsonl", source=source,
                         include_unfinished=True)


def export_file(window: DeskWindow, path: Path) -> int | None:
    from annotator.exporting import export_project  # noqa: PLC0415 (the core's export use case)

    lang = window.language
    total = window.project.article_count()
    result = _run_reported(
        window, "progress_export", total,
        lambda progress: export_project(window.project, path, export_options(path, window.session),
                                        progress, session=window.session),
    )
    if result is None:
        return None
    count = sum(result.documents.values())
    window.statusBar().showMessage(i18n.tr("export_done", lang, count=count, path=str(path)))
    return count


def _run_reported(window: DeskWindow, title_key: str, total: int, work):  # noqa: ANN001, ANN201 (work)
    """Run ``work`` under a cancellable progress dialog; a cancel or an error is shown, not raised."""
    lang = window.language
    try:
        return run_with_progress(window, i18n.tr(title_key, lang), i18n.tr("cancel", lang), total, work)
    except Cancelled:
        window.statusBar().showMessage(i18n.tr("cancelled", lang))
    except (AnnotatorError, OSError, ImportError) as exc:
        QMessageBox.warning(window, i18n.tr("error_title", lang), str(exc))
    return None
