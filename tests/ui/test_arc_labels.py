"""The label placement's geometry alone (ui/desk/arc_labels.py): lanes over the line, the gap
nearest the arc, nothing on the text, None when nothing near is free."""

from __future__ import annotations

from ui.desk.arc_labels import lanes, overlaps, place

LINE = (0.0, 30.0, 600.0, 65.0)  # one full line of text under a 30 px band


def test_lanes_stack_upwards_from_just_over_the_line():
    assert lanes(100.0, 20.0) == [78.0, 56.0, 34.0, 12.0]
    assert lanes(30.0, 23.0) == [5.0]
    assert lanes(20.0, 23.0) == []  # no room over the first line without a margin


def test_a_label_goes_in_the_band_at_its_arc_and_beside_one_already_there():
    first = place((300.0, 40.0), (40.0, 23.0), 30.0, [LINE], [], 600.0, 100.0)
    assert first == (280.0, 5.0, 320.0, 28.0)
    second = place((300.0, 40.0), (40.0, 23.0), 30.0, [LINE], [first], 600.0, 100.0)
    assert second is not None and not overlaps(second, first) and not overlaps(second, LINE)
    assert abs((second[0] + second[2]) / 2 - 300.0) <= 100.0
    assert second[0] in (322.0, 238.0)  # the nearest side, 2 px apart


def test_no_free_place_near_enough_is_none():
    taken = [(0.0, 0.0, 600.0, 29.0)]  # the band is full
    assert place((300.0, 40.0), (40.0, 23.0), 30.0, [LINE], taken, 600.0, 1e9) is None
    lower = (0.0, 65.0, 200.0, 100.0)  # a short second line: its end is free, but far
    assert place((100.0, 90.0), (40.0, 23.0), 100.0, [LINE, lower], taken, 600.0, 50.0) is None
    found = place((100.0, 90.0), (40.0, 23.0), 100.0, [LINE, lower], taken, 600.0, 1e9)
    assert found == (202.0, 75.0, 242.0, 98.0)  # the lane just over the line, past its end
