"""The one clock of the core: every stored timestamp comes from :func:`now`.

Why its own module: use cases (an import's one stamp for all its articles, an adjudication
decision) and the store both stamp rows, and the use cases must not import the store to do it.
"""

from __future__ import annotations


def now() -> str:
    """Timestamps are ISO 8601 in UTC, so they sort as text and survive time zones.

    >>> stamp = now()
    >>> stamp[10], stamp[-6:]
    ('T', '+00:00')
    """
    from datetime import datetime, timezone  # only writes stamp: kept off the open path

    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")
