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
from annotator.store.pg.corpus import ARTICLE_COLUMNS, article_row
from annotator.store.pg.work import PgWork

ORDERS = ("id", "uncertainty")
_STAMP = "to_char(({t}) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"+00:00\"')"
_NOW = _STAMP.format(t="clock_timestamp()")
_LOCK = " FOR NO KEY UPDATE OF a SKIP LOCKED"
_STATE = ' LEFT JOIN article_states st ON st.article_id = {ids} AND st."user" = %s'
_NOT_DONE = "COALESCE(st.state, 'new') != 'done'"
_UNSCORED = 'NOT EXISTS (SELECT 1 FROM article_priority q WHERE q."user" = %s AND q.article_id = a.id)'
ATTEMPTS = 8  # candidates tried when just-committed claims keep refusing the insert
_ARTICLE_OF_PICK = ", ".join(f"a.{c}" for c in ARTICLE_COLUMNS.split(", "))


class PgClaims(PgWork):
    """Part of :class:`annotator.store.pg.PgStore`: claims over the same queue as ``PgWork``."""

    def claim_next(self, user: str, after_id: int, order: str, lapse_s: float,
                   lapse_key: str | None = None) -> int | None:
        """Claim the article ``next_article`` would give, skipping others' claims and rows
        other claimers hold locked; the user's other claims are released. None: nothing free.

        One statement per attempt (:func:`_claim_sql`): the stamp, the lapse setting, the
        candidate (locked) and the conditional insert travel together, and the claimed
        article's row comes back with it into :attr:`recent` (the desk opens it next); the
        release of the user's other claims goes with COMMIT. A refused insert (a claim
        committed after our snapshot) tries again with a fresh one."""
        if order not in ORDERS:
            raise ProjectError(f"unknown queue order {order!r}; one of {', '.join(ORDERS)}")
        sql, args = _claim_sql(user, after_id, order, lapse_s, lapse_key)
        with self.transaction():
            for _ in range(ATTEMPTS):
                row = self._one(sql, args)
                if row is None or row[0] is None:
                    return None
                if row[1] is not None:
                    self.recent.put(article_row(row[2:]))
                    self._send('DELETE FROM claims WHERE "user" = %s AND article_id != %s',
                               [user, row[0]])
                    return int(row[0])
            return None

    def release_claim(self, article_id: int, user: str) -> None:
        """Give back ``user``'s claim of an article (no error when they hold none)."""
        self._send('DELETE FROM claims WHERE article_id = %s AND "user" = %s', [article_id, user])

    def claims(self) -> list[tuple[int, str, str, str]]:
        """Every stored claim ``(article_id, user, claimed_at, expires_at)`` by article id."""
        return [(int(r[0]), r[1], r[2], r[3]) for r in self._all(
            'SELECT article_id, "user", claimed_at, expires_at FROM claims ORDER BY article_id')]


def _claim_sql(user: str, after_id: int, order: str, lapse_s: float,
               lapse_key: str | None) -> tuple[str, list[Any]]:
    """One claim attempt as one statement: a row ``(candidate id, claimed id or NULL, the
    candidate's article columns...)``, or no row when nothing is free.

    ``first`` is the queue's first free article (after ``after_id`` in id order, the top
    scored one in uncertainty order); ``then_`` is what used to be the second query (wrapping
    to the start; the unscored part), run only when ``first`` found nothing. Both lock what
    they return, skipping rows other claimers hold. Whether the user has assignments and the
    lapse setting are read inside the statement, not by round trips before it.
    """
    lapse = "%s::float8"
    lapse_args: list[Any] = [lapse_s]
    if lapse_key is not None:
        lapse = "COALESCE((SELECT value::float8 FROM project_meta WHERE key = %s), %s::float8)"
        lapse_args = [lapse_key, lapse_s]
    until = _STAMP.format(t=f"clock_timestamp() + make_interval(secs => {lapse})")

    def free(ids: str) -> str:  # not done, not held by others now, in the user's queue
        return (_STATE.format(ids=ids) + f" WHERE {_NOT_DONE}"
                f' AND {ids} NOT IN (SELECT article_id FROM claims WHERE "user" != %s'
                " AND expires_at > (SELECT stamp FROM t))"
                f' AND (NOT EXISTS (SELECT 1 FROM assignments WHERE "user" = %s)'
                f' OR {ids} IN (SELECT article_id FROM assignments WHERE "user" = %s))')

    mine = [user] * 4  # the state join, others' claims, the two assignment tests
    if order == "id":
        by_id = "SELECT a.id FROM articles a" + free("a.id")
        first, first_args = by_id + " AND a.id > %s ORDER BY a.id", [*mine, after_id]
        then, then_args = by_id + " AND a.id != %s", [*mine, after_id]
    else:
        first = ("SELECT p.article_id AS id FROM article_priority p JOIN articles a"
                 " ON a.id = p.article_id" + free("p.article_id")
                 + ' AND p."user" = %s AND p.article_id != %s ORDER BY p.score DESC, p.article_id')
        first_args = [*mine, user, after_id]
        then = "SELECT a.id FROM articles a" + free("a.id") + " AND " + _UNSCORED + " AND a.id != %s"
        then_args = [*mine, user, after_id]
    sql = (
        f"WITH t AS MATERIALIZED (SELECT {_NOW} AS stamp, {until} AS until),"
        f" first AS ({first} LIMIT 1{_LOCK}),"
        f" then_ AS ({then} AND NOT EXISTS (SELECT 1 FROM first) ORDER BY a.id LIMIT 1{_LOCK}),"
        " pick AS (SELECT id FROM first UNION ALL SELECT id FROM then_),"
        ' taken AS (INSERT INTO claims (article_id, "user", claimed_at, expires_at)'
        " SELECT id, %s, (SELECT stamp FROM t), (SELECT until FROM t) FROM pick"
        ' ON CONFLICT (article_id) DO UPDATE SET "user" = EXCLUDED."user",'
        " claimed_at = EXCLUDED.claimed_at, expires_at = EXCLUDED.expires_at"
        ' WHERE claims."user" = EXCLUDED."user" OR claims.expires_at <= EXCLUDED.claimed_at'
        " RETURNING article_id)"
        f" SELECT pick.id, (SELECT article_id FROM taken), {_ARTICLE_OF_PICK}"
        " FROM pick JOIN articles a ON a.id = pick.id"
    )
    return sql, [*lapse_args, *first_args, *then_args, user]
