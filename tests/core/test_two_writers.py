"""Two annotators, two processes, one project file, 2,000 actions each at the same time.

Every action is one IMMEDIATE transaction and the connection waits on the lock (busy timeout),
so neither writer may see "database is locked" and the final counts must be exact.
"""

from __future__ import annotations

import itertools
import json
import os
import time
from pathlib import Path

import pytest

from annotator.backup import integrity_problems
from annotator.project import Project
from tests.core import crash_child

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork (POSIX)")

ACTIONS = 2_000
"""The full run (10-30 s, bound by fsync per commit: marked slow); CI runs 300 actions each."""
USERS = ("mona", "ali")


def _plan(actions: int) -> list[tuple[str, tuple[int, int, int, str]]]:
    """Per 8 actions: 6 add distinct spans, 1 removes the span added just before it, 1 marks
    the article in progress; each action is one ``Session`` call, i.e. one transaction."""
    ranges = itertools.product(
        range(1, crash_child.ARTICLES + 1),
        range(len(crash_child.TEXT) - 3),
        (1, 2, 3),
        crash_child.LABELS[:2],
    )
    plan = []
    for i, (article, start, length, label) in zip(range(actions), ranges):
        op = "state" if i % 8 == 7 else "remove" if i % 4 == 3 else "add"
        plan.append((op, (article, start, start + length, label)))
    return plan


def _count(plan: list[tuple[str, tuple[int, int, int, str]]], op: str) -> int:
    return sum(1 for name, _ in plan if name == op)


def test_plan_of_the_full_run() -> None:
    plan = _plan(ACTIONS)
    assert (_count(plan, "add"), _count(plan, "remove"), _count(plan, "state")) == (1500, 250, 250)


def _writer(path: Path, user: str, actions: int, go_fd: int, out_fd: int) -> None:
    """Wait for the start signal, then work through the plan; report counts or the error."""
    os.read(go_fd, 1)
    done, last_id, started = 0, None, time.monotonic()
    try:
        with Project.open(path) as project:
            session = project.session(user)
            for op, (article, start, end, label) in _plan(actions):
                if op == "add":
                    last_id = session.add_span(article, start, end, label).id
                elif op == "remove":
                    session.remove_span(article, last_id)
                else:
                    session.set_state(article, "in_progress")
                done += 1
        result = {"user": user, "done": done, "seconds": time.monotonic() - started}
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which fails the test with it
        result = {"user": user, "done": done, "error": f"{type(exc).__name__}: {exc}"}
    os.write(out_fd, (json.dumps(result) + "\n").encode())


def _run_two_writers(path: Path, actions: int) -> list[dict[str, object]]:
    crash_child.prepare_project(path)
    go_read, go_write = os.pipe()
    out_read, out_write = os.pipe()
    pids = []
    for user in USERS:
        pid = os.fork()
        if pid == 0:
            try:
                _writer(path, user, actions, go_read, out_write)
            finally:
                os._exit(0)
        pids.append(pid)
    os.write(go_write, b"go")  # one byte each: both start at the same moment
    for pid in pids:
        os.waitpid(pid, 0)
    os.close(out_write)
    output = b""
    while chunk := os.read(out_read, 65536):
        output += chunk
    for fd in (go_read, go_write, out_read):
        os.close(fd)
    return [json.loads(line) for line in output.decode().splitlines()]


@pytest.mark.parametrize(
    "actions",
    [pytest.param(300, id="ci"), pytest.param(ACTIONS, marks=pytest.mark.slow, id="full")],
)
def test_two_writers_lose_nothing(tmp_path: Path, actions: int) -> None:
    path = tmp_path / "news.db"
    results = _run_two_writers(path, actions)
    assert sorted(r["user"] for r in results) == sorted(USERS)
    for result in results:
        assert "error" not in result, result  # e.g. "database is locked" reaching a user
        assert result["done"] == actions
    assert integrity_problems(path) == []
    with Project.open(path) as project:
        store = project.store
        per_user = {who: 0 for who in USERS}
        for who, _label, n in store.span_counts_by("annotator"):
            per_user[who] += n
        plan = _plan(actions)
        adds, removes = _count(plan, "add"), _count(plan, "remove")
        assert per_user == {user: adds - removes for user in USERS}
        history = dict(
            store.db.execute("SELECT user, count(*) FROM history GROUP BY user").fetchall()
        )
        assert history == {user: adds + removes for user in USERS}
        states = store.db.execute(
            "SELECT user, count(*) FROM article_states WHERE state = 'in_progress' GROUP BY user"
        ).fetchall()
        touched = len({article for _, (article, *_rest) in _plan(actions)})
        assert dict(states) == {user: touched for user in USERS}
