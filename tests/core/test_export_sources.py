"""What an export holds: human work by default, machine layers only when named, unfinished and
unlabelled articles only when asked for, and a card that says exactly what went in."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.errors import AnnotatorError, PermissionDenied
from annotator.exporting import ExportOptions, choose_layers, export_project
from annotator.importing import import_documents
from annotator.model import Document, make_span
from annotator.review.adjudication import Adjudicator
from annotator.team.members import acting_session, add_user

TEXT = "قصف صاروخي على حقل العمر في دير الزور."
FIELD = (len("قصف صاروخي على "), len("قصف صاروخي على حقل العمر"))
DEIR = (len("قصف صاروخي على حقل العمر في "), len("قصف صاروخي على حقل العمر في دير الزور"))


def _text(n: int) -> str:
    return TEXT + f" ({n})"


@pytest.fixture
def team(project):
    """Six articles, each with a different kind of work on it.

    a1: ali done, mona in progress, suggest:crf   -> ali
    a2: adjudicated gold (ali and mona done)       -> gold
    a3: nobody                                     -> left out (unlabelled)
    a4: suggest:crf only                           -> left out (machine layers only)
    a5: an imported layer, never touched since     -> import
    a6: mona in progress only                      -> left out (unfinished)
    """
    imported = Document("a5", _text(5), spans=(make_span(_text(5), *DEIR, "LOCATION", "import"),))
    import_documents(project, [Document(f"a{n}", _text(n)) for n in range(1, 5)] + [
        imported, Document("a6", _text(6))])
    admin = acting_session(project, "sara")
    add_user(admin, "sara", "admin")
    add_user(admin, "huda", "reviewer")
    ali, mona = project.session("ali"), project.session("mona")
    ali.add_span(1, *FIELD, "LOCATION")
    ali.set_state(1, "done")
    mona.add_span(1, *DEIR, "LOCATION")
    for session in (ali, mona):
        session.add_span(2, *DEIR, "LOCATION")
        session.set_state(2, "done")
    mona.add_span(6, *FIELD, "LOCATION")
    with project.store.transaction():
        for article_id in (1, 4):
            project.store.replace_layer_spans(
                article_id, "suggest:crf", [make_span(_text(article_id), *FIELD, "WEAPON")])
    judge = Adjudicator(project.session("huda"))
    assert not [item for item in judge.open_article(2) if item.open]  # agreement: auto-accepted
    return project


def _records(path: Path) -> dict[str, list[tuple[int, int, str, str]]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return {r["id"]: [(s["start"], s["end"], s["label"], s["annotator"]) for s in r["spans"]]
            for r in map(json.loads, lines)}


def test_default_export_is_human_work_only(team, tmp_path):
    out = tmp_path / "news.jsonl"
    result = export_project(team, out, ExportOptions())
    assert _records(out) == {
        "a1": [(*FIELD, "LOCATION", "ali")],
        "a2": [(*DEIR, "LOCATION", "gold")],
        "a5": [(*DEIR, "LOCATION", "import")],
    }
    assert result.articles == [("a1", "all", ("ali",)), ("a2", "all", ("gold",)),
                               ("a5", "all", ("import",))]
    assert result.left_out == {"unlabelled": 1, "machine layers only": 1, "unfinished": 1}
    card = json.loads((tmp_path / "news.card.json").read_text(encoding="utf-8"))
    assert card["layers"] == {"ali": 1, "gold": 1, "import": 1}
    assert [a["doc_id"] for a in card["articles"]] == ["a1", "a2", "a5"]
    assert card["spans_per_label"] == {"all": {"LOCATION": 3}}
    md = (tmp_path / "news.card.md").read_text(encoding="utf-8").splitlines()
    assert "- layers in: `ali` (1 articles), `gold` (1 articles), `import` (1 articles)" in md
    assert ("- left out: 1 articles machine layers only, 1 articles unfinished,"
            " 1 articles unlabelled") in md
    assert "| a2 | all | gold |" in md


def test_machine_layers_go_in_only_when_named(team, tmp_path):
    out = tmp_path / "crf.jsonl"
    result = export_project(team, out, ExportOptions(source="suggest:crf"))
    assert _records(out) == {"a1": [(*FIELD, "WEAPON", "suggest:crf")],
                             "a4": [(*FIELD, "WEAPON", "suggest:crf")]}
    assert result.left_out == {"without finished work of suggest:crf": 3, "unlabelled": 1}


def test_unfinished_and_unlabelled_articles_only_when_asked(team, tmp_path):
    out = tmp_path / "all.jsonl"
    export_project(team, out, ExportOptions(include_unfinished=True))
    assert _records(out) == {
        "a1": [(*FIELD, "LOCATION", "ali"), (*DEIR, "LOCATION", "mona")],
        "a2": [(*DEIR, "LOCATION", "gold")],
        "a3": [], "a4": [],
        "a5": [(*DEIR, "LOCATION", "import")],
        "a6": [(*FIELD, "LOCATION", "mona")],
    }


def test_a_named_human_layer_gives_its_finished_articles(team, tmp_path):
    out = tmp_path / "mona.jsonl"
    export_project(team, out, ExportOptions(source="mona"))
    assert _records(out) == {"a2": [(*DEIR, "LOCATION", "mona")]}
    # Unfinished: their in-progress work too; no all-O articles under named layers (an article
    # they did not touch may hold work they may not read, not a negative example of theirs).
    export_project(team, out, ExportOptions(source="ali,mona", include_unfinished=True))
    assert _records(out) == {
        "a1": [(*FIELD, "LOCATION", "ali"), (*DEIR, "LOCATION", "mona")],
        "a2": [(*DEIR, "LOCATION", "ali"), (*DEIR, "LOCATION", "mona")],
        "a6": [(*FIELD, "LOCATION", "mona")],
    }


def test_readable_layers_bound_every_choice(team):
    chosen = choose_layers(team, readable=["ali", "import"])
    assert [(a.article_id, a.layers) for a in chosen.articles] == [(1, ("ali",)), (2, ("ali",)),
                                                                   (5, ("import",))]
    with pytest.raises(PermissionDenied, match="may not read layer 'mona'"):
        choose_layers(team, "mona", readable=["ali"])
    with pytest.raises(AnnotatorError, match="no layer 'nobody'"):
        choose_layers(team, "nobody")


def test_nothing_to_export_says_why_and_what_to_do(project, tmp_path):
    import_documents(project, [Document("a1", TEXT)])
    with pytest.raises(AnnotatorError, match=r"nothing to export from source 'human': 1 unlabelled"
                       r" .*--include-unfinished"):
        export_project(project, tmp_path / "x.jsonl", ExportOptions())
    assert not (tmp_path / "x.jsonl").exists()
