"""A work package read as untrusted input: read-only, its layout checked before anything else.

Why not :class:`annotator.store.Store`: a package is a file its holder edits, so everything in
it is attacker-controlled. ``Store`` opens read-write, switches the file to WAL (rewriting its
header: impossible on read-only media) and trusts the schema, so a view named ``spans`` would be
executed by merge, and a view over a recursive CTE would never end. Here:

* the file is opened through a ``file:`` URI with ``mode=ro`` (plus ``immutable=1`` when no
  journal or WAL file lies beside it, so not even a lock or a ``-shm`` file is created),
  ``trusted_schema=OFF`` and ``query_only``: nothing of the package is ever written;
* before any row is read, ``sqlite_master`` must describe exactly the tables, columns and
  indexes that :data:`MIGRATIONS` create for the package's layout version: no view, no trigger,
  nothing added or changed (compared with the same steps run on an in-memory database);
* every column read is checked for its type and size in SQL, before it becomes a Python value;
* a progress handler ends any statement after :data:`READ_DEADLINE_S` (defence in depth).

Any refusal is a :class:`ProjectError` naming the file, on one line.
"""

from __future__ import annotations

import functools
import sqlite3
import time
from pathlib import Path
from typing import Any

from annotator.errors import ProjectError
from annotator.model import PackageContents
from annotator.store.connection import lazy_database
from annotator.store.layout import LAYOUT_VERSION, MIGRATIONS

MAX_TEXT = 100_000
"""Longest label, span text, name or doc id read from a package (characters)."""
MAX_META = 16_000_000
"""Longest ``project_meta`` value (the legacy base of a big package is a few MB of JSON)."""
READ_DEADLINE_S = 60.0
MAX_ROWS = 2_000_000
"""Most rows of any table merge reads (one annotator's share: a 2,000-article package has ~10,000
spans); more is refused by a count before any row is read or the file is checked."""

# What merge reads, and what each column must hold: (allowed SQLite types, longest length).
_INT = (("integer",), None)
_COLUMNS: dict[str, dict[str, tuple[tuple[str, ...], int | None]]] = {
    "project_meta": {"key": (("text",), 200), "value": (("text",), MAX_META)},
    "label_schemas": {"version": _INT},
    "articles": {"id": _INT, "doc_id": (("text",), MAX_TEXT), "content_hash": (("text",), 64)},
    "spans": {
        "article_id": _INT,
        "start": _INT,
        "end": _INT,
        "label": (("text",), MAX_TEXT),
        "text": (("text",), MAX_TEXT),
        "annotator": (("text",), MAX_TEXT),
        "provenance": (("text", "null"), MAX_TEXT),
    },
    "article_states": {
        "article_id": _INT,
        "user": (("text",), MAX_TEXT),
        "state": (("text",), MAX_TEXT),
    },
}
_LINK_COLUMNS: dict[str, dict[str, tuple[tuple[str, ...], int | None]]] = {
    "relations": {"id": _INT, "article_id": _INT, "type": (("text",), MAX_TEXT), "head_id": _INT,
                  "tail_id": _INT, "annotator": (("text",), MAX_TEXT),
                  "provenance": (("text", "null"), MAX_TEXT)},
    "events": {"id": _INT, "article_id": _INT, "type": (("text",), MAX_TEXT), "trigger_id": _INT,
               "annotator": (("text",), MAX_TEXT), "provenance": (("text", "null"), MAX_TEXT)},
    "event_arguments": {"event_id": _INT, "role": (("text",), MAX_TEXT), "span_id": _INT},
}
"""Layout 7's links, read from packages of that layout or newer."""
LINKS_LAYOUT = 7


def _tables(version: int) -> dict[str, dict[str, tuple[tuple[str, ...], int | None]]]:
    return {**_COLUMNS, **(_LINK_COLUMNS if version >= LINKS_LAYOUT else {})}


def read_package(path: Path) -> PackageContents:
    """Open ``path`` read-only, check its layout, and read what a merge needs.

    >>> read_package(Path("/nonexistent.annot"))
    Traceback (most recent call last):
    annotator.errors.ProjectError: /nonexistent.annot: no such package
    """
    if not path.is_file():
        raise ProjectError(f"{path}: no such package")
    conn = None
    try:
        conn = _connect(path)
        return _read(conn, path)
    except sqlite3.DatabaseError as exc:
        # "interrupted": the progress handler's deadline ended a statement
        reason = f"reading took over {READ_DEADLINE_S:g} s" if "interrupted" in str(exc) else exc
        raise ProjectError(f"{path}: not a readable work package ({reason}); nothing merged") from None
    except OSError as exc:
        raise ProjectError(f"{path}: cannot read the package ({exc.strerror or exc})") from None
    finally:
        if conn is not None:
            conn.close()


def _connect(path: Path) -> sqlite3.Connection:
    """A read-only connection that creates nothing beside the package when it can.

    ``immutable=1`` reads the file as it is, without locks or a ``-shm`` file: right for a
    package nobody is writing (read-only media, a mail attachment). When a ``-wal`` or
    ``-journal`` file lies beside it, that file holds part of the package (a desk still open, or
    killed), so plain ``mode=ro`` reads through it; if that needs a ``-shm`` file the folder
    cannot take, a non-empty WAL is refused rather than silently ignored.
    """
    real = path.resolve()  # through a symlink, SQLite's -wal lies beside the file, not the link
    uri = real.as_uri()
    wal = Path(f"{real}-wal")
    if wal.exists() or Path(f"{real}-journal").exists():
        conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=5.0)
        try:
            _configured(conn).execute("SELECT count(*) FROM sqlite_master").fetchone()
            return conn
        except sqlite3.DatabaseError as exc:
            conn.close()
            if wal.exists() and wal.stat().st_size > 0:
                raise ProjectError(
                    f"{path}: {wal.name} beside it holds changes not yet in the package, and they "
                    f"cannot be read here ({exc}); copy both files to a writable folder"
                ) from None
    return _configured(sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True))


def _configured(conn: sqlite3.Connection) -> sqlite3.Connection:
    conn.execute("PRAGMA trusted_schema = OFF")
    conn.execute("PRAGMA query_only = ON")
    conn.execute("PRAGMA cell_size_check = ON")
    deadline = time.monotonic() + READ_DEADLINE_S
    conn.set_progress_handler(lambda: int(time.monotonic() > deadline), 1_000)
    return conn


def _read(conn: sqlite3.Connection, path: Path) -> PackageContents:
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version > LAYOUT_VERSION:
        raise ProjectError(
            f"{path}: made by a newer annotator (layout {version} > {LAYOUT_VERSION}); upgrade"
        )
    if version < 1:
        raise ProjectError(f"{path}: not a work package (made by 'annotator pack')")
    _check_layout(conn, path, version)
    for table in _tables(version):
        if conn.execute(f'SELECT count(*) > {MAX_ROWS} FROM "{table}"').fetchone()[0]:
            raise ProjectError(
                f"{path}: {table} holds more than {MAX_ROWS:,} rows, more than any work package;"
                " nothing merged")
    problems = [row[0] for row in conn.execute("PRAGMA quick_check")]
    if problems != ["ok"]:
        raise ProjectError(f"{path}: the package file is damaged ({problems[0]}); nothing merged")
    for table, columns in _tables(version).items():
        for column, (types, longest) in columns.items():
            _check_column(conn, path, table, column, types, longest)
    return PackageContents(
        layout_version=version,
        meta=dict(conn.execute("SELECT key, value FROM project_meta").fetchall()),
        schema_version=int(
            conn.execute("SELECT max(version) FROM label_schemas").fetchone()[0] or 0
        ),
        articles=conn.execute(
            "SELECT id, doc_id, content_hash FROM articles ORDER BY id"
        ).fetchall(),
        spans=conn.execute(
            "SELECT article_id, start, \"end\", label, text, annotator, coalesce(provenance, '')"
            " FROM spans ORDER BY id"
        ).fetchall(),
        states=conn.execute("SELECT article_id, user, state FROM article_states").fetchall(),
        span_ids=[row[0] for row in conn.execute("SELECT id FROM spans ORDER BY id")],
        **(_links(conn) if version >= LINKS_LAYOUT else {}),
    )


def _links(conn: sqlite3.Connection) -> dict[str, Any]:
    """The package's relations, events and arguments, as checked plain rows."""
    return {
        "relations": conn.execute(
            "SELECT article_id, type, head_id, tail_id, annotator, coalesce(provenance, '')"
            " FROM relations ORDER BY id").fetchall(),
        "events": conn.execute(
            "SELECT id, article_id, type, trigger_id, annotator, coalesce(provenance, '')"
            " FROM events ORDER BY id").fetchall(),
        "arguments": conn.execute(
            "SELECT event_id, role, span_id FROM event_arguments ORDER BY event_id, role, span_id"
        ).fetchall(),
    }


def _check_column(
    conn: sqlite3.Connection,
    path: Path,
    table: str,
    column: str,
    types: tuple[str, ...],
    longest: int | None,
) -> None:
    """Refuse a column holding a value of another type, or one longer than ``longest``."""
    allowed = ", ".join(f"'{t}'" for t in types)
    where = f'typeof("{column}") NOT IN ({allowed})'
    if longest is not None:
        # length() counts characters only up to a NUL (a doc id may hold one), so a NUL could
        # hide a huge value behind it: a value holding a NUL must fit in as many bytes.
        blob = f'CAST("{column}" AS BLOB)'
        where += (f' OR length("{column}") > {int(longest)}'
                  f" OR (instr({blob}, x'00') AND length({blob}) > {int(longest)})")
    if conn.execute(f'SELECT 1 FROM "{table}" WHERE {where} LIMIT 1').fetchone():
        size = f" or longer than {longest:,} characters" if longest is not None else ""
        raise ProjectError(
            f"{path}: {table}.{column} holds a value that is not {' or '.join(types)}{size}; "
            "nothing merged"
        )


# --- the layout, compared object by object ----------------------------------------------------

Layout = dict[tuple[str, str], Any]
_CODE = ("view", "trigger")
_PLANNER_STATS = ("sqlite_stat1", "sqlite_stat4")


def _check_layout(conn: sqlite3.Connection, path: Path, version: int) -> None:
    """Refuse any view, trigger, or table/column/index the layout of ``version`` does not have."""
    actual, expected = layout_of(conn), expected_layout(version)
    for name in _PLANNER_STATS:  # ANALYZE's statistics: they steer query plans, run nothing
        actual.pop(("table", name), None)
    # Views and triggers first: they are what an attack plants (a table renamed away is a symptom).
    extra = sorted(actual.keys() - expected.keys(), key=lambda k: (k[0] not in _CODE, k))
    for kind, name in extra:
        what = (
            "a view"
            if kind == "view"
            else "a trigger"
            if kind == "trigger"
            else f"an unexpected {kind}"
        )
        raise ProjectError(f"{path}: holds {what} ({name}), which no package has; nothing merged")
    for kind, name in sorted(expected.keys() - actual.keys()):
        raise ProjectError(f"{path}: has no {kind} {name}; not a work package, nothing merged")
    for key in sorted(expected):
        if actual[key] != expected[key]:
            raise ProjectError(
                f"{path}: {key[0]} {key[1]} differs from the layout of version {version}; "
                "nothing merged"
            )


def layout_of(conn: sqlite3.Connection) -> Layout:
    """``{(type, name): what defines it}``: columns for a table, keys for an index, else the SQL.

    Columns and keys come from ``pragma_table_xinfo`` / ``pragma_index_xinfo`` rather than the
    SQL text, so the same layout written by another sqlite-utils version still compares equal.
    A virtual table is compared by its SQL (asking for its columns would run its module).
    """
    out: Layout = {}
    objects = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    for kind, name, table, sql in objects:
        if kind == "table" and not (sql or "").upper().startswith("CREATE VIRTUAL TABLE"):
            out[(kind, name)] = conn.execute(
                "SELECT * FROM pragma_table_xinfo(?)", [name]
            ).fetchall()
        elif kind == "index":
            flags = conn.execute(
                'SELECT "unique", origin, partial FROM pragma_index_list(?) WHERE name = ?',
                [table, name],
            ).fetchall()
            keys = conn.execute("SELECT * FROM pragma_index_xinfo(?)", [name]).fetchall()
            out[(kind, name)] = (table, flags, keys)
        else:
            out[(kind, name)] = (table, sql)
    return out


@functools.lru_cache(maxsize=None)
def expected_layout(version: int) -> Layout:
    """The layout :data:`MIGRATIONS` make for ``version``, built in memory.

    Through the store's lazy database, which imports sqlite-utils without pandas (a second,
    not a few milliseconds, where pandas is installed).
    """
    conn = sqlite3.connect(":memory:")
    try:
        db = lazy_database(conn)
        for step in MIGRATIONS[:version]:
            step(db)
        return layout_of(conn)
    finally:
        conn.close()
