"""Precision, recall and F1 of entities: over token tags (seqeval's rule) or character spans.

:func:`entity_scores` reads tag sequences with :func:`annotator.tags.tags_to_ranges`, the
lenient decoder seqeval's default mode uses, so its figures equal ``seqeval.metrics``' (a test
checks) without making seqeval, numpy and scikit-learn dependencies of the ``suggest`` extra.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

from annotator.model import Span
from annotator.tags import tags_to_ranges

MICRO = "micro avg"


@dataclass(frozen=True)
class Score:
    """Counts and ratios of one label (or of all: :data:`MICRO`); ratios are 0.0 when undefined."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def support(self) -> int:
        return self.tp + self.fn

    def __add__(self, other: Score) -> Score:
        return Score(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)


def scores(true: Iterable[tuple[Hashable, str]], pred: Iterable[tuple[Hashable, str]]) -> dict[str, Score]:
    """Per-label scores of exact matches between two sets of ``(identity, label)`` entities.

    >>> s = scores([(1, "LOC"), (2, "PER")], [(1, "LOC"), (3, "PER")])
    >>> s["LOC"].f1, s["PER"].f1, round(s["micro avg"].f1, 2)
    (1.0, 0.0, 0.5)
    """
    true_set, pred_set = set(true), set(pred)
    labels = sorted({label for _, label in true_set | pred_set})
    out: dict[str, Score] = {}
    for label in labels:
        t = {e for e in true_set if e[1] == label}
        p = {e for e in pred_set if e[1] == label}
        out[label] = Score(len(t & p), len(p - t), len(t - p))
    out[MICRO] = sum(out.values(), Score(0, 0, 0))
    return out


def entity_scores(y_true: Sequence[Sequence[str]], y_pred: Sequence[Sequence[str]]) -> dict[str, Score]:
    """Entity-level scores of tag sequences, as ``seqeval.metrics.classification_report``.

    >>> entity_scores([["B-LOC", "I-LOC", "O"]], [["B-LOC", "O", "O"]])["LOC"].f1
    0.0
    """
    true: list[tuple[Hashable, str]] = []
    pred: list[tuple[Hashable, str]] = []
    for n, (t, p) in enumerate(zip(y_true, y_pred)):
        true += [((n, first, end), label) for label, first, end in tags_to_ranges(t).ranges]
        pred += [((n, first, end), label) for label, first, end in tags_to_ranges(p).ranges]
    return scores(true, pred)


def span_scores(pairs: Iterable[tuple[Hashable, Sequence[Span], Sequence[Span]]]) -> dict[str, Score]:
    """Exact character-span scores over ``(article, gold spans, suggested spans)`` triples."""
    true: list[tuple[Hashable, str]] = []
    pred: list[tuple[Hashable, str]] = []
    for article, gold, suggested in pairs:
        true += [((article, s.start, s.end), s.label) for s in gold]
        pred += [((article, s.start, s.end), s.label) for s in suggested]
    return scores(true, pred)


def report_lines(table: dict[str, Score]) -> list[str]:
    """A fixed-width table: label, precision, recall, F1, support (micro average last)."""
    lines = [f"{'label':<14} {'prec':>6} {'recall':>6} {'F1':>6} {'support':>7}"]
    for label, s in sorted(table.items(), key=lambda kv: (kv[0] == MICRO, kv[0])):
        lines.append(f"{label:<14} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.support:7d}")
    return lines
