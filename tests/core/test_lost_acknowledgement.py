"""A change committed whose acknowledgement was lost, sent again: one copy stored (issue 14).

The connection drops after COMMIT but before the client hears it: the server has the change,
the client saw only ``ProjectOffline``. The desk sends the change again with the id it gave it
(``Session.send``); the id is stored with the change's undo step in the same transaction, so
the second sending finds it and makes nothing. Without the id an undo sent twice undoes two
steps, and a relabel records two. On a project file and on a server (the latter marked pg).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from annotator.editing import ALREADY_STORED
from annotator.errors import ProjectOffline
from annotator.importing import import_documents
from annotator.model import Document
from annotator.project import Project, Session

TEXT = "زار وزير الدفاع دمشق يوم الأحد"
MINISTER = (len("زار "), len("زار وزير الدفاع"))
DAMASCUS = (len("زار وزير الدفاع "), len("زار وزير الدفاع دمشق"))


@pytest.fixture(params=["file", "server"])
def project(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Project]:
    location = str(tmp_path / "news.db")
    if request.param == "server":
        pytest.importorskip("psycopg")
        location = request.getfixturevalue("pg_url")
    with Project.create(location) as made:
        import_documents(made, [Document("a1", TEXT, "t1")])
        yield made


def lose_the_next_answer(project: Project, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The next outermost transaction commits, then its answer is lost: ``ProjectOffline``.
    Returns a list that counts the commits whose answer was lost."""
    real = project.store.transaction
    lost: list[int] = []
    depth = [0]

    @contextmanager
    def transaction() -> Iterator[Any]:
        depth[0] += 1
        try:
            with real() as store:
                yield store
        finally:
            depth[0] -= 1
        if depth[0] == 0 and not lost:  # committed: only the answer goes missing
            lost.append(1)
            raise ProjectOffline(f"{project.path}: server closed the connection unexpectedly")

    monkeypatch.setattr(project.store, "transaction", transaction)
    return lost


def send_with_a_lost_answer(session: Session, monkeypatch: pytest.MonkeyPatch,
                            change: Callable[[], Any], client_id: str) -> Any:
    """Send ``change`` (calls of ``session``), lose its acknowledgement, send it again as the
    desk does."""
    lost = lose_the_next_answer(session.project, monkeypatch)
    with pytest.raises(ProjectOffline):
        session.send(client_id, change)
    assert lost == [1]
    monkeypatch.undo()
    return session.send(client_id, change, again=True)


def test_an_undo_sent_again_after_a_lost_answer_undoes_one_step(project: Project,
                                                                  monkeypatch) -> None:
    ali = project.session("ali")
    a1 = project.article_ids()[0]
    ali.add_span(a1, *MINISTER, "PERSON")
    ali.add_span(a1, *DAMASCUS, "LOCATION")
    again = send_with_a_lost_answer(ali, monkeypatch, lambda: ali.undo(a1), "c-undo")
    assert again is ALREADY_STORED
    assert [(s.start, s.end) for s in ali.spans(a1)] == [MINISTER]  # one step undone, not two
    assert ali.can_redo(a1) and ali.can_undo(a1)


def test_a_relabel_sent_again_is_one_step_and_a_new_change_is_made(project: Project,
                                                                      monkeypatch) -> None:
    ali = project.session("ali")
    a1 = project.article_ids()[0]
    span = ali.add_span(a1, *DAMASCUS, "LOCATION")
    again = send_with_a_lost_answer(
        ali, monkeypatch, lambda: ali.relabel_span(a1, span.id or 0, "PERSON"), "c-relabel")
    assert again is ALREADY_STORED
    assert [s.label for s in ali.spans(a1)] == ["PERSON"]
    assert ali.undo(a1) and [s.label for s in ali.spans(a1)] == ["LOCATION"]
    assert ali.undo(a1) and ali.spans(a1) == []  # add, relabel: two steps in all
    assert not ali.can_undo(a1)
    # A change sent again that was NOT stored (the connection dropped before COMMIT) is made.
    assert ali.send("c-new", lambda: ali.add_span(a1, *MINISTER, "PERSON"), again=True).label == "PERSON"


def test_a_new_event_and_its_first_argument_are_one_change(project: Project, monkeypatch) -> None:
    """The desk fills a role of an event not made yet as ONE change (fill_role): sent again
    after a lost answer, neither the event nor the argument is made twice or left out."""
    ali = project.session("ali")
    a1 = project.article_ids()[0]
    kind = project.schema.event_types[0]  # attack: an ATTACK trigger, attacker first
    role = kind.roles[0]
    trigger = ali.add_span(a1, *MINISTER, kind.trigger_label)
    filler = ali.add_span(a1, *DAMASCUS, role.labels[0])
    again = send_with_a_lost_answer(ali, monkeypatch, lambda: ali.fill_role(
        a1, None, kind.name, trigger.id or 0, role.name, filler.id or 0), "c-fill")
    assert again is ALREADY_STORED
    [event] = ali.events(a1)
    assert [(a.role, a.span.id) for a in event.arguments] == [(role.name, filler.id)]
