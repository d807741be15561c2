"""What a selection stores: snapping to whole words, exact ranges, moves by word.

The desk shows, before a label key is pressed, exactly the characters that will be stored; so
these rules are applied while the hand drags or the keys move, and they live here (pure, no Qt)
so the review desk, the desk and the tests share them. Offsets are code points, ``[start, end)``.

* **Snapped** (the default): the selection grows to the whole tokens it touches (a half word is
  almost always a slip of the hand over shaped Arabic), then drops tokens at either end that are
  not words: punctuation and brackets never start or end a span (``بالمنستير،`` stores
  ``بالمنستير``). A unit sign is a word here (``137.2 %``), since quantities keep it.
* **Exact** (Alt): the characters under the hand, without the whitespace or invisible bidi marks
  at either end, and never cutting a letter from its diacritics.
* **Moves**: the keyboard goes from word to word, skipping punctuation, and grows or shrinks a
  selection by one word at either end.
"""

from __future__ import annotations

import unicodedata

from annotator.model import Token
from annotator.text.chars import FORMAT, code_points
from annotator.text.tokenize import tokenize

WINDOW = 256
"""Code points of context tokenized around a position: the cost is the same in a 200,000-
character article as in a tweet."""

UNIT_SIGNS = frozenset("%٪‰؉؊‱")
"""Signs that belong to the number before them (``137.2 %``): kept at a span's edge."""

_INVISIBLE = frozenset(map(chr, code_points(FORMAT)))


def is_word(token_text: str) -> bool:
    """True when a token may start or end a snapped span: it holds a letter or a digit, or is a
    unit or currency sign.

    >>> [is_word(t) for t in ("بالمنستير", "137.2", "%", "،", "(", "$")]
    [True, True, True, False, False, True]
    """
    return any(
        ch.isalnum() or ch in UNIT_SIGNS or unicodedata.category(ch) == "Sc" for ch in token_text
    )


def tokens_near(text: str, start: int, end: int, pad: int = WINDOW) -> list[Token]:
    """Tokens of ``text`` around ``[start, end)`` (offsets into the whole text).

    The window edges move to whitespace so that no token is cut by them.
    """
    lo = max(0, start - pad)
    hi = min(len(text), end + pad)
    while lo > 0 and not text[lo - 1].isspace():
        lo -= 1
    while hi < len(text) and not text[hi].isspace():
        hi += 1
    return [Token(t.text, t.start + lo, t.end + lo) for t in tokenize(text[lo:hi])]


def snap_to_tokens(text: str, start: int, end: int) -> tuple[int, int] | None:
    """``[start, end)`` grown to the whole tokens it touches, then trimmed to words; None when
    it touches no word.

    >>> text = "قال وزير الدفاع"
    >>> snap_to_tokens(text, len("قال وز"), len("قال وزير الد"))
    (4, 15)
    >>> text = "زار 1257 سائح بالمنستير، أمس"
    >>> text[slice(*snap_to_tokens(text, len("زار 1257 سائح بالم"), len(text) - len(" أمس")))]
    'بالمنستير'
    """
    words = [
        t for t in tokens_near(text, start, end) if t.start < end and t.end > start and is_word(t.text)
    ]
    if not words:
        return None
    return words[0].start, words[-1].end


def exact_range(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The exact characters ``[start, end)`` without whitespace or invisible marks at either end,
    and with the combining marks that follow the last letter; None when nothing visible is left.

    >>> exact_range("إلى دِمَشْقَ  ", len("إلى "), len("إلى دِمَشْ") + 2)
    (4, 12)
    """
    while start < end and _blank(text[start]):
        start += 1
    while end > start and _blank(text[end - 1]):
        end -= 1
    if start == end:
        return None
    while end < len(text) and unicodedata.combining(text[end]):
        end += 1
    return start, end


def _blank(ch: str) -> bool:
    return ch.isspace() or ch in _INVISIBLE


def _movable(token_text: str) -> bool:
    """A token the keyboard stops on: letters or digits (not a lone ``%``)."""
    return any(ch.isalnum() for ch in token_text)


def next_word(text: str, cp: int) -> tuple[int, int] | None:
    """The first word token (letters or digits) starting at or after ``cp``; None at the end.

    >>> text = "قال، في دمشق"
    >>> text[slice(*next_word(text, len("قال")))]
    'في'
    """
    pad = WINDOW
    while True:
        found = [t for t in tokens_near(text, cp, cp, pad) if t.start >= cp and _movable(t.text)]
        if found:
            return found[0].start, found[0].end
        if cp + pad >= len(text):
            return None
        pad *= 4


def previous_word(text: str, cp: int) -> tuple[int, int] | None:
    """The last word token (letters or digits) ending at or before ``cp``; None at the start.

    >>> text = "قال، في دمشق"
    >>> text[slice(*previous_word(text, len("قال، ")))]
    'قال'
    """
    pad = WINDOW
    while True:
        found = [t for t in tokens_near(text, cp, cp, pad) if t.end <= cp and _movable(t.text)]
        if found:
            return found[-1].start, found[-1].end
        if cp - pad <= 0:
            return None
        pad *= 4


def move_edge(text: str, start: int, end: int, edge: str, step: int) -> tuple[int, int]:
    """``[start, end)`` with one edge moved by one word: ``edge`` is ``"start"`` or ``"end"``,
    ``step`` +1 (later in the text) or -1 (earlier). A move that would leave no word, or go
    past the text, returns the range unchanged.

    >>> text = "زار وزير الدفاع دمشق"
    >>> move_edge(text, 4, 8, "end", +1), move_edge(text, 4, 15, "start", +1)
    ((4, 15), (9, 15))
    """
    if edge == "end" and step > 0:
        nxt = next_word(text, end)
        return (start, nxt[1]) if nxt else (start, end)
    if edge == "start" and step < 0:
        prev = previous_word(text, start)
        return (prev[0], end) if prev else (start, end)
    inside = [
        t for t in tokens_near(text, start, end) if start <= t.start and t.end <= end and _movable(t.text)
    ]
    if len(inside) < 2:
        return start, end
    if edge == "end":
        return start, inside[-2].end
    return inside[1].start, end
