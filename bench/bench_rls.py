"""What row-level security costs (ADR 0006): the same reads and writes as an annotator's login
and as the project's owner (to whom no policy applies), on a blind server project.

    python bench/bench_rls.py "postgresql:///postgres?host=/tmp/pg&user=annotator-pg" [ARTICLES]

ARTICLES articles (default 20,000), ten annotators with ~5 spans each on every article, gold on
a tenth. Prints median and p95 milliseconds of: one article's spans (what the desk reads on each
article), adding one span (one transaction), and counting every span of the project (a scan:
the one kind of query where an annotator pays a policy call per hidden row).
"""

from __future__ import annotations

import statistics
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.store.pg import PgStore  # noqa: E402
from annotator.store.pg.logins import set_login  # noqa: E402
from tests.conftest import pg_database_url, pg_with_user  # noqa: E402

ANNOTATORS = [f"ann{i}" for i in range(10)]


def _fill(owner: psycopg.Connection, articles: int) -> None:
    for name in ANNOTATORS:
        set_login(owner, name, "annotator", f"{name}-pw")
    with owner.cursor() as cur:
        cur.execute("INSERT INTO articles (doc_id, text, content_hash)"
                    " SELECT 'd' || g, repeat('كلمة ', 40), 'h' || g FROM generate_series(1, %s) g",
                    (articles,))
        for name in [*ANNOTATORS, "gold"]:
            every = 10 if name == "gold" else 1
            cur.execute(
                'INSERT INTO spans (article_id, start, "end", label, text, annotator)'
                " SELECT a.id, s * 5, s * 5 + 4, 'PERSON', 'كلمة', %s FROM articles a,"
                " generate_series(0, 4) s WHERE a.id %% %s = 0", (name, every))
        cur.execute("ANALYZE")


def _timed(run: Callable[[int], object], n: int) -> tuple[float, float]:
    times = []
    for i in range(n):
        began = time.perf_counter()
        run(i)
        times.append((time.perf_counter() - began) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def _measure(url: str, who: str, articles: int) -> dict[str, tuple[float, float]]:
    with psycopg.connect(url, autocommit=True) as conn:
        def read(i: int) -> object:
            return conn.execute("SELECT * FROM spans WHERE article_id = %s ORDER BY start",
                                (1 + i * 7 % articles,)).fetchall()

        def add(i: int) -> object:
            with conn.transaction():
                return conn.execute(
                    'INSERT INTO spans (article_id, start, "end", label, text, annotator)'
                    " VALUES (%s, 200, 204, 'PERSON', 'كلمة', %s)", (1 + i, who))

        def count(i: int) -> object:
            return conn.execute("SELECT count(*) FROM spans").fetchone()

        return {"article's spans": _timed(read, 300), "add a span": _timed(add, 300),
                "count every span": _timed(count, 3)}


def main(admin_url: str, articles: int) -> None:
    name = "bench_rls_" + uuid.uuid4().hex[:8]
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = pg_database_url(admin_url, name)
    try:
        PgStore(url, create=True).close()
        with psycopg.connect(url, autocommit=True) as owner:
            _fill(owner, articles)
            spans = owner.execute("SELECT count(*) FROM spans").fetchone()[0]  # type: ignore[index]
        print(f"{articles} articles, {spans} spans, blind project")
        print(f"{'':<18}{'owner (no policy)':>24}{'annotator login':>24}")
        mine = _measure(url, "admin", articles)
        theirs = _measure(pg_with_user(url, "ann0", "ann0-pw"), "ann0", articles)
        for what in mine:
            print(f"{what:<18}{'%.2f / %.2f ms' % mine[what]:>24}{'%.2f / %.2f ms' % theirs[what]:>24}")
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 20_000)
