"""Fixtures every test folder shares: where ../shared is, the repo's own fixtures, and a
PostgreSQL server for the team-server tests (issue 14)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import SplitResult, parse_qsl, urlencode, urlsplit, urlunsplit

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = (REPO / ".." / "shared").resolve()
FIXTURES = REPO / "tests" / "fixtures"
PG_CLUSTER = REPO / "scripts" / "pg-cluster.sh"


@pytest.fixture
def shared_dir() -> Path:
    """The sibling ``../shared`` folder with real corpora; skips the test when it is absent."""
    if not (SHARED / "corpora").is_dir():
        pytest.skip("../shared is not present on this machine")
    return SHARED


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


# --- PostgreSQL -------------------------------------------------------------------------------


def pg_database_url(url: str, database: str) -> str:
    """``url`` pointing at another database of the same server (libpq URL: the path names it)."""
    return _unsplit(urlsplit(url)._replace(path="/" + database))


def pg_with_user(url: str, user: str, password: str | None = None) -> str:
    """``url`` logging in as another role (the query's ``user``/``password`` win over the netloc)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k not in ("user", "password")]
    query.append(("user", user))
    if password is not None:
        query.append(("password", password))
    return _unsplit(parts._replace(query=urlencode(query)))


def _unsplit(parts: SplitResult) -> str:
    """urlunsplit, keeping the ``//`` of an empty host (``postgresql:///db?host=/socket/dir``),
    which the standard library drops."""
    text = urlunsplit(parts)
    return text if parts.netloc else text.replace(":", "://", 1)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that asks for a server is marked ``pg`` (``-m pg`` selects them, ``-m "not pg"``
    leaves them out) without each test having to say so."""
    for item in items:
        if {"pg_admin_url", "pg_url", "pg_databases"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.pg)


@pytest.fixture(scope="session")
def pg_admin_url() -> Iterator[str]:
    """A superuser URL: ``$ANNOTATOR_TEST_PG`` (scripts/test.sh and .ci/run start a cluster), else a
    throwaway cluster of our own (scripts/pg-cluster.sh), else the test skips with the reason."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("psycopg is not installed (pip install 'annotator[server]')")
    url = os.environ.get("ANNOTATOR_TEST_PG")
    if url:
        yield url
        return
    if not shutil.which("initdb") and not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        pytest.skip("no PostgreSQL: set ANNOTATOR_TEST_PG or install postgresql (initdb)")
    folder = tempfile.mkdtemp(prefix="annotator-pg.")
    try:
        started = subprocess.run(
            ["bash", str(PG_CLUSTER), "start", folder], capture_output=True, text=True, timeout=120
        )
        if started.returncode != 0:
            pytest.skip(f"could not start a throwaway cluster: {started.stderr.strip()[-300:]}")
        yield started.stdout.strip().splitlines()[-1]
    finally:
        subprocess.run(["bash", str(PG_CLUSTER), "stop", folder], capture_output=True, timeout=120)
        shutil.rmtree(folder, ignore_errors=True)


def _create_database(admin_url: str) -> str:
    import psycopg

    name = "t_" + uuid.uuid4().hex[:16]
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE template1 STRATEGY FILE_COPY')
    return name


def _drop_database(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_databases(pg_admin_url: str) -> Iterator[Callable[[], str]]:
    """A factory of fresh empty databases (superuser URLs) for a test that needs several
    (two server projects, a copy's target); all are dropped afterwards."""
    made: list[str] = []

    def fresh() -> str:
        made.append(_create_database(pg_admin_url))
        return pg_database_url(pg_admin_url, made[-1])

    yield fresh
    for name in made:
        _drop_database(pg_admin_url, name)


@pytest.fixture
def pg_url(pg_admin_url: str) -> Iterator[str]:
    """A FRESH empty database for one test (superuser URL), dropped afterwards.

    ``CREATE DATABASE ... STRATEGY FILE_COPY`` copies the small template1 as files, a few tens of
    milliseconds on the test cluster; the database is dropped WITH (FORCE) so a pool the test
    forgot to close cannot keep it alive.
    """
    name = _create_database(pg_admin_url)
    try:
        yield pg_database_url(pg_admin_url, name)
    finally:
        _drop_database(pg_admin_url, name)
