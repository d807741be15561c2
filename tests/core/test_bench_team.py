"""The team bench's smoke run and its checker (``bench/bench_team.py``, issue 14 "Measured").

The bench's figures are printed, not asserted; what IS asserted here is what must hold at any
size: after worker processes label concurrently, the store holds exactly what their logs say was
acknowledged (zero lost, zero duplicated) and no article was held by two users at once. The
checker itself is shown to fail: a span removed or added behind the workers' backs is counted.
"""

from __future__ import annotations

import json
from pathlib import Path

from annotator.model import make_span
from annotator.project import Project
from bench.bench_team import article_text, check, load, run
from bench.team_report import claimed_twice, percentiles

ARTICLES = 2_000
"""Enough that two workers without pauses cannot run out in 3 s: a worker's queue is every
article not done by HER, and a fast run did ~420 actions/s per worker, 15 % of them done -> next
(~190 articles each); with 200 articles a worker ran out and logged that as an error."""


def _smoke(target: str, folder: Path) -> None:
    result = run(target, "t", 2, 3.0, False, folder=folder)
    assert result.failed == []
    assert result.acked > 10  # both workers acted, without pauses, for 3 s
    assert {result.lost, result.duplicated, result.claimed_twice, result.mismatches} == {0}
    assert result.errors == 0
    assert len(result.add_ms) > 0 and len(result.claim_ms) >= 2  # each worker's first claim


def test_two_workers_on_a_project_file_lose_and_duplicate_nothing(tmp_path: Path):
    target = str(tmp_path / "team.db")
    load(target, ARTICLES)
    _smoke(target, tmp_path)


def test_two_workers_on_a_server_project_lose_and_duplicate_nothing(tmp_path: Path, pg_url: str):
    """Marked ``pg`` by its fixture (tests/conftest.py); the test cluster runs with fsync off."""
    load(pg_url, ARTICLES)
    _smoke(pg_url, tmp_path)


def test_the_check_counts_a_lost_and_an_unacknowledged_span(tmp_path: Path):
    target = str(tmp_path / "team.db")
    load(target, 200)
    result = run(target, "t", 1, 2.0, False, folder=tmp_path)
    assert result.lost == result.duplicated == 0
    log = next(tmp_path.glob("t*u00.jsonl"))
    user = log.stem
    with Project.open(target) as project:
        session = project.session(user)
        article = next(a for a in project.store.articles_of_layer(user) if session.spans(a))
        held = session.spans(article)
        text = project.article(article).text
        label = next(x for x in project.schema.names if (0, 3, x) not in {(s.start, s.end, s.label) for s in held})
        with project.store.transaction():
            project.store.delete_span(held[0].id)  # type: ignore[arg-type]
            project.store.insert_span(article, make_span(text, 0, 3, label, user))
    assert check(target, [log]) == (1, 1)


def test_the_logs_record_only_acknowledged_actions_with_their_effect(tmp_path: Path):
    target = str(tmp_path / "team.db")
    load(target, 50)
    run(target, "t", 1, 1.0, False, folder=tmp_path)
    lines = [json.loads(x) for x in next(tmp_path.glob("t*u00.jsonl")).read_text().splitlines()]
    assert lines[0]["op"] == "ready" and lines[-1]["op"] == "end"
    adds = [x for x in lines if x["op"] == "add"]
    assert adds and all(len(x["plus"]) == 1 and x["minus"] == [] for x in adds)
    a, start, end, _ = adds[0]["plus"][0]
    assert a == adds[0]["a"] and article_text(a)[start:end].strip() == article_text(a)[start:end]


def test_claimed_twice_counts_overlapping_holds_by_different_users_only():
    def line(op: str, a: int, t: float, user: str) -> dict[str, object]:
        return {"op": op, "a": a, "t": t, "user": user}

    lines = [
        line("claim", 1, 0, "ali"), line("done", 1, 5, "ali"),
        line("claim", 1, 6, "mona"),  # after ali's done: a second annotation, not a double claim
        line("claim", 2, 0, "ali"), line("claim", 2, 1, "omar"),  # both hold 2
        line("claim", 3, 0, "huda"), line("claim", 4, 1, "huda"), line("done", 3, 2, "huda"),
    ]
    assert claimed_twice(lines) == 1
    assert claimed_twice(lines[:3]) == 0
    # A done -> next that failed (server restart) may have released its article unanswered:
    # another user taking it afterwards is not a double claim, nor is the late "done".
    restart = [line("claim", 5, 0, "ali"), dict(line("error", 5, 10, "ali"), kind="next", ms=500.0),
               line("claim", 5, 11, "mona"), line("done", 5, 20, "ali")]
    assert claimed_twice(restart) == 0
    assert claimed_twice([*restart[:1], *restart[2:]]) == 1


def test_percentiles_are_the_inclusive_ones():
    assert percentiles([float(x) for x in range(1, 101)]) == (50.5, 95.05, 99.01)
    assert percentiles([7.0]) == (7.0, 7.0, 7.0)


def test_the_report_doctests_hold():
    """bench/ is outside pytest's doctest paths; its report's examples are checked here."""
    import doctest

    from bench import team_report

    assert doctest.testmod(team_report).failed == 0
