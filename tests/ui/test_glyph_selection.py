"""Selection in mixed-direction text, pressed where a hand presses: inside the glyphs.

Each drag starts 1.5 px inside the outer edge of the first glyph and ends 1.5 px inside the outer
edge of the last one (boxes from the text layout and the font, tests/ui/helpers.py), in both
directions, over a Latin run, a number with ``%``/``،``, and a number next to an Arabic word:
exactly where Qt's ``cursorForPosition`` maps one pixel to two logical positions.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.ui.conftest import USER, make_project
from tests.ui.helpers import drag_glyphs, drag_points, glyph_box, glyph_point, open_doc, press
from ui.app import build_window

LATIN = "وقالت منظمة دوينغ بيزنيس (doing business) التي تصدر تقريرها كل عام."
NUMBERS = "وبلغت نسبة النمو 137.2 %، بحسب الوزارة."
TOURISTS = "وزار المدينة 1257 سائح بالمنستير، أمس."
TEXTS = {"latin": LATIN, "numbers": NUMBERS, "tourists": TOURISTS}
ALT = Qt.KeyboardModifier.AltModifier


def at(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


@pytest.fixture
def mixed_desk(qtbot, tmp_path):
    window = build_window(make_project(tmp_path / "mixed.db", TEXTS), USER)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.close()


def stored(window, aid):
    return [(s.start, s.end, s.text) for s in window.session.spans(aid)]


CASES = [  # (doc, what the hand drags over, what is stored snapped, what is stored with Alt)
    ("latin", "doing business", "doing business", "doing business"),
    ("numbers", "137.2 %", "137.2 %", "137.2 %"),
    ("tourists", "1257 سائح", "1257 سائح", "1257 سائح"),
    ("tourists", "بالمنستير", "بالمنستير", "بالمنستير"),
]


@pytest.mark.parametrize("backwards", [False, True], ids=["forwards", "backwards"])
@pytest.mark.parametrize("doc, dragged, snapped, exact", CASES, ids=[c[1] for c in CASES])
def test_a_drag_between_outer_glyph_edges_stores_what_was_dragged(
        qtbot, mixed_desk, doc, dragged, snapped, exact, backwards):
    aid = open_doc(mixed_desk, doc)
    view, text = mixed_desk.view, TEXTS[doc]
    drag_glyphs(qtbot, view, *at(text, dragged), backwards=backwards)
    assert view.selected_range() == at(text, snapped)  # shown before any key: what will be stored
    press(qtbot, view, Qt.Key.Key_8)
    assert stored(mixed_desk, aid) == [(*at(text, snapped), snapped)]
    press(qtbot, view, Qt.Key.Key_Delete)
    drag_glyphs(qtbot, view, *at(text, dragged), backwards=backwards, modifier=ALT)
    assert view.selected_range() == at(text, exact)
    press(qtbot, view, Qt.Key.Key_8, ALT)
    assert stored(mixed_desk, aid) == [(*at(text, exact), exact)]


@pytest.mark.parametrize("inset", [1.0, 2.0])
def test_from_the_visual_right_edge_of_a_number_into_the_next_word(qtbot, mixed_desk, inset):
    """The issue's «1257 سائح»: the number's visual right edge is its LAST digit; snapped, the
    whole number and the word are stored (the old code stored "7 سائح")."""
    aid = open_doc(mixed_desk, "tourists")
    view = mixed_desk.view
    seven = TOURISTS.index("1257") + 3
    ha = TOURISTS.index("سائح") + 3
    assert glyph_box(view, seven).center().x() > glyph_box(view, seven - 3).center().x()  # LTR run
    drag_points(qtbot, view, glyph_point(view, seven, "right", inset), glyph_point(view, ha, "left", inset))
    press(qtbot, view, Qt.Key.Key_8)
    assert stored(mixed_desk, aid) == [(*at(TOURISTS, "1257 سائح"), "1257 سائح")]


def test_punctuation_under_the_hand_never_ends_a_snapped_span(qtbot, mixed_desk):
    aid = open_doc(mixed_desk, "latin")
    view = mixed_desk.view
    drag_glyphs(qtbot, view, *at(LATIN, "(doing business)"))
    press(qtbot, view, Qt.Key.Key_5)
    assert stored(mixed_desk, aid) == [(*at(LATIN, "doing business"), "doing business")]


def test_an_exact_selection_ending_in_a_space_stores_without_it(qtbot, mixed_desk):
    aid = open_doc(mixed_desk, "tourists")
    view = mixed_desk.view
    drag_glyphs(qtbot, view, *at(TOURISTS, "سائح "), modifier=ALT)
    press(qtbot, view, Qt.Key.Key_4, ALT)
    assert stored(mixed_desk, aid) == [(*at(TOURISTS, "سائح"), "سائح")]


def test_the_highlight_is_drawn_on_every_visual_piece_of_the_range_and_nowhere_else(qtbot, mixed_desk):
    """«business) التي» is one logical range but two visual pieces, with "doing" between them."""
    open_doc(mixed_desk, "latin")
    view = mixed_desk.view
    start, end = at(LATIN, "business) التي")
    drag_glyphs(qtbot, view, start, end, modifier=ALT)
    assert view.selected_range() == (start, end)
    image = view.viewport().grab().toImage()
    highlight = view.palette().color(view.palette().ColorRole.Highlight).name()

    def painted(cp: int) -> bool:
        box = glyph_box(view, cp)
        return image.pixelColor(int(box.center().x()), int(box.top()) + 2).name() == highlight

    inside = [cp for cp in range(start, end) if not LATIN[cp].isspace()]
    outside = [LATIN.index("doing") + k for k in range(5)] + [LATIN.index("(")]
    assert [cp for cp in inside if not painted(cp)] == []
    assert [cp for cp in outside if painted(cp)] == []


X_CASES = [  # (doc, dragged, backwards, Alt held): the cases, with real X events
    ("latin", "doing business", False, False), ("latin", "doing business", True, False),
    ("latin", "doing business", False, True), ("numbers", "137.2 %", False, False),
    ("numbers", "137.2 %", True, True), ("tourists", "1257 سائح", False, False),
    ("tourists", "1257 سائح", True, True),
]


@pytest.mark.xvfb
def test_real_x_drags_select_what_the_hand_dragged_over(tmp_path):
    """The same drags, as X pointer events under Xvfb (xdotool), not synthesised Qt events."""
    import json
    import os
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    if shutil.which("xvfb-run") is None or shutil.which("xdotool") is None:
        pytest.skip("xvfb-run or xdotool is not installed (Debian: xvfb xauth xdotool)")
    repo = Path(__file__).resolve().parents[2]
    project = make_project(tmp_path / "x.db", TEXTS)
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY")}
    env["PYTHONPATH"] = str(repo)
    done = subprocess.run(
        ["xvfb-run", "-a", "-s", "-screen 0 1400x900x24", sys.executable,
         str(repo / "tests" / "ui" / "select_xvfb_child.py"), str(project), USER],
        capture_output=True, text=True, timeout=120, env=env, cwd=repo,
    )
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout.strip().splitlines()[-1])["results"]
    assert [(doc, part, tuple(got or ())) for doc, part, _, _, got in results] == [
        (doc, part, at(TEXTS[doc], part)) for doc, part, _, _ in X_CASES]


@pytest.mark.parametrize("doc, part", [("latin", "(doing business)"), ("numbers", "137.2 %،")])
def test_shift_arrows_in_exact_mode_move_one_character_in_reading_order(qtbot, mixed_desk, doc, part):
    """Snapping off (Ctrl+T), Shift+← grows the selection by the NEXT character in the text, also
    inside a Latin or digit run. Qt's default (the document's LogicalMoveStyle) does this, here
    and under Xvfb; with VisualMoveStyle the first press jumps to the run's other end (measured:
    (25, 39) for (25, 26)), which is what this test would catch."""
    aid = open_doc(mixed_desk, doc)
    view, text = mixed_desk.view, TEXTS[doc]
    mixed_desk.activateWindow()
    qtbot.waitUntil(mixed_desk.isActiveWindow)
    press(qtbot, view, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert view.selector.snap is False
    start, end = at(text, part)
    view.set_cursor_code_point(start)
    for n in range(1, len(part) + 1):
        press(qtbot, view, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)  # forward in Arabic
        assert view.selected_range() == (start, start + n), text[start:start + n]
    press(qtbot, view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)  # one back
    assert view.selected_range() == (start, end - 1)
    press(qtbot, view, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    press(qtbot, view, Qt.Key.Key_8)
    assert stored(mixed_desk, aid) == [(start, end, part)]
