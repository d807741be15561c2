"""One span (de)serialiser for both undo histories (issue 13): the desk's and the review desk's."""

from __future__ import annotations

import pytest

from annotator.model import GOLD, Span, span_from_dict, span_to_dict

TEXT = "قصف في دمشق"
DAMASCUS = Span(len("قصف في "), len(TEXT), "LOCATION", "دمشق", "ali", 7, "accepted suggestion")


def test_a_span_round_trips_with_its_layer_id_and_provenance():
    data = span_to_dict(DAMASCUS)
    assert data == {"id": 7, "start": len("قصف في "), "end": len(TEXT), "label": "LOCATION",
                    "text": "دمشق", "annotator": "ali", "provenance": "accepted suggestion"}
    assert span_from_dict(data) == DAMASCUS


def test_a_review_history_row_written_without_a_layer_loads_as_gold():
    # What adjudication's own _dump wrote before the two serialisers became one.
    old = {"id": 3, "start": 0, "end": len("قصف"), "label": "EVENT", "text": "قصف", "provenance": "{}"}
    assert span_from_dict(old, GOLD) == Span(0, len("قصف"), "EVENT", "قصف", GOLD, 3, "{}")


def test_the_desk_history_needs_the_layer():
    with pytest.raises(KeyError):
        span_from_dict({"id": 1, "start": 0, "end": 1, "label": "X", "text": "ق"})
