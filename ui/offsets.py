"""Qt positions <-> stored code points: the ONE place in ``ui/`` where the two units meet.

Stored offsets are Python code points, half-open ``[start, end)``. A ``QTextDocument`` counts
UTF-16 code units (an emoji is two), and ``QSyntaxHighlighter.setFormat`` wants UTF-16 offsets
*local to a block* while ``highlightBlock`` hands us a Python ``str``. Every widget converts
through :class:`QtText`; nothing else in ``ui/`` does offset arithmetic.

Two further traps are handled here so that "one code point == one Qt position outside the
astral plane" holds exactly:

* Qt turns ``"\\r\\n"`` into ONE block break. :func:`display_text` shows ``"\\r\\n"`` as
  ``" \\n"`` and a lone ``"\\r"`` as ``"\\n"`` — same length, so offsets stay aligned (imported
  text is normalised anyway; this only guards old or foreign stores).
* Block separators (``\\n``, U+2029, U+FDD0, U+FDD1) each take one position in Qt, as in Python.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from PySide6.QtGui import QTextCursor

from annotator.text.offsets import Utf16Map

_BLOCK_BREAK = re.compile("[\n\u2029\ufdd0\ufdd1]")


def display_text(text: str) -> str:
    r"""The text given to Qt: ``text`` with ``\r`` made harmless, never reshaped, same length.

    >>> display_text("a\r\nb\rc") == "a \nb\nc"
    True
    """
    if "\r" not in text:
        return text
    return text.replace("\r\n", " \n").replace("\r", "\n")


class QtText:
    """One article's text as Qt shows it, with the converters between the two units.

    Build it once per article (O(n)); every conversion is then O(log n).

    >>> t = QtText("😀 سوريا\\nدمشق")
    >>> t.to_qt(len("😀 ")), t.to_cp(3), t.block_of(len("😀 سوريا\\n"))
    (3, 2, 1)
    """

    __slots__ = ("stored", "display", "_u16", "_block_starts")

    def __init__(self, text: str) -> None:
        self.stored = text
        self.display = display_text(text)
        self._u16 = Utf16Map(text)
        self._block_starts = [0] + [m.end() for m in _BLOCK_BREAK.finditer(self.display)]

    def __len__(self) -> int:
        return len(self.stored)

    # -- unit conversion ---------------------------------------------------------------------
    def to_qt(self, cp: int) -> int:
        """Qt document position (UTF-16) of code point ``cp``."""
        return self._u16.to_utf16(cp)

    def to_cp(self, pos: int, *, round_up: bool = False) -> int:
        """Code point of Qt position ``pos``; inside a surrogate pair rounds down (or up)."""
        return min(self._u16.to_code_point(pos, round_up=round_up), len(self.stored))

    # -- blocks --------------------------------------------------------------------------------
    @property
    def block_count(self) -> int:
        return len(self._block_starts)

    def block_of(self, cp: int) -> int:
        """Number of the Qt block holding code point ``cp`` (a break belongs to the block before)."""
        return bisect_right(self._block_starts, cp) - 1

    def block_start(self, block: int) -> int:
        """Code point where ``block`` starts."""
        return self._block_starts[block]

    def block_fragments(self, start: int, end: int) -> list[tuple[int, int, int]]:
        """Pieces of code-point range ``[start, end)`` per block, as Qt's highlighter wants them.

        Returns ``(block, local_start, local_end)`` with UTF-16 offsets relative to the block's
        first position; a block break inside the range is dropped (Qt cannot format it).

        >>> QtText("ab\\n😀cd").block_fragments(1, 6)
        [(0, 1, 2), (1, 0, 4)]
        """
        out: list[tuple[int, int, int]] = []
        first, last = self.block_of(start), self.block_of(max(start, end - 1))
        if first == last:  # the common case, taken 5,000 times when a big article opens
            base = self.to_qt(self._block_starts[first])
            hi = min(end, self._block_end(first))
            return [(first, self.to_qt(start) - base, self.to_qt(hi) - base)] if hi > start else []
        for block in range(first, last + 1):
            b_start = self._block_starts[block]
            lo, hi = max(start, b_start), min(end, self._block_end(block))
            if hi > lo:
                base = self.to_qt(b_start)
                out.append((block, self.to_qt(lo) - base, self.to_qt(hi) - base))
        return out

    def _block_end(self, block: int) -> int:
        """Code point where ``block``'s text ends (its break, or the end of the text)."""
        if block + 1 < len(self._block_starts):
            return self._block_starts[block + 1] - 1
        return len(self.stored)

    def blocks_of(self, start: int, end: int) -> range:
        """Blocks touched by ``[start, end)``: what must be re-highlighted when it changes."""
        return range(self.block_of(start), self.block_of(max(start, end - 1)) + 1)

    # -- cursors ------------------------------------------------------------------------------
    def cursor_range(self, cursor: QTextCursor) -> tuple[int, int]:
        """A cursor's selection as a code-point range ``[start, end)`` (may be empty).

        The end rounds up so that a selection ending inside an emoji keeps the whole emoji.
        """
        start = self.to_cp(cursor.selectionStart())
        end = self.to_cp(cursor.selectionEnd(), round_up=True)
        return start, max(start, end)

    def cursor_cp(self, cursor: QTextCursor) -> int:
        """Code point of the cursor's position (its moving end)."""
        return self.to_cp(cursor.position())

    def select(self, cursor: QTextCursor, start: int, end: int) -> QTextCursor:
        """Make ``cursor`` select code points ``[start, end)``; returns it for chaining."""
        cursor.setPosition(self.to_qt(start))
        cursor.setPosition(self.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        return cursor

    def place(self, cursor: QTextCursor, cp: int) -> QTextCursor:
        """Move ``cursor`` (no selection) to code point ``cp``."""
        cursor.setPosition(self.to_qt(min(max(cp, 0), len(self.stored))))
        return cursor
