"""The adjudication desk's one link to the core: reviewer intent in, ``Adjudicator`` calls out.

It keeps only which article and which region (or link slot) are current; items, link slots,
gold spans and links and progress are re-read from the core after every change (one
transaction each), so the widgets always show what the store holds.

Relations and event arguments are decided with the span keys: when a link slot is current
(:attr:`current_link`), lane keys accept that lane's links, R rejects them, Ctrl+Z undoes.

Every write (opening an article accepts its agreements; decisions; undo/redo) goes through the
annotation desk's :class:`ui.desk.write_queue.WriteQueue`, with its short wait inside SQLite:
behind another program's write the window stays responsive, the status bar says so, and the
change is stored, in order, when the lock frees (it used to wait up to 30 s, frozen).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from annotator.agreement.links import LinkItem
from annotator.errors import AnnotatorError
from annotator.model import Article, Span
from annotator.review.adjudication import Adjudicator, Item, Lane, lanes
from annotator.review.link_decisions import LinkState
from annotator.review.link_slots import LinkLane, edit_choices, link_lanes
from ui.desk.write_queue import PATIENCE_S, WriteQueue


class AdjudicationController(QObject):
    articleOpened = Signal(object)  # Article
    itemsChanged = Signal(object, object)  # list[Item], gold spans
    currentChanged = Signal(object)  # Item | None
    linksChanged = Signal(object, object)  # list[LinkState], (gold relations, gold events)
    currentLinkChanged = Signal(object)  # LinkState | None
    progressChanged = Signal(object)  # Progress
    message = Signal(str)

    def __init__(self, adjudicator: Adjudicator, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.core = adjudicator
        self.article: Article | None = None
        self.items: list[Item] = []
        self.gold: list[Span] = []
        self.current: Item | None = None
        self.links: list[LinkState] = []
        self.current_link: LinkState | None = None
        self.lane_names: list[str] = []  # the project's annotators: lane n is always names[n-1]
        adjudicator.session.project.set_write_patience(PATIENCE_S)
        self.writes = WriteQueue(self)
        self.writes.failed.connect(self.message.emit)

    @property
    def article_id(self) -> int | None:
        return self.article.id if self.article else None

    # -- reading ---------------------------------------------------------------------------
    def layers(self) -> dict[str, list[Span]]:
        return self.core.layers(self.article.id) if self.article else {}

    def open_article(self, article_id: int, bounds: tuple[int, int] | None = None) -> bool:
        """Show an article (accepting its agreements if the project says so); behind another
        program's write it shows once they are stored (True: shown or waiting)."""
        try:
            article = self.core.session.article(article_id)
        except AnnotatorError as exc:
            self.message.emit(str(exc))
            return False
        return self._write(article_id, lambda aid: self.core.open_article(aid) or True,
                           lambda _: self._show(article, bounds), anywhere=True)

    def _show(self, article: Article, bounds: tuple[int, int] | None) -> None:
        self.article = article
        self.lane_names = self.core.lane_names()
        self.current_link = None
        self.articleOpened.emit(article)
        self._reload(bounds)
        if bounds is None:
            first = next((i.bounds for i in self.items if i.open), None)
            self.select(first)
            if first is None:  # spans all decided: the links are what is left
                self.select_link(next((s.key for s in self.links if s.open), None))

    def _write(self, article_id: int, action: Callable[[int], object], then: Callable[[object], None],
               *, anywhere: bool = False) -> bool:
        """``action(article_id)`` through the write queue, ``then(result)`` once stored (when
        the article is still the one shown, unless ``anywhere``). True when stored with a true
        result (an undo with nothing to undo is false) or waiting; False when refused."""
        def shown(result: object) -> None:
            if anywhere or self.article_id in (None, article_id):
                then(result)

        result = self.writes.run(article_id, action, shown)
        return bool(result) or (result is None and bool(self.writes.pending))

    def select(self, bounds: tuple[int, int] | None) -> None:
        if bounds is not None and self.current_link is not None:
            self.select_link(None)
        self.current = next((i for i in self.items if i.bounds == bounds), None)
        self.currentChanged.emit(self.current)

    def select_link(self, key: str | None) -> None:
        """Make link slot ``key`` current (and no region), or none."""
        self.current_link = next((s for s in self.links if s.key == key), None)
        if self.current_link is not None and self.current is not None:
            self.current = None
            self.currentChanged.emit(None)
        self.currentLinkChanged.emit(self.current_link)

    def _reload(self, keep: tuple[int, int] | None) -> None:
        aid = self.article.id  # type: ignore[union-attr]
        self.items = self.core.items(aid)
        self.gold = self.core.gold(aid)
        self.itemsChanged.emit(list(self.items), list(self.gold))
        self.links = self.core.link_states(aid)
        self.linksChanged.emit(list(self.links), self.core.gold_links(aid))
        self.progressChanged.emit(self.core.progress())
        if keep is not None:
            self.select(keep)

    def refresh(self) -> bool:
        """Re-read the open article's layers, gold and progress (others have been working:
        :mod:`annotator.live` said so), keeping the current region; False with none open."""
        if self.article is None:
            return False
        self.lane_names = self.core.lane_names()
        self._reload(self.current.bounds if self.current else None)
        return True

    # -- deciding ----------------------------------------------------------------------------
    def accept(self, index: int) -> bool:
        return self._decide(lambda aid, b: self.core.accept(aid, b, index))

    def lanes(self) -> list[Lane]:
        """The current region's lanes, numbered by annotator (the same number everywhere)."""
        return lanes(self.current.region, self.lane_names) if self.current else []

    def link_lanes(self) -> list[LinkLane]:
        """The current link slot's lanes, numbered as the regions' lanes are."""
        return link_lanes(self.current_link.slot, self.lane_names) if self.current_link else []

    def has_lane(self, number: int) -> bool:
        """Whether the current region or slot has lane ``number`` (else the key means nothing)."""
        found = self.link_lanes() if self.current_link is not None else self.lanes()
        return any(lane.number == number for lane in found)

    def accept_lane(self, number: int) -> bool:
        """Accept the version shown in lane ``number`` (the key the reviewer pressed)."""
        if self.current_link is not None:
            found = next((x for x in self.link_lanes() if x.number == number), None)
            return found is not None and self._decide_link(
                lambda aid, key: self.core.accept_link(aid, key, found.alternative))
        lane = next((lane for lane in self.lanes() if lane.number == number), None)
        return lane is not None and self.accept(lane.alternative)

    def reject(self) -> bool:
        if self.current_link is not None:
            return self._decide_link(self.core.reject_link)
        return self._decide(lambda aid, b: self.core.reject(aid, b))

    def edit_choices(self) -> list[LinkItem]:
        """What E offers on the current slot: the proposed ends under other allowed kinds."""
        if self.current_link is None:
            return []
        return edit_choices(self.current_link.slot, self.core.session.project.schema)

    def edit_link(self, item: LinkItem) -> bool:
        """Put the reviewer's own link (one of :meth:`edit_choices`) in the current slot."""
        return self._decide_link(lambda aid, key: self.core.edit_link(aid, key, [item]))

    def _decide_link(self, action: Callable[[int, str], object]) -> bool:
        if self.article is None or self.current_link is None:
            return False
        key = self.current_link.key

        def then(_result: object) -> None:
            self._reload(None)
            todo = [s.key for s in self.links if s.open and not s.slot.agreed]
            keys = [s.key for s in self.links]
            after = next((k for k in todo if keys.index(k) > keys.index(key)), None) if key in keys else None
            self.select_link(after or next(iter(todo), None) or key)

        return self._write(self.article.id, lambda aid: action(aid, key) or True, then)

    def edit(self, start: int, end: int, label: str) -> bool:
        return self._decide(lambda aid, b: self.core.edit(aid, b, [(start, end, label)]))

    def _decide(self, action: Callable[[int, tuple[int, int]], object]) -> bool:
        if self.article is None or self.current is None:
            return False
        bounds = self.current.bounds

        def then(_result: object) -> None:
            self._reload(None)
            # Go on to the next open disagreement of this article, else stay on the decided one.
            todo = [i for i in self.items if i.open and not i.region.agreed]
            after = next((i for i in todo if i.bounds[0] > bounds[0]), None) or next(iter(todo), None)
            self.select(after.bounds if after else bounds)

        return self._write(self.article.id, lambda aid: action(aid, bounds) or True, then)

    # -- navigation ----------------------------------------------------------------------------
    def next_open(self, backwards: bool = False) -> bool:
        """Jump to the next (previous) open region, into other articles when this one is done."""
        if self.article is None:
            return False
        open_links = [s.key for s in self.links if s.open and not s.slot.agreed]
        if self.current_link is not None and not backwards and self.current_link.key in open_links:
            later = open_links[open_links.index(self.current_link.key) + 1 :]
            if later:
                self.select_link(later[0])
                return True
        here = self.current.bounds[0] if self.current else (None if not backwards else 1 << 62)
        found = self.core.next_open(self.article.id, here, backwards=backwards)
        leaving = found is None or found[0] != self.article.id or (
            self.current is not None and found[1].bounds[0] <= self.current.bounds[0])
        if not backwards and leaving and open_links and self.current_link is None:
            self.select_link(open_links[0])  # this article's links before the next article
            return True
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
        link = self.current_link.key if self.current_link else None

        def then(done: object) -> None:
            if done:
                self._reload(keep)
                if link is not None:
                    self.select_link(link)

        return self._write(self.article.id, step, then)
