"""The database enforces the Gate's rules (ADR 0006): each login, through psycopg and psql.

:func:`test_reads_match_the_gate` and :func:`test_writes_match_the_gate` walk every layer of the
kit's project for every user in a blind and an open project, and ask both the core's Gate and
PostgreSQL (connected as that user's own login): the answers must be the same, table by table.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator

import psycopg
import pytest
from psycopg import sql

from annotator.errors import PermissionDenied, ProjectError
from annotator.model import GOLD
from annotator.permissions import lookalike_problem
from annotator.store.pg import PgStore
from annotator.store.pg.logins import remove_login, set_login, set_own_password
from annotator.store.pg.security import TABLES, apply_security, check_login_name

from .pg_security_kit import (
    LAYERS,
    LOOKALIKES,
    MODELS,
    PACKAGES,
    REJECTIONS,
    ROLES,
    gate_of,
    password,
    populate,
)
from .pg_server_kit import as_login, server_project

USERS = list(ROLES)


@pytest.fixture(params=["blind", "open"])
def project(request, pg_url: str) -> Iterator[tuple[str, psycopg.Connection, int]]:
    """``(owner url, owner connection, article id)`` of the kit's project."""
    with server_project(pg_url) as owner:
        yield pg_url, owner, populate(owner, request.param)


def _users_of(cur: psycopg.Cursor, table: str) -> set[str]:
    return {r[0] for r in cur.execute(sql.SQL('SELECT "user" FROM {}').format(sql.Identifier(table)))}


@pytest.mark.parametrize("user", USERS)
def test_reads_match_the_gate(project, user: str) -> None:
    url, owner, _ = project
    gate = gate_of(owner, user)
    readable = {layer for layer in LAYERS if gate.can_read(layer)}
    with as_login(url, user, password(user)) as conn, conn.cursor() as cur:
        assert {r[0] for r in cur.execute("SELECT annotator FROM spans")} == readable
        assert _users_of(cur, "article_states") == readable
        for table in ("positions", "history", "article_priority"):
            assert _users_of(cur, table) == readable & set(USERS), table
        models = {r[0] for r in cur.execute("SELECT name FROM suggestion_models")}
        assert models == {m for m, basis in MODELS.items() if all(map(gate.can_read, basis))}
        rejections = set(cur.execute('SELECT "user", layer FROM suggestion_rejections').fetchall())
        assert rejections == {(u, la) for u, la in REJECTIONS if gate.can_read(u) and gate.can_read(la)}
        assert _users_of(cur, "work_packages") == {u for u in PACKAGES if gate.can_read(u)}
        gold = cur.execute("SELECT count(*) FROM gold_decisions").fetchone()[0]
        assert gold == (1 if gate.can_read(GOLD) else 0)
        gold_links = cur.execute("SELECT count(*) FROM gold_link_decisions").fetchone()[0]
        assert gold_links == (1 if gate.can_read(GOLD) else 0)
        # what everyone reads: who is who, the corpus, the settings
        assert {r[0] for r in cur.execute("SELECT name FROM users")} == set(USERS)
        assert cur.execute("SELECT count(*) FROM articles").fetchone()[0] == 1
        assert cur.execute("SELECT count(*) FROM project_meta").fetchone()[0] >= 2
    if user == "ali" and gate.visibility() == "blind":  # the walk is not vacuous
        assert readable == {"ali", "model-x", "suggest:gazetteer/ali"}
        assert (models, rejections) == ({"crf/ali", "external"},
                                         {("ali", "suggest:gazetteer/ali"), ("ali", "model-x")})


def _allowed(conn: psycopg.Connection, statement: str, *params: object) -> bool:
    """Whether the server lets ``statement`` change a row (rolled back either way)."""
    try:
        with conn.transaction(force_rollback=True), conn.cursor() as cur:
            cur.execute(statement, params)  # type: ignore[arg-type]
            return cur.rowcount > 0
    except psycopg.errors.InsufficientPrivilege:
        return False


@pytest.mark.parametrize("user", USERS)
def test_writes_match_the_gate(project, user: str) -> None:
    url, owner, article = project
    gate = gate_of(owner, user)
    span = 'INSERT INTO spans (article_id, start, "end", label, text, annotator)' \
           " VALUES (%s, 3, 4, 'PERSON', ' ', %s)"
    with as_login(url, user, password(user)) as conn:
        for layer in [*LAYERS, *LOOKALIKES]:
            writes = gate.can_write(layer) and not lookalike_problem(layer)
            assert _allowed(conn, span, article, layer) == writes, ("spans", layer)
            assert _allowed(conn, 'INSERT INTO history ("user", article_id, action, undone)'
                            " VALUES (%s, %s, '{}', 0)", layer, article) == writes, ("history", layer)
            if layer in LAYERS:
                assert _allowed(conn, 'UPDATE article_states SET state = %s WHERE "user" = %s',
                                "new", layer) == writes, ("article_states", layer)
        for other in USERS:
            assert _allowed(conn, 'UPDATE article_priority SET score = 2 WHERE "user" = %s',
                            other) == gate.can_act_for(other), ("article_priority", other)
        role = gate.acting_role
        assert _allowed(conn, 'INSERT INTO gold_decisions (article_id, start, "end", decision,'
                        " decided_by) VALUES (%s, 3, 4, 'reject', %s)", article, user) \
            == gate.can_write(GOLD)
        assert _allowed(conn, "INSERT INTO gold_link_decisions (article_id, slot, decision,"
                        " decided_by) VALUES (%s, 'r:5:6', 'reject', %s)", article, user) \
            == gate.can_write(GOLD)
        assert _allowed(conn, "INSERT INTO users (name, role) VALUES ('eve', 'annotator')") \
            == (role == "admin")
        assert _allowed(conn, 'INSERT INTO assignments (article_id, "user") VALUES (%s, %s)',
                        article, user) == (role == "admin")
        assert _allowed(conn, "INSERT INTO label_schemas (version, json) VALUES (99, '{}')") \
            == (role == "admin")
        assert _allowed(conn, "INSERT INTO articles (doc_id, text, content_hash)"
                        " VALUES ('a2', 'x', 'h2')") == (role in ("reviewer", "admin"))
        # settings, per key: visibility is the admin's; her own queue order is hers
        assert _allowed(conn, "UPDATE project_meta SET value = 'open' WHERE key = 'team.visibility'") \
            == (role == "admin")
        for other in USERS:
            assert _allowed(conn, "INSERT INTO project_meta (key, value) VALUES (%s, 'id')",
                            f"queue_order:{other}") == gate.can_act_for(other), other
        # recording what a suggestion layer was built from is writing that layer
        for layer in ("suggest:crf", f"suggest:crf/{user}", "suggest:crf/mona"):
            assert _allowed(
                conn, "UPDATE project_meta SET value = jsonb_set(value::jsonb, ARRAY[%s], %s)::text"
                " WHERE key = 'suggest.basis'", layer, f'["{user}"]') == gate.can_write(layer), layer
        # a model is saved into the layer it fills: crf/<user> for her own, crf for the shared
        for name in ("crf", f"crf/{user}", "crf/mona"):
            assert _allowed(conn, "INSERT INTO suggestion_models (name, info) VALUES (%s, '{}')"
                            " ON CONFLICT (name) DO UPDATE SET info = EXCLUDED.info",
                            name) == gate.can_write(f"suggest:{name}"), name


def test_an_annotator_under_psql_reads_only_her_own(pg_url: str) -> None:
    """What the issue asks, literally: ``psql`` as ali in a blind project."""
    psql = shutil.which("psql")
    if psql is None:
        pytest.skip("no psql (scripts/system-deps.sh installs postgresql-client)")
    with server_project(pg_url) as owner:
        populate(owner, "blind")
    url = pg_url
    env = {**os.environ, "PGPASSWORD": password("ali")}
    login = _login_url(url, "ali")

    def run(query: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([psql, login, "-XAt", "-v", "ON_ERROR_STOP=1", "-c", query],
                              capture_output=True, text=True, env=env, timeout=60)

    seen = run("SELECT annotator FROM spans ORDER BY 1")
    assert seen.returncode == 0, seen.stderr
    assert seen.stdout.split("\n")[:-1] == ["ali", "model-x", "suggest:gazetteer/ali"]
    assert run("SELECT count(*) FROM gold_decisions").stdout.strip() == "0"
    states = run('SELECT DISTINCT "user" FROM article_states ORDER BY 1').stdout.split()
    assert states == ["ali", "model-x", "suggest:gazetteer/ali"]  # layers she reads; no one's else
    refused = run('INSERT INTO spans (article_id, start, "end", label, text, annotator)'
                  " SELECT id, 0, 1, 'PERSON', 'ز', 'gold' FROM articles")
    assert refused.returncode != 0 and "row-level security" in refused.stderr
    assert "permission denied" in run("INSERT INTO label_schemas (version) VALUES (9)").stderr
    assert "permission denied" in run("UPDATE users SET role = 'admin'").stderr
    assert "permission denied" in run("CREATE TEMP TABLE users (name text, role text)").stderr


def _login_url(url: str, user: str) -> str:
    from tests.conftest import pg_with_user

    return pg_with_user(url, user)


def test_only_an_admin_makes_logins(project) -> None:
    url, owner, _ = project
    with as_login(url, "huda", password("huda")) as conn:
        with pytest.raises(PermissionDenied, match="huda may not make eve annotator"):
            set_login(conn, "eve", "annotator", "pw")
    with as_login(url, "sara", password("sara")) as conn:
        set_login(conn, "eve", "annotator", "eve-pw")
        set_login(conn, "ali", "reviewer", None)  # a role change keeps the password
    with as_login(url, "eve", "eve-pw") as conn:
        assert gate_of(owner, "eve").can_read("ali") == (gate_of(owner, "eve").visibility() == "open")
    with as_login(url, "ali", password("ali")) as conn:
        assert {r[0] for r in conn.execute("SELECT annotator FROM spans")} == set(LAYERS)
    with as_login(url, "sara", password("sara")) as conn:
        remove_login(conn, "eve")
        with pytest.raises(ProjectError, match="eve is not a user"):
            remove_login(conn, "eve")
    with pytest.raises(psycopg.OperationalError, match="permission denied for database"):
        as_login(url, "eve", "eve-pw").__enter__()


def test_a_login_changes_her_own_password(project) -> None:
    url, _, _ = project
    with as_login(url, "ali", password("ali")) as conn:
        assert set_own_password(conn, "new-secret") == "ali"
    with as_login(url, "ali", "new-secret") as conn:
        assert conn.execute("SELECT current_user").fetchone()[0] == "ali"
    with pytest.raises(psycopg.OperationalError, match='password authentication failed for user "ali"'):
        as_login(url, "ali", password("ali"))


@pytest.mark.parametrize("name", ["Ali", "a-b", "ali; DROP TABLE spans", "pg_ali", "gold", "", "عل"])
def test_logins_are_simple_names(name: str) -> None:
    with pytest.raises(PermissionDenied, match="cannot be a server login"):
        check_login_name(name)


def test_a_table_without_a_rule_is_refused(pg_url: str) -> None:
    with server_project(pg_url) as owner:
        owner.execute("CREATE TABLE notes (id int)")
        with pytest.raises(ProjectError, match=r"tables with no access rule \(notes\)"):
            apply_security(owner)
        tables = {r[0] for r in owner.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")}
        assert tables - {"notes"} <= set(TABLES)


def test_the_owner_opening_a_migrated_project_protects_its_new_tables(pg_url: str) -> None:
    """The security's migration: a table a layout step (re)made without RLS is covered again on
    the owner's next open; a table nobody classified stops the open rather than show its rows."""
    with server_project(pg_url) as owner:
        owner.execute("ALTER TABLE gazetteer_names DISABLE ROW LEVEL SECURITY")
        owner.execute("DROP POLICY annotator_read ON gazetteer_names")
        PgStore(pg_url).close()
        assert owner.execute("SELECT rowsecurity FROM pg_tables WHERE tablename = 'gazetteer_names'"
                             ).fetchone() == (True,)
        assert owner.execute("SELECT count(*) FROM pg_policies WHERE tablename = 'gazetteer_names'"
                             ).fetchone() == (4,)
        owner.execute("CREATE TABLE notes (id int)")
        with pytest.raises(ProjectError, match=r"no access rule \(notes\)"):
            PgStore(pg_url)


def test_whoever_makes_the_first_login_becomes_the_admin(pg_url: str) -> None:
    """Before any admin the Gate (and so the server) lets everyone act as one: the login that
    makes the first annotator must become the admin at once, or that annotator reads everything."""
    with server_project(pg_url) as owner:
        set_login(owner, "ali", "annotator", password("ali"))
        set_login(owner, "mona", "annotator", password("mona"))
        assert dict(owner.execute("SELECT name, role FROM users").fetchall()) == {
            owner.info.user: "admin", "ali": "annotator", "mona": "annotator"}
        owner.execute("INSERT INTO articles (doc_id, text, content_hash) VALUES ('a1', 'ab', 'h')")
        owner.execute('INSERT INTO spans (article_id, start, "end", label, text, annotator)'
                      " SELECT id, 0, 1, 'PERSON', 'a', 'mona' FROM articles")
        with as_login(pg_url, "ali", password("ali")) as conn:
            assert conn.execute("SELECT count(*) FROM spans").fetchone() == (0,)


def test_relations_and_events_follow_their_layer(pg_url: str) -> None:
    """Issue 15's links (layout 7) are rows of one layer: a blind annotator reads and writes only
    hers, and an event's arguments only with the event."""
    with server_project(pg_url) as owner:
        populate(owner, "blind")
        for n, layer in enumerate(["ali", "mona", GOLD], start=1):
            owner.execute("INSERT INTO relations (article_id, type, head_id, tail_id, annotator)"
                          " VALUES (1, 'located-in', %s, %s, %s)", (n, n + 3, layer))
            owner.execute("INSERT INTO events (id, article_id, type, trigger_id, annotator)"
                          " VALUES (%s, 1, 'attack', %s, %s)", (n, n, layer))
            owner.execute("INSERT INTO event_arguments VALUES (%s, 'place', 2)", (n,))
    with as_login(pg_url, "ali", password("ali")) as conn:
        assert conn.execute("SELECT annotator FROM relations").fetchall() == [("ali",)]
        assert conn.execute("SELECT event_id FROM event_arguments").fetchall() == [(1,)]
        assert _allowed(conn, "INSERT INTO event_arguments VALUES (1, 'agent', 3)")
        assert not _allowed(conn, "INSERT INTO event_arguments VALUES (2, 'agent', 3)")  # mona's
        assert not _allowed(conn, "INSERT INTO relations (article_id, type, head_id, tail_id,"
                            " annotator) VALUES (1, 'member-of', 1, 2, 'gold')")
    with as_login(pg_url, "huda", password("huda")) as conn:
        assert conn.execute("SELECT count(*) FROM event_arguments").fetchone() == (3,)
