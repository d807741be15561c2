"""A secured server project for the tests, and connecting to it as one of its logins."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from psycopg import sql

from annotator.store.pg.security import apply_security
from tests.conftest import pg_with_user

CHECKED = "annotator_password_checked"
"""scripts/pg-cluster.sh asks this group's members for their password (the rest is trusted)."""


@contextmanager
def server_project(url: str) -> Iterator[psycopg.Connection]:
    """The owner's connection (autocommit) to a new project in the empty database ``url``."""
    with psycopg.connect(url, autocommit=True) as owner:
        _create_tables(owner)
        apply_security(owner)
        yield owner


def _create_tables(owner: psycopg.Connection) -> None:
    owner.execute(DDL)


def checked(owner: psycopg.Connection, *logins: str) -> None:
    """Make the throwaway cluster check these logins' passwords."""
    if owner.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (CHECKED,)).fetchone() is None:
        owner.execute(sql.SQL("CREATE ROLE {}").format(sql.Identifier(CHECKED)))
    for login in logins:
        owner.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(CHECKED), sql.Identifier(login)))


def as_login(url: str, user: str, password: str) -> psycopg.Connection:
    """A connection (autocommit) as ``user``: what she would type into psql."""
    return psycopg.connect(pg_with_user(url, user, password), autocommit=True)


DDL = """
CREATE TABLE project_meta (key text PRIMARY KEY, value text);
CREATE TABLE label_schemas (version int PRIMARY KEY, json text, created_at text, note text);
CREATE TABLE articles (id bigserial PRIMARY KEY, doc_id text NOT NULL UNIQUE, title text,
  text text NOT NULL, meta text, content_hash text NOT NULL UNIQUE, source_path text, imported_at text);
CREATE TABLE spans (id bigserial PRIMARY KEY, article_id bigint NOT NULL REFERENCES articles(id),
  start int NOT NULL, "end" int NOT NULL, label text NOT NULL, text text NOT NULL,
  annotator text NOT NULL, provenance text, created_at text, updated_at text);
CREATE TABLE users (name text PRIMARY KEY, role text, created_at text);
CREATE TABLE article_states (article_id bigint REFERENCES articles(id), "user" text, state text,
  updated_at text, PRIMARY KEY (article_id, "user"));
CREATE TABLE positions ("user" text PRIMARY KEY, article_id bigint, cursor int, updated_at text);
CREATE TABLE history (id bigserial PRIMARY KEY, "user" text, article_id bigint, action text,
  undone int, at text);
CREATE TABLE assignments (article_id bigint REFERENCES articles(id), "user" text, assigned_at text,
  PRIMARY KEY (article_id, "user"));
CREATE TABLE gold_decisions (id bigserial PRIMARY KEY, article_id bigint NOT NULL, start int NOT NULL,
  "end" int NOT NULL, decision text NOT NULL, detail text, decided_by text NOT NULL, decided_at text);
CREATE TABLE suggestion_rejections (id bigserial PRIMARY KEY, article_id bigint, "user" text,
  start int, "end" int, label text, layer text, text text, at text);
CREATE TABLE gazetteer_names (label text, name text, key text, source text,
  PRIMARY KEY (label, key, source));
CREATE TABLE suggestion_models (name text PRIMARY KEY, model bytea, info text, trained_at text);
CREATE TABLE article_priority ("user" text NOT NULL, article_id bigint NOT NULL, score real NOT NULL,
  model text, computed_at text, PRIMARY KEY ("user", article_id));
CREATE TABLE work_packages (id text PRIMARY KEY, "user" text NOT NULL, created_by text,
  created_at text, schema_version int, base text NOT NULL);
"""
"""Stand-in for PgStore's DDL until it lands (same names as annotator/store/layout.py)."""
