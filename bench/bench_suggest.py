"""Learning curve of the suggesters on AQMAR, and the labelling actions they would save.

Run: ``python bench/bench_suggest.py [--iterations 100] [--seed 0] [--held 8]`` (needs ../shared/corpora/aqmar
and python-crfsuite). The 28 AQMAR articles are shuffled with ``--seed``; the last ``--held`` are held out,
and the CRF is trained on the first 5, 10 and 20 of the rest. F1 is exact character-span match on the
held-out articles (all labels; and PER/LOC/ORG only, since MIS0-3 mean something different per article).

Actions: without suggestions every entity costs 2 (select + label). With them, a correct suggestion costs 1
(accept), a missed entity 2, and a wrong suggestion 1 (reject; a wrong-boundary suggestion counts as wrong AND
its entity as missed). "saved" = 1 - with / without; "saved*" if wrong suggestions are skipped for free.
A gazetteer row (names fed from the same training
articles, as the corpus-fed gazetteer does in a project) is printed for comparison.
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

from annotator.formats.conll import read_conll
from annotator.model import Document, Span
from annotator.suggest.crf import Example, Options, train
from annotator.suggest.evaluate import MICRO, span_scores
from annotator.suggest.gazetteer import Gazetteer

AQMAR = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpora" / "aqmar"
CORE = ("PER", "LOC", "ORG")
SIZES = (5, 10, 20)


def load(seed: int, folder: Path = AQMAR) -> list[Document]:
    files = sorted(p for p in folder.glob("*.txt") if p.name != "SOURCE.txt")
    if not files:
        raise SystemExit(f"{folder}: AQMAR not found")
    docs = [next(read_conll(p)) for p in files]
    random.Random(seed).shuffle(docs)
    return docs


def keep(spans: list[Span] | tuple[Span, ...], labels: tuple[str, ...] | None) -> list[Span]:
    return [s for s in spans if labels is None or s.label in labels]


HEADER = (f"{'suggester':<10} {'arts':>4} {'tokens':>7} {'train s':>8} {'prec':>6} {'recall':>6} {'F1':>6}"
          f" {'without':>8} {'with':>6} {'saved':>7} {'saved*':>7}")


def row(name: str, n: int, tokens: int, seconds: float, held: list[Document],
        predicted: list[list[Span]], labels: tuple[str, ...] | None) -> str:
    """One table line; ``saved*`` assumes wrong suggestions are skipped at no cost."""
    score = span_scores((d.doc_id, keep(d.spans, labels), keep(p, labels)) for d, p in zip(held, predicted))[MICRO]
    without = 2 * score.support
    with_ = score.tp + 2 * score.fn + score.fp
    lenient = score.tp + 2 * score.fn
    return (f"{name:<10} {n:>4} {tokens:>7} {seconds:>8.1f} {score.precision:>6.3f} {score.recall:>6.3f}"
            f" {score.f1:>6.3f} {without:>8} {with_:>6} {1 - with_ / without:>7.1%} {1 - lenient / without:>7.1%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--iterations", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--held", type=int, default=8)
    parser.add_argument("--aqmar", type=Path, default=AQMAR, help="the AQMAR CoNLL folder")
    args = parser.parse_args()
    docs = load(args.seed, args.aqmar)
    held, pool = docs[-args.held :], docs[: -args.held]
    entities = sum(len(d.spans) for d in held)
    print(f"AQMAR: {len(docs)} articles; held out {len(held)} ({entities} entities): "
          + ", ".join(d.doc_id for d in held))
    print(f"CRF: python-crfsuite L-BFGS, {args.iterations} iterations, seed {args.seed}")
    rows = []
    for n in SIZES:
        examples = [Example(d.doc_id, d.text, d.spans) for d in pool[:n]]
        began = time.perf_counter()
        model = train(examples, options=Options(max_iterations=args.iterations))
        seconds = time.perf_counter() - began
        rows.append(("crf", n, int(model.info["tokens"]), seconds, [model.predict(d.text) for d in held]))
    for n in SIZES:
        began = time.perf_counter()
        gazetteer = Gazetteer((s.label, s.text) for d in pool[:n] for s in d.spans)
        matched = [gazetteer.match(d.text) for d in held]
        rows.append(("gazetteer", n, 0, time.perf_counter() - began, matched))
    for title, labels in (("all labels (PER LOC ORG MIS0-3)", None), ("PER LOC ORG only", CORE)):
        print(f"\n{title}; actions: select+label = 2, accept = 1, reject = 1")
        print(HEADER)
        for name, n, tokens, seconds, predicted in rows:
            print(row(name, n, tokens, seconds, held, predicted, labels))


if __name__ == "__main__":
    main()
