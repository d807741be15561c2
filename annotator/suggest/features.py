"""Arabic-aware token features for the CRF (strings, one list per token; python-crfsuite reads them).

A token is described by its normalised form, its stem without proclitics and article, and its
form without a proclitic chain (``bare``: so ``وسوريا`` and ``سوريا`` share evidence), affixes of the stem, the proclitic chain and article, its shape
(Arabic, Latin, digits with or without Arabic-Indic forms, punctuation), a gazetteer hit, and the
same for its neighbours at distance 1 and 2. Everything is computed from search keys, so
diacritics and alef/ya/ta-marbuta variants do not split the evidence.

One feature looks beyond the sentence: how often the token's bare form occurs in its ARTICLE
(``tf``: once, 2-3, 4-9, 10+; :func:`article_counts`). An article's own subject terms recur
(«اليورانيوم» in an article on nuclear power), and those are what AQMAR-like MIS labels mark.
Measured on AQMAR (train 20, test the 8 held out, entity F1; ``bench/bench_suggest.py``), with
the L-BFGS penalties of :class:`annotator.suggest.crf.Options`, over four seeded splits: 0.365 /
0.316 / 0.437 / 0.474 before, 0.381 / 0.318 / 0.455 / 0.475 after. Tried and left out (worse
on three of the four splits): the corpus gazetteer as features (jackknifed over the training
articles), position in the sentence, neighbours' gazetteer hits at distance 2, document
frequency over the training articles, presence in the article's first line.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence

from annotator.model import Token
from annotator.text.normalize import search_key

FEATURE_VERSION = 2
"""Bumped when features change: a model trained on other features is refused, not misused."""

_CHAIN = re.compile("^[وف]?[بكل]?")
_INDIC = re.compile("[\u0660-\u0669\u06f0-\u06f9]")
_ARABIC = re.compile("[\u0621-\u064a\u0671-\u06d3]")
_LATIN = re.compile("[a-z]")


def split_stem(key: str) -> tuple[str, str, str]:
    """``(proclitics, article, stem)`` of a token key, stripping only when a stem of 2+ remains.

    >>> split_stem("وبالمدينه")
    ('وب', 'ال', 'مدينه')
    >>> split_stem("لبنان")
    ('', '', 'لبنان')
    """
    chain = _CHAIN.match(key)
    pre = chain.group() if chain else ""
    rest = key[len(pre) :]
    if rest.startswith("ال") and len(rest) >= 4:
        return pre, "ال", rest[2:]
    return "", "", key


def shape(text: str, key: str) -> str:
    """A coarse class: ``num``, ``num-indic``, ``ar``, ``lat``, ``Lat`` (capitalised), ``punct``, ``mixed``.

    >>> shape("٢٠١٥", "2015"), shape("دمشق", "دمشق"), shape("،", "،")
    ('num-indic', 'ar', 'punct')
    """
    if key.replace(".", "").replace(",", "").isdigit():
        return "num-indic" if _INDIC.search(text) else "num"
    has_ar, has_lat = bool(_ARABIC.search(key)), bool(_LATIN.search(key))
    if has_ar and not has_lat:
        return "ar"
    if has_lat and not has_ar:
        return "Lat" if text[:1].isupper() else "lat"
    if text and all(unicodedata.category(c)[0] in "PS" for c in text):
        return "punct"
    return "mixed" if has_ar or has_lat else "other"


def bare_form(key: str) -> str:
    """A token key without its proclitic chain, when 3+ letters remain.

    >>> bare_form("وسوريا"), bare_form("ولد")
    ('سوريا', 'ولد')
    """
    chain = _CHAIN.match(key)
    return key[chain.end() :] if chain and len(key) - chain.end() >= 3 else key


def article_counts(sentences: Iterable[Sequence[Token]]) -> Counter[str]:
    """How often each bare form occurs in an article (its tokens, sentence by sentence).

    >>> from annotator.text.tokenize import tokenize
    >>> article_counts([tokenize("سوريا ودمشق وسوريا")])["سوريا"]
    2
    """
    return Counter(bare_form(search_key(t.text) or t.text) for tokens in sentences for t in tokens)


def _frequency(count: int) -> str:
    return "1" if count <= 1 else "2" if count <= 3 else "4" if count <= 9 else "10"


def _own(token: Token) -> dict[str, str]:
    key = search_key(token.text) or token.text
    pre, article, stem = split_stem(key)
    bare = bare_form(key)
    return {
        "w": key,
        "stem": stem,
        "bare": bare,
        "pre": pre + article,
        "p2": stem[:2],
        "p3": stem[:3],
        "s1": stem[-1:],
        "s2": stem[-2:],
        "s3": stem[-3:],
        "shape": shape(token.text, key),
        "len": str(min(len(stem), 8)),
    }


def sentence_features(
    tokens: Sequence[Token], gazetteer_tags: Sequence[str] | None = None, counts: Counter[str] | None = None,
) -> list[list[str]]:
    """One feature list per token of a sentence (neighbours do not cross the sentence);
    ``counts``: :func:`article_counts` of the article the sentence is in (without, each token
    counts as occurring once)."""
    own = [_own(t) for t in tokens]
    gaz = list(gazetteer_tags) if gazetteer_tags is not None else ["O"] * len(tokens)
    out: list[list[str]] = []
    for i, feats in enumerate(own):
        items = ["bias"] + [f"{k}={v}" for k, v in feats.items()]
        items.append(f"tf={_frequency(counts[feats['bare']] if counts is not None else 1)}")
        items.append(f"gaz={gaz[i]}")
        if gaz[i] != "O":
            items.append(f"gazlab={gaz[i][2:]}")
        for d in (-2, -1, 1, 2):
            j = i + d
            if not 0 <= j < len(own):
                items.append(f"{d}:edge")
                continue
            near = own[j]
            items += [f"{d}:w={near['w']}", f"{d}:shape={near['shape']}"]
            if abs(d) == 1:
                items += [f"{d}:stem={near['stem']}", f"{d}:pre={near['pre']}", f"{d}:gaz={gaz[j]}"]
        if i > 0:
            items.append(f"bigram={own[i - 1]['w']}|{feats['w']}")
        out.append(items)
    return out
