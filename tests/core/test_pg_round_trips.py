"""Round trips per user action on a server project, counted on the wire (issue 14's latency).

On a loaded machine every round trip waits for a core at both ends, so the count, not the
SQL's cost, sets the latency tail (docs/performance.md#team). ``bench/pg_wire.py`` relays the
connection and reads the protocol; these tests pin the counts of the actions the team bench
times, show the relay counts what it claims, and that dropping the pool's per-loan ping did
not cost the reconnect it was there for.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

psycopg = pytest.importorskip("psycopg")

from annotator.store.pg import PgStore  # noqa: E402
from bench.bench_round_trips import measure, prepare  # noqa: E402
from bench.pg_wire import WireCounter  # noqa: E402


def test_the_relay_counts_one_trip_per_answer_awaited(pg_url: str, tmp_path: Path) -> None:
    relay = WireCounter(pg_url, tmp_path / "relay")
    try:
        with psycopg.connect(relay.url, autocommit=True) as conn:
            with relay.counting() as alone:
                conn.execute("SELECT 1").fetchone()
                conn.execute("SELECT 2").fetchone()
            with relay.counting() as piped:
                with conn.pipeline():
                    first = conn.execute("SELECT 1")
                    second = conn.execute("SELECT 2")
                assert (first.fetchone(), second.fetchone()) == ((1,), (2,))
        assert (alone.trips, alone.statements, alone.connects) == (2, 2, 0)
        assert (piped.trips, piped.statements) == (1, 2)
        assert [k for k in piped.kinds if k != "|"] == ["SELECT", "SELECT"]
    finally:
        relay.close()


def test_each_action_the_team_bench_times_takes_its_counted_round_trips(
        pg_url: str, tmp_path: Path) -> None:
    """Before (main, 2026-12-01): add-span 10, relabel 12, delete 12, undo 9, claim-next 19."""
    prepare(pg_url)
    counted = measure(pg_url, tmp_path / "relay")
    trips = {action: c.trips for action, c in counted.items()}
    assert trips == {"add-span": 2, "relabel": 3, "delete": 3, "undo": 4, "claim-next": 3}
    assert all(c.connects == 0 for c in counted.values())  # a warm pool: no new connection
    add = [k for k in counted["add-span"].kinds if k != "|"]
    assert add == ["BEGIN", "INSERT", "DELETE", "INSERT", "INSERT", "COMMIT"]  # no ping, no read


def test_a_connection_the_server_ended_is_replaced_before_it_is_lent(pg_url: str) -> None:
    """No ping per loan any more: a backend the server terminated (as a restart does) has left
    something to read on its socket, which is what sends the pool's check to the server."""
    store = PgStore(pg_url, create=True)
    try:
        with store.transaction():
            store.set_meta("k", "1")
        with psycopg.connect(pg_url, autocommit=True) as admin:
            ended = admin.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()").fetchone()[0]
            deadline = time.monotonic() + 10
            while admin.execute("SELECT count(*) FROM pg_stat_activity WHERE datname ="
                                " current_database() AND pid <> pg_backend_pid()").fetchone()[0]:
                assert time.monotonic() < deadline
                time.sleep(0.05)
        assert ended >= 1
        with store.transaction():  # lent a new connection, not the dead one: no error
            store.set_meta("k", "2")
        assert store.get_meta("k") == "2"
    finally:
        store.close()
