"""Others' changes, noticed: what the review desk and ``stats --watch`` poll to stay current.

Why a watcher of its own and not a re-read every second: reading a 100,000-article project's
figures costs tens of milliseconds, asking "did anyone commit?" costs microseconds. On a project
file the question is ``PRAGMA data_version`` on a connection of its own, which SQLite changes
whenever ANY other connection (another program, or this program's store) commits to the file;
the PostgreSQL backend answers it with LISTEN/NOTIFY instead. Either way the caller polls
:meth:`FileWatcher.changed` (never blocking) from a timer, so the core holds no thread and no Qt.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from annotator.store import files


class FileWatcher:
    """Says whether a project file was committed to since the last :meth:`changed`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn = files.connect(path, "ro", 1.0)
        self._seen = self._version()

    def _version(self) -> int:
        return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def changed(self) -> bool:
        """True once per batch of commits made since the last call (by any other connection)."""
        try:
            version = self._version()
        except sqlite3.Error:  # a locked or vanished file: nothing new to report this time
            return False
        if version == self._seen:
            return False
        self._seen = version
        return True

    def close(self) -> None:
        self._conn.close()
