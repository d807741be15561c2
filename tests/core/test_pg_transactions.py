"""What a server project does when two users' transactions meet (issue 14): a conflict is
retried (a lone statement) or rolled back whole as ProjectBusy (an action), never half-written;
a lock held too long is ProjectBusy after the busy timeout; read-only means read-only."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from annotator.errors import ProjectBusy, ProjectReadOnly
from annotator.model import Span

psycopg = pytest.importorskip("psycopg")

from annotator.store.pg import PgStore  # noqa: E402
from annotator.store.pg.retry import ATTEMPTS, retrying  # noqa: E402

TEXT = "زار وزير الدفاع دمشق يوم الأحد"


@pytest.fixture
def stores(pg_url: str) -> Iterator[tuple[PgStore, PgStore, int, list[int]]]:
    """Two stores (two users' programs) on one server project with one article, two spans."""
    first = PgStore(pg_url, create=True)
    second = PgStore(pg_url)
    with first.transaction():
        aid = first.insert_article(doc_id="a1", title="t", text=TEXT, meta={}, content_hash="h",
                                   source_path="", title_key="", text_key="")
        ids = [first.insert_span(aid, Span(s, e, "LOCATION", TEXT[s:e], "ali")).id or 0
               for s, e in ((4, 9), (16, 20))]
    yield first, second, aid, ids
    first.close()
    second.close()


def test_a_deadlock_rolls_one_action_back_whole_as_busy_and_keeps_the_other(stores) -> None:
    first, second, aid, (one, two) = stores
    ready = threading.Barrier(2, timeout=10)
    outcome: dict[str, object] = {}

    def relabel(store: PgStore, name: str, order: tuple[int, int], label: str) -> None:
        try:
            with store.transaction():
                store.set_span_label(order[0], label)
                ready.wait()  # both hold their first row: the second UPDATE deadlocks
                time.sleep(0.05)
                store.set_span_label(order[1], label)
            outcome[name] = "committed"
        except ProjectBusy as exc:
            outcome[name] = exc

    threads = [threading.Thread(target=relabel, args=(first, "first", (one, two), "PERSON")),
               threading.Thread(target=relabel, args=(second, "second", (two, one), "DATE"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(map(str, outcome)) == ["first", "second"]
    winners = [name for name, result in outcome.items() if result == "committed"]
    [loser] = [result for result in outcome.values() if isinstance(result, ProjectBusy)]
    assert len(winners) == 1 and "conflicted" in str(loser) and "nothing was saved" in str(loser)
    label = "PERSON" if winners == ["first"] else "DATE"
    assert [s.label for s in first.spans(aid)] == [label, label]  # the loser left no half


def test_a_lock_held_past_the_busy_timeout_is_busy_not_a_hang(stores) -> None:
    first, second, aid, (one, _) = stores
    second.set_busy_timeout(0.2)
    with first.transaction():
        first.set_span_label(one, "PERSON")  # holds the row until the block ends...
        first.spans(aid)  # ...once it reached the server: a read sends the pipeline's queued writes
        started = time.monotonic()
        with pytest.raises(ProjectBusy):
            with second.transaction():
                second.set_span_label(one, "DATE")
        assert time.monotonic() - started < 5
    assert [s.label for s in second.spans(aid)][0] == "PERSON"


def test_a_lone_statement_is_retried_after_a_serialization_failure() -> None:
    calls: list[int] = []

    def flaky() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise psycopg.errors.SerializationFailure("could not serialize access")
        return "done"

    assert retrying(flaky) == "done" and len(calls) == 3

    def always() -> None:
        calls.append(1)
        raise psycopg.errors.DeadlockDetected("deadlock detected")

    calls.clear()
    with pytest.raises(psycopg.errors.DeadlockDetected):
        retrying(always)
    assert len(calls) == ATTEMPTS

    def other() -> None:
        calls.append(1)
        raise psycopg.errors.UniqueViolation("duplicate key")

    calls.clear()
    with pytest.raises(psycopg.errors.UniqueViolation):
        retrying(other)
    assert len(calls) == 1  # not a conflict: never repeated


def test_read_only_refuses_in_the_store_and_in_the_server(pg_url: str) -> None:
    PgStore(pg_url, create=True).close()
    reader = PgStore(pg_url, read_only=True)
    try:
        with pytest.raises(ProjectReadOnly):
            with reader.transaction():
                pass
        with pytest.raises(ProjectReadOnly):
            reader.set_meta("x", "y")
        # Even SQL that slipped past the store: the server's transactions are READ ONLY.
        with reader._pool.connection() as conn:
            with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
                conn.execute("INSERT INTO project_meta (key, value) VALUES ('x', 'y')")
        assert reader.get_meta("x") is None
    finally:
        reader.close()


def test_two_admins_adding_schema_versions_at_once_get_consecutive_numbers(pg_url: str) -> None:
    stores = [PgStore(pg_url, create=True)] + [PgStore(pg_url) for _ in range(3)]
    got: list[int] = []
    start = threading.Barrier(len(stores), timeout=10)

    def add(store: PgStore) -> None:
        start.wait()
        with store.transaction():
            got.append(store.add_schema_version({"name": "n", "labels": []}, note="x"))

    threads = [threading.Thread(target=add, args=(s,)) for s in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(got) == [1, 2, 3, 4]
    for store in stores:
        store.close()
