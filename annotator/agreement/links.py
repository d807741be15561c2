"""Agreement over relations and event arguments: pure functions, no store, no Qt, no numpy.

Spans are compared by :mod:`annotator.agreement.measures`; this module compares what links them.
Both relations and event arguments become :class:`LinkItem` values: a *kind* and the spans it
connects, so one matcher serves both.

* A **relation** is the item ``(type, (head, tail))``. A symmetric type (``RelationType.symmetric``)
  compares its ends unordered: ali's ``same-as(A, B)`` matches mona's ``same-as(B, A)``.
* An **event argument** is the item ``("<event type>:<role>", (trigger, argument))``: it matches
  when the event type and role are the same and both the trigger and the argument match. An
  event without arguments adds nothing (its trigger is a span, measured with the spans).

Matching, as the span figures do it (so the numbers read alike):

* *Exact*: same kind and every end the same ``(start, end, label)``. A layer's duplicate items
  count once.
* *Overlap*: same kind, and every end shares at least one code point with its counterpart and
  has its label; one-to-one, chosen greedily by the summed overlap of the ends (largest first;
  ties by the reference item's order, then the prediction's, both in exact-key order).

Counts are :class:`annotator.agreement.report.SpanCounts` per kind (relation type, or
``event:role``): the reference (first of a pair; ``gold`` when measured against gold) is truth,
so precision = tp / prediction's items, recall = tp / reference's items, F1 symmetric.
Relations/arguments are small in number per article (tens), so the overlap matcher is a plain
O(n x m) loop per kind; ``bench/bench_agreement.py`` times it.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from annotator.agreement.link_report import LinkPair, LinkReport, LinkScores
from annotator.agreement.report import SpanCounts, SpanScores
from annotator.model import GOLD, Event, Relation, Span

SpanKey = tuple[int, int, str]


@dataclass(frozen=True)
class LinkItem:
    """One relation or one filled event role, as agreement compares it: a kind and two ends.

    >>> a, b = Span(0, 3, "LOC", "حمص"), Span(4, 9, "ORG", "الجيش")
    >>> LinkItem("near", (a, b), unordered=True).key == LinkItem("near", (b, a), unordered=True).key
    True
    """

    kind: str
    ends: tuple[Span, Span]
    unordered: bool = False
    key: tuple[str, tuple[SpanKey, ...]] = field(init=False, repr=False, compare=False)
    """``(kind, end keys)``, end keys sorted when unordered: made once, since matching reads
    it several times per pair of layers."""

    def __post_init__(self) -> None:
        keys = tuple(end.key for end in self.ends)
        object.__setattr__(
            self, "key", (self.kind, tuple(sorted(keys)) if self.unordered else keys)
        )


def relation_items(
    relations: Iterable[Relation], symmetric: Collection[str] = ()
) -> list[LinkItem]:
    """Relations as items; types named in ``symmetric`` compare their ends unordered."""
    return [LinkItem(r.type, (r.head, r.tail), r.type in symmetric) for r in relations]


def argument_items(events: Iterable[Event]) -> list[LinkItem]:
    """One item per filled role: kind ``"<event type>:<role>"``, ends ``(trigger, argument)``.

    >>> from annotator.model import EventArgument
    >>> trigger, place = Span(0, 3, "ATTACK", "قصف"), Span(4, 8, "LOC", "حماة")
    >>> [i.key for i in argument_items([Event("attack", trigger, (EventArgument("place", place),))])]
    [('attack:place', ((0, 3, 'ATTACK'), (4, 8, 'LOC')))]
    """
    return [
        LinkItem(f"{event.type}:{arg.role}", (event.trigger, arg.span))
        for event in events
        for arg in event.arguments
    ]


def _pair_overlap(ref: LinkItem, pred: LinkItem) -> int:
    """Summed overlap of the two ends (code points, same labels), 0 unless both overlap;
    either order when unordered.

    Works on the items' keys (plain tuples), unrolled for two ends: this is the inner loop of
    overlap matching. An unordered item's key holds its ends sorted, hence both orders.

    >>> a, b, c = Span(0, 3, "X", "abc"), Span(4, 6, "Y", "de"), Span(5, 7, "Y", "ef")
    >>> _pair_overlap(LinkItem("r", (a, b)), LinkItem("r", (a, c)))
    4
    """
    (a, b), theirs = ref.key[1], pred.key[1]
    best = 0
    for c, d in (theirs, theirs[::-1]) if ref.unordered else (theirs,):
        if a[2] != c[2] or b[2] != d[2]:
            continue
        x = min(a[1], c[1]) - max(a[0], c[0])
        y = min(b[1], d[1]) - max(b[0], d[0])
        if x > 0 and y > 0 and x + y > best:
            best = x + y
    return best


def _unique(items: Iterable[LinkItem]) -> dict[str, list[LinkItem]]:
    """Items by kind, a layer's duplicates dropped, each kind in exact-key order."""
    seen: dict[tuple[str, tuple[SpanKey, ...]], LinkItem] = {}
    for item in items:
        seen.setdefault(item.key, item)
    by_kind: dict[str, list[LinkItem]] = {}
    for key in sorted(seen):
        by_kind.setdefault(key[0], []).append(seen[key])
    return by_kind


def match_items(
    reference: Iterable[LinkItem], prediction: Iterable[LinkItem], *, overlap: bool
) -> dict[str, SpanCounts]:
    """Counts per kind (kinds either side used), exact or overlap matching.

    >>> a, b, c = Span(0, 3, "X", "abc"), Span(4, 6, "Y", "de"), Span(4, 7, "Y", "def")
    >>> ref, pred = [LinkItem("r", (a, b))], [LinkItem("r", (a, c))]
    >>> match_items(ref, pred, overlap=False)["r"], match_items(ref, pred, overlap=True)["r"]
    (SpanCounts(tp=0, n_ref=1, n_pred=1), SpanCounts(tp=1, n_ref=1, n_pred=1))
    """
    found = _count(_unique(reference), _unique(prediction), overlap)
    return {kind: SpanCounts(*found[kind]) for kind in sorted(found)}


Tally = dict[str, list[int]]
"""Per kind ``[tp, n_ref, n_pred]``: what a builder sums before making :class:`SpanCounts`."""


def _count(
    ref: Mapping[str, list[LinkItem]],
    pred: Mapping[str, list[LinkItem]],
    overlap: bool,
    total: Tally | None = None,
) -> Tally:
    """Per kind ``[tp, n_ref, n_pred]``, added into ``total`` when given (a builder's sums)."""
    counts: Tally = {} if total is None else total
    for kind in ref.keys() | pred.keys():
        mine, theirs = ref.get(kind, ()), pred.get(kind, ())
        if not (mine and theirs):
            tp = 0
        elif overlap:
            tp = _greedy(mine, theirs)
        else:
            tp = len({i.key for i in mine}.intersection(i.key for i in theirs))
        row = counts.get(kind)
        if row is None:
            counts[kind] = [tp, len(mine), len(theirs)]
        else:
            row[0] += tp
            row[1] += len(mine)
            row[2] += len(theirs)
    return counts


def _scores_of(tally: Tally) -> SpanScores:
    return SpanScores({kind: SpanCounts(*tally[kind]) for kind in sorted(tally)})


def _greedy(ref: Sequence[LinkItem], pred: Sequence[LinkItem]) -> int:
    candidates = [
        (-share, i, j)
        for i, r in enumerate(ref)
        for j, p in enumerate(pred)
        if (share := _pair_overlap(r, p))
    ]
    used_ref: set[int] = set()
    used_pred: set[int] = set()
    for _, i, j in sorted(candidates):
        if i not in used_ref and j not in used_pred:
            used_ref.add(i)
            used_pred.add(j)
    return len(used_ref)


@dataclass(frozen=True)
class LinkLayer:
    """One annotator's relations and events in one article."""

    relations: Sequence[Relation] = ()
    events: Sequence[Event] = ()


@dataclass(frozen=True)
class ArticleLinks:
    """An article's links by layer name: a present key means "annotated" (maybe nothing), as
    :class:`annotator.agreement.measures.ArticleLayers` has it. A ``gold`` key is measured
    against every annotator, never as one of them."""

    article_id: str
    layers: Mapping[str, LinkLayer]


def _prepared(
    layer: LinkLayer, symmetric: Collection[str]
) -> tuple[dict[str, list[LinkItem]], ...]:
    """A layer's unique relation items and argument items by kind, made once per article."""
    return _unique(relation_items(layer.relations, symmetric)), _unique(
        argument_items(layer.events)
    )


class LinkAgreementBuilder:
    """Link figures of articles added one at a time; keeps only integer sums per pair."""

    def __init__(self, symmetric: Collection[str] = ()) -> None:
        self._symmetric = frozenset(symmetric)
        self._names: set[str] = set()
        self._articles: dict[tuple[str, str], int] = {}
        self._tallies: dict[tuple[str, str], tuple[Tally, Tally, Tally, Tally]] = {}

    def add(self, article: ArticleLinks) -> None:
        humans = sorted(name for name in article.layers if name != GOLD)
        self._names.update(humans)
        ready = {n: _prepared(layer, self._symmetric) for n, layer in article.layers.items()}
        pairs = list(itertools.combinations(humans, 2))
        if GOLD in ready:
            pairs += [(GOLD, name) for name in humans]
        for a, b in pairs:
            self._articles[(a, b)] = self._articles.get((a, b), 0) + 1
            tallies = self._tallies.setdefault((a, b), ({}, {}, {}, {}))
            (ref_rel, ref_arg), (pred_rel, pred_arg) = ready[a], ready[b]
            _count(ref_rel, pred_rel, False, tallies[0])
            _count(ref_rel, pred_rel, True, tallies[1])
            _count(ref_arg, pred_arg, False, tallies[2])
            _count(ref_arg, pred_arg, True, tallies[3])

    def report(self) -> LinkReport:
        names = tuple(sorted(self._names))

        def pair(a: str, b: str) -> LinkPair:
            tallies = self._tallies.get((a, b), ({}, {}, {}, {}))
            scores = LinkScores(*(_scores_of(t) for t in tallies))
            return LinkPair(a, b, self._articles.get((a, b), 0), scores)

        pairs = tuple(pair(a, b) for a, b in itertools.combinations(names, 2))
        gold = tuple(pair(GOLD, name) for name in names if (GOLD, name) in self._tallies)
        return LinkReport(names, pairs, gold, sum((p.scores for p in pairs), LinkScores()))


def compute_link_agreement(
    articles: Iterable[ArticleLinks], symmetric: Collection[str] = ()
) -> LinkReport:
    """Every relation and event-argument figure of ``articles``; pairs in sorted name order.

    >>> from annotator.model import make_span
    >>> text = "قصف حماة"
    >>> strike, city = make_span(text, 0, 3, "ATTACK"), make_span(text, 4, 8, "LOC")
    >>> rel = Relation("located-in", strike, city)
    >>> art = ArticleLinks("a1", {"ali": LinkLayer([rel]), "mona": LinkLayer([])})
    >>> compute_link_agreement([art]).pairs[0].scores.relations_exact.micro
    SpanCounts(tp=0, n_ref=1, n_pred=0)
    """
    builder = LinkAgreementBuilder(symmetric)
    for article in articles:
        builder.add(article)
    return builder.report()


__all__ = [
    "ArticleLinks",
    "LinkAgreementBuilder",
    "LinkItem",
    "LinkLayer",
    "argument_items",
    "compute_link_agreement",
    "match_items",
]
