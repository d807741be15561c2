"""What a selection stores: snapping to words, exact ranges, word moves, clitic cuts."""

from __future__ import annotations

import pytest

from annotator.model import Span
from annotator.project import Project
from annotator.text.clitics import clitic_cuts, cycle_clitic
from annotator.text.snap import exact_range, move_edge, next_word, previous_word, snap_to_tokens
from tests.core.conftest import ARTICLE_TEXT

TEXT = "قالت منظمة دوينغ بيزنيس (doing business) إن النسبة 137.2 %، وزار 1257 سائح بالمنستير، أمس."


def at(part: str, text: str = TEXT) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


@pytest.mark.parametrize("touched, stored", [
    ("(doing business)", "doing business"),  # brackets under the hand are dropped
    ("ing busi", "doing business"),  # half words grow
    ("137.2 %،", "137.2 %"),  # a unit sign stays, the comma goes
    ("7 سا", "1257 سائح"),
    ("بالمنستير، ", "بالمنستير"),
    ("، أمس.", "أمس"),
])
def test_snapped_spans_start_and_end_on_words(touched, stored):
    assert snap_to_tokens(TEXT, *at(touched)) == at(stored)


def test_a_selection_of_punctuation_only_snaps_to_nothing():
    assert snap_to_tokens(TEXT, *at("، ")) is None
    assert snap_to_tokens(TEXT, *at("(")) is None


def test_exact_ranges_drop_blanks_and_keep_a_letters_marks():
    assert exact_range(TEXT, *at(" سائح ")) == at("سائح")
    assert exact_range("\u200fدمشق\u200e ", 0, 6) == (1, 5)  # RLM/LRM are invisible
    text = "دِمَشْقَ"
    assert exact_range(text, 0, len("دِمَشْ") + 1) == (0, len(text))  # ق keeps its fatha
    assert exact_range(" \u200f ", 0, 3) is None


def test_word_moves_skip_punctuation():
    assert next_word(TEXT, at("بالمنستير")[1]) == at("أمس")
    assert previous_word(TEXT, at("أمس")[0]) == at("بالمنستير")
    assert next_word(TEXT, at("business")[1]) == at("إن")
    assert next_word(TEXT, len(TEXT)) is None and previous_word(TEXT, 0) is None


def test_word_moves_look_beyond_the_window():
    text = "أ" + " ،" * 1000 + " دمشق"
    assert next_word(text, 1) == (len(text) - 4, len(text))
    assert previous_word(text, len(text) - 4) == (0, 1)


def test_moving_either_edge_by_one_word():
    start, end = at("وزار 1257")
    assert move_edge(TEXT, start, end, "end", +1) == at("وزار 1257 سائح")
    assert move_edge(TEXT, start, end, "end", -1) == at("وزار")
    assert move_edge(TEXT, start, end, "start", +1) == at("1257")
    assert move_edge(TEXT, start, end, "start", -1) == (at("137.2")[0], end)  # moves skip "%" too
    one = at("سائح")
    assert move_edge(TEXT, *one, "end", -1) == one and move_edge(TEXT, *one, "start", +1) == one


@pytest.mark.parametrize("word, cuts", [
    ("بتونس", [0, 1]), ("والعراق", [0, 1, 3]), ("فللمدينة", [0, 1, 2]), ("كالأسد", [0, 1, 3]),
    ("بالمنستير", [0, 1, 3]), ("دمشق", [0]), ("بلد", [0, 1]), ("وب", [0]), ("", [0]),
])
def test_clitic_cuts(word, cuts):
    assert clitic_cuts(word) == cuts


def test_cycling_a_clitic_comes_back_to_the_whole_word():
    seen, offset = [], 0
    for _ in range(4):
        offset = cycle_clitic("وبالمدينة", offset)
        seen.append("وبالمدينة"[offset:])
    assert seen == ["بالمدينة", "المدينة", "مدينة", "وبالمدينة"]


def test_replace_span_is_one_undo_step_and_survives_reopening(project, db_path, article_id):
    session = project.session("mona")
    start, end = at("سوريـا", ARTICLE_TEXT)
    first = session.add_span(article_id, start - 3, end, "LOCATION")  # "في سوريـا"
    moved = session.replace_span(article_id, first.id, start, end)
    assert [(s.start, s.end, s.text) for s in session.spans(article_id)] == [(start, end, "سوريـا")]
    assert moved.label == "LOCATION"
    project.close()
    with Project.open(db_path) as reopened:
        again = reopened.session("mona")
        assert again.undo(article_id)
        assert [(s.start, s.end) for s in again.spans(article_id)] == [(start - 3, end)]
        assert again.redo(article_id)
        assert [(s.start, s.end) for s in again.spans(article_id)] == [(start, end)]


def test_a_reshaped_accepted_suggestion_stays_an_accepted_suggestion(project, article_id):
    """The clitic key (replace_span) changes bounds, not where the span came from."""
    session = project.session("mona")
    start, end = at("سوريـا", ARTICLE_TEXT)
    suggestion = Span(start - 3, end, "LOCATION", ARTICLE_TEXT[start - 3:end], "suggest:gazetteer")
    accepted = session.accept_suggestion(article_id, suggestion)
    assert accepted.provenance == "accepted suggestion"
    moved = session.replace_span(article_id, accepted.id, start, end)
    assert moved.provenance == "accepted suggestion"
    assert [(s.start, s.end, s.provenance) for s in session.spans(article_id)] == [
        (start, end, "accepted suggestion")]
