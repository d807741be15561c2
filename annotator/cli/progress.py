"""A progress bar for work in stages (train a fold, then the next, then score the queue...).

Why beside :func:`annotator.cli.common.progress_bar` (one description, a count): ``suggest
--train`` ran 3 min 21 s on 28 AQMAR articles with no output, and what it is doing changes
several times (cross-validation folds, the final model, scoring the queue). The core reports
``(what, done, total)``; here that becomes a rich bar on stderr when stderr is a terminal, and
nothing at all in a pipe or CI, where redraws would only be noise in a log.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from annotator.cli.common import is_terminal

Report = Callable[[str, int, int], None]
"""``report(what, done, total)``: the stage's description and how far it is."""


def _silent(what: str, done: int, total: int) -> None:
    return None


@contextmanager
def stage_progress() -> Iterator[Report]:
    """Yield ``report(what, done, total)`` drawing one bar (a no-op unless on a terminal)."""
    if not is_terminal():
        yield _silent
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    # stdout is redrawn around the bar only when it is the same terminal: into a pipe it
    # must stay data (rich would otherwise send it to the bar's console, stderr).
    with Progress(*columns, console=Console(stderr=True), transient=True,
                  redirect_stdout=sys.stdout.isatty()) as progress:
        task = progress.add_task("preparing", total=None)
        shown = ["preparing"]

        def report(what: str, done: int, total: int) -> None:
            # A new stage is drawn at once, not at the next 1/10 s tick: a short one would
            # otherwise never be seen.
            changed = what != shown[0]
            shown[0] = what
            progress.update(task, description=what, completed=done, total=total, refresh=changed)

        yield report
