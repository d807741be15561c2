"""Where an arc's label goes: in a free place of the band over its line, never on the text.

Why a module of its own: a trigger with many arguments on one line puts many labels over a
few words, and a label laid on a word takes the click meant for that word (the user then
selects the arc instead of the span). So a label is placed in *lanes*: horizontal bands
stacked upwards from just over the highest line the arc touches (the first of them is the
document's top margin over the first line, which the desk reserves for this, or the leading
between lines), and within a lane in the gap nearest the place the arc would put it (its
middle; a role's near its filler). Obstacles are the text lines in view (their whole height:
a press anywhere on a line means a glyph of it) and the labels already placed. When the full
name finds no gap near its arc it is elided (the tooltip keeps the whole name); only when even
that fails anywhere in view does a label go where the arc puts it, marked ``over_text`` so a
press on a glyph under it still reaches the text.

Pure geometry on ``(left, top, right, bottom)`` tuples: no Qt call in the search (it runs per
label per layout, and a Qt call from Python costs a microsecond each).
"""

from __future__ import annotations

from collections.abc import Sequence

Rect = tuple[float, float, float, float]
"""``(left, top, right, bottom)`` in viewport pixels."""

GAP = 2.0  # px between a label and what it must not touch


def overlaps(a: Rect, b: Rect) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def lanes(line_top: float, height: float) -> list[float]:
    """Tops of the lanes over a line whose top is ``line_top``, nearest first, down to 0."""
    out, top = [], line_top - GAP - height
    while top >= 0:
        out.append(top)
        top -= height + GAP
    return out


def _nearest_x(want: float, width: float, top: float, height: float, obstacles: Sequence[Rect],
               left: float, right: float) -> float | None:
    """The left edge nearest ``want`` of a ``width``-wide gap in the lane ``[top, top+height)``."""
    blocked = sorted((o[0] - GAP, o[2] + GAP) for o in obstacles if o[1] < top + height and top < o[3])
    gaps, start = [], left
    for a, b in blocked:
        if a > start:
            gaps.append((start, a))
        start = max(start, b)
    if start < right:
        gaps.append((start, right))
    best: float | None = None
    for a, b in gaps:
        if b - a < width:
            continue
        x = min(max(want, a), b - width)
        if best is None or abs(x - want) < abs(best - want):
            best = x
    return best


def place(want: tuple[float, float], size: tuple[float, float], line_top: float, text: Sequence[Rect],
          labels: Sequence[Rect], view_width: float, reach: float) -> Rect | None:
    """The free rect of ``size`` nearest ``want`` (its centre) in the lanes over ``line_top``,
    at most ``reach`` px aside; None when no lane has room that near."""
    width, height = size
    obstacles = [*text, *labels]
    for top in lanes(line_top, height):
        x = _nearest_x(want[0] - width / 2, width, top, height, obstacles, 0.0, view_width)
        if x is not None and abs(x + width / 2 - want[0]) <= reach:
            return (x, top, x + width, top + height)
    return None
