"""A server project's users are PostgreSQL logins (ADR 0006): add, change role, remove, password.

Every statement runs under the caller's own login, so the database decides who may do it: only a
project admin holds CREATEROLE and the ADMIN OPTION on the project's group roles, and only an
admin passes the ``users`` table's policy. A non-admin meets PostgreSQL's refusal (SQLSTATE
42501), which is turned into one line here.

Passwords never travel in clear: libpq hashes them into a SCRAM verifier on this side
(``PQencryptPasswordConn``), so no server log or ``pg_stat_activity`` can show one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import psycopg
from psycopg import sql

from annotator.clock import now
from annotator.errors import PermissionDenied, ProjectError
from annotator.store.pg.security import ROLES, check_login_name, group_role


def _database(cur: Any) -> str:
    cur.execute("SELECT current_database()")
    return str(cur.fetchone()[0])


def _verifier(conn: Any, name: str, password: str) -> str:
    """The SCRAM-SHA-256 verifier of ``password`` for login ``name``, made by libpq here."""
    if not password:
        raise ProjectError("an empty password: give one on standard input")
    hashed = conn.pgconn.encrypt_password(password.encode(), name.encode(), b"scram-sha-256")
    return bytes(hashed).decode()


def _refused(exc: psycopg.Error, who: str, what: str) -> PermissionDenied:
    return PermissionDenied(f"{who} may not {what}: the server refused ({exc.diag.message_primary})")


def set_login(conn: Any, name: str, role: str, password: str | None) -> None:
    """Make ``name`` a login of this project with ``role`` (a new login, or a role change).

    A login that exists already (it may work in another project of the cluster) keeps its
    password unless one is given. One transaction: the login, its group, the users row.
    """
    check_login_name(name)
    if role not in ROLES:
        raise ProjectError(f"unknown role {role!r}; one of {', '.join(ROLES)}")
    ident = sql.Identifier(name)
    try:
        with conn.transaction(), conn.cursor() as cur:
            database = _database(cur)
            cur.execute("SELECT current_user")
            me = cur.fetchone()[0]
            if name == me and role != "admin":
                raise PermissionDenied(f"{me} may not demote themselves; another admin may")
            cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,))
            if cur.fetchone() is None:
                cur.execute(sql.SQL("CREATE ROLE {} LOGIN").format(ident))
            if password is not None:
                cur.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(
                    ident, sql.Literal(_verifier(conn, name, password))))
            _revoke_groups(cur, database, name)
            # An admin adds logins (CREATEROLE); PostgreSQL 16 narrows that to the roles she made.
            cur.execute(sql.SQL("ALTER ROLE {} {}").format(
                ident, sql.SQL("CREATEROLE" if role == "admin" else "NOCREATEROLE")))
            grant = "GRANT {} TO {} WITH ADMIN OPTION" if role == "admin" else "GRANT {} TO {}"
            groups = [group_role(database, r) for r in (ROLES if role == "admin" else (role,))]
            cur.execute(sql.SQL(grant).format(
                sql.SQL(", ").join(map(sql.Identifier, groups)), ident))
            # As annotator.team.members does on a file: whoever first adds someone else becomes
            # the admin, or the new login would act as admin (the Gate's rule before any admin).
            cur.execute(
                "INSERT INTO users (name, role, created_at) SELECT %s, 'admin', %s"
                " WHERE %s <> 'admin' AND NOT EXISTS (SELECT 1 FROM users WHERE role = 'admin')"
                " ON CONFLICT (name) DO UPDATE SET role = 'admin'", (me, now(), role))
            cur.execute(
                "INSERT INTO users (name, role, created_at) VALUES (%s, %s, %s)"
                " ON CONFLICT (name) DO UPDATE SET role = EXCLUDED.role",
                (name, role, now()))
    except psycopg.errors.InsufficientPrivilege as exc:
        raise _refused(exc, _whoami(conn), f"make {name} {role}") from None


def _revoke_groups(cur: Any, database: str, name: str) -> None:
    cur.execute(
        "SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid"
        " JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = %s AND g.rolname = ANY(%s)",
        (name, [group_role(database, r) for r in ROLES]))
    held = [row[0] for row in cur.fetchall()]
    if held:
        cur.execute(sql.SQL("REVOKE {} FROM {}").format(
            sql.SQL(", ").join(map(sql.Identifier, held)), sql.Identifier(name)))


def remove_login(conn: Any, name: str) -> None:
    """Take ``name`` out of this project: no group (so no CONNECT), no users row.

    The login itself stays: role names are cluster-wide, and it may work in another project.
    Her layer stays too (spans are the project's record of who labelled what).
    """
    check_login_name(name)
    try:
        with conn.transaction(), conn.cursor() as cur:
            cur.execute("SELECT current_user")
            if cur.fetchone()[0] == name:
                raise PermissionDenied(f"{name} may not remove themselves; another admin may")
            cur.execute("DELETE FROM users WHERE name = %s RETURNING name", (name,))
            if cur.fetchone() is None:
                raise ProjectError(f"{name} is not a user of this project")
            _revoke_groups(cur, _database(cur), name)
    except psycopg.errors.InsufficientPrivilege as exc:
        raise _refused(exc, _whoami(conn), f"remove {name}") from None


def set_own_password(conn: Any, password: str) -> str:
    """Change the password of the login this connection is; returns that login's name."""
    me = _whoami(conn)
    with conn.transaction(), conn.cursor() as cur:
        cur.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(
            sql.Identifier(me), sql.Literal(_verifier(conn, me, password))))
    return me


def _whoami(conn: Any) -> str:
    with conn.cursor() as cur:
        cur.execute("SELECT current_user")
        return str(cur.fetchone()[0])


class Logins:
    """A server project's logins, as :mod:`annotator.team.logins` asks for them
    (``PgStore.logins``). ``run(work)`` runs ``work(connection)`` on the store's connection for
    this thread (its transaction, or a pooled one): every call is under the caller's login."""

    def __init__(self, run: Callable[[Callable[[Any], Any]], Any]) -> None:
        self._run = run

    def current(self) -> str:
        """The login this project was opened as (PostgreSQL's ``current_user``)."""
        return str(self._run(_whoami))

    def set(self, name: str, role: str, password: str | None) -> None:
        self._run(lambda conn: set_login(conn, name, role, password))

    def remove(self, name: str) -> None:
        self._run(lambda conn: remove_login(conn, name))

    def set_own_password(self, password: str) -> str:
        return str(self._run(lambda conn: set_own_password(conn, password)))
