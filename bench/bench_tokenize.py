"""Tokenizer throughput on real news text: prints chars/s and ms per 200,000 characters.

Run: ``python bench/bench_tokenize.py`` (uses ../shared when present, else the repo's fixtures).
The target is well under 100 ms for a 200,000-character article.
"""

from __future__ import annotations

import time
from pathlib import Path

from annotator.text.normalize import normalize_with_map
from annotator.text.tokenize import sentences, tokenize

REPO = Path(__file__).resolve().parents[1]
SOURCES = [
    REPO / ".." / "shared" / "samples" / "omar-field-strike.txt",
    REPO / "tests" / "fixtures" / "wikinewsmax_excerpt.tsv",
]
SIZE = 200_000


def sample_text() -> str:
    """About ``SIZE`` characters of real text, repeated from the first source found."""
    for path in SOURCES:
        if path.is_file():
            base = path.read_text(encoding="utf-8")
            return (base * (SIZE // len(base) + 1))[:SIZE]
    raise SystemExit("no sample text found")


def best_of(runs: int, fn, text: str) -> float:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        fn(text)
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    text = sample_text()
    for name, fn in [
        ("tokenize", tokenize),
        ("tokenize(clitics=True)", lambda t: tokenize(t, clitics=True)),
        ("sentences", sentences),
        ("normalize_with_map", normalize_with_map),
    ]:
        secs = best_of(5, fn, text)
        print(
            f"{name:24} {len(text) / secs:>14,.0f} chars/s  {secs * 1000:7.1f} ms / {len(text):,} chars"
        )
    print(f"tokens: {len(tokenize(text)):,}")


if __name__ == "__main__":
    main()
