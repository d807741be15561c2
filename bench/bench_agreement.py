"""How long a full agreement report takes on 10,000 articles x 3 annotators, and the same figures
computed with the reference libraries directly (sklearn, krippendorff, statsmodels, seqeval).

Run: ``/tmp/venv/bin/python bench/bench_agreement.py [--articles 10000] [--seed 7]``
(``BENCH_QUICK=1``: 1,000 articles, one repeat). Exits 1 when the report is over its time limit.

Articles are synthetic (~300 tokens, ~15 token-aligned spans of 1-3 tokens); three annotators
perturb one gold layer (drop 10%, shift a boundary by one token 10%, relabel 5%). The report
must take < 5 s; the references get pre-encoded arrays (their input preparation is not timed),
so the ratio is a lower bound of what a user calling them would wait.

Relations and event arguments (issue 15): each layer links its own spans (consecutive pairs get a
relation typed by where the head starts, 10% of them retyped; the first span triggers an event
whose next three spans fill roles), so the links disagree where the spans do, and
``compute_link_agreement`` (exact and overlap, per type) is timed on the same corpus.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Sequence

import numpy as np

from annotator.agreement.links import ArticleLinks, LinkLayer, compute_link_agreement
from annotator.agreement.measures import ArticleLayers, compute_agreement
from annotator.model import Event, EventArgument, Relation, Span, Token, make_span
from annotator.text.tokenize import tokenize

WORDS = [
    "في",
    "من",
    "على",
    "إلى",
    "أن",
    "قال",
    "الرئيس",
    "الحكومة",
    "دمشق",
    "القاهرة",
    "مصر",
    "الشركة",
    "اليوم",
    "وزير",
    "العام",
    "عن",
    "مع",
]
LABELS = ("PER", "LOC", "ORG", "MISC", "DATE")
RELATIONS = ("located-in", "member-of", "reported-by")
ROLES = ("attacker", "place", "time")


def gold_spans(text: str, tokens: Sequence[Token], rng: random.Random) -> list[Span]:
    """~15 non-overlapping spans of 1-3 tokens."""
    spans, t = [], rng.randrange(5)
    while t < len(tokens) - 3:
        width = rng.choice((1, 1, 2, 2, 3))
        spans.append(
            make_span(text, tokens[t].start, tokens[t + width - 1].end, rng.choice(LABELS))
        )
        t += width + rng.randrange(8, 27)
    return spans


def perturb(
    text: str, tokens: Sequence[Token], spans: Sequence[Span], rng: random.Random
) -> list[Span]:
    """Drop 10%, move one boundary by one token 10%, relabel 5% (token-aligned, no overlap made)."""
    starts = {t.start: i for i, t in enumerate(tokens)}
    out = []
    for s in spans:
        roll = rng.random()
        if roll < 0.10:
            continue
        first, last = starts[s.start], starts[s.start] + len(tokenize(s.text)) - 1
        label = s.label
        if roll < 0.20:
            if rng.random() < 0.5 and last + 1 < len(tokens):
                last += 1
            elif last > first:
                last -= 1
        elif roll < 0.25:
            label = rng.choice([x for x in LABELS if x != s.label])
        out.append(make_span(text, tokens[first].start, tokens[last].end, label))
    return out


def links_of(spans: Sequence[Span], rng: random.Random) -> LinkLayer:
    """A layer's links over its own spans (see the module docstring)."""
    relations = []
    for head, tail in zip(spans[::2], spans[1::2], strict=False):
        kind = RELATIONS[head.start % 3] if rng.random() >= 0.10 else rng.choice(RELATIONS)
        relations.append(Relation(kind, head, tail))
    args = tuple(EventArgument(role, s) for role, s in zip(ROLES, spans[1:4], strict=False))
    return LinkLayer(relations, [Event("attack", spans[0], args)] if spans else [])


def make_links(articles: Sequence[ArticleLayers], seed: int) -> list[ArticleLinks]:
    rng = random.Random(seed)
    return [
        ArticleLinks(a.article_id, {n: links_of(s, rng) for n, s in a.layers.items()})
        for a in articles
    ]


def time_links(articles: Sequence[ArticleLayers], seed: int, repeat: int) -> float:
    """Print and return the best time of the relation and event-argument report."""
    links = make_links(articles, seed)
    n_rel = sum(len(x.relations) for a in links for x in a.layers.values())
    n_arg = sum(len(e.arguments) for a in links for x in a.layers.values() for e in x.events)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        report = compute_link_agreement(links)
        times.append(time.perf_counter() - start)
    total = report.total
    print(
        f"compute_link_agreement: {n_rel} relations, {n_arg} event arguments: best "
        f"{min(times):.2f} s of {repeat} ({', '.join(f'{t:.2f}' for t in times)})"
    )
    print(
        f"  relations exact F1 {total.relations_exact.micro.f1:.4f}  overlap F1 "
        f"{total.relations_overlap.micro.f1:.4f}  arguments exact F1 "
        f"{total.arguments_exact.micro.f1:.4f}  overlap F1 {total.arguments_overlap.micro.f1:.4f}"
    )
    return min(times)


def make_corpus(n: int, seed: int) -> list[ArticleLayers]:
    rng = random.Random(seed)
    articles = []
    for i in range(n):
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(250, 350)))
        tokens = tokenize(text)
        gold = gold_spans(text, tokens, rng)
        layers = {name: perturb(text, tokens, gold, rng) for name in ("ali", "huda", "omar")}
        articles.append(ArticleLayers(f"art{i:05d}", text, tokens, layers))
    return articles


def iob(a: ArticleLayers, name: str) -> list[str]:
    tags = ["O"] * len(a.tokens)
    index = {t.start: i for i, t in enumerate(a.tokens)}
    for s in a.layers[name]:
        i = index[s.start]
        tags[i] = "B-" + s.label
        j = i + 1
        while j < len(a.tokens) and a.tokens[j].end <= s.end:
            tags[j] = "I-" + s.label
            j += 1
    return tags


def references(
    articles: list[ArticleLayers], names: Sequence[str]
) -> tuple[dict[str, float], dict[str, float]]:
    """Seconds per reference call, and the figures they give (to check ours against)."""
    import krippendorff
    from seqeval.metrics import f1_score
    from sklearn.metrics import cohen_kappa_score
    from statsmodels.stats.inter_rater import aggregate_raters, fleiss_kappa

    tags = {n: [iob(a, n) for a in articles] for n in names}
    code = {"O": 0, **{lab: i + 1 for i, lab in enumerate(LABELS)}}
    flat = np.array(
        [[code[t[2:] if t != "O" else t] for seq in tags[n] for t in seq] for n in names]
    )
    timings, values = {}, {}
    start = time.perf_counter()
    for i, j in ((0, 1), (0, 2), (1, 2)):
        values[f"kappa {names[i]}-{names[j]}"] = cohen_kappa_score(flat[i], flat[j])
    timings["sklearn cohen_kappa x3"] = time.perf_counter() - start
    start = time.perf_counter()
    for i, j in ((0, 1), (0, 2), (1, 2)):
        values[f"F1 {names[i]}-{names[j]}"] = f1_score(tags[names[i]], tags[names[j]])
    timings["seqeval f1 x3"] = time.perf_counter() - start
    start = time.perf_counter()
    values["alpha"] = krippendorff.alpha(
        reliability_data=flat.astype(float), level_of_measurement="nominal"
    )
    timings["krippendorff.alpha"] = time.perf_counter() - start
    start = time.perf_counter()
    values["fleiss"] = fleiss_kappa(aggregate_raters(flat.T)[0])
    timings["statsmodels fleiss_kappa"] = time.perf_counter() - start
    return timings, values


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    quick = os.environ.get("BENCH_QUICK") == "1"
    parser.add_argument("--articles", type=int, default=1_000 if quick else 10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=1 if quick else 3)
    args = parser.parse_args()
    start = time.perf_counter()
    articles = make_corpus(args.articles, args.seed)
    made = time.perf_counter() - start
    n_tokens = sum(len(a.tokens) for a in articles)
    n_spans = sum(len(s) for a in articles for s in a.layers.values())
    print(
        f"corpus: {len(articles)} articles, {n_tokens} tokens, {n_spans} spans "
        f"(generated + tokenized in {made:.1f} s)"
    )
    times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        report = compute_agreement(articles)
        times.append(time.perf_counter() - start)
    ours = min(times)
    limit = 5.0 * args.articles / 10_000
    print(
        f"compute_agreement: best {ours:.2f} s of {args.repeat} "
        f"({', '.join(f'{t:.2f}' for t in times)}); limit {limit:.1f} s: {'OK' if ours < limit else 'TOO SLOW'}"
    )
    print(
        f"  mean kappa {report.mean_kappa:.4f}  Fleiss {report.fleiss_kappa:.4f}  "
        f"alpha {report.krippendorff_alpha:.4f}  exact F1 {report.exact.micro.f1:.4f}  "
        f"overlap F1 {report.overlap.micro.f1:.4f}"
    )
    ref, values = references(articles, report.annotators)
    ours_values = {"alpha": report.krippendorff_alpha, "fleiss": report.fleiss_kappa}
    for p in report.pairs:
        ours_values[f"kappa {p.reference}-{p.prediction}"] = p.kappa
        ours_values[f"F1 {p.reference}-{p.prediction}"] = p.exact.micro.f1
    worst = max(abs(ours_values[k] - v) for k, v in values.items())
    print(f"  largest difference from the references over {len(values)} figures: {worst:.1e}")
    for name, seconds in ref.items():
        print(f"  reference {name:<26} {seconds:7.2f} s")
    total = sum(ref.values())
    print(
        f"references total {total:.2f} s; ratio reference / ours = {total / ours:.1f}x "
        "(ours also does overlap matching and per-article figures)"
    )
    links = time_links(articles, args.seed, args.repeat)
    if ours >= limit or links >= limit:
        sys.exit(1)


if __name__ == "__main__":
    main()
