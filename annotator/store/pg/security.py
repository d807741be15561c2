"""Who may read and write what on a server project, enforced by PostgreSQL itself (ADR 0006).

The core's Gate (:mod:`annotator.permissions`) decides for the desk and the CLI; on a server
anyone with a login can also open ``psql``. So the same rules are written here once more, in
SQL: one group role per project role (``<db>_annotator``, ``<db>_reviewer``, ``<db>_admin``)
carries the table privileges, and a row-level security policy on every table decides the rows,
through functions that read what the Gate reads (``users``, ``team.visibility``, the suggestion
layer registry and the recorded bases of suggestion layers). ``tests/server`` walks the Gate's
answers and checks the database gives the same ones, so the two copies cannot drift.

:func:`apply_security` is idempotent: ``init`` runs it, and so does every layout migration (a
new table must be classified in :data:`TABLES`, or :func:`apply_security` refuses).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from psycopg import sql

from annotator.errors import PermissionDenied, ProjectError
from annotator.model import GOLD
from annotator.suggest.confidence import SETTING as CRF_THRESHOLD_KEY
from annotator.suggest.layers import BASIS_KEY, META_KEY, PREFIXES, SUGGEST_PREFIX

ROLES = ("annotator", "reviewer", "admin")
VISIBILITY_KEY = "team.visibility"  # annotator.permissions.VISIBILITY_KEY (no import: a cycle)
REVIEWER_KEYS = (META_KEY, "suggest.gazetteer_from_corpus", "adjudication.auto_accept")
"""project_meta keys a reviewer may set (suggest --use-layer/--corpus-gazetteer, settings)."""
ANYONE_KEYS = (CRF_THRESHOLD_KEY,)
"""Keys anyone may set: training one's own model records the tuned threshold (as on a file)."""
SIMPLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
SECURITY_VERSION = 4
"""Raise it when a rule below changes: the owner's next open re-applies them (:func:`refresh_security`)."""


@dataclass(frozen=True)
class Rule:
    """Which rows of a table a login reads and writes: two SQL conditions over the row.

    ``{who}`` stands for the login (``current_user``); the column names are the table's own.
    ``writers`` are the project roles granted INSERT/UPDATE/DELETE on the table at all.
    """

    read: str
    write: str
    writers: tuple[str, ...] = ROLES
    lockers: tuple[str, ...] = ()
    """Roles that may LOCK rows they read (``SELECT … FOR NO KEY UPDATE``: a claim locks its
    article) without writing them: PostgreSQL wants UPDATE on a column for that, so they get it
    on ``id`` only, and the update policy lets them reach readable rows while its WITH CHECK
    still refuses any new row they would write."""


ADMIN_ONLY = "annotator_role(current_user) = 'admin'"
REVIEWERS_ONLY = "annotator_role(current_user) IN ('reviewer', 'admin')"


def _layer(column: str) -> Rule:
    """A layer's rule. The sub-select runs once per statement (an InitPlan), so a reviewer's or
    an open project's reads cost no call per row; her own rows match before any call either, and
    another person's (or gold's) are refused by one array test, also computed once."""
    return Rule(f"(SELECT annotator_sees_all(current_user)) OR {column} = current_user"
                f" OR {column} <> ALL ((SELECT annotator_persons())::text[])"
                f" AND annotator_can_read({column}, current_user)",
                f"annotator_can_write({column}, current_user)")


TABLES: dict[str, Rule] = {
    # a layer's rows: the Gate's can_read / can_write of that layer
    "spans": _layer("annotator"),
    "gold_decisions": Rule(f"annotator_can_read('{GOLD}', current_user)",
                           f"annotator_can_write('{GOLD}', current_user)", ("reviewer", "admin")),
    "gold_link_decisions": Rule(f"annotator_can_read('{GOLD}', current_user)",
                                f"annotator_can_write('{GOLD}', current_user)", ("reviewer", "admin")),
    # one user's work: read as her layer is read (gold's state is gold's); written as it is written
    "article_states": _layer('"user"'),
    "positions": _layer('"user"'),
    "history": _layer('"user"'),
    "suggestion_rejections": Rule(
        'annotator_can_read("user", current_user) AND annotator_can_read(layer, current_user)',
        'annotator_can_write("user", current_user) AND annotator_can_read(layer, current_user)'),
    # a queue order is her own, or an admin's to set (Gate.can_act_for)
    "article_priority": Rule('annotator_can_read("user", current_user)',
                             'annotator_can_act_for("user", current_user)'),
    # a package's base is its holder's spans
    "work_packages": Rule('annotator_can_read("user", current_user)', ADMIN_ONLY, ("admin",)),
    # a model is what it learnt from; it is written into the suggestion layer it fills
    "suggestion_models": Rule("annotator_can_read_basis(info)",
                              f"annotator_can_write('{SUGGEST_PREFIX}' || name, current_user)"),
    # shared by everyone: the corpus, the schema, who is who, assignments, settings
    "articles": Rule("true", REVIEWERS_ONLY, ("reviewer", "admin"), lockers=("annotator",)),
    "article_search": Rule("true", REVIEWERS_ONLY, ("reviewer", "admin")),
    "label_schemas": Rule("true", ADMIN_ONLY, ("admin",)),
    "users": Rule("true", ADMIN_ONLY, ("admin",)),
    "assignments": Rule("true", ADMIN_ONLY, ("admin",)),
    "gazetteer_names": Rule("true", REVIEWERS_ONLY, ("reviewer", "admin")),
    # per key, by the trigger annotator_guard_meta (a row's policy cannot see the old value)
    "project_meta": Rule("true", "true"),
    "annotator_layout": Rule("true", ADMIN_ONLY, ("admin",)),
    # who holds which article: everyone sees them (the queue skips others'); one takes or gives
    # back one's own, or takes over a lapsed one (stamps are the server's ISO 8601 UTC text)
    "claims": Rule("true", 'annotator_can_act_for("user", current_user) OR expires_at <= to_char('
                   "clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"+00:00\"')"),
    # relations and events (issue 15, layout 7) are links inside one layer: its rule; an event's
    # arguments are read and written as their event is (a sub-select that is itself filtered)
    "relations": _layer("annotator"),
    "events": _layer("annotator"),
    "event_arguments": Rule(
        "EXISTS (SELECT 1 FROM events e WHERE e.id = event_id)",
        "EXISTS (SELECT 1 FROM events e WHERE e.id = event_id"
        " AND annotator_can_write(e.annotator, current_user))"),
}
"""Every table of a server project and its rule; a table missing here is refused."""


def group_role(database: str, role: str) -> str:
    """The group role carrying ``role``'s privileges in database ``database``."""
    return f"{database}_{role}"


def check_login_name(name: str) -> None:
    """Refuse a login that is not a simple lower-case identifier (what libpq URLs spell as-is)."""
    if not SIMPLE_NAME.fullmatch(name) or name.startswith("pg_") or name == GOLD:
        raise PermissionDenied(
            f"{name!r} cannot be a server login: use lower-case letters, digits and _, "
            "starting with a letter (not pg_..., not gold)")


def _functions(schema: str) -> list[str]:
    """The Gate's rules in SQL. ``SET search_path`` pins the tables read (a login's temporary
    table named ``users`` must not stand in for the project's)."""
    pin = f"SET search_path = {schema}, pg_temp"
    prefixes = " OR ".join(f"starts_with(layer, '{p}')" for p in PREFIXES)
    return [
        f"""CREATE OR REPLACE FUNCTION annotator_security_version() RETURNS integer
        LANGUAGE sql IMMUTABLE AS $$ SELECT {SECURITY_VERSION} $$""",
        f"""CREATE OR REPLACE FUNCTION annotator_meta(k text) RETURNS text
        LANGUAGE sql STABLE {pin} AS $$ SELECT value FROM project_meta WHERE key = k $$""",
        # The Gate's acting_role: the registered role, admin before any admin; the owner is admin.
        f"""CREATE OR REPLACE FUNCTION annotator_role(who text) RETURNS text
        LANGUAGE sql STABLE {pin} AS $$
          SELECT CASE
            WHEN who = (SELECT pg_get_userbyid(relowner) FROM pg_class
                        WHERE oid = '{schema}.users'::regclass) THEN 'admin'
            WHEN NOT EXISTS (SELECT 1 FROM users WHERE role = 'admin') THEN 'admin'
            ELSE coalesce((SELECT role FROM users WHERE name = who), 'annotator') END $$""",
        f"""CREATE OR REPLACE FUNCTION annotator_sees_all(who text) RETURNS boolean
        LANGUAGE sql STABLE {pin} AS $$
          SELECT annotator_role(who) IN ('reviewer', 'admin')
              OR coalesce(annotator_meta('{VISIBILITY_KEY}'), 'blind') = 'open' $$""",
        f"""CREATE OR REPLACE FUNCTION annotator_is_person(layer text) RETURNS boolean
        LANGUAGE sql STABLE {pin} AS $$
          SELECT layer = '{GOLD}' OR EXISTS (SELECT 1 FROM users WHERE name = layer) $$""",
        f"""CREATE OR REPLACE FUNCTION annotator_persons() RETURNS text[]
        LANGUAGE sql STABLE {pin} AS $$
          SELECT array_append(coalesce(array_agg(name), '{{}}'), '{GOLD}') FROM users $$""",
        f"""CREATE OR REPLACE FUNCTION annotator_is_suggestion(layer text) RETURNS boolean
        LANGUAGE sql STABLE {pin} AS $$
          SELECT {prefixes} OR coalesce(annotator_meta('{META_KEY}'), '[]')::jsonb ? layer $$""",
        # Gate.can_read; depth stops a cycle of bases (a -> b -> a) the Gate would never record.
        f"""CREATE OR REPLACE FUNCTION annotator_can_read(layer text, who text, depth int DEFAULT 0)
        RETURNS boolean LANGUAGE plpgsql STABLE {pin} AS $$
        DECLARE basis jsonb;
        BEGIN
          IF layer = who OR annotator_sees_all(who) THEN RETURN true; END IF;
          IF annotator_is_person(layer) OR NOT annotator_is_suggestion(layer) THEN RETURN false; END IF;
          IF NOT starts_with(layer, '{SUGGEST_PREFIX}') THEN RETURN true; END IF;
          basis := coalesce(annotator_meta('{BASIS_KEY}'), '{{}}')::jsonb -> layer;
          IF depth > 8 OR basis IS NULL OR jsonb_typeof(basis) <> 'array' THEN RETURN false; END IF;
          RETURN NOT EXISTS (SELECT 1 FROM jsonb_array_elements_text(basis) b
                             WHERE b <> layer AND NOT annotator_can_read(b, who, depth + 1));
        END $$""",
        f"""CREATE OR REPLACE FUNCTION annotator_can_read_basis(info text) RETURNS boolean
        LANGUAGE sql STABLE {pin} AS $$
          SELECT NOT EXISTS (
            SELECT 1 FROM jsonb_array_elements_text(coalesce(info::jsonb -> 'basis', '[]')) b
            WHERE NOT annotator_can_read(b, current_user)) $$""",
        # permissions.lookalike_problem: blanks at an end, control or format characters, Gold.
        f"""CREATE OR REPLACE FUNCTION annotator_lookalike(layer text) RETURNS boolean
        LANGUAGE sql IMMUTABLE {pin} AS $$
          SELECT layer = '' OR layer <> btrim(layer, E' \\t\\n\\r\\f\\v')
              OR layer ~ '[[:cntrl:]\\u00ad\\u0600-\\u0605\\u061c\\u06dd\\u070f\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff\\ufff9-\\ufffb]'
              OR (lower(layer) = '{GOLD}' AND layer <> '{GOLD}') $$""",
        # Gate.can_write (and require_write's refusal of lookalike names).
        f"""CREATE OR REPLACE FUNCTION annotator_can_write(layer text, who text) RETURNS boolean
        LANGUAGE sql STABLE {pin} AS $$
          SELECT NOT annotator_lookalike(layer) AND CASE
            WHEN annotator_role(who) = 'admin' OR layer = who
              OR (starts_with(layer, '{SUGGEST_PREFIX}') AND right(layer, length(who) + 1) = '/' || who)
              THEN true
            WHEN annotator_role(who) = 'reviewer'
              THEN layer = '{GOLD}' OR NOT annotator_is_person(layer)
            ELSE false END $$""",
        f"""CREATE OR REPLACE FUNCTION annotator_can_act_for(target text, who text) RETURNS boolean
        LANGUAGE sql STABLE {pin} AS $$
          SELECT target = who OR annotator_role(who) = 'admin' $$""",
        _META_GUARD.format(pin=pin, basis=BASIS_KEY,
                           reviewer_keys=_sql_list(REVIEWER_KEYS), anyone_keys=_sql_list(ANYONE_KEYS)),
    ]


def _sql_list(values: tuple[str, ...]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


_META_GUARD = """CREATE OR REPLACE FUNCTION annotator_guard_meta() RETURNS trigger
LANGUAGE plpgsql {pin} AS $$
DECLARE
  who text := current_user;
  role text := annotator_role(current_user);
  k text := coalesce(NEW.key, OLD.key);
  before jsonb; after jsonb; layer text;
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.key <> OLD.key THEN
    RAISE EXCEPTION 'project_meta: a key is not renamed' USING ERRCODE = '42501';
  END IF;
  IF role = 'admin' OR k = 'queue_order:' || who OR k IN ({anyone_keys}) THEN
    RETURN coalesce(NEW, OLD);
  END IF;
  IF k IN ({reviewer_keys}) AND role = 'reviewer' THEN RETURN coalesce(NEW, OLD); END IF;
  IF k = '{basis}' AND TG_OP <> 'DELETE' THEN
    -- one may record (or change) only the bases of layers one may write
    before := CASE WHEN TG_OP = 'UPDATE' THEN coalesce(OLD.value, '{{}}')::jsonb ELSE '{{}}' END;
    after := coalesce(NEW.value, '{{}}')::jsonb;
    FOR layer IN SELECT key FROM jsonb_each(before) UNION SELECT key FROM jsonb_each(after) LOOP
      IF (before -> layer) IS DISTINCT FROM (after -> layer)
         AND NOT annotator_can_write(layer, who) THEN
        RAISE EXCEPTION 'permission denied: % may not record what layer % was built from', who, layer
          USING ERRCODE = '42501';
      END IF;
    END LOOP;
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'permission denied: % (%) may not set %', who, role, k USING ERRCODE = '42501';
END $$"""


def _tables(cur: Any, schema: str) -> list[str]:
    cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s ORDER BY tablename", (schema,))
    return [row[0] for row in cur.fetchall()]


def apply_security(conn: Any) -> None:
    """Create or refresh the group roles, grants, functions and policies of this database.

    Run by the project's owner (who ran ``init``, with CREATEROLE; PostgreSQL answers her as an
    admin, as the Gate answers anyone before a first admin is registered), in one transaction: a table
    not in :data:`TABLES` stops it before anything changed (RLS fails closed: a table with no
    policy would show nobody its rows, but a table without RLS would show everyone all).
    """
    with conn.transaction(), conn.cursor() as cur:
        cur.execute("SELECT current_database(), current_schema(), current_user")
        database, schema, owner = cur.fetchone()
        unknown = [t for t in _tables(cur, schema) if t not in TABLES]
        if unknown:
            raise ProjectError(
                f"{database}: tables with no access rule ({', '.join(unknown)}): classify them in "
                "annotator/store/pg/security.py TABLES")
        _make_groups(cur, database, schema)
        for statement in _functions(schema):
            cur.execute(statement)
        for table in _tables(cur, schema):
            _protect(cur, database, table, TABLES[table])
        cur.execute("DROP TRIGGER IF EXISTS annotator_guard_meta ON project_meta")
        cur.execute("CREATE TRIGGER annotator_guard_meta BEFORE INSERT OR UPDATE OR DELETE"
                    " ON project_meta FOR EACH ROW EXECUTE FUNCTION annotator_guard_meta()")
        cur.execute(sql.SQL("GRANT {} TO {} WITH ADMIN OPTION").format(
            sql.SQL(", ").join(sql.Identifier(group_role(database, r)) for r in ROLES),
            sql.Identifier(owner)))


def _make_groups(cur: Any, database: str, schema: str) -> None:
    """The three group roles; only they may connect (no TEMP: see _functions on search_path)."""
    db = sql.Identifier(database)
    cur.execute(sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC").format(db))
    for role in ROLES:
        group = sql.Identifier(group_role(database, role))
        cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (group_role(database, role),))
        if cur.fetchone() is None:
            cur.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(group))
        cur.execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(db, group))
        cur.execute(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(sql.Identifier(schema), group))
        cur.execute(sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {} TO {}").format(
            sql.Identifier(schema), group))


def _protect(cur: Any, database: str, table: str, rule: Rule) -> None:
    """Grants and policies of one table: SELECT to every role, writes to ``rule.writers``."""
    name = sql.Identifier(table)
    groups = [sql.Identifier(group_role(database, r)) for r in ROLES]
    cur.execute(sql.SQL("REVOKE ALL ON {} FROM PUBLIC, {}").format(name, sql.SQL(", ").join(groups)))
    cur.execute(sql.SQL("GRANT SELECT ON {} TO {}").format(name, sql.SQL(", ").join(groups)))
    writers = [sql.Identifier(group_role(database, r)) for r in rule.writers]
    cur.execute(sql.SQL("GRANT INSERT, UPDATE, DELETE ON {} TO {}").format(
        name, sql.SQL(", ").join(writers)))
    if rule.lockers:
        cur.execute(sql.SQL("GRANT UPDATE (id) ON {} TO {}").format(name, sql.SQL(", ").join(
            sql.Identifier(group_role(database, r)) for r in rule.lockers)))
    cur.execute(sql.SQL("ALTER TABLE {} ENABLE ROW LEVEL SECURITY").format(name))
    read, write = sql.SQL(rule.read), sql.SQL(rule.write)
    reach = read if rule.lockers else write  # which rows an UPDATE (or a row lock) may touch
    policies = {
        "annotator_read": sql.SQL("FOR SELECT USING ({})").format(read),
        "annotator_insert": sql.SQL("FOR INSERT WITH CHECK ({})").format(write),
        "annotator_update": sql.SQL("FOR UPDATE USING ({}) WITH CHECK ({})").format(reach, write),
        "annotator_delete": sql.SQL("FOR DELETE USING ({})").format(write),
    }
    for policy, body in policies.items():
        cur.execute(sql.SQL("DROP POLICY IF EXISTS {} ON {}").format(sql.Identifier(policy), name))
        cur.execute(sql.SQL("CREATE POLICY {} ON {} ").format(sql.Identifier(policy), name) + body)


def refresh_security(conn: Any) -> bool:
    """Re-apply the rules when the owner opens a project they no longer fully cover; True if so.

    The migration of a server project's security: this release's rules are newer than the
    database's (:data:`SECURITY_VERSION`), or a table has no row-level security (a layout
    migration added it). Only the owner can change them; anyone else opens the project as it is.
    """
    with conn.cursor() as cur:
        cur.execute("SELECT pg_get_userbyid(relowner) = current_user FROM pg_class"
                    " WHERE oid = to_regclass('users')")
        row = cur.fetchone()
        if row is None or not row[0]:
            return False
        cur.execute("SELECT count(*) FROM pg_proc WHERE proname = 'annotator_security_version'"
                    " AND pronamespace = current_schema()::regnamespace")
        version = 0
        if cur.fetchone()[0]:
            cur.execute("SELECT annotator_security_version()")
            version = int(cur.fetchone()[0])
        cur.execute("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"
                    " AND NOT rowsecurity")
        unprotected = int(cur.fetchone()[0])
    if version >= SECURITY_VERSION and not unprotected:
        return False
    apply_security(conn)
    return True
