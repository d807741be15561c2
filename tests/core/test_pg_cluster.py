"""The throwaway PostgreSQL the server tests run against (scripts/pg-cluster.sh, tests/conftest.py).

These check the fixtures themselves: every test gets its own empty database, and nothing one test
writes is seen by the next (so the contract suite's tests stay independent on PG as on files).
"""

from __future__ import annotations

import pytest

psycopg = pytest.importorskip("psycopg")

_SEEN: list[str] = []


@pytest.mark.parametrize("run", [1, 2])
def test_each_test_gets_a_fresh_empty_database(pg_url: str, run: int) -> None:
    with psycopg.connect(pg_url) as conn:
        name = conn.execute("SELECT current_database()").fetchone()[0]
        tables = conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()[0]
        assert tables == 0
        conn.execute("CREATE TABLE left_behind (x int)")  # the next run must not see it
    assert name not in _SEEN
    _SEEN.append(name)


def test_the_admin_url_is_a_superuser_over_a_unix_socket(pg_admin_url: str) -> None:
    with psycopg.connect(pg_admin_url) as conn:
        assert conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").fetchone()[0]
        assert conn.execute("SHOW server_encoding").fetchone()[0] == "UTF8"
