"""The connection under a server project: a pool, one transaction per action, the layout.

Why a pool (psycopg_pool): the desk reads from worker threads while its main thread writes, and
a server project lives for hours; the pool hands each thread a healthy connection and replaces
broken ones. Connections are in autocommit mode, so a read outside a transaction is one round
trip; :meth:`PgBase.transaction` opens an explicit one and holds its connection for the thread
(nested calls join it with a savepoint, as SQLite's ``atomic`` does).

The URL goes to libpq unchanged, so PGPASSWORD, ~/.pgpass, PGSERVICE and sslmode all work as
in psql; only when libpq reports that a password is needed and a person is at a terminal is one
asked for.
"""

from __future__ import annotations

import json
import select
import sys
import threading
import time
import weakref
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql as pgsql
from psycopg.pq import TransactionStatus
from psycopg_pool import ConnectionPool

from annotator.clock import now
from annotator.errors import ProjectError, ProjectReadOnly
from annotator.store.layout import LAYOUT_VERSION
from annotator.store.location import display_url, server_path
from annotator.store.pg import ddl
from annotator.store.pg.recent import RecentArticles
from annotator.store.pg.retry import failure, retrying

BUSY_TIMEOUT_S = 30.0
POOL_MAX = 4
PING_AFTER_IDLE_S = 30.0


def connect(url: str, **kwargs: Any) -> psycopg.Connection[Any]:
    """One connection to ``url`` (libpq conventions), asking for a password only when the
    server wants one, libpq found none (PGPASSWORD, ~/.pgpass) and stdin is a terminal.
    Failures (wrong password, no server, no database) are one :class:`ProjectError` line."""
    where = display_url(url)
    kwargs.update(_timeout_default(url))
    try:
        return psycopg.connect(url, **kwargs)
    except psycopg.OperationalError as exc:
        if "no password supplied" not in str(exc) or not sys.stdin.isatty():
            raise failure(where, exc) from None
    import getpass

    kwargs["password"] = getpass.getpass(f"password for {where}: ")
    try:
        return psycopg.connect(url, **kwargs)
    except psycopg.OperationalError as exc:
        raise failure(where, exc) from None


def _timeout_default(url: str) -> dict[str, Any]:
    """``connect_timeout=10`` unless the URL or PGCONNECT_TIMEOUT sets one: an unreachable
    server should be one line after seconds, not libpq's wait without end."""
    import os

    from psycopg.conninfo import conninfo_to_dict

    try:
        given = "connect_timeout" in conninfo_to_dict(url) or "PGCONNECT_TIMEOUT" in os.environ
    except psycopg.ProgrammingError:  # a malformed URL: libpq says so when connecting
        given = False
    return {} if given else {"connect_timeout": 10}


def _readable(fd: int) -> bool:
    """Whether the socket ``fd`` has something to read, without waiting (poll: no limit on
    descriptor numbers; select where poll is missing)."""
    if hasattr(select, "poll"):
        poller = select.poll()
        poller.register(fd, select.POLLIN | select.POLLPRI)
        return bool(poller.poll(0))
    return bool(select.select([fd], [], [], 0)[0])


class PgBase:
    """An open server project: its pool, transactions, layout, metadata and schemas."""

    def __init__(self, url: str, *, create: bool = False, read_only: bool = False,
                 defer_create: bool = False) -> None:
        """Open the project at ``url``, or with ``create`` make one in its empty database: at
        once, or with ``defer_create`` inside this store's first :meth:`transaction`, so the
        tables, roles and policies commit together with what that transaction writes, or not
        at all (``annotator copy``: a copy that fails half-way leaves the database empty)."""
        self.url = url
        self.path: Path = server_path(url)
        self.where = display_url(url)
        self.read_only = read_only and not create
        self.busy_timeout_s = BUSY_TIMEOUT_S
        self._local = threading.local()
        self._timeout_epoch = 0
        self._conn_epoch: weakref.WeakKeyDictionary[Any, int] = weakref.WeakKeyDictionary()
        self._uncreated = False  # defer_create: the layout is made by the first transaction
        self._idle_since: weakref.WeakKeyDictionary[Any, float] = weakref.WeakKeyDictionary()
        self.recent = RecentArticles()  # articles never change: corpus.py and claims.py keep them
        # Read-only is the server's to enforce too: every transaction of this store is READ ONLY.
        # (Passed only when wanted: an empty ``options`` would override one given in the URL.)
        extra: dict[str, Any] = (
            {"options": "-c default_transaction_read_only=on"} if self.read_only else {})
        first = connect(url, autocommit=True, **extra)
        try:
            password = first.info.password or None
            self._check_layout(first, create, defer_create)
            if not create and not self.read_only:  # the security's migration (ADR 0006)
                from annotator.store.pg.security import refresh_security

                refresh_security(first)
        except psycopg.Error as exc:
            raise failure(self.where, exc) from None
        finally:
            first.close()
        kwargs: dict[str, Any] = {"autocommit": True, **_timeout_default(url), **extra}
        if password:
            kwargs["password"] = password  # typed at the prompt: the pool must not ask again
        # check: a connection the server dropped (a restart) is found and replaced before it is
        # lent, not discovered by the user's next click (pg-live: reconnect by itself).
        self._pool = ConnectionPool(
            url, kwargs=kwargs, min_size=1, max_size=POOL_MAX, open=False,
            name=f"annotator:{self.where}", configure=self._configure,
            check=self._check, reset=self._returned,
        )
        try:
            self._pool.open(wait=True, timeout=30)
        except psycopg.Error as exc:  # PoolTimeout too: the server went away since `first`
            self._pool.close()
            raise failure(self.where, exc) from None

    def _configure(self, conn: psycopg.Connection[Any]) -> None:
        self._sync_timeout(conn)
        self._idle_since[conn] = time.monotonic()

    def _returned(self, conn: psycopg.Connection[Any]) -> None:
        self._idle_since[conn] = time.monotonic()

    def _check(self, conn: psycopg.Connection[Any]) -> None:
        """Before a pooled connection is lent: is it still alive? Without a round trip when
        it can be told: a server that ended the session (a restart, a terminated backend)
        has sent a last message or closed the socket, so an idle connection whose socket has
        something to read is pinged (and, dead, replaced by the pool); one idle for longer than
        :data:`PING_AFTER_IDLE_S` is pinged anyway (a peer gone silent sends nothing). Why not
        ping every time: that was 2 of an add-span's 10 round trips and 4 of claim-next's 19,
        each waiting for a core on a loaded machine (docs/performance.md#team)."""
        idle = time.monotonic() - self._idle_since.get(conn, 0.0)
        if idle > PING_AFTER_IDLE_S or _readable(conn.fileno()):
            ConnectionPool.check_connection(conn)

    def _check_layout(self, conn: psycopg.Connection[Any], create: bool, defer: bool = False
                      ) -> None:
        """Refuse what this release must not open or create; create the tables for ``init``."""
        found = {r[0] for r in conn.execute(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = current_schema() AND table_name = ANY(%s)",
            [list(ddl.PROJECT_TABLES)])}
        version = None
        if ddl.LAYOUT_TABLE in found:
            row = conn.execute(f"SELECT max(version) FROM {ddl.LAYOUT_TABLE}").fetchone()
            version = int(row[0]) if row and row[0] is not None else 0
        if version is not None and version > LAYOUT_VERSION:
            raise ProjectError(
                f"{self.where}: made by a newer annotator (layout {version} > {LAYOUT_VERSION}); "
                "upgrade")
        if version is not None and version < LAYOUT_VERSION and not create:
            self._upgrade(conn, version)
        if create:
            if found:
                what = ("an annotator project" if version is not None else
                        "tables named like a project's: " + ", ".join(sorted(found)[:3]))
                raise ProjectError(
                    f"{self.where}: the database already holds {what}; refusing to overwrite it")
            if defer:
                self._uncreated = True
            else:
                self._create(conn)
        elif version is None:
            raise ProjectError(
                f"{self.where}: a database, but not an annotator project (create one with 'annotator init')")

    def _create(self, conn: psycopg.Connection[Any]) -> None:
        import uuid

        with conn.transaction():
            for statement in ddl.TABLES:
                conn.execute(statement)
            for version in sorted(ddl.UPGRADES):
                for statement in ddl.UPGRADES[version]:
                    conn.execute(statement)
            conn.execute(f"INSERT INTO {ddl.LAYOUT_TABLE} (version) VALUES (%s)", [LAYOUT_VERSION])
            for key, value in (("project_id", uuid.uuid4().hex), ("created_at", now())):
                conn.execute("INSERT INTO project_meta (key, value) VALUES (%s, %s)", [key, value])
            # Roles, grants, row-level security (ADR 0006), in the same transaction: a project
            # whose security failed to apply must not exist unprotected.
            from annotator.store.pg.security import apply_security

            apply_security(conn)
        try:  # the search indexes are a speed-up: a server without pg_trgm still works
            with conn.transaction():
                for statement in ddl.TRIGRAM:
                    conn.execute(statement)
        except psycopg.Error:
            pass

    def _upgrade(self, conn: psycopg.Connection[Any], version: int) -> None:
        """Bring an older server project forward, once, whoever opens it first (the layout
        table is locked, so a second program waits, then finds the work done). A reader
        upgrades through a connection of its own that may write, as the file's reader does."""
        if self.read_only:
            with connect(self.url, autocommit=True) as writer:
                self._upgrade_on(writer)
        else:
            self._upgrade_on(conn)

    @staticmethod
    def _upgrade_on(conn: psycopg.Connection[Any]) -> None:
        with conn.transaction():
            conn.execute(f"LOCK TABLE {ddl.LAYOUT_TABLE} IN EXCLUSIVE MODE")
            row = conn.execute(f"SELECT max(version) FROM {ddl.LAYOUT_TABLE}").fetchone()
            current = int(row[0]) if row and row[0] is not None else 0
            for step in range(current + 1, LAYOUT_VERSION + 1):
                for statement in ddl.UPGRADES[step]:
                    conn.execute(statement)
            conn.execute(f"UPDATE {ddl.LAYOUT_TABLE} SET version = %s", [LAYOUT_VERSION])
            # the new tables get their rules in the same transaction (ADR 0006)
            from annotator.store.pg.security import refresh_security

            refresh_security(conn)

    def close(self) -> None:
        """Release the pool; the object is unusable afterwards."""
        self._pool.close()

    def set_busy_timeout(self, seconds: float) -> None:
        """How long a write waits for a row another user holds (``lock_timeout``) before
        ``ProjectBusy``: the CLI waits 30 s, the desk a fraction of a second (then retries)."""
        self.busy_timeout_s = seconds
        self._timeout_epoch += 1  # each pooled connection is brought up to date at its next use
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            self._sync_timeout(conn)

    # --- transactions and statements -------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[PgBase]:
        """One PostgreSQL transaction (READ COMMITTED); nested calls join it (a savepoint).

        Pipelined (psycopg's pipeline mode): BEGIN and the writes whose results nobody reads
        (:meth:`_send`) travel with the next statement that is read, or with COMMIT, so an
        add-span is two round trips, not ten. A write that fails is then reported at that
        next read or at COMMIT, still inside this transaction, which rolls back whole.

        A conflict the server resolves by rolling back (40001, 40P01, a lock wait past the busy
        timeout) leaves as ``ProjectBusy`` after the rollback: nothing half-written (see
        ``retry.py`` for why it is not re-run here). A lost connection leaves as one line.
        The first transaction of a store opened with ``defer_create`` makes the layout first.
        """
        if self.read_only:
            raise ProjectReadOnly(f"{self.where}: opened for reading; changes are not saved")
        held = getattr(self._local, "conn", None)
        if held is not None:
            with self._savepoint(held):
                yield self
            return
        try:
            with self._pool.connection(timeout=self._pool_wait()) as conn:
                self._sync_timeout(conn)
                self._local.conn, self._local.depth = conn, 0
                try:
                    if self._uncreated:  # defer_create: once, not pipelined (DDL, savepoints)
                        with conn.transaction():
                            self._create(conn)
                            yield self
                    else:
                        with self._pipelined(conn):
                            yield self
                finally:
                    self._local.conn = self._local.pipeline = None
            self._uncreated = False  # committed
        except psycopg.Error as exc:
            raise failure(self.where, exc) from None

    @contextmanager
    def _pipelined(self, conn: psycopg.Connection[Any]) -> Iterator[None]:
        """BEGIN, the body's statements and COMMIT in one pipeline. Not psycopg's own
        ``conn.transaction()``: in pipeline mode it syncs after BEGIN and twice at the end,
        three round trips that carry nothing."""
        try:
            with conn.pipeline() as self._local.pipeline:
                conn.execute("BEGIN")
                yield
                conn.execute("COMMIT")
        finally:  # a failure in the body or at COMMIT: nothing of it stays
            if not conn.closed and conn.info.transaction_status != TransactionStatus.IDLE:
                with suppress(psycopg.Error):  # a lost connection: the pool discards it
                    conn.execute("ROLLBACK")

    @contextmanager
    def _savepoint(self, conn: psycopg.Connection[Any]) -> Iterator[None]:
        """A nested :meth:`transaction`: a savepoint, queued in the pipeline like the rest."""
        self._local.depth += 1
        name = f"annotator_{self._local.depth}"
        try:
            conn.execute(f"SAVEPOINT {name}")
            yield
        except BaseException:
            with suppress(psycopg.Error):  # leave an aborted pipeline, or the rollback is skipped
                self._local.pipeline.sync()
            conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
            raise
        else:
            conn.execute(f"RELEASE SAVEPOINT {name}")
        finally:
            self._local.depth -= 1

    def _pool_wait(self) -> float:
        """How long to wait for a pooled connection: the busy timeout (the desk's fraction of a
        second, so a server restart never freezes its window; it retries from its event loop),
        but long enough for a healthy pool to open a new connection."""
        return max(self.busy_timeout_s, 0.5)

    def _sync_timeout(self, conn: psycopg.Connection[Any]) -> None:
        if self._conn_epoch.get(conn) != self._timeout_epoch:
            conn.execute(f"SET lock_timeout = {int(self.busy_timeout_s * 1000)}")
            self._conn_epoch[conn] = self._timeout_epoch

    def _with_conn(self, run: Any) -> Any:
        """``run(conn)`` on this thread's transaction, else on a pooled autocommit connection
        (retried after a conflict: a lone statement is its own transaction)."""
        held = getattr(self._local, "conn", None)
        if held is not None:
            return run(held)

        def once() -> Any:
            with self._pool.connection(timeout=self._pool_wait()) as conn:
                self._sync_timeout(conn)
                return run(conn)

        try:
            return retrying(once)
        except psycopg.Error as exc:
            raise failure(self.where, exc) from None

    def _all(self, query: str | pgsql.Composable, args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self._with_conn(lambda c: c.execute(query, args).fetchall())  # type: ignore[no-any-return]

    def _one(self, query: str | pgsql.Composable, args: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        return self._with_conn(lambda c: c.execute(query, args).fetchone())  # type: ignore[no-any-return]

    def _reads(self, *queries: tuple[str, Sequence[Any]]) -> list[list[tuple[Any, ...]]]:
        """The rows of several reads, sent together and answered in ONE round trip (a
        pipeline of their own; inside a transaction, joined to its)."""
        def run(conn: psycopg.Connection[Any]) -> list[list[tuple[Any, ...]]]:
            with conn.pipeline():
                cursors = [conn.execute(query, args) for query, args in queries]
            return [cur.fetchall() for cur in cursors]

        return self._with_conn(run)  # type: ignore[no-any-return]

    def _run(self, query: str | pgsql.Composable, args: Sequence[Any] = ()) -> int:
        """Run a write; returns how many rows it touched (in a transaction: a round trip,
        to learn the count; :meth:`_send` when nobody reads it)."""
        if self.read_only:
            raise ProjectReadOnly(f"{self.where}: opened for reading; changes are not saved")

        def run(conn: Any) -> int:
            cur = conn.execute(query, args)
            self._await_results()
            return int(cur.rowcount)

        return int(self._with_conn(run))

    def _await_results(self) -> None:
        """In a pipelined transaction, wait for the answers sent so far (a row count is only
        known then); outside one every statement has already been answered."""
        pipeline = getattr(self._local, "pipeline", None)
        if pipeline is not None:
            pipeline.sync()

    def _send(self, query: str | pgsql.Composable, args: Sequence[Any] = ()) -> None:
        """Run a write whose result nobody reads: in a transaction it is only queued, and
        travels to the server with the next statement that is read, or with COMMIT (its
        failure surfaces there and rolls the whole transaction back)."""
        if self.read_only:
            raise ProjectReadOnly(f"{self.where}: opened for reading; changes are not saved")
        self._with_conn(lambda c: c.execute(query, args))

    def _many(self, query: str, rows: Sequence[Sequence[Any]]) -> int:
        """One statement over many rows (pipelined by psycopg); returns rows touched in all."""
        if not rows:
            return 0
        if self.read_only:
            raise ProjectReadOnly(f"{self.where}: opened for reading; changes are not saved")

        def run(conn: psycopg.Connection[Any]) -> int:
            with conn.cursor() as cur:
                cur.executemany(query, rows)
                self._await_results()
                return int(cur.rowcount)

        return int(self._with_conn(run))

    def make_self_contained(self) -> None:
        """Nothing to fold on a server: there are no side files (a package is a file)."""

    # --- project metadata and schemas -------------------------------------------------------

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        """A project-wide setting (``project_meta``), or ``default`` when unset."""
        row = self._one("SELECT value FROM project_meta WHERE key = %s", [key])
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        """Set a project-wide setting, replacing any previous value."""
        self._send(
            "INSERT INTO project_meta (key, value) VALUES (%s, %s)"
            " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value", [key, value])

    def latest_schema_json(self) -> tuple[int, dict[str, Any]] | None:
        """``(version, schema data)`` of the newest label schema; None for an empty project."""
        row = self._one("SELECT version, json FROM label_schemas ORDER BY version DESC LIMIT 1")
        return (int(row[0]), json.loads(row[1])) if row else None

    def add_schema_version(self, data: dict[str, Any], note: str) -> int:
        """Store ``data`` as the next schema version (old ones are kept); returns its number.

        The table is locked for the transaction: two admins adding labels at once must get
        versions n+1 and n+2, not both n+1 (SQLite's single writer gives that for free)."""
        self._send("LOCK TABLE label_schemas IN SHARE ROW EXCLUSIVE MODE")
        row = self._one("SELECT coalesce(max(version), 0) FROM label_schemas")
        version = int(row[0] if row else 0) + 1
        self._send(
            "INSERT INTO label_schemas (version, json, created_at, note) VALUES (%s, %s, %s, %s)",
            [version, json.dumps(data, ensure_ascii=False), now(), note])
        return version
