"""Claims under annotators' own logins on a secured server project (pg-live's claims meet
pg-security's row-level security; found by ``bench/bench_team.py``, whose workers each log in).

A claim locks its article row (``SELECT … FOR NO KEY UPDATE SKIP LOCKED``), and PostgreSQL wants
UPDATE privilege for a row lock: before ``Rule.lockers`` an annotator's done → next failed with
"permission denied for table articles". Now she may lock (UPDATE on ``id`` only, reaching readable
rows) while any write of an article is still refused.
"""

from __future__ import annotations

import time

import pytest

from annotator.team.claims import claim_next, live_claims
from annotator.team.members import acting_session
from tests.conftest import pg_with_user

psycopg = pytest.importorskip("psycopg")  # the server extra: the core-only venv has none

from .test_pg_logins import _open, pw, server  # noqa: E402, F401 - the team's server project fixture


def test_two_annotator_logins_claim_different_articles(server: str) -> None:  # noqa: F811
    with _open(server, "ali") as for_ali, _open(server, "mona") as for_mona:
        ali, mona = acting_session(for_ali, "ali"), acting_session(for_mona, "mona")
        got_ali, got_mona = claim_next(ali), claim_next(mona)
        assert got_ali is not None and got_mona is not None and got_ali != got_mona
        assert {(c.article_id, c.user) for c in live_claims(for_ali)} == {
            (got_ali, "ali"), (got_mona, "mona")}
        ali.set_state(got_ali, "done")  # releases her claim
        assert {c.user for c in live_claims(for_mona)} == {"mona"}


@pytest.mark.parametrize("change", ["SET title = 'x'", "SET id = id"])
def test_an_annotator_may_lock_an_article_but_not_change_it(server: str, change: str) -> None:  # noqa: F811
    with psycopg.connect(pg_with_user(server, "ali", pw("ali"))) as conn:
        article = conn.execute("SELECT id FROM articles ORDER BY id LIMIT 1").fetchone()[0]
        locked = conn.execute("SELECT id FROM articles WHERE id = %s FOR NO KEY UPDATE SKIP LOCKED",
                              [article]).fetchone()
        assert locked == (article,)
        conn.rollback()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(f"UPDATE articles {change} WHERE id = %s", [article])


def test_an_annotator_login_hears_others_commits_and_nothing_of_their_content(server: str) -> None:  # noqa: F811
    """The NOTIFY triggers belong to the project's owner, yet fire for an annotator's writes; the
    notification says only which table changed (a blind project's listener learns no span)."""
    from annotator.store.pg.live import CHANNEL

    with psycopg.connect(pg_with_user(server, "ali", pw("ali")), autocommit=True) as listener:
        listener.execute(f"LISTEN {CHANNEL}")
        with _open(server, "mona") as for_mona:
            mona = acting_session(for_mona, "mona")
            article = claim_next(mona)
            assert article is not None
            mona.add_span(article, 0, 3, "PERSON")
        heard = list(listener.notifies(timeout=5, stop_after=2))
        assert heard and {n.channel for n in heard} == {CHANNEL}
        assert {n.payload for n in heard} <= {"claims", "spans", "article_states", "history"}
        assert "claims" in {n.payload for n in heard}
    with _open(server, "ali") as for_ali:  # and a watcher opened by her login works the same
        watcher = for_ali.store.watch_changes()  # type: ignore[attr-defined]
        try:
            assert not watcher.changed()
            with _open(server, "mona") as for_mona:
                acting_session(for_mona, "mona").set_state(article, "done")
            deadline = time.monotonic() + 5
            while not watcher.changed():
                assert time.monotonic() < deadline, "no notification within 5 s"
                time.sleep(0.05)
        finally:
            watcher.close()
