"""The CRF's confidence threshold: tuned by cross-validation on the training articles, stored as
a setting, and applied, so suggestions that would cost more than they save are not shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.formats.conll import read_conll
from annotator.importing import import_documents
from annotator.model import Document
from annotator.project import Project
from annotator.suggest.confidence import SETTING, best_threshold
from annotator.suggest.gazetteer import Gazetteer

pytest.importorskip("pycrfsuite")


def test_best_threshold_keeps_what_saves_time() -> None:
    # Right ones save 1.8 s, wrong ones cost 1.63 s: the cut falls where the sum peaks.
    assert best_threshold([(0.9, True), (0.8, True), (0.5, False), (0.4, True), (0.3, False)]) == 0.4
    assert best_threshold([(0.9, True), (0.6, False), (0.5, False), (0.4, True)]) == 0.9
    assert best_threshold([(0.7, False)]) == 1.0  # nothing worth showing
    assert best_threshold([]) == 1.0


def test_training_stores_the_tuned_threshold_and_applying_honours_it(tmp_path: Path, fixtures_dir: Path) -> None:
    from annotator.suggest.crf import Options
    from annotator.suggest.pipeline import apply_suggestions, load_model, train_project

    docs = list(read_conll(fixtures_dir / "aqmar_suggest.conll"))
    with Project.create(tmp_path / "news.db") as project:
        import_documents(project, docs[:3], as_annotator="aqmar", new_labels="add")
        import_documents(project, [Document("held", docs[3].text)])
        report = train_project(project, folds=3, options=Options(max_iterations=30))
        assert report.validation is not None
        tuned = report.validation.threshold
        assert 0.0 < tuned <= 1.0
        assert project.store.get_meta(SETTING) == str(tuned)
        aid = project.store.article_id_by_doc_id("held")
        model = load_model(project)
        scored = model.predict_scored(docs[3].text)
        assert all(0.0 < p <= 1.0 for _, p in scored) and len({p for _, p in scored}) > 1
        cut = sorted(p for _, p in scored)[len(scored) // 2]
        with project.store.transaction():
            project.store.set_meta(SETTING, str(cut))
        apply_suggestions(project, [aid], sources=("crf",))
        shown = [s.key for s in project.store.spans(aid, ["suggest:crf"])]
        assert shown == [s.key for s, p in scored if p >= cut] and len(shown) < len(scored)
        # Retraining without folds (the desk's online retraining) keeps the setting.
        train_project(project, folds=0, options=Options(max_iterations=30))
        assert project.store.get_meta(SETTING) == str(cut)


def test_a_rejected_name_loses_a_vote() -> None:
    gaz = Gazetteer([("LOCATION", "تونس"), ("LOCATION", "تونس"), ("LOCATION", "دير الزور")])
    gaz.discount("LOCATION", "تونس")
    assert [s.text for s in gaz.match("من تونس إلى دير الزور")] == ["تونس", "دير الزور"]
    gaz.discount("LOCATION", "تونس")
    assert [s.text for s in gaz.match("من تونس إلى دير الزور")] == ["دير الزور"]
    gaz.discount("LOCATION", "دير الزور")
    assert gaz.match("من تونس إلى دير الزور") == [] and len(gaz) == 0


def test_names_too_often_unlabelled_in_the_labelled_articles_are_pruned() -> None:
    from annotator.model import make_span
    from annotator.suggest.confidence import prune_names
    from annotator.suggest.crf import Example

    text = "قال الأمل إن تونس بخير، والأمل كبير في الأمل وتونس."
    hope, tunis = text.index("الأمل"), text.index("تونس")
    tunis2 = text.rindex("تونس")
    spans = (make_span(text, hope, hope + 5, "ORGANIZATION", "mona"),
             make_span(text, tunis, tunis + 4, "LOCATION", "mona"),
             make_span(text, tunis2, tunis2 + 4, "LOCATION", "mona"))
    gaz = Gazetteer([("ORGANIZATION", "الأمل"), ("LOCATION", "تونس")])
    assert len(gaz.match(text)) == 5
    # «الأمل»: right once in three (1 x 1.8 s saved < 2 x 1.63 s lost); «تونس»: twice in two.
    assert prune_names(gaz, [Example(1, text, spans)]) == 1
    assert [(s.start, s.text) for s in gaz.match(text)] == [(tunis, "تونس"), (tunis2, "تونس")]


def test_a_nearly_right_suggestion_counts_as_worth_accepting() -> None:
    from annotator.model import make_span
    from annotator.suggest.confidence import worth_accepting

    text = "وصل إلى وبتونس أمس"
    wab = text.index("وبتونس")
    gold = [make_span(text, wab, wab + 6, "LOCATION", "mona")]
    assert worth_accepting(make_span(text, wab, wab + 6, "PERSON", "s"), gold)  # the label key fixes it
    assert worth_accepting(make_span(text, wab + 2, wab + 6, "LOCATION", "s"), gold)  # '-' puts وب back
    assert not worth_accepting(make_span(text, wab + 2, wab + 6, "PERSON", "s"), gold)
    assert not worth_accepting(make_span(text, 0, 3, "LOCATION", "s"), gold)
