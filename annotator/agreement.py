"""Inter-annotator agreement over span layers: pure functions, no store, no Qt.

Input is a sequence of :class:`ArticleLayers`: an article's text, its tokens and, per annotator
who annotated it, that annotator's spans. A key present with an empty list means "annotated,
found nothing"; an absent key means "did not annotate this article" (a missing rating).

Decisions, so that every figure has one meaning:

* **Span matching.** *Exact*: same ``[start, end)`` and label. *Overlap*: same label and at
  least one shared code point, one-to-one, chosen greedily by overlap size (largest first; ties
  by reference start, then prediction start). Annotator A (first in ``annotators`` order) is the
  reference, B the prediction; F1 is symmetric. A layer's duplicate spans count once.
* **Token labels.** A token takes the label of a span that covers *any* of its code points, so a
  span that leaves out a clitic (``دمشق`` inside ``ودمشق``) still labels the token instead of
  vanishing from token agreement. Where spans overlap, the longest wins (ties: earlier start,
  then label name). Other tokens are ``O``.
* **Cohen's kappa** per pair over the tokens of the articles both annotated.
* **Fleiss' kappa** needs a fixed number of raters per item: it is computed separately for each
  number m >= 2 of annotators per article, over the tokens of those articles; the headline is the
  largest m. **Krippendorff's alpha** (nominal) takes every token with >= 2 ratings, treating
  absent annotators as missing. Articles with a single annotator count in neither (and are
  listed in ``single_rater_articles``).

Everything is vectorised with numpy: token labels are one ``int16`` matrix (annotator x token of
the whole corpus, -1 = missing), confusion matrices come from ``np.bincount``. 10,000 articles x
3 annotators (3 M tokens, 440 k spans) take ~1.5 s (``bench/bench_agreement.py``).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter

import numpy as np

from annotator.agreement_report import (
    AgreementReport,
    ArticleAgreement,
    PairAgreement,
    SpanCounts,
    SpanScores,
)
from annotator.agreement_spans import Layer, SpanTable, match_exact, match_overlap
from annotator.model import Span, Token
from annotator.text.tokenize import tokenize

__all__ = ["ArticleLayers", "compute_agreement", "kappa_from_confusion", "token_labels"]


@dataclass(frozen=True)
class ArticleLayers:
    """One article as agreement sees it: tokens over ``text`` and spans per annotator name."""

    article_id: str
    text: str
    tokens: Sequence[Token]
    layers: Mapping[str, Sequence[Span]]

    @classmethod
    def tokenized(
        cls, article_id: str, text: str, layers: Mapping[str, Sequence[Span]]
    ) -> ArticleLayers:
        """Build one with :func:`annotator.text.tokenize.tokenize`'s tokens."""
        return cls(article_id, text, tokenize(text), layers)


@dataclass(frozen=True)
class _Corpus:
    """The articles encoded as arrays; token ``i`` of the corpus belongs to ``tok_article[i]``."""

    annotators: tuple[str, ...]
    labels: tuple[str, ...]  # code k + 1 is labels[k]; code 0 is O
    article_ids: tuple[str, ...]
    present: np.ndarray  # (raters, articles) bool
    tok_article: np.ndarray  # (tokens,) int64
    tok_counts: np.ndarray  # (articles,) int64
    codes: np.ndarray  # (raters, tokens) int16, -1 = missing
    spans: SpanTable


def kappa_from_confusion(cm: np.ndarray) -> np.ndarray:
    """Cohen's kappa of confusion matrices ``(..., K, K)`` of counts; NaN where undefined.

    Integer arithmetic up to the last division, so "every token in one class" (expected agreement
    exactly 1) is detected exactly rather than as 0/0 in floats.

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


def _encode(articles: Sequence[ArticleLayers], annotators: Sequence[str] | None) -> _Corpus:
    names = sorted({n for a in articles for n in a.layers}) if annotators is None else annotators
    rater = {name: i for i, name in enumerate(names)}
    n_art = len(articles)
    present = np.zeros((len(names), n_art), dtype=bool)
    for i, art in enumerate(articles):
        for name in art.layers:
            if name in rater:
                present[rater[name], i] = True
    lens = np.fromiter((len(a.text) for a in articles), np.int64, n_art)
    tok_counts = np.fromiter((len(a.tokens) for a in articles), np.int64, n_art)
    every_token = list(itertools.chain.from_iterable(a.tokens for a in articles))
    tok_starts = np.fromiter(map(attrgetter("start"), every_token), np.int64, len(every_token))
    tok_ends = np.fromiter(map(attrgetter("end"), every_token), np.int64, len(every_token))
    base = np.concatenate(([0], np.cumsum(lens)[:-1]))
    tok_article = np.repeat(np.arange(n_art), tok_counts)
    # Global offsets: article i's code points start at base[i], so a span can only overlap
    # tokens and spans of its own article and one searchsorted serves the whole corpus.
    starts = tok_starts + base[tok_article]
    ends = tok_ends + base[tok_article]
    spans = SpanTable.build(articles, rater, lens, base)
    codes = np.where(present[:, tok_article], 0, -1).astype(np.int16)
    for r in range(len(names)):
        _paint(codes[r], spans.layer(r), starts, ends)
    return _Corpus(
        tuple(names), spans.labels, tuple(a.article_id for a in articles), present,
        tok_article, tok_counts, codes, spans,
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


def token_labels(article: ArticleLayers, annotator: str) -> list[str]:
    """The label each token of ``article`` gets from ``annotator``'s spans (``"O"`` if none).

    >>> from annotator.model import make_span
    >>> text = "زار ودمشق"
    >>> loc = make_span(text, len("زار و"), len(text), "LOC")  # leaves the clitic out
    >>> token_labels(ArticleLayers.tokenized("a", text, {"x": [loc]}), "x")
    ['O', 'LOC']
    """
    if annotator not in article.layers:
        raise KeyError(f"{annotator!r} did not annotate article {article.article_id}")
    corpus = _encode([article], [annotator])
    names = ("O", *corpus.labels)
    return [names[c] for c in corpus.codes[0].tolist()]


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


@dataclass
class _PerArticle:
    """Running sums over pairs, per article, for the per-article means."""

    kappa_sum: np.ndarray
    kappa_n: np.ndarray
    f1_sum: np.ndarray
    f1_n: np.ndarray


def _pair(corpus: _Corpus, a: int, b: int, acc: _PerArticle) -> PairAgreement:
    both = corpus.present[a] & corpus.present[b]
    n_art, k = len(corpus.article_ids), len(corpus.labels) + 1
    mask = both[corpus.tok_article]
    x, y = corpus.codes[a][mask].astype(np.int64), corpus.codes[b][mask].astype(np.int64)
    kappa = kappa_from_confusion(np.bincount(x * k + y, minlength=k * k).reshape(k, k))
    per_art = _article_kappas(corpus.tok_article[mask], x, y, n_art, k)
    has_tokens = both & (corpus.tok_counts > 0)
    acc.kappa_sum += np.where(has_tokens, np.nan_to_num(per_art, nan=1.0), 0.0)
    acc.kappa_n += has_tokens
    ref, pred = corpus.spans.layer(a, both), corpus.spans.layer(b, both)
    tp_exact = match_exact(ref, pred)
    tp_overlap = match_overlap(ref, pred)
    art_tp = np.bincount(ref.article[tp_exact], minlength=n_art)
    art_n = np.bincount(ref.article, minlength=n_art) + np.bincount(pred.article, minlength=n_art)
    with np.errstate(invalid="ignore", divide="ignore"):
        acc.f1_sum += np.where(both, np.where(art_n > 0, 2 * art_tp / np.maximum(art_n, 1), 1.0), 0)
    acc.f1_n += both
    return PairAgreement(
        corpus.annotators[a],
        corpus.annotators[b],
        int(both.sum()),
        int(mask.sum()),
        None if np.isnan(kappa) else float(kappa),
        _scores(corpus.labels, ref.label[tp_exact], ref, pred),
        _scores(corpus.labels, ref.label[tp_overlap], ref, pred),
    )


def _multi_rater(
    codes: np.ndarray, k: int
) -> tuple[dict[int, tuple[float | None, int]], float | None, int]:
    """Fleiss' kappa per number of raters, and nominal Krippendorff's alpha, from token codes.

    Both need per token only m (ratings present), the number of agreeing rater pairs and the
    value counts: Fleiss' P_i = agreeing pairs / C(m, 2); alpha's coincidence matrix has trace
    sum(2 * agreeing pairs / (m - 1)) and marginals n_c = value counts over pairable tokens.
    """
    present = codes >= 0
    m = present.sum(axis=0)
    agree = np.zeros(codes.shape[1], np.int64)
    for r, s in itertools.combinations(range(len(codes)), 2):
        agree += (codes[r] == codes[s]) & present[r]

    def value_counts(sel: np.ndarray) -> np.ndarray:
        return sum(
            (np.bincount(codes[r][sel & present[r]], minlength=k) for r in range(len(codes))),
            np.zeros(k, np.int64),
        )

    fleiss: dict[int, tuple[float | None, int]] = {}
    for raters in sorted(set(np.unique(m).tolist()) - {0, 1}):
        sel = m == raters
        items = int(sel.sum())
        p_bar = agree[sel].sum() / (items * raters * (raters - 1) / 2)
        p_e = float(((value_counts(sel) / (items * raters)) ** 2).sum())
        fleiss[raters] = (None if p_e == 1 else float((p_bar - p_e) / (1 - p_e)), items)
    pairable = m >= 2
    n_c = value_counts(pairable)
    n = int(n_c.sum())
    trace = float((2 * agree[pairable] / (m[pairable] - 1)).sum())
    expected = n * n - int((n_c * n_c).sum())
    alpha = float(1 - (n - 1) * (n - trace) / expected) if expected else None
    return fleiss, alpha, int(pairable.sum())


def _by_article(corpus: _Corpus, acc: _PerArticle) -> tuple[ArticleAgreement, ...]:
    rows = []
    for i in np.flatnonzero(corpus.present.sum(axis=0) >= 2):
        kn = acc.kappa_n[i]
        rows.append(
            ArticleAgreement(
                corpus.article_ids[i],
                tuple(n for r, n in enumerate(corpus.annotators) if corpus.present[r, i]),
                int(corpus.tok_counts[i]),
                float(acc.kappa_sum[i] / kn) if kn else None,
                float(acc.f1_sum[i] / acc.f1_n[i]),
            )
        )
    return tuple(sorted(rows, key=lambda a: (a.score, a.span_f1, a.article_id)))


def compute_agreement(
    articles: Sequence[ArticleLayers], annotators: Sequence[str] | None = None
) -> AgreementReport:
    """Every agreement figure for ``articles``; pairs follow ``annotators`` (default: sorted names).

    Layers of names not in ``annotators`` are ignored.

    >>> from annotator.model import make_span
    >>> text = "زار علي دمشق"
    >>> ali = make_span(text, len("زار "), len("زار علي"), "PER")
    >>> loc = make_span(text, len("زار علي "), len(text), "LOC")
    >>> art = ArticleLayers.tokenized("a1", text, {"x": [ali, loc], "y": [ali]})
    >>> report = compute_agreement([art])
    >>> report.pairs[0].exact.micro.f1, round(report.pairs[0].kappa, 3)
    (0.6666666666666666, 0.5)
    """
    corpus = _encode(articles, annotators)
    n_art = len(articles)
    acc = _PerArticle(
        np.zeros(n_art), np.zeros(n_art, np.int64), np.zeros(n_art), np.zeros(n_art, np.int64)
    )
    pairs = tuple(
        _pair(corpus, a, b, acc)
        for a, b in itertools.combinations(range(len(corpus.annotators)), 2)
    )
    fleiss, alpha, alpha_tokens = _multi_rater(corpus.codes, len(corpus.labels) + 1)
    kappas = [p.kappa for p in pairs if p.kappa is not None]
    empty = SpanScores({})
    head = max(fleiss, default=0)
    return AgreementReport(
        annotators=corpus.annotators,
        labels=corpus.labels,
        articles=n_art,
        tokens=len(corpus.tok_article),
        pairs=pairs,
        exact=sum((p.exact for p in pairs), empty),
        overlap=sum((p.overlap for p in pairs), empty),
        mean_kappa=sum(kappas) / len(kappas) if kappas else None,
        fleiss_kappa=fleiss[head][0] if head else None,
        fleiss_raters=head,
        fleiss_tokens=fleiss[head][1] if head else 0,
        krippendorff_alpha=alpha,
        alpha_tokens=alpha_tokens,
        by_article=_by_article(corpus, acc),
        single_rater_articles=tuple(
            corpus.article_ids[i] for i in np.flatnonzero(corpus.present.sum(axis=0) == 1)
        ),
        fleiss_by_raters={m: v[0] for m, v in fleiss.items()},
    )
