"""Work packages: pack -> label in the package through a Session -> merge; idempotent; refusals."""

from __future__ import annotations

import sqlite3

import pytest

from annotator.errors import PermissionDenied, ProjectError
from annotator.project import Project
from annotator.team import members as teams
from annotator.team.packages import merge, pack, package_info

from .team_kit import aid, make_team_project

A1 = "زار وزير الدفاع دمشق يوم الأحد"
MINISTRY = (len("زار "), len("زار وزير الدفاع"))
DAMASCUS = (len("زار وزير الدفاع "), len("زار وزير الدفاع دمشق"))
SUNDAY = (len("زار وزير الدفاع دمشق "), len(A1))


@pytest.fixture
def team(tmp_path):
    with make_team_project(tmp_path / "news.db") as project:
        admin = project.session("sara")
        teams.assign(admin, ["ali", "mona"], 2, seed=1)  # both label every article
        yield project


def _keys(project, user, doc_id="a1"):
    return sorted(s.key for s in project.store.spans(aid(project, doc_id), [user]))


def test_package_is_a_project_file_with_only_her_work(team, tmp_path):
    a1 = aid(team, "a1")
    team.session("mona").add_span(a1, *DAMASCUS, "LOCATION")
    team.session("ali").add_span(a1, *MINISTRY, "ORGANIZATION")
    out = tmp_path / "mona.annot"
    info = pack(team.session("sara"), "mona", out)
    assert info.user == "mona" and info.articles == 6
    assert not list(tmp_path.glob(".annotator-tmp-*")) and not (tmp_path / "mona.annot-wal").exists()
    with Project.open(out) as package:
        assert package_info(package.store).source_project_id == team.project_id
        assert package.store.annotators() == ["mona"]
        assert package.schema.version == team.schema.version
        assert package.session("mona").role == "annotator"
        assert [r.doc_id for r in package.session("mona").queue()] == [f"a{i}" for i in range(1, 7)]
        assert package.store.db.execute("SELECT DISTINCT source_path FROM articles").fetchall() == [("",)]


def test_round_trip_pack_label_merge_reports_and_is_idempotent(team, tmp_path):
    a1 = aid(team, "a1")
    mona = team.session("mona")
    kept = mona.add_span(a1, *DAMASCUS, "LOCATION")
    relabelled = mona.add_span(a1, *SUNDAY, "EVENT")
    ali_span = team.session("ali").add_span(a1, *MINISTRY, "ORGANIZATION")
    out = tmp_path / "mona.annot"
    pack(team.session("sara"), "mona", out)
    with Project.open(out) as package:
        p1 = package.store.article_id_by_doc_id("a1")
        her = package.session("mona")
        her.add_span(p1, *MINISTRY, "PERSON")
        sunday = next(s for s in her.spans(p1) if s.start == SUNDAY[0])
        her.relabel_span(p1, sunday.id, "DATE")
        her.set_state(p1, "done")
    # Work done in the project after packing must survive the merge.
    later = mona.add_span(aid(team, "a2"), 0, len("قال"), "EVENT")
    report = merge(team.session("sara"), out)
    assert report.totals() == (1, 1, 0)
    entry = next(a for a in report.articles if a.doc_id == "a1")
    assert (entry.added, entry.changed, entry.removed, entry.state) == (1, 1, 0, "done")
    assert _keys(team, "mona") == [(*MINISTRY, "PERSON"), (*DAMASCUS, "LOCATION"), (*SUNDAY, "DATE")]
    assert team.store.spans(a1, ["ali"]) == [ali_span]
    assert team.store.state(a1, "mona") == "done"
    assert later in team.store.spans(aid(team, "a2"), ["mona"])
    assert kept.key in _keys(team, "mona") and relabelled.key not in _keys(team, "mona")
    again = merge(team.session("sara"), out)
    assert again.totals() == (0, 0, 0) and not any(a.touched for a in again.articles)
    assert _keys(team, "mona") == [(*MINISTRY, "PERSON"), (*DAMASCUS, "LOCATION"), (*SUNDAY, "DATE")]


def test_removal_in_package_is_merged_but_never_another_layer(team, tmp_path):
    a1 = aid(team, "a1")
    team.session("mona").add_span(a1, *DAMASCUS, "LOCATION")
    team.session("ali").add_span(a1, *DAMASCUS, "LOCATION")
    out = tmp_path / "mona.annot"
    pack(team.session("sara"), "mona", out)
    with Project.open(out) as package:
        p1 = package.store.article_id_by_doc_id("a1")
        her = package.session("mona")
        her.remove_span(p1, her.spans(p1)[0].id)
    report = merge(team.session("sara"), out)
    assert report.totals() == (0, 0, 1)
    assert _keys(team, "mona") == [] and _keys(team, "ali") == [(*DAMASCUS, "LOCATION")]


def test_merge_refuses_another_project_schema_version_and_plain_projects(team, tmp_path):
    out = tmp_path / "mona.annot"
    pack(team.session("sara"), "mona", out)
    with make_team_project(tmp_path / "other.db") as other, pytest.raises(ProjectError, match="another project"):
        merge(other.session("sara"), out)
    with pytest.raises(ProjectError, match="not a work package"):
        merge(team.session("sara"), tmp_path / "other.db")
    teams.add_labels(team.session("sara"), ["VEHICLE"])
    with pytest.raises(ProjectError, match="schema version 1, the project is at version 2"):
        merge(team.session("sara"), out)
    (tmp_path / "junk.annot").write_bytes(b"not sqlite at all, not at all" * 10)
    with pytest.raises(ProjectError):
        merge(team.session("sara"), tmp_path / "junk.annot")


def test_schema_changed_inside_package_is_refused(team, tmp_path):
    out = tmp_path / "mona.annot"
    pack(team.session("sara"), "mona", out)
    with Project.open(out) as package:
        package.add_labels(["VEHICLE"])
    with pytest.raises(ProjectError, match="changed inside the package"):
        merge(team.session("sara"), out)


def test_merge_is_all_or_nothing_when_an_article_is_missing(team, tmp_path):
    out = tmp_path / "mona.annot"
    pack(team.session("sara"), "mona", out)
    with Project.open(out) as package:
        p1 = package.store.article_id_by_doc_id("a1")
        package.session("mona").add_span(p1, *DAMASCUS, "LOCATION")
    conn = sqlite3.connect(out)
    conn.execute("UPDATE articles SET content_hash = 'forged' WHERE doc_id = 'a6'")
    conn.commit()
    conn.close()
    with pytest.raises(ProjectError, match="'a6' is not in the project"):
        merge(team.session("sara"), out)
    assert _keys(team, "mona") == []


def test_who_may_pack_and_merge(team, tmp_path):
    pack(team.session("mona"), "mona", tmp_path / "self.annot")
    with pytest.raises(PermissionDenied):
        pack(team.session("mona"), "ali", tmp_path / "ali.annot")
    with pytest.raises(PermissionDenied):
        merge(team.session("huda"), tmp_path / "self.annot")
    with pytest.raises(ProjectError, match="no assigned articles"):
        pack(team.session("sara"), "omar", tmp_path / "omar.annot")
