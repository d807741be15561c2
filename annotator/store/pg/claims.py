"""Claims on the server: ``SELECT … FOR NO KEY UPDATE SKIP LOCKED`` and a conditional upsert.

Why both: 50 annotators pressing done → next together must each get a different article
without queueing behind one another. The candidate query locks the article row it returns and
SKIPS rows another transaction has locked, so concurrent claimers walk past each other instead
of waiting (``NO KEY UPDATE`` rather than ``UPDATE``: it does not block the foreign-key checks of
someone inserting a span into that article). Under READ COMMITTED a claim committed a moment
before our statement began its scan is unlocked yet invisible to it, so the insert is
conditional (it replaces only a lapsed claim or the user's own) and a refused insert tries the
next candidate with a fresh snapshot. Stamps come from the SERVER's clock, so fifty laptops
with drifting clocks agree on when a claim lapses; they keep the file's ISO 8601 text format.
"""

from __future__ import annotations

from typing import Any

from annotator.errors import ProjectError
from annotator.store.pg.work import PgWork

ORDERS = ("id", "uncertainty")
_STAMP = "to_char(({t}) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"+00:00\"')"
_NOW = _STAMP.format(t="clock_timestamp()")
_LATER = _STAMP.format(t="clock_timestamp() + make_interval(secs => %s)")
_LOCK = " FOR NO KEY UPDATE OF a SKIP LOCKED"
_STATE = ' LEFT JOIN article_states st ON st.article_id = {ids} AND st."user" = %s'
_NOT_DONE = "COALESCE(st.state, 'new') != 'done'"
_OTHERS = '{ids} NOT IN (SELECT article_id FROM claims WHERE "user" != %s AND expires_at > %s)'
_UNSCORED = 'NOT EXISTS (SELECT 1 FROM article_priority q WHERE q."user" = %s AND q.article_id = a.id)'
ATTEMPTS = 8  # candidates tried when just-committed claims keep refusing the insert


class PgClaims(PgWork):
    """Part of :class:`annotator.store.pg.PgStore`: claims over the same queue as ``PgWork``."""

    def claim_next(self, user: str, after_id: int, order: str, lapse_s: float) -> int | None:
        """Claim the article ``next_article`` would give, skipping others' claims and rows
        other claimers hold locked; the user's other claims are released. None: nothing free."""
        if order not in ORDERS:
            raise ProjectError(f"unknown queue order {order!r}; one of {', '.join(ORDERS)}")
        with self.transaction():
            stamp, until = self._one(f"SELECT {_NOW}, {_LATER}", [lapse_s]) or ("", "")
            for _ in range(ATTEMPTS):
                article_id = self._candidate(user, after_id, order, stamp)
                if article_id is None:
                    return None
                taken = self._run(
                    'INSERT INTO claims (article_id, "user", claimed_at, expires_at)'
                    " VALUES (%s, %s, %s, %s) ON CONFLICT (article_id) DO UPDATE SET"
                    ' "user" = EXCLUDED."user", claimed_at = EXCLUDED.claimed_at,'
                    " expires_at = EXCLUDED.expires_at WHERE claims.\"user\" = EXCLUDED.\"user\""
                    " OR claims.expires_at <= EXCLUDED.claimed_at",
                    [article_id, user, stamp, until])
                if taken:
                    self._run('DELETE FROM claims WHERE "user" = %s AND article_id != %s',
                              [user, article_id])
                    return article_id
            return None

    def _candidate(self, user: str, after_id: int, order: str, stamp: str) -> int | None:
        """The first unlocked article of ``user``'s queue not done and not held by others
        (locked by this transaction until it ends)."""
        if order != "id":
            where, args = self._free_where(user, stamp, "p.article_id")
            row = self._one(
                "SELECT p.article_id FROM article_priority p JOIN articles a ON a.id = p.article_id"
                + _STATE.format(ids="p.article_id") + where + " AND p.article_id != %s"
                " ORDER BY p.score DESC, p.article_id LIMIT 1" + _LOCK,
                [user, *args, after_id])
            if row:
                return int(row[0])
            where, args = self._free_where(user, stamp, "a.id")
            row = self._one(
                "SELECT a.id FROM articles a" + _STATE.format(ids="a.id") + where
                + " AND " + _UNSCORED + " AND a.id != %s ORDER BY a.id LIMIT 1" + _LOCK,
                [user, *args, user, after_id])
            return int(row[0]) if row else None
        where, args = self._free_where(user, stamp, "a.id")
        base = "SELECT a.id FROM articles a" + _STATE.format(ids="a.id") + where
        for extra, extra_args in ((" AND a.id > %s", [after_id]), (" AND a.id != %s", [after_id])):
            row = self._one(base + extra + " ORDER BY a.id LIMIT 1" + _LOCK, [user, *args, *extra_args])
            if row:
                return int(row[0])
        return None

    def _free_where(self, user: str, stamp: str, ids: str) -> tuple[str, list[Any]]:
        """The queue's WHERE (assignments; ``p."user"`` for the priority part) plus not done
        and not held by someone else at ``stamp``."""
        where, args = self._queue_where(user, None, None, None, ids=ids)
        clauses = [_NOT_DONE, _OTHERS.format(ids=ids)]
        where = (where + " AND " if where else " WHERE ") + " AND ".join(clauses)
        return where, [*args, user, stamp]

    def release_claim(self, article_id: int, user: str) -> None:
        """Give back ``user``'s claim of an article (no error when they hold none)."""
        self._run('DELETE FROM claims WHERE article_id = %s AND "user" = %s', [article_id, user])

    def claims(self) -> list[tuple[int, str, str, str]]:
        """Every stored claim ``(article_id, user, claimed_at, expires_at)`` by article id."""
        return [(int(r[0]), r[1], r[2], r[3]) for r in self._all(
            'SELECT article_id, "user", claimed_at, expires_at FROM claims ORDER BY article_id')]
