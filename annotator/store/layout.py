"""The project file's tables, version by version.

``MIGRATIONS[i]`` brings a database from layout version ``i`` to ``i + 1``; the version lives in
``PRAGMA user_version``. Never edit a released step: append a new one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils


def _v1(db: sqlite_utils.Database) -> None:
    db.table("project_meta").create({"key": str, "value": str}, pk="key")
    db.table("label_schemas").create(
        {"version": int, "json": str, "created_at": str, "note": str}, pk="version"
    )
    db.table("articles").create(
        {
            "id": int, "doc_id": str, "title": str, "text": str, "meta": str,
            "content_hash": str, "source_path": str, "imported_at": str,
        },
        pk="id", not_null={"doc_id", "text", "content_hash"},
    )
    db.table("articles").create_index(["doc_id"], unique=True)
    db.table("articles").create_index(["content_hash"], unique=True)
    db.table("spans").create(
        {
            "id": int, "article_id": int, "start": int, "end": int, "label": str, "text": str,
            "annotator": str, "provenance": str, "created_at": str, "updated_at": str,
        },
        pk="id", foreign_keys=[("article_id", "articles", "id")],
        not_null={"article_id", "start", "end", "label", "text", "annotator"},
    )
    # One annotator cannot hold the same labelled range twice: makes re-imports and merges idempotent.
    db.table("spans").create_index(["article_id", "annotator", "start", "end", "label"], unique=True)
    db.table("spans").create_index(["label"])
    db.table("spans").create_index(["annotator"])
    db.table("users").create({"name": str, "role": str, "created_at": str}, pk="name")
    db.table("article_states").create(
        {"article_id": int, "user": str, "state": str, "updated_at": str},
        pk=("article_id", "user"), foreign_keys=[("article_id", "articles", "id")],
    )
    db.table("article_states").create_index(["user", "state"])
    db.table("positions").create(
        {"user": str, "article_id": int, "cursor": int, "updated_at": str}, pk="user"
    )
    db.table("history").create(
        {"id": int, "user": str, "article_id": int, "action": str, "undone": int, "at": str},
        pk="id",
    )
    db.table("history").create_index(["user", "article_id"])
    db.table("assignments").create(
        {"article_id": int, "user": str, "assigned_at": str},
        pk=("article_id", "user"), foreign_keys=[("article_id", "articles", "id")],
    )
    db.table("assignments").create_index(["user"])
    # Normalised keys for search (title and text folded by annotator.text.normalize), trigram-indexed
    # so a substring of an Arabic word (a stem without its clitics) is found too.
    db.execute(
        "CREATE VIRTUAL TABLE article_search USING fts5(title_key, text_key, tokenize='trigram')"
    )


def _v2(db: sqlite_utils.Database) -> None:
    # Adjudication decisions (accept / edit / reject / auto) per disagreement region of an
    # article: a rejection leaves no gold span, so the decision itself must be stored.
    db.table("gold_decisions").create(
        {
            "id": int, "article_id": int, "start": int, "end": int, "decision": str,
            "detail": str, "decided_by": str, "decided_at": str,
        },
        pk="id", foreign_keys=[("article_id", "articles", "id")],
        not_null={"article_id", "start", "end", "decision", "decided_by"},
    )
    db.table("gold_decisions").create_index(["article_id", "start", "end"], unique=True)


def _v3(db: sqlite_utils.Database) -> None:
    """Suggestions (annotator.suggest): remembered rejections, gazetteer names, trained models."""
    db.table("suggestion_rejections").create(
        {"id": int, "article_id": int, "user": str, "start": int, "end": int, "label": str,
         "layer": str, "text": str, "at": str},
        pk="id", foreign_keys=[("article_id", "articles", "id")],
    )
    # A user rejects a (range, label) of an article once; rejecting it again is a no-op.
    db.table("suggestion_rejections").create_index(
        ["article_id", "user", "start", "end", "label"], unique=True
    )
    db.table("gazetteer_names").create(
        {"label": str, "name": str, "key": str, "source": str}, pk=("label", "key", "source")
    )
    db.table("suggestion_models").create(
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


def _v5(db: sqlite_utils.Database) -> None:
    """The registry of issued work packages (annotator.team.packages).

    A package is a file its holder can edit, so nothing it says about itself can be trusted:
    the project keeps, per package id (random, 128 bits), whom it was issued to and that
    person's spans at packing time (``base``: JSON ``{content_hash: [[start, end, label]]}``,
    also naming the articles packed). Merge reads the owner and the base from here.
    """
    db.table("work_packages").create(
        {"id": str, "user": str, "created_by": str, "created_at": str, "schema_version": int,
         "base": str},
        pk="id", not_null={"user", "base"},
    )


def _v6(db: sqlite_utils.Database) -> None:
    """Queue priorities per user: each user's queue is ordered by a model she may read.

    Layout 4 kept ONE order for everyone, so one annotator's ``suggest --order`` (or desk
    retrain) replaced everyone's, computed by a model trained on layers others may not read.
    Now a row is ``(user, article_id)``; the index delivers one user's rows in queue order.

    The old shared rows are kept for whoever was allowed to read any model: the reviewers and
    admins of a team project, or, before a project has an admin (roles not enforced), every
    user the project knows (registered, with a state or a desk position). Annotators of a team
    lose the shared order: it came from a model whose basis nobody recorded; their next
    ``suggest --order`` (or Ctrl+Shift+R) computes their own.
    """
    db.execute("ALTER TABLE article_priority RENAME TO article_priority_v5")
    db.execute(
        "CREATE TABLE article_priority (user TEXT NOT NULL,"
        " article_id INTEGER NOT NULL REFERENCES articles(id), score REAL NOT NULL, model TEXT,"
        " computed_at TEXT, PRIMARY KEY (user, article_id))"
    )
    db.execute(
        "CREATE INDEX idx_article_priority_user_score ON article_priority (user, score DESC, article_id)"
    )
    team = db.execute("SELECT 1 FROM users WHERE role = 'admin' LIMIT 1").fetchone() is not None
    readers = (
        "SELECT name FROM users WHERE role IN ('reviewer', 'admin')" if team else
        "SELECT name FROM users UNION SELECT user FROM article_states WHERE user != 'gold'"
        " UNION SELECT user FROM positions"
    )
    db.execute(
        "INSERT INTO article_priority (user, article_id, score, model, computed_at)"
        f" SELECT r.name, p.article_id, p.score, p.model, p.computed_at FROM ({readers}) r"
        " CROSS JOIN article_priority_v5 p"
    )
    db.execute("DROP TABLE article_priority_v5")


def _v7(db: sqlite_utils.Database) -> None:
    """Relations and event frames (issue 15): links between spans of one layer.

    Every link names its spans by id with a FOREIGN KEY, so a link can never point at a span
    that is gone. ``ON DELETE CASCADE``: the session removes a span's links itself (recording
    them for undo, ``annotator.linking``); the cascade covers the other paths that drop spans
    (a layer replaced by an import, a label merge's duplicates), which must not fail on a link.
    ``annotator`` repeats the spans' layer so the gate and exports filter links without a join.
    """
    db.execute(
        "CREATE TABLE relations (id INTEGER PRIMARY KEY,"
        " article_id INTEGER NOT NULL REFERENCES articles(id), type TEXT NOT NULL,"
        " head_id INTEGER NOT NULL REFERENCES spans(id) ON DELETE CASCADE,"
        " tail_id INTEGER NOT NULL REFERENCES spans(id) ON DELETE CASCADE,"
        " annotator TEXT NOT NULL, provenance TEXT NOT NULL DEFAULT '', created_at TEXT,"
        " updated_at TEXT)"
    )
    db.execute("CREATE UNIQUE INDEX idx_relations_ends ON relations (head_id, tail_id, type)")
    db.execute("CREATE INDEX idx_relations_article ON relations (article_id, annotator)")
    db.execute("CREATE INDEX idx_relations_tail ON relations (tail_id)")
    db.execute(
        "CREATE TABLE events (id INTEGER PRIMARY KEY,"
        " article_id INTEGER NOT NULL REFERENCES articles(id), type TEXT NOT NULL,"
        " trigger_id INTEGER NOT NULL REFERENCES spans(id) ON DELETE CASCADE,"
        " annotator TEXT NOT NULL, provenance TEXT NOT NULL DEFAULT '', created_at TEXT,"
        " updated_at TEXT)"
    )
    db.execute("CREATE UNIQUE INDEX idx_events_trigger ON events (trigger_id, type)")
    db.execute("CREATE INDEX idx_events_article ON events (article_id, annotator)")
    db.execute(
        "CREATE TABLE event_arguments ("
        " event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,"
        " role TEXT NOT NULL, span_id INTEGER NOT NULL REFERENCES spans(id) ON DELETE CASCADE,"
        " created_at TEXT, PRIMARY KEY (event_id, role, span_id))"
    )
    db.execute("CREATE INDEX idx_event_arguments_span ON event_arguments (span_id)")


def _v8(db: sqlite_utils.Database) -> None:
    """Adjudication decisions on link slots (issue 15), as ``gold_decisions`` holds them for span
    regions: a rejected relation or argument leaves no gold link, so the decision itself is
    stored, under the slot's text key (``annotator.review.link_slots``). ``IF NOT EXISTS``: a
    file whose version was set back by hand (or by a test simulating an older layout) keeps
    its table and still upgrades.
    """
    db.execute(
        "CREATE TABLE IF NOT EXISTS gold_link_decisions (id INTEGER PRIMARY KEY,"
        " article_id INTEGER NOT NULL REFERENCES articles(id), slot TEXT NOT NULL,"
        " decision TEXT NOT NULL, detail TEXT, decided_by TEXT NOT NULL, decided_at TEXT)"
    )
    db.execute(
        "CREATE UNIQUE INDEX IF NOT EXISTS idx_gold_link_decisions_slot"
        " ON gold_link_decisions (article_id, slot)"
    )


def _v9(db: sqlite_utils.Database) -> None:
    """Claims: who is working on which article now, so the next article is never handed to two
    people at once (issue 14). One row per article (the primary key makes a second holder
    impossible); a claim whose ``expires_at`` has passed is free again, so work abandoned by a
    closed laptop returns to the pool without anyone cleaning up. Stamps are ISO 8601 UTC text
    (:func:`annotator.clock.now`), which compares in time order. ``IF NOT EXISTS``: a file
    whose version was set back by hand (tests of older layouts, a package) already has it.
    """
    db.execute(
        "CREATE TABLE IF NOT EXISTS claims (article_id INTEGER PRIMARY KEY REFERENCES articles(id),"
        " user TEXT NOT NULL, claimed_at TEXT NOT NULL, expires_at TEXT NOT NULL)"
    )
    db.execute("CREATE INDEX IF NOT EXISTS idx_claims_user ON claims (user)")


def _v10(db: sqlite_utils.Database) -> None:
    """The id a desk gives each change it sends (``history.client_id``), stored with the change's
    undo step in the same transaction: when a server's acknowledgement is lost after its COMMIT,
    the desk sends the change again, and a change whose id is stored is not made twice
    (:meth:`annotator.editing.Editing.send`). A file is never offline, but keeps the same layout
    (copies and one contract suite for both backends)."""
    columns = {c.name for c in db.table("history").columns}
    if "client_id" not in columns:
        db.execute("ALTER TABLE history ADD COLUMN client_id TEXT")
    db.execute("CREATE INDEX IF NOT EXISTS idx_history_client_id ON history (client_id)")


MIGRATIONS = [_v1, _v2, _v3, _v4, _v5, _v6, _v7, _v8, _v9, _v10]
"""``MIGRATIONS[i]`` brings a database from layout version ``i`` to ``i + 1``."""
LAYOUT_VERSION = len(MIGRATIONS)
