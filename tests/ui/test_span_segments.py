"""Paint segments of a block: the disjoint fast path and the overlap sweep, in exact UTF-16."""

from __future__ import annotations

from annotator.model import make_span
from ui.desk.span_layout import SpanLayout
from ui.offsets import QtText

TEXT = "😀 قال مراسل سبوتنيك في دمشق\nثم غادر"


def labels(segments):  # noqa: ANN001, ANN201
    return [(lo, hi, [s.label for s in covering]) for lo, hi, covering in segments]


def test_disjoint_and_touching_spans_are_one_segment_each_in_utf16():
    a = len("😀 قال ")
    b = len("😀 قال مراسل ")
    c = b + len("سبوتنيك")
    spans = [make_span(TEXT, b, c, "ORGANIZATION"), make_span(TEXT, a, b - 1, "PERSON"),
             make_span(TEXT, c, c + len(" في"), "LOCATION")]
    got = labels(SpanLayout(QtText(TEXT), spans).segments(0))
    # UTF-16 positions are one more than code points after the emoji.
    assert got == [(a + 1, b, ["PERSON"]), (b + 1, c + 1, ["ORGANIZATION"]),
                   (c + 1, c + 1 + len(" في"), ["LOCATION"])]


def test_overlapping_spans_go_through_the_sweep():
    start = len("😀 قال ")
    outer = make_span(TEXT, start, len("😀 قال مراسل سبوتنيك"), "ORGANIZATION")
    inner = make_span(TEXT, len("😀 قال مراسل "), len("😀 قال مراسل سبوتنيك"), "PERSON")
    got = labels(SpanLayout(QtText(TEXT), [inner, outer]).segments(0))
    cut = len("😀 قال مراسل ") + 1
    assert got == [(start + 1, cut, ["ORGANIZATION"]),
                   (cut, outer.end + 1, ["ORGANIZATION", "PERSON"])]


def test_a_span_across_a_line_break_has_one_fragment_per_block():
    start = len("😀 قال مراسل سبوتنيك في ")
    span = make_span(TEXT, start, len("😀 قال مراسل سبوتنيك في دمشق\nثم"), "LOCATION")
    layout = SpanLayout(QtText(TEXT), [span])
    assert labels(layout.segments(0)) == [(start + 1, len("😀 قال مراسل سبوتنيك في دمشق") + 1,
                                           ["LOCATION"])]
    assert labels(layout.segments(1)) == [(0, len("ثم"), ["LOCATION"])]
