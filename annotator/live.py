"""Others' progress, live: the one interface the review desk and ``stats --watch`` poll.

Why polling a watcher and not a callback thread: the core holds no thread and no Qt. The desk
polls :meth:`ProgressWatch.changed` from a ``QTimer`` (microseconds when nothing happened), the
CLI from a loop; only when it says True do they re-read figures (tens of milliseconds on a big
project). Underneath, a project file answers through ``PRAGMA data_version`` and a server
project through LISTEN/NOTIFY (``annotator/store/``), so "within seconds" is the poll interval.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from annotator.project import Project

POLL_S = 1.0  # the desk's interval: others' progress shows within about a second


class ProgressWatch:
    """Tells, without blocking, whether anyone else committed to ``project`` since last asked."""

    def __init__(self, project: Project) -> None:
        self._watcher = project.store.watch_changes()

    def changed(self) -> bool:
        """True at most once per batch of others' commits since the previous call."""
        return self._watcher.changed()

    def close(self) -> None:
        self._watcher.close()

    def __enter__(self) -> ProgressWatch:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def watch(
    project: Project, every_s: float, show: Callable[[], None], *, rounds: int | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Call ``show()`` now and again after each poll (every ``every_s`` seconds) that saw a
    change, until interrupted (or ``rounds`` polls, for tests); returns how many times shown."""
    shown = 0
    with ProgressWatch(project) as progress:
        show()
        shown += 1
        polls = 0
        while rounds is None or polls < rounds:
            sleep(every_s)
            polls += 1
            if progress.changed():
                show()
                shown += 1
    return shown
