"""Queue page times in "most informative first" order, per user (printed, not asserted).

Run: ``python bench/bench_queue.py`` (``BENCH_QUICK=1``: 20,000 articles instead of 100,000).

A project of N generated articles (plain INSERTs: importing them would take a minute); two
thirds of them scored for each of ``users`` users (layout 6 keeps one order per user, so the
table holds users x 2N/3 rows), scores pseudo-random but known. Timed, for one user: a page of
200 rows at the start, in the middle of the scored part, straddling its end, and past it (the
last page: the deepest skip of unscored articles), plus ``next_article`` and a page in id
order. Best of 5 each, milliseconds. The same pages are checked exactly in
``tests/core/test_queue_order.py``.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.project import Project  # noqa: E402

N = 20_000 if os.environ.get("BENCH_QUICK") else 100_000
USERS = ("mona", "ali", "omar", "huda", "sara")


def best_ms(call, runs: int = 5) -> float:
    best = float("inf")
    for _ in range(runs):
        began = time.perf_counter()
        call()
        best = min(best, (time.perf_counter() - began) * 1000)
    return best


def bench(n: int, users: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp, Project.create(Path(tmp) / "big.db") as project:
        conn = project.store.db.conn
        with project.store.transaction():
            conn.executemany(
                "INSERT INTO articles (id, doc_id, title, text, meta, content_hash)"
                " VALUES (?, ?, ?, ?, '{}', ?)",
                ((i, f"d{i}", f"t{i}", "نص", f"h{i}") for i in range(1, n + 1)),
            )
            for user in USERS[:users]:
                scores = {i: (i * 7919 % n) / n for i in range(1, n + 1) if i % 3}
                project.store.replace_priorities(user, scores, "gen")
        session = project.session(USERS[0])
        scored = n - n // 3
        pages = {"first": 0, "middle": scored // 2, "straddling": scored - 100, "last": n - 100}
        out = {
            name: best_ms(lambda o=offset: session.queue(order="uncertainty", offset=o, limit=200))
            for name, offset in pages.items()
        }
        out["next_article"] = best_ms(lambda: session.next_article(5, order="uncertainty"))
        out["id order first"] = best_ms(lambda: session.queue(limit=200))
        return out


def main() -> None:
    for users in (1, len(USERS)):
        figures = bench(N, users)
        shown = ", ".join(f"{name} {ms:.1f}" for name, ms in figures.items())
        print(f"{N:,} articles, {users} user(s) scored, page of 200 (ms): {shown}")


if __name__ == "__main__":
    main()
