"""One user action is one transaction, run again WHOLE when the server asks for it.

Why: a team server resolves two transactions that cross (a serialization failure, SQLSTATE
40001, or a deadlock, 40P01) by rolling one of them back and asking for it again. Repeating
only its COMMIT, or only the statement that failed, is wrong: what the action read inside the
rolled-back transaction (is this range labelled already? which step is the last to undo?) must
be read again. A ``with store.transaction():`` block cannot repeat its own body, so every use
case that writes is marked :func:`one_action` (or hands its transaction to :func:`retried` as
a callable), and the whole call is made again: its reads, its checks and its writes.

The store rolls the transaction back and raises :class:`~annotator.errors.ProjectConflict`;
only an action's outermost transaction raises it (a nested one is a savepoint, and the server's
error passes through it), so an action called inside another is repeated by the outer one,
never on its own half of a transaction. A project file never conflicts this way (SQLite has one
writer at a time: a second one waits, or is ``ProjectBusy``). After :data:`ATTEMPTS` the
conflict is the user's one line ("nothing was saved, try again"), and the desk's write queue
keeps the change and tries again later.
"""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Callable
from typing import Any, TypeVar

from annotator.errors import ProjectConflict

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])

ATTEMPTS = 5
"""How many times an action is made before its conflict is reported (waits of ~5-320 ms)."""


def conflicted(exc: BaseException) -> bool:
    """Whether ``exc`` is the server asking for a whole action again."""
    return isinstance(exc, ProjectConflict)


def backoff(attempt: int) -> float:
    """Seconds to wait before attempt ``attempt + 1``: doubling, with jitter, so two actions
    that met once do not meet again at the same instant.

    >>> 0.005 <= backoff(0) <= 0.02 and 0.04 <= backoff(3) <= 0.16
    True
    """
    return random.uniform(0.005, 0.02) * 2**attempt


def retried(body: Callable[[], T], *, conflict: Callable[[BaseException], bool] = conflicted,
            attempts: int = ATTEMPTS) -> T:
    """``body()``, made again (up to ``attempts`` times in all, with :func:`backoff`) while it
    fails with an error ``conflict`` accepts; any other error, or the last conflict, is raised.

    >>> calls = []
    >>> def flaky():
    ...     calls.append(1)
    ...     if len(calls) < 3:
    ...         raise ProjectConflict("crossed another user's change")
    ...     return len(calls)
    >>> retried(flaky)
    3
    """
    for attempt in range(attempts):
        try:
            return body()
        except Exception as exc:
            if not conflict(exc) or attempt == attempts - 1:
                raise
        time.sleep(backoff(attempt))
    raise AssertionError("unreachable")


def one_action(func: F) -> F:
    """Mark ``func`` as one user action: the whole call is made again after a conflict
    (:func:`retried`), so it must do nothing outside the project that it cannot repeat."""

    @functools.wraps(func)
    def action(*args: Any, **kwargs: Any) -> Any:
        return retried(lambda: func(*args, **kwargs))

    return action  # type: ignore[return-value]
