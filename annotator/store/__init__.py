"""The project file: the only package that talks SQL (through sqlite-utils).

A project is one SQLite file in WAL mode with foreign keys on. Every user action is one
transaction (:meth:`Store.transaction`), begun IMMEDIATE so two writers queue on SQLite's lock
(with a busy timeout) instead of failing half-way through a read-then-write. The database layout
carries its own version in ``PRAGMA user_version``; :data:`MIGRATIONS` bring older files forward
and a file from a newer release is refused rather than damaged.

:class:`Store` is one object; its methods are grouped by topic in the modules beside this one
(corpus, per-user work and its claims, teams, suggestions), all over the connection in ``connection.py``.
Methods return model objects or plain tuples, never sqlite rows. What the core may ask of a
store is :class:`ProjectStore` (``protocol.py``): a second backend implements that, and
``tests/core/test_store_contract.py`` runs the same suite on each.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from annotator.store.claims import ClaimStore
from annotator.store.connection import BUSY_TIMEOUT_S, StoreBase, now
from annotator.store.copying import CopyStore
from annotator.store.corpus import CorpusStore
from annotator.store.layout import LAYOUT_VERSION, MIGRATIONS
from annotator.store.links import LinkStore
from annotator.store.live import FileWatcher
from annotator.store.location import conninfo_of, is_server_url, server_path
from annotator.store.suggestions import SuggestionStore
from annotator.store.teams import TeamStore
from annotator.store.work import QUEUE_ORDERS

if TYPE_CHECKING:
    from annotator.store.protocol import ProjectStore

__all__ = ["BUSY_TIMEOUT_S", "LAYOUT_VERSION", "MIGRATIONS", "QUEUE_ORDERS", "Store", "is_server_url",
           "now", "open_store", "server_path"]


class Store(CorpusStore, LinkStore, ClaimStore, TeamStore, SuggestionStore, CopyStore, StoreBase):
    """An open project file (SQLite); implements :class:`ProjectStore`."""

    def watch_changes(self) -> FileWatcher:
        """A watcher of commits to this file by other connections (:mod:`annotator.store.live`)."""
        return FileWatcher(self.path)


def open_store(
    location: Path | str, *, create: bool = False, read_only: bool = False,
    defer_create: bool = False,
) -> ProjectStore:
    """The one door to a project's storage: a file path, or a ``postgresql://`` /
    ``postgres://`` URL (a :class:`~annotator.store.location.ServerPath` from the CLI, or a str).

    ``defer_create`` (a server): the new project's tables, roles and policies are made in the
    store's first transaction and commit with it, or not at all (PostgreSQL's DDL is
    transactional). A new file is made in place: its all-or-nothing is a temporary name.

    The server backend (and psycopg) is imported only for a URL, so a file project never needs
    the ``server`` extra; without it a URL fails as the CLI's one line naming that extra.
    """
    url = conninfo_of(location)
    if url is None:
        return Store(location, create=create, read_only=read_only)
    from annotator.store.pg import PgStore  # ImportError -> "pip install 'annotator[server]'"

    return PgStore(url, create=create, read_only=read_only, defer_create=defer_create)


if TYPE_CHECKING:
    # mypy checks here that the SQLite store keeps the whole interface (a missing or changed
    # method fails `mypy annotator`, not a user's click). Only for mypy: building the Protocol
    # class costs ~2 ms, which the desk's start (bench/bench_desk.py) does not pay.
    _IMPLEMENTS: type[ProjectStore] = Store
