"""Attacks on the session's gate that the role table does not reach: history, names, identity.

Each test is an attack tried as a hostile (or careless) annotator on today's core, written so it
fails where the attack used to work; docs/reliability.md lists each with its outcome.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli import cli
from annotator.errors import PermissionDenied
from annotator.importing import import_documents
from annotator.model import Document, Span
from annotator.project import Project
from annotator.suggest.pipeline import apply_suggestions
from annotator.team import members as teams
from tests.core.team_kit import DAMASCUS, SUNDAY, aid, label_a1, make_team_project


@pytest.fixture
def team(tmp_path: Path) -> Iterator[Project]:
    with make_team_project(tmp_path / "news.db") as project:
        teams.assign(project.session("sara"), ["ali", "mona"], 2, seed=1)
        yield project


def _keys(project: Project, user: str) -> list[tuple[int, int, str]]:
    return sorted(s.key for s in project.store.spans(aid(project, "a1"), [user]))


def test_undo_never_reaches_a_colleagues_span_that_reused_an_id(team: Project) -> None:
    """ali's history names span ids; the admin's label merge removed his duplicate (the top id),
    mona's next span got that id, and ali's Ctrl+Z relabelled and then deleted HER span."""
    a1 = aid(team, "a1")
    ali, mona = team.session("ali"), team.session("mona")
    ali.add_span(a1, *DAMASCUS, "LOCATION")
    slip = ali.add_span(a1, *DAMASCUS, "DATE")  # the same name twice, a slip
    ali.relabel_span(a1, slip.id, "EVENT")  # type: ignore[arg-type]
    teams.merge_label(team.session("sara"), "EVENT", "LOCATION")  # the duplicate leaves
    hers = mona.add_span(a1, *SUNDAY, "DATE")
    assert hers.id == slip.id  # SQLite reused the id: the premise of the attack
    assert ali.undo(a1) and ali.undo(a1)  # the relabel, then the add
    assert _keys(team, "mona") == [(*SUNDAY, "DATE")]
    assert _keys(team, "ali") == [(*DAMASCUS, "LOCATION")]


def test_redo_restores_her_own_span_when_its_id_was_taken(team: Project) -> None:
    """Undo an add, a colleague takes the freed id, redo: ali's span comes back under a new id
    (before: UNIQUE constraint failed, a traceback in the desk)."""
    a1 = aid(team, "a1")
    ali, mona = team.session("ali"), team.session("mona")
    mine = ali.add_span(a1, *DAMASCUS, "LOCATION")
    assert ali.undo(a1)
    hers = mona.add_span(a1, *SUNDAY, "DATE")
    assert hers.id == mine.id
    assert ali.redo(a1)
    assert _keys(team, "ali") == [(*DAMASCUS, "LOCATION")]
    assert _keys(team, "mona") == [(*SUNDAY, "DATE")]
    assert ali.undo(a1)  # and undoing it again removes his span only
    assert _keys(team, "ali") == [] and _keys(team, "mona") == [(*SUNDAY, "DATE")]


# --- names that are not a person's -------------------------------------------------------------


def test_claiming_a_suggestion_layers_name_does_not_read_it(tmp_path: Path) -> None:
    """``--as suggest:gazetteer``: the session's own layer is readable, so the shared suggestions
    built from mona's spans and gold were exported to ali (an unregistered name is an annotator)."""
    db = tmp_path / "news.db"
    with make_team_project(db) as project:
        label_a1(project)
        apply_suggestions(project, sources=["gazetteer"], session=project.session("sara"))
        assert project.store.spans(aid(project, "a1"), ["suggest:gazetteer"])
    out = tmp_path / "out.jsonl"
    for name in ("suggest:gazetteer", "model-x", "suggest:gazetteer/sara"):
        result = CliRunner().invoke(
            cli, ["export", str(db), "-o", str(out), "--source", name, "--as", name],
            env={"ANNOTATOR_USER": "ali"})
        assert result.exit_code == 2, result.output
        assert result.stderr == f"annotator: error: {name!r} is not a valid user name" + (
            " (a '/' in it)\n" if "/" in name else " (a suggestion layer's)\n")
        assert not out.exists()


LOOKALIKES = ["Gold", " gold", "GOLD", "gold\u200f", "mona\u200f", "mona ", "\u200emona", "mo\x00na"]


@pytest.mark.parametrize("name", LOOKALIKES)
def test_names_that_pass_for_gold_or_a_colleague_are_not_users(team: Project, name: str) -> None:
    """Registered (or merely claimed), ``gold\u200f`` owned a layer that prints as gold, and
    ``mona\u200f`` one that prints as mona, in every lane, table and export."""
    with pytest.raises(PermissionDenied, match="is not a valid user name"):
        teams.add_user(team.session("sara"), name, "reviewer")
    with pytest.raises(PermissionDenied, match="is not a valid user name"):
        team.session(name)
    with pytest.raises(PermissionDenied, match="is not a valid user name"):
        teams.assign(team.session("sara"), [name], 1, seed=1)
    assert name not in dict(team.store.users())
    record = Document("n1", "خبر", "t", (Span(0, 3, "EVENT", "خبر"),))
    with pytest.raises(PermissionDenied, match="is not a valid layer name"):  # a reviewer's import
        import_documents(team, [record], as_annotator=name, session=team.session("huda"))
    assert name not in team.store.annotators()


# --- attacks the gate refused already (kept as tests so they stay refused) -----------------------


@pytest.fixture
def labelled(tmp_path: Path) -> Iterator[Project]:
    """The team with ali's and mona's spans on a1, gold, and sara's shared gazetteer layer."""
    with make_team_project(tmp_path / "news.db") as project:
        a1 = label_a1(project)
        from annotator.review.adjudication import Adjudicator

        Adjudicator(project.session("huda")).accept_agreements(a1)
        apply_suggestions(project, sources=["gazetteer"], session=project.session("sara"))
        yield project


def _cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), env={"ANNOTATOR_USER": "ali"})
    return result.exit_code, result.output


@pytest.mark.parametrize(
    "source", ["Gold", " gold", "gold\u200f", "MONA", "mona ", "suggest:gazetteer/sara", "import"])
def test_export_sources_spelled_like_a_readable_layer_are_refused(
    labelled: Project, tmp_path: Path, source: str
) -> None:
    out = tmp_path / "out.jsonl"
    code, output = _cli("export", str(labelled.path), "-o", str(out), "--source", source)
    assert code == 2 and output == (
        f"annotator: error: ali is annotator in a blind project: may not read layer {source!r}"
        " (only their own, 'ali')\n")
    assert not out.exists()


LS_TASK = {"data": {"text": "زار وزير الدفاع دمشق يوم الأحد"}, "annotations": [
    {"annotator": "mona", "result": [{"type": "labels", "from_name": "label", "to_name": "text",
                                      "value": {"start": 0, "end": 3, "labels": ["EVENT"]}}]}]}


@pytest.mark.parametrize("record", [
    LS_TASK,
    {**LS_TASK, "annotations": [{**LS_TASK["annotations"][0], "annotator": "Gold"}]},
    {**LS_TASK, "annotations": [{"completed_by": {"email": "gold"}, "result": LS_TASK["annotations"][0]["result"]}]},
], ids=["labelstudio-mona", "labelstudio-Gold", "labelstudio-completed_by-gold"])
def test_import_of_a_file_naming_another_layer_is_refused(
    labelled: Project, tmp_path: Path, record: dict
) -> None:
    import json

    path = tmp_path / "tasks.json"
    path.write_text(json.dumps([record], ensure_ascii=False), encoding="utf-8")
    before = sorted(labelled.store.annotators())
    code, output = _cli("import", str(labelled.path), str(path), "--format", "labelstudio")
    assert code == 2 and output.splitlines()[-1].startswith("annotator: error:"), output
    assert "Traceback" not in output
    assert sorted(labelled.store.annotators()) == before


def test_a_colleagues_span_cannot_be_removed_or_relabelled_by_id(labelled: Project) -> None:
    a1 = aid(labelled, "a1")
    ali = labelled.session("ali")
    for layer in ("mona", "gold", "suggest:gazetteer"):
        span = labelled.store.spans(a1, [layer])[0]
        with pytest.raises(PermissionDenied, match=f"belongs to {layer}, not ali"):
            ali.remove_span(a1, span.id)  # type: ignore[arg-type]
        with pytest.raises(PermissionDenied, match=f"belongs to {layer}, not ali"):
            ali.relabel_span(a1, span.id, "EVENT")  # type: ignore[arg-type]
        assert span in labelled.store.spans(a1, [layer])


def test_the_queues_label_filter_reads_only_her_own_spans(labelled: Project) -> None:
    """mona labelled a DATE in a1, ali did not: filtering ali's queue by DATE must not say so."""
    assert labelled.session("ali").queue(label="DATE") == []
    assert [r.doc_id for r in labelled.session("mona").queue(label="DATE")] == ["a1"]


def test_his_own_package_holds_only_his_layer(labelled: Project, tmp_path: Path) -> None:
    """``pack --for ali --as ali``: no gold, no colleague, no suggestion built from them."""
    out = tmp_path / "ali.annot"
    code, output = _cli("pack", str(labelled.path), "--for", "ali", "-o", str(out), "--as", "ali")
    assert code == 0, output
    with Project.open(out) as package:
        assert package.store.annotators() == ["ali"]
        assert dict(package.store.users()) == {"ali": "annotator"}
        assert package.store.rejections() == []
    code, output = _cli("pack", str(labelled.path), "--for", "mona", "-o", str(out), "--as", "ali")
    assert code == 2 and "ali is annotator; this needs admin" in output, output
