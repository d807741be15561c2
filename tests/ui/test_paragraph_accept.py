"""`S` in the real desk: the annotator rejects a paragraph's wrong suggestions, then takes the
rest with one key (one undo step, provenance kept, overlaps decided by a fixed rule)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from annotator.importing import import_documents
from annotator.model import Document, make_span
from annotator.project import Project
from annotator.suggest.layers import ACCEPTED
from tests.ui.conftest import USER, make_project
from tests.ui.helpers import suggestion_desk

P1 = "وصل وزير الدفاع إلى دمشق صباح اليوم."
P2 = "والتقى الرئيس بشار الأسد في قصر الشعب بدمشق."
P3 = "ثم غادر إلى بيروت مساء."
TEXT = f"{P1}\n{P2}\n{P3}"
AT2, AT3 = len(P1) + 1, len(P1) + 1 + len(P2) + 1  # where the paragraphs start


def at(paragraph: int, before: str, word: str) -> tuple[int, int]:
    """``[start, end)`` of ``word`` after ``before`` in the paragraph starting at ``paragraph``."""
    return paragraph + len(before), paragraph + len(before) + len(word)


MINISTER = at(0, "وصل ", "وزير الدفاع")
DAMASCUS = at(0, "وصل وزير الدفاع إلى ", "دمشق")
TODAY = at(0, "وصل وزير الدفاع إلى دمشق صباح ", "اليوم")
BASHAR = at(AT2, "والتقى الرئيس ", "بشار الأسد")
ASSAD = at(AT2, "والتقى الرئيس بشار ", "الأسد")
PALACE = at(AT2, "والتقى الرئيس بشار الأسد في ", "قصر الشعب")
B_DAMASCUS = at(AT2, "والتقى الرئيس بشار الأسد في قصر الشعب ", "بدمشق")
DAMASCUS2 = at(AT2, "والتقى الرئيس بشار الأسد في قصر الشعب ب", "دمشق")
BEIRUT = at(AT3, "ثم غادر إلى ", "بيروت")
EVENING = at(AT3, "ثم غادر إلى بيروت ", "مساء")

SUGGESTED = {  # layer -> (range, label)
    "suggest:crf": [(MINISTER, "PERSON"), (TODAY, "DATE"), (BASHAR, "PERSON"), (PALACE, "LOCATION"),
                    (B_DAMASCUS, "LOCATION"), (EVENING, "DATE")],
    "suggest:gazetteer": [(DAMASCUS, "LOCATION"), (ASSAD, "PERSON"), (PALACE, "ORGANIZATION"),
                          (DAMASCUS2, "LOCATION"), (BEIRUT, "LOCATION")],
}


def visit_project(tmp_path: Path) -> Path:
    """The three paragraphs, both suggestion layers imported, «بيروت» already held."""
    path = make_project(tmp_path / "news.db", {"visit": TEXT})
    with Project.open(path) as project:
        for layer, spans in SUGGESTED.items():
            doc = Document("visit", TEXT, spans=tuple(make_span(TEXT, *r, label, layer) for r, label in spans))
            import_documents(project, [doc], as_annotator=layer)
        aid = project.store.article_id_by_doc_id("visit")
        project.session(USER).add_span(aid, *BEIRUT, "LOCATION")  # held before: never stored twice
    return path


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return visit_project(tmp_path)


@pytest.fixture
def desk(qtbot, path: Path):
    window = suggestion_desk(qtbot, path, "visit")
    window.view.setFocus()
    window.view.set_cursor_code_point(0)
    yield window
    window.close()


def mine(path: Path) -> list[tuple[tuple[int, int, str], str | None]]:
    """What the store holds in the user's layer: (start, end, label) and provenance."""
    with Project.open(path) as project:
        aid = project.store.article_id_by_doc_id("visit")
        return sorted((s.key, s.provenance) for s in project.session(USER).spans(aid))


def press(qtbot, desk, key: Qt.Key, mods=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(desk.view, key, mods)


def test_reject_the_wrong_one_then_s_takes_the_paragraph_and_moves_on(desk, qtbot, path: Path) -> None:
    held = [((*BEIRUT, "LOCATION"), "")]  # labelled by hand: no provenance
    press(qtbot, desk, Qt.Key.Key_Space)  # to the first suggestion
    assert desk.suggestions.current().key == (*MINISTER, "PERSON")
    press(qtbot, desk, Qt.Key.Key_Space)  # skip a right one
    press(qtbot, desk, Qt.Key.Key_Space)
    assert desk.suggestions.current().key == (*TODAY, "DATE")
    press(qtbot, desk, Qt.Key.Key_R)  # the wrong one
    # The cursor stays in the paragraph (back to its first pending suggestion), so S means it.
    assert desk.suggestions.current().key == (*MINISTER, "PERSON")
    press(qtbot, desk, Qt.Key.Key_S)
    first = [((*MINISTER, "PERSON"), ACCEPTED), ((*DAMASCUS, "LOCATION"), ACCEPTED)]
    assert mine(path) == sorted(first + held)
    assert desk.view.cursor_code_point() == BASHAR[0]  # the next paragraph with suggestions
    # Overlaps in paragraph 2: the earliest start, then the longest, then the schema's first
    # label (LOCATION is key 1, ORGANIZATION key 5): «بشار الأسد» over «الأسد», «بدمشق» over
    # «دمشق», «قصر الشعب» LOCATION over ORGANIZATION.
    press(qtbot, desk, Qt.Key.Key_S)
    second = [((*BASHAR, "PERSON"), ACCEPTED), ((*PALACE, "LOCATION"), ACCEPTED),
              ((*B_DAMASCUS, "LOCATION"), ACCEPTED)]
    assert mine(path) == sorted(first + second + held)
    assert [s.key for s in desk.suggestions.pending] == [(*EVENING, "DATE")]  # «بيروت»: held, hidden
    assert desk.view.cursor_code_point() == EVENING[0]
    press(qtbot, desk, Qt.Key.Key_S)
    assert mine(path) == sorted([*first, *second, ((*EVENING, "DATE"), ACCEPTED), *held])
    assert desk.suggestions.pending == []

    # One undo removes a whole paragraph's spans, and its suggestions come back.
    press(qtbot, desk, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    press(qtbot, desk, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert mine(path) == sorted(first + held)
    assert [s.key for s in desk.suggestions.pending] == [
        (*BASHAR, "PERSON"), (*ASSAD, "PERSON"), (*PALACE, "LOCATION"), (*PALACE, "ORGANIZATION"),
        (*B_DAMASCUS, "LOCATION"), (*DAMASCUS2, "LOCATION"), (*EVENING, "DATE")]
    press(qtbot, desk, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert mine(path) == held
    assert (*TODAY, "DATE") not in [s.key for s in desk.suggestions.pending]  # still rejected


def test_s_on_a_paragraph_without_suggestions_stores_nothing(desk, qtbot, path: Path) -> None:
    press(qtbot, desk, Qt.Key.Key_S)  # paragraph 1: take all three, the wrong one too
    assert len(mine(path)) == 4
    desk.view.set_cursor_code_point(len(P1) // 2)  # back in paragraph 1, nothing pending now
    press(qtbot, desk, Qt.Key.Key_S)
    assert len(mine(path)) == 4
    assert desk.controller.undo() and len(mine(path)) == 1


def test_s_is_a_label_key_when_the_schema_binds_it(qtbot, tmp_path: Path) -> None:
    import json

    labels = [{"name": name, "display_ar": name, "display_en": name, "color": "#8ecae6", "key": key,
               "description": name} for name, key in (("PERSON", "1"), ("LOCATION", "s"))]
    schema_path = tmp_path / "s.json"
    schema_path.write_text(json.dumps({"name": "s", "language": "ar", "labels": labels}), "utf-8")
    db = tmp_path / "s.db"
    with Project.create(db, schema_path) as project:
        doc = Document("visit", TEXT, spans=(make_span(TEXT, *MINISTER, "PERSON", "suggest:crf"),))
        import_documents(project, [doc], as_annotator="suggest:crf")
        import_documents(project, [Document("visit", TEXT)])
    window = suggestion_desk(qtbot, db, "visit")
    window.view.setFocus()
    window.view.set_cursor_code_point(DAMASCUS[0])
    qtbot.keyClick(window.view, Qt.Key.Key_S)  # no selection: the label key does nothing here
    assert len(window.suggestions.pending) == 1 and window.session.spans(window.controller.article_id) == []
    window.close()


def test_space_leaves_the_span_just_labelled_for_the_next_suggestion(desk, qtbot, path: Path) -> None:
    press(qtbot, desk, Qt.Key.Key_Left, Qt.KeyboardModifier.ControlModifier)  # «وصل», forward in Arabic
    press(qtbot, desk, Qt.Key.Key_6)  # DATE, say
    assert desk.view.selected_span.key == (0, len("وصل"), "DATE")
    press(qtbot, desk, Qt.Key.Key_Space)
    assert desk.view.selected_span is None
    assert desk.suggestions.current().key == (*MINISTER, "PERSON")
    press(qtbot, desk, Qt.Key.Key_S)  # and the paragraph's keys work again
    assert ((*MINISTER, "PERSON"), ACCEPTED) in mine(path)
