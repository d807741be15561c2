"""A linear-chain CRF trained on the project's own labels (python-crfsuite), saved in the project.

Training text is tokenized with proclitics split before the article (``tokenize(clitics=True)``),
tagged IOB2 per sentence. A span that starts inside a token (``سوريا`` in ``وسوريا``: the news
schema leaves ``و ب ل`` out) is widened to whole tokens for tagging, and the model learns, per
proclitic chain, whether annotators leave it out; predicted entities are trimmed the same way
(``info["trims"]``). The model is bytes (``Tagger.open_inmemory``), so it lives in the
project file and a copied project brings its model along.

Training is deterministic (L-BFGS on articles in a fixed order); cross-validation folds are
drawn with a seeded shuffle.
"""

from __future__ import annotations

import math
import random
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.errors import ProjectError
from annotator.model import Span, Token, make_span
from annotator.suggest.confidence import best_threshold, worth_accepting
from annotator.suggest.evaluate import Score, entity_scores
from annotator.suggest.features import FEATURE_VERSION, article_counts, sentence_features
from annotator.suggest.gazetteer import Gazetteer
from annotator.tags import ranges_to_tags, tags_to_ranges
from annotator.text.normalize import normalize_with_map
from annotator.text.tokenize import sentences, tokenize

_PROCLITICS = ("وب", "وك", "ول", "فب", "فك", "فل", "و", "ف", "ب", "ك", "ل")


def _pycrfsuite() -> Any:
    try:
        import pycrfsuite
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise ProjectError(
            "suggestions need python-crfsuite: pip install 'annotator[suggest]'"
        ) from exc
    return pycrfsuite


@dataclass(frozen=True)
class Example:
    """One article to learn from: its text and the spans of the layer that teaches."""

    key: Hashable
    text: str
    spans: tuple[Span, ...] = ()


@dataclass(frozen=True)
class Options:
    """L-BFGS settings; the defaults train AQMAR's 20 articles (50,000 tokens) in ~10 s.

    c1 (L1, sparser) 0.1 and c2 (L2) 0.01 rather than 0.05 / 0.05: with the features of
    :mod:`.features`, held-out entity F1 on AQMAR +0.002 to +0.018 over four seeded splits."""

    c1: float = 0.1
    c2: float = 0.01
    max_iterations: int = 100


@dataclass
class Prepared:
    """An article as sequences: tokens and IOB2 tags per sentence, and its proclitic evidence."""

    text: str
    sentences: list[list[Token]]
    tags: list[list[str]]
    trimmed: Counter[str] = field(default_factory=Counter)
    kept: Counter[str] = field(default_factory=Counter)


def _chain(token_text: str) -> tuple[str, list[int]]:
    """Longest proclitic chain the token's key starts with (``""`` if none) and the key's map."""
    key, starts = normalize_with_map(token_text)
    for chain in _PROCLITICS:
        if key.startswith(chain) and len(key) - len(chain) >= 2:
            return chain, starts
    return "", starts


def split_sentences(text: str, spans: Sequence[Span] = ()) -> list[list[Token]]:
    """Sentences of clitic-split tokens; sentences a span crosses are merged."""
    groups = sentences(text, tokenize(text, clitics=True))
    merged: list[list[Token]] = []
    for group in groups:
        if merged and any(s.start < group[0].start < s.end for s in spans):
            merged[-1].extend(group)
        else:
            merged.append(list(group))
    return merged


def prepare(text: str, spans: Sequence[Span] = ()) -> Prepared:
    """Tokens and tags of ``text`` with ``spans`` widened to whole tokens (overlaps: longest wins)."""
    groups = split_sentences(text, spans)
    prepared = Prepared(text, groups, [])
    order = sorted(spans, key=lambda s: (s.start - s.end, s.start, s.label))
    for tokens in groups:
        ranges: list[tuple[str, int, int]] = []
        taken = [False] * len(tokens)
        for span in order:
            cover = [i for i, t in enumerate(tokens) if t.start < span.end and span.start < t.end]
            if not cover or any(taken[cover[0] : cover[-1] + 1]):
                continue
            first, last = cover[0], cover[-1]
            taken[first : last + 1] = [True] * (last + 1 - first)
            ranges.append((span.label, first, last + 1))
            _count_trim(prepared, tokens[first], span.start)
        prepared.tags.append(ranges_to_tags(sorted(ranges, key=lambda r: r[1]), len(tokens)))
    return prepared


def _count_trim(prepared: Prepared, token: Token, span_start: int) -> None:
    chain, starts = _chain(token.text)
    if not chain:
        return
    if span_start > token.start and token.start + starts[len(chain)] == span_start:
        prepared.trimmed[chain] += 1
    elif span_start == token.start:
        prepared.kept[chain] += 1


class CrfModel:
    """A trained model: bytes for python-crfsuite plus what decoding needs (``info``)."""

    def __init__(self, blob: bytes, info: dict[str, Any]) -> None:
        if info.get("feature_version") != FEATURE_VERSION:
            raise ProjectError("the saved model was trained on other features; train it again")
        self.blob = blob
        self.info = info
        self._tagger = _pycrfsuite().Tagger()
        self._tagger.open_inmemory(blob)
        self._tags = list(self._tagger.labels())

    @property
    def labels(self) -> list[str]:
        return sorted({t[2:] for t in self._tags if t != "O"})

    def _features(self, tokens: list[Token], text: str, gazetteer: Gazetteer | None,
                  counts: Counter[str]) -> list[list[str]]:
        tags = gazetteer.token_tags(text, tokens) if gazetteer is not None else None
        return sentence_features(tokens, tags, counts)

    def predict(self, text: str, gazetteer: Gazetteer | None = None, annotator: str = "") -> list[Span]:
        """Suggested spans over ``text`` (code points), provenance ``crf``."""
        return [span for span, _ in self.predict_scored(text, gazetteer, annotator)]

    def predict_scored(
        self, text: str, gazetteer: Gazetteer | None = None, annotator: str = ""
    ) -> list[tuple[Span, float]]:
        """Suggested spans with their confidence: the smallest marginal of their tokens' tags
        (see :mod:`.confidence`)."""
        out: list[tuple[Span, float]] = []
        groups = split_sentences(text)
        counts = article_counts(groups)
        for tokens in groups:
            tags = self._tagger.tag(self._features(tokens, text, gazetteer, counts))
            for label, first, end in tags_to_ranges(tags).ranges:
                start = self._trimmed_start(tokens[first], tokens[end - 1].end)
                sure = min(self._tagger.marginal(tags[i], i) for i in range(first, end))
                out.append((make_span(text, start, tokens[end - 1].end, label, annotator, provenance="crf"), sure))
        return out

    def _trimmed_start(self, token: Token, end: int) -> int:
        chain, starts = _chain(token.text)
        trimmed, kept = self.info.get("trims", {}).get(chain, (0, 0))
        if chain and trimmed > kept and token.start + starts[len(chain)] < end:
            return token.start + starts[len(chain)]
        return token.start

    def token_entropies(self, text: str, gazetteer: Gazetteer | None = None) -> list[float]:
        """Entropy (nats) of each token's tag marginals: how unsure the model is, token by token."""
        out: list[float] = []
        groups = split_sentences(text)
        counts = article_counts(groups)
        for tokens in groups:
            self._tagger.set(self._features(tokens, text, gazetteer, counts))
            for i in range(len(tokens)):
                probs = (self._tagger.marginal(tag, i) for tag in self._tags)
                out.append(-sum(p * math.log(p) for p in probs if p > 0.0))
        return out


Report = Callable[[str, int, int], None]
"""``report(what, done, total)``: how far a long step is (the CLI draws it on a terminal)."""


def _trainer(crf: Any, what: str, total: int, report: Report | None) -> Any:
    """A ``pycrfsuite.Trainer``; with ``report``, one that calls it after each L-BFGS iteration.

    crfsuite only says how far it is through its log, which pycrfsuite parses (and hands to
    the ``on_*`` hooks) only when ``verbose``; the hooks that would print are silenced.
    """
    if report is None:
        return crf.Trainer(verbose=False)
    callback: Report = report

    class Reporting(crf.Trainer):  # type: ignore[misc, name-defined]
        def on_iteration(self, log: str, info: dict[str, Any]) -> None:
            callback(what, min(int(info["num"]), total), total)

    for hook in ("on_start", "on_featgen_progress", "on_featgen_end", "on_prepared",
                 "on_prepare_error", "on_optimization_end", "on_end"):
        setattr(Reporting, hook, lambda self, *args: None)
    return Reporting(verbose=True)


def train(
    examples: Sequence[Example], gazetteer: Gazetteer | None = None, options: Options | None = None,
    *, report: Report | None = None, what: str = "training",
) -> CrfModel:
    """Train on ``examples`` (in their order); raises ProjectError when there is nothing to learn.

    ``report(what, iteration, max_iterations)`` follows L-BFGS (it may converge sooner)."""
    options = options or Options()
    if report is not None:  # preparing the features takes seconds too: say which training
        report(what, 0, options.max_iterations)
    prepared = [prepare(ex.text, ex.spans) for ex in examples]
    if not any(tag != "O" for p in prepared for tags in p.tags for tag in tags):
        raise ProjectError("nothing to learn from: no labelled spans in the training articles")
    crf = _pycrfsuite()
    trainer = _trainer(crf, what, options.max_iterations, report)
    for p in prepared:
        counts = article_counts(p.sentences)
        for tokens, tags in zip(p.sentences, p.tags):
            gaz = gazetteer.token_tags(p.text, tokens) if gazetteer is not None else None
            trainer.append(sentence_features(tokens, gaz, counts), tags)
    trainer.set_params({
        "c1": options.c1, "c2": options.c2, "max_iterations": options.max_iterations,
        "feature.possible_transitions": True,
    })
    trimmed = sum((p.trimmed for p in prepared), Counter())
    kept = sum((p.kept for p in prepared), Counter())
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.crfsuite"
        trainer.train(str(path))
        blob = path.read_bytes()
    info = {
        "feature_version": FEATURE_VERSION,
        "articles": len(examples),
        "tokens": sum(len(t) for p in prepared for t in p.sentences),
        "trims": {c: [trimmed[c], kept[c]] for c in sorted(set(trimmed) | set(kept))},
        "options": {"c1": options.c1, "c2": options.c2, "max_iterations": options.max_iterations},
        "gazetteer": gazetteer is not None and len(gazetteer) > 0,
    }
    return CrfModel(blob, info)


@dataclass(frozen=True)
class CrossValidation:
    """Per-label entity scores over all held-out folds, and the wall time it took (seconds)."""

    scores: dict[str, Score]
    folds: int
    seconds: float
    threshold: float = 0.0
    """The confidence below which a suggestion costs more than it saves (:mod:`.confidence`)."""


def cross_validate(
    examples: Sequence[Example], gazetteer: Gazetteer | None = None, *, folds: int = 3,
    seed: int = 0, options: Options | None = None, report: Report | None = None,
) -> CrossValidation:
    """Train on ``folds - 1`` parts of the articles and tag the rest, ``folds`` times.

    Scores are seqeval's entity-level ones over the IOB2 token tags of every held-out article;
    the threshold is the confidence cut that saves most annotator time over their suggestions.
    """
    if len(examples) < 2:
        raise ProjectError("cross-validation needs at least 2 labelled articles")
    folds = max(2, min(folds, len(examples)))
    order = list(range(len(examples)))
    random.Random(seed).shuffle(order)
    began = time.perf_counter()
    y_true: list[list[str]] = []
    y_pred: list[list[str]] = []
    scored: list[tuple[float, bool]] = []
    for k in range(folds):
        held = set(order[k::folds])
        model = train([ex for i, ex in enumerate(examples) if i not in held], gazetteer, options,
                      report=report, what=f"cross-validation: training fold {k + 1}/{folds}")
        for i in sorted(held):
            p = prepare(examples[i].text, examples[i].spans)
            counts = article_counts(p.sentences)
            for tokens, tags in zip(p.sentences, p.tags):
                feats = model._features(tokens, p.text, gazetteer, counts)
                y_true.append(tags)
                y_pred.append(model._tagger.tag(feats))
            scored += [(sure, worth_accepting(s, examples[i].spans))
                       for s, sure in model.predict_scored(examples[i].text, gazetteer)]
    return CrossValidation(entity_scores(y_true, y_pred), folds, time.perf_counter() - began,
                           best_threshold(scored))
