"""The core under each login of a blind server project: what works, what the server refuses.

The team of ``team_kit`` on a server (sara admin, huda reviewer, ali and mona annotators, each a
PostgreSQL login made by ``add_user``), labelled through the core as those logins. Every figure a
login gets is compared with the same figures from a project FILE holding the same work: on a
server the core must not need rows that row-level security hides from it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from annotator.errors import PermissionDenied, ProjectError
from annotator.importing import import_documents
from annotator.model import GOLD, Document, Span
from annotator.project import Project, Session
from annotator.review.adjudication import Adjudicator
from annotator.schema import load_schema_file, shipped_schema_path
from annotator.stats import project_stats
from annotator.store.pg import PgStore
from annotator.team.logins import identity
from annotator.team.members import acting_session, add_user, assign
from tests.conftest import pg_with_user

from .team_kit import DAMASCUS, MINISTER, SUNDAY, TEXTS, aid

TEAM = {"huda": "reviewer", "sara": "admin", "ali": "annotator", "mona": "annotator"}


def pw(name: str) -> str:
    return f"{name}-secret"


def _open(url: str, user: str) -> Project:
    return Project(PgStore(pg_with_user(url, user, pw(user))))


def _build(project: Project, add: Callable[[str, str], None],
           session_of: Callable[[str], Session]) -> None:
    """The same work on a file or a server: users, assignment, ali's and mona's spans, gold."""
    import_documents(project, [Document(f"a{i + 1}", t, f"t{i + 1}") for i, t in enumerate(TEXTS)])
    for name, role in TEAM.items():
        add(name, role)
    assign(session_of("sara"), ["ali", "mona"], 2, seed=1)
    a1 = aid(project, "a1")
    session_of("ali").add_span(a1, *MINISTER, "ORGANIZATION")
    session_of("ali").add_span(a1, *DAMASCUS, "LOCATION")
    session_of("mona").add_span(a1, *DAMASCUS, "LOCATION")
    session_of("mona").add_span(a1, *SUNDAY, "DATE")
    Adjudicator(session_of("huda")).accept_agreements(a1)


@pytest.fixture(scope="module")
def file_twin(tmp_path_factory) -> Iterator[Project]:
    project = Project.create(tmp_path_factory.mktemp("twin") / "news.db")
    boot = acting_session(project, "owner")
    _build(project, lambda n, r: add_user(boot if n == "huda" else project.session("owner"), n, r),
           lambda n: project.session(n))
    yield project
    project.close()


@pytest.fixture
def server(pg_url: str) -> Iterator[str]:
    """The team's project on a server; yields its URL (the owner's)."""
    store = PgStore(pg_url, create=True)
    with store.transaction():
        store.add_schema_version(load_schema_file(shipped_schema_path()), note="created")
    owner = Project(store)
    me = store.logins.current()
    opened: dict[str, Project] = {}

    def session_of(name: str) -> Session:
        if name not in opened:
            opened[name] = _open(pg_url, name)
        return acting_session(opened[name], name)

    def add(name: str, role: str) -> None:
        add_user(acting_session(owner, me), name, role, pw(name))

    try:
        _build(owner, add, session_of)
        yield pg_url
    finally:
        for project in opened.values():
            project.close()
        owner.close()


def test_logins_are_made_with_their_role(server: str) -> None:
    with _open(server, "sara") as project:
        users = dict(project.store.users())
        owner = next(name for name in users if name not in TEAM)  # the first admin: who ran init
        assert users == {**TEAM, owner: "admin"}


@pytest.mark.parametrize("user", ["ali", "huda", "sara"])
def test_stats_under_each_login_equal_the_files(server: str, file_twin: Project, user: str) -> None:
    """stats as each login: the same figures as the same user gets from a project file."""
    with _open(server, user) as project:
        got = project_stats(project, acting_session(project, user))
    expected = project_stats(file_twin, acting_session(file_twin, user))
    assert (got.pop("project"), expected.pop("project")) == (project.path.__str__(), str(file_twin.path))
    assert got == expected
    if user == "ali":
        assert set(got["spans_per_annotator"]) == {"ali"}


def test_an_annotator_works_in_her_own_layer_only(server: str) -> None:
    with _open(server, "ali") as project:
        ali = acting_session(project, "ali")
        a1 = aid(project, "a1")
        assert {s.annotator for s in project.store.spans(a1)} == {"ali"}  # the server hides the rest
        span = ali.add_span(a1, *SUNDAY, "DATE")
        ali.undo(a1)
        assert span not in ali.spans(a1)
        with pytest.raises(PermissionDenied):
            add_user(ali, "eve", "annotator", "x")
        # Around the core: the server itself refuses gold, even when the core is bypassed.
        with pytest.raises(ProjectError, match="row-level security"):
            with project.store.transaction():
                project.store.insert_spans(a1, [Span(*SUNDAY, "DATE", "يوم الأحد", annotator=GOLD)], "2026-01-01T00:00:00")


def test_as_names_nobody_else_on_a_server(server: str) -> None:
    with _open(server, "ali") as project:
        assert identity(project, "ali") == identity(project, None) == "ali"
        with pytest.raises(PermissionDenied, match="you act as your login 'ali'"):
            acting_session(project, "mona")
        with pytest.raises(PermissionDenied):
            acting_session(project, "sara")
    with Project(PgStore(server)) as project:  # the owner, a superuser: refused all the same
        login = project.store.logins.current()  # type: ignore[attr-defined]
        with pytest.raises(PermissionDenied, match=f"you act as your login '{login}'"):
            acting_session(project, "mona")
        assert acting_session(project, None).user == login


def test_a_reviewer_reads_every_layer_and_writes_gold(server: str) -> None:
    with _open(server, "huda") as project:
        huda = acting_session(project, "huda")
        a1 = aid(project, "a1")
        assert {s.annotator for s in project.store.spans(a1)} == {"ali", "mona", GOLD}
        gold = Adjudicator(huda)
        assert gold.accept_agreements(a1) == 0  # already accepted when the team was built
        assert [(s.start, s.end) for s in project.store.spans(a1, [GOLD])] == [DAMASCUS]


def test_an_annotator_imports_builds_suggestions_and_orders_her_queue(server: str) -> None:
    """What ali may do through the CLI's use cases, done under her login: the server allows it
    (her layer, her suggestions, her model, her queue order) and it holds what the file would."""
    from annotator.suggest.active import store_uncertainty
    from annotator.suggest.crf import Options
    from annotator.suggest.layers import suggestion_basis
    from annotator.suggest.pipeline import apply_suggestions, train_project

    with _open(server, "ali") as project:
        ali = acting_session(project, "ali")
        a1 = aid(project, "a1")
        report = import_documents(
            project, [Document("a1", TEXTS[0], "t1", (Span(*SUNDAY, "DATE", "يوم الأحد"),))],
            as_annotator="ali", session=ali)
        assert report.spans_added == 1
        apply_suggestions(project, sources=["gazetteer"], session=ali)
        assert suggestion_basis(project.store, "suggest:gazetteer/ali") == ["ali"]
        train_project(project, folds=0, options=Options(max_iterations=5), session=ali)
        scores = store_uncertainty(ali)
        assert set(scores) == set(project.store.priorities("ali")) and a1 in scores
        assert project.store.priority_users() == ["ali"]  # the server shows her own order only
        assert project.store.load_model("crf/ali") is not None
    with _open(server, "sara") as project:  # the admin sees what ali stored, built from ali only
        assert project.store.load_model("crf/ali")[1]["basis"] == ["ali"]  # type: ignore[index]
        assert suggestion_basis(project.store, "suggest:gazetteer/ali") == ["ali"]
