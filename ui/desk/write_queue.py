"""The desk's writes meet a busy project without freezing the window or losing the action.

Why: the store waits up to 30 s for another program's write lock (right for a script). On the
UI thread that froze the desk with no word (a ``--screenshot`` run took 24 s behind a writer).
The desk's project waits only :data:`PATIENCE_S` inside SQLite; a change that meets the lock is
kept here, in order, the status bar says at once that another program is writing, and a timer
retries from the event loop (the window stays responsive). Each change is applied when the lock
frees (then the screen shows it), or after :data:`GIVE_UP_S` refused, saying so; the screen
only ever shows what was stored, so a refused change has nothing to undo there.

A project on a server adds a second reason to wait: the server is unreachable (restarting,
network down: :class:`ProjectOffline`). Then the queue never gives up by itself: the changes
stay, in order, the status bar says "offline, N unsent" (``connection``), each retry is also
the reconnection attempt, and the first one that goes through sends the rest.

A change that met a lost connection may have been stored all the same (the COMMIT arrived, its
answer did not). Each change carries an id made here, once, which the core records with it
(:meth:`annotator.editing.Editing.send`); sent again, a change whose id is stored is not made
twice, and its ``then`` receives :data:`~annotator.editing.ALREADY_STORED` instead of a result.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from annotator.errors import AnnotatorError, ProjectBusy, ProjectOffline

PATIENCE_S = 0.1  # one attempt's wait inside SQLite: short enough not to be felt
RETRY_MS = 250  # between attempts, the event loop runs (paints, keys, the close button)
GIVE_UP_S = 60.0  # then a waiting change is refused, and the status bar says so
OFFLINE_RETRY_MS = 1000  # a server away: each retry is a reconnection attempt, less often


@dataclass
class _Write:
    article_id: int
    action: Callable[[int], object]  # the core call, given the article id
    then: Callable[[object], None] | None  # its effect on screen, once stored
    since: float = field(default_factory=time.monotonic)
    client_id: str = field(default_factory=lambda: uuid.uuid4().hex)  # the same when sent again
    again: bool = False  # an attempt met a lost connection: it may be stored already


Send = Callable[[str, Callable[[], Any], bool], Any]
"""How a change is made: ``send(client_id, change, again)`` (the session's ``send``)."""


def _just_run(client_id: str, change: Callable[[], Any], again: bool) -> Any:
    return change()


class WriteQueue(QObject):
    """Runs core writes now, or in order once another program's write lock frees.

    Signals: ``waiting(n)`` when changes wait (n of them), ``applied()`` when the last waiting
    one is stored, ``refused(n)`` when n are given up, ``failed(str)`` for any other refusal
    (a span already labelled ...), as the desk reported them before.
    """

    waiting = Signal(int)
    applied = Signal()
    refused = Signal(int)
    failed = Signal(str)
    connection = Signal(str, int)  # "connected" | "offline", changes not sent yet

    def __init__(self, parent: QObject | None = None, send: Send = _just_run) -> None:
        super().__init__(parent)
        self.send = send
        self.pending: list[_Write] = []
        self.online = True  # the last attempt reached the project (a file always does)
        self._draining = False  # retry() is running a waiting change's ``then``
        self.timer = QTimer(self, singleShot=True, interval=RETRY_MS)
        self.timer.timeout.connect(self.retry)

    def run(self, article_id: int, action: Callable[[int], object],
            then: Callable[[object], None] | None = None) -> object | None:
        """``action(article_id)`` now (returning its result, after ``then``), or queued behind
        changes already waiting or a busy project (returning None)."""
        write = _Write(article_id, action, then)
        if self.pending and not self._draining:  # never overtake a change that waits
            self.pending.append(write)
            self.waiting.emit(len(self.pending))
            return None
        try:
            return self._attempt(write)
        except ProjectBusy as exc:
            # A change made by a waiting one's ``then`` (a deferred undo) goes first: its place.
            online = not isinstance(exc, ProjectOffline)
            self._wait(write, first=self._draining, online=online)
            self._reached(online)
            return None

    def _attempt(self, write: _Write) -> object | None:
        """Run one change (ProjectBusy goes to the caller); True for a result of None."""
        try:
            result = self.send(write.client_id, lambda: write.action(write.article_id), write.again)
        except ProjectOffline:
            write.again = True  # stored or not: the server's answer was lost with the connection
            raise
        except ProjectBusy:
            raise
        except AnnotatorError as exc:
            self._reached(True)
            self.failed.emit(str(exc))
            return None
        self._reached(True)
        if write.then is not None:
            write.then(result)
        return True if result is None else result

    def _wait(self, write: _Write, *, first: bool = False, online: bool = True) -> None:
        self.pending.insert(0, write) if first else self.pending.append(write)
        self.waiting.emit(len(self.pending))
        self.timer.setInterval(RETRY_MS if online else OFFLINE_RETRY_MS)
        self.timer.start()

    def retry(self) -> None:
        """Apply waiting changes in order until one still meets the lock (then wait again)."""
        while self.pending:
            head = self.pending.pop(0)  # out first: its ``then`` may write more (an undo)
            self._draining = True
            try:
                self._attempt(head)
            except ProjectBusy as exc:
                self._reached(not isinstance(exc, ProjectOffline))
                if self.online and time.monotonic() - head.since > GIVE_UP_S:
                    self.pending.insert(0, head)
                    self.give_up()
                else:
                    self._wait(head, first=True, online=self.online)
                return
            finally:
                self._draining = False
            if self.timer.isActive():  # a change its ``then`` made met the lock: wait
                return
        self.applied.emit()

    def _reached(self, online: bool) -> None:
        """Record whether the last attempt reached the project; say so when that changes (or
        while offline, as the number of unsent changes grows)."""
        if online == self.online and online:
            return
        self.online = online
        self.connection.emit("connected" if online else "offline", len(self.pending))

    def give_up(self) -> int:
        """Refuse every waiting change (nothing of them is stored or shown); how many."""
        count = len(self.pending)
        self.pending.clear()
        self.timer.stop()
        if count:
            self.refused.emit(count)
        return count
