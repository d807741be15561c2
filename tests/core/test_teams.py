"""Roles enforced in the core API, blind/open visibility, balanced reproducible assignment."""

from __future__ import annotations

from collections import Counter

import pytest

from annotator.errors import PermissionDenied, ProjectError
from annotator.project import Project
from annotator.review.adjudication import Adjudicator
from annotator.team import members as teams

from .team_kit import TEXTS, aid, make_team_project


@pytest.fixture
def team(tmp_path):
    with make_team_project(tmp_path / "news.db") as project:
        yield project


def test_solo_project_acts_as_admin_until_an_admin_is_registered(tmp_path):
    with Project.create(tmp_path / "solo.db") as project:
        assert teams.acting_session(project, "omar").role == "admin"
        teams.add_user(teams.acting_session(project, "omar"), "omar", "admin")
        assert teams.acting_session(project, "mona").role == "annotator"


def test_a_team_set_up_without_an_admin_is_still_blind(tmp_path):
    """Found by the adversarial pass: ``assign`` registered annotators while nobody was admin, so
    everyone kept acting as admin and ali could read mona's layer. Whoever first registers
    someone else now becomes the admin."""
    with Project.create(tmp_path / "team.db") as project:
        report = teams.assign(teams.acting_session(project, "sara"), ["ali", "mona"], 1, seed=1)
        assert report.admin == "sara" and "sara is now the project's admin" in report.summary()
        assert teams.users(project) == {"sara": "admin", "ali": "annotator", "mona": "annotator"}
        assert not teams.acting_session(project, "ali").can_read("mona")
    with Project.create(tmp_path / "team2.db") as project:
        teams.add_user(teams.acting_session(project, "omar"), "huda", "reviewer")
        assert teams.users(project) == {"omar": "admin", "huda": "reviewer"}
        assert teams.acting_session(project, "ali").role == "annotator"


def test_roles_come_from_the_users_table_not_from_the_caller(team):
    assert team.session("ali").role == "annotator"
    assert team.session("huda").role == "reviewer"
    with pytest.raises(PermissionDenied):
        team.session("ali", "admin")
    with pytest.raises(PermissionDenied):
        team.session("stranger", "reviewer")
    assert team.session("stranger").role == "annotator"


def test_only_admins_change_users_schema_assignments_and_settings(team):
    for name in ("ali", "huda"):
        session = team.session(name)
        with pytest.raises(PermissionDenied):
            teams.add_user(session, "eve", "admin")
        with pytest.raises(PermissionDenied):
            teams.add_labels(session, ["VEHICLE"])
        with pytest.raises(PermissionDenied):
            teams.rename_label(session, "EVENT", "INCIDENT")
        with pytest.raises(PermissionDenied):
            teams.assign(session, ["ali", "mona"], 1)
        with pytest.raises(PermissionDenied):
            teams.set_visibility(session, "open")
    admin = team.session("sara")
    assert "VEHICLE" in teams.add_labels(admin, ["VEHICLE"]).names
    assert teams.users(team)["huda"] == "reviewer"


def test_only_reviewers_and_admins_write_gold(team):
    with pytest.raises(PermissionDenied):
        Adjudicator(team.session("ali"))
    assert Adjudicator(team.session("huda")).session.user == "huda"
    assert Adjudicator(team.session("sara")).session.user == "sara"
    with pytest.raises(PermissionDenied):
        team.session("gold")


def test_last_admin_cannot_be_demoted(team):
    with pytest.raises(PermissionDenied):
        teams.add_user(team.session("sara"), "sara", "annotator")


def test_blind_project_hides_other_layers_from_annotators(team):
    a1 = aid(team, "a1")
    team.session("ali").add_span(a1, len("زار "), len("زار وزير الدفاع"), "ORGANIZATION")
    team.session("mona").add_span(a1, len("زار وزير الدفاع "), len("زار وزير الدفاع دمشق"), "LOCATION")
    mona = team.session("mona")
    assert list(teams.layer_spans(mona, a1)) == ["mona"]
    with pytest.raises(PermissionDenied):
        teams.layer_spans(mona, a1, ["ali"])
    assert sorted(teams.layer_spans(team.session("huda"), a1)) == ["ali", "mona"]
    teams.set_visibility(team.session("sara"), "open")
    assert [s.label for s in teams.layer_spans(mona, a1, ["ali"])["ali"]] == ["ORGANIZATION"]


def test_assignment_is_balanced_and_distinct_per_article(team):
    report = teams.assign(team.session("sara"), ["ali", "mona", "omar"], 2, seed=7)
    rows = team.store.assignments()
    per_article = Counter(a for a, _ in rows)
    assert set(per_article.values()) == {2} and len(per_article) == len(TEXTS)
    loads = Counter(u for _, u in rows)
    assert loads == Counter({"ali": 4, "mona": 4, "omar": 4}) == Counter(report.per_user)
    pairs = Counter(tuple(sorted(u for a2, u in rows if a2 == a)) for a in per_article)
    assert sorted(pairs.values()) == [2, 2, 2]  # every pair shares articles


@pytest.mark.parametrize(("articles", "users", "k"), [(7, 3, 2), (10, 4, 3), (5, 5, 1), (13, 6, 2)])
def test_plan_balance_within_one(articles, users, k):
    names = [f"u{i}" for i in range(users)]
    plan = teams.plan_assignment(list(range(1, articles + 1)), names, k, seed=3)
    loads = Counter(u for _, u in plan)
    assert len(plan) == articles * k
    assert max(loads.values()) - min(loads[n] for n in names) <= 1
    assert all(len({u for a2, u in plan if a2 == a}) == k for a in range(1, articles + 1))


def test_assignment_is_reproducible_with_the_seed_and_tops_up(team):
    names = ["ali", "mona", "omar"]
    first = teams.plan_assignment(list(range(1, 31)), names, 2, seed=5)
    assert teams.plan_assignment(list(range(1, 31)), names, 2, seed=5) == first
    assert teams.plan_assignment(list(range(1, 31)), names, 2, seed=6) != first
    admin = team.session("sara")
    teams.assign(admin, names, 2, seed=1)
    before = team.store.assignments()
    again = teams.assign(admin, names, 2, seed=99)
    assert again.articles == 0 and team.store.assignments() == before


def test_assign_registers_new_names_and_checks_k(team):
    admin = team.session("sara")
    with pytest.raises(ProjectError):
        teams.assign(admin, ["ali", "mona"], 3)
    report = teams.assign(admin, ["ali", "nour"], 1, seed=0, replace=True)
    assert report.registered == ["nour"] and teams.users(team)["nour"] == "annotator"
    assert Counter(u for _, u in team.store.assignments()) == Counter({"ali": 3, "nour": 3})
