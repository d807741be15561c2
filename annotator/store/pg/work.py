"""Per-user work on the server: states, the queue (by id or uncertainty), positions, undo history.

The same queries as ``annotator/store/work.py`` (same two-part uncertainty order, same page
semantics), with ``"user"`` quoted and the substring search done by ILIKE over the folded keys
(served by the trigram indexes) where the file uses FTS5's trigram MATCH.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from annotator.clock import now
from annotator.errors import ProjectError
from annotator.store.pg.connection import PgBase
from annotator.store.work import QUEUE_ORDERS


class PgWork(PgBase):
    """Part of :class:`annotator.store.pg.PgStore`."""

    # --- per-user state ----------------------------------------------------------------------

    def set_state(self, article_id: int, user: str, state: str) -> None:
        """Record a user's state of an article (``new``, ``in_progress``, ``done``)."""
        self._send(
            'INSERT INTO article_states (article_id, "user", state, updated_at)'
            " VALUES (%s, %s, %s, %s) ON CONFLICT (article_id, \"user\")"
            " DO UPDATE SET state = EXCLUDED.state, updated_at = EXCLUDED.updated_at",
            [article_id, user, state, now()])

    def touch_state(self, article_id: int, user: str) -> None:
        """Record that ``user`` works on the article: ``in_progress`` unless the recorded state
        is already past ``new`` (one conditional upsert: no read first)."""
        self._send(
            'INSERT INTO article_states AS st (article_id, "user", state, updated_at)'
            " VALUES (%s, %s, 'in_progress', %s) ON CONFLICT (article_id, \"user\")"
            " DO UPDATE SET state = EXCLUDED.state, updated_at = EXCLUDED.updated_at"
            " WHERE COALESCE(st.state, 'new') = 'new'",
            [article_id, user, now()])

    def state_counts(self) -> dict[str, int]:
        """``{state: number of articles some user holds in it}``."""
        return {r[0]: int(r[1]) for r in self._all(
            "SELECT state, count(DISTINCT article_id) FROM article_states GROUP BY state")}

    def state(self, article_id: int, user: str) -> str | None:
        """A user's recorded state of an article, or None when never recorded."""
        row = self._one(
            'SELECT state FROM article_states WHERE article_id = %s AND "user" = %s',
            [article_id, user])
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
        if self._one('SELECT 1 FROM assignments WHERE "user" = %s LIMIT 1', [user]):
            clauses.append(f'{ids} IN (SELECT article_id FROM assignments WHERE "user" = %s)')
            args.append(user)
        if state:
            clauses.append("COALESCE(st.state, 'new') = %s")
            args.append(state)
        if search:
            pattern = "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            if len(search) >= 3:
                # A substring of either folded key, as FTS5's quoted trigram phrase matches.
                clauses.append(
                    f"{ids} IN (SELECT article_id FROM article_search"
                    " WHERE title_key ILIKE %s OR text_key ILIKE %s)")
                args += [pattern, pattern]
            else:
                title = "a.title" if ids == "a.id" else f"(SELECT title FROM articles WHERE id = {ids})"
                clauses.append(f"{title} ILIKE %s")
                args.append(pattern)
        if label:
            clauses.append(
                f"EXISTS (SELECT 1 FROM spans sp WHERE sp.article_id = {ids} AND sp.label = %s"
                " AND sp.annotator = %s)"
            )
            args += [label, user]
        if ids == "p.article_id":
            clauses.append('p."user" = %s')
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
            sql = _QUEUE_ROW + _FROM_ARTICLES + where + " ORDER BY a.id LIMIT %s OFFSET %s"
            return [tuple(r) for r in self._all(sql, [user, user, *args, limit, offset])]
        _check_order(order)
        where, args = self._queue_where(user, state, search, label, ids="p.article_id")
        ids = "SELECT p.article_id, p.score" + _FROM_PRIORITY + where + _BY_SCORE + " LIMIT %s OFFSET %s"
        sql = _QUEUE_ROW + f" FROM ({ids}) p JOIN articles a ON a.id = p.article_id" + _STATE_JOIN + _BY_SCORE
        rows = [tuple(r) for r in self._all(sql, [user, user, *args, limit, offset, user])]
        if len(rows) == limit:
            return rows
        skip, unscored = 0, _UNSCORED  # the page ends the scored part: the unscored part starts
        if not rows:  # the page starts past the scored part
            sql = "SELECT count(*)" + _FROM_PRIORITY + where
            counted = self._one(sql, [user, *args])
            skip = max(offset - int(counted[0] if counted else 0), 0)
            unscored = _UNSCORED_SET if skip else _UNSCORED
        where, args = self._queue_where(user, state, search, label)
        sql = _QUEUE_ROW + _FROM_ARTICLES + _and(where, unscored) + " ORDER BY a.id LIMIT %s OFFSET %s"
        rest = self._all(sql, [user, user, *args, user, limit - len(rows), skip])
        return rows + [tuple(r) for r in rest]

    def queue_count(
        self, user: str, *, state: str | None, search: str | None, label: str | None
    ) -> int:
        """How many articles of a user's queue the same filters as :meth:`queue` give."""
        where, args = self._queue_where(user, state, search, label)
        sql = (
            "SELECT count(*) FROM articles a"
            ' LEFT JOIN article_states st ON st.article_id = a.id AND st."user" = %s' + where
        )
        row = self._one(sql, [user, *args])
        return int(row[0]) if row else 0

    def next_article(self, user: str, after_id: int, order: str = "id") -> int | None:
        """The article to open after ``after_id``: in id order, the first one after it in the
        user's queue that is not done (wrapping); in uncertainty order, the first not-done one
        of the queue (the most informative) other than ``after_id``."""
        not_done = "COALESCE(st.state, 'new') != 'done'"
        if order != "id":
            _check_order(order)
            where, args = self._queue_where(user, None, None, None, ids="p.article_id")
            sql = "SELECT p.article_id" + _FROM_PRIORITY + _and(where, not_done) + " AND p.article_id != %s"
            row = self._one(sql + _BY_SCORE + " LIMIT 1", [user, *args, after_id])
            if row:
                return int(row[0])
        where, args = self._queue_where(user, None, None, None)
        where = _and(where, not_done)
        if order != "id":
            sql = "SELECT a.id" + _FROM_ARTICLES + _and(where, _UNSCORED) + " AND a.id != %s ORDER BY a.id"
            row = self._one(sql + " LIMIT 1", [user, *args, user, after_id])
            return int(row[0]) if row else None
        base = "SELECT a.id" + _FROM_ARTICLES + where
        for extra, extra_args in ((" AND a.id > %s", [after_id]), ("", [])):
            row = self._one(base + extra + " ORDER BY a.id LIMIT 1", [user, *args, *extra_args])
            if row and row[0] != after_id:
                return int(row[0])
        return None

    def save_position(self, user: str, article_id: int, cursor: int) -> None:
        """Remember where a user was (one position per user)."""
        self._send(
            'INSERT INTO positions ("user", article_id, cursor, updated_at) VALUES (%s, %s, %s, %s)'
            ' ON CONFLICT ("user") DO UPDATE SET article_id = EXCLUDED.article_id,'
            " cursor = EXCLUDED.cursor, updated_at = EXCLUDED.updated_at",
            [user, article_id, cursor, now()])

    def position(self, user: str) -> tuple[int, int] | None:
        """``(article_id, cursor)`` a user was last at, or None."""
        row = self._one('SELECT article_id, cursor FROM positions WHERE "user" = %s', [user])
        return (int(row[0]), int(row[1])) if row else None

    # --- undo history ------------------------------------------------------------------------

    def push_action(self, user: str, article_id: int, action: dict[str, Any],
                    client_id: str | None = None) -> None:
        """Record a done action (and the id of the desk's change that made it); it clears the
        redo branch, as in every editor."""
        self._send('DELETE FROM history WHERE "user" = %s AND article_id = %s AND undone = 1',
                   [user, article_id])
        self._send(
            'INSERT INTO history ("user", article_id, action, undone, at, client_id)'
            " VALUES (%s, %s, %s, 0, %s, %s)",
            [user, article_id, json.dumps(action, ensure_ascii=False), now(), client_id])

    def last_action(self, user: str, article_id: int, *, undone: bool) -> tuple[int, dict[str, Any]] | None:
        """The action undo would revert (``undone=False``) or redo would repeat (``undone=True``)."""
        order = "ASC" if undone else "DESC"
        row = self._one(
            f'SELECT id, action FROM history WHERE "user" = %s AND article_id = %s AND undone = %s'
            f" ORDER BY id {order} LIMIT 1", [user, article_id, int(undone)])
        return (int(row[0]), json.loads(row[1])) if row else None

    def mark_action(self, action_id: int, *, undone: bool, client_id: str | None = None) -> None:
        """Move an action between the undo and the redo side (by the desk's change ``client_id``)."""
        self._send("UPDATE history SET undone = %s, client_id = %s WHERE id = %s",
                   [int(undone), client_id, action_id])

    def client_change_stored(self, client_id: str) -> bool:
        """Whether a change the desk sent with this id is stored (it wrote or marked a step)."""
        return self._one("SELECT 1 FROM history WHERE client_id = %s LIMIT 1", [client_id]) is not None

    # --- active learning: per-article priority, the queue's "uncertainty" order ---

    def replace_priorities(self, user: str, scores: Mapping[int, float], model: str) -> int:
        """Make ``user``'s stored priorities exactly ``scores`` (article id -> uncertainty, nats).

        Every older row of ``user`` goes: a score from another model (or an article since done)
        would rank against the new ones; other users' rows stay (each queue has its own order).
        Run it inside :meth:`transaction`, so the queue switches from the old order to the new
        one at once. Returns how many rows were written.
        """
        self._send('DELETE FROM article_priority WHERE "user" = %s', [user])
        stamp = now()
        self._many(
            'INSERT INTO article_priority ("user", article_id, score, model, computed_at)'
            " VALUES (%s, %s, %s, %s, %s)",
            [(user, article_id, float(score), model, stamp) for article_id, score in scores.items()],
        )
        return len(scores)

    def priorities(self, user: str) -> dict[int, float]:
        """``{article_id: score}`` of ``user``'s stored priorities, in queue order."""
        return {int(r[0]): float(r[1]) for r in self._all(
            'SELECT article_id, score FROM article_priority p WHERE "user" = %s' + _BY_SCORE, [user])}

    def priority_users(self) -> list[str]:
        """The users who have stored priorities, sorted."""
        return [r[0] for r in self._all('SELECT DISTINCT "user" FROM article_priority ORDER BY 1')]

    def priority_model(self, user: str) -> str | None:
        """The ``model`` tag ``user``'s priorities were computed with (None: no priorities)."""
        row = self._one('SELECT model FROM article_priority WHERE "user" = %s LIMIT 1', [user])
        return row[0] if row else None

    def unfinished_articles(self, user: str | None = None) -> list[int]:
        """Ids of ``user``'s queue (assignments, else all) that they have not marked done, by id;
        with no user, the articles nobody has marked done."""
        if user is None:
            return [int(r[0]) for r in self._all(
                "SELECT id FROM articles WHERE id NOT IN"
                " (SELECT article_id FROM article_states WHERE state = 'done') ORDER BY id")]
        where, args = self._queue_where(user, None, None, None)
        where = _and(where, "COALESCE(st.state, 'new') != 'done'")
        sql = "SELECT a.id" + _FROM_ARTICLES + where + " ORDER BY a.id"
        return [int(r[0]) for r in self._all(sql, [user, *args])]


# The queue's SQL: row columns (their ? is the user of the span count), the FROMs (their ? is
# the user of the state join) and the uncertainty order's pieces. The scored part is driven by
# idx_article_priority_user_score (one user's rows), the unscored part by the articles' rowid;
# the ? of _UNSCORED is the user whose priorities count.
_QUEUE_ROW = (
    "SELECT a.id, a.doc_id, a.title, COALESCE(st.state, 'new'),"
    " (SELECT count(*) FROM spans sp WHERE sp.article_id = a.id AND sp.annotator = %s)"
)
_STATE_JOIN = ' LEFT JOIN article_states st ON st.article_id = a.id AND st."user" = %s'
_FROM_ARTICLES = " FROM articles a" + _STATE_JOIN
_FROM_PRIORITY = (
    " FROM article_priority p LEFT JOIN article_states st ON st.article_id = p.article_id"
    ' AND st."user" = %s'
)
_BY_SCORE = " ORDER BY p.score DESC, p.article_id"
_UNSCORED = (
    'NOT EXISTS (SELECT 1 FROM article_priority p WHERE p."user" = %s AND p.article_id = a.id)')
# A deep page skips thousands of unscored rows: probing the (user, article_id) key for each of
# them costs more (~150 ms at 100k articles, 66k scored) than reading her scored ids once into
# a set (~45 ms); a page near the start of the unscored part probes only a few hundred.
_UNSCORED_SET = 'a.id NOT IN (SELECT p.article_id FROM article_priority p WHERE p."user" = %s)'


def _and(where: str, clause: str) -> str:
    """``where`` (empty or `` WHERE ...``) with one more condition."""
    return (where + " AND " if where else " WHERE ") + clause


def _check_order(order: str) -> None:
    """The file's message for an unknown order (its own helper is private to its module)."""
    if order not in QUEUE_ORDERS:
        raise ProjectError(f"unknown queue order {order!r}; one of {', '.join(QUEUE_ORDERS)}")
