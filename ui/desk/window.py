"""The desk window: composes the panels and wires their signals; holds no logic of its own.

Layout (mirrored when the UI language is Arabic): article queue | palette over the article
text | tabs with the span list and the guidelines.

Start-up order (``bench/bench_desk.py`` times start to the article view's first paint): the
window builds the article view, the menus and the controller, opens the article, and paints;
the side panels (queue, palette, span list, guidelines, status bar) are built right after that
paint by :meth:`DeskWindow.ensure_panels`, into splitter slots already sized for them, so the
article does not reflow when they appear. A window that is never shown (tests) builds them on
first access of ``queue``, ``span_panel``, ``palette``, ``guidelines`` or ``tabs``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QMainWindow, QSplitter, QVBoxLayout, QWidget

from ui import i18n
from ui.desk import connection
from ui.desk.actions import DeskActions
from ui.desk.controller import DeskController
from ui.desk.document_view import DocumentView
from ui.desk.first_paint import AfterFirstPaint
from ui.desk.labelling import Labeller
from ui.fonts import missing_families
from ui.named import named

if TYPE_CHECKING:
    from pathlib import Path

    from PySide6.QtGui import QCloseEvent, QResizeEvent

    from annotator.model import Span
    from annotator.project import Project, Session
    from ui.desk.side_panels import SidePanels

POSITION_SAVE_MS = 300  # debounce of cursor-position saves (each save is one transaction)
TEXT_COLUMN_EM = 95  # widest text line, in average characters (Arabic news: ~12-15 words)


def text_column_width(view: QWidget) -> int:
    """The article view's widest useful width in pixels (its font's average character)."""
    return view.fontMetrics().averageCharWidth() * TEXT_COLUMN_EM + 40


def _warm_up_tokenizer() -> None:
    import annotator.text.tokenize  # noqa: F401, PLC0415 (see DeskWindow.__init__)


class ProportionalSplitter(QSplitter):
    """A splitter whose columns keep their proportions when the window is resized.

    QSplitter gives a shrinking window's loss to the column with the most stretch, whatever
    the others' sizes: shrunk from 1360 to 800 px under X11, the desk kept both 330 px side
    panels and left the article 135 px. Here every column keeps its share (and the user's
    own dragging of the handles sets those shares).
    """

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        before = self.sizes()
        super().resizeEvent(event)
        total, after = sum(before), sum(self.sizes())
        if event.oldSize().width() > 0 and total > 0 and after != total:
            self.setSizes([round(size * after / total) for size in before])


class DeskWindow(QMainWindow):
    def __init__(self, project: Project, session: Session, language: str | None = None) -> None:
        super().__init__()
        self.setObjectName("deskWindow")
        self.project, self.session = project, session
        self.schema = project.schema
        self.language = language or self.schema.language
        self.controller = DeskController(session, self)
        self.view = DocumentView(self.schema, self.language)
        self._panels: SidePanels | None = None  # built after the first paint (ensure_panels)
        self.labeller = Labeller(self.view, self.controller, lambda: self.language, self.confirm)
        # Not self.actions: that is QWidget.actions(), the widget's own QAction list.
        self.desk_actions = DeskActions(self)
        self._position_timer = QTimer(self, singleShot=True, interval=POSITION_SAVE_MS)
        self._close_asked = False  # a close refused once while changes wait (closeEvent)
        self._compose()
        self._wire()
        from ui.desk.link_desk import install as install_links  # noqa: PLC0415

        self.links = install_links(self)  # relations and events (ui/desk/link_desk.py)
        self.set_language(self.language)
        # Not needed for the first visible article, so done just after the article view's first
        # paint (bench/bench_desk.py measures start to that paint): listing all font families
        # loads the whole font database; the tokenizer (used when a selection snaps to tokens)
        # compiles its patterns on import.
        # The view reports its viewport's first paint itself: asking for ``viewport()`` here
        # would cost ~4 ms of PySide6 enum conversion before that paint (ui/desk/first_paint.py).
        self._after_first_paint = AfterFirstPaint(
            self.view,
            [self.ensure_panels, self._warn_missing_fonts, _warm_up_tokenizer,
             self.install_suggestions, self._check_integrity, self._offer_label_names],
            watch=False,
        )
        self.view.firstPainted.connect(self._after_first_paint.trigger)

    # -- side panels (built after the first paint) --------------------------------------------
    def ensure_panels(self) -> SidePanels:
        """Build the side panels once, put them in their slots and show the current state."""
        if self._panels is None:
            from ui.desk.side_panels import SidePanels  # noqa: PLC0415 (not before the first paint)

            self._panels = SidePanels(self)
            self._apply_qt_language()
        return self._panels

    @property
    def queue(self):  # noqa: ANN201 (ArticleQueuePanel, imported lazily)
        return self.ensure_panels().queue

    @property
    def span_panel(self):  # noqa: ANN201 (SpanPanel)
        return self.ensure_panels().span_panel

    @property
    def palette(self):  # noqa: ANN201 (LabelPalette)
        return self.ensure_panels().palette

    @property
    def guidelines(self):  # noqa: ANN201 (GuidelinesPanel)
        return self.ensure_panels().guidelines

    @property
    def tabs(self):  # noqa: ANN201 (QTabWidget)
        return self.ensure_panels().tabs

    def show_status(self, text: str, timeout_ms: int = 0) -> None:
        """A status message laid out in its own direction (see :func:`ui.i18n.paragraph`)."""
        self.statusBar().showMessage(i18n.paragraph(text), timeout_ms)

    def _warn_missing_fonts(self) -> None:
        missing = missing_families()
        if missing:
            self.show_status(
                i18n.tr("status_fonts_missing", self.language, families=", ".join(missing))
            )

    def _compose(self) -> None:
        """The article view in the middle, empty slots (sized) where the side panels go."""
        self.centre = QWidget()
        self.centre_box = QVBoxLayout(self.centre)
        self.centre_box.setContentsMargins(0, 0, 0, 0)
        # A readable line length on a wide screen: the text column stops growing at
        # TEXT_COLUMN_EM average characters and stays centred (the side panels keep theirs).
        row = QHBoxLayout()
        row.addStretch(0)
        row.addWidget(self.view, 1)
        row.addStretch(0)
        self.view.setMaximumWidth(text_column_width(self.view))
        self.centre_box.addLayout(row)
        self.splitter = named(ProportionalSplitter(Qt.Orientation.Horizontal), "deskSplitter")
        self.splitter.setChildrenCollapsible(False)
        for widget in (QWidget(), self.centre, QWidget()):
            self.splitter.addWidget(widget)
        # The first layout (window sized before it is shown) shares by stretch: twice as much
        # to the text as to each side; later resizes keep the proportions (ProportionalSplitter).
        for index, stretch in ((0, 1), (1, 2), (2, 1)):
            self.splitter.setStretchFactor(index, stretch)
        self.splitter.setSizes([330, 700, 330])
        holder = named(QWidget(), "deskCentral")
        box = QVBoxLayout(holder)
        box.setContentsMargins(6, 4, 6, 0)  # nothing touches (or is cut by) the window's edge
        box.addWidget(self.splitter)
        self.setCentralWidget(holder)
        self.resize(1360, 820)

    def _wire(self) -> None:
        c, view = self.controller, self.view
        c.articleOpened.connect(self._article_opened)
        c.spansChanged.connect(self._spans_changed)
        c.stateChanged.connect(self._state_changed)
        c.historyChanged.connect(self._update_history_actions)
        c.message.connect(self.show_status)
        # Offline (a server project), the connection label says it; busy, the status bar.
        c.writes.waiting.connect(
            lambda n: c.writes.online and self._say("status_busy_waiting", 0, count=n))
        self.connection = connection.attach(self, server=self.project.on_server)
        c.writes.applied.connect(lambda: self._say("status_busy_saved"))
        c.writes.refused.connect(lambda n: self._say("status_busy_refused", 0, count=n))
        self.labeller.status.connect(self.show_status)
        view.cursorPositionChanged.connect(self._position_timer.start)
        self._position_timer.timeout.connect(self.save_position)
        self.desk_actions["snap"].setChecked(self.labeller.snap)
        self.desk_actions["snap"].toggled.connect(lambda on: setattr(self.labeller, "snap", on))
        self.desk_actions.language_group.triggered.connect(lambda a: self.set_language(a.data()))
        self.desk_actions.connect({
            "import": self._import_dialog,
            "export": self._export_dialog,
            "quit": self.close,
            "undo": lambda: c.undo() or self._say("status_undo_empty"),
            "redo": lambda: c.redo() or self._say("status_redo_empty"),
            "delete_span": self.labeller.delete_selected,
            "label_all": self.labeller.label_all_matches,
            "done_next": self.done_and_next,
            "next": lambda: self.step_article(+1),
            "prev": lambda: self.step_article(-1),
            "find": self._focus_search,
            "focus_text": self.view.setFocus,
            "shortcuts": self._show_shortcuts,
            "retrain": self._retrain,
        })

    def _offer_label_names(self) -> None:
        from ui.desk.label_names import offer  # noqa: PLC0415 (rarely needed: not at start)

        self.label_names = offer(self)

    def reload_schema(self) -> None:
        """Show a new schema version (new display names) in every panel."""
        self.schema = self.project.schema
        self.view.schema = self.schema
        if self._panels is not None:
            self._panels.set_schema(self.schema)
        self.set_language(self.language)
        self.view.viewport().update()

    def _check_integrity(self) -> None:
        """Quick-check the project file off the UI thread; say so if it is damaged."""
        if self.project.on_server:  # no file: the server keeps its own data safe
            return
        from ui.integrity import check_in_background  # noqa: PLC0415 (not on the start path)

        self._integrity_job = check_in_background(self.project.path, self._report_damage)

    def _report_damage(self, problems: list[str], backup: Path | None) -> None:
        """A modal warning: damage found after opening must not scroll by in the status bar."""
        from PySide6.QtWidgets import QMessageBox  # noqa: PLC0415

        key = "integrity_damaged_backup" if backup else "integrity_damaged"
        message = i18n.tr(key, self.language, problem=problems[0], path=str(self.project.path),
                          backup=str(backup))
        # Qt's static box: its OK button is translated by Qt's own strings (ui/i18n_qt.py).
        QMessageBox.warning(self, i18n.tr("integrity_title", self.language), message)

    def install_suggestions(self):
        """Model suggestions (dashed outlines, accept/reject keys) — after the first paint."""
        from ui.desk.suggestions import install  # noqa: PLC0415 (not on the start path)

        return install(self)

    def _retrain(self) -> None:
        started = self.install_suggestions().retrain()
        self._say("status_retraining" if started else "status_retrain_read_only")

    def _import_dialog(self) -> None:
        from ui.desk.io_dialogs import import_dialog  # noqa: PLC0415 (file dialogs: not at start)

        import_dialog(self)

    def _export_dialog(self) -> None:
        from ui.desk.io_dialogs import export_dialog  # noqa: PLC0415 (file dialogs: not at start)

        export_dialog(self)

    # -- language ----------------------------------------------------------------------------------
    def set_language(self, language: str) -> None:
        """Switch UI strings and mirror the whole layout for Arabic (the text stays RTL)."""
        self.language = language
        self.setLayoutDirection(
            Qt.LayoutDirection.RightToLeft if language == "ar" else Qt.LayoutDirection.LeftToRight
        )
        if self._panels is not None:  # else ensure_panels does it (Qt's strings: not at start)
            self._apply_qt_language()
        self.desk_actions.retranslate(language)
        if hasattr(self, "links"):
            from ui.desk.link_desk import retranslate as retranslate_links  # noqa: PLC0415

            retranslate_links(self, language)
        self.view.language = language
        if self._panels is not None:
            self._panels.retranslate(language)
        self._update_title()

    def _apply_qt_language(self) -> None:
        """Dialogs (top-level windows) mirror and Qt's own strings follow the interface."""
        from ui.i18n_qt import apply_language  # noqa: PLC0415

        apply_language(self.language)

    def _say(self, key: str, timeout_ms: int = 4000, **values: object) -> bool:
        """Show status ``key``; False, so ``c.undo() or self._say(...)`` reads "or else say"."""
        self.show_status(i18n.tr(key, self.language, **values), timeout_ms)
        return False

    def confirm(self, title: str, question: str) -> bool:
        """A yes/no question in the interface language, its buttons too (was English Yes/No)."""
        from ui.i18n_qt import ask  # noqa: PLC0415 (QMessageBox: ~1 ms to load, not at start)

        return ask(self, self.language, title, question)

    def _show_shortcuts(self) -> None:
        from ui.i18n_qt import tell  # noqa: PLC0415 (QMessageBox: ~1 ms to load, not at start)

        tell(self, self.language, i18n.tr("act_shortcuts", self.language).replace("&", ""),
             i18n.tr("shortcuts", self.language))

    # -- articles ----------------------------------------------------------------------------------
    def open_article(self, article_id: int, cursor: int = 0, *, save: bool = True) -> bool:
        """Show an article with the cursor at code point ``cursor``; the position is saved at
        once (one transaction) unless ``save`` is False (then the debounce timer saves it)."""
        if self.controller.article_id == article_id:
            return True
        self.save_position()
        if not self.controller.open_article(article_id):
            return False
        self.view.set_cursor_code_point(cursor)
        self.view.setFocus()
        if save:
            self.save_position()
        else:
            self._position_timer.start()
        return True

    def restore(self, article: str | int | None = None) -> None:
        """Open ``article`` (doc id or id), else the last position, else the first in the queue.

        The position is not written here but by the debounce timer, after the first paint:
        restoring the last position would rewrite what is stored, and a crash before the
        timer fires restores the same article again. The write (an fsync, and the first use
        of sqlite-utils, whose import the store defers) stays off the start path.
        """
        if article is not None:
            article_id = self._resolve(article)
            if article_id is not None and self.open_article(article_id, save=False):
                return
        last = self.controller.last_position()
        if last is not None and self.open_article(last[0], last[1], save=False):
            return
        if self._panels is None:  # the queue panel is not built yet: ask for its first row
            first = self.session.queue(limit=1, order=self.session.queue_order())
            if first:
                self.open_article(first[0].article_id, save=False)
            return
        if self.queue.model.rowCount() == 0 and self.queue.model.canFetchMore():
            self.queue.model.fetchMore()
        if self.queue.model.rowCount():
            self.open_article(self.queue.model.article_id(0), save=False)

    def _resolve(self, article: str | int) -> int | None:
        text = str(article)
        found = self.project.article_id_by_doc_id(text)
        if found is None and text.isdigit():
            found = int(text)
        return found

    def _article_opened(self, article, spans) -> None:  # noqa: ANN001
        if self._panels is not None:  # (the status bar is built with the panels)
            # What it said was about the article just left ("Added LOCATION: «…»").
            self.statusBar().clearMessage()
        self.view.show_article(article, spans)
        if self._panels is not None:  # else ensure_panels shows the article when it builds them
            self._panels.article_opened(article.id, spans)
        self._update_title()

    def _spans_changed(self, spans) -> None:  # noqa: ANN001
        if self._panels is not None:
            self._panels.spans_changed(self.controller.article_id, spans,
                                       self.view.selected_span)

    def _state_changed(self, article_id: int, state: str) -> None:
        if self._panels is not None:
            self._panels.queue.model.update_article(article_id, state=state)

    def jump_to_span(self, span: Span) -> None:
        """Select ``span`` in the text and bring it to the middle (the span table's double-click)."""
        self.view.select_span(span)
        self.view.centerCursor()
        self.view.setFocus()

    def done_and_next(self) -> None:
        nxt = self.controller.mark_done_and_next()
        self._say("status_done" if nxt is not None else "status_last")
        if nxt is not None:
            self.view.set_cursor_code_point(0)
            self.view.setFocus()
            self.save_position()

    def step_article(self, step: int) -> None:
        """Next/previous article in the queue as listed (done ones included)."""
        model = self.queue.model
        row = model.row_of(self.controller.article_id) if self.controller.article_id else None
        target = (row if row is not None else -1) + step
        while target >= model.rowCount() and model.canFetchMore():
            model.fetchMore()
        if 0 <= target < model.rowCount():
            self.open_article(model.article_id(target))

    def save_position(self) -> None:
        self._position_timer.stop()
        if self.controller.article is not None:
            self.controller.save_position(self.view.cursor_code_point())

    def _focus_search(self) -> None:
        self.queue.search.setFocus()
        self.queue.search.selectAll()

    def _update_history_actions(self) -> None:
        self.desk_actions["undo"].setEnabled(self.controller.can_undo())
        self.desk_actions["redo"].setEnabled(self.controller.can_redo())

    def _update_title(self) -> None:
        article = self.controller.article
        if article is None:
            self.setWindowTitle(i18n.tr("app_title_empty", self.language))
        else:
            title = article.title or article.doc_id
            self.setWindowTitle(i18n.tr("app_title", self.language, article=title))

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        """Never waits: changes still waiting for another program's write keep the window open
        once (the status bar says how many); a second close gives them up. The position is
        saved best effort (one short try)."""
        waiting = len(self.controller.writes.pending)
        if waiting and not self._close_asked:
            self._close_asked = True
            self._say("status_busy_close", 0, count=waiting)
            event.ignore()
            return
        self.controller.writes.give_up()
        self.save_position()
        super().closeEvent(event)
