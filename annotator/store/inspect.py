"""Look at a project file without opening it as a project.

Why apart from :mod:`annotator.store.connection`: opening a project switches it to WAL and runs
the layout migrations. ``annotator doctor`` must report what a file *is* (its layout version)
and change nothing, so it reads the file through a read-only URI here.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path


def file_layout_version(path: Path | str) -> int | None:
    """The layout version stored in ``path`` (``PRAGMA user_version``; 0 for a SQLite file that
    is not a project), or ``None`` when SQLite cannot read the file at all.

    >>> file_layout_version("/nonexistent/news.db") is None
    True
    """
    path = Path(path)
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    except sqlite3.DatabaseError:
        return None
    finally:
        conn.close()
