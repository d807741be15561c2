"""A secured server project for the tests, and connecting to it as one of its logins."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg

from annotator.store.pg import PgStore
from tests.conftest import pg_with_user


@contextmanager
def server_project(url: str) -> Iterator[psycopg.Connection]:
    """The owner's connection (autocommit) to a new project in the empty database ``url``."""
    PgStore(url, create=True).close()  # init: the tables, then apply_security
    with psycopg.connect(url, autocommit=True) as owner:
        yield owner


def as_login(url: str, user: str, password: str) -> psycopg.Connection:
    """A connection (autocommit) as ``user``: what she would type into psql."""
    return psycopg.connect(pg_with_user(url, user, password), autocommit=True)
