"""Adjudication into gold: regions, auto-accepted agreements, accept/edit/reject, provenance, undo."""

from __future__ import annotations

import pytest

from annotator.errors import ProjectError, SpanError
from annotator.exporting import source_article_ids, source_documents
from annotator.model import GOLD
from annotator.project import Project
from annotator.review.adjudication import Adjudicator, adjudicated_ids, provenance
from annotator.team import members as teams

from .team_kit import DAMASCUS, DEFENCE, MINISTER, SUNDAY, aid, label_a1, make_team_project


@pytest.fixture
def team(tmp_path):
    with make_team_project(tmp_path / "news.db") as project:
        label_a1(project)
        yield project


@pytest.fixture
def desk(team):
    return Adjudicator(team.session("huda"))


def test_regions_list_disagreements_with_their_alternatives(team, desk):
    items = desk.items(aid(team, "a1"))
    assert [(i.bounds, i.region.agreed) for i in items] == [(MINISTER, False), (DAMASCUS, True), (SUNDAY, False)]
    minister = items[0].region.alternatives
    assert [(a.annotators, a.keys) for a in minister] == [
        (("ali",), ((*MINISTER, "ORGANIZATION"),)), (("mona",), ((*DEFENCE, "ORGANIZATION"),))]
    assert [(a.annotators, a.keys) for a in items[2].region.alternatives] == [
        (("mona",), ((*SUNDAY, "DATE"),)), (("ali",), ())]


def test_open_article_auto_accepts_agreements_with_provenance(team, desk):
    a1 = aid(team, "a1")
    items = desk.open_article(a1)
    assert [i.open for i in items] == [True, False, True]
    [gold] = desk.gold(a1)
    assert (gold.key, gold.annotator, gold.text) == ((*DAMASCUS, "LOCATION"), GOLD, "دمشق")
    prov = provenance(gold)
    assert (prov["proposed_by"], prov["decided_by"], prov["decision"]) == (["ali", "mona"], "huda", "auto")
    assert prov["decided_at"].endswith("+00:00")
    assert team.store.state(a1, GOLD) == "in_progress"


def test_auto_accept_setting_off_leaves_agreements_to_the_reviewer(team, desk):
    teams.set_auto_accept(team.session("huda"), False)
    assert all(i.open for i in desk.open_article(aid(team, "a1")))
    assert desk.gold(aid(team, "a1")) == []


def test_accept_reject_edit_complete_the_article(team, desk):
    a1 = aid(team, "a1")
    desk.open_article(a1)
    desk.accept(a1, MINISTER, 1)  # mona's shorter span
    desk.reject(a1, SUNDAY)
    assert sorted(g.key for g in desk.gold(a1)) == [(*DEFENCE, "ORGANIZATION"), (*DAMASCUS, "LOCATION")]
    assert desk.is_adjudicated(a1) and team.store.state(a1, GOLD) == "done"
    decision = desk.item(a1, SUNDAY).decision
    assert (decision.decision, decision.decided_by) == ("reject", "huda")
    desk.edit(a1, MINISTER, [(len("زار وزير "), len("زار وزير الدفاع"), "PERSON")])
    edited = [g for g in desk.gold(a1) if g.start == DEFENCE[0]]
    assert [(g.label, provenance(g)["decision"], provenance(g)["proposed_by"]) for g in edited] == [("PERSON", "edit", [])]
    with pytest.raises(SpanError):
        desk.edit(a1, MINISTER, [(*SUNDAY, "DATE")])
    with pytest.raises(ProjectError):
        desk.accept(a1, MINISTER, 5)


def test_accepting_the_empty_alternative_is_a_rejection(team, desk):
    a1 = aid(team, "a1")
    desk.accept(a1, SUNDAY, 1)
    assert desk.item(a1, SUNDAY).decision.decision == "reject"
    assert desk.gold(a1) == []


def test_undo_redo_of_decisions_persist(team, desk, tmp_path):
    a1 = aid(team, "a1")
    desk.open_article(a1)
    desk.accept(a1, MINISTER, 0)
    desk.reject(a1, SUNDAY)
    assert desk.undo(a1)
    assert desk.item(a1, SUNDAY).open and not desk.is_adjudicated(a1)
    assert desk.undo(a1)
    assert [g.key for g in desk.gold(a1)] == [(*DAMASCUS, "LOCATION")]
    assert not desk.undo(a1)  # auto-accept is not an undo step
    assert desk.redo(a1)
    team.close()
    with Project.open(tmp_path / "news.db") as again:
        desk2 = Adjudicator(again.session("huda"))
        assert desk2.redo(a1) and desk2.is_adjudicated(a1)
        assert sorted(g.key for g in desk2.gold(a1)) == [(*MINISTER, "ORGANIZATION"), (*DAMASCUS, "LOCATION")]
        # The reviewer's own labelling undo is a separate history.
        assert not again.session("huda").can_undo(a1)


def test_next_open_moves_through_regions_and_articles(team, desk):
    a1, a2 = aid(team, "a1"), aid(team, "a2")
    team.session("ali").add_span(a2, 0, len("قال"), "EVENT")
    desk.open_article(a1)
    assert desk.next_open(a1, None)[1].bounds == MINISTER
    assert desk.next_open(a1, MINISTER[0])[1].bounds == SUNDAY
    assert desk.next_open(a1, SUNDAY[0])[0] == a2
    assert desk.next_open(a1, SUNDAY[0], backwards=True)[1].bounds == MINISTER
    assert desk.progress().adjudicated == 0 and desk.progress().to_do == 2


def test_gold_documents_are_only_adjudicated_articles(team, desk):
    a1, a2 = aid(team, "a1"), aid(team, "a2")
    team.session("ali").add_span(a2, 0, len("قال"), "EVENT")
    desk.open_article(a1)
    desk.open_article(a2)
    assert adjudicated_ids(team) == source_article_ids(team, "gold") == []
    desk.accept(a1, MINISTER, 0)
    desk.reject(a1, SUNDAY)
    [doc] = source_documents(team, "gold", source_article_ids(team, "gold"))
    assert doc.doc_id == "a1" and [s.key for s in doc.spans] == [(*MINISTER, "ORGANIZATION"), (*DAMASCUS, "LOCATION")]
    assert desk.progress().adjudicated == 1 and desk.progress().total == 2
