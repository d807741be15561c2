"""Search keys for Arabic, with a map back to the original text (stored text never changes).

Search, "label all matches" and gazetteers compare *keys*, never rewrite the article. The key of a
text folds, per character (code points throughout):

* alef forms ``أ إ آ ٱ ٲ ٳ ٵ`` -> ``ا``; ``ى`` and Persian ``ی`` -> ``ي``; ``ة`` ``ۃ`` -> ``ه``;
  Persian/Urdu ``ک`` ``ڪ`` -> ``ك``, ``ھ`` -> ``ه``;
* diacritics (U+064B-U+065F incl. hamza above/below, superscript alef U+0670, Quranic marks
  U+06D6-U+06ED, U+0610-U+061A) and tatweel are dropped;
* Arabic-Indic and Eastern digits -> ASCII; ``٫`` -> ``.``, ``٬`` -> ``,``, ``٪`` -> ``%``;
* Arabic presentation forms -> their letters (NFKC: ``ﻻ`` -> ``لا``);
* Latin is casefolded; format characters (LRM, RLM, ZWNJ, BOM, ...) and control characters are
  dropped; every horizontal space (NBSP, thin space, tab ...) -> `` `` and a run of them -> one;
  line breaks -> ``\\n``.

``ؤ`` ``ئ`` ``ء`` are NOT folded: a hamza seat is spelling, not vocalisation, and folding would not
even unify the common variant pair (مسؤول/مسئول would become مسوول/مسيول) while merging distinct
words (سئل 'was asked' with سيل 'torrent'). A decomposed ``و``/``ي`` + U+0654 counts as ``ؤ``/``ئ``.
On the WikiNewsMax test set, ``search_key(diacritized) == search_key(undiacritized)`` holds for
every row (``tests/core/test_normalize.py``).

Offset map rule: ``normalize_with_map`` returns ``starts`` with ``starts[i]`` = the original index
of the character that produced ``key[i]`` and a final ``starts[len(key)] == len(text)``. A key
match ``[a, b)`` is the original ``[starts[a], starts[b])``: it begins at the first letter and runs
up to the next kept character, so it INCLUDES the diacritics and tatweel of its last letter
(``دمشق`` in ``دِمَشْقُ`` is the whole word). :func:`to_text_range` then trims trailing format
characters and whitespace so a span never ends in something invisible.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right

from annotator.model import Token
from annotator.text.chars import ARABIC_MARKS, CONTROL, FORMAT, TATWEEL, code_points

_FOLDS = {
    "ا": "أإآٱٲٳٵ",
    "ي": "ىی",
    "ه": "ةۃھ",
    "ك": "کڪ",
    ".": "٫",
    ",": "٬",
    "%": "٪",
}
_LINE_BREAKS = "\n\r\u2028\u2029\x0b\x0c\x85"
_DECOMPOSED = re.compile("[وي]\u0654")
_SPACES = re.compile(" {2,}")


def _build_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for cp in code_points(ARABIC_MARKS + TATWEEL + FORMAT + CONTROL):
        table[cp] = ""
    for target, sources in _FOLDS.items():
        for ch in sources:
            table[ord(ch)] = target
    for base in (0x0660, 0x06F0):
        for d in range(10):
            table[base + d] = str(d)
    for cp in range(0x10000):
        ch = chr(cp)
        if ch in _LINE_BREAKS:
            table[cp] = "\n"
        elif ch.isspace():
            table[cp] = " "
    for cp in list(range(0xFB50, 0xFE00)) + list(range(0xFE70, 0xFF00)):
        nfkc = unicodedata.normalize("NFKC", chr(cp)).strip()
        if nfkc != chr(cp):
            table[cp] = nfkc.translate(table)
    return table


_TABLE = _build_table()
_CHAR_KEY: dict[str, str] = {chr(cp): out for cp, out in _TABLE.items()}


def _bmp_table() -> list[int | str]:
    """:data:`_TABLE` as a list over the whole BMP, unchanged characters mapping to themselves.

    Why: ``str.translate`` with a dict raises and swallows a KeyError for every character the
    dict leaves alone (most of an Arabic text); a list that has every BMP entry never misses,
    which halves the time of a search key (~24 vs ~43 ns a character; the text keys of an
    import). Characters past the BMP raise IndexError, which ``translate`` treats as "unchanged":
    the few of them the table drops are removed by :data:`_ASTRAL_DROPS`.
    """
    table: list[int | str] = list(range(0x10000))
    for cp, out in _TABLE.items():
        if cp < 0x10000:
            table[cp] = out
        elif out:
            raise RuntimeError(f"U+{cp:04X} folds to {out!r}: only drops are handled past the BMP")
    return table


_BMP_TABLE = _bmp_table()
_ASTRAL_DROPS = re.compile("[" + "".join(chr(cp) for cp in sorted(_TABLE) if cp >= 0x10000) + "]")


def _compose(m: re.Match[str]) -> str:
    return unicodedata.normalize("NFC", m.group())


def search_key(text: str) -> str:
    """Normalised form of ``text`` for matching (never stored in place of the text).

    >>> search_key("إِلَى الْمَدِينَةِ ١٢")
    'الي المدينه 12'
    """
    # The ``in`` tests (a memchr-like scan) spare two regex scans of every article text.
    if "\u0654" in text:
        text = _DECOMPOSED.sub(_compose, text)
    key = text.translate(_BMP_TABLE)
    if len(key.encode("utf-16-le", "surrogatepass")) != 2 * len(key):  # past the BMP (emoji)
        key = _ASTRAL_DROPS.sub("", key)
    key = key.casefold()
    return _SPACES.sub(" ", key) if "  " in key else key


def _fold_char(ch: str) -> str:
    out = _CHAR_KEY.get(ch)
    if out is None:
        out = _CHAR_KEY[ch] = ch.casefold()
    return out


def normalize_with_map(text: str) -> tuple[str, list[int]]:
    """``(search_key(text), starts)``: ``starts[i]`` is the original index of ``key[i]``.

    ``len(starts) == len(key) + 1`` and ``starts[-1] == len(text)``; see the module docstring
    for how a key range maps back.

    >>> normalize_with_map("دِمَشْق")
    ('دمشق', [0, 2, 4, 6, 7])
    """
    composed = {m.start() for m in _DECOMPOSED.finditer(text)}
    parts: list[str] = []
    starts: list[int] = []
    last = ""
    for i, ch in enumerate(text):
        out = _fold_char(ch)
        if composed and i in composed:
            out = unicodedata.normalize("NFC", text[i : i + 2])
        if not out or (out == " " and last == " "):
            continue
        parts.append(out)
        if len(out) == 1:
            starts.append(i)
        else:
            starts.extend([i] * len(out))
        last = out[-1]
    starts.append(len(text))
    return "".join(parts), starts


_INVISIBLE = re.compile(f"[\\s{FORMAT}{CONTROL}]")


def to_text_range(text: str, starts: list[int], a: int, b: int) -> tuple[int, int]:
    """Original ``[start, end)`` of key range ``[a, b)`` (``a < b``), trimmed of invisibles.

    A key end inside a multi-character fold (``ß`` -> ``ss``) extends to the whole character.
    """
    while b < len(starts) - 1 and starts[b] == starts[b - 1]:
        b += 1
    start, end = starts[a], starts[b]
    while end > start + 1 and _INVISIBLE.match(text, end - 1):
        end -= 1
    return start, end


class TextIndex:
    """One text's search key, offset map and tokens, built once for many :meth:`find_all` calls.

    >>> TextIndex("زار وسوريا ثم سوريا").find_all("سوريا", allow_proclitics=True)
    [(5, 10), (14, 19)]
    """

    def __init__(self, text: str, tokens: list[Token] | None = None) -> None:
        self.text = text
        self.key, self.starts = normalize_with_map(text)
        self._tokens = tokens
        self._bounds: tuple[list[int], list[int]] | None = None

    @property
    def tokens(self) -> list[Token]:
        """The text's tokens (computed on first use): the whole-word boundaries."""
        if self._tokens is None:
            from annotator.text.tokenize import tokenize

            self._tokens = tokenize(self.text)
        return self._tokens

    def find_all(
        self, needle: str, *, whole_words: bool = True, allow_proclitics: bool = False
    ) -> list[tuple[int, int]]:
        """Original ``[start, end)`` of every non-overlapping normalised occurrence of ``needle``."""
        nk = search_key(needle).strip()
        if not nk:
            return []
        found: list[tuple[int, int]] = []
        pos = self.key.find(nk)
        while pos >= 0:
            start, end = to_text_range(self.text, self.starts, pos, pos + len(nk))
            if not whole_words or self._is_whole(start, end, allow_proclitics):
                found.append((start, end))
                pos = self.key.find(nk, pos + len(nk))
            else:
                pos = self.key.find(nk, pos + 1)
        return found

    def _is_whole(self, start: int, end: int, allow_proclitics: bool) -> bool:
        """``[start, end)`` ends on a token end and starts on a token start (or after a
        proclitic chain inside the token, when allowed)."""
        if self._bounds is None:
            self._bounds = ([t.start for t in self.tokens], [t.end for t in self.tokens])
        token_starts, token_ends = self._bounds
        k = bisect_right(token_ends, end) - 1
        if k < 0 or token_ends[k] != end:
            return False
        k = bisect_right(token_starts, start) - 1
        if k < 0:
            return False
        if token_starts[k] == start:
            return True
        tok = self.tokens[k]
        return (
            allow_proclitics
            and tok.end > start
            and _is_proclitic_chain(self.text[tok.start : start])
        )


_PROCLITIC_CHAIN = re.compile("[وف]?[بكل]?")


def _is_proclitic_chain(prefix: str) -> bool:
    """``prefix`` (diacritics ignored) is ``و`` ``ف`` ``ب`` ``ل`` ``ك`` or a chain like ``وب``."""
    skeleton = search_key(prefix)
    return bool(skeleton) and _PROCLITIC_CHAIN.fullmatch(skeleton) is not None


def find_all(
    text: str, needle: str, *, whole_words: bool = True, allow_proclitics: bool = False
) -> list[tuple[int, int]]:
    """Every normalised occurrence of ``needle`` in ``text`` as original ``[start, end)`` offsets.

    ``whole_words`` keeps only matches that start and end on token boundaries (``سوريا`` is not
    found inside ``السورية``); ``allow_proclitics`` also accepts a match preceded inside its token
    by a proclitic chain, covering only the needle's part (``سوريا`` in ``وسوريا``). For many
    needles over one text use :class:`TextIndex`.

    >>> text = "في دِمَشْقَ وبدمشق"
    >>> find_all(text, "دمشق", allow_proclitics=True) == [(len("في "), len("في دِمَشْقَ")),
    ...     (len("في دِمَشْقَ وب"), len(text))]
    True
    """
    index = TextIndex(text)
    return index.find_all(needle, whole_words=whole_words, allow_proclitics=allow_proclitics)
