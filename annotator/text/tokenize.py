"""Arabic-aware tokenization with exact code-point offsets into the original text.

One compiled regex does the work (a 200,000-character article tokenizes in a few tens of
milliseconds; see ``bench/bench_tokenize.py``). Tokens are what CoNLL/IOB exports and token-snapping
in the editor are built from, and a span can join tokens but never cut one; so when in doubt the
tokenizer SPLITS. The decisions, each pinned by a test in ``tests/core/test_tokenize.py``:

* Separators never reach a token: whitespace (incl. NBSP and the other Unicode spaces), control
  characters and every format character (LRM, RLM, ALM, bidi embeddings/isolates, ZWSP, BOM, soft
  hyphen; see :data:`annotator.text.chars.FORMAT`). Two exceptions, both invisible joiners that
  are part of what they join: ZWNJ between two Arabic-script letters (Persian ``می‌شود``) stays
  in the word, and ZWJ / variation selectors / skin tones / tag characters stay inside an emoji.
* Every punctuation mark is its own token (``،`` ``؛`` ``؟`` ``«`` ``»`` ``“`` ``"`` ``(`` ``-``
  ``/`` ``%`` ...), except a run of dots (``..``, ``...``), which is one token, like ``…``.
* Numbers are whole: any mix of ASCII, Arabic-Indic and Eastern digits (``٢٠٠5``), with internal
  ``.`` ``,`` ``٫`` ``٬`` or the Arabic decimal ``ر`` between digits (``3.5``, ``3,000``, ``٣٫٥``,
  ``14ر1``). A sign or unit is not part of a number: ``11%`` is ``11`` ``%``; a score or year range
  ``65-88`` is ``65`` ``-`` ``88`` (one side can then be labelled alone).
* Arabic words keep their diacritics (U+064B-U+065F, U+0670, Quranic marks) and tatweel. A word
  never contains digits or Latin letters: a script change splits, so ``بـ11%`` is ``بـ`` ``11``
  ``%``, ``وPHP`` is ``و`` ``PHP``, ``BUSعندما`` is ``BUS`` ``عندما`` and ``1097م؛`` is ``1097``
  ``م`` ``؛``.
* Latin words may continue with ASCII digits (``MP3``, ``G20``) but a number never continues
  with letters (``5G`` is ``5`` ``G``).
* A URL (``http://``, ``https://``, ``ftp://`` or ``www.``) is one token up to the next space,
  quote or bracket, minus trailing sentence punctuation; an e-mail address is one token; a hashtag
  or mention (``#وسم_جديد``, ``@user``) is one token, ``#`` and ``@`` included.
* An emoji is one token including its ZWJ sequence, modifiers and variation selectors; a flag
  (two regional indicators) and a keycap (``1️⃣``) too.
* Arabic abbreviations written with dots are one token, as spaCy's Arabic tokenizer exceptions
  and news NER corpora have them (:data:`ABBREVIATION_TOKENS`): ``ق.م`` (BC), ``ص.ب`` (P.O. box),
  ``أ.د`` (Prof. Dr.), ``ج.م.ع`` (A.R.E.)...; and the title ``د.`` (Dr.), ``أ.`` (Prof.) and ``ت.``
  (tel.) with their dot when a word or number follows on the same line (``د. محمد``). Not
  inside a longer word, and never ``م.`` after a year (``1097م.`` ends a sentence).
* Optional ``clitics=True`` splits proclitics, see :mod:`annotator.text.clitics`.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from itertools import pairwise

from annotator.model import Token
from annotator.text.chars import (
    ARABIC_LETTERS,
    ARABIC_MARKS,
    CONTROL,
    DIGITS,
    EMOJI,
    EMOJI_MODIFIERS,
    FORMAT,
    REGIONAL,
    TAGS,
    TATWEEL,
    ZWJ,
    ZWNJ,
)

_AR = ARABIC_LETTERS
_AR_PART = ARABIC_LETTERS + ARABIC_MARKS + TATWEEL
_LATIN = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
_LATIN_MARKS = "\u0300-\u036f"
_URL_STOP = "\\s<>\"'«»“”‘’()\\[\\]{}" + FORMAT + CONTROL
_URL_TRAIL = ".,;:!?،؛؟…"
_EMOJI_ONE = f"[{EMOJI}][{EMOJI_MODIFIERS}]*(?:[{TAGS}]+)?"

ABBREVIATION_TOKENS = ("ج.م.ع", "ا.ش.ا", "ق.م", "ص.ب", "أ.د", "ا.د", "م.ب", "ت.ب", "س.ت")
"""Dotted Arabic abbreviations kept whole: spaCy's ``lang/ar/tokenizer_exceptions.py`` (ق.م, ص.ب,
أ.د) and the abbreviation lists of Arabic sentence splitters (ج.م.ع, ا.ش.ا, م.ب, ت.ب, س.ت)."""
TITLE_TOKENS = ("د.", "أ.", "ت.")
"""Abbreviations ending in their dot (Dr., Prof., tel.), whole only before a word or number."""
_ABBREVIATION = (  # the lookahead first: most words fail it on their second character
    f"(?=[{''.join(sorted({a[0] for a in ABBREVIATION_TOKENS + TITLE_TOKENS}))}]\\.)"
    f"(?<![{_AR_PART}{DIGITS}.])"
    f"(?:(?:{'|'.join(map(re.escape, ABBREVIATION_TOKENS))})(?![{_AR_PART}]|\\.[{_AR_PART}])"
    f"|(?:{'|'.join(map(re.escape, TITLE_TOKENS))})(?=[^\\S\\n]+[{_AR}{DIGITS}]))"
)

_PATTERN = "|".join(
    [
        # URL: one token; may not end in sentence punctuation.
        "(?:[Hh][Tt][Tt][Pp][Ss]?://|[Ff][Tt][Pp]://|[Ww][Ww][Ww]\\.)"
        + f"(?:[^{_URL_STOP}]*[^{_URL_STOP}{_URL_TRAIL}])?",
        # e-mail address (local part bounded: no quadratic scan over long dotted runs)
        "(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}"
        + "@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}",
        # hashtag / mention, any script, underscores joined
        f"[#@](?=[{_AR_PART}{_LATIN}{DIGITS}_])[{_AR_PART}{_LATIN}{_LATIN_MARKS}{DIGITS}_]+",
        # keycap emoji (before numbers: it starts with a digit)
        "[0-9#*]\ufe0f?\u20e3",
        # emoji: flag pair, or pictograph + modifiers, joined by ZWJ
        f"[{REGIONAL}]{{2}}|{_EMOJI_ONE}(?:{ZWJ}{_EMOJI_ONE})*",
        # dotted Arabic abbreviation (before words: it starts with one)
        _ABBREVIATION,
        # number with internal separators
        f"[{DIGITS}]+(?:[.,\u066b\u066cر][{DIGITS}]+)*",
        # Arabic word: letters, marks and tatweel; ZWNJ only between two letters
        f"[{_AR_PART}]+(?:{ZWNJ}(?=[{_AR}])[{_AR_PART}]+)*",
        # Latin word, ASCII digits may follow letters
        f"[{_LATIN}][{_LATIN}{_LATIN_MARKS}0-9]*",
        # any other script's letters
        f"(?:(?![{_AR_PART}])[^\\W\\d_])(?:(?![{_AR_PART}])[^\\W\\d_]|[{_LATIN_MARKS}])*",
        # a run of dots is one ellipsis
        "\\.{2,}",
        # anything else visible: one character (with the marks that belong to it)
        f"[^\\s{FORMAT}{CONTROL}][{_LATIN_MARKS}{ARABIC_MARKS}]*",
    ]
)
_TOKEN = re.compile(_PATTERN)
_PROCLITIC_LETTERS = frozenset("وفبكل")


def tokenize(text: str, clitics: bool = False) -> list[Token]:
    """Tokens of ``text`` in order, non-overlapping, ``token.text == text[token.start:token.end]``.

    Offsets are code points. ``clitics=True`` also splits proclitics off Arabic words (see
    :func:`annotator.text.clitics.split_proclitics`).

    >>> [t.text for t in tokenize("في عام ٢٠٢٣، ارتفع 11%")]
    ['في', 'عام', '٢٠٢٣', '،', 'ارتفع', '11', '%']
    """
    tokens = list(map(Token, *token_bounds(text)))
    if not clitics:
        return tokens
    from annotator.text.clitics import split_proclitics

    out: list[Token] = []
    for tok in tokens:
        if tok.text[0] in _PROCLITIC_LETTERS:
            out.extend(split_proclitics(tok))
        else:
            out.append(tok)
    return out


_GROUP, _START, _END = re.Match.group, re.Match.start, re.Match.end


def token_bounds(text: str) -> tuple[list[str], list[int], list[int]]:
    """The tokens of :func:`tokenize` (no clitic splitting) as three parallel lists: texts,
    starts, ends (code points, ``[start, end)``).

    For bulk work (exports, agreement over a whole project): no object per token, which is
    half of what :func:`tokenize` costs.

    >>> token_bounds("زار دمشق.")
    (['زار', 'دمشق', '.'], [0, 4, 8], [3, 8, 9])
    """
    matches = list(_TOKEN.finditer(text))
    return list(map(_GROUP, matches)), list(map(_START, matches)), list(map(_END, matches))


def split_token(token: Token, at: int) -> tuple[Token, Token]:
    """Split ``token`` at code-point offset ``at`` of the text (``start < at < end``).

    >>> split_token(Token("وسوريا", 10, 16), 11)
    (Token(text='و', start=10, end=11), Token(text='سوريا', start=11, end=16))
    """
    if not token.start < at < token.end:
        raise ValueError(f"offset {at} is not inside token [{token.start}, {token.end})")
    cut = at - token.start
    return (
        Token(token.text[:cut], token.start, at),
        Token(token.text[cut:], at, token.end),
    )


# --- sentences -------------------------------------------------------------------------------

_ENDS = frozenset({".", "…", "?", "؟", "!"})
_CLOSERS = frozenset({")", "]", "}", "»", "”", "’", '"', "'", "›"})
_LINE_BREAKS = re.compile("[\n\r\u2028\u2029\x0b\x0c\x85]")

ABBREVIATIONS = frozenset({"د", "م", "أ", "ص", "ج", "ت", "ق", "ش", "هـ", "ه", "إلخ", "الخ"})
"""Arabic abbreviations whose dot never ends a sentence when it follows them directly:
``د.`` (doctor), ``م.`` (engineer), ``أ.`` (professor), ``ص.ب`` (P.O. box), ``ت.`` (telephone),
``ق.م`` (BC), ``هـ`` (Hijri) ... The era letters ``م`` ``هـ`` ``ه`` right after a number (``2015م.``)
or after ``ق.`` are dates, and a dot after them does end the sentence."""

_ERAS = frozenset({"م", "هـ", "ه"})


def sentences(text: str, tokens: list[Token] | None = None) -> list[list[Token]]:
    """Tokens of ``text`` grouped into sentences (never an empty list).

    A sentence ends after ``.`` ``..`` ``…`` ``?`` ``؟`` ``!`` (plus any end marks and closing
    quotes/brackets glued right after it) and at every line break. A dot does not end a sentence
    when glued on both sides (``ق.م``, ``U.S``), after an abbreviation (:data:`ABBREVIATIONS`), or
    after a single Latin capital (``J. Smith``). Numbers like ``3.5`` are single tokens, so never
    split. ``tokens`` must be in text order and not overlap.

    >>> [[t.text for t in s] for s in sentences("عاش في القرن 3 ق.م في دمشق. ثم رحل")]
    [['عاش', 'في', 'القرن', '3', 'ق.م', 'في', 'دمشق', '.'], ['ثم', 'رحل']]
    """
    tokens = tokenize(text) if tokens is None else list(tokens)
    firsts = sentence_starts(
        text, [t.text for t in tokens], [t.start for t in tokens], [t.end for t in tokens]
    )
    return [tokens[a:b] for a, b in pairwise([*firsts, len(tokens)])]


def sentence_starts(text: str, texts: list[str], starts: list[int], ends: list[int]) -> list[int]:
    """Index of the first token of each sentence (``[0, ...]``; ``[]`` without tokens), for the
    tokens given as parallel lists (see :func:`token_bounds`); the rules are :func:`sentences`'.

    Only line breaks and end marks are visited (bisect from their positions to tokens), never
    every token: a sentence split costs per sentence, not per token.

    >>> sentence_starts("قال. ثم\\nرحل", ["قال", ".", "ثم", "رحل"], [0, 3, 5, 8], [3, 4, 7, 11])
    [0, 2, 3]
    """
    n = len(texts)
    if not n:
        return []
    firsts = {0}
    for m in _LINE_BREAKS.finditer(text):
        j = bisect_right(starts, m.start())  # the first token after the break
        if 0 < j < n and ends[j - 1] <= m.start():
            firsts.add(j)
    resume = 0  # tokens before it were glued onto an end already found
    for m in _END_MARKS.finditer(text):
        i = bisect_left(starts, m.start())
        if i < resume or i == n or starts[i] != m.start() or not _is_end(texts, starts, ends, i):
            continue
        j = i + 1
        while j < n and starts[j] == ends[j - 1] and _continues_end(texts[j]):
            j += 1
        if j < n:
            firsts.add(j)
        resume = j
    return sorted(firsts)


_END_MARKS = re.compile("[.…?؟!]")
"""The first characters of the tokens in :data:`_ENDS` and of dot runs."""


def _continues_end(text: str) -> bool:
    """A token glued after a sentence end that still belongs to it: ``؟!``, ``.”``, ``!)``."""
    return text in _CLOSERS or text in _ENDS or set(text) == {"."}


def _is_end(texts: list[str], starts: list[int], ends: list[int], i: int) -> bool:
    text = texts[i]
    if text not in _ENDS and set(text) != {"."}:
        return False
    if text != "." or i == 0:
        return True
    if ends[i - 1] != starts[i]:
        return True
    if i + 1 < len(texts) and starts[i + 1] == ends[i] and texts[i + 1] not in _CLOSERS:
        return False  # glued on both sides: ق.م  U.S  v1.beta
    prev = texts[i - 1]
    if len(prev) == 1 and "A" <= prev <= "Z":
        return False  # a Latin initial
    if prev in ABBREVIATIONS:
        return prev in _ERAS and _is_era(texts, starts, ends, i - 1)
    return True


def _is_era(texts: list[str], starts: list[int], ends: list[int], i: int) -> bool:
    """``texts[i]`` (م / هـ) follows a number (``2015م``) or ``ق.`` (``ق.م``): a date, not a title."""
    if i == 0:
        return False
    before = texts[i - 1]
    if before[:1].isdigit():
        return True
    return (
        before == "."
        and i >= 2
        and texts[i - 2] == "ق"
        and ends[i - 2] == starts[i - 1]
        and ends[i - 1] == starts[i]
    )
