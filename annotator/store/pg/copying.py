"""Every table of a server project, out and in (``annotator copy``; see ``store/copying.py``).

Rows keep their ids; what the engines name differently is translated here so both backends
dump the same tables: the search keys are ``article_search(rowid, title_key, text_key)`` as on a
file (``article_id`` here), and ``work_packages.seq`` (issue order, generated) is left out and
made again by inserting the packages in that order. The identity sequences are moved past the
copied ids, so the next span gets a new id rather than a clash.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from annotator.errors import ProjectError
from annotator.store.pg import ddl
from annotator.store.pg.claims import PgClaims

Table = tuple[str, tuple[str, ...], Iterator[tuple[Any, ...]]]
_SEARCH = "article_search"
_SEARCH_COLUMNS = ("rowid", "title_key", "text_key")
_IDENTITY = ("articles", "spans", "history", "gold_decisions", "suggestion_rejections",
             "relations", "events", "gold_link_decisions")


def _tables() -> list[str]:
    return [t for t in ddl.PROJECT_TABLES_IN_ORDER if t != ddl.LAYOUT_TABLE]


class PgCopy(PgClaims):
    """Part of :class:`annotator.store.pg.PgStore`."""

    def _columns(self, table: str) -> tuple[str, ...]:
        return tuple(r[0] for r in self._all(
            "SELECT column_name FROM information_schema.columns WHERE table_schema ="
            " current_schema() AND table_name = %s AND is_generated = 'NEVER'"
            " AND identity_generation IS DISTINCT FROM 'ALWAYS' ORDER BY ordinal_position", [table]))

    def dump_tables(self) -> Iterator[Table]:
        """Every table's rows (ids included) in an order :meth:`load_tables` can insert."""
        for name in _tables():
            if name == _SEARCH:
                rows = self._all("SELECT article_id, title_key, text_key FROM article_search"
                                 " ORDER BY article_id")
                yield name, _SEARCH_COLUMNS, iter(rows)
                continue
            columns = self._columns(name)
            order = "seq" if name == "work_packages" else ", ".join(f'"{c}"' for c in columns)
            cols = ", ".join(f'"{c}"' for c in columns)
            yield name, columns, iter(self._all(f'SELECT {cols} FROM "{name}" ORDER BY {order}'))

    def holds_project_data(self) -> bool:
        """Whether anything beyond a fresh layout is stored (articles, schemas or users)."""
        return any(self._one(f"SELECT 1 FROM {t} LIMIT 1")
                   for t in ("articles", "label_schemas", "users"))

    def load_tables(self, tables: Iterator[Table]) -> int:
        """Make this project hold exactly ``tables`` (every row of it goes first); inside
        :meth:`transaction`, so a failure leaves what was there."""
        known = _tables()
        self._send("TRUNCATE " + ", ".join(f'"{t}"' for t in known) + " RESTART IDENTITY")
        total = 0
        for name, columns, rows in tables:
            if name not in known:
                raise ProjectError(f"the source has a table {name!r} this project layout does not")
            if name == _SEARCH:
                columns = ("article_id", *columns[1:])
            cols = ", ".join(f'"{c}"' for c in columns)
            marks = ", ".join("%s" for _ in columns)
            total += self._many(f'INSERT INTO "{name}" ({cols}) VALUES ({marks})',
                                [tuple(r) for r in rows])
        for table in _IDENTITY:
            self._one(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                      f" coalesce((SELECT max(id) FROM {table}), 0) + 1, false)")
        return total
