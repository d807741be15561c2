"""The queue's "most informative first" order: stored priorities, exact pages, next article, scale."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from annotator.errors import ProjectError
from annotator.formats.conll import read_conll
from annotator.importing import import_documents
from annotator.model import Document
from annotator.project import Project, Session
from annotator.store import LAYOUT_VERSION
from annotator.suggest.active import article_uncertainty, store_uncertainty, unlabelled_articles
from annotator.suggest.crf import Options

USER = "mona"
# Known scores: a3 highest, a1 and a5 tie (lower id first), a2/a4/a6 unscored.
SCORES = {"a3": 0.9, "a1": 0.5, "a5": 0.5}


@pytest.fixture
def scored(tmp_path: Path):
    """Six articles a1..a6, priorities SCORES stored; yields (project, {doc_id: article id})."""
    with Project.create(tmp_path / "news.db") as project:
        import_documents(
            project, [Document(f"a{i}", f"خبر رقم {i}", title=f"t{i}") for i in range(1, 7)]
        )
        ids = {f"a{i}": project.store.article_id_by_doc_id(f"a{i}") for i in range(1, 7)}
        with project.store.transaction():
            project.store.replace_priorities(USER, {ids[d]: s for d, s in SCORES.items()}, "test")
        yield project, ids


def docs(session: Session, **kwargs) -> list[str]:
    return [row.doc_id for row in session.queue(**kwargs)]


def test_uncertainty_order_is_score_then_unscored_by_id(scored) -> None:
    project, _ = scored
    session = project.session(USER)
    assert docs(session) == ["a1", "a2", "a3", "a4", "a5", "a6"]
    assert docs(session, order="uncertainty") == ["a3", "a1", "a5", "a2", "a4", "a6"]
    # Pages: inside the scored part, straddling its end, past it.
    pages = [docs(session, order="uncertainty", offset=o, limit=2) for o in (0, 2, 4, 6)]
    assert pages == [["a3", "a1"], ["a5", "a2"], ["a4", "a6"], []]
    assert docs(session, order="uncertainty", offset=1, limit=4) == ["a1", "a5", "a2", "a4"]
    assert session.queue_count() == 6
    with pytest.raises(ProjectError, match="unknown queue order 'score'"):
        session.queue(order="score")


def test_done_articles_keep_their_place_and_stay_filterable(scored) -> None:
    project, ids = scored
    session = project.session(USER)
    session.set_state(ids["a3"], "done")
    session.set_state(ids["a4"], "done")
    assert docs(session, order="uncertainty") == ["a3", "a1", "a5", "a2", "a4", "a6"]
    assert docs(session, order="uncertainty", state="done") == ["a3", "a4"]
    assert docs(session, order="uncertainty", state="new") == ["a1", "a5", "a2", "a6"]
    assert docs(session, order="uncertainty", state="new", offset=3, limit=5) == ["a6"]
    assert session.queue_count(state="new") == 4
    assert [r.state for r in session.queue(order="uncertainty", limit=1)] == ["done"]


def test_search_and_label_filters_apply_to_both_parts(scored) -> None:
    project, ids = scored
    session = project.session(USER)
    label = project.schema.names[0]
    for d in ("a5", "a2"):
        session.add_span(ids[d], 0, len("خبر"), label)
    assert docs(session, order="uncertainty", label=label) == ["a5", "a2"]
    assert docs(session, order="uncertainty", label=label, offset=1) == ["a2"]
    assert docs(session, order="uncertainty", search="رقم 5") == ["a5"]  # trigram index
    assert docs(session, order="uncertainty", search="t4") == ["a4"]  # short: title LIKE
    assert docs(session, order="uncertainty", search="t3") == ["a3"]
    assert docs(session, order="uncertainty", state="in_progress") == ["a5", "a2"]


def test_next_article_follows_the_order_and_takes_unscored_last(scored) -> None:
    project, ids = scored
    session = project.session(USER)
    name = {v: k for k, v in ids.items()}
    assert name[session.next_article(None, order="uncertainty")] == "a3"
    assert name[session.next_article(ids["a3"], order="uncertainty")] == "a1"  # other than current
    assert name[session.next_article(ids["a3"])] == "a4"  # id order: after a3
    session.set_state(ids["a3"], "done")
    session.set_state(ids["a1"], "done")
    assert name[session.next_article(ids["a1"], order="uncertainty")] == "a5"
    session.set_state(ids["a5"], "done")
    assert name[session.next_article(ids["a5"], order="uncertainty")] == "a2"  # unscored: by id
    assert name[session.next_article(ids["a2"], order="uncertainty")] == "a4"
    for d in ("a2", "a4", "a6"):
        session.set_state(ids[d], "done")
    assert session.next_article(ids["a6"], order="uncertainty") is None


def test_assignments_restrict_the_uncertainty_queue(scored) -> None:
    project, ids = scored
    with project.store.transaction():
        for d in ("a1", "a2", "a3"):
            project.store.assign(ids[d], "ali")
    ali = project.session("ali")
    assert docs(ali, order="uncertainty") == ["a1", "a2", "a3"]  # mona's scores are not ali's
    with project.store.transaction():
        project.store.replace_priorities("ali", {ids[d]: s for d, s in SCORES.items()}, "test")
    assert docs(ali, order="uncertainty") == ["a3", "a1", "a2"]
    assert project.store.unfinished_articles("ali") == [ids["a1"], ids["a2"], ids["a3"]]
    ali.set_state(ids["a3"], "done")
    assert project.store.unfinished_articles("ali") == [ids["a1"], ids["a2"]]
    assert project.store.unfinished_articles() == [i for d, i in sorted(ids.items()) if d != "a3"]
    assert {ids[d] for d in ("a1", "a2")} == {
        ali.next_article(ids["a3"], order="uncertainty"),
        ali.next_article(ids["a1"], order="uncertainty"),
    }


def test_queue_order_is_remembered_per_user(scored) -> None:
    project, _ = scored
    mona, ali = project.session(USER), project.session("ali")
    assert mona.queue_order() == "id"
    mona.set_queue_order("uncertainty")
    assert (mona.queue_order(), ali.queue_order()) == ("uncertainty", "id")
    with pytest.raises(ProjectError):
        mona.set_queue_order("random")


def test_store_uncertainty_scores_the_users_not_done_articles(
    fixtures_dir: Path, tmp_path: Path
) -> None:
    pytest.importorskip("pycrfsuite")
    conll = list(read_conll(fixtures_dir / "aqmar_suggest.conll"))
    with Project.create(tmp_path / "al.db") as project:
        import_documents(project, conll[:2], as_annotator="aqmar", new_labels="add")
        import_documents(
            project,
            [
                Document("novel", "انطلقت صافرات الإنذار وهرعت سيارات الإسعاف"),
                Document("other", conll[3].text),
                Document("done", conll[2].text),
            ],
        )
        store = project.store
        ids = {d: store.article_id_by_doc_id(d) for d in ("novel", "other", "done")}
        with store.transaction():
            store.replace_priorities(USER, {ids["done"]: 9.0}, "stale")
        session = project.session(USER)
        session.set_state(ids["done"], "done")
        assert store_uncertainty(session) == {}  # no model yet: nothing changes
        assert store.priorities(USER) == {ids["done"]: 9.0}
        from annotator.suggest.pipeline import load_model, train_project

        train_project(project, folds=0, options=Options(max_iterations=30))
        model = load_model(project)
        scores = store_uncertainty(session)
        expected = {
            a: article_uncertainty(model, store.article(a).text)
            for a in store.article_ids()
            if a != ids["done"]
        }
        assert scores == expected and len(scores) == 4  # 2 training articles + novel + other
        assert store.priorities(USER) == dict(sorted(expected.items(), key=lambda kv: (-kv[1], kv[0])))
        assert store.priority_model(USER) == "crf@" + store.load_model("crf")[2]
        order = [r.article_id for r in session.queue(order="uncertainty")]
        assert order == [*store.priorities(USER), ids["done"]]  # done: unscored now, so last
        assert set(unlabelled_articles(project)) <= set(scores)


def test_uncertainty_page_of_100k_articles_reads_the_score_index(tmp_path: Path) -> None:
    """Generated rows (plain INSERTs: importing 100k articles would take a minute)."""
    n = 100_000
    with Project.create(tmp_path / "big.db") as project:
        conn = project.store.db.conn
        with project.store.transaction():
            conn.executemany(
                "INSERT INTO articles (id, doc_id, title, text, meta, content_hash) VALUES (?, ?, ?, ?, '{}', ?)",
                ((i, f"d{i}", f"t{i}", "نص", f"h{i}") for i in range(1, n + 1)),
            )
            # Two thirds scored, pseudo-random but known: score of i is (i * 7919 % n) / n.
            project.store.replace_priorities(
                USER, {i: (i * 7919 % n) / n for i in range(1, n + 1) if i % 3}, "gen"
            )
        session = project.session(USER)
        statements: list[str] = []
        conn.set_trace_callback(statements.append)
        began = time.perf_counter()
        first = session.queue(order="uncertainty", limit=200)
        first_ms = (time.perf_counter() - began) * 1000
        conn.set_trace_callback(None)
        expected = sorted((i for i in range(1, n + 1) if i % 3), key=lambda i: (-(i * 7919 % n), i))
        assert [r.article_id for r in first] == expected[:200]
        page_sql = next(s for s in statements if "FROM article_priority p" in s)
        plan = [r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + page_sql)]
        # The page's ids come off the score index; only the page itself (200 rows) is sorted.
        assert "SEARCH p USING COVERING INDEX idx_article_priority_user_score (user=?)" in plan, plan
        assert not any(step.startswith("SCAN a") for step in plan), plan
        assert first_ms < 50, f"first page {first_ms:.1f} ms"
        began = time.perf_counter()
        last = session.queue(order="uncertainty", offset=n - 100, limit=200)  # past the scored part
        deep_ms = (time.perf_counter() - began) * 1000
        assert [r.article_id for r in last] == list(range(3, n + 1, 3))[-100:]  # unscored, by id
        assert deep_ms < 500, f"last page {deep_ms:.1f} ms"
        assert session.next_article(expected[0], order="uncertainty") == expected[1]
        print(
            f"100k articles, uncertainty order: first page {first_ms:.1f} ms, last page {deep_ms:.1f} ms"
        )


def test_a_layout_3_project_gains_the_priority_table(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with Project.create(path) as project:
        import_documents(project, [Document("a1", "خبر")])
        conn = project.store.db.conn
        conn.execute("DROP TABLE article_priority")  # as a file from before layout 4
        conn.execute("DROP TABLE work_packages")  # (layout 5)
        for table in ("event_arguments", "events", "relations"):  # (layout 7)
            conn.execute(f"DROP TABLE {table}")
        conn.execute("PRAGMA user_version = 3")
    with Project.open(path) as project:
        assert project.store.db.execute("PRAGMA user_version").fetchone()[0] == LAYOUT_VERSION >= 4
        assert [r.doc_id for r in project.session(USER).queue(order="uncertainty")] == ["a1"]
        assert project.store.priorities(USER) == {}
