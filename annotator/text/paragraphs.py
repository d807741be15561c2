"""Paragraphs of an article: the blocks the desk shows, and what one accept-all key takes.

A paragraph is the text between two block breaks, the same breaks the desk's text view makes
blocks of (``ui/offsets.py``): ``\\n``, a lone ``\\r`` (``\\r\\n`` gives an empty paragraph
between its two characters, which holds nothing), U+2029 and Qt's U+FDD0/U+FDD1. Sentence-per-line
corpora (CoNLL imports such as AQMAR) thus get one paragraph per sentence. U+2028 is a line break
inside a paragraph, as in Qt.
"""

from __future__ import annotations

BREAKS = "\n\r\u2029\ufdd0\ufdd1"


def paragraph_at(text: str, at: int) -> tuple[int, int]:
    """``[start, end)`` (code points, breaks excluded) of the paragraph holding position ``at``.

    A position ON a break is the end of the paragraph before it, as a cursor at the end of a
    line is in that line.

    >>> text = "دمشق عاصمة.\\nبيروت ميناء."
    >>> paragraph_at(text, 0), paragraph_at(text, len("دمشق عاصمة.")), paragraph_at(text, len(text))
    ((0, 11), (0, 11), (12, 24))
    """
    at = max(0, min(at, len(text)))
    start = max(text.rfind(c, 0, at) for c in BREAKS) + 1
    ends = [i for i in (text.find(c, at) for c in BREAKS) if i >= 0]
    return start, min(ends, default=len(text))
