"""Every user action is made again WHOLE after a conflict (annotator.retries): span edits, link
changes, claims, gold decisions, settings and the CLI's writes. The conflict is injected at the
end of the action's outermost transaction, after its body ran (the server's COMMIT refusing,
as PostgreSQL does with 40001): the body's writes are rolled back and the whole call is made
again, so the action lands exactly once. A real deadlock on a server: test_pg_action_retries.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from annotator import retries
from annotator.cli import cli
from annotator.errors import ProjectConflict
from annotator.model import Span
from annotator.project import Project
from annotator.review.adjudication import Adjudicator
from annotator.team import claims
from annotator.team.members import assign, set_visibility

from .team_kit import DAMASCUS, MINISTER, SUNDAY, aid, label_a1, make_team_project

STAMP = re.compile(r"\d{4}-\d\d-\d\dT[\d:.+]+")


class Conflicts:
    """Makes the next ``n`` outermost transactions of ``project`` fail at their end (after
    their body: everything in them is rolled back), as a serialization failure does."""

    def __init__(self, project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
        self.left = 0
        self.opened = 0
        self.depth = 0
        real = project.store.transaction

        @contextmanager
        def transaction() -> Iterator[Any]:
            self.depth += 1
            outermost = self.depth == 1
            try:
                with real() as store:
                    yield store
                    if outermost:
                        self.opened += 1
                        if self.left:
                            self.left -= 1
                            raise ProjectConflict("crossed another user's change")
            finally:
                self.depth -= 1

        monkeypatch.setattr(project.store, "transaction", transaction)
        monkeypatch.setattr(retries, "backoff", lambda attempt: 0.0)

    def next(self, n: int = 1) -> Conflicts:
        self.left, self.opened = n, 0
        return self


@pytest.fixture
def team(tmp_path: Path) -> Iterator[Project]:
    project = make_team_project(tmp_path / "news.db")
    yield project
    project.close()


def _history(project: Project, user: str, article_id: int) -> list[str]:
    """The ops of ``user``'s undo history on an article, oldest first."""
    return [op for op, in project.store.db.execute(  # type: ignore[attr-defined]
        "SELECT json_extract(action, '$.op') FROM history WHERE user = ? AND article_id = ?"
        " ORDER BY id", [user, article_id]).fetchall()]


def test_a_span_edit_is_made_again_whole_and_lands_once(team: Project, monkeypatch) -> None:
    ali = team.session("ali")
    a1 = aid(team, "a1")
    conflicts = Conflicts(team, monkeypatch).next(2)
    span = ali.add_span(a1, *DAMASCUS, "LOCATION")
    assert conflicts.opened == 3  # two attempts rolled back, the third committed
    assert [(s.start, s.end, s.label) for s in ali.spans(a1)] == [(*DAMASCUS, "LOCATION")]
    assert span.id == ali.spans(a1)[0].id
    assert _history(team, "ali", a1) == ["add"]
    conflicts.next(1)
    assert ali.undo(a1) is True and ali.spans(a1) == []  # undo read its step again: one step
    conflicts.next(1)
    assert ali.redo(a1) is True and conflicts.opened == 2
    [back] = ali.spans(a1)
    conflicts.next(1)
    ali.relabel_span(a1, back.id or 0, "PERSON")
    assert conflicts.opened == 2 and [s.label for s in ali.spans(a1)] == ["PERSON"]
    assert _history(team, "ali", a1) == ["add", "relabel"]


def test_a_conflict_that_goes_on_is_one_line_and_nothing_saved(team: Project, monkeypatch) -> None:
    ali = team.session("ali")
    a1 = aid(team, "a1")
    conflicts = Conflicts(team, monkeypatch).next(retries.ATTEMPTS)
    with pytest.raises(ProjectConflict):
        ali.add_span(a1, *DAMASCUS, "LOCATION")
    assert conflicts.opened == retries.ATTEMPTS
    assert ali.spans(a1) == [] and _history(team, "ali", a1) == []


def test_an_action_inside_another_is_made_again_by_the_outer_one_only(team: Project,
                                                                       monkeypatch) -> None:
    """accept_suggestion calls accept_all_suggestions (both actions): the conflict at the outer
    transaction's end repeats the outer call, never the inner one on half a transaction."""
    huda = team.session("huda")  # a reviewer reads the suggestion layers
    a1 = aid(team, "a1")
    suggestion = Span(*SUNDAY, "DATE", team.article(a1).text[SUNDAY[0]:SUNDAY[1]], "suggest:crf")
    conflicts = Conflicts(team, monkeypatch).next(1)
    huda.accept_suggestion(a1, suggestion)
    assert conflicts.opened == 2
    assert [(s.start, s.label, s.provenance) for s in huda.spans(a1)] == [
        (SUNDAY[0], "DATE", "accepted suggestion")]
    assert _history(team, "huda", a1) == ["add_many"]


def _link(p: Project) -> Callable[[], Any]:
    ali, a1 = p.session("ali"), aid(p, "a1")
    head, tail = ali.add_span(a1, *MINISTER, "PERSON"), ali.add_span(a1, *DAMASCUS, "LOCATION")
    return lambda: ali.add_relation(a1, "located-in", head.id or 0, tail.id or 0)


def _gold(p: Project) -> Callable[[], Any]:
    a1 = label_a1(p)
    return lambda: Adjudicator(p.session("huda")).accept_agreements(a1)


# Each kind of action: what it needs made first (not meeting the conflict), then the action.
ACTIONS: dict[str, Callable[[Project], Callable[[], Any]]] = {
    "link": _link,
    "claim": lambda p: lambda: claims.claim_next(p.session("ali")),
    "state": lambda p: lambda: p.session("ali").set_state(aid(p, "a1"), "done"),
    "assign": lambda p: lambda: assign(p.session("sara"), ["ali", "mona"], 1, seed=3),
    "visibility": lambda p: lambda: set_visibility(p.session("sara"), "open"),
    "gold": _gold,
    "schema": lambda p: lambda: p.add_labels(["SATELLITE"]),
}


@pytest.mark.parametrize("kind", ACTIONS)
def test_every_kind_of_action_survives_a_conflict_with_the_result_of_one(
    team: Project, tmp_path: Path, monkeypatch, kind: str
) -> None:
    """The same action on a twin project with no conflict leaves the same rows."""
    twin = make_team_project(tmp_path / "twin.db")
    expected = ACTIONS[kind](twin)()
    action = ACTIONS[kind](team)
    conflicts = Conflicts(team, monkeypatch).next(1)
    got = action()
    assert conflicts.left == 0 and conflicts.opened == 2
    assert got == expected
    assert _rows(team) == _rows(twin)
    twin.close()


def _rows(project: Project) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows without time stamps (which differ between the two projects)."""
    db = project.store.db  # type: ignore[attr-defined]
    out = {}
    for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"
                              " AND name NOT LIKE 'article_search%' AND name != 'project_meta'"):
        columns = [c[1] for c in db.execute(f'PRAGMA table_info("{name}")')
                   if not c[1].endswith(("_at", "at"))]
        cols = ", ".join(f'"{c}"' for c in columns)
        rows = db.execute(f'SELECT {cols} FROM "{name}"').fetchall()
        out[name] = sorted((tuple(_unstamped(v) for v in row) for row in rows), key=repr)
    return out


def _unstamped(value: Any) -> Any:
    """A time stamp inside a value (a gold span's provenance) as ``T``."""
    return STAMP.sub("T", value) if isinstance(value, str) else value


def test_a_cli_command_that_writes_survives_a_conflict(team: Project, tmp_path: Path,
                                                       monkeypatch) -> None:
    """The CLI's writes are the core's actions: ``assign`` after one conflict prints and stores
    what it does without one."""
    twin = make_team_project(tmp_path / "twin.db")
    twin.close()
    team.close()
    args = ["--users", "ali,mona", "--per-article", "1", "--as", "sara"]
    expected = CliRunner().invoke(cli, ["assign", str(twin.path), *args], catch_exceptions=False)
    opened: list[Conflicts] = []
    real_open = Project.open

    def open_with_a_conflict(location: Any, **kwargs: Any) -> Project:
        project = real_open(location, **kwargs)
        opened.append(Conflicts(project, monkeypatch).next(1))
        return project

    monkeypatch.setattr(Project, "open", open_with_a_conflict)
    result = CliRunner().invoke(cli, ["assign", str(team.path), *args], catch_exceptions=False)
    assert (result.exit_code, result.stdout) == (0, expected.stdout)
    assert [c.opened for c in opened] == [2]
    with real_open(team.path) as project, real_open(twin.path) as other:
        assert _rows(project) == _rows(other)
