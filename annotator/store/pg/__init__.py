"""The team server: a project in a PostgreSQL database (issue 14), behind the same interface.

:class:`PgStore` implements :class:`annotator.store.protocol.ProjectStore` over psycopg 3 and
its pool, with the same tables and meaning as the project file's layout (``ddl.py`` says what
differs and why); ``tests/core/test_store_contract.py`` runs one suite against both. Its
methods are grouped by topic as the file's are (corpus, links, work, teams, suggestions), over the
connection, transactions and retry in ``connection.py`` and ``retry.py``.

This package imports psycopg: only :func:`annotator.store.open_store` imports it, and only for
a ``postgresql://`` URL, so the file backend never needs the server extra.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.store.pg.copying import PgCopy
from annotator.store.pg.corpus import PgCorpus
from annotator.store.pg.links import PgLinks
from annotator.store.pg.live import NotifyWatcher
from annotator.store.pg.logins import Logins
from annotator.store.pg.suggestions import PgSuggestions
from annotator.store.pg.teams import PgTeams

if TYPE_CHECKING:
    from annotator.store.protocol import ProjectStore

__all__ = ["PgStore"]


class PgStore(PgCorpus, PgLinks, PgCopy, PgTeams, PgSuggestions):
    """An open server project (PostgreSQL); implements :class:`ProjectStore`.

    ``PgCopy`` brings the per-user work with it (PgCopy < PgClaims < PgWork)."""

    def watch_changes(self) -> NotifyWatcher:
        """A LISTENing watcher of commits to people's work (:mod:`annotator.store.pg.live`)."""
        kwargs = self._pool.kwargs  # the password typed at the prompt, if any, is in there
        return NotifyWatcher(self.url, dict(kwargs) if isinstance(kwargs, dict) else {})

    @property
    def logins(self) -> Logins:
        """Its users are PostgreSQL logins (ADR 0006): :mod:`annotator.team.logins` uses this."""
        return Logins(self._with_conn)


if TYPE_CHECKING:
    # As for the file's Store: a missing or changed method fails `mypy annotator`.
    _IMPLEMENTS: type[ProjectStore] = PgStore
