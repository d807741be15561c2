"""Team commands through click's CliRunner: users, assign, pack/merge, agreement, adjudicate."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from click.testing import CliRunner

from annotator.cli import cli
from annotator.model import GOLD
from annotator.project import Project
from annotator.text.tokenize import tokenize

from .team_kit import aid, make_team_project

A1 = "زار وزير الدفاع دمشق يوم الأحد"
MINISTER = (len("زار "), len("زار وزير الدفاع"))
DAMASCUS = (len("زار وزير الدفاع "), len("زار وزير الدفاع دمشق"))
SUNDAY = (len("زار وزير الدفاع دمشق "), len(A1))


def invoke(*args: object) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "news.db"
    make_team_project(path).close()
    return path


def test_users_bootstrap_then_admin_only(tmp_path):
    path = tmp_path / "solo.db"
    Project.create(path).close()
    code, out, _ = invoke("users", path)
    assert (code, out) == (0, "no users registered: everyone acts as admin (solo project)\n")
    assert invoke("users", path, "--add", "sara", "--role", "admin", "--as", "sara")[0] == 0
    code, out, _ = invoke("users", path, "--add", "ali", "--add", "mona", "--as", "sara")
    assert out == "ali                  annotator\nmona                 annotator\nsara                 admin\n"
    code, _, err = invoke("users", path, "--add", "eve", "--role", "admin", "--as", "ali")
    assert code == 2 and err == "annotator: error: ali is annotator; this needs admin\n"


def test_assign_command_is_balanced_and_reproducible(db, tmp_path):
    code, out, _ = invoke("assign", db, "--users", "ali,mona,omar", "--per-article", "2",
                          "--seed", "4", "--as", "sara")
    assert code == 0
    assert out == "6 articles assigned; articles per user: ali 4, mona 4, omar 4\n"
    with Project.open(db) as project:
        first = project.store.assignments()
    other = tmp_path / "copy.db"
    make_team_project(other).close()
    invoke("assign", other, "--users", "ali,mona,omar", "--per-article", "2", "--seed", "4", "--as", "sara")
    with Project.open(other) as project:
        assert project.store.assignments() == first
    code, _, err = invoke("assign", db, "--users", "ali,mona", "--per-article", "2", "--as", "mona")
    assert code == 2 and "needs admin" in err


def test_pack_label_merge_twice_and_wrong_project(db, tmp_path):
    invoke("assign", db, "--users", "ali,mona", "--per-article", "2", "--as", "sara")
    out_path = tmp_path / "mona.annot"
    code, out, _ = invoke("pack", db, "--for", "mona", "-o", out_path, "--as", "sara")
    assert (code, out) == (0, f"wrote {out_path}: 6 articles for mona (schema version 1)\n")
    with Project.open(out_path) as package:
        p1 = package.store.article_id_by_doc_id("a1")
        package.session("mona").add_span(p1, *DAMASCUS, "LOCATION")
    code, out, _ = invoke("merge", db, out_path, "--as", "sara")
    assert out == "merged mona: 1 added, 0 changed, 0 removed in 1 of 6 articles\n  a1: +1 ~0 -0, state in_progress\n"
    code, out, _ = invoke("merge", db, out_path, "--as", "sara")
    assert out == "merged mona: 0 added, 0 changed, 0 removed in 0 of 6 articles\n"
    other = tmp_path / "other.db"
    make_team_project(other).close()
    code, _, err = invoke("merge", other, out_path, "--as", "sara")
    assert code == 2 and "a package of another project" in err and "nothing merged" in err


def _label_two_annotators(db):
    with Project.open(db) as project:
        a1, a2 = aid(project, "a1"), aid(project, "a2")
        ali, mona = project.session("ali"), project.session("mona")
        ali.add_span(a1, *MINISTER, "ORGANIZATION")
        ali.add_span(a1, *DAMASCUS, "LOCATION")
        mona.add_span(a1, *DAMASCUS, "LOCATION")
        mona.add_span(a1, *SUNDAY, "DATE")
        ali.add_span(a2, len("قال مصدر في "), len("قال مصدر في وزارة الخارجية"), "ORGANIZATION")
        mona.add_span(a2, len("قال مصدر في "), len("قال مصدر في وزارة الخارجية"), "ORGANIZATION")
        for session in (ali, mona):
            for article in (a1, a2):
                session.set_state(article, "done")
        texts = {a: project.store.article(a).text for a in (a1, a2)}
        layers = {a: {u: project.store.spans(a, [u]) for u in ("ali", "mona")} for a in (a1, a2)}
    return texts, layers


def _token_labels(text, spans):
    labels = []
    for token in tokenize(text):
        covering = [s for s in spans if s.start < token.end and token.start < s.end]
        labels.append(max(covering, key=lambda s: s.end - s.start).label if covering else "O")
    return labels


def test_agreement_json_matches_scikit_learn_and_counts(db):
    from sklearn.metrics import cohen_kappa_score

    with Project.open(db) as project:
        from annotator.team import members as teams

        teams.assign(project.session("sara"), ["ali", "mona"], 2, seed=0)
    texts, layers = _label_two_annotators(db)
    code, out, _ = invoke("agreement", db, "--json", "--as", "huda")
    assert code == 0
    report = json.loads(out)
    assert report["annotators"] == ["ali", "mona"] and report["articles"] == 2
    ali = [lab for a in texts for lab in _token_labels(texts[a], layers[a]["ali"])]
    mona = [lab for a in texts for lab in _token_labels(texts[a], layers[a]["mona"])]
    [pair] = report["pairs"]
    assert pair["kappa"] == pytest.approx(cohen_kappa_score(ali, mona), abs=1e-12)
    # Exact spans: ali 3, mona 3, shared 2 (Damascus, the ministry of a2).
    assert pair["exact"]["micro"] == {"tp": 2, "n_ref": 3, "n_pred": 3, "precision": pytest.approx(2 / 3),
                                      "recall": pytest.approx(2 / 3), "f1": pytest.approx(2 / 3)}
    assert [a["article_id"] for a in report["by_article"]] == ["a1", "a2"]


def test_agreement_text_and_refusals(db):
    with Project.open(db) as project:
        from annotator.team import members as teams

        teams.assign(project.session("sara"), ["ali", "mona"], 2, seed=0)
    code, _, err = invoke("agreement", db, "--as", "huda")
    assert code == 2 and err == "annotator: error: no article has two annotators yet: nothing to compare\n"
    _label_two_annotators(db)
    code, out, _ = invoke("agreement", db, "--by-label", "--by-article", "--as", "huda")
    assert code == 0
    assert out.startswith("2 articles, ")
    assert "ali / mona                 LOCATION          1.000  1.000  1.000  1.000" in out
    code, _, err = invoke("agreement", db, "--as", "ali")
    assert code == 2 and "blind project" in err


def test_adjudicate_accepts_agreements_and_reports_progress(db):
    with Project.open(db) as project:
        from annotator.team import members as teams

        teams.assign(project.session("sara"), ["ali", "mona"], 2, seed=0)
    _label_two_annotators(db)
    code, out, _ = invoke("adjudicate", db, "--as", "huda")
    assert (code, out) == (0, "accepted 2 agreements into gold; articles adjudicated 1, to do 1\n")
    with Project.open(db) as project:
        assert Counter(s.label for s in project.store.spans(aid(project, "a2"), [GOLD])) == {"ORGANIZATION": 1}
    code, _, err = invoke("adjudicate", db, "--as", "ali")
    assert code == 2 and "needs reviewer or admin" in err


def test_settings_command(db):
    code, out, _ = invoke("settings", db, "--visibility", "open", "--no-auto-accept", "--as", "sara")
    assert out == "visibility   open\nauto-accept  off\nclaim lapse  30 min\nclaimed now  0\n"
    code, _, err = invoke("settings", db, "--visibility", "blind", "--as", "huda")
    assert code == 2 and "needs admin" in err


def test_team_commands_have_help_with_examples():
    for name in ("users", "settings", "assign", "pack", "merge", "agreement", "adjudicate"):
        command = cli.get_command(None, name)
        assert command.help and "Example" in command.help, name


def test_agreement_plot_writes_a_png(db, tmp_path):
    pytest.importorskip("matplotlib")
    with Project.open(db) as project:
        from annotator.team import members as teams

        teams.assign(project.session("sara"), ["ali", "mona"], 2, seed=0)
    _label_two_annotators(db)
    out = tmp_path / "agreement.png"
    code, stdout, _ = invoke("agreement", db, "--plot", out, "--as", "huda")
    assert code == 0 and stdout.endswith(f"wrote {out}\n")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and out.stat().st_size > 10_000
