"""The project file: the only module that talks SQL (through sqlite-utils).

A project is one SQLite file in WAL mode with foreign keys on. Every user action is one
transaction (:meth:`Store.transaction`), begun IMMEDIATE so two writers queue on SQLite's lock
(with a busy timeout) instead of failing half-way through a read-then-write. The database layout
carries its own version in ``PRAGMA user_version``; :data:`MIGRATIONS` bring older files forward
and a file from a newer release is refused rather than damaged.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from annotator.errors import ProjectError
from annotator.model import Article, Span

if TYPE_CHECKING:
    import sqlite_utils

BUSY_TIMEOUT_S = 30.0


@contextmanager
def _pandas_numpy_absent() -> Iterator[None]:
    """Make ``import pandas`` / ``import numpy`` fail for the duration (unless already imported).

    Why: ``sqlite_utils.db`` imports both at module import whenever they are installed (only to
    map their scalar types to column types), which cost 0.4-0.9 s of the desk's start in a venv
    that has them (scikit-learn, datasets). We never store pandas or numpy values (every table
    is created with Python types in :data:`MIGRATIONS`), so while sqlite-utils is imported they
    are marked absent (a ``None`` entry in ``sys.modules`` makes ``import`` raise ImportError,
    which sqlite-utils catches); afterwards the entries are removed, so a later ``import numpy``
    (agreement, suggestions) works normally. Measured in ``bench/bench_desk.py``; tested in
    ``tests/core/test_store_import.py``.
    """
    blocked = [name for name in ("pandas", "numpy") if name not in sys.modules]
    for name in blocked:
        sys.modules[name] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        for name in blocked:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]


_SQLITE_UTILS_LOCK = threading.Lock()


class _LazyDatabase:
    """``sqlite_utils.Database`` over ``conn``, imported and built only when first needed.

    Why: importing sqlite-utils (with click, dateutil and pluggy) costs ~40 ms of CPU, a quarter
    of what the desk may spend before its first article is visible. Opening a project and
    reading an article need plain SQL only, which :meth:`execute` runs on the connection exactly
    as ``Database.execute`` does (it adds nothing without a tracer). Any other attribute
    (``db["table"].insert``, ``atomic``, ``table_names`` ...) builds the real ``Database`` and
    delegates to it, so the first write pays the import, after the window is on screen.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._database: Any = None
        conn.execute("PRAGMA recursive_triggers=on;")  # what Database() would set, for parity

    def execute(self, sql: str, parameters: Any = None) -> sqlite3.Cursor:
        return self.conn.execute(sql) if parameters is None else self.conn.execute(sql, parameters)

    def close(self) -> None:
        self.conn.close()

    def _real(self) -> Any:
        if self._database is None:
            # One thread at a time marks pandas/numpy absent (a worker thread may open its own
            # Store). Caveat: another thread importing pandas/numpy for the FIRST time during
            # these few ms would get ImportError; the desk and the CLI make their first write
            # on the main thread, long before any worker runs.
            with _SQLITE_UTILS_LOCK, _pandas_numpy_absent():
                import sqlite_utils

            # No sqlite-utils plugins are used; loading them would scan every installed
            # package's entry points (importlib.metadata), ~25-90 ms.
            self._database = sqlite_utils.Database(self.conn, execute_plugins=False)
        return self._database

    def __getitem__(self, name: str) -> Any:
        return self._real()[name]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real(), name)


def now() -> str:
    """Timestamps are ISO 8601 in UTC, so they sort as text and survive time zones."""
    from datetime import datetime, timezone  # only writes stamp: kept off the open path

    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def _v1(db: sqlite_utils.Database) -> None:
    db["project_meta"].create({"key": str, "value": str}, pk="key")
    db["label_schemas"].create(
        {"version": int, "json": str, "created_at": str, "note": str}, pk="version"
    )
    db["articles"].create(
        {
            "id": int, "doc_id": str, "title": str, "text": str, "meta": str,
            "content_hash": str, "source_path": str, "imported_at": str,
        },
        pk="id", not_null={"doc_id", "text", "content_hash"},
    )
    db["articles"].create_index(["doc_id"], unique=True)
    db["articles"].create_index(["content_hash"], unique=True)
    db["spans"].create(
        {
            "id": int, "article_id": int, "start": int, "end": int, "label": str, "text": str,
            "annotator": str, "provenance": str, "created_at": str, "updated_at": str,
        },
        pk="id", foreign_keys=[("article_id", "articles", "id")],
        not_null={"article_id", "start", "end", "label", "text", "annotator"},
    )
    # One annotator cannot hold the same labelled range twice: makes re-imports and merges idempotent.
    db["spans"].create_index(["article_id", "annotator", "start", "end", "label"], unique=True)
    db["spans"].create_index(["label"])
    db["spans"].create_index(["annotator"])
    db["users"].create({"name": str, "role": str, "created_at": str}, pk="name")
    db["article_states"].create(
        {"article_id": int, "user": str, "state": str, "updated_at": str},
        pk=("article_id", "user"), foreign_keys=[("article_id", "articles", "id")],
    )
    db["article_states"].create_index(["user", "state"])
    db["positions"].create(
        {"user": str, "article_id": int, "cursor": int, "updated_at": str}, pk="user"
    )
    db["history"].create(
        {"id": int, "user": str, "article_id": int, "action": str, "undone": int, "at": str},
        pk="id",
    )
    db["history"].create_index(["user", "article_id"])
    db["assignments"].create(
        {"article_id": int, "user": str, "assigned_at": str},
        pk=("article_id", "user"), foreign_keys=[("article_id", "articles", "id")],
    )
    db["assignments"].create_index(["user"])
    # Normalised keys for search (title and text folded by annotator.text.normalize), trigram-indexed
    # so a substring of an Arabic word (a stem without its clitics) is found too.
    db.execute(
        "CREATE VIRTUAL TABLE article_search USING fts5(title_key, text_key, tokenize='trigram')"
    )


def _v2(db: sqlite_utils.Database) -> None:
    # Adjudication decisions (accept / edit / reject / auto) per disagreement region of an
    # article: a rejection leaves no gold span, so the decision itself must be stored.
    db["gold_decisions"].create(
        {
            "id": int, "article_id": int, "start": int, "end": int, "decision": str,
            "detail": str, "decided_by": str, "decided_at": str,
        },
        pk="id", foreign_keys=[("article_id", "articles", "id")],
        not_null={"article_id", "start", "end", "decision", "decided_by"},
    )
    db["gold_decisions"].create_index(["article_id", "start", "end"], unique=True)


def _v3(db: sqlite_utils.Database) -> None:
    """Suggestions (annotator.suggest): remembered rejections, gazetteer names, trained models."""
    db["suggestion_rejections"].create(
        {"id": int, "article_id": int, "user": str, "start": int, "end": int, "label": str,
         "layer": str, "text": str, "at": str},
        pk="id", foreign_keys=[("article_id", "articles", "id")],
    )
    # A user rejects a (range, label) of an article once; rejecting it again is a no-op.
    db["suggestion_rejections"].create_index(
        ["article_id", "user", "start", "end", "label"], unique=True
    )
    db["gazetteer_names"].create(
        {"label": str, "name": str, "key": str, "source": str}, pk=("label", "key", "source")
    )
    db["suggestion_models"].create(
        {"name": str, "model": bytes, "info": str, "trained_at": str}, pk="name"
    )


def _v4(db: sqlite_utils.Database) -> None:
    """Active learning: the model's priority (uncertainty, nats) per article.

    Stored so the queue can sort by it in SQL: the index delivers rows in queue order (highest
    score first, then id), so a page of 100,000 articles never sorts or loads them all.
    """
    db.execute(
        "CREATE TABLE article_priority (article_id INTEGER PRIMARY KEY REFERENCES articles(id),"
        " score REAL NOT NULL, model TEXT, computed_at TEXT)"
    )
    db.execute("CREATE INDEX idx_article_priority_score ON article_priority (score DESC, article_id)")


MIGRATIONS = [_v1, _v2, _v3, _v4]
"""``MIGRATIONS[i]`` brings a database from layout version ``i`` to ``i + 1``."""
LAYOUT_VERSION = len(MIGRATIONS)


class Store:
    """An open project file. Methods return model objects, never rows."""

    def __init__(self, path: Path | str, *, create: bool = False) -> None:
        self.path = Path(path)
        if not create and not self.path.exists():
            raise ProjectError(f"{self.path}: no such project (create one with 'annotator init')")
        conn = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_S, check_same_thread=False)
        self.db = cast("sqlite_utils.Database", _LazyDatabase(conn))
        try:
            self._configure()
            self._migrate(create)
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise ProjectError(f"{self.path}: not an annotator project ({exc})") from exc

    def _configure(self) -> None:
        self.db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        self.db.execute("PRAGMA foreign_keys = ON")
        if self.db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            self.db.enable_wal()
        # WAL + NORMAL loses no committed transaction on an application crash; FULL also
        # survives power loss at a small cost per commit, which one click can afford.
        self.db.execute("PRAGMA synchronous = FULL")

    def _migrate(self, create: bool) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > LAYOUT_VERSION:
            raise ProjectError(
                f"{self.path}: made by a newer annotator (layout {version} > {LAYOUT_VERSION}); upgrade"
            )
        if version == 0 and not create and self.db.table_names():
            raise ProjectError(f"{self.path}: an SQLite file, but not an annotator project")
        with self.transaction():
            for step in MIGRATIONS[version:]:
                step(self.db)
            self.db.execute(f"PRAGMA user_version = {LAYOUT_VERSION}")
            if version == 0:
                import uuid  # only when creating a project: ~2 ms off every open (desk start)

                self.set_meta("project_id", uuid.uuid4().hex)
                self.set_meta("created_at", now())

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[Store]:
        """One all-or-nothing unit of work; nested calls join the outer transaction.

        BEGIN IMMEDIATE takes the write lock at the start, so a transaction never fails half-way
        on a lock upgrade; ``busy_timeout`` makes a second writer wait instead of failing.
        """
        conn = self.db.conn
        if conn.in_transaction:
            with self.db.atomic():
                yield self
            return
        self._begin_immediate()
        try:
            yield self
        except BaseException:
            conn.rollback()
            raise
        conn.execute("COMMIT")

    def _begin_immediate(self) -> None:
        deadline = time.monotonic() + BUSY_TIMEOUT_S
        while True:
            try:
                self.db.conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.01)

    # --- project metadata and schemas -------------------------------------------------------

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("SELECT value FROM project_meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        self.db["project_meta"].upsert({"key": key, "value": value}, pk="key")

    def latest_schema_json(self) -> tuple[int, dict[str, Any]] | None:
        row = self.db.execute(
            "SELECT version, json FROM label_schemas ORDER BY version DESC LIMIT 1"
        ).fetchone()
        return (row[0], json.loads(row[1])) if row else None

    def add_schema_version(self, data: dict[str, Any], note: str) -> int:
        latest = self.latest_schema_json()
        version = (latest[0] if latest else 0) + 1
        self.db["label_schemas"].insert(
            {"version": version, "json": json.dumps(data, ensure_ascii=False),
             "created_at": now(), "note": note}
        )
        return version

    # --- articles ----------------------------------------------------------------------------

    def article_id_by_hash(self, content_hash: str) -> int | None:
        row = self.db.execute(
            "SELECT id FROM articles WHERE content_hash = ?", [content_hash]
        ).fetchone()
        return row[0] if row else None

    def doc_id_taken(self, doc_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM articles WHERE doc_id = ?", [doc_id]).fetchone() is not None

    def insert_article(
        self, doc_id: str, title: str, text: str, meta: dict[str, Any], content_hash: str,
        source_path: str, title_key: str, text_key: str, imported_at: str | None = None,
    ) -> int:
        """``imported_at`` (default: now): an import passes one stamp for all its articles."""
        # Plain INSERTs (here and in insert_span): sqlite-utils' Table.insert costs a table
        # lookup, a SAVEPOINT and query building per row, ~2.5x the whole import at scale.
        article_id = self.db.execute(
            "INSERT INTO articles (doc_id, title, text, meta, content_hash, source_path,"
            " imported_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [doc_id, title, text, json.dumps(meta, ensure_ascii=False, default=str),
             content_hash, source_path, imported_at or now()],
        ).lastrowid
        self.db.execute(
            "INSERT INTO article_search(rowid, title_key, text_key) VALUES (?, ?, ?)",
            [article_id, title_key, text_key],
        )
        return int(article_id)

    def prepare_bulk_insert(self) -> None:
        """Let the search index gather 16 MB of trigrams in memory before it writes a segment.

        FTS5's ``hashsize`` (default 1 MB) is kept in the index's own config table; a larger one
        writes fewer, larger segments: ~15 % less indexing time in an import (5,000 articles,
        0.70 -> 0.57 s), for up to 16 MB more memory while an import runs. A single article
        (the desk) never fills 1 MB, so nothing else changes.
        """
        self.db.execute(
            "INSERT INTO article_search(article_search, rank) VALUES ('hashsize', ?)",
            [16 * 1024 * 1024],
        )

    def article(self, article_id: int) -> Article:
        row = self.db.execute(
            "SELECT id, doc_id, title, text, meta, content_hash FROM articles WHERE id = ?",
            [article_id],
        ).fetchone()
        if row is None:
            raise ProjectError(f"no article with id {article_id}")
        return _article(row)

    def article_id_by_doc_id(self, doc_id: str) -> int | None:
        row = self.db.execute("SELECT id FROM articles WHERE doc_id = ?", [doc_id]).fetchone()
        return row[0] if row else None

    def iter_articles(self, ids: Sequence[int] | None = None) -> Iterator[Article]:
        """Articles in id order, streamed (never all in memory)."""
        sql = "SELECT id, doc_id, title, text, meta, content_hash FROM articles"
        if ids is not None:
            for article_id in ids:
                yield self.article(article_id)
            return
        for row in self.db.execute(sql + " ORDER BY id"):
            yield _article(row)

    def count(self, table: str) -> int:
        return self.db[table].count

    # --- spans -------------------------------------------------------------------------------

    def insert_span(self, article_id: int, span: Span) -> Span:
        stamp = now()
        span_id = self.db.execute(
            'INSERT INTO spans (article_id, start, "end", label, text, annotator, provenance,'
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [article_id, span.start, span.end, span.label, span.text, span.annotator,
             span.provenance, stamp, stamp],
        ).lastrowid
        return Span(span.start, span.end, span.label, span.text, span.annotator, int(span_id),
                    span.provenance)

    def insert_spans(self, article_id: int, spans: Sequence[Span], stamp: str) -> int:
        """Insert the spans of one article that its layers do not hold yet; returns how many.

        For imports: one ``executemany`` per article instead of a duplicate check and an insert
        per span. The unique index (article, annotator, start, end, label) decides what is a
        duplicate, also within ``spans``. ``ON CONFLICT DO NOTHING`` skips only such duplicates
        (unlike ``OR IGNORE``, which would also drop a row breaking NOT NULL).
        """
        if not spans:
            return 0
        cursor = self.db.conn.executemany(
            'INSERT INTO spans (article_id, start, "end", label, text, annotator, provenance,'
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            [(article_id, s.start, s.end, s.label, s.text, s.annotator, s.provenance, stamp, stamp)
             for s in spans],
        )
        return int(cursor.rowcount)

    def span_exists(self, article_id: int, span: Span) -> int | None:
        row = self.db.execute(
            'SELECT id FROM spans WHERE article_id = ? AND annotator = ? AND start = ? AND "end" = ?'
            " AND label = ?",
            [article_id, span.annotator, span.start, span.end, span.label],
        ).fetchone()
        return row[0] if row else None

    def span(self, span_id: int) -> tuple[int, Span]:
        row = self.db.execute(_SPAN_SQL + " WHERE id = ?", [span_id]).fetchone()
        if row is None:
            raise ProjectError(f"no span with id {span_id}")
        return row[0], _span(row)

    def delete_span(self, span_id: int) -> None:
        self.db.execute("DELETE FROM spans WHERE id = ?", [span_id])

    def restore_span(self, article_id: int, span: Span) -> Span:
        """Re-insert a deleted span under its old id, so redo/undo chains keep referring to it."""
        stamp = now()
        self.db["spans"].insert(
            {"id": span.id, "article_id": article_id, "start": span.start, "end": span.end,
             "label": span.label, "text": span.text, "annotator": span.annotator,
             "provenance": span.provenance, "created_at": stamp, "updated_at": stamp}
        )
        return span

    def set_span_label(self, span_id: int, label: str) -> None:
        self.db.execute(
            "UPDATE spans SET label = ?, updated_at = ? WHERE id = ?", [label, now(), span_id]
        )

    def spans(self, article_id: int, annotators: Iterable[str] | None = None) -> list[Span]:
        """Spans of one article in text order, optionally only some layers."""
        sql, args = _SPAN_SQL + " WHERE article_id = ?", [article_id]
        if annotators is not None:
            names = list(annotators)
            sql += f" AND annotator IN ({','.join('?' * len(names))})"
            args += names
        rows = self.db.execute(sql + ' ORDER BY start, "end" DESC, label, annotator', args)
        return [_span(row) for row in rows]

    def articles_of_layer(self, layer: str) -> list[int]:
        """Articles a layer worked on: it has spans there, or its user marked the article."""
        rows = self.db.execute(
            "SELECT article_id FROM spans WHERE annotator = ?"
            " UNION SELECT article_id FROM article_states WHERE user = ? AND state != 'new'"
            " ORDER BY 1",
            [layer, layer],
        )
        return [r[0] for r in rows]

    def annotators(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT DISTINCT annotator FROM spans ORDER BY 1")]

    def label_counts(self) -> dict[str, int]:
        return dict(self.db.execute("SELECT label, count(*) FROM spans GROUP BY label").fetchall())

    def span_counts_by(self, column: str) -> list[tuple[Any, ...]]:
        """Counts of spans grouped by ``column`` and label (``column`` is 'annotator')."""
        assert column in {"annotator"}
        return self.db.execute(
            f"SELECT {column}, label, count(*) FROM spans GROUP BY 1, 2 ORDER BY 1, 2"
        ).fetchall()

    def rename_label(self, old: str, new: str) -> int:
        cursor = self.db.execute("UPDATE spans SET label = ? WHERE label = ?", [new, old])
        return cursor.rowcount

    # --- per-user state ----------------------------------------------------------------------

    def set_state(self, article_id: int, user: str, state: str) -> None:
        self.db["article_states"].upsert(
            {"article_id": article_id, "user": user, "state": state, "updated_at": now()},
            pk=("article_id", "user"),
        )

    def state_counts(self) -> dict[str, int]:
        return dict(
            self.db.execute(
                "SELECT state, count(DISTINCT article_id) FROM article_states GROUP BY state"
            ).fetchall()
        )

    def state(self, article_id: int, user: str) -> str | None:
        row = self.db.execute(
            "SELECT state FROM article_states WHERE article_id = ? AND user = ?", [article_id, user]
        ).fetchone()
        return row[0] if row else None

    def _queue_where(
        self, user: str, state: str | None, search: str | None, label: str | None,
        ids: str = "a.id",
    ) -> tuple[str, list[Any]]:
        """WHERE clause of a user's queue: their assignments (all articles if they have none).

        ``ids`` is the column holding the article id (``p.article_id`` when the query reads
        ``article_priority`` without joining ``articles``); ``st`` must be the state join.
        """
        clauses, args = [], []
        if self.db.execute("SELECT 1 FROM assignments WHERE user = ? LIMIT 1", [user]).fetchone():
            clauses.append(f"{ids} IN (SELECT article_id FROM assignments WHERE user = ?)")
            args.append(user)
        if state:
            clauses.append("COALESCE(st.state, 'new') = ?")
            args.append(state)
        if search:
            if len(search) >= 3:
                # Trigram MATCH on the folded keys: a quoted phrase is a substring search.
                clauses.append(f"{ids} IN (SELECT rowid FROM article_search WHERE article_search MATCH ?)")
                args.append('"' + search.replace('"', '""') + '"')
            else:
                title = "a.title" if ids == "a.id" else f"(SELECT title FROM articles WHERE id = {ids})"
                clauses.append(f"{title} LIKE ?")
                args.append(f"%{search}%")
        if label:
            clauses.append(
                f"EXISTS (SELECT 1 FROM spans sp WHERE sp.article_id = {ids} AND sp.label = ?"
                " AND sp.annotator = ?)"
            )
            args += [label, user]
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", args

    def queue(
        self, user: str, *, state: str | None, search: str | None, label: str | None,
        offset: int, limit: int, order: str = "id",
    ) -> list[tuple[int, str, str, str, int]]:
        """A page of a user's queue, with their state and span count per article.

        ``order="id"``: by article id. ``order="uncertainty"``: articles with a stored priority
        (:meth:`replace_priorities`), highest score first, ties by id; then the unscored ones by
        id. Done articles keep their place (the state filter hides them).

        Why two parts: one ORDER BY over articles LEFT JOIN priorities sorts the whole queue in
        a temp B-tree (40-130 ms per page at 100,000 articles). Here the scored page's ids are
        read in ``idx_article_priority_score`` order without touching ``articles`` (a deep page
        skips 66,000 rows in ~5 ms), then its 200 rows are joined; the scored part is counted
        only when a page starts past its end, and the unscored part is read in rowid order.
        """
        if order == "id":
            where, args = self._queue_where(user, state, search, label)
            sql = _QUEUE_ROW + _FROM_ARTICLES + where + " ORDER BY a.id LIMIT ? OFFSET ?"
            return [tuple(r) for r in self.db.execute(sql, [user, user, *args, limit, offset])]
        _check_order(order)
        where, args = self._queue_where(user, state, search, label, ids="p.article_id")
        ids = "SELECT p.article_id, p.score" + _FROM_PRIORITY + where + _BY_SCORE + " LIMIT ? OFFSET ?"
        sql = _QUEUE_ROW + f" FROM ({ids}) p JOIN articles a ON a.id = p.article_id" + _STATE_JOIN + _BY_SCORE
        rows = [tuple(r) for r in self.db.execute(sql, [user, user, *args, limit, offset, user])]
        if len(rows) == limit:
            return rows
        skip = 0  # the page ends the scored part: the unscored part starts at its beginning
        if not rows:  # the page starts past the scored part
            sql = "SELECT count(*)" + _FROM_PRIORITY + where
            skip = max(offset - int(self.db.execute(sql, [user, *args]).fetchone()[0]), 0)
        where, args = self._queue_where(user, state, search, label)
        sql = _QUEUE_ROW + _FROM_ARTICLES + _and(where, _UNSCORED) + " ORDER BY a.id LIMIT ? OFFSET ?"
        rest = self.db.execute(sql, [user, user, *args, limit - len(rows), skip])
        return rows + [tuple(r) for r in rest]

    def queue_count(
        self, user: str, *, state: str | None, search: str | None, label: str | None
    ) -> int:
        where, args = self._queue_where(user, state, search, label)
        sql = (
            "SELECT count(*) FROM articles a"
            " LEFT JOIN article_states st ON st.article_id = a.id AND st.user = ?" + where
        )
        return int(self.db.execute(sql, [user, *args]).fetchone()[0])

    def next_article(self, user: str, after_id: int, order: str = "id") -> int | None:
        """The article to open after ``after_id``: in id order, the first one after it in the
        user's queue that is not done (wrapping); in uncertainty order, the first not-done one
        of the queue (the most informative) other than ``after_id``."""
        not_done = "COALESCE(st.state, 'new') != 'done'"
        if order != "id":
            _check_order(order)
            where, args = self._queue_where(user, None, None, None, ids="p.article_id")
            sql = "SELECT p.article_id" + _FROM_PRIORITY + _and(where, not_done) + " AND p.article_id != ?"
            row = self.db.execute(sql + _BY_SCORE + " LIMIT 1", [user, *args, after_id]).fetchone()
            if row:
                return int(row[0])
        where, args = self._queue_where(user, None, None, None)
        where = _and(where, not_done)
        if order != "id":
            sql = "SELECT a.id" + _FROM_ARTICLES + _and(where, _UNSCORED) + " AND a.id != ? ORDER BY a.id"
            row = self.db.execute(sql + " LIMIT 1", [user, *args, after_id]).fetchone()
            return int(row[0]) if row else None
        base = "SELECT a.id" + _FROM_ARTICLES + where
        for extra, extra_args in ((" AND a.id > ?", [after_id]), ("", [])):
            row = self.db.execute(
                base + extra + " ORDER BY a.id LIMIT 1", [user, *args, *extra_args]
            ).fetchone()
            if row and row[0] != after_id:
                return int(row[0])
        return None

    def save_position(self, user: str, article_id: int, cursor: int) -> None:
        self.db["positions"].upsert(
            {"user": user, "article_id": article_id, "cursor": cursor, "updated_at": now()},
            pk="user",
        )

    def position(self, user: str) -> tuple[int, int] | None:
        row = self.db.execute(
            "SELECT article_id, cursor FROM positions WHERE user = ?", [user]
        ).fetchone()
        return (row[0], row[1]) if row else None

    # --- undo history ------------------------------------------------------------------------

    def push_action(self, user: str, article_id: int, action: dict[str, Any]) -> None:
        """Record a done action; it clears the redo branch, as in every editor."""
        self.db.execute(
            "DELETE FROM history WHERE user = ? AND article_id = ? AND undone = 1", [user, article_id]
        )
        self.db["history"].insert(
            {"user": user, "article_id": article_id, "action": json.dumps(action, ensure_ascii=False),
             "undone": 0, "at": now()}
        )

    def last_action(self, user: str, article_id: int, *, undone: bool) -> tuple[int, dict[str, Any]] | None:
        """The action undo would revert (``undone=False``) or redo would repeat (``undone=True``)."""
        order = "ASC" if undone else "DESC"
        row = self.db.execute(
            f"SELECT id, action FROM history WHERE user = ? AND article_id = ? AND undone = ?"
            f" ORDER BY id {order} LIMIT 1",
            [user, article_id, int(undone)],
        ).fetchone()
        return (row[0], json.loads(row[1])) if row else None

    def mark_action(self, action_id: int, *, undone: bool) -> None:
        self.db.execute("UPDATE history SET undone = ? WHERE id = ?", [int(undone), action_id])

    # --- teams (assignment, packages, gold) ---

    def users(self) -> list[tuple[str, str]]:
        """Registered ``(name, role)`` pairs, by name."""
        return [tuple(r) for r in self.db.execute("SELECT name, role FROM users ORDER BY name")]

    def set_user(self, name: str, role: str) -> None:
        self.db["users"].upsert({"name": name, "role": role, "created_at": now()}, pk="name")

    def article_ids(self) -> list[int]:
        return [r[0] for r in self.db.execute("SELECT id FROM articles ORDER BY id")]

    def assignments(self) -> list[tuple[int, str]]:
        """Every ``(article_id, user)`` assignment, in article then user order."""
        return [tuple(r) for r in self.db.execute(
            "SELECT article_id, user FROM assignments ORDER BY article_id, user")]

    def assign(self, article_id: int, user: str) -> None:
        self.db["assignments"].upsert(
            {"article_id": article_id, "user": user, "assigned_at": now()}, pk=("article_id", "user")
        )

    def clear_assignments(self) -> None:
        self.db.execute("DELETE FROM assignments")

    def assigned_articles(self, user: str) -> list[int]:
        return [r[0] for r in self.db.execute(
            "SELECT article_id FROM assignments WHERE user = ? ORDER BY article_id", [user])]

    def assignees(self, article_id: int) -> list[str]:
        return [r[0] for r in self.db.execute(
            "SELECT user FROM assignments WHERE article_id = ? ORDER BY user", [article_id])]

    def article_users_with_state(self, article_id: int, state: str) -> list[str]:
        return [r[0] for r in self.db.execute(
            "SELECT user FROM article_states WHERE article_id = ? AND state = ? ORDER BY user",
            [article_id, state])]

    def states_of(self, user: str) -> dict[int, str]:
        return dict(self.db.execute(
            "SELECT article_id, state FROM article_states WHERE user = ?", [user]).fetchall())

    def search_keys(self, article_id: int) -> tuple[str, str]:
        row = self.db.execute(
            "SELECT title_key, text_key FROM article_search WHERE rowid = ?", [article_id]
        ).fetchone()
        return (row[0], row[1]) if row else ("", "")

    def schema_rows(self) -> list[tuple[int, str, str, str]]:
        """Every schema version as ``(version, json, created_at, note)``, oldest first."""
        return [tuple(r) for r in self.db.execute(
            "SELECT version, json, created_at, note FROM label_schemas ORDER BY version")]

    def insert_schema_row(self, version: int, data: str, created_at: str, note: str) -> None:
        self.db["label_schemas"].insert(
            {"version": version, "json": data, "created_at": created_at, "note": note}
        )

    def decisions(self, article_id: int) -> list[tuple[int, int, str, str, str, str]]:
        """Adjudication decisions of an article: ``(start, end, decision, detail, by, at)``."""
        return [tuple(r) for r in self.db.execute(
            'SELECT start, "end", decision, detail, decided_by, decided_at FROM gold_decisions'
            ' WHERE article_id = ? ORDER BY start, "end"', [article_id])]

    def set_decision(
        self, article_id: int, start: int, end: int, decision: str, detail: str, by: str, at: str
    ) -> None:
        self.db.execute(
            'DELETE FROM gold_decisions WHERE article_id = ? AND start = ? AND "end" = ?',
            [article_id, start, end],
        )
        self.db["gold_decisions"].insert(
            {"article_id": article_id, "start": start, "end": end, "decision": decision,
             "detail": detail, "decided_by": by, "decided_at": at}
        )

    def delete_decision(self, article_id: int, start: int, end: int) -> None:
        self.db.execute(
            'DELETE FROM gold_decisions WHERE article_id = ? AND start = ? AND "end" = ?',
            [article_id, start, end],
        )

    def decided_article_ids(self) -> list[int]:
        return [r[0] for r in self.db.execute(
            "SELECT DISTINCT article_id FROM gold_decisions ORDER BY 1")]

    # --- suggestions ---
    # Used by annotator.suggest. Suggestion layers are ordinary span layers (see that package's
    # docstring); these methods hold what is specific to them.

    def replace_layer_spans(self, article_id: int, annotator: str, spans: Iterable[Span]) -> int:
        """Make ``annotator``'s layer in one article hold exactly ``spans``; returns how many."""
        self.db.execute(
            "DELETE FROM spans WHERE article_id = ? AND annotator = ?", [article_id, annotator]
        )
        stamp = now()
        rows = [
            {"article_id": article_id, "start": s.start, "end": s.end, "label": s.label,
             "text": s.text, "annotator": annotator, "provenance": s.provenance,
             "created_at": stamp, "updated_at": stamp}
            for s in spans
        ]
        if rows:
            self.db["spans"].insert_all(rows)
        return len(rows)

    def layers_by_article(self) -> dict[int, dict[str, int]]:
        """``{article_id: {annotator: span count}}`` for every article that has spans."""
        out: dict[int, dict[str, int]] = {}
        rows = self.db.execute(
            "SELECT article_id, annotator, count(*) FROM spans GROUP BY 1, 2 ORDER BY 1, 2"
        )
        for article_id, annotator, n in rows:
            out.setdefault(article_id, {})[annotator] = n
        return out

    def states_by_article(self) -> dict[int, dict[str, str]]:
        """``{article_id: {user: state}}`` of every recorded article state."""
        out: dict[int, dict[str, str]] = {}
        for article_id, user, state in self.db.execute(
            "SELECT article_id, user, state FROM article_states ORDER BY 1, 2"
        ):
            out.setdefault(article_id, {})[user] = state
        return out

    def insert_rejection(self, article_id: int, user: str, span: Span) -> None:
        """Remember that ``user`` rejected suggestion ``span`` in the article (idempotent)."""
        self.db.execute(
            "INSERT OR IGNORE INTO suggestion_rejections"
            ' (article_id, user, start, "end", label, layer, text, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
            [article_id, user, span.start, span.end, span.label, span.annotator, span.text, now()],
        )

    def delete_rejection(self, article_id: int, user: str, span: Span) -> None:
        self.db.execute(
            "DELETE FROM suggestion_rejections WHERE article_id = ? AND user = ? AND start = ?"
            ' AND "end" = ? AND label = ?',
            [article_id, user, span.start, span.end, span.label],
        )

    def rejections(
        self, article_id: int | None = None, user: str | None = None
    ) -> list[tuple[int, str, Span]]:
        """``(article_id, user, span)`` of remembered rejections; a span's annotator is its layer."""
        sql = 'SELECT article_id, user, start, "end", label, text, layer FROM suggestion_rejections'
        clauses, args = [], []
        for column, value in (("article_id", article_id), ("user", user)):
            if value is not None:
                clauses.append(f"{column} = ?")
                args.append(value)
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        rows = self.db.execute(sql + ' ORDER BY article_id, start, "end", label, user', args)
        return [(r[0], r[1], Span(r[2], r[3], r[4], r[5], r[6] or "")) for r in rows]

    def add_gazetteer_names(self, label: str, names: Iterable[tuple[str, str]], source: str) -> int:
        """Add ``(name, key)`` pairs to ``label``'s list from ``source``; returns how many were new."""
        before = self.db["gazetteer_names"].count
        self.db["gazetteer_names"].insert_all(
            ({"label": label, "name": name, "key": key, "source": source} for name, key in names),
            pk=("label", "key", "source"), ignore=True,
        )
        return self.db["gazetteer_names"].count - before

    def gazetteer_names(self) -> list[tuple[str, str, str]]:
        """Every stored ``(label, name, source)`` in label, key, source order."""
        return [tuple(r) for r in self.db.execute(
            "SELECT label, name, source FROM gazetteer_names ORDER BY label, key, source"
        )]

    def delete_gazetteer(self, label: str | None = None, source: str | None = None) -> int:
        clauses, args = [], []
        for column, value in (("label", label), ("source", source)):
            if value is not None:
                clauses.append(f"{column} = ?")
                args.append(value)
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        return self.db.execute("DELETE FROM gazetteer_names" + where, args).rowcount

    def save_model(self, name: str, model: bytes, info: dict[str, Any]) -> None:
        self.db["suggestion_models"].upsert(
            {"name": name, "model": model, "info": json.dumps(info, ensure_ascii=False),
             "trained_at": now()},
            pk="name",
        )

    def span_texts(self) -> list[tuple[str, str, str, int]]:
        """``(annotator, label, text, count)`` of every distinct labelled text (gazetteer feed)."""
        return [tuple(r) for r in self.db.execute(
            "SELECT annotator, label, text, count(*) FROM spans GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
        )]

    def load_model(self, name: str) -> tuple[bytes, dict[str, Any], str] | None:
        """``(model bytes, info, trained_at)`` of a saved model, or None."""
        row = self.db.execute(
            "SELECT model, info, trained_at FROM suggestion_models WHERE name = ?", [name]
        ).fetchone()
        return (bytes(row[0]), json.loads(row[1]), row[2]) if row else None

    # --- active learning: per-article priority, the queue's "uncertainty" order ---

    def replace_priorities(self, scores: Mapping[int, float], model: str) -> int:
        """Make the stored priorities exactly ``scores`` (article id -> uncertainty in nats).

        Every older row goes: a score from another model (or an article since done) would rank
        against the new ones. Run it inside :meth:`transaction`, so the queue switches from the
        old order to the new one at once. Returns how many rows were written.
        """
        self.db.execute("DELETE FROM article_priority")
        stamp = now()
        self.db.conn.executemany(
            "INSERT INTO article_priority (article_id, score, model, computed_at) VALUES (?, ?, ?, ?)",
            [(article_id, float(score), model, stamp) for article_id, score in scores.items()],
        )
        return len(scores)

    def priorities(self) -> dict[int, float]:
        """``{article_id: score}`` of the stored priorities, in queue order."""
        return dict(self.db.execute("SELECT article_id, score FROM article_priority p" + _BY_SCORE))

    def priority_model(self) -> str | None:
        """The ``model`` tag the stored priorities were computed with (None: no priorities)."""
        row = self.db.execute("SELECT model FROM article_priority LIMIT 1").fetchone()
        return row[0] if row else None

    def unfinished_articles(self, user: str | None = None) -> list[int]:
        """Ids of ``user``'s queue (assignments, else all) that they have not marked done, by id;
        with no user, the articles nobody has marked done."""
        if user is None:
            return [r[0] for r in self.db.execute(
                "SELECT id FROM articles WHERE id NOT IN"
                " (SELECT article_id FROM article_states WHERE state = 'done') ORDER BY id")]
        where, args = self._queue_where(user, None, None, None)
        where = _and(where, "COALESCE(st.state, 'new') != 'done'")
        sql = "SELECT a.id" + _FROM_ARTICLES + where + " ORDER BY a.id"
        return [r[0] for r in self.db.execute(sql, [user, *args])]


# The queue's SQL: row columns (their ? is the user of the span count), the FROMs (their ? is
# the user of the state join) and the uncertainty order's pieces. The scored part is driven by
# idx_article_priority_score, the unscored part by the articles' rowid.
QUEUE_ORDERS = ("id", "uncertainty")
_QUEUE_ROW = (
    "SELECT a.id, a.doc_id, a.title, COALESCE(st.state, 'new'),"
    " (SELECT count(*) FROM spans sp WHERE sp.article_id = a.id AND sp.annotator = ?)"
)
_STATE_JOIN = " LEFT JOIN article_states st ON st.article_id = a.id AND st.user = ?"
_FROM_ARTICLES = " FROM articles a" + _STATE_JOIN
_FROM_PRIORITY = (
    " FROM article_priority p LEFT JOIN article_states st ON st.article_id = p.article_id AND st.user = ?"
)
_BY_SCORE = " ORDER BY p.score DESC, p.article_id"
_UNSCORED = "NOT EXISTS (SELECT 1 FROM article_priority p WHERE p.article_id = a.id)"


def _and(where: str, clause: str) -> str:
    """``where`` (empty or `` WHERE ...``) with one more condition."""
    return (where + " AND " if where else " WHERE ") + clause


def _check_order(order: str) -> None:
    if order not in QUEUE_ORDERS:
        raise ProjectError(f"unknown queue order {order!r}; one of {', '.join(QUEUE_ORDERS)}")


_SPAN_SQL = (
    'SELECT article_id, start, "end", label, text, annotator, id, provenance FROM spans'
)


def _span(row: Sequence[Any]) -> Span:
    return Span(row[1], row[2], row[3], row[4], row[5], row[6], row[7] or "")


def _article(row: Sequence[Any]) -> Article:
    return Article(row[0], row[1], row[2] or "", row[3], json.loads(row[4] or "{}"), row[5])
