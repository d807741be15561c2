"""The result of an agreement computation: frozen dataclasses, JSON-ready, printable as plain text.

Kept apart from :mod:`annotator.agreement.measures` (the numbers) so that the CLI can render a report with
rich and the UI with Qt without importing numpy kernels, and so the kernels stay short.

Undefined figures are ``None`` (JSON ``null``), never ``NaN``: a precision with no predicted span,
a kappa when both annotators put every token in one class, an F1 when neither marked anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


UNDEFINED = "—"
"""How every front end (CLI table, desk panel) shows a figure that is ``None``."""


def format_figure(value: float | None) -> str:
    """A figure as every report shows it: 3 decimals, :data:`UNDEFINED` when undefined.

    The CLI table and the desk's agreement panel both call this, so their numbers are equal
    character for character.

    >>> format_figure(2 / 3), format_figure(None), format_figure(1.0)
    ('0.667', '—', '1.000')
    """
    return UNDEFINED if value is None else f"{value:.3f}"


def _fmt(value: float | None, width: int = 6) -> str:
    return f"{format_figure(value):>{width}}"


@dataclass(frozen=True)
class SpanCounts:
    """Span matches with ``reference`` as truth: precision = tp/n_pred, recall = tp/n_ref.

    F1 is symmetric in the two annotators: ``2 tp / (n_ref + n_pred)``.

    >>> SpanCounts(tp=3, n_ref=4, n_pred=6).f1
    0.6
    """

    tp: int
    n_ref: int
    n_pred: int

    @property
    def precision(self) -> float | None:
        return _ratio(self.tp, self.n_pred)

    @property
    def recall(self) -> float | None:
        return _ratio(self.tp, self.n_ref)

    @property
    def f1(self) -> float | None:
        return _ratio(2 * self.tp, self.n_ref + self.n_pred)

    def __add__(self, other: SpanCounts) -> SpanCounts:
        return SpanCounts(self.tp + other.tp, self.n_ref + other.n_ref, self.n_pred + other.n_pred)

    def to_dict(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "n_ref": self.n_ref,
            "n_pred": self.n_pred,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


@dataclass(frozen=True)
class SpanScores:
    """Counts per label (labels either side used) and their micro-average (summed counts)."""

    by_label: Mapping[str, SpanCounts]

    @property
    def micro(self) -> SpanCounts:
        total = SpanCounts(0, 0, 0)
        for counts in self.by_label.values():
            total = total + counts
        return total

    def __add__(self, other: SpanScores) -> SpanScores:
        labels = sorted(set(self.by_label) | set(other.by_label))
        zero = SpanCounts(0, 0, 0)
        return SpanScores(
            {
                name: self.by_label.get(name, zero) + other.by_label.get(name, zero)
                for name in labels
            }
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "micro": self.micro.to_dict(),
            "labels": {name: c.to_dict() for name, c in self.by_label.items()},
        }


@dataclass(frozen=True)
class LabelRow:
    """One label's exact and overlap counts side by side: a row of every per-label table."""

    name: str
    exact: SpanCounts
    overlap: SpanCounts

    @property
    def spans(self) -> int:
        """Spans of this label either side, summed over the pairs (the table's support)."""
        return self.exact.n_ref + self.exact.n_pred


def label_rows(exact: SpanScores, overlap: SpanScores) -> list[LabelRow]:
    """Rows in ``exact``'s label order (sorted names); a label missing from ``overlap`` counts 0."""
    zero = SpanCounts(0, 0, 0)
    return [
        LabelRow(name, c, overlap.by_label.get(name, zero)) for name, c in exact.by_label.items()
    ]


@dataclass(frozen=True)
class PairAgreement:
    """Agreement of two annotators over the articles both annotated."""

    reference: str
    prediction: str
    articles: int
    tokens: int
    kappa: float | None
    exact: SpanScores
    overlap: SpanScores

    def to_dict(self) -> dict[str, Any]:
        return {
            "reference": self.reference,
            "prediction": self.prediction,
            "articles": self.articles,
            "tokens": self.tokens,
            "kappa": self.kappa,
            "exact": self.exact.to_dict(),
            "overlap": self.overlap.to_dict(),
        }

    @property
    def name(self) -> str:
        """``"ali / mona"``: how tables name the pair."""
        return f"{self.reference} / {self.prediction}"

    def label_rows(self) -> list[LabelRow]:
        return label_rows(self.exact, self.overlap)


@dataclass(frozen=True)
class ArticleAgreement:
    """One article's agreement: means over the pairs of its annotators.

    ``kappa`` is the mean pairwise token kappa, counting a pair that left every token in the same
    single class as 1.0 (trivially perfect); ``span_f1`` is the mean pairwise exact-match F1,
    counting a pair where neither marked any span as 1.0. ``kappa`` is ``None`` for an article
    without tokens.
    """

    article_id: str
    annotators: tuple[str, ...]
    tokens: int
    kappa: float | None
    span_f1: float

    @property
    def score(self) -> float:
        """What the ranking sorts on: kappa, or span F1 where an article has no tokens."""
        return self.span_f1 if self.kappa is None else self.kappa

    def to_dict(self) -> dict[str, Any]:
        return {
            "article_id": self.article_id,
            "annotators": list(self.annotators),
            "tokens": self.tokens,
            "kappa": self.kappa,
            "span_f1": self.span_f1,
        }


@dataclass(frozen=True)
class AgreementReport:
    """Everything :func:`annotator.agreement.measures.compute_agreement` measures.

    ``exact`` and ``overlap`` pool the span counts of every pair (micro over pairs and labels).
    ``fleiss_kappa`` is computed over the tokens of the articles that have ``fleiss_raters``
    annotators (the largest such number); ``fleiss_by_raters`` gives the figure for every
    number of raters >= 2 that occurs. ``by_article`` lists articles with >= 2 annotators,
    lowest agreement first; ``single_rater_articles`` are left out of every figure.
    """

    annotators: tuple[str, ...]
    labels: tuple[str, ...]
    articles: int
    tokens: int
    pairs: tuple[PairAgreement, ...]
    exact: SpanScores
    overlap: SpanScores
    mean_kappa: float | None
    fleiss_kappa: float | None
    fleiss_raters: int
    fleiss_tokens: int
    krippendorff_alpha: float | None
    alpha_tokens: int
    by_article: tuple[ArticleAgreement, ...]
    single_rater_articles: tuple[str, ...] = ()
    fleiss_by_raters: Mapping[int, float | None] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Plain dicts, lists, str, int, float and None only: ``json.dumps`` takes it as is."""
        return {
            "annotators": list(self.annotators),
            "labels": list(self.labels),
            "articles": self.articles,
            "tokens": self.tokens,
            "mean_kappa": self.mean_kappa,
            "fleiss_kappa": self.fleiss_kappa,
            "fleiss_raters": self.fleiss_raters,
            "fleiss_tokens": self.fleiss_tokens,
            "fleiss_by_raters": {str(m): k for m, k in self.fleiss_by_raters.items()},
            "krippendorff_alpha": self.krippendorff_alpha,
            "alpha_tokens": self.alpha_tokens,
            "exact": self.exact.to_dict(),
            "overlap": self.overlap.to_dict(),
            "pairs": [p.to_dict() for p in self.pairs],
            "by_article": [a.to_dict() for a in self.by_article],
            "single_rater_articles": list(self.single_rater_articles),
        }

    def label_rows(self) -> list[LabelRow]:
        """Per label, pooled over every pair: what the label tables of the CLI and desk show."""
        return label_rows(self.exact, self.overlap)

    def format_by_label(self) -> str:
        """Plain text: precision, recall, F1 (exact) and overlap F1 per pair and label."""
        lines = [f"{'pair':<26} {'label':<16} {'P':>6} {'R':>6} {'F1':>6} {'ovl F1':>6}"]
        for p in self.pairs:
            for row in p.label_rows():
                c = row.exact
                lines.append(
                    f"{p.name:<26} {row.name:<16} {_fmt(c.precision)} {_fmt(c.recall)} "
                    f"{_fmt(c.f1)} {_fmt(row.overlap.f1)}"
                )
        return "\n".join(lines)

    def format_table(self, worst: int = 10) -> str:
        """Plain text (no colour, no rich): overall figures, pairs, labels, the ``worst`` articles."""
        lines = [
            f"{self.articles} articles, {self.tokens} tokens, annotators: "
            + ", ".join(self.annotators),
            (
                f"mean pairwise kappa {_fmt(self.mean_kappa, 0)}   "
                f"Fleiss kappa {_fmt(self.fleiss_kappa, 0)} ({self.fleiss_raters} raters, "
                f"{self.fleiss_tokens} tokens)   "
                f"Krippendorff alpha {_fmt(self.krippendorff_alpha, 0)} ({self.alpha_tokens} tokens)"
            ),
            "",
            (
                f"{'reference':<12} {'prediction':<12} {'articles':>8} {'tokens':>8} "
                f"{'kappa':>6} {'P':>6} {'R':>6} {'F1':>6} {'ovl F1':>6}"
            ),
        ]
        for p in self.pairs:
            m = p.exact.micro
            lines.append(
                f"{p.reference:<12} {p.prediction:<12} {p.articles:>8} {p.tokens:>8} "
                f"{_fmt(p.kappa)} {_fmt(m.precision)} {_fmt(m.recall)} {_fmt(m.f1)} "
                f"{_fmt(p.overlap.micro.f1)}"
            )
        lines += ["", f"{'label':<16} {'exact F1':>8} {'ovl F1':>8} {'spans':>7}"]
        for row in self.label_rows():
            lines.append(
                f"{row.name:<16} {_fmt(row.exact.f1, 8)} {_fmt(row.overlap.f1, 8)} {row.spans:>7}"
            )
        lines += ["", f"lowest agreement (of {len(self.by_article)} articles)"]
        lines.append(f"{'article':<24} {'kappa':>6} {'F1':>6} {'tokens':>7}  annotators")
        for a in self.by_article[:worst]:
            lines.append(
                f"{a.article_id:<24} {_fmt(a.kappa)} {_fmt(a.span_f1)} {a.tokens:>7}  "
                + ", ".join(a.annotators)
            )
        if self.single_rater_articles:
            lines.append(f"{len(self.single_rater_articles)} articles with one annotator left out")
        return "\n".join(lines)
