"""Others' changes on the server, noticed through LISTEN/NOTIFY (see ``ddl.py``'s triggers).

Why a connection of its own: notifications arrive on the connection that LISTENs, and a pooled
connection is lent to whoever asks. :meth:`NotifyWatcher.changed` drains what arrived without
waiting (``notifies(timeout=0)``), so the desk's timer never blocks. When the server went away
(a restart) the watcher reconnects at the next poll and answers True once: changes made while
it was not listening would otherwise go unseen.
"""

from __future__ import annotations

from typing import Any

import psycopg

CHANNEL = "annotator_changes"


class NotifyWatcher:
    """Says whether anyone committed a change to people's work since the last :meth:`changed`."""

    def __init__(self, url: str, kwargs: dict[str, Any]) -> None:
        self._url, self._kwargs = url, {**kwargs, "autocommit": True}
        self._conn: psycopg.Connection[Any] | None = None
        self._listen()

    def _listen(self) -> bool:
        try:
            self._conn = psycopg.connect(self._url, **self._kwargs)
            self._conn.execute(f"LISTEN {CHANNEL}")
        except psycopg.Error:
            self._conn = None
            return False
        return True

    def changed(self) -> bool:
        """True once per batch of notifications since the last call; never blocks."""
        if self._conn is None or self._conn.closed:
            return self._listen()  # back after an outage: what happened meanwhile is unknown
        try:
            return sum(1 for _ in self._conn.notifies(timeout=0)) > 0
        except psycopg.Error:
            self._conn.close()
            self._conn = None
            return False

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
