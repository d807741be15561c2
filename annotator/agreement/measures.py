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

Everything is vectorised with numpy, one chunk of articles at a time
(:mod:`annotator.agreement.kernels`): token labels are an ``int16`` matrix (annotator x token of
the chunk, -1 = missing), confusion matrices come from ``np.bincount``, and only integer sums and
per-article figures outlive a chunk. :class:`AgreementBuilder` takes articles one by one (a
project streams them from the store, keeping neither texts nor tokens); 10,000 articles x
3 annotators (3 M tokens, 440 k spans) take ~1.2 s (``bench/bench_agreement.py``).
"""

from __future__ import annotations

import itertools
from array import array
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from annotator.agreement.kernels import (
    Chunk,
    PairPart,
    encode,
    kappa_from_confusion,
    pair_part,
    rater_sums,
)
from annotator.agreement.report import AgreementReport, ArticleAgreement, PairAgreement, SpanScores
from annotator.model import Span, Token
from annotator.text.tokenize import tokenize

__all__ = [
    "AgreementBuilder",
    "ArticleLayers",
    "compute_agreement",
    "kappa_from_confusion",
    "token_labels",
]

CHUNK_TOKENS = 1_000_000
"""Tokens encoded together: ~100 MB of arrays at most, and large enough that numpy's per-call
cost stays small (10,000 articles of 300 tokens are 3 chunks)."""


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


def compute_agreement(
    articles: Iterable[ArticleLayers], annotators: Sequence[str] | None = None
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
    builder = AgreementBuilder(annotators)
    for article in articles:
        builder.add_article(article)
    return builder.report()


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
    chunk = encode(
        [annotator], [article.article_id], [len(article.text)], [len(article.tokens)],
        np.array([t.start for t in article.tokens], np.int64),
        np.array([t.end for t in article.tokens], np.int64),
        [article.layers],
    )  # fmt: skip
    names = ("O", *chunk.labels)
    return [names[c] for c in chunk.codes[0].tolist()]


@dataclass
class _PairTotals:
    """A pair's sums over the chunks seen so far."""

    articles: int = 0
    tokens: int = 0
    confusion: dict[tuple[str | None, str | None], int] = field(default_factory=dict)
    exact: SpanScores = field(default_factory=lambda: SpanScores({}))
    overlap: SpanScores = field(default_factory=lambda: SpanScores({}))

    def add(self, part: PairPart) -> None:
        self.articles += part.articles
        self.tokens += part.tokens
        for key, n in part.confusion.items():
            self.confusion[key] = self.confusion.get(key, 0) + n
        self.exact += part.exact
        self.overlap += part.overlap


class AgreementBuilder:
    """Agreement figures of articles added one at a time, in bounded memory.

    :meth:`add` keeps an article's token offsets and spans until about :data:`CHUNK_TOKENS`
    tokens are pending, then encodes and measures that chunk and keeps only integer sums (per
    pair, per number of raters) and one :class:`ArticleAgreement` per article with two or more
    annotators. The report equals the one of all articles measured at once.
    """

    def __init__(
        self, annotators: Sequence[str] | None = None, *, chunk_tokens: int = CHUNK_TOKENS
    ) -> None:
        self._fixed = tuple(annotators) if annotators is not None else None
        self._chunk_tokens = chunk_tokens
        self._names: set[str] = set()
        self._labels: set[str] = set()
        self._articles = 0
        self._tokens = 0
        self._pairs: dict[tuple[str, str], _PairTotals] = {}
        self._by_m: dict[int, tuple[int, int, dict[str | None, int]]] = {}
        self._rows: list[ArticleAgreement] = []
        self._single: list[str] = []
        self._reset_pending()

    def _reset_pending(self) -> None:
        self._ids: list[str] = []
        self._lens: list[int] = []
        self._counts: list[int] = []
        self._starts = array("q")
        self._ends = array("q")
        self._layers: list[Mapping[str, Sequence[Span]]] = []

    def add(
        self,
        article_id: str,
        length: int,
        starts: Iterable[int],
        ends: Iterable[int],
        layers: Mapping[str, Sequence[Span]],
    ) -> None:
        """One article: its text length and token ``[start, end)`` offsets (code points), and its
        spans by annotator (an empty list: annotated, found nothing; absent: did not annotate)."""
        before = len(self._starts)
        self._starts.extend(starts)
        self._ends.extend(ends)
        if len(self._ends) != len(self._starts):
            raise ValueError(f"article {article_id}: token starts and ends differ in number")
        self._ids.append(article_id)
        self._lens.append(length)
        self._counts.append(len(self._starts) - before)
        self._layers.append(layers)
        if self._fixed is None:
            self._names.update(layers)
        if len(self._starts) >= self._chunk_tokens:
            self._flush()

    def add_article(self, article: ArticleLayers) -> None:
        tokens = article.tokens
        self.add(
            article.article_id, len(article.text), [t.start for t in tokens],
            [t.end for t in tokens], article.layers,
        )  # fmt: skip

    def _flush(self) -> None:
        if not self._ids:
            return
        if self._fixed is not None:
            names: Sequence[str] = self._fixed
        else:
            names = sorted({n for by_name in self._layers for n in by_name})
        chunk = encode(
            names, self._ids, self._lens, self._counts,
            np.frombuffer(self._starts, np.int64), np.frombuffer(self._ends, np.int64),
            self._layers,
        )  # fmt: skip
        self._reset_pending()
        self._measure(chunk)

    def _measure(self, chunk: Chunk) -> None:
        n_art = len(chunk.article_ids)
        self._articles += n_art
        self._tokens += len(chunk.tok_article)
        self._labels.update(chunk.labels)
        kappa_sum, kappa_n = np.zeros(n_art), np.zeros(n_art, np.int64)
        f1_sum, f1_n = np.zeros(n_art), np.zeros(n_art, np.int64)
        live = (chunk.present.sum(axis=1) > 0).tolist()
        for a, b in itertools.combinations(range(len(chunk.annotators)), 2):
            if not (live[a] and live[b]):
                continue  # a pair with nothing here adds nothing
            part = pair_part(chunk, a, b)
            key = (chunk.annotators[a], chunk.annotators[b])
            self._pairs.setdefault(key, _PairTotals()).add(part)
            kappa_sum += part.kappa_terms
            kappa_n += part.kappa_counted
            f1_sum += part.f1_terms
            f1_n += part.f1_counted
        for m, (items, agree, counts) in rater_sums(chunk).items():
            old_items, old_agree, old_counts = self._by_m.get(m, (0, 0, {}))
            for name, n in counts.items():
                old_counts[name] = old_counts.get(name, 0) + n
            self._by_m[m] = (old_items + items, old_agree + agree, old_counts)
        raters = chunk.present.sum(axis=0)
        self._single += [chunk.article_ids[i] for i in np.flatnonzero(raters == 1)]
        for i in np.flatnonzero(raters >= 2):
            kn = kappa_n[i]
            self._rows.append(
                ArticleAgreement(
                    chunk.article_ids[i],
                    tuple(n for r, n in enumerate(chunk.annotators) if chunk.present[r, i]),
                    int(chunk.tok_counts[i]),
                    float(kappa_sum[i] / kn) if kn else None,
                    float(f1_sum[i] / f1_n[i]),
                )
            )

    def report(self) -> AgreementReport:
        """The figures of every article added (adding more afterwards is allowed)."""
        self._flush()
        names = self._fixed if self._fixed is not None else tuple(sorted(self._names))
        labels = tuple(sorted(self._labels))
        pairs = tuple(self._pair(a, b, labels) for a, b in itertools.combinations(names, 2))
        fleiss, alpha, alpha_tokens = multi_rater_figures(self._by_m, labels)
        kappas = [p.kappa for p in pairs if p.kappa is not None]
        empty = SpanScores({})
        head = max(fleiss, default=0)
        return AgreementReport(
            annotators=tuple(names),
            labels=labels,
            articles=self._articles,
            tokens=self._tokens,
            pairs=pairs,
            exact=sum((p.exact for p in pairs), empty),
            overlap=sum((p.overlap for p in pairs), empty),
            mean_kappa=sum(kappas) / len(kappas) if kappas else None,
            fleiss_kappa=fleiss[head][0] if head else None,
            fleiss_raters=head,
            fleiss_tokens=fleiss[head][1] if head else 0,
            krippendorff_alpha=alpha,
            alpha_tokens=alpha_tokens,
            by_article=tuple(sorted(self._rows, key=lambda a: (a.score, a.span_f1, a.article_id))),
            single_rater_articles=tuple(self._single),
            fleiss_by_raters={m: v[0] for m, v in fleiss.items()},
        )

    def _pair(self, a: str, b: str, labels: tuple[str, ...]) -> PairAgreement:
        totals = self._pairs.get((a, b), _PairTotals())
        index = {name: c for c, name in enumerate((None, *labels))}
        cm = np.zeros((len(index), len(index)), np.int64)
        for (x, y), n in totals.confusion.items():
            cm[index[x], index[y]] = n
        kappa = kappa_from_confusion(cm)
        return PairAgreement(
            a, b, totals.articles, totals.tokens, None if np.isnan(kappa) else float(kappa),
            totals.exact, totals.overlap,
        )  # fmt: skip


def multi_rater_figures(
    by_m: Mapping[int, tuple[int, int, Mapping[str | None, int]]], labels: tuple[str, ...]
) -> tuple[dict[int, tuple[float | None, int]], float | None, int]:
    """Fleiss' kappa per number of raters, and nominal Krippendorff's alpha, from the sums of
    :func:`annotator.agreement.kernels.rater_sums` (``labels``: every label, sorted).

    Both need per token only m (ratings present), the number of agreeing rater pairs and the
    value counts: Fleiss' P_i = agreeing pairs / C(m, 2); alpha's coincidence matrix has trace
    sum(2 * agreeing pairs / (m - 1)) and marginals n_c = value counts over pairable tokens.
    """
    order = (None, *labels)
    fleiss: dict[int, tuple[float | None, int]] = {}
    n_c = np.zeros(len(order), np.int64)
    trace = 0.0
    pairable = 0
    for raters in sorted(m for m in by_m if m >= 2):
        items, agree, counts = by_m[raters]
        values = np.array([counts.get(name, 0) for name in order], np.int64)
        p_bar = agree / (items * raters * (raters - 1) / 2)
        p_e = float(((values / (items * raters)) ** 2).sum())
        fleiss[raters] = (None if p_e == 1 else float((p_bar - p_e) / (1 - p_e)), items)
        n_c += values
        trace += 2 * agree / (raters - 1)
        pairable += items
    n = int(n_c.sum())
    expected = n * n - int((n_c * n_c).sum())
    alpha = float(1 - (n - 1) * (n - trace) / expected) if expected else None
    return fleiss, alpha, pairable
