"""The adjudication desk's one link to the core: reviewer intent in, ``Adjudicator`` calls out.

It keeps only which article and which region are current; items, gold spans and progress are
re-read from the core after every change (one transaction each), so the widgets always show
what the store holds.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from annotator.errors import AnnotatorError
from annotator.model import Article, Span
from annotator.review.adjudication import Adjudicator, Item, Lane, lanes


class AdjudicationController(QObject):
    articleOpened = Signal(object)  # Article
    itemsChanged = Signal(object, object)  # list[Item], gold spans
    currentChanged = Signal(object)  # Item | None
    progressChanged = Signal(object)  # Progress
    message = Signal(str)

    def __init__(self, adjudicator: Adjudicator, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.core = adjudicator
        self.article: Article | None = None
        self.items: list[Item] = []
        self.gold: list[Span] = []
        self.current: Item | None = None
        self.lane_names: list[str] = []  # the project's annotators: lane n is always names[n-1]

    @property
    def article_id(self) -> int | None:
        return self.article.id if self.article else None

    # -- reading ---------------------------------------------------------------------------
    def layers(self) -> dict[str, list[Span]]:
        return self.core.layers(self.article.id) if self.article else {}

    def open_article(self, article_id: int, bounds: tuple[int, int] | None = None) -> bool:
        """Show an article (accepting its agreements if the project says so)."""
        try:
            article = self.core.session.article(article_id)
            self.core.open_article(article_id)
        except AnnotatorError as exc:
            self.message.emit(str(exc))
            return False
        self.article = article
        self.lane_names = self.core.lane_names()
        self.articleOpened.emit(article)
        self._reload(bounds)
        if bounds is None:
            self.select(next((i.bounds for i in self.items if i.open), None))
        return True

    def select(self, bounds: tuple[int, int] | None) -> None:
        self.current = next((i for i in self.items if i.bounds == bounds), None)
        self.currentChanged.emit(self.current)

    def _reload(self, keep: tuple[int, int] | None) -> None:
        aid = self.article.id  # type: ignore[union-attr]
        self.items = self.core.items(aid)
        self.gold = self.core.gold(aid)
        self.itemsChanged.emit(list(self.items), list(self.gold))
        self.progressChanged.emit(self.core.progress())
        if keep is not None:
            self.select(keep)

    # -- deciding ----------------------------------------------------------------------------
    def accept(self, index: int) -> bool:
        return self._decide(lambda aid, b: self.core.accept(aid, b, index))

    def lanes(self) -> list[Lane]:
        """The current region's lanes, numbered by annotator (the same number everywhere)."""
        return lanes(self.current.region, self.lane_names) if self.current else []

    def accept_lane(self, number: int) -> bool:
        """Accept the version shown in lane ``number`` (the key the reviewer pressed)."""
        lane = next((lane for lane in self.lanes() if lane.number == number), None)
        return lane is not None and self.accept(lane.alternative)

    def reject(self) -> bool:
        return self._decide(lambda aid, b: self.core.reject(aid, b))

    def edit(self, start: int, end: int, label: str) -> bool:
        return self._decide(lambda aid, b: self.core.edit(aid, b, [(start, end, label)]))

    def _decide(self, action: Callable[[int, tuple[int, int]], object]) -> bool:
        if self.article is None or self.current is None:
            return False
        bounds = self.current.bounds
        try:
            action(self.article.id, bounds)
        except AnnotatorError as exc:
            self.message.emit(str(exc))
            return False
        self._reload(None)
        # Go on to the next open disagreement of this article, else stay on the decided one.
        todo = [i for i in self.items if i.open and not i.region.agreed]
        after = next((i for i in todo if i.bounds[0] > bounds[0]), None) or next(iter(todo), None)
        self.select(after.bounds if after else bounds)
        return True

    # -- navigation ----------------------------------------------------------------------------
    def next_open(self, backwards: bool = False) -> bool:
        """Jump to the next (previous) open region, into other articles when this one is done."""
        if self.article is None:
            return False
        here = self.current.bounds[0] if self.current else (None if not backwards else 1 << 62)
        found = self.core.next_open(self.article.id, here, backwards=backwards)
        if found is None:
            return False
        article_id, item = found
        if article_id != self.article.id:
            return self.open_article(article_id, item.bounds)
        self.select(item.bounds)
        return True

    def step_article(self, step: int) -> bool:
        ids = self.core.article_ids()
        if not ids:
            return False
        if self.article is None or self.article.id not in ids:
            return self.open_article(ids[0])
        target = ids.index(self.article.id) + step
        return 0 <= target < len(ids) and self.open_article(ids[target])

    # -- undo / redo ------------------------------------------------------------------------------
    def undo(self) -> bool:
        return self._history(self.core.undo)

    def redo(self) -> bool:
        return self._history(self.core.redo)

    def _history(self, step: Callable[[int], bool]) -> bool:
        if self.article is None:
            return False
        keep = self.current.bounds if self.current else None
        try:
            done = step(self.article.id)
        except AnnotatorError as exc:
            self.message.emit(str(exc))
            return False
        if done:
            self._reload(keep)
        return done
