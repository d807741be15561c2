"""Queue priorities are per user: one user's order never replaces another's, and a user's queue
is ordered only by a model learnt from layers she may read (layout 6)."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.errors import PermissionDenied
from annotator.model import GOLD
from annotator.project import Project
from annotator.store import LAYOUT_VERSION, MIGRATIONS
from annotator.suggest.active import queue_session, store_uncertainty
from annotator.suggest.crf import Options
from annotator.suggest.pipeline import train_project

from .team_kit import aid, label_a1, make_team_project

OLD_ORDER = {"a3": 0.9, "a1": 0.5}


def ids_of(project: Project, scores: dict[str, float]) -> dict[int, float]:
    return {aid(project, d): s for d, s in scores.items()}


def as_layout_5(path: Path, rows: dict[str, float]) -> None:
    """Turn a project file into a layout-5 one: the shared ``article_priority`` of layout 4
    (made by the released step itself), holding ``rows``."""
    with Project.open(path) as project:
        db = project.store.db
        for table in ("event_arguments", "events", "relations"):  # layout 7's links
            db.execute(f"DROP TABLE {table}")
        db.execute("DROP TABLE article_priority")
        MIGRATIONS[3](db)  # layout 4's table and index, unchanged in layout 5
        db.conn.executemany(
            "INSERT INTO article_priority (article_id, score, model, computed_at) VALUES (?, ?, ?, ?)",
            [(aid(project, d), s, "crf@old", "then") for d, s in rows.items()],
        )
        db.execute("PRAGMA user_version = 5")
        db.conn.commit()


def test_a_layout_5_team_project_migrates_and_keeps_its_data(tmp_path: Path) -> None:
    """The shared order stays for those who could read any model (reviewers and admins), not
    for annotators; articles, spans, users, states and models are all kept."""
    path = tmp_path / "team.db"
    with make_team_project(path) as project:
        label_a1(project)
        train_project(project, folds=0, options=Options(max_iterations=5))
        before = (project.store.article_ids(), project.store.span_counts_by("annotator"),
                  project.store.users(), project.store.load_model("crf"))
    as_layout_5(path, OLD_ORDER)
    with Project.open(path) as project:
        store = project.store
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == LAYOUT_VERSION >= 6
        assert (store.article_ids(), store.span_counts_by("annotator"), store.users(),
                store.load_model("crf")) == before
        old = ids_of(project, OLD_ORDER)
        assert store.priority_users() == ["huda", "sara"]
        assert store.priorities("huda") == store.priorities("sara") == old
        assert store.priority_model("huda") == "crf@old"
        assert store.priorities("ali") == {}
        ali_queue = [r.doc_id for r in project.session("ali").queue(order="uncertainty")]
        assert ali_queue == ["a1", "a2", "a3", "a4", "a5", "a6"]  # by id: no one else's order
        assert [r.doc_id for r in project.session("huda").queue(order="uncertainty")][:2] == ["a3", "a1"]


def test_a_layout_5_solo_project_keeps_the_order_for_everyone_who_worked(tmp_path: Path) -> None:
    """No admin, no rules: the order stays for every name the project knows (a state or a desk
    position), never for ``gold``."""
    path = tmp_path / "solo.db"
    with make_team_project(path) as project:
        store = project.store
        with store.transaction():
            store.db.execute("DELETE FROM users")
            store.set_state(aid(project, "a2"), "mona", "in_progress")
            store.set_state(aid(project, "a2"), GOLD, "done")
            store.save_position("omar", aid(project, "a4"), 3)
    as_layout_5(path, OLD_ORDER)
    with Project.open(path) as project:
        assert project.store.priority_users() == ["mona", "omar"]
        assert project.store.priorities("omar") == ids_of(project, OLD_ORDER)
        assert project.store.state(aid(project, "a2"), "mona") == "in_progress"


def test_each_user_reads_her_own_priorities(tmp_path: Path) -> None:
    with make_team_project(tmp_path / "news.db") as project:
        store = project.store
        with store.transaction():
            store.replace_priorities("ali", ids_of(project, {"a2": 0.9, "a4": 0.1}), "crf/ali@1")
            store.replace_priorities("mona", ids_of(project, {"a5": 0.8}), "crf/mona@1")
            store.replace_priorities("ali", ids_of(project, {"a6": 0.7, "a2": 0.2}), "crf/ali@2")
        ali, mona = project.session("ali"), project.session("mona")
        assert [r.doc_id for r in ali.queue(order="uncertainty")] == ["a6", "a2", "a1", "a3", "a4", "a5"]
        assert [r.doc_id for r in mona.queue(order="uncertainty")] == ["a5", "a1", "a2", "a3", "a4", "a6"]
        assert [r.doc_id for r in mona.queue(order="uncertainty", offset=1, limit=2)] == ["a1", "a2"]
        assert store.next_article("mona", aid(project, "a5"), "uncertainty") == aid(project, "a1")
        assert store.next_article("ali", aid(project, "a6"), "uncertainty") == aid(project, "a2")
        assert store.priority_model("ali") == "crf/ali@2"


def test_a_model_that_learnt_from_what_she_may_no_longer_read_orders_nothing(tmp_path: Path) -> None:
    """ali trained in an open project (his model learnt mona's labels); once the project is
    blind his model may not order his queue: refused, his stored order and mona's unchanged."""
    with make_team_project(tmp_path / "news.db") as project:
        label_a1(project)
        store = project.store
        with store.transaction():
            store.set_meta("team.visibility", "open")
            store.replace_priorities("mona", ids_of(project, {"a2": 0.3}), "crf/mona@1")
        ali = project.session("ali")
        train_project(project, folds=0, options=Options(max_iterations=5), session=ali)
        # a1's training layer is mona's (3 spans to ali's 2): readable in an open project
        assert store.load_model("crf/ali")[1]["basis"] == ["mona"]  # type: ignore[index]
        assert len(store_uncertainty(ali)) == 6
        first = store.priorities("ali")
        with store.transaction():
            store.set_meta("team.visibility", "blind")
        with pytest.raises(PermissionDenied, match=r"model 'crf/ali' learnt from layers ali may not read \(mona\)"):
            store_uncertainty(ali)
        assert store.priorities("ali") == first
        assert store.priorities("mona") == ids_of(project, {"a2": 0.3})


def test_only_an_admin_scores_someone_elses_queue(tmp_path: Path) -> None:
    with make_team_project(tmp_path / "news.db") as project:
        ali, huda, sara = (project.session(u) for u in ("ali", "huda", "sara"))
        assert queue_session(ali, None) is ali and queue_session(ali, "ali") is ali
        for actor in (ali, huda):
            with pytest.raises(PermissionDenied, match="may not act for 'mona' \\(only an admin may\\)"):
                queue_session(actor, "mona")
        assert queue_session(sara, "mona").user == "mona"
        assert queue_session(sara, "mona").role == "annotator"
