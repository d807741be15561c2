"""Claims on the project file: the next article for a user, never handed to two people at once.

Why in the store: "find the next free article and take it" must be one step, or two desks
asking at the same moment both get the same article (Label Studio #795). On SQLite the step
runs inside the IMMEDIATE transaction (:meth:`StoreBase.transaction`): the write lock is taken
before the read, so a second claimer waits and then sees the first one's claim. The upsert is
also conditional (it only replaces a lapsed claim or the user's own), which is what keeps the
PostgreSQL backend honest too, where ``SKIP LOCKED`` alone could race a just-committed claim.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from annotator.clock import now
from annotator.store.work import WorkStore


def expiry(stamp: str, lapse_s: float) -> str:
    """``stamp`` (ISO 8601 UTC, :func:`annotator.clock.now`) plus ``lapse_s`` seconds, same format.

    >>> expiry("2026-12-01T03:00:00.000+00:00", 1800)
    '2026-12-01T03:30:00.000+00:00'
    """
    later = datetime.fromisoformat(stamp) + timedelta(seconds=lapse_s)
    return later.isoformat(timespec="milliseconds")


# Articles ``user`` may not claim (first ?): held by someone else, not lapsed (second ?: now).
# ``{ids}`` is the column holding the article id in the query it joins.
CLAIMED_BY_OTHERS = (
    "{ids} NOT IN (SELECT article_id FROM claims WHERE user != ? AND expires_at > ?)"
)


class ClaimStore(WorkStore):
    """The per-user work of :class:`annotator.store.Store` plus claims over the same queue."""

    def claim_next(self, user: str, after_id: int, order: str, lapse_s: float,
                   lapse_key: str | None = None) -> int | None:
        """Claim for ``user`` the article :meth:`next_article` would open, skipping articles
        others hold; returns its id (None: nothing free). The claim lasts ``lapse_s`` seconds,
        or what the setting ``lapse_key`` holds when set. The user's earlier claims are
        released (one person, one article in hand). Call inside :meth:`transaction`.
        """
        if lapse_key is not None:
            row = self.db.execute("SELECT value FROM project_meta WHERE key = ?", [lapse_key]).fetchone()
            lapse_s = float(row[0]) if row and row[0] else lapse_s
        stamp = now()
        article_id = self._next_article(user, after_id, order, (CLAIMED_BY_OTHERS, [user, stamp]))
        if article_id is None:
            return None
        self.db.execute("DELETE FROM claims WHERE user = ? AND article_id != ?", [user, article_id])
        taken = self.db.execute(
            "INSERT INTO claims (article_id, user, claimed_at, expires_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (article_id) DO UPDATE SET user = excluded.user,"
            " claimed_at = excluded.claimed_at, expires_at = excluded.expires_at"
            " WHERE claims.user = excluded.user OR claims.expires_at <= excluded.claimed_at",
            [article_id, user, stamp, expiry(stamp, lapse_s)],
        ).rowcount
        return article_id if taken else None

    def release_claim(self, article_id: int, user: str) -> None:
        """Give back ``user``'s claim of an article (no error when they hold none)."""
        self.db.execute("DELETE FROM claims WHERE article_id = ? AND user = ?", [article_id, user])

    def claims(self) -> list[tuple[int, str, str, str]]:
        """Every stored claim ``(article_id, user, claimed_at, expires_at)`` by article id,
        lapsed ones included (the caller compares ``expires_at`` with the clock)."""
        return [tuple(r) for r in self.db.execute(
            "SELECT article_id, user, claimed_at, expires_at FROM claims ORDER BY article_id")]
