"""Suggestions in the desk: dashed boxes around pending suggestions, keys to decide them,
and retraining on a worker thread.

Drawn distinctly from accepted spans: spans keep their background colour and a label chip, a
pending suggestion gets a DASHED BOX in its label's colour (no background; painted by
``ui/desk/span_marks.py``), so the two never look alike. (A dashed underline was tried first: in a
screenshot it read as a faint dotted line nobody noticed.)
Keys, in the document view, when the cursor is on a pending suggestion and no span is selected:
Enter or ``A`` accepts it, Backspace or ``R`` rejects it (``A``/``R`` only when the schema does not
bind them to a label); ``S`` (when no label uses it) accepts every pending suggestion of the
paragraph under the cursor and moves it to the next paragraph that has some: the annotator reads
a paragraph's boxes, rejects the wrong ones, and takes the rest with one key, as Prodigy's
ner.correct accepts a whole example (``S`` is under the left hand beside ``A``, so the right one
stays on the mouse for the misses). Shift+Enter accepts every pending suggestion of the article.
After a decision the cursor moves to the next pending suggestion of the same paragraph (the
first one left in it, if none follows), then to the next paragraph's; Space jumps to the next
pending suggestion, also from a selected span (the one just labelled). Every decision, one or
many, is one ``Session`` call and one undo step of the desk (Ctrl+Z reverts it, the suggestions
come back).

The assist learns while the user works: a name labelled or accepted is at once suggested
wherever else it occurs (:mod:`annotator.suggest.propagate`, in this article and every one opened
later in the session), and marking an article done retrains the user's model in the background
for the next article (when she has trained one: ``suggest.retrain_when_done``, on by default).

Hook: :func:`install` hands the pending suggestions to the view's :class:`ui.desk.span_marks.SpanMarks`;
nothing else in the view changes.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QKeyEvent

from annotator.errors import AnnotatorError
from annotator.model import Span
from annotator.project import Project
from annotator.text.paragraphs import paragraph_at
from ui.desk.document_view import DocumentView
from ui.desk.key_chars import key_char
from ui.desk.span_layout import SpanLayout


class _WorkerSignals(QObject):
    finished = Signal(object)  # TrainReport
    scored = Signal(int)  # articles given a queue priority
    failed = Signal(str)


class RetrainWorker(QRunnable):
    """Train on the project and refresh the suggestions of some articles, on a pool thread.

    It opens its OWN project connection (an SQLite connection belongs to its thread); the
    desk's connection sees the new model and layers once the worker's transaction commits.
    Then, having reported ``finished`` (the suggestions are ready), it stores the new model's
    uncertainty of ``user``'s not-done articles (HER queue's "most informative first" order)
    and reports ``scored``: scoring reads every such article (~250,000 characters a second
    here), which on a big project takes minutes the suggestions should not wait for.
    """

    def __init__(self, path: Path, article_ids: list[int], iterations: int = 100,
                 user: str | None = None) -> None:
        super().__init__()
        self.path, self.article_ids, self.iterations, self.user = path, article_ids, iterations, user
        self.signals = _WorkerSignals()
        self.ran_on: int | None = None  # thread id, for tests

    def run(self) -> None:
        self.ran_on = threading.get_ident()
        from annotator.suggest.active import store_uncertainty
        from annotator.suggest.crf import Options
        from annotator.suggest.pipeline import apply_suggestions, train_project

        try:
            with Project.open(self.path) as project:
                # The desk user's own session: train and suggest only from what they may read.
                session = project.session(self.user) if self.user else None
                report = train_project(project, folds=0, options=Options(max_iterations=self.iterations),
                                       session=session)
                apply_suggestions(project, self.article_ids, session=session)
                self.signals.finished.emit(report)
                # This user's queue only, from the model just trained for her (if she may read
                # all it learnt from); without a user (a script), no queue to order.
                scored = store_uncertainty(session) if session is not None else {}
        except AnnotatorError as exc:
            self.signals.failed.emit(str(exc))
            return
        self.signals.scored.emit(len(scored))


class SuggestionDesk(QObject):
    """Pending suggestions of the open article, and the user's decisions on them."""

    changed = Signal(object)  # list[Span]: the pending suggestions
    retrained = Signal(object)  # TrainReport
    rescored = Signal(int)  # the queue priorities were replaced (count of articles scored)
    message = Signal(str)

    def __init__(self, view: DocumentView, controller, session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.view, self.controller, self.session = view, controller, session
        self.layout: SpanLayout | None = None
        self.pending: list[Span] = []
        self._worker: RetrainWorker | None = None
        self._names = None  # SessionNames, made at first use: its normaliser is not on the start path
        self.propagating = True  # off: only stored suggestions are shown (the bench compares)
        controller.articleOpened.connect(lambda *_: self._opened())
        controller.spansChanged.connect(lambda *_: self._spans_changed())
        controller.stateChanged.connect(self._state_changed)
        view.installEventFilter(self)

    # -- propagation and online learning ---------------------------------------------------------
    @property
    def names(self):
        """What this user labelled this session (:class:`annotator.suggest.propagate.SessionNames`)."""
        if self._names is None:
            from annotator.suggest.propagate import SessionNames  # noqa: PLC0415 (not at start)

            self._names = SessionNames()
        return self._names

    def _opened(self) -> None:
        """A newly opened article: its spans are not new names; the session's names are matched."""
        aid = self.controller.article_id
        if aid is not None:
            self.names.known(aid, self.session.spans(aid))
            self._propagate(aid)
        self.refresh()

    def _spans_changed(self) -> None:
        """A span labelled or accepted: its name is suggested wherever else it occurs, at once."""
        aid = self.controller.article_id
        article = self.controller.article
        if aid is not None and article is not None and self.names.learn(aid, article.text, self.session.spans(aid)):
            self._propagate(aid)
        self.refresh()

    def _propagate(self, aid: int) -> None:
        if not self.propagating:
            return
        from annotator.suggest.propagate import propagate  # noqa: PLC0415 (not at start)

        try:
            propagate(self.session, aid, self.names)
        except AnnotatorError as exc:
            self.message.emit(str(exc))

    def _state_changed(self, _aid: int, state: str) -> None:
        """An article finished: retrain (in the background) once the next one is open, so it
        benefits from this one's labels. Only a model the user trained is refreshed."""
        from annotator.suggest.pipeline import retrains_when_done  # noqa: PLC0415 (not at start)

        if state == "done" and retrains_when_done(self.session):
            QTimer.singleShot(0, self.retrain)

    def jump(self) -> bool:
        """Put the cursor on the next pending suggestion (after the cursor and the one under it,
        else the first): Space skips a suggestion left for the paragraph's accept key."""
        if not self.pending:
            return False
        cp = self.view.cursor_code_point()
        under = self.current()
        nxt = next((s for s in self.pending if s.start >= cp and s is not under), self.pending[0])
        self.view.deselect_span()  # Space leaves the span just labelled for the next decision
        self.view.set_cursor_code_point(nxt.start)
        return True

    # -- state -----------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Re-read pending suggestions from the store and repaint."""
        aid = self.controller.article_id
        # Through the session's gate: only suggestion layers this user may read.
        self.pending = self.session.pending_suggestions(aid) if aid else []
        self.view.marks.set_suggestions(self.pending)
        self.layout = self.view.marks.suggestions
        self.changed.emit(list(self.pending))

    def current(self) -> Span | None:
        """The pending suggestion under the cursor (innermost), if any."""
        cp = self.view.cursor_code_point()
        for at in (cp, cp - 1):
            here = [s for s in self.pending if s.start <= at < s.end]
            if here:
                return min(here, key=lambda s: (s.end - s.start, s.start))
        return None

    # -- decisions -------------------------------------------------------------------------------
    def accept(self, suggestion: Span | None = None) -> Span | None:
        suggestion = suggestion or self.current()
        if suggestion is None:
            return None
        saved = self._decide(lambda aid: self.session.accept_suggestion(aid, suggestion), f"✓{suggestion.label}")
        self._after(suggestion)
        return saved

    def reject(self, suggestion: Span | None = None) -> bool:
        suggestion = suggestion or self.current()
        if suggestion is None:
            return False
        if self.names.unlearn(suggestion) and self.controller.article_id is not None:
            self._propagate(self.controller.article_id)  # its other occurrences go too
        done = self._decide(lambda aid: self.session.reject_suggestion(aid, suggestion) or True,
                            f"✗{suggestion.label}")
        self._after(suggestion)
        return bool(done)

    def accept_paragraph(self) -> list[Span]:
        """Accept the pending suggestions of the cursor's paragraph (one undo step), then put the
        cursor on the next paragraph's first pending suggestion (wrapping to the article's first)."""
        article = self.controller.article
        if article is None:
            return []
        cp = self.view.cursor_code_point()
        start, end = paragraph_at(article.text, cp)
        here = [s for s in self.pending if start <= s.start < end]
        if not here:
            return []
        saved = self._decide(lambda aid: self.session.accept_paragraph_suggestions(aid, cp),
                             f"✓¶×{len(here)}") or []
        nxt = next((s for s in self.pending if s.start >= end), None) or next(iter(self.pending), None)
        if nxt is not None:
            self.view.set_cursor_code_point(nxt.start)
        return saved

    def accept_all(self) -> list[Span]:
        if not self.pending:
            return []
        pending = list(self.pending)
        return self._decide(lambda aid: self.session.accept_all_suggestions(aid, pending),
                            f"✓×{len(pending)}") or []

    def _decide(self, action, undo_text: str):
        # Through the controller's writes: behind another program's write it waits (and the
        # status bar says so) instead of failing. The desk's undo stack mirrors the core
        # history: once stored, push one step and re-read the spans.
        return self.controller.write(action, lambda _: self.controller.record_core_change(undo_text))

    def _after(self, decided: Span) -> None:
        """The cursor to the next pending suggestion: in the decided one's paragraph first (so
        the paragraph's accept key, pressed next, still means that paragraph), then after it."""
        article = self.controller.article
        start, end = paragraph_at(article.text, decided.start) if article is not None else (0, 0)
        here = [s for s in self.pending if start <= s.start < end]
        after = [s for s in self.pending if s.start >= decided.end]
        nxt = next((s for s in here if s.start >= decided.end), None) or next(iter(here), None) or (
            next(iter(after), None) or next(iter(self.pending), None))
        if nxt is not None:
            self.view.set_cursor_code_point(nxt.start)

    # -- keys ------------------------------------------------------------------------------------
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.view and event.type() == QEvent.Type.KeyPress:
            return self._key(event)  # type: ignore[arg-type]
        return False

    def _key(self, event: QKeyEvent) -> bool:
        key, mods = event.key(), event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        enter = key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and mods == Qt.KeyboardModifier.ShiftModifier:
            return bool(self.accept_all()) or bool(self.pending)
        if mods != Qt.KeyboardModifier.NoModifier:
            return False
        linking = self.view.linker is not None and self.view.linker.active
        if key == Qt.Key.Key_Space and not linking:  # the span just labelled may stay selected
            return self.jump()
        if self.view.selected_span is not None:  # its keys: relabel, Delete, link keys
            return False
        letter = key_char(event)  # the Arabic layout's «س» is the S key
        free = letter in ("a", "r", "s") and self.view.schema.by_key(letter) is None
        if free and letter == "s":
            return bool(self.accept_paragraph())
        if self.current() is None:
            return False
        if enter or (free and letter == "a"):
            self.accept()
            return True
        if key == Qt.Key.Key_Backspace or (free and letter == "r"):
            self.reject()
            return True
        return False

    # -- retraining ------------------------------------------------------------------------------
    def retrain(self, iterations: int = 100) -> RetrainWorker | None:
        """Train and refresh this article's suggestions on the global thread pool (None on a
        read-only project: its stored suggestions are shown, no new ones can be stored)."""
        aid = self.controller.article_id
        project = self.session.project
        if project.read_only:  # training stores a model and suggestion layers: nothing to do
            return None
        worker = RetrainWorker(project.path, [aid] if aid else [], iterations, self.session.user)
        worker.signals.finished.connect(self._retrained)
        worker.signals.scored.connect(self.rescored.emit)
        worker.signals.failed.connect(self.message.emit)
        self._worker = worker  # keep the signals object alive until it reports
        QThreadPool.globalInstance().start(worker)
        return worker

    def _retrained(self, report) -> None:
        self.refresh()
        self.retrained.emit(report)


def install(window) -> SuggestionDesk:
    """Attach suggestions to a desk window (its view, controller and session); once per window."""
    if getattr(window, "suggestions", None) is not None:
        return window.suggestions
    desk = SuggestionDesk(window.view, window.controller, window.session, window)
    desk.message.connect(window.show_status)
    # New scores: a queue sorted by them is re-read (in id order nothing moved).
    desk.rescored.connect(
        lambda _count: window.queue.reload() if window.queue.model.order == "uncertainty" else None)
    window.suggestions = desk
    desk.refresh()
    return desk
