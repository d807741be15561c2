"""Imports: idempotent by content, layers with --as, all-or-nothing on bad input."""

from __future__ import annotations

import pytest

from annotator.errors import InputError, SchemaError
from annotator.importing import import_documents
from annotator.model import Document, make_span

TEXT = "قال مرصد مينا إن صاروخاً سقط في دير الزور."


def _doc(doc_id="d1", text=TEXT, spans=()):
    return Document(doc_id, text, "عنوان", tuple(spans))


def _counts(project):
    return project.store.count("articles"), project.store.count("spans")


def test_reimport_is_a_noop_and_as_adds_a_layer(project):
    span = make_span(TEXT, len("قال "), len("قال مرصد مينا"), "SOURCE")
    first = import_documents(project, [_doc(spans=[span])])
    assert (first.articles_added, first.spans_added) == (1, 1)
    again = import_documents(project, [_doc(spans=[span])])
    assert (again.articles_added, again.articles_existing, again.spans_added) == (0, 1, 0)
    layered = import_documents(project, [_doc(spans=[span])], as_annotator="model-x")
    assert layered.spans_added == 1
    assert project.store.annotators() == ["import", "model-x"]


def test_same_id_different_text_gets_a_new_id(project):
    import_documents(project, [_doc()])
    report = import_documents(project, [_doc(text=TEXT + " تحديث")])
    assert report.articles_added == 1 and "d1~2" in report.notes[0]


def test_unknown_labels_refused_listing_them_and_nothing_written(project):
    import_documents(project, [_doc("keep", "نص موجود")])
    before = _counts(project)
    spans = [make_span(TEXT, 0, 3, "VERB"), make_span(TEXT, 4, 8, "NOUN")]
    with pytest.raises(SchemaError, match="NOUN, VERB"):
        import_documents(project, [_doc(spans=spans)])
    assert _counts(project) == before


def test_unknown_labels_added_on_request(project):
    spans = [make_span(TEXT, 0, 3, "VERB")]
    report = import_documents(project, [_doc(spans=spans)], new_labels="add")
    assert report.labels_added == ["VERB"] and "VERB" in project.schema.names


def test_error_in_a_later_document_rolls_back_earlier_ones(project):
    before = _counts(project)

    def documents():
        yield _doc("ok", "نص أول")
        raise InputError("malformed JSON", "in.jsonl", 2)

    with pytest.raises(InputError, match="in.jsonl:2"):
        import_documents(project, documents())
    assert _counts(project) == before


def test_empty_text_is_refused(project):
    with pytest.raises(InputError, match="no text"):
        import_documents(project, [_doc(text="  \n ")])
