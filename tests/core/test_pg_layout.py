"""The server project's layout over time: an older one is brought forward once (as the file's
migrations do), and ids given explicitly (undo restoring a span or a link under its old id)
never make a later new row collide with them."""

from __future__ import annotations

import pytest

from annotator.model import Relation, Span
from annotator.store.layout import LAYOUT_VERSION

psycopg = pytest.importorskip("psycopg")

from annotator.store.pg import PgStore, ddl  # noqa: E402

TEXT = "زار وزير الدفاع دمشق يوم الأحد"
_LAYOUT_6 = sum(statement.startswith("CREATE TABLE") for statement in ddl.TABLES)


def _article(store: PgStore) -> int:
    with store.transaction():
        return store.insert_article(doc_id="a1", title="t", text=TEXT, meta={}, content_hash="h",
                                    source_path="", title_key="", text_key="")


def test_a_layout_6_server_project_is_upgraded_once_on_open(pg_url: str) -> None:
    PgStore(pg_url, create=True).close()
    with psycopg.connect(pg_url, autocommit=True) as conn:  # as the first server release left it
        # Everything the steps after 6 made: their tables (newest first), the live triggers,
        # the history's client ids.
        conn.execute("DROP FUNCTION annotator_notify() CASCADE")
        conn.execute("ALTER TABLE history DROP COLUMN client_id")  # layout 10
        for table in reversed(ddl.PROJECT_TABLES_IN_ORDER[_LAYOUT_6:]):
            conn.execute(f"DROP TABLE {table}")
        conn.execute(f"UPDATE {ddl.LAYOUT_TABLE} SET version = 6")
    reader = PgStore(pg_url, read_only=True)  # a reader upgrades too, on a connection of its own
    reader.close()
    with psycopg.connect(pg_url) as conn:
        assert conn.execute(f"SELECT version FROM {ddl.LAYOUT_TABLE}").fetchall() == [
            (LAYOUT_VERSION,)]
        assert conn.execute("SELECT count(*) FROM claims").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM pg_trigger WHERE tgname = 'spans_notify'"
                            ).fetchone() == (1,)
    store = PgStore(pg_url)
    try:
        aid = _article(store)
        with store.transaction():
            head = store.insert_span(aid, Span(4, 15, "PERSON", TEXT[4:15], "ali"))
            tail = store.insert_span(aid, Span(16, 20, "LOCATION", TEXT[16:20], "ali"))
            store.insert_relation(aid, Relation("located-in", head, tail, "ali"))
        assert [r.type for r in store.relations(aid)] == ["located-in"]
    finally:
        store.close()


def test_explicit_ids_push_the_sequences_past_them(pg_url: str) -> None:
    store = PgStore(pg_url, create=True)
    try:
        aid = _article(store)
        with store.transaction():
            restored = store.restore_span(aid, Span(4, 15, "PERSON", TEXT[4:15], "ali", 500))
            head = store.insert_span(aid, Span(16, 20, "LOCATION", TEXT[16:20], "ali"))
            kept = store.insert_relation(aid, Relation("r", restored, head, "ali", 900))
            fresh = store.insert_relation(aid, Relation("s", restored, head, "ali"))
        assert restored.id == 500 and head.id == 501
        assert kept.id == 900 and fresh.id == 901
    finally:
        store.close()
