"""The desk's one link to the core: user intent in, ``Session`` calls out, signals back.

Widgets never call the store and never own what the store owns: they render what this
controller emits and send requests to it. Every change is one core call (one transaction), so
nothing acknowledged is lost if the process dies.

Undo/redo: the truth is the core's persistent history (per user and article, it survives a
restart). The ``QUndoStack`` mirrors the actions of this run so menus can name them; when it
is empty but the core still has history (a restart), undo/redo go to the core directly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from annotator.editing import ALREADY_STORED
from annotator.errors import AnnotatorError, ProjectBusy
from annotator.model import Article, Span, sort_spans
from annotator.team import claims
from ui.desk.write_queue import PATIENCE_S, WriteQueue


class _CoreCommand(QUndoCommand):
    """An action already done in the core; undo/redo replay the core's own history."""

    def __init__(self, controller: DeskController, text: str) -> None:
        super().__init__(text)
        self._controller = controller
        self._done = True  # QUndoStack.push calls redo(): the action is already stored

    def undo(self) -> None:
        self._controller._core_history(undo=True)

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self._controller._core_history(undo=False)


class DeskController(QObject):
    """Holds the current article of one session and turns requests into core calls."""

    articleOpened = Signal(object, object)  # Article, list[Span]
    spansChanged = Signal(object)  # list[Span], text order
    stateChanged = Signal(int, str)  # article id, new state
    historyChanged = Signal()
    message = Signal(str)  # an error or notice for the status bar

    def __init__(self, session, parent: QObject | None = None) -> None:  # noqa: ANN001 (Session)
        super().__init__(parent)
        self.session = session
        self.article: Article | None = None
        self._spans: list[Span] = []
        self._state: str | None = None
        self.undo_stack = QUndoStack(self)
        # Writes wait a fraction of a second behind another program, then retry from the event
        # loop (ui/desk/write_queue.py), instead of freezing the window for up to 30 s.
        session.project.set_write_patience(PATIENCE_S)
        self.writes = WriteQueue(
            self, send=lambda client_id, change, again: session.send(client_id, change, again=again))
        self.writes.failed.connect(self.message.emit)
        self.writes.waiting.connect(lambda _: self.historyChanged.emit())  # Ctrl+Z may undo it

    # -- reading ---------------------------------------------------------------------------------
    @property
    def spans(self) -> list[Span]:
        return list(self._spans)

    @property
    def article_id(self) -> int | None:
        return self.article.id if self.article else None

    def open_article(self, article_id: int) -> bool:
        """Show an article; False (and a message) when it cannot be read."""
        try:
            article = self.session.article(article_id)
            spans = sort_spans(self.session.spans(article_id))
        except AnnotatorError as exc:
            self.message.emit(str(exc))
            return False
        self.article, self._spans = article, spans
        self._state = self.session.state(article_id)
        self.undo_stack.clear()
        self.articleOpened.emit(article, list(spans))
        self.historyChanged.emit()
        return True

    # -- labelling ---------------------------------------------------------------------------------
    def add_span(self, start: int, end: int, label: str) -> Span | None:
        """The new span, or None (refused, or waiting for another program's write)."""
        return self.write(lambda aid: self.session.add_span(aid, start, end, label),
                           lambda span: self._set_spans([*self._spans, span], f"+{label}"))

    def add_spans(self, ranges: Sequence[tuple[int, int]], label: str) -> list[Span]:
        """Several ranges as ONE undo step (label all matches)."""
        def show(added: list[Span]) -> None:
            if added:
                self._set_spans([*self._spans, *added], f"+{label} ×{len(added)}")

        return self.write(lambda aid: self.session.add_spans(aid, list(ranges), label), show) or []

    def remove_span(self, span: Span) -> bool:
        return self.write(
            lambda aid: self.session.remove_span(aid, span.id) or True,
            lambda _: self._set_spans([s for s in self._spans if s.id != span.id], f"−{span.label}"),
        ) is not None

    def relabel_span(self, span: Span, label: str, *, force: bool = False) -> Span | None:
        """``force``: the user agreed to lose the links the new label no longer allows."""
        if span.label == label:
            return span
        return self.write(
            lambda aid: (self.session.relabel_span(aid, span.id, label, force=True) if force
                         else self.session.relabel_span(aid, span.id, label)),
            lambda new: self._set_spans([new if s.id == span.id else s for s in self._spans],
                                        f"{span.label}→{label}"))

    def replace_span(self, span: Span, start: int, end: int) -> Span | None:
        """The same span with new bounds ``[start, end)`` (e.g. a clitic stripped); one undo step."""
        return self.write(
            lambda aid: self.session.replace_span(aid, span.id, start, end),
            lambda new: self._set_spans([new if s.id == span.id else s for s in self._spans],
                                        f"{span.text}→{new.text}"))

    def find_matches(self, start: int, end: int) -> list[tuple[int, int]]:
        return self._call(lambda aid: self.session.find_matches(aid, start, end)) or []

    def _call(self, action: Callable[[int], object]):  # noqa: ANN202
        """A read of the current article (a failure is a status message)."""
        if self.article is None:
            return None
        try:
            return action(self.article.id)
        except AnnotatorError as exc:
            self.message.emit(str(exc))
            return None

    def write(self, action: Callable[[int], Any], show: Callable[[Any], object]) -> Any:
        """A change of the current article: stored now (``show`` then updates the screen and
        the result is returned), or queued behind another program's write (None; ``show`` runs
        when it is stored, if its article is still the one on screen)."""
        if self.article is None:
            return None
        aid = self.article.id

        def shown(result: Any) -> None:
            if self.article_id != aid:
                return
            if result is ALREADY_STORED:  # sent again after a lost acknowledgement
                self._stored_unseen()
            else:
                show(result)

        return self.writes.run(aid, action, shown)

    def _stored_unseen(self) -> None:
        """A change stored while its answer was lost: the screen re-reads the article. The
        desk's undo stack cannot name that step, so it is emptied: undo then goes to the core's
        history directly (as after a restart), which holds every step."""
        self._spans = sort_spans(self.session.spans(self.article_id))
        self.undo_stack.clear()
        self.spansChanged.emit(list(self._spans))
        self.historyChanged.emit()
        self._refresh_state()

    def record_core_change(self, undo_text: str) -> None:
        """A panel changed this user's spans through the session (accepting suggestions,
        starting from a layer: ONE step of the core's history): re-read them and push the one
        desk undo step that mirrors it."""
        if self.article is not None:
            self._set_spans(self.session.spans(self.article.id), undo_text)

    def _set_spans(self, spans: list[Span], undo_text: str) -> None:
        self._spans = sort_spans(spans)
        self.undo_stack.push(_CoreCommand(self, undo_text))
        self.spansChanged.emit(list(self._spans))
        self.historyChanged.emit()
        self._refresh_state()

    def _refresh_state(self) -> None:
        # The core moves a new article to in_progress on its first change; mirror that.
        if self.article is not None and self._state == "new":
            state = self.session.state(self.article.id)
            if state != self._state:
                self._state = state
                self.stateChanged.emit(self.article.id, state)

    # -- undo / redo -----------------------------------------------------------------------------
    def can_undo(self) -> bool:
        """A change waiting behind another program's write can be undone too."""
        return self.article is not None and (
            bool(self.writes.pending) or self._asks(self.session.can_undo))

    def can_redo(self) -> bool:
        return self.article is not None and self._asks(self.session.can_redo)

    def _asks(self, question: Callable[[int], bool]) -> bool:
        """A yes/no read of the current article; no while the project cannot answer (a server
        away: the menus grey out rather than raise from every repaint)."""
        try:
            return self.article is not None and question(self.article.id)
        except AnnotatorError:
            return False

    def undo(self) -> bool:
        if self.writes.pending:  # after the changes that wait, in order (it may undo them)
            return self.write(lambda _: True, lambda _: self._undo_now()) is None
        return self._undo_now()

    def _undo_now(self) -> bool:
        if not self.can_undo():
            return False
        if self.undo_stack.canUndo():
            self.undo_stack.undo()
        else:
            self._core_history(undo=True)
        return True

    def redo(self) -> bool:
        if self.writes.pending:  # after the changes that wait, in order (it may redo them)
            return self.write(lambda _: True, lambda _: self._redo_now()) is None
        return self._redo_now()

    def _redo_now(self) -> bool:
        if not self.can_redo():
            return False
        if self.undo_stack.canRedo():
            self.undo_stack.redo()
        else:
            self._core_history(undo=False)
        return True

    def _core_history(self, *, undo: bool) -> None:
        def show(_: object) -> None:
            self._spans = sort_spans(self.session.spans(self.article_id))
            self.spansChanged.emit(list(self._spans))
            self.historyChanged.emit()

        self.write(lambda aid: (self.session.undo if undo else self.session.redo)(aid) or True, show)

    # -- progress ----------------------------------------------------------------------------------
    def state(self) -> str | None:
        return self._state

    def set_state(self, state: str) -> None:
        def show(_: object) -> None:
            self._state = state
            self.stateChanged.emit(self.article_id, state)

        self.write(lambda aid: self.session.set_state(aid, state) or True, show)

    def mark_done_and_next(self) -> int | None:
        """Mark the current article done and open the next unfinished one (None: queue empty)."""
        if self.article is None:
            return None
        self.set_state("done")
        nxt = self.claim_next()
        if nxt is not None:
            self.open_article(nxt)
        return nxt

    def claim_next(self) -> int | None:
        """The next article of the queue nobody else is labelling, claimed for this user
        (annotator.team.claims), in her chosen queue order ("most informative first" claims the
        top free one). Behind a busy or unreachable project, or read-only, the next one is only
        looked up (unclaimed) rather than holding the desk up."""
        after, order = self.article_id, self.session.queue_order()
        if not self.session.project.read_only and not self.writes.pending:
            try:
                return claims.claim_next(self.session, after, order)
            except ProjectBusy:
                pass
            except AnnotatorError as exc:
                self.message.emit(str(exc))
                return None
        try:
            return self.session.next_article(after, order=order)
        except AnnotatorError as exc:
            self.message.emit(str(exc))
            return None

    def save_position(self, cursor: int) -> bool:
        """Best effort, never queued: one short try (the desk's patience). Behind another
        program's write the position is not saved (a restart opens an older one) rather than
        holding up a close or a screenshot."""
        if self.article is None or self.session.project.read_only:
            return False
        try:
            self.session.save_position(self.article.id, cursor)
        except ProjectBusy:
            return False
        except AnnotatorError as exc:
            self.message.emit(str(exc))
            return False
        return True

    def last_position(self) -> tuple[int, int] | None:
        return self.session.last_position()
