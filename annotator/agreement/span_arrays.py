"""Spans of every annotator as arrays, and the two ways of matching them (exact, overlap).

Offsets here are *corpus* code points: article ``i``'s offset 0 is ``base[i]``, the sum of the
lengths of the articles before it. Two spans can then only overlap if they are in the same
article, and one sort covers the whole corpus.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter

import numpy as np

from annotator.errors import SpanError
from annotator.model import Span


@dataclass(frozen=True)
class Layer:
    """One annotator's spans (or a subset): parallel arrays, corpus code points ``[start, end)``."""

    article: np.ndarray
    start: np.ndarray
    end: np.ndarray
    label: np.ndarray  # code >= 1 (0 is O)

    def __len__(self) -> int:
        return len(self.start)


@dataclass(frozen=True)
class SpanTable:
    """All spans of all annotators, each layer's duplicates removed, sorted by rater then start."""

    labels: tuple[str, ...]
    rater: np.ndarray
    spans: Layer

    @classmethod
    def build(
        cls,
        layers: Sequence[Mapping[str, Sequence[Span]]],
        article_ids: Sequence[str],
        rater: Mapping[str, int],
        lens: np.ndarray,
        base: np.ndarray,
    ) -> SpanTable:
        """``layers[i]`` are article ``i``'s spans by annotator; names not in ``rater`` are
        ignored; an article's text is ``lens[i]`` code points and starts at corpus ``base[i]``."""
        # One flat list of spans plus per-layer counts: attribute access through map/attrgetter
        # keeps the Python work per span to a minimum (440 k spans in ~0.2 s).
        spans: list[Span] = []
        owners: list[tuple[int, int]] = []
        counts: list[int] = []
        for i, by_name in enumerate(layers):
            for name, layer in by_name.items():
                if name in rater:
                    spans.extend(layer)
                    owners.append((rater[name], i))
                    counts.append(len(layer))
        names = list(map(attrgetter("label"), spans))
        labels = tuple(sorted(set(names)))
        code = {name: c + 1 for c, name in enumerate(labels)}
        lab = np.fromiter(map(code.__getitem__, names), np.int64, len(spans))
        start = np.fromiter(map(attrgetter("start"), spans), np.int64, len(spans))
        end = np.fromiter(map(attrgetter("end"), spans), np.int64, len(spans))
        owner = np.array(owners, np.int64).reshape(-1, 2)
        r, art = np.repeat(owner, counts, axis=0).T
        bad = np.flatnonzero(end > lens[art])
        if len(bad):
            j = bad[0]
            raise SpanError(
                f"article {article_ids[art[j]]}: span [{start[j]}, {end[j]}) "
                f"{labels[lab[j] - 1]} is outside a text of {lens[art[j]]} characters"
            )
        # np.unique on a structured view would be slower; lexsort + neighbour compare dedupes.
        table = np.stack([r, start + base[art], end + base[art], lab, art])
        order = np.lexsort(table[::-1])
        table = table[:, order]
        keep = np.ones(table.shape[1], bool)
        keep[1:] = (table[:4, 1:] != table[:4, :-1]).any(axis=0)
        r, start, end, lab, art = table[:, keep]
        return cls(labels, r, Layer(art, start, end, lab))

    def layer(self, r: int, articles: np.ndarray | None = None) -> Layer:
        """Rater ``r``'s spans, only in the articles where ``articles`` (bool per article) holds."""
        sel = self.rater == r
        if articles is not None:
            sel &= articles[self.spans.article]
        s = self.spans
        return Layer(s.article[sel], s.start[sel], s.end[sel], s.label[sel])


def _keys(layer: Layer, longest: int, k: int) -> np.ndarray:
    """One int64 per (start, end, label), unique within a deduplicated layer."""
    return (layer.start * (longest + 1) + (layer.end - layer.start)) * k + layer.label


def match_exact(ref: Layer, pred: Layer) -> np.ndarray:
    """Indices into ``ref`` of the spans ``pred`` has with the same start, end and label."""
    if not len(ref) or not len(pred):
        return np.zeros(0, np.int64)
    longest = int(max((ref.end - ref.start).max(), (pred.end - pred.start).max()))
    k = int(max(ref.label.max(), pred.label.max())) + 1
    if (int(max(ref.end.max(), pred.end.max())) + 1) * (longest + 1) * k >= 2**62:
        raise ValueError("corpus too large for int64 span keys")
    _, ia, _ = np.intersect1d(
        _keys(ref, longest, k), _keys(pred, longest, k), assume_unique=True, return_indices=True
    )
    return np.sort(ia)


def overlap_candidates(ref: Layer, pred: Layer) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every (ref index, pred index, shared code points) with the same label and overlap > 0.

    Pred spans are sorted by (label, start); for each ref span the candidates are those whose
    start lies in ``(ref.start - longest_pred, ref.end)``, found by two binary searches.
    """
    if not len(ref) or not len(pred):
        empty = np.zeros(0, np.int64)
        return empty, empty, empty
    stride = int(max(ref.end.max(), pred.end.max())) + 1
    pkey = pred.label * stride + pred.start
    order = np.argsort(pkey, kind="stable")
    pkey = pkey[order]
    longest = int((pred.end - pred.start).max())
    lo = np.searchsorted(pkey, ref.label * stride + np.maximum(ref.start - longest + 1, 0))
    hi = np.searchsorted(pkey, ref.label * stride + ref.end)
    width = hi - lo
    ia = np.repeat(np.arange(len(ref)), width)
    ib = order[
        np.repeat(lo, width)
        + np.arange(int(width.sum()))
        - np.repeat(np.cumsum(width) - width, width)
    ]
    shared = np.minimum(ref.end[ia], pred.end[ib]) - np.maximum(ref.start[ia], pred.start[ib])
    keep = shared > 0
    return ia[keep], ib[keep], shared[keep]


def match_overlap(ref: Layer, pred: Layer) -> np.ndarray:
    """Indices into ``ref`` matched one-to-one to an overlapping same-label ``pred`` span.

    Greedy by overlap size, largest first (ties: ref start, then pred start). A candidate pair
    whose two spans have no other candidate is matched by any greedy order, so only the few
    spans with competing candidates go through the Python loop.
    """
    ia, ib, shared = overlap_candidates(ref, pred)
    deg_a = np.bincount(ia, minlength=len(ref))
    deg_b = np.bincount(ib, minlength=len(pred))
    alone = (deg_a[ia] == 1) & (deg_b[ib] == 1)
    matched = [ia[alone]]
    rest = np.flatnonzero(~alone)
    order = rest[np.lexsort((pred.start[ib[rest]], ref.start[ia[rest]], -shared[rest]))]
    used_a: set[int] = set()
    used_b: set[int] = set()
    for a, b in zip(ia[order].tolist(), ib[order].tolist()):
        if a not in used_a and b not in used_b:
            used_a.add(a)
            used_b.add(b)
    matched.append(np.fromiter(used_a, np.int64, len(used_a)))
    return np.sort(np.concatenate(matched))
