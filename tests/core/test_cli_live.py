"""The commands of issue 14's live work: the claim lapse setting and ``stats --watch``."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from annotator.cli import cli
from annotator.importing import import_documents
from annotator.live import ProgressWatch, watch
from annotator.model import Document
from annotator.project import Project
from annotator.team import claims
from tests.core.team_kit import make_team_project


def invoke(*args: object) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_settings_sets_the_claim_lapse_and_lists_live_claims(tmp_path: Path) -> None:
    path = tmp_path / "news.db"
    with make_team_project(path) as project:
        first = project.article_ids()[0]
        assert claims.claim_next(project.session("mona")) == first
        expires = claims.live_claims(project)[0].expires_at
    code, out, _ = invoke("settings", path, "--claim-lapse", "45", "--as", "sara")
    assert code == 0
    assert out.splitlines()[2:] == [
        "claim lapse  45 min", "claimed now  1", f"  {first:>8}  {'mona':<16} until {expires}"]
    with Project.open(path) as project:
        assert claims.lapse_s(project) == 2700.0
    code, _, err = invoke("settings", path, "--claim-lapse", "5", "--as", "ali")
    assert code == 2 and err == "annotator: error: ali is annotator; this needs admin\n"


def test_a_watch_sees_another_connections_commit_once(tmp_path: Path) -> None:
    path = tmp_path / "news.db"
    with Project.create(path) as project, ProgressWatch(project) as progress:
        assert not progress.changed()
        with Project.open(path) as other:
            import_documents(other, [Document("a1", "خبر عاجل")])
        assert progress.changed()
        assert not progress.changed()  # once per batch


def test_stats_watch_prints_again_only_after_someone_changes_something(tmp_path: Path) -> None:
    path = tmp_path / "news.db"
    Project.create(path).close()
    seen: list[int] = []
    with Project.open(path, read_only=True) as project:
        def show() -> None:
            seen.append(project.article_count())

        def sleep(_: float) -> None:  # between two polls, somebody imports once
            if len(seen) == 1 and not getattr(sleep, "done", False):
                with Project.open(path) as other:
                    import_documents(other, [Document("a1", "خبر عاجل")])
                sleep.done = True  # type: ignore[attr-defined]

        assert watch(project, 0.01, show, rounds=3, sleep=sleep) == 2
    assert seen == [0, 1]


def test_stats_watch_json_is_one_line_per_reading(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "news.db"
    Project.create(path).close()
    import annotator.live as live

    real = live.watch
    monkeypatch.setattr(live, "watch", lambda *a, **k: real(*a, **k, rounds=1, sleep=lambda _: None))
    code, out, _ = invoke("stats", path, "--json", "--watch", "1")
    assert code == 0
    (line,) = out.splitlines()
    reading = json.loads(line)
    assert reading["articles"] == 0 and reading["at"].endswith("+00:00")
