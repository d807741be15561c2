"""Suggestion layers in a project: pending, accept/reject with undo, training data, uncertainty order."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.formats.conll import read_conll
from annotator.importing import import_documents
from annotator.model import Document, make_span
from annotator.project import Project
from annotator.suggest.active import article_uncertainty, uncertainty_order, unlabelled_articles
from annotator.suggest.crf import Options
from annotator.suggest.layers import (
    ACCEPTED,
    pending_suggestions,
    register_suggestion_layer,
    suggestion_layers,
    training_layers,
)
from annotator.suggest.pipeline import load_model, train_project

TEXT = "قصف في دير الزور وسوريا اليوم"
DEIR = (len("قصف في "), len("قصف في دير الزور"))
SYRIA = (len("قصف في دير الزور و"), len("قصف في دير الزور وسوريا"))


@pytest.fixture
def project(tmp_path: Path):
    with Project.create(tmp_path / "news.db") as proj:
        doc = Document("a1", TEXT, spans=(
            make_span(TEXT, *DEIR, "LOCATION", "suggest:crf"),
            make_span(TEXT, *SYRIA, "LOCATION", "suggest:crf"),
            make_span(TEXT, *SYRIA, "LOCATION", "model-x"),
            make_span(TEXT, len("قصف في "), len("قصف في دير"), "PERSON", "suggest:gazetteer"),
        ))
        import_documents(proj, [doc])
        yield proj


def keys(spans) -> list[tuple[int, int, str]]:
    return [s.key for s in spans]


def test_layers_by_prefix_and_registration(project: Project) -> None:
    assert suggestion_layers(project.store) == ["model-x", "suggest:crf", "suggest:gazetteer"]
    text = "وصل الوفد"
    import_documents(project, [Document("a2", text, spans=(make_span(text, 0, 3, "EVENT", "ext"),))])
    assert "ext" not in suggestion_layers(project.store)
    register_suggestion_layer(project.store, "ext")
    assert "ext" in suggestion_layers(project.store)


def test_pending_dedupes_layers_and_hides_accepted_rejected_and_overlapping(project: Project) -> None:
    aid = project.store.article_id_by_doc_id("a1")
    pending = pending_suggestions(project.store, aid, "mona")
    # The model-x copy of SYRIA is kept (first layer by name), suggest:crf's copy hidden.
    assert [(s.key, s.annotator) for s in pending] == [
        ((*DEIR, "LOCATION"), "suggest:crf"),
        ((len("قصف في "), len("قصف في دير"), "PERSON"), "suggest:gazetteer"),
        ((*SYRIA, "LOCATION"), "model-x"),
    ]
    session = project.session("mona")
    accepted = session.accept_suggestion(aid, pending[0])
    assert (accepted.annotator, accepted.provenance, accepted.key) == ("mona", ACCEPTED, (*DEIR, "LOCATION"))
    assert session.state(aid) == "in_progress"
    # Accepting دير الزور hides the overlapping PERSON suggestion too.
    assert keys(pending_suggestions(project.store, aid, "mona")) == [(*SYRIA, "LOCATION")]
    session.reject_suggestion(aid, pending[2])
    assert pending_suggestions(project.store, aid, "mona") == []
    assert keys(pending_suggestions(project.store, aid, "ali")) == keys(pending)  # per user
    assert [(u, s.key, s.annotator) for _, u, s in project.store.rejections(aid)] == [
        ("mona", (*SYRIA, "LOCATION"), "model-x")
    ]
    assert session.undo(aid)  # the rejection
    assert project.store.rejections(aid) == []
    assert session.undo(aid)  # the acceptance
    assert session.spans(aid) == []
    assert keys(pending_suggestions(project.store, aid, "mona")) == keys(pending)
    assert session.redo(aid) and session.redo(aid)
    assert keys(session.spans(aid)) == [(*DEIR, "LOCATION")]
    assert len(project.store.rejections(aid, "mona")) == 1


def test_accept_all_is_one_undo_step_and_skips_overlaps(project: Project) -> None:
    aid = project.store.article_id_by_doc_id("a1")
    session = project.session("mona")
    saved = session.accept_all_suggestions(aid, pending_suggestions(project.store, aid, "mona"))
    # PERSON [دير) overlaps LOCATION [دير الزور): the longer one, first in text order, wins.
    assert keys(saved) == [(*DEIR, "LOCATION"), (*SYRIA, "LOCATION")]
    assert all(s.provenance == ACCEPTED for s in session.spans(aid))
    assert session.undo(aid) and session.spans(aid) == []
    assert not session.can_undo(aid)


def test_accept_all_never_stores_a_suggestion_over_a_held_span_and_ties_go_to_the_schema_order(
        project: Project) -> None:
    aid = project.store.article_id_by_doc_id("a1")
    session = project.session("mona")
    session.add_span(aid, *SYRIA, "LOCATION")
    # Passed directly (the desk's pending list would hide it): still not stored twice.
    over = make_span(TEXT, *SYRIA, "LOCATION", "suggest:crf")
    both = [make_span(TEXT, *DEIR, label, "suggest:crf") for label in ("ORGANIZATION", "LOCATION")]
    saved = session.accept_all_suggestions(aid, [over, *both])
    assert keys(saved) == [(*DEIR, "LOCATION")]  # LOCATION is the news schema's first label
    assert keys(session.spans(aid)) == [(*DEIR, "LOCATION"), (*SYRIA, "LOCATION")]


def test_accept_paragraph_takes_only_the_suggestions_starting_in_it(tmp_path: Path) -> None:
    first, second = "قصف في دير الزور.", "ووصل الوفد إلى سوريا."
    text = f"{first}\n{second}"
    deir = (len("قصف في "), len("قصف في دير الزور"))
    syria = (len(f"{first}\nووصل الوفد إلى "), len(text) - 1)
    with Project.create(tmp_path / "p.db") as proj:
        doc = Document("p", text, spans=(make_span(text, *deir, "LOCATION", "suggest:crf"),
                                         make_span(text, *syria, "LOCATION", "suggest:crf")))
        import_documents(proj, [doc])
        aid = proj.store.article_id_by_doc_id("p")
        session = proj.session("mona")
        # The cursor at the end of the first line: the first paragraph only.
        assert keys(session.accept_paragraph_suggestions(aid, len(first))) == [(*deir, "LOCATION")]
        assert keys(session.spans(aid)) == [(*deir, "LOCATION")]
        assert keys(session.accept_paragraph_suggestions(aid, len(text))) == [(*syria, "LOCATION")]
        assert session.accept_paragraph_suggestions(aid, 0) == []  # nothing left there
        assert session.undo(aid) and keys(session.spans(aid)) == [(*deir, "LOCATION")]


def test_training_layers_prefer_gold_then_done_then_most_spans(project: Project) -> None:
    store = project.store
    aid = store.article_id_by_doc_id("a1")
    assert training_layers(store) == {}  # only suggestion layers so far
    project.session("ali").add_span(aid, *DEIR, "LOCATION")
    mona = project.session("mona")
    mona.add_span(aid, *DEIR, "LOCATION")
    mona.add_span(aid, *SYRIA, "LOCATION")
    assert training_layers(store) == {aid: "mona"}
    project.session("ali").set_state(aid, "done")
    assert training_layers(store) == {aid: "ali"}
    text = "خبر بلا أسماء"
    import_documents(project, [Document("a2", text)])
    a2 = store.article_id_by_doc_id("a2")
    assert unlabelled_articles(project) == [a2]
    project.session("ali").set_state(a2, "in_progress")  # worked on, no spans: all O
    assert training_layers(store) == {aid: "ali", a2: "ali"}
    assert unlabelled_articles(project) == []


def test_uncertainty_order_puts_unfamiliar_text_first(fixtures_dir: Path, tmp_path: Path) -> None:
    pytest.importorskip("pycrfsuite")
    docs = list(read_conll(fixtures_dir / "aqmar_suggest.conll"))
    with Project.create(tmp_path / "al.db") as project:
        import_documents(project, docs[:2], as_annotator="aqmar", new_labels="add")
        familiar = Document("familiar", docs[0].text.split("\n")[0])  # a sentence it trained on
        novel = Document("novel", "انطلقت صافرات الإنذار وهرعت سيارات الإسعاف إلى الحقل النفطي")
        import_documents(project, [familiar, novel, Document("other", docs[3].text)])
        ids = {d: project.store.article_id_by_doc_id(d) for d in ("familiar", "novel", "other")}
        assert uncertainty_order(project) == sorted(ids.values())  # no model yet: id order
        train_project(project, folds=0, options=Options(max_iterations=50))
        model = load_model(project)
        order = uncertainty_order(project, model)
        assert sorted(order) == sorted(ids.values())
        scores = [article_uncertainty(model, project.store.article(a).text) for a in order]
        assert scores == sorted(scores, reverse=True)
        assert order.index(ids["familiar"]) > order.index(ids["other"])
        assert uncertainty_order(project, model, articles=[ids["familiar"]]) == [ids["familiar"]]
