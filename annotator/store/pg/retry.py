"""What a PostgreSQL failure means to a user, and the one place conflicts are retried.

Two transactions of a busy team can meet in a serialization failure (SQLSTATE 40001) or a
deadlock (40P01): the server rolled one back, and running it again is the cure. A statement
run on its own is retried here (:func:`retrying`). A conflict inside a ``with
store.transaction():`` block cannot be re-run from here (a context manager cannot repeat its
body): it is rolled back whole and raised as :class:`~annotator.errors.ProjectConflict`, and
the use case that opened the block is made again whole by :mod:`annotator.retries` (every
action that writes is one). Both go through the same helper, :func:`annotator.retries.retried`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import psycopg
from psycopg import errors as pgerrors

from annotator.errors import (
    ProjectBusy,
    ProjectConflict,
    ProjectError,
    ProjectOffline,
    ProjectReadOnly,
)
from annotator.retries import ATTEMPTS, retried

T = TypeVar("T")

RETRYABLE = frozenset({"40001", "40P01"})
"""serialization_failure, deadlock_detected: the server asks for the transaction again."""


def retryable(exc: BaseException) -> bool:
    """Whether the server rolled ``exc``'s transaction back and asks for it again."""
    return isinstance(exc, psycopg.Error) and exc.sqlstate in RETRYABLE


def retrying(run: Callable[[], T], attempts: int = ATTEMPTS) -> T:
    """``run()`` (one statement, its own transaction), run again after a 40001/40P01."""
    return retried(run, conflict=retryable, attempts=attempts)


def offline(exc: BaseException) -> bool:
    """Whether ``exc`` says the server is gone rather than what was asked of it is wrong: a
    lost or refused connection (no SQLSTATE, class 08), a shutdown or restart (57P01-57P03),
    no pooled connection in time, a connection already closed. The desk keeps the change and
    sends it again (pg-live); anything else is the change's own failure."""
    if isinstance(exc, psycopg.InterfaceError):
        return True
    if not isinstance(exc, psycopg.OperationalError) or isinstance(exc, pgerrors.LockNotAvailable):
        return False
    state = exc.sqlstate
    return state is None or state.startswith("08") or state in ("57P01", "57P02", "57P03")


def failure(where: str, exc: BaseException) -> ProjectError:
    """The one line a user reads for a server error (``where`` names the server, no password)."""
    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    if retryable(exc) or isinstance(exc, pgerrors.LockNotAvailable):
        # A conflict is made again whole by annotator.retries; a lock held past the busy
        # timeout is for the caller to wait out (the desk's write queue).
        kind = ProjectConflict if retryable(exc) else ProjectBusy
        return kind(f"{where}: another user's change conflicted with this one; "
                    "nothing was saved, try again")
    if isinstance(exc, pgerrors.ReadOnlySqlTransaction):
        return ProjectReadOnly(f"{where}: opened for reading; changes are not saved")
    if isinstance(exc, pgerrors.InsufficientPrivilege):
        return ProjectError(f"{where}: the server refused: {first}")
    if offline(exc):  # the same line as any connection failure; its kind lets the desk wait
        return ProjectOffline(f"{where}: {first}")
    if isinstance(exc, psycopg.OperationalError):
        return ProjectError(f"{where}: {first}")
    return ProjectError(f"{where}: {first}")
