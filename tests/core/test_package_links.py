"""Work packages carry the annotator's relations and events; merge checks and merges them three-way."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.errors import PermissionDenied, ProjectError
from annotator.project import Project
from annotator.team.packages import merge, pack
from tests.core.package_kit import packing_team, snapshot, tamper
from tests.core.team_kit import DAMASCUS, MINISTER, SUNDAY, aid

VISITED = (0, len("زار"))


@pytest.fixture
def team(tmp_path: Path) -> Iterator[Project]:
    """mona holds دمشق in a1 (packing_team), and here وزير الدفاع located-in دمشق."""
    with packing_team(tmp_path / "news.db") as project:
        mona = project.session("mona")
        a1 = aid(project, "a1")
        minister = mona.add_span(a1, *MINISTER, "ORGANIZATION")
        damascus = [s for s in mona.spans(a1) if s.label == "LOCATION"][0]
        mona.add_relation(a1, "located-in", minister.id, damascus.id)
        yield project


def _linked_package(project: Project, out: Path) -> Path:
    """mona's package, in which she removed the relation and made an attack event at دمشق."""
    pack(project.session("sara"), "mona", out)
    with Project.open(out) as package:
        p1 = package.store.article_id_by_doc_id("a1")
        assert p1 is not None
        mona = package.session("mona")
        [relation] = mona.relations(p1)
        mona.remove_relation(p1, relation.id)
        trigger = mona.add_span(p1, *VISITED, "ATTACK")
        date = mona.add_span(p1, *SUNDAY, "DATE")
        event = mona.add_event(p1, trigger.id, "attack")
        mona.set_argument(p1, event.id, "place", relation.tail.id)
        mona.set_argument(p1, event.id, "time", date.id)
    return out


def test_pack_carries_links_and_merge_brings_back_their_changes(team: Project, tmp_path: Path) -> None:
    out = tmp_path / "mona.annot"
    pack(team.session("sara"), "mona", out)
    with Project.open(out) as package:
        [carried] = package.session("mona").relations(package.store.article_id_by_doc_id("a1"))
        assert carried.key == ("located-in", (*MINISTER, "ORGANIZATION"), (*DAMASCUS, "LOCATION"))
    out.unlink()
    _linked_package(team, out)
    report = merge(team.session("sara"), out)
    a1 = aid(team, "a1")
    mona = team.session("mona")
    assert mona.relations(a1) == []  # removed in the package: removed here
    [event] = mona.events(a1)
    assert (event.trigger.text, [(a.role, a.span.text) for a in event.arguments]) == (
        "زار", [("place", "دمشق"), ("time", "يوم الأحد")])
    assert "  a1: +2 ~0 -0, links +3 -1" in report.lines()
    again = merge(team.session("sara"), out)  # twice = once
    assert [a for a in again.articles if a.touched] == []


def test_links_made_in_the_project_after_packing_survive_the_merge(team: Project, tmp_path: Path) -> None:
    out = _linked_package(team, tmp_path / "mona.annot")
    a1 = aid(team, "a1")
    mona = team.session("mona")
    organization = [s for s in mona.spans(a1) if s.label == "ORGANIZATION"][0]
    ministry = mona.add_span(a1, *DAMASCUS, "ORGANIZATION")
    kept = mona.add_relation(a1, "member-of", organization.id, ministry.id)
    merge(team.session("sara"), out)
    assert [r.key for r in mona.relations(a1)] == [kept.key]


FORGERIES = {
    "another layer's link": ("UPDATE relations SET annotator = 'ali'", PermissionDenied,
                             "holds links of layer 'ali', but was issued to mona"),
    "a link to no span": ("UPDATE relations SET head_id = 9999", ProjectError, "points at no span"),
    "a link across articles": ("UPDATE relations SET article_id = (SELECT max(id) FROM articles)",
                               ProjectError, "joins spans of two articles"),
    "an unknown relation type": ("UPDATE relations SET type = 'owns'", ProjectError,
                                 "'owns' is not a relation or event type"),
    "an unknown role": ("UPDATE event_arguments SET role = 'victim'", ProjectError,
                        "attack events have no role 'victim'"),
}


@pytest.mark.parametrize("name", sorted(FORGERIES))
def test_forged_links_refuse_the_whole_package(team: Project, tmp_path: Path, name: str) -> None:
    sql, error, message = FORGERIES[name]
    out = tmp_path / "mona.annot"
    pack(team.session("sara"), "mona", out)
    with Project.open(out) as package:  # one event, so the role forgery has an argument to forge
        p1 = package.store.article_id_by_doc_id("a1")
        assert p1 is not None
        mona = package.session("mona")
        event = mona.add_event(p1, mona.add_span(p1, *VISITED, "ATTACK").id, "attack")
        mona.set_argument(p1, event.id, "place", mona.relations(p1)[0].tail.id)
        assert package.store.count("articles") > 1  # so "across articles" crosses to another one
    tamper(out, sql)
    before = snapshot(team.path)
    with pytest.raises(error, match=message):
        merge(team.session("sara"), out)
    assert snapshot(team.path) == before
    assert len(team.session("mona").relations(aid(team, "a1"))) == 1
