"""Run work just after a widget's first paint: what the desk defers off its start path.

Why: "start to first article visible" is measured up to the first paint of the article view
(``bench/bench_desk.py``), and a zero-time ``QTimer`` started while the window is being built
may run *before* that paint (Qt processes posted timers and the expose/paint of a newly shown
window in the same loop iterations). An event filter on the widget sees its first Paint event;
the callbacks are then posted with a zero-time timer, so they run once the paint has finished.
A widget that is never shown never runs them (tests that build a window without showing it
lose nothing: every deferred task is optional polish or a warm-up).

A widget that sees its own first paint (``DocumentView.firstPainted``) can call :meth:`trigger`
instead (``watch=False``): the desk's article view does, because handing its ``viewport()`` to
Python makes PySide6 6.11 convert ~60 widget enums to Python enums (~4 ms before the paint).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class AfterFirstPaint(QObject):
    """Calls ``callbacks`` in order, once, right after ``widget`` has painted for the first time."""

    def __init__(self, widget: QWidget, callbacks: list[Callable[[], object]], *,
                 watch: bool = True) -> None:
        super().__init__(widget)
        self._callbacks = list(callbacks)
        self.done = False
        if watch:
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.Paint and not self.done:
            watched.removeEventFilter(self)
            self.trigger()
        return False

    def trigger(self) -> None:
        """The widget has painted (or is painting): run the callbacks once the paint is over."""
        if not self.done:
            self.done = True
            QTimer.singleShot(0, self._run)

    def _run(self) -> None:
        for callback in self._callbacks:
            callback()
