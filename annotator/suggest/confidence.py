"""How sure the CRF is of each suggested entity, and the threshold below which it is not shown.

A suggestion is not free: a right one saves the annotator labelling the entity by hand, a wrong
one costs a judgment (read it, decide, press reject). So a suggestion is worth showing only when
the model is sure enough, and "enough" is a property of the model and the corpus, not a
constant: :func:`annotator.suggest.crf.cross_validate` picks it (:func:`best_threshold` over
the suggestions of its held-out folds) from the training articles only
(never on the articles about to be labelled), maximising the time saved under the
keystroke-level model the throughput bench uses (``bench/bench_throughput.py``).

The same arithmetic prunes the corpus gazetteer (:func:`prune_names`): a name labelled in the
training articles but left unlabelled (or labelled otherwise) at as many of its other occurrences
there is right too rarely to be worth a judgment each time it is suggested.

An entity's confidence is the smallest marginal probability (``Tagger.marginal``) of its tokens'
predicted tags: one unsure token (is the next word still part of the name?) makes the whole
range unsure, which is what a wrong range costs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from annotator.model import Span

if TYPE_CHECKING:
    from annotator.suggest.crf import CrfModel, Example
    from annotator.suggest.gazetteer import Gazetteer

SAVED = 1.8
"""Seconds a right suggestion saves: labelling by hand (point, double-click or drag, the label
key: ~2.1 s under KLM) minus one accept key (0.28 s)."""
COST = 1.63
"""Seconds a wrong suggestion costs: a judgment (M 1.35 s) and the reject key (0.28 s)."""
MIN_EVIDENCE = 2
"""Occurrences a name must be wrong at before it is pruned: one unlabelled occurrence (or one
annotator's name against another's gold) is too little to silence it."""
SETTING = "suggest.crf_threshold"
"""``project_meta`` key that overrides the tuned threshold (a number in [0, 1])."""


def best_threshold(scored: Sequence[tuple[float, bool]], saved: float = SAVED, cost: float = COST) -> float:
    """The confidence cut that saves most time over ``(confidence, right)`` pairs (0.0 if none).

    >>> best_threshold([(0.9, True), (0.8, True), (0.5, False), (0.4, True), (0.3, False)])
    0.4
    """
    best, best_gain, gain = 0.0, 0.0, 0.0
    for confidence, right in sorted(scored, key=lambda p: -p[0]):
        gain += saved if right else -cost
        if gain > best_gain:
            best, best_gain = confidence, gain
    return round(best, 4) if best_gain > 0 else 1.0


def keep_confident(model: CrfModel, text: str, gazetteer: Gazetteer | None, annotator: str,
                   threshold: float) -> list[Span]:
    """The model's suggestions over ``text`` whose confidence reaches ``threshold``."""
    return [s for s, p in model.predict_scored(text, gazetteer, annotator) if p >= threshold]


def worth_accepting(suggestion: Span, labelled: Sequence[Span]) -> bool:
    """Whether accepting ``suggestion`` beats labelling by hand: it is a labelled span, or nearly
    (its range with another label, or its end with a proclitic more or less: one key fixes it).
    """
    return any(s.end == suggestion.end and (s.start == suggestion.start or (
        s.label == suggestion.label and abs(s.start - suggestion.start) <= 3)) for s in labelled)


def worth_showing(right: int, wrong: int, saved: float = SAVED, cost: float = COST) -> bool:
    """Whether suggesting something right ``right`` times in ``right + wrong`` saves time."""
    return right * saved > wrong * cost


def prune_names(gazetteer: Gazetteer, examples: Sequence[Example]) -> int:
    """Drop the names whose matches in the labelled ``examples`` are right (or nearly:
    :func:`worth_accepting`) too rarely to be :func:`worth_showing`; returns how many."""
    from annotator.suggest.gazetteer import name_key  # noqa: PLC0415 (a light module, but a cycle)

    right: Counter[tuple[str, tuple[str, ...]]] = Counter()
    wrong: Counter[tuple[str, tuple[str, ...]]] = Counter()
    for example in examples:
        for span in gazetteer.match(example.text):
            named = (span.label, name_key(span.text))
            (right if worth_accepting(span, example.spans) else wrong)[named] += 1
    dropped = [named for named in wrong
               if wrong[named] >= MIN_EVIDENCE and not worth_showing(right[named], wrong[named])]
    for label, name in dropped:
        gazetteer.discount_key(label, name, weight=10**9)
    return len(dropped)
