"""The articles a server project's store read lately, kept so the next read costs no round trip.

Why this is safe: an article never changes once imported (no statement of this project updates
or deletes one; ``insert_article`` says so), so a copy read a minute ago is the article now. Why
it matters: every add-span reads the article's text to snap and check the span, and on a loaded
machine each round trip waits for a core on both ends (docs/performance.md#team). A claim reads
the article it hands out in the same statement and leaves it here, so opening it is free too.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from annotator.model import Article

SIZE = 64
"""Articles kept: the one being labelled, the next ones, and a reviewer's recent pages."""


class RecentArticles:
    """A small least-recently-used map ``id -> Article``, safe for the desk's reader threads."""

    def __init__(self, size: int = SIZE) -> None:
        self._size = size
        self._by_id: OrderedDict[int, Article] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, article_id: int) -> Article | None:
        with self._lock:
            article = self._by_id.get(article_id)
            if article is not None:
                self._by_id.move_to_end(article_id)
            return article

    def put(self, article: Article) -> Article:
        with self._lock:
            self._by_id[article.id] = article
            self._by_id.move_to_end(article.id)
            while len(self._by_id) > self._size:
                self._by_id.popitem(last=False)
        return article
