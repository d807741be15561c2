"""The numpy kernels of :mod:`annotator.agreement.measures`, over one chunk of articles at a time.

A chunk is a run of consecutive articles encoded as arrays (token offsets, label codes per
annotator and token, spans). Everything agreement reports is either per article (so final once
its chunk is done) or a sum of integers over tokens and spans (confusion matrices, agreeing
pairs, value counts, matched spans), so a project is measured chunk by chunk and only those sums
are kept: memory follows the chunk size, not the project (25 M tokens of 100,000 articles held
as objects peaked at 9 GB).

Label codes inside a chunk: 0 is O, code k + 1 is ``Chunk.labels[k]`` (the chunk's labels,
sorted); callers key what they keep by label name, never by a chunk's code.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from annotator.agreement.report import SpanCounts, SpanScores
from annotator.agreement.span_arrays import Layer, SpanTable, match_exact, match_overlap
from annotator.model import Span


@dataclass(frozen=True)
class Chunk:
    """Articles encoded as arrays; token ``i`` of the chunk belongs to ``tok_article[i]``."""

    annotators: tuple[str, ...]
    labels: tuple[str, ...]  # code k + 1 is labels[k]; code 0 is O
    article_ids: tuple[str, ...]
    present: np.ndarray  # (raters, articles) bool
    tok_article: np.ndarray  # (tokens,) int64
    tok_counts: np.ndarray  # (articles,) int64
    codes: np.ndarray  # (raters, tokens) int16, -1 = missing
    spans: SpanTable


def encode(
    annotators: Sequence[str],
    article_ids: Sequence[str],
    lens: Sequence[int],
    tok_counts: Sequence[int],
    tok_starts: np.ndarray,
    tok_ends: np.ndarray,
    layers: Sequence[Mapping[str, Sequence[Span]]],
) -> Chunk:
    """Encode articles given as their text lengths, token offsets (all articles' tokens one
    after another, code points of each article's own text) and layers by annotator name."""
    rater = {name: i for i, name in enumerate(annotators)}
    n_art = len(article_ids)
    present = np.zeros((len(annotators), n_art), dtype=bool)
    for i, by_name in enumerate(layers):
        for name in by_name:
            if name in rater:
                present[rater[name], i] = True
    length = np.asarray(lens, np.int64).reshape(n_art)
    counts = np.asarray(tok_counts, np.int64).reshape(n_art)
    base = np.concatenate(([0], np.cumsum(length)[:-1])).astype(np.int64)
    tok_article = np.repeat(np.arange(n_art), counts)
    # Chunk offsets: article i's code points start at base[i], so a span can only overlap
    # tokens and spans of its own article and one searchsorted serves the whole chunk.
    starts = tok_starts + base[tok_article]
    ends = tok_ends + base[tok_article]
    spans = SpanTable.build(layers, article_ids, rater, length, base)
    codes = np.where(present[:, tok_article], 0, -1).astype(np.int16)
    for r in range(len(annotators)):
        _paint(codes[r], spans.layer(r), starts, ends)
    return Chunk(
        tuple(annotators), spans.labels, tuple(article_ids), present, tok_article, counts,
        codes, spans,
    )  # fmt: skip


def _paint(row: np.ndarray, layer: Layer, starts: np.ndarray, ends: np.ndarray) -> None:
    """Write span label codes onto the tokens they touch; the longest span wins a token."""
    first = np.searchsorted(ends, layer.start, side="right")  # first token ending after start
    stop = np.searchsorted(starts, layer.end, side="left")  # first token starting at/after end
    width = np.maximum(stop - first, 0)
    # Rank spans so that a higher rank wins: longer, then earlier start, then smaller code.
    order = np.lexsort((-layer.label, -layer.start, layer.end - layer.start))
    rank = np.empty(len(order), np.int64)
    rank[order] = np.arange(len(order))
    offsets = np.arange(int(width.sum())) - np.repeat(np.cumsum(width) - width, width)
    tokens = np.repeat(first, width) + offsets
    best = np.full(len(row), -1, np.int64)
    np.maximum.at(best, tokens, np.repeat(rank, width))
    hit = best >= 0
    label_by_rank = np.empty(len(order), np.int16)
    label_by_rank[rank] = layer.label
    row[hit] = label_by_rank[best[hit]]


def kappa_from_confusion(cm: np.ndarray) -> np.ndarray:
    """Cohen's kappa of confusion matrices ``(..., K, K)`` of counts; NaN where undefined.

    Integer arithmetic up to the last division, so "every token in one class" (expected agreement
    exactly 1) is detected exactly rather than as 0/0 in floats; and a matrix summed chunk by
    chunk, or with its labels in another order, gives the very same figure.

    >>> float(kappa_from_confusion(np.array([[20, 5], [10, 15]])))
    0.4
    """
    cm = cm.astype(np.int64)
    n = cm.sum(axis=(-1, -2))
    agree = np.trace(cm, axis1=-2, axis2=-1)
    chance = (cm.sum(axis=-1) * cm.sum(axis=-2)).sum(axis=-1)
    num = (n * agree - chance).astype(np.float64)
    den = (n * n - chance).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)


def _article_kappas(
    article: np.ndarray, x: np.ndarray, y: np.ndarray, n_art: int, k: int
) -> np.ndarray:
    """Cohen's kappa per article without an (articles x K x K) array: kappa needs only the
    token count, the agreeing count and the two marginals, each one bincount (NaN if undefined)."""
    n = np.bincount(article, minlength=n_art)
    agree = np.bincount(article[x == y], minlength=n_art)
    rows = np.bincount(article * k + x, minlength=n_art * k).reshape(n_art, k)
    cols = np.bincount(article * k + y, minlength=n_art * k).reshape(n_art, k)
    chance = (rows * cols).sum(axis=1)
    num = (n * agree - chance).astype(np.float64)
    den = (n * n - chance).astype(np.float64)
    return np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)


def _scores(labels: tuple[str, ...], tp: np.ndarray, ref: Layer, pred: Layer) -> SpanScores:
    k = len(labels) + 1
    n_ref = np.bincount(ref.label, minlength=k)
    n_pred = np.bincount(pred.label, minlength=k)
    counts = np.bincount(tp, minlength=k)
    return SpanScores(
        {
            labels[c - 1]: SpanCounts(int(counts[c]), int(n_ref[c]), int(n_pred[c]))
            for c in range(1, k)
            if n_ref[c] or n_pred[c]
        }
    )


@dataclass(frozen=True)
class PairPart:
    """One pair of annotators (reference ``a``, prediction ``b``) over one chunk.

    ``confusion[(label a, label b)]`` counts tokens (None is O); ``kappa_terms``/``f1_terms``
    are per article of the chunk: the pair's kappa (1.0 when undefined) and exact-match F1 where
    both annotated it (else 0.0), with ``kappa_counted``/``f1_counted`` saying where.
    """

    articles: int
    tokens: int
    confusion: dict[tuple[str | None, str | None], int]
    exact: SpanScores
    overlap: SpanScores
    kappa_terms: np.ndarray
    kappa_counted: np.ndarray
    f1_terms: np.ndarray
    f1_counted: np.ndarray


def pair_part(chunk: Chunk, a: int, b: int) -> PairPart:
    both = chunk.present[a] & chunk.present[b]
    n_art, k = len(chunk.article_ids), len(chunk.labels) + 1
    mask = both[chunk.tok_article]
    x, y = chunk.codes[a][mask].astype(np.int64), chunk.codes[b][mask].astype(np.int64)
    cm = np.bincount(x * k + y, minlength=k * k).reshape(k, k)
    names = (None, *chunk.labels)
    confusion = {(names[i], names[j]): int(cm[i, j]) for i, j in zip(*np.nonzero(cm))}
    per_art = _article_kappas(chunk.tok_article[mask], x, y, n_art, k)
    has_tokens = both & (chunk.tok_counts > 0)
    ref, pred = chunk.spans.layer(a, both), chunk.spans.layer(b, both)
    tp_exact = match_exact(ref, pred)
    tp_overlap = match_overlap(ref, pred)
    art_tp = np.bincount(ref.article[tp_exact], minlength=n_art)
    art_n = np.bincount(ref.article, minlength=n_art) + np.bincount(pred.article, minlength=n_art)
    with np.errstate(invalid="ignore", divide="ignore"):
        f1 = np.where(both, np.where(art_n > 0, 2 * art_tp / np.maximum(art_n, 1), 1.0), 0)
    return PairPart(
        int(both.sum()),
        int(mask.sum()),
        confusion,
        _scores(chunk.labels, ref.label[tp_exact], ref, pred),
        _scores(chunk.labels, ref.label[tp_overlap], ref, pred),
        np.where(has_tokens, np.nan_to_num(per_art, nan=1.0), 0.0),
        has_tokens,
        f1,
        both,
    )


def rater_sums(chunk: Chunk) -> dict[int, tuple[int, int, dict[str | None, int]]]:
    """Per number m >= 2 of ratings a token has: (tokens, agreeing rater pairs summed over those
    tokens, value counts by label name, None = O): all Fleiss' kappa and nominal Krippendorff's
    alpha need (see :func:`annotator.agreement.measures.multi_rater_figures`)."""
    codes, k = chunk.codes, len(chunk.labels) + 1
    present = codes >= 0
    m = present.sum(axis=0)
    agree = np.zeros(codes.shape[1], np.int64)
    for r, s in itertools.combinations(range(len(codes)), 2):
        agree += (codes[r] == codes[s]) & present[r]
    names = (None, *chunk.labels)
    out: dict[int, tuple[int, int, dict[str | None, int]]] = {}
    for raters in sorted(set(np.unique(m).tolist()) - {0, 1}):
        sel = m == raters
        counts = sum(
            (np.bincount(codes[r][sel & present[r]], minlength=k) for r in range(len(codes))),
            np.zeros(k, np.int64),
        )
        out[raters] = (
            int(sel.sum()),
            int(agree[sel].sum()),
            {names[c]: int(n) for c, n in enumerate(counts.tolist()) if n},
        )
    return out
