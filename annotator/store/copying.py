"""Every table of a project, out and in: what ``annotator copy`` moves between backends.

Why rows and not a file copy: a project moves between a file and a server database (and back, a
server snapshot as a file), whose engines share no file format. Both keep the same tables
(:mod:`annotator.store.layout`), so a copy is every table's rows, ids included (undo history,
decisions and packages refer to them), read in creation order (a table comes after those its
foreign keys name) and written in ONE transaction of the destination. The search index is
carried as rows too (``article_search``: the article id and its two folded keys).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from annotator.errors import ProjectError

SEARCH = "article_search"
SEARCH_COLUMNS = ("rowid", "title_key", "text_key")
Table = tuple[str, tuple[str, ...], Iterator[tuple[Any, ...]]]
"""``(name, columns, rows)`` of one table."""


class CopyStore:
    """Mixed into :class:`annotator.store.Store`; uses its ``db`` connection."""

    db: Any

    def _table_names(self) -> list[str]:
        rows = self.db.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY rowid").fetchall()
        shadow = {f"{name}_" for name, sql in rows if (sql or "").upper().startswith("CREATE VIRTUAL")}
        return [name for name, _ in rows
                if not name.startswith("sqlite_") and not any(name.startswith(s) for s in shadow)]

    def dump_tables(self) -> Iterator[Table]:
        """Every table's rows (ids included) in an order :meth:`load_tables` can insert."""
        for name in self._table_names():
            if name == SEARCH:
                rows = self.db.execute(f"SELECT rowid, title_key, text_key FROM {SEARCH} ORDER BY rowid")
                yield name, SEARCH_COLUMNS, iter(rows)
                continue
            columns = tuple(r[1] for r in self.db.execute(f'PRAGMA table_info("{name}")'))
            # rowid order is insertion order: packages_issued_after reads issue order from it
            yield name, columns, iter(self.db.execute(f'SELECT * FROM "{name}" ORDER BY rowid'))

    def holds_project_data(self) -> bool:
        """Whether anything beyond a fresh layout is stored (articles, schemas or users)."""
        return any(self.db.execute(f"SELECT 1 FROM {t} LIMIT 1").fetchone()
                   for t in ("articles", "label_schemas", "users"))

    def load_tables(self, tables: Iterator[Table]) -> int:
        """Make this (fresh) project hold exactly ``tables``; returns how many rows. Call inside
        :meth:`transaction`: a failure leaves nothing of the copy."""
        known = set(self._table_names())
        self.db.execute("DELETE FROM project_meta")  # a fresh layout's own id and stamp go
        total = 0
        for name, columns, rows in tables:
            if name not in known:
                raise ProjectError(f"the source has a table {name!r} this project layout does not")
            cols = ", ".join(f'"{c}"' for c in columns)
            marks = ", ".join("?" for _ in columns)
            cursor = self.db.conn.executemany(
                f'INSERT INTO "{name}" ({cols}) VALUES ({marks})', (tuple(r) for r in rows))
            total += max(cursor.rowcount, 0)
        return total
