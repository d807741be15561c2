"""The connection under a project: WAL, busy timeout, IMMEDIATE transactions, migrations.

Opening a project must be fast (the desk shows an article before anything else), so
sqlite-utils is only loaded at the first write (:class:`_LazyDatabase`).
"""

from __future__ import annotations

import json
import sqlite3
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from annotator.clock import now
from annotator.errors import ProjectError, ProjectReadOnly
from annotator.store import files
from annotator.store.layout import LAYOUT_VERSION, MIGRATIONS

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
        """Release the connection; the object is unusable afterwards."""
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


def lazy_database(conn: sqlite3.Connection) -> sqlite_utils.Database:
    """A ``sqlite_utils.Database`` over ``conn`` that imports sqlite-utils at first need (see
    :class:`_LazyDatabase`); the store's migrations run on it, in a project or in memory."""
    return cast("sqlite_utils.Database", _LazyDatabase(conn))


class StoreBase:
    """The open connection, its transactions, layout migrations, metadata and schemas.

    ``read_only`` opens with ``mode=ro``: readers (stats, export) never take a lock that could
    make a writer wait, and never wait behind one (WAL lets them read the last commit).
    Opening never takes the write lock unless the file's layout needs a migration: the version
    is read first, so a desk or a command opens at once while another program is writing.
    """

    def __init__(self, path: Path | str, *, create: bool = False, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only and not create
        self.busy_timeout_s = BUSY_TIMEOUT_S  # how long a write waits behind another writer
        if not create:
            files.require_file(self.path)
            if not self.read_only and not files.writable(self.path):
                # Said now, not at the first click: SQLite would open it and fail every write.
                raise ProjectReadOnly(
                    f"{self.path}: the project is read-only (the file, its folder or the disk "
                    "cannot be written); it can be opened for reading")
        mode = "rwc" if create else "ro" if self.read_only else "rw"
        try:
            conn = files.connect(self.path, mode, BUSY_TIMEOUT_S)
        except sqlite3.Error as exc:
            raise files.failure(self.path, exc) from None
        self.db = cast("sqlite_utils.Database", _LazyDatabase(conn))
        try:
            self._configure()
            self._migrate(create)
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise files.failure(self.path, exc) from None
        except BaseException:
            conn.close()
            raise

    def set_busy_timeout(self, seconds: float) -> None:
        """How long a write waits for another writer before :class:`ProjectBusy`.

        The CLI keeps the 30 s default (a script can wait); the desk sets a fraction of a
        second and retries from its event loop, so its window never freezes behind a writer.
        """
        self.busy_timeout_s = seconds
        self.db.execute(f"PRAGMA busy_timeout = {int(seconds * 1000)}")

    def _configure(self) -> None:
        self.db.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_s * 1000)}")
        self.db.execute("PRAGMA foreign_keys = ON")
        if self.read_only:
            return
        if self.db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            self.db.enable_wal()
        # WAL + NORMAL loses no committed transaction on an application crash; FULL also
        # survives power loss at a small cost per commit, which one click can afford.
        self.db.execute("PRAGMA synchronous = FULL")

    def _migrate(self, create: bool) -> None:
        version = self._layout_version(create)
        if version == LAYOUT_VERSION:
            return  # the usual open: no transaction, so nobody waits for anybody
        if self.read_only:
            # A reader cannot upgrade the file: a writer does it once, then the reader opens.
            self.db.close()
            StoreBase(self.path).close()
            self.db = cast("sqlite_utils.Database", _LazyDatabase(
                files.connect(self.path, "ro", BUSY_TIMEOUT_S)))
            self._configure()
            self._layout_version(create)
            return
        with self.transaction():
            version = self._layout_version(create)  # another program may have migrated it
            for step in MIGRATIONS[version:]:
                step(self.db)
            self.db.execute(f"PRAGMA user_version = {LAYOUT_VERSION}")
            if version == 0:
                import uuid  # only when creating a project: ~2 ms off every open (desk start)

                self.set_meta("project_id", uuid.uuid4().hex)
                self.set_meta("created_at", now())

    def _layout_version(self, create: bool) -> int:
        """The file's layout version, refusing files this release must not open or create."""
        version = int(self.db.execute("PRAGMA user_version").fetchone()[0])
        if version > LAYOUT_VERSION:
            raise ProjectError(
                f"{self.path}: made by a newer annotator (layout {version} > {LAYOUT_VERSION}); upgrade"
            )
        if version == 0 and not create:
            # Only 'annotator init' turns a file into a project; anything else refuses.
            raise ProjectError(f"{self.path}: an SQLite file, but not an annotator project")
        return version

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[StoreBase]:
        """One all-or-nothing unit of work; nested calls join the outer transaction.

        BEGIN IMMEDIATE takes the write lock at the start, so a transaction never fails half-way
        on a lock upgrade; ``busy_timeout`` makes a second writer wait instead of failing.
        A failure of SQLite itself (locked past the timeout, disk full, read-only file) leaves
        as the one-line :class:`ProjectError` that names it, after the rollback.
        """
        if self.read_only:
            raise ProjectReadOnly(f"{self.path}: opened for reading; changes are not saved")
        conn = self.db.conn
        if conn.in_transaction:
            with self.db.atomic():
                yield self
            return
        try:
            self._begin_immediate()
        except sqlite3.DatabaseError as exc:
            raise files.failure(self.path, exc) from None
        try:
            yield self
            conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:  # locked, disk full, I/O: not the caller's bug
            conn.rollback()
            raise files.failure(self.path, exc) from None
        except BaseException:
            conn.rollback()
            raise

    def _begin_immediate(self) -> None:
        deadline = time.monotonic() + self.busy_timeout_s
        while True:
            try:
                self.db.conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.01)

    def make_self_contained(self) -> None:
        """Fold the write-ahead log into the main file and stop using one, so copying the one
        file copies everything (a work package is renamed and mailed as a single file)."""
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.db.execute("PRAGMA journal_mode = DELETE")

    # --- project metadata and schemas -------------------------------------------------------

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        """A project-wide setting (``project_meta``), or ``default`` when unset."""
        row = self.db.execute("SELECT value FROM project_meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        """Set a project-wide setting, replacing any previous value."""
        self.db.table("project_meta").upsert({"key": key, "value": value}, pk="key")

    def latest_schema_json(self) -> tuple[int, dict[str, Any]] | None:
        """``(version, schema data)`` of the newest label schema; None for an empty file."""
        row = self.db.execute(
            "SELECT version, json FROM label_schemas ORDER BY version DESC LIMIT 1"
        ).fetchone()
        return (row[0], json.loads(row[1])) if row else None

    def add_schema_version(self, data: dict[str, Any], note: str) -> int:
        """Store ``data`` as the next schema version (old ones are kept); returns its number."""
        latest = self.latest_schema_json()
        version = (latest[0] if latest else 0) + 1
        self.db.table("label_schemas").insert(
            {"version": version, "json": json.dumps(data, ensure_ascii=False),
             "created_at": now(), "note": note}
        )
        return version
