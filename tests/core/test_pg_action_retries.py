"""A real deadlock between two programs on one server project (issue 14: "serialization
failures and deadlocks are retried"): the action the server rolls back is made again whole by
annotator.retries, and lands exactly once.

ali labels "all matches" from two programs at once (her desk and a script), in crossing orders:
each insert holds its row of the layer's unique key, so the second insert of each waits for the
other: a deadlock. Which one the server rolls back is fixed here by ``deadlock_timeout`` (the
waiter whose timer fires first runs the check and is chosen), so the test is deterministic.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import quote

import pytest

from annotator.importing import import_documents
from annotator.model import Document, Span
from annotator.project import Project, Session

psycopg = pytest.importorskip("psycopg")

from annotator.store.pg import PgStore  # noqa: E402

TEXT = "زار وزير الدفاع دمشق يوم الأحد"
MINISTER = (len("زار "), len("زار وزير الدفاع"))
DAMASCUS = (len("زار وزير الدفاع "), len("زار وزير الدفاع دمشق"))
SUNDAY = (len("زار وزير الدفاع دمشق "), len(TEXT))


def _with_deadlock_timeout(url: str, timeout: str) -> str:
    """``url`` whose sessions wait ``timeout`` before looking for a deadlock (superuser only)."""
    return f"{url}&options={quote(f'-c deadlock_timeout={timeout}')}"


class Program:
    """One of ali's two programs: her session, how many times its action was attempted, and a
    hook run after each span it inserts (``inserted(n)``, n counted over all attempts)."""

    def __init__(self, url: str) -> None:
        self.project = Project(PgStore(url))
        self.session: Session = self.project.session("ali")
        self.attempts = 0
        self.inserts = 0
        self.after_insert: Any = lambda n: None
        self.before_attempt: Any = lambda n: None
        self.result: Any = None
        store = self.project.store
        real_transaction, real_insert = store.transaction, store.insert_new_span

        @contextmanager
        def transaction() -> Iterator[Any]:
            self.attempts += 1
            self.before_attempt(self.attempts)
            with real_transaction() as held:
                yield held

        def insert_new_span(article_id: int, span: Span) -> Span | None:
            saved = real_insert(article_id, span)
            self.inserts += 1
            self.after_insert(self.inserts)
            return saved

        store.transaction = transaction  # type: ignore[method-assign]
        store.insert_new_span = insert_new_span  # type: ignore[method-assign]

    def label(self, article_id: int, ranges: list[tuple[int, int]]) -> threading.Thread:
        def run() -> None:
            try:
                self.result = self.session.add_spans(article_id, ranges, "LOCATION")
            except Exception as exc:  # noqa: BLE001 (the test reports it)
                self.result = exc

        thread = threading.Thread(target=run)
        thread.start()
        return thread


@pytest.fixture
def article(pg_url: str) -> Iterator[tuple[str, int]]:
    with Project.create(pg_url) as project:
        import_documents(project, [Document("a1", TEXT, "t1")])
        found = project.article_id_by_doc_id("a1")
    assert found is not None
    yield pg_url, found


def _waiting_on_a_lock(url: str) -> bool:
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                           " AND datname = current_database()").fetchone()
    return bool(row and row[0])


def test_a_deadlocked_action_is_made_again_whole_and_lands_once(article) -> None:
    url, a1 = article
    desk = Program(_with_deadlock_timeout(url, "20s"))  # waits long: never the one chosen
    script = Program(_with_deadlock_timeout(url, "50ms"))  # finds the deadlock: rolled back
    both_hold_one = threading.Barrier(2, timeout=10)
    desk_done = threading.Event()

    def desk_inserted(n: int) -> None:
        if n == 1:
            both_hold_one.wait()

    def script_inserted(n: int) -> None:
        if n == 1:
            both_hold_one.wait()
            deadline = time.monotonic() + 10
            while not _waiting_on_a_lock(url) and time.monotonic() < deadline:
                time.sleep(0.01)  # the desk waits for the script's row: now cross it

    desk.after_insert, script.after_insert = desk_inserted, script_inserted
    # The script's second attempt starts once the desk's action is in (as the backoff lets it
    # in practice), so it reads the desk's spans rather than queueing behind its insert.
    script.before_attempt = lambda n: n < 2 or desk_done.wait(10)
    threads = [desk.label(a1, [DAMASCUS, MINISTER]),
               script.label(a1, [MINISTER, DAMASCUS, SUNDAY])]
    threads[0].join(30)
    desk_done.set()
    threads[1].join(30)

    assert not isinstance(desk.result, Exception), desk.result
    assert not isinstance(script.result, Exception), script.result
    assert (desk.attempts, script.attempts) == (1, 2)  # the script's action was made again whole
    assert [(s.start, s.end) for s in desk.result] == [DAMASCUS, MINISTER]
    assert [(s.start, s.end) for s in script.result] == [SUNDAY]  # what the desk had not labelled
    with Project(PgStore(url)) as project:
        spans = project.session("ali").spans(a1)
        assert sorted((s.start, s.end) for s in spans) == sorted([MINISTER, DAMASCUS, SUNDAY])
        with psycopg.connect(url) as conn:
            steps = conn.execute("SELECT action FROM history WHERE \"user\" = 'ali' ORDER BY id"
                                 ).fetchall()
    assert [len(json.loads(a)["spans"]) for a, in steps] == [2, 1]  # two actions, two undo steps
    for program in (desk, script):
        program.project.close()
