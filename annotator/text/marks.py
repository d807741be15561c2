"""Invisible bidi and format marks: stripped from token columns, kept off span ends.

Text exported from right-to-left editors carries LRM/RLM (U+200E/F), ALM (U+061C), the
embeddings and overrides LRE..RLO (U+202A-U+202E) and the isolates (U+2066-U+2069), plus
zero-width spaces, word joiners, BOMs and soft hyphens. They are invisible, so ``\\u200eفرانكفورت``
and ``فرانكفورت`` look alike but would be two different training tokens, and a span starting on
one starts on nothing the annotator can see.

Two places deal with them:

* A **token column** (CoNLL) is data about a word, not stored running text, so the marks are
  removed from it (:func:`strip_marks`), and the import says how many.
* An **article's text** is stored exactly as read and never rewritten, so there the marks stay;
  instead a span's ends are moved inwards off them (:func:`trim_marks`). The tokenizer already
  never lets them into a token (:data:`annotator.text.chars.FORMAT`).

ZWNJ and ZWJ are *not* here: they join or separate letters (Persian ``می‌شود``, emoji sequences)
and so belong to the word they are in.
"""

from __future__ import annotations

import re

from annotator.text.chars import code_points

MARKS = "\u00ad\u061c\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff"
"""Regex class body of the invisible marks a token or a span end never holds."""

_MARKS = re.compile(f"[{MARKS}]")
_MARK_SET = frozenset(chr(c) for c in code_points(MARKS))  # per-span checks: no regex call


def strip_marks(token: str) -> tuple[str, int]:
    """``token`` without marks, and how many were removed.

    >>> strip_marks("\\u200eفرانكفورت\\u200f")
    ('فرانكفورت', 2)
    >>> strip_marks("می\\u200cشود")
    ('می\\u200cشود', 0)
    """
    stripped, count = _MARKS.subn("", token)
    return stripped, count


has_marks = _MARKS.search
"""``has_marks(token)`` is truthy when ``token`` holds a mark (a regex search: cheap per token)."""


def trim_marks(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` of ``text`` moved inwards off marks at either end (code points).

    Returns ``(start, start)`` when the range holds nothing but marks, and an invalid range
    (outside the text, empty, reversed) unchanged, for the caller's check to refuse.

    >>> text = "في \\u200fدمشق\\u200e اليوم"
    >>> trim_marks(text, len("في "), len("في \\u200fدمشق\\u200e"))
    (4, 8)
    """
    if not 0 <= start < end <= len(text):
        return start, end
    while start < end and text[start] in _MARK_SET:
        start += 1
    while end > start and text[end - 1] in _MARK_SET:
        end -= 1
    return start, end


def is_mark(char: str) -> bool:
    """Whether ``char`` is one of :data:`MARKS`.

    >>> is_mark("\\u200e"), is_mark("\\u200c")
    (True, False)
    """
    return char in _MARK_SET
