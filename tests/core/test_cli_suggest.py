"""``annotator suggest`` end to end through click's runner, the project checked afterwards."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli import cli
from annotator.project import Project

pytest.importorskip("pycrfsuite")



def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["suggest", *args])
    return result.exit_code, result.output


def test_help_has_examples() -> None:
    code, out = run("--help")
    assert code == 0 and "annotator suggest news.db --train" in out


def test_nothing_to_do_is_a_usage_error(aqmar_db: Path) -> None:
    code, out = run(str(aqmar_db))
    assert code == 2 and "nothing to do" in out


def test_apply_before_training_is_one_line_error(aqmar_db: Path) -> None:
    code, out = run(str(aqmar_db), "--apply", "--source", "crf")
    assert code == 2
    assert out == "annotator: error: no trained model yet: run 'annotator suggest PROJECT.db --train'\n"


def test_train_reports_cross_validated_f1_then_apply_and_order(aqmar_db: Path, tmp_path: Path) -> None:
    code, out = run(str(aqmar_db), "--train", "--folds", "3", "--iterations", "50")
    assert code == 0, out
    lines = out.splitlines()
    assert lines[0].startswith("cross-validated (3 folds over articles, seqeval entity F1,")
    assert lines[1].split() == ["label", "prec", "recall", "F1", "support"]
    assert [line.split()[0] for line in lines[2:-1]][-1] == "micro"
    assert "ORG" in out and "PER" in out
    assert lines[-1].startswith("trained on 3 articles (")
    places = tmp_path / "places.txt"
    places.write_text("مدريد\nالبرتغال\n", encoding="utf-8")
    code, out = run(str(aqmar_db), "--gazetteer", "LOC", str(places), "--apply", "--articles", "held")
    assert code == 0, out
    with Project.open(aqmar_db) as project:
        held = project.store.article_id_by_doc_id("held")
        crf = project.store.spans(held, ["suggest:crf"])
        gaz = project.store.spans(held, ["suggest:gazetteer"])
        assert project.store.spans(held, ["aqmar"]) == []
    assert out.splitlines()[0] == "LOC: 2 names added from " + str(places)
    assert f"suggest:crf: {len(crf)} suggestions" in out and crf
    assert f"suggest:gazetteer: {len(gaz)} suggestions" in out
    assert "البرتغال" in {s.text for s in gaz}
    code, out = run(str(aqmar_db), "--order")
    assert code == 0 and out.split("\t")[1] == "held"


def test_unknown_article_and_label_are_one_line_errors(aqmar_db: Path, tmp_path: Path) -> None:
    code, out = run(str(aqmar_db), "--apply", "--source", "gazetteer", "--articles", "nope")
    assert (code, out) == (2, "annotator: error: no article 'nope' (give document ids or article ids)\n")
    places = tmp_path / "p.txt"
    places.write_text("x\n", encoding="utf-8")
    code, out = run(str(aqmar_db), "--gazetteer", "PLACE", str(places))
    assert code == 2 and out.startswith("annotator: error: unknown label 'PLACE'")


def test_use_layer_registers_imported_predictions(aqmar_db: Path) -> None:
    code, out = run(str(aqmar_db), "--use-layer", "aqmar")
    assert (code, out) == (0, "layer aqmar is shown as suggestions\n")
    with Project.open(aqmar_db) as project:
        from annotator.suggest.layers import suggestion_layers

        assert suggestion_layers(project.store) == ["aqmar"]
