"""Claims on every backend: the next article is never handed to two people at once.

Runs against each factory of ``test_store_contract.BACKENDS`` (SQLite, and PostgreSQL when a
server is available), so both backends keep the same meaning. The race test opens one
connection per thread, as separate desks or processes would.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.project import Project
from annotator.store.claims import expiry
from annotator.store.protocol import ProjectStore
from annotator.team import claims
from tests.core.test_store_contract import BACKEND_PARAMS, BACKENDS, _article, reopen


@pytest.fixture(params=BACKEND_PARAMS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ProjectStore]:
    made = BACKENDS[request.param](request, tmp_path)
    try:
        yield made
    finally:
        made.close()


def _articles(store: ProjectStore, n: int) -> list[int]:
    return [_article(store, f"a{i}") for i in range(1, n + 1)]


def _claim(store: ProjectStore, user: str, after: int = 0, lapse_s: float = 60.0,
           order: str = "id") -> int | None:
    with store.transaction():
        return store.claim_next(user, after, order, lapse_s)


def test_a_claimed_article_is_skipped_for_others_but_not_for_its_holder(store: ProjectStore) -> None:
    a1, a2, a3 = _articles(store, 3)
    assert _claim(store, "mona") == a1
    assert _claim(store, "ali") == a2  # a1 is mona's
    assert _claim(store, "sara") == a3
    assert _claim(store, "huda") is None  # everything is held
    assert _claim(store, "mona", after=a3) == a1  # wrapping back to her own claim
    assert [(c[0], c[1]) for c in store.claims()] == [(a1, "mona"), (a2, "ali"), (a3, "sara")]


def test_claiming_the_next_releases_the_users_earlier_claim(store: ProjectStore) -> None:
    a1, a2, a3 = _articles(store, 3)
    assert _claim(store, "mona") == a1
    assert _claim(store, "mona", after=a1) == a2
    assert [(c[0], c[1]) for c in store.claims()] == [(a2, "mona")]
    assert _claim(store, "ali") == a1  # back in the pool
    with store.transaction():
        store.release_claim(a2, "ali")  # not ali's: nothing happens
        store.release_claim(a2, "mona")
    assert [(c[0], c[1]) for c in store.claims()] == [(a1, "ali")]
    assert _claim(store, "sara", after=a1) == a2
    assert a3 == a2 + 1


def test_a_lapsed_claim_returns_to_the_pool(store: ProjectStore) -> None:
    a1, a2 = _articles(store, 2)
    assert _claim(store, "mona", lapse_s=0.2) == a1
    assert _claim(store, "ali") == a2
    time.sleep(0.3)
    assert _claim(store, "sara") == a1  # mona walked away: her claim lapsed
    assert [(c[0], c[1]) for c in store.claims()] == [(a1, "sara"), (a2, "ali")]


def test_done_articles_are_not_handed_out_again(store: ProjectStore) -> None:
    a1, a2 = _articles(store, 2)
    with store.transaction():
        store.set_state(a1, "mona", "done")
    assert _claim(store, "mona") == a2
    assert _claim(store, "ali") == a1  # mona's done is not ali's
    assert _claim(store, "mona", after=a2) is None  # nothing after her only unfinished one


def test_uncertainty_order_claims_the_most_informative_free_article(store: ProjectStore) -> None:
    a1, a2, a3 = _articles(store, 3)
    with store.transaction():
        store.replace_priorities("mona", {a3: 2.0, a2: 1.0}, "crf")
        store.replace_priorities("ali", {a3: 2.0, a2: 1.0}, "crf")
    assert _claim(store, "mona", order="uncertainty") == a3
    assert _claim(store, "ali", order="uncertainty") == a2
    assert _claim(store, "sara", order="uncertainty") == a1


def test_many_claiming_at_once_never_get_the_same_article(store: ProjectStore) -> None:
    ids = _articles(store, 30)
    users = [f"user{i:02d}" for i in range(12)]
    connections = [reopen(store) for _ in users]
    start, first_round = threading.Barrier(len(users)), threading.Barrier(len(users))
    lock = threading.Lock()
    held: dict[int, str] = {}  # who holds what, by the test's own account
    got: dict[str, list[int | None]] = {u: [] for u in users}
    twice: list[tuple[int, str, str]] = []

    def work(user: str, own: ProjectStore) -> None:
        start.wait()
        after = 0
        for round_ in range(4):  # claim, finish, claim the next: the pool moves under everyone
            article = _claim(own, user, after=after)  # committed when it returns
            got[user].append(article)
            if round_ == 0:  # all hold their first at once: twelve different articles
                first_round.wait()
            if article is None:
                continue
            with lock:
                if article in held:
                    twice.append((article, held[article], user))
                held[article] = user
            time.sleep(0.005)  # labelling: a second holder would show up meanwhile
            with lock:  # let go in the account BEFORE the release commits
                del held[article]
            with own.transaction():
                own.set_state(article, user, "done")
                own.release_claim(article, user)
            after = article

    threads = [threading.Thread(target=work, args=pair) for pair in zip(users, connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for own in connections:
        own.close()
    assert twice == []
    firsts = [got[u][0] for u in users]
    assert None not in firsts and len(set(firsts)) == len(users)  # the first round: 12 different
    assert all(a in ids for claimed in got.values() for a in claimed if a is not None)
    assert all(len(set(c)) == len(c) for c in got.values())  # nobody gets her done one again
    assert store.claims() == []


def test_the_session_releases_its_claim_when_done_and_keeps_the_lapse_setting(tmp_path: Path) -> None:
    with Project.create(tmp_path / "p.db") as project:
        a1, a2 = _articles(project.store, 2)
        mona, ali = project.session("mona"), project.session("ali")
        assert claims.lapse_s(project) == claims.DEFAULT_LAPSE_S == 1800.0
        claims.set_lapse(mona, 90)  # no admin yet: everyone acts as one
        assert claims.lapse_s(project) == 90.0
        assert claims.claim_next(mona) == a1
        held = claims.live_claims(project)
        assert [(c.article_id, c.user) for c in held] == [(a1, "mona")]
        assert held[0].expires_at == expiry(held[0].claimed_at, 90)
        assert claims.claim_next(ali) == a2
        mona.set_state(a1, "done")
        assert [(c.article_id, c.user) for c in claims.live_claims(project)] == [(a2, "ali")]
        assert claims.live_claims(project, at="9999") == []
