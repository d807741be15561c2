"""Which spans cover which piece of which block: the highlighter's index, kept per block.

Built once per article (O(spans)); a block's paint segments are computed when Qt asks for that
block, so a 5,000-span article costs one pass at open and a handful of segments per repaint.
Knowing each span's blocks is also what lets one changed span re-highlight only its blocks.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from annotator.model import Span
from ui.offsets import QtText

Fragment = tuple[int, int, Span]
"""``(local_u16_start, local_u16_end, span)`` inside one block."""


def span_identity(span: Span) -> tuple[object, ...]:
    """What makes a span look different on screen (a relabel changes it, a no-op does not)."""
    return (span.id, span.start, span.end, span.label, span.annotator)


class SpanLayout:
    """Spans of one article indexed by Qt block."""

    def __init__(self, qt_text: QtText, spans: Iterable[Span] = ()) -> None:
        self.qt_text = qt_text
        self._by_block: dict[int, list[Fragment]] = defaultdict(list)
        self._spans: dict[tuple[object, ...], Span] = {}
        for span in spans:
            self._add(span)

    @property
    def spans(self) -> list[Span]:
        return list(self._spans.values())

    def _add(self, span: Span) -> None:
        self._spans[span_identity(span)] = span
        for block, lo, hi in self.qt_text.block_fragments(span.start, span.end):
            self._by_block[block].append((lo, hi, span))

    def _remove(self, span: Span) -> None:
        del self._spans[span_identity(span)]
        for block in self.qt_text.blocks_of(span.start, span.end):
            frags = [f for f in self._by_block.get(block, ()) if f[2] is not span]
            self._by_block[block] = frags

    def replace(self, spans: Sequence[Span]) -> set[int]:
        """Make the layout hold ``spans``; returns the blocks whose painting changed."""
        new = {span_identity(s): s for s in spans}
        changed: set[int] = set()
        for key in [k for k in self._spans if k not in new]:
            span = self._spans[key]
            changed.update(self.qt_text.blocks_of(span.start, span.end))
            self._remove(span)
        for key, span in new.items():
            if key not in self._spans:
                changed.update(self.qt_text.blocks_of(span.start, span.end))
                self._add(span)
        return changed

    def fragments(self, block: int) -> list[Fragment]:
        return self._by_block.get(block, [])

    def segments(self, block: int) -> list[tuple[int, int, tuple[Span, ...]]]:
        """Paint segments of ``block``: ``(lo, hi, covering spans outermost first)``.

        Outermost = longest; the innermost one gives the background, the outer one the underline,
        so a nested or overlapping span stays visible.

        >>> from annotator.model import make_span
        >>> text = "في وزارة الدفاع"
        >>> outer = make_span(text, len("في "), len(text), "ORGANIZATION")
        >>> inner = make_span(text, len("في وزارة "), len(text), "EVENT")
        >>> [(lo, hi, [s.label for s in c]) for lo, hi, c in SpanLayout(QtText(text), [outer, inner]).segments(0)]
        [(3, 9, ['ORGANIZATION']), (9, 15, ['ORGANIZATION', 'EVENT'])]
        """
        frags = self._by_block.get(block)
        if not frags:
            return []
        starts = sorted(frags, key=lambda f: f[0])
        # Fast path, the common case: no two spans of the block overlap, so each fragment is
        # its own segment. Qt calls this for every block when an article opens (5,000 spans:
        # ~3x faster than the sweep below, bench/bench_desk.py).
        end = -1
        for lo, hi, _ in starts:
            if lo < end:
                break
            end = hi
        else:
            return [(lo, hi, (span,)) for lo, hi, span in starts]
        # Sweep over the cut points with the set of open spans: O(k log k) even for one long
        # paragraph holding thousands of spans.
        cuts = sorted({x for lo, hi, _ in frags for x in (lo, hi)})
        out: list[tuple[int, int, tuple[Span, ...]]] = []
        active: dict[int, Fragment] = {}
        i = 0
        for lo, hi in zip(cuts, cuts[1:]):
            while i < len(starts) and starts[i][0] <= lo:
                active[id(starts[i])] = starts[i]
                i += 1
            for key in [k for k, f in active.items() if f[1] <= lo]:
                del active[key]
            if active:
                covering = sorted(
                    (f[2] for f in active.values()),
                    key=lambda s: (-(s.end - s.start), s.start, s.label),
                )
                out.append((lo, hi, tuple(covering)))
        return out

    def spans_at(self, cp: int) -> list[Span]:
        """Spans covering code point ``cp``, innermost (shortest) first."""
        block = self.qt_text.block_of(cp)
        found = {id(s): s for _, _, s in self.fragments(block) if s.start <= cp < s.end}
        return sorted(found.values(), key=lambda s: (s.end - s.start, s.start))
