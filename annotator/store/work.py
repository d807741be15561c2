"""Per-user work: article states, the queue (by id or uncertainty), positions, undo history."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from annotator.errors import ProjectError
from annotator.store.connection import now


class WorkStore:
    """Mixed into :class:`annotator.store.Store`; uses its ``db`` connection."""

    db: Any

    # --- per-user state ----------------------------------------------------------------------

    def set_state(self, article_id: int, user: str, state: str) -> None:
        """Record a user's state of an article (``new``, ``in_progress``, ``done``)."""
        self.db["article_states"].upsert(
            {"article_id": article_id, "user": user, "state": state, "updated_at": now()},
            pk=("article_id", "user"),
        )

    def touch_state(self, article_id: int, user: str) -> None:
        """Record that ``user`` works on the article: ``in_progress`` unless the recorded state
        is already past ``new`` (one conditional upsert: no read first)."""
        self.db.execute(
            "INSERT INTO article_states AS st (article_id, user, state, updated_at)"
            " VALUES (?, ?, 'in_progress', ?) ON CONFLICT (article_id, user)"
            " DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at"
            " WHERE COALESCE(st.state, 'new') = 'new'",
            [article_id, user, now()])

    def state_counts(self) -> dict[str, int]:
        """``{state: number of articles some user holds in it}``."""
        return dict(
            self.db.execute(
                "SELECT state, count(DISTINCT article_id) FROM article_states GROUP BY state"
            ).fetchall()
        )

    def state(self, article_id: int, user: str) -> str | None:
        """A user's recorded state of an article, or None when never recorded."""
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
        ``article_priority`` without joining ``articles``: then only ``user``'s priorities);
        ``st`` must be the state join.
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
        if ids == "p.article_id":
            clauses.append("p.user = ?")
            args.append(user)
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", args

    def queue(
        self, user: str, *, state: str | None, search: str | None, label: str | None,
        offset: int, limit: int, order: str = "id",
    ) -> list[tuple[int, str, str, str, int]]:
        """A page of a user's queue, with their state and span count per article.

        ``order="id"``: by article id. ``order="uncertainty"``: articles with a priority stored
        for ``user`` (:meth:`replace_priorities`), highest score first, ties by id; then the
        unscored ones by id. Done articles keep their place (the state filter hides them).

        Why two parts: one ORDER BY over articles LEFT JOIN priorities sorts the whole queue in
        a temp B-tree (40-130 ms per page at 100,000 articles). Here the scored page's ids are
        read in ``idx_article_priority_user_score`` order without touching ``articles`` (a deep page
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
        skip, unscored = 0, _UNSCORED  # the page ends the scored part: the unscored part starts
        if not rows:  # the page starts past the scored part
            sql = "SELECT count(*)" + _FROM_PRIORITY + where
            skip = max(offset - int(self.db.execute(sql, [user, *args]).fetchone()[0]), 0)
            unscored = _UNSCORED_SET if skip else _UNSCORED
        where, args = self._queue_where(user, state, search, label)
        sql = _QUEUE_ROW + _FROM_ARTICLES + _and(where, unscored) + " ORDER BY a.id LIMIT ? OFFSET ?"
        rest = self.db.execute(sql, [user, user, *args, user, limit - len(rows), skip])
        return rows + [tuple(r) for r in rest]

    def queue_count(
        self, user: str, *, state: str | None, search: str | None, label: str | None
    ) -> int:
        """How many articles of a user's queue the same filters as :meth:`queue` give."""
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
        return self._next_article(user, after_id, order, None)

    def _next_article(
        self, user: str, after_id: int, order: str, skip: tuple[str, list[Any]] | None
    ) -> int | None:
        """:meth:`next_article`, also leaving out the articles ``skip`` names: a condition with
        ``{ids}`` for the article id column, and its arguments (claims: others' articles)."""
        not_done = "COALESCE(st.state, 'new') != 'done'"
        if order != "id":
            _check_order(order)
            where, args = self._queue_where(user, None, None, None, ids="p.article_id")
            where, args = _skip(_and(where, not_done), args, skip, "p.article_id")
            sql = "SELECT p.article_id" + _FROM_PRIORITY + where + " AND p.article_id != ?"
            row = self.db.execute(sql + _BY_SCORE + " LIMIT 1", [user, *args, after_id]).fetchone()
            if row:
                return int(row[0])
        where, args = self._queue_where(user, None, None, None)
        where, args = _skip(_and(where, not_done), args, skip, "a.id")
        if order != "id":
            sql = "SELECT a.id" + _FROM_ARTICLES + _and(where, _UNSCORED) + " AND a.id != ? ORDER BY a.id"
            row = self.db.execute(sql + " LIMIT 1", [user, *args, user, after_id]).fetchone()
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
        """Remember where a user was (one position per user)."""
        self.db["positions"].upsert(
            {"user": user, "article_id": article_id, "cursor": cursor, "updated_at": now()},
            pk="user",
        )

    def position(self, user: str) -> tuple[int, int] | None:
        """``(article_id, cursor)`` a user was last at, or None."""
        row = self.db.execute(
            "SELECT article_id, cursor FROM positions WHERE user = ?", [user]
        ).fetchone()
        return (row[0], row[1]) if row else None

    # --- undo history ------------------------------------------------------------------------

    def push_action(self, user: str, article_id: int, action: dict[str, Any],
                    client_id: str | None = None) -> None:
        """Record a done action (and the id of the desk's change that made it); it clears the
        redo branch, as in every editor."""
        self.db.execute(
            "DELETE FROM history WHERE user = ? AND article_id = ? AND undone = 1", [user, article_id]
        )
        self.db["history"].insert(
            {"user": user, "article_id": article_id, "action": json.dumps(action, ensure_ascii=False),
             "undone": 0, "at": now(), "client_id": client_id}
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

    def mark_action(self, action_id: int, *, undone: bool, client_id: str | None = None) -> None:
        """Move an action between the undo and the redo side (by the desk's change ``client_id``)."""
        self.db.execute("UPDATE history SET undone = ?, client_id = ? WHERE id = ?",
                        [int(undone), client_id, action_id])

    def client_change_stored(self, client_id: str) -> bool:
        """Whether a change the desk sent with this id is stored (it wrote or marked a step)."""
        return self.db.execute("SELECT 1 FROM history WHERE client_id = ? LIMIT 1",
                               [client_id]).fetchone() is not None

    # --- active learning: per-article priority, the queue's "uncertainty" order ---

    def replace_priorities(self, user: str, scores: Mapping[int, float], model: str) -> int:
        """Make ``user``'s stored priorities exactly ``scores`` (article id -> uncertainty, nats).

        Every older row of ``user`` goes: a score from another model (or an article since done)
        would rank against the new ones; other users' rows stay (each queue has its own order).
        Run it inside :meth:`transaction`, so the queue switches from the old order to the new
        one at once. Returns how many rows were written.
        """
        self.db.execute("DELETE FROM article_priority WHERE user = ?", [user])
        stamp = now()
        self.db.conn.executemany(
            "INSERT INTO article_priority (user, article_id, score, model, computed_at)"
            " VALUES (?, ?, ?, ?, ?)",
            [(user, article_id, float(score), model, stamp) for article_id, score in scores.items()],
        )
        return len(scores)

    def priorities(self, user: str) -> dict[int, float]:
        """``{article_id: score}`` of ``user``'s stored priorities, in queue order."""
        return dict(self.db.execute(
            "SELECT article_id, score FROM article_priority p WHERE user = ?" + _BY_SCORE, [user]))

    def priority_users(self) -> list[str]:
        """The users who have stored priorities, sorted."""
        return [r[0] for r in self.db.execute("SELECT DISTINCT user FROM article_priority ORDER BY user")]

    def priority_model(self, user: str) -> str | None:
        """The ``model`` tag ``user``'s priorities were computed with (None: no priorities)."""
        row = self.db.execute(
            "SELECT model FROM article_priority WHERE user = ? LIMIT 1", [user]).fetchone()
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
# idx_article_priority_user_score (one user's rows), the unscored part by the articles' rowid;
# the ? of _UNSCORED is the user whose priorities count.
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
_UNSCORED = "NOT EXISTS (SELECT 1 FROM article_priority p WHERE p.user = ? AND p.article_id = a.id)"
# A deep page skips thousands of unscored rows: probing the (user, article_id) key for each of
# them costs more (~150 ms at 100k articles, 66k scored) than reading her scored ids once into
# a set (~45 ms); a page near the start of the unscored part probes only a few hundred.
_UNSCORED_SET = "a.id NOT IN (SELECT p.article_id FROM article_priority p WHERE p.user = ?)"


def _and(where: str, clause: str) -> str:
    """``where`` (empty or `` WHERE ...``) with one more condition."""
    return (where + " AND " if where else " WHERE ") + clause


def _skip(
    where: str, args: list[Any], skip: tuple[str, list[Any]] | None, ids: str
) -> tuple[str, list[Any]]:
    """``where`` and ``args`` with the condition of ``skip`` (see ``_next_article``) added."""
    if skip is None:
        return where, args
    return _and(where, skip[0].format(ids=ids)), [*args, *skip[1]]


def _check_order(order: str) -> None:
    if order not in QUEUE_ORDERS:
        raise ProjectError(f"unknown queue order {order!r}; one of {', '.join(QUEUE_ORDERS)}")
