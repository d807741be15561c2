"""The result of relation and event-argument agreement: frozen dataclasses, JSON-ready, printable.

Kept apart from :mod:`annotator.agreement.links` (the matching) as ``report.py`` is from the span
kernels, so front ends render a :class:`LinkReport` without the matcher. Undefined figures are
``None`` and print as :data:`annotator.agreement.report.UNDEFINED`, as the span figures do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from annotator.agreement.report import SpanCounts, SpanScores, format_figure


@dataclass(frozen=True)
class LinkScores:
    """Exact and overlap counts per kind, for relations and for event arguments."""

    relations_exact: SpanScores = field(default_factory=lambda: SpanScores({}))
    relations_overlap: SpanScores = field(default_factory=lambda: SpanScores({}))
    arguments_exact: SpanScores = field(default_factory=lambda: SpanScores({}))
    arguments_overlap: SpanScores = field(default_factory=lambda: SpanScores({}))

    def __add__(self, other: LinkScores) -> LinkScores:
        return LinkScores(
            self.relations_exact + other.relations_exact,
            self.relations_overlap + other.relations_overlap,
            self.arguments_exact + other.arguments_exact,
            self.arguments_overlap + other.arguments_overlap,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "relations": {"exact": self.relations_exact.to_dict(),
                          "overlap": self.relations_overlap.to_dict()},
            "event_arguments": {"exact": self.arguments_exact.to_dict(),
                                "overlap": self.arguments_overlap.to_dict()},
        }  # fmt: skip


@dataclass(frozen=True)
class LinkPair:
    """Two layers' link agreement over the articles both annotated (``reference`` is truth)."""

    reference: str
    prediction: str
    articles: int
    scores: LinkScores

    @property
    def name(self) -> str:
        return f"{self.reference} / {self.prediction}"

    def to_dict(self) -> dict[str, Any]:
        return {"reference": self.reference, "prediction": self.prediction,
                "articles": self.articles, **self.scores.to_dict()}  # fmt: skip


@dataclass(frozen=True)
class LinkReport:
    """Relation and event-argument agreement: annotator pairs, each annotator against gold.

    ``total`` pools the annotator pairs (not gold), as the span report's ``exact`` does.
    """

    annotators: tuple[str, ...]
    pairs: tuple[LinkPair, ...]
    gold: tuple[LinkPair, ...]
    total: LinkScores

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready; the CLI adds it to the span report's JSON under ``"links"``."""
        return {
            "annotators": list(self.annotators),
            **self.total.to_dict(),
            "pairs": [p.to_dict() for p in self.pairs],
            "against_gold": [p.to_dict() for p in self.gold],
        }

    @property
    def empty(self) -> bool:
        """No layer holds a relation or an argument: front ends then print nothing."""
        return not any(
            s.by_label
            for p in (*self.pairs, *self.gold)
            for s in (p.scores.relations_exact, p.scores.arguments_exact)
        )

    def format_table(self) -> str:
        """Plain text: per pair P/R/F1 exact and overlap F1, for relations and for arguments;
        then per kind, pooled over the annotator pairs."""
        head = f"{'pair':<26} {'links':<10} {'P':>6} {'R':>6} {'F1':>6} {'ovl F1':>6} {'n':>5}"
        lines = [head]
        for pair in (*self.pairs, *self.gold):
            for what, exact, ovl in _views(pair.scores):
                m = exact.micro
                lines.append(
                    f"{pair.name:<26} {what:<10} {_f(m.precision)} {_f(m.recall)} {_f(m.f1)} "
                    f"{_f(ovl.micro.f1)} {m.n_ref + m.n_pred:>5}"
                )
        lines += ["", f"{'type / role':<26} {'exact F1':>8} {'ovl F1':>8} {'links':>6}"]
        for _, exact, ovl in _views(self.total):
            for kind, c in exact.by_label.items():
                o = ovl.by_label.get(kind, SpanCounts(0, 0, 0))
                lines.append(f"{kind:<26} {_f(c.f1, 8)} {_f(o.f1, 8)} {c.n_ref + c.n_pred:>6}")
        return "\n".join(lines)


def _views(scores: LinkScores) -> list[tuple[str, SpanScores, SpanScores]]:
    return [
        ("relations", scores.relations_exact, scores.relations_overlap),
        ("arguments", scores.arguments_exact, scores.arguments_overlap),
    ]


def _f(value: float | None, width: int = 6) -> str:
    return f"{format_figure(value):>{width}}"


def link_rows(report: LinkReport) -> list[tuple[str, SpanCounts, SpanCounts, int]]:
    """``(name, exact, overlap, links)`` rows as the desk's table shows them: each pair's
    relations and arguments (micro), annotator pairs then gold; then each type or role pooled
    over the annotator pairs. ``links`` counts both sides' items.

    >>> from annotator.agreement.links import ArticleLinks, LinkLayer, compute_link_agreement
    >>> from annotator.model import Relation, make_span
    >>> text = "قصف حماة"
    >>> rel = Relation("located-in", make_span(text, 0, 3, "ATTACK"), make_span(text, 4, 8, "LOC"))
    >>> art = ArticleLinks("a1", {"ali": LinkLayer([rel]), "mona": LinkLayer([rel])})
    >>> [(name, exact.f1, n) for name, exact, _, n in link_rows(compute_link_agreement([art]))]
    [('ali / mona · relations', 1.0, 2), ('ali / mona · arguments', None, 0), ('located-in', 1.0, 2)]
    """
    rows = []
    for pair in (*report.pairs, *report.gold):
        for what, exact, ovl in _views(pair.scores):
            m = exact.micro
            rows.append((f"{pair.name} · {what}", m, ovl.micro, m.n_ref + m.n_pred))
    zero = SpanCounts(0, 0, 0)
    for _, exact, ovl in _views(report.total):
        for kind, c in exact.by_label.items():
            rows.append((kind, c, ovl.by_label.get(kind, zero), c.n_ref + c.n_pred))
    return rows
