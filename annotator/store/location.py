"""Naming a server project: which arguments are URLs, and how to print one without its password.

Outside the pg package and free of psycopg, so the CLI can tell a URL from a file name without
the server extra.
"""

from __future__ import annotations

import re
from pathlib import PosixPath
from urllib.parse import parse_qsl, urlencode, urlsplit

SCHEMES = ("postgresql://", "postgres://")


def is_server_url(name: object) -> bool:
    """Whether ``name`` names a server project (a libpq URL) rather than a project file.

    >>> is_server_url("postgresql://sara@db.example/news"), is_server_url("news.db")
    (True, False)
    """
    return isinstance(name, str) and name.lower().startswith(SCHEMES)


def display_url(url: str) -> str:
    """``url`` as messages print it: the same URL without any password.

    >>> display_url("postgresql://sara:secret@db.example:5433/news?sslmode=require&password=x")
    'postgresql://sara@db.example:5433/news?sslmode=require'
    """
    parts = urlsplit(url)
    netloc = re.sub(r":[^@/]*@", "@", parts.netloc) if "@" in parts.netloc else parts.netloc
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if k != "password"], safe="/")
    text = f"{parts.scheme}://{netloc}{parts.path}"
    return text + (f"?{query}" if query else "")


class ServerPath(PosixPath):
    """What ``ProjectStore.path`` is for a server project: prints as its URL (no password).

    Why a Path: the core names its project in messages and export cards as ``project.path``
    (``.name`` is the database name here). Nothing on disk answers to it, so file-only features
    (backups, restore, repair) check :func:`is_server_url` of ``str(path)`` and refuse.
    """

    def __str__(self) -> str:
        return self.__dict__.get("_url") or super().__str__()

    def __fspath__(self) -> str:
        return str(self)

    def __repr__(self) -> str:
        return f"ServerPath({str(self)!r})"


def server_path(url: str) -> ServerPath:
    """The :class:`ServerPath` of ``url`` (which keeps ``url`` itself, password and all, for
    :func:`conninfo_of`; only its printed form leaves the password out)."""
    made = ServerPath(url.split("?", 1)[0])
    made.__dict__["_url"] = display_url(url)
    made.__dict__["_conninfo"] = url
    return made


def conninfo_of(location: object) -> str | None:
    """The URL to give libpq when ``location`` names a server project, else None (a file).

    >>> conninfo_of(server_path("postgres://ali:pw@db/news")), conninfo_of("news.db")
    ('postgres://ali:pw@db/news', None)
    """
    if isinstance(location, ServerPath):
        return str(location.__dict__.get("_conninfo") or location)
    return str(location) if is_server_url(location) else None
