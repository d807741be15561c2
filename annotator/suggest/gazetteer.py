"""Gazetteers: per-label name lists matched over normalised tokens, proclitics allowed.

Matching compares search keys (:func:`annotator.text.normalize.search_key`: diacritics,
tatweel, alef/ya/ta-marbuta variants folded) token by token. A name is a tuple of token keys in
a dict, and the dict is also indexed by first key with the name lengths that start there, so
matching one article is one pass over its tokens with a few dict look-ups each (no regex per
name; 10,000 names over a 200,000-character article take well under a second, see
``bench/bench_suggest.py``).

The first token of a match may carry proclitics the name does not: a chain ``[وف]?[بكل]?``
and/or the article ``ال`` (``وبسوريا`` finds ``سوريا``; ``للقاهرة`` finds ``القاهرة`` with the
article's alef elided). The suggested span then covers the name only (``سوريا``, ``لقاهرة``).
The longest match wins, then the one needing fewest stripped letters; matches never overlap.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from annotator.errors import InputError
from annotator.model import Span, Token, make_span
from annotator.text.normalize import normalize_with_map, search_key
from annotator.text.tokenize import tokenize

MIN_KEY = 2
"""Names whose whole key is shorter (in code points) are ignored: one letter matches noise."""

_CHAIN = re.compile("[وف]?[بكل]?")

Name = tuple[str, ...]


def name_key(name: str) -> Name:
    """The token keys a name is matched by.

    >>> name_key("دِمَشْقُ  الشّام")
    ('دمشق', 'الشام')
    """
    return tuple(k for k in (search_key(t.text) for t in tokenize(name)) if k)


def token_variants(token_text: str) -> list[tuple[str, int]]:
    """``(key, skipped)`` readings of a token: as is, then without proclitics.

    ``skipped`` is how many code points of the token the proclitics take. Fewest stripped first.

    >>> token_variants("وَبِالمدينة")
    [('وبالمدينه', 0), ('بالمدينه', 2), ('المدينه', 4), ('مدينه', 6)]
    """
    key, starts = normalize_with_map(token_text)
    out: list[tuple[str, int]] = [(key, 0)] if key else []
    chain = _CHAIN.match(key)
    for cut in range((chain.end() if chain else 0) + 1):
        rest = key[cut:]
        readings = []
        if cut:
            readings.append((rest, cut))
            if key[cut - 1] == "ل" and rest.startswith("ل"):
                readings.append(("ا" + rest, cut))  # ل + (ا)لمدينة
        if rest.startswith("ال"):
            readings.append((rest[2:], cut + 2))
        for reading, n in readings:
            if len(reading) >= MIN_KEY:
                out.append((reading, starts[n]))
    return _dedupe(out)


def _dedupe(pairs: list[tuple[str, int]]) -> list[tuple[str, int]]:
    seen: set[tuple[str, int]] = set()
    return [p for p in pairs if not (p in seen or seen.add(p))]  # type: ignore[func-returns-value]


class Gazetteer:
    """Names by label; a name listed under several labels suggests its most frequent one.

    >>> gaz = Gazetteer([("LOCATION", "سوريا"), ("LOCATION", "دير الزور")])
    >>> text = "قصف في وبسوريا ودير الزور"
    >>> [(s.text, s.label) for s in gaz.match(text)]
    [('سوريا', 'LOCATION'), ('دير الزور', 'LOCATION')]
    """

    def __init__(self, entries: Iterable[tuple[str, str]] = ()) -> None:
        self._labels: dict[Name, Counter[str]] = {}
        self._lengths: dict[str, set[int]] = {}
        for label, name in entries:
            self.add(label, name)

    def __len__(self) -> int:
        return len(self._labels)

    def add(self, label: str, name: str, weight: int = 1) -> bool:
        """Add a name (its weight counts toward ``label`` when a name has several); False if unusable."""
        key = name_key(name)
        if not key or sum(map(len, key)) < MIN_KEY or weight <= 0:
            return False
        self._labels.setdefault(key, Counter())[label] += weight
        self._lengths.setdefault(key[0], set()).add(len(key))
        return True

    def discount(self, label: str, name: str, weight: int = 1) -> None:
        """Take ``weight`` votes from ``name`` as ``label`` (a rejection); at none it is forgotten."""
        self.discount_key(label, name_key(name), weight)

    def discount_key(self, label: str, key: Name, weight: int = 1) -> None:
        counts = self._labels.get(key)
        if counts is None or label not in counts:
            return
        counts[label] -= weight
        if counts[label] <= 0:
            del counts[label]
        if not counts:
            del self._labels[key]
            if not any(k[0] == key[0] and len(k) == len(key) for k in self._labels):
                self._lengths[key[0]].discard(len(key))

    def label_of(self, key: Name) -> str | None:
        counts = self._labels.get(key)
        if not counts:
            return None
        return min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]

    def labels(self) -> list[str]:
        return sorted({label for counts in self._labels.values() for label in counts})

    def match_tokens(self, text: str, tokens: Sequence[Token]) -> list[tuple[int, int, str, int, int]]:
        """``(first, end, label, start, stop)``: token range ``[first, end)`` and the code points
        ``[start, stop)`` of each match, left to right, non-overlapping."""
        keys = [search_key(t.text) for t in tokens]
        found: list[tuple[int, int, str, int, int]] = []
        i = 0
        while i < len(tokens):
            best = self._best_at(text, tokens, keys, i)
            if best is None:
                i += 1
                continue
            n, skipped, label = best
            found.append((i, i + n, label, tokens[i].start + skipped, tokens[i + n - 1].end))
            i += n
        return found

    def _best_at(
        self, text: str, tokens: Sequence[Token], keys: list[str], i: int
    ) -> tuple[int, int, str] | None:
        """Longest name starting at token ``i`` (fewest stripped letters on a tie)."""
        best: tuple[int, int, str] | None = None
        for variant, skipped in token_variants(tokens[i].text) if keys[i] else ():
            for n in sorted(self._lengths.get(variant, ()), reverse=True):
                if best is not None and n <= best[0]:
                    break
                if i + n > len(tokens) or not self._same_line(text, tokens, i, n):
                    continue
                label = self.label_of((variant, *keys[i + 1 : i + n]))
                if label is not None:
                    best = (n, skipped, label)
                    break
        return best

    @staticmethod
    def _same_line(text: str, tokens: Sequence[Token], i: int, n: int) -> bool:
        return "\n" not in text[tokens[i].start : tokens[i + n - 1].end]

    def match(self, text: str, tokens: Sequence[Token] | None = None, annotator: str = "") -> list[Span]:
        """Suggested spans over ``text`` (code points), provenance ``gazetteer``."""
        tokens = tokenize(text) if tokens is None else tokens
        return [
            make_span(text, start, stop, label, annotator, provenance="gazetteer")
            for _, _, label, start, stop in self.match_tokens(text, tokens)
        ]

    def token_tags(self, text: str, tokens: Sequence[Token]) -> list[str]:
        """One IOB2-like tag per token (``B-LOC``, ``I-LOC`` or ``O``): CRF features."""
        tags = ["O"] * len(tokens)
        for first, end, label, _, _ in self.match_tokens(text, tokens):
            tags[first] = f"B-{label}"
            for k in range(first + 1, end):
                tags[k] = f"I-{label}"
        return tags


def read_gazetteer_file(path: Path | str) -> list[str]:
    """Names of a gazetteer file: UTF-8, one per line; blank lines and ``#`` comments skipped."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", str(path)) from None
    except UnicodeDecodeError as exc:
        line_number = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise InputError("not UTF-8 (save the list as UTF-8)", str(path), line_number) from None
    names = []
    for line in text.splitlines():
        name = line.strip()
        if name and not name.startswith("#"):
            names.append(name)
    return names
