"""SIGKILL at random moments: no acknowledged span lost, no half-written import or export.

The children are forked (no interpreter start-up), so CI gets a dozen kills in seconds;
``bench/bench_crash.py`` does 50+ kills with fresh interpreters.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from annotator.atomic_files import leftover_temp_files
from annotator.project import Project
from tests.core import crash_child
from tests.core.crash_kit import (
    check_export,
    check_import,
    check_labels,
    check_merge,
    check_project_exports,
    run_and_kill,
)

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL (POSIX)")

LABEL_KILLS = 12
IMPORT_KILLS = 4
EXPORT_KILLS = 4
MERGE_KILLS = 4


def test_killed_labeller_loses_no_acknowledged_span(tmp_path: Path) -> None:
    path = tmp_path / "news.db"
    crash_child.prepare_project(path)
    acknowledged: list[str] = []
    for kill_number in range(LABEL_KILLS):
        kill = run_and_kill("label", path, seed=kill_number, max_delay_s=0.25, fork=True)
        assert kill.ready, f"child {kill_number} never opened the project"
        acknowledged += kill.acknowledged
        # Every span acknowledged by *any* earlier child must still be there, unchanged.
        assert check_labels(path, acknowledged) == [], f"after kill {kill_number}"
    assert len(acknowledged) >= LABEL_KILLS  # the children really were labelling when killed
    with Project.open(path) as project:
        stored = {
            s.id
            for a in range(1, crash_child.ARTICLES + 1)
            for s in project.session("mona").spans(a)
        }
    # Nothing acknowledged is missing; at most one unacknowledged span per kill (the one that
    # committed just before the report line could be written).
    acknowledged_ids = {int(line.split()[0]) for line in acknowledged}
    assert acknowledged_ids <= stored
    assert len(stored - acknowledged_ids) <= LABEL_KILLS


def test_killed_import_is_all_or_nothing(tmp_path: Path) -> None:
    path = tmp_path / "news.db"
    crash_child.prepare_project(path)
    articles = crash_child.ARTICLES
    for kill_number in range(IMPORT_KILLS):
        kill = run_and_kill("import", path, seed=kill_number + 1, max_delay_s=1.0, fork=True)
        assert kill.ready
        problems, articles = check_import(path, articles, kill.acknowledged)
        assert problems == [], f"after kill {kill_number}"


def test_killed_export_never_leaves_a_truncated_file(tmp_path: Path) -> None:
    target = tmp_path / "news.conll"
    for kill_number in range(EXPORT_KILLS):
        kill = run_and_kill("export", target, seed=kill_number + 1, max_delay_s=0.5, fork=True)
        assert kill.ready
        assert check_export(target, kill.acknowledged) == [], f"after kill {kill_number}"
    # A kill can leave a temporary file (the process had no chance to remove it): never under
    # the final name, and recognisable by its prefix.
    for leftover in leftover_temp_files(tmp_path):
        assert leftover.name.startswith(".annotator-tmp-") and leftover.name.endswith(".part")


def test_killed_project_export_never_leaves_a_truncated_file(tmp_path: Path) -> None:
    """The real exporter (annotator.exporting, through atomic_write), JSONL and CoNLL."""
    path = tmp_path / "news.db"
    crash_child.prepare_export_project(path)
    exported = _kill_until_one_finishes(
        "export_project", path, EXPORT_KILLS,
        lambda _: check_project_exports(tmp_path, crash_child.EXPORT_ARTICLES))
    assert exported >= 1  # some exports finished, so the kills also landed between and inside them


def test_killed_merge_is_all_or_nothing(tmp_path: Path) -> None:
    """A merge is one transaction: killed anywhere, mona's layer is one whole merge's result."""
    path = tmp_path / "news.db"
    digests = crash_child.prepare_merge(path)
    merged = _kill_until_one_finishes(
        "merge", path, MERGE_KILLS, lambda acknowledged: check_merge(path, digests, acknowledged))
    assert merged >= 1


def test_check_merge_catches_half_a_merge(tmp_path: Path) -> None:
    path = tmp_path / "news.db"
    digests = crash_child.prepare_merge(path)
    assert check_merge(path, digests, []) == []
    assert check_merge(path, digests, ["merged b.annot"]) == [
        "merged b.annot was acknowledged but mona's layer is as packed"
    ]
    with Project.open(path) as project:
        project.store.db.execute("DELETE FROM spans WHERE id = 1")
        project.store.db.conn.commit()
    assert check_merge(path, digests, []) == ["mona's layer holds 999 spans: not one whole merge"]


def test_check_project_exports_catches_a_cut_file(tmp_path: Path) -> None:
    (tmp_path / "out.jsonl").write_text('{"id": "e0"}\n{"id": "e1"}\n', encoding="utf-8")
    (tmp_path / "out.conll").write_text(crash_child.DOCSTART_LINE + "\nقال\tO\n", encoding="utf-8")
    assert check_project_exports(tmp_path, 3) == [
        f"{tmp_path / 'out.jsonl'}: 2 of 3 articles",
        f"{tmp_path / 'out.conll'}: 1 of 3 documents",
    ]


def test_check_export_catches_a_truncated_file(tmp_path: Path) -> None:
    """The checker itself must fail on what a plain open(..., "w") leaves behind."""
    target = tmp_path / "news.conll"
    target.write_text(crash_child.export_body(3)[:50_000], encoding="utf-8")
    assert check_export(target, []) == [f"{target} is truncated (50000 characters)"]
    target.write_text(crash_child.export_body(3), encoding="utf-8")
    assert check_export(target, ["exported 3"]) == []


def test_check_labels_catches_a_lost_span(tmp_path: Path) -> None:
    path = tmp_path / "news.db"
    crash_child.prepare_project(path)
    assert check_labels(path, ["99 1 0 3 LOCATION"]) == ["acknowledged span 99 is missing"]


RENAME_KILLS = 4
RESTORE_KILLS = 6


def test_killed_schema_rename_never_leaves_spans_half_renamed(tmp_path: Path) -> None:
    from tests.core.crash_kit import check_rename

    path = tmp_path / "news.db"
    crash_child.prepare_export_project(path)
    with Project.open(path) as project:
        versions = project.schema.version
    renamed = 0
    for kill_number in range(RENAME_KILLS):
        kill = run_and_kill("rename", path, seed=kill_number, max_delay_s=0.5, fork=True)
        assert kill.ready
        renamed += len(kill.acknowledged)
        problems, versions = check_rename(path, kill.acknowledged, versions)
        assert problems == [], f"after kill {kill_number}"
    assert renamed >= 1


def test_killed_restore_always_leaves_the_old_or_the_new_project(tmp_path: Path) -> None:
    from tests.core.crash_kit import check_restore

    path = tmp_path / "news.db"
    crash_child.prepare_restore_project(path)
    restored = 0
    for kill_number in range(RESTORE_KILLS):
        kill = run_and_kill("restore", path, seed=kill_number, max_delay_s=0.3, fork=True)
        assert kill.ready
        restored += len(kill.acknowledged)
        assert check_restore(path, kill.acknowledged) == [], f"after kill {kill_number}"
    assert restored >= 1


def _kill_until_one_finishes(mode: str, path: Path, kills: int,
                             problems: Callable[[list[str]], list[str]]) -> int:
    """Kill ``mode`` ``kills`` times within 1 s of its start, checking ``problems`` after each;
    the number of runs it acknowledged as finished.

    On a loaded machine one run can outlast every delay (then no kill landed between two runs):
    the kills go on with doubled delays, up to 32 s, until one run has finished.
    """
    finished, max_delay_s, kill_number = 0, 1.0, 0
    while kill_number < kills or (finished == 0 and max_delay_s < 32):
        if kill_number >= kills:
            max_delay_s *= 2
        kill = run_and_kill(mode, path, seed=kill_number, max_delay_s=max_delay_s, fork=True)
        assert kill.ready
        finished += len(kill.acknowledged)
        assert problems(kill.acknowledged) == [], f"after kill {kill_number}"
        kill_number += 1
    return finished
