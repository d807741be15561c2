"""``annotator suggest --train`` / ``--order`` store the queue's priorities; the project is checked."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli import cli
from annotator.formats.conll import read_conll
from annotator.importing import import_documents
from annotator.model import Document
from annotator.project import Project

pytest.importorskip("pycrfsuite")


@pytest.fixture
def aqmar_db(tmp_path: Path, fixtures_dir: Path) -> Path:
    """Two labelled AQMAR articles (layer ``aqmar``) and two unlabelled ones, ``held`` and ``novel``."""
    path = tmp_path / "news.db"
    docs = list(read_conll(fixtures_dir / "aqmar_suggest.conll"))
    with Project.create(path) as project:
        import_documents(project, docs[:2], as_annotator="aqmar", new_labels="add")
        import_documents(
            project,
            [
                Document("held", docs[3].text, title="held"),
                Document("novel", "هرعت سيارات الإسعاف إلى الحقل النفطي", title="novel"),
            ],
        )
    return path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["suggest", *args])
    return result.exit_code, result.output


def priorities(path: Path, user: str) -> dict[str, float]:
    with Project.open(path) as project:
        store = project.store
        return {store.article(a).doc_id: s for a, s in store.priorities(user).items()}


def test_train_then_order_store_scores_of_not_done_articles(aqmar_db: Path) -> None:
    code, out = run(str(aqmar_db), "--train", "--folds", "0", "--iterations", "30", "--as", "mona")
    assert code == 0, out
    assert out.splitlines()[-1].endswith(
        "; model saved in the project; 4 not-done articles scored for mona's queue"
    )
    after_train = priorities(aqmar_db, "mona")
    with Project.open(aqmar_db) as project:
        every = {project.store.article(a).doc_id for a in project.store.article_ids()}
        assert set(after_train) == every and len(every) == 4  # nothing done yet: all scored
        held = project.store.article_id_by_doc_id("held")
        first = max(after_train, key=lambda d: after_train[d])  # the most informative
        project.session("mona").set_state(project.store.article_id_by_doc_id(first), "done")
    code, out = run(str(aqmar_db), "--order", "--user", "mona", "--as", "omar")  # no admin yet
    assert code == 0, out
    stored = priorities(aqmar_db, "mona")
    assert first not in stored and len(stored) == 3  # mona's done article is no longer scored
    assert stored == {d: after_train[d] for d in stored}  # same model, same scores
    printed = [line.split("\t") for line in out.splitlines()]
    # Printed: the unlabelled ones (no one worked on them), most uncertain first, stored scores.
    expected = sorted((d for d in ("held", "novel") if d != first), key=lambda d: (-stored[d], d))
    assert [p[1] for p in printed] == expected
    assert [p[0] for p in printed] == [f"{stored[d]:.4f}" for d in expected]
    with Project.open(aqmar_db) as project:
        session = project.session("mona")
        order = [r.doc_id for r in session.queue(order="uncertainty")]
        assert order == [*sorted(stored, key=lambda d: (-stored[d], d)), first]
        assert (
            project.store.article(session.next_article(held, order="uncertainty")).doc_id
            == order[0]
        )


def test_order_with_a_users_assignments_scores_only_their_queue(aqmar_db: Path) -> None:
    assert run(str(aqmar_db), "--train", "--folds", "0", "--iterations", "30", "--as", "omar")[0] == 0
    with Project.open(aqmar_db) as project, project.store.transaction():
        for doc_id in ("held", "novel"):
            project.store.assign(project.store.article_id_by_doc_id(doc_id), "ali")
    code, out = run(str(aqmar_db), "--order", "--user", "ali", "--limit", "1", "--as", "omar")
    assert code == 0, out
    assert sorted(priorities(aqmar_db, "ali")) == ["held", "novel"]
    assert len(priorities(aqmar_db, "omar")) == 4  # omar's own queue (from --train) kept
    assert len(out.splitlines()) == 1
