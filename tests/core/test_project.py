"""Labelling use cases through Session: exact offsets stored, undo/redo persisted, queue."""

from __future__ import annotations

import pytest

from annotator.errors import PermissionDenied, ProjectError, SchemaError, SpanError
from annotator.project import Project

from .conftest import ARTICLE_TEXT

SPUTNIK_START = len("😀 أفادت وكالة “")
SPUTNIK_END = SPUTNIK_START + len("سبوتنيك")


def test_add_span_stores_code_point_offsets_and_text(project, article_id):
    session = project.session("mona")
    span = session.add_span(article_id, SPUTNIK_START, SPUTNIK_END, "SOURCE")
    assert (span.start, span.end, span.text, span.annotator) == (SPUTNIK_START, SPUTNIK_END, "سبوتنيك", "mona")
    assert session.spans(article_id) == [span]


def test_span_across_line_break_with_tatweel(project, article_id):
    start = ARTICLE_TEXT.index("العمر")
    end = ARTICLE_TEXT.index("سوريـا") + len("سوريـا")
    span = project.session("mona").add_span(article_id, start, end, "LOCATION")
    assert span.text == "العمر\nفي سوريـا"


def test_rejects_unknown_label_out_of_range_and_duplicates(project, article_id):
    session = project.session("mona")
    with pytest.raises(SchemaError):
        session.add_span(article_id, 0, 1, "NOPE")
    with pytest.raises(SpanError):
        session.add_span(article_id, 5, len(ARTICLE_TEXT) + 1, "DATE")
    with pytest.raises(SpanError):
        session.add_span(article_id, 5, 5, "DATE")
    session.add_span(article_id, 2, 7, "EVENT")
    with pytest.raises(SpanError):
        session.add_span(article_id, 2, 7, "EVENT")
    assert len(session.spans(article_id)) == 1


def test_layers_are_per_annotator(project, article_id):
    project.session("ali").add_span(article_id, 2, 7, "EVENT")
    assert project.session("mona").spans(article_id) == []


def test_cannot_edit_another_annotators_span(project, article_id):
    span = project.session("ali").add_span(article_id, 2, 7, "EVENT")
    with pytest.raises(PermissionDenied):
        project.session("mona").remove_span(article_id, span.id)


def test_undo_redo_survive_reopening(project, db_path, article_id):
    session = project.session("mona")
    first = session.add_span(article_id, SPUTNIK_START, SPUTNIK_END, "SOURCE")
    session.relabel_span(article_id, first.id, "ORGANIZATION")
    session.remove_span(article_id, first.id)
    project.close()
    with Project.open(db_path) as reopened:
        again = reopened.session("mona")
        assert again.spans(article_id) == []
        assert again.undo(article_id)  # the removal
        assert [s.label for s in again.spans(article_id)] == ["ORGANIZATION"]
        assert again.undo(article_id)  # the relabel
        assert [s.label for s in again.spans(article_id)] == ["SOURCE"]
        assert again.undo(article_id)  # the add
        assert again.spans(article_id) == [] and not again.can_undo(article_id)
        assert again.redo(article_id) and again.redo(article_id)
        assert [(s.id, s.label) for s in again.spans(article_id)] == [(first.id, "ORGANIZATION")]
        # A new action drops the redo branch.
        again.add_span(article_id, 2, 7, "EVENT")
        assert not again.can_redo(article_id)


def test_add_spans_is_one_undo_step(project, article_id):
    session = project.session("mona")
    session.add_spans(article_id, [(2, 7), (8, 13)], "EVENT")
    assert len(session.spans(article_id)) == 2
    session.undo(article_id)
    assert session.spans(article_id) == []


def test_queue_state_search_and_position(project, article_id):
    session = project.session("mona")
    assert [r.state for r in session.queue()] == ["new"]
    session.add_span(article_id, 2, 7, "EVENT")
    row = session.queue()[0]
    assert (row.state, row.span_count) == ("in_progress", 1)
    # Search folds alef forms and diacritics: "افادت" finds "أفادت".
    assert session.queue_count(search="افادت") == 1
    assert session.queue_count(search="غائب") == 0
    assert session.queue_count(label="EVENT") == 1
    assert session.queue_count(label="DATE") == 0
    session.set_state(article_id, "done")
    assert session.queue_count(state="done") == 1
    assert session.next_article(article_id) is None
    session.save_position(article_id, 42)
    assert session.last_position() == (article_id, 42)


def test_create_refuses_to_overwrite(db_path, project):
    with pytest.raises(ProjectError):
        Project.create(db_path)


def test_open_refuses_other_sqlite_files(tmp_path):
    import sqlite3

    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(ProjectError, match="not an annotator project"):
        Project.open(other)
    with pytest.raises(ProjectError, match="no such project"):
        Project.open(tmp_path / "missing.db")


def test_open_refuses_newer_layout(db_path, project):
    project.store.db.execute("PRAGMA user_version = 99")
    project.close()
    with pytest.raises(ProjectError, match="newer annotator"):
        Project.open(db_path)
