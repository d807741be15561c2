"""Merging a package reads it and nothing more: read-only media, a desk still open on it, a
looping view, a project another program is writing: the package is checked first, never written.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.errors import ProjectError
from annotator.project import Project
from annotator.store import package_file
from annotator.team.packages import merge
from tests.core.package_kit import keys, labelled_package, packing_team, tamper
from tests.core.team_kit import DAMASCUS, MINISTER, aid


@pytest.fixture
def team(tmp_path: Path) -> Iterator[Project]:
    with packing_team(tmp_path / "news.db") as project:
        yield project


def _digest(folder: Path) -> dict[str, tuple[str, int]]:
    return {
        p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
        for p in folder.iterdir()
    }


def test_work_still_in_the_packages_wal_is_merged_not_skipped(
    team: Project, tmp_path: Path
) -> None:
    """Her desk is still open on the package: its last span is in mona.annot-wal only."""
    out = labelled_package(team, tmp_path / "mona.annot")
    with Project.open(out) as desk:
        p2 = desk.store.article_id_by_doc_id("a2")
        assert p2 is not None
        desk.session("mona").add_span(p2, 0, len("قال"), "EVENT")
        assert Path(f"{out}-wal").stat().st_size > 0
        report = merge(team.session("sara"), out)
    assert report.totals() == (2, 0, 0)
    assert [s.key for s in team.store.spans(aid(team, "a2"), ["mona"])] == [(0, 3, "EVENT")]


def test_merge_never_writes_the_package_or_beside_it(team: Project, tmp_path: Path) -> None:
    """Today merge switched the package to WAL (rewriting its header) and left -wal/-shm files."""
    media = tmp_path / "media"
    media.mkdir()
    out = labelled_package(team, media / "mona.annot")  # WAL mode now: the desk opened it
    out.chmod(0o444)
    media.chmod(0o555)
    try:
        before = _digest(media)
        assert merge(team.session("sara"), out).totals() == (1, 0, 0)
        assert _digest(media) == before
    finally:
        media.chmod(0o755)


RUN_CLI = "import sys; from annotator.cli import main; sys.argv[0] = 'annotator'; main()"


def _read_only(folder: Path) -> list[str] | None:
    """A command prefix under which ``folder`` cannot be written, or None where none exists.

    For a user other than root, ``chmod 0555`` already does it (no prefix). Root ignores
    permission bits, so the folder is bind-mounted read-only over itself in a private mount
    namespace (``unshare -m``), as a read-only medium would be.
    """
    if os.geteuid() != 0:
        return []
    script = 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"'
    prefix = ["unshare", "-m", "sh", "-c", script, str(folder)]
    try:
        probe = subprocess.run(
            [*prefix, "touch", str(folder / ".probe")], capture_output=True, text=True, timeout=30
        )
    except OSError:
        return None
    return prefix if "Read-only file system" in probe.stderr else None


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX permissions")
def test_merge_works_from_read_only_media(team: Project, tmp_path: Path) -> None:
    """A 0444 package in a 0555 folder that cannot be written: merged all the same."""
    media = tmp_path / "media"
    media.mkdir()
    out = labelled_package(team, media / "mona.annot")
    out.chmod(0o444)
    media.chmod(0o555)
    try:
        prefix = _read_only(media)
        if prefix is None:
            pytest.skip("running as root without a way to make a read-only mount")
        result = subprocess.run(
            [
                *prefix,
                sys.executable,
                "-c",
                RUN_CLI,
                "merge",
                str(team.path),
                str(out),
                "--as",
                "sara",
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("merged mona: 1 added, 0 changed, 0 removed")
        assert sorted(p.name for p in media.iterdir()) == ["mona.annot"]
        assert keys(team, "mona") == [(*MINISTER, "ORGANIZATION"), (*DAMASCUS, "LOCATION")]
    finally:
        media.chmod(0o755)


def test_unsaved_work_in_a_wal_on_read_only_media_is_refused_not_skipped(
    team: Project, tmp_path: Path
) -> None:
    """The package was copied with its -wal but not its -shm to media that cannot take one:
    reading it without the WAL would silently drop her last work, so merge refuses instead."""
    out = labelled_package(team, tmp_path / "mona.annot")
    media = tmp_path / "media"
    media.mkdir()
    with Project.open(out) as desk:
        p2 = desk.store.article_id_by_doc_id("a2")
        assert p2 is not None
        desk.session("mona").add_span(p2, 0, len("قال"), "EVENT")
        for name in ("mona.annot", "mona.annot-wal"):
            (media / name).write_bytes((tmp_path / name).read_bytes())
    media.chmod(0o555)
    try:
        prefix = _read_only(media)
        if prefix is None:
            pytest.skip("running as root without a way to make a read-only mount")
        result = subprocess.run(
            [
                *prefix,
                sys.executable,
                "-c",
                RUN_CLI,
                "merge",
                str(team.path),
                str(media / "mona.annot"),
                "--as",
                "sara",
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 2, result.stderr
        assert "mona.annot-wal beside it holds changes not yet in the package" in result.stderr
        assert result.stderr.count("\n") == 1
    finally:
        media.chmod(0o755)
    assert keys(team, "mona") == [(*DAMASCUS, "LOCATION")]


def test_reading_a_package_has_a_deadline(
    team: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Defence in depth behind the layout check: no statement on a package runs unbounded."""
    out = labelled_package(team, tmp_path / "mona.annot")
    tamper(
        out,  # enough rows that checking the file takes more than an instant
        "INSERT INTO gazetteer_names WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1"
        " FROM n WHERE i < 20000) SELECT 'LOCATION', 'name' || i, 'key' || i, 'x' FROM n",
    )
    merge(team.session("sara"), out)  # a legitimate table, however full
    monkeypatch.setattr(package_file, "READ_DEADLINE_S", 0.0)
    with pytest.raises(
        ProjectError, match="not a readable work package \\(reading took over 0 s\\)"
    ):
        merge(team.session("sara"), out)


def test_a_forged_package_is_refused_while_another_writer_holds_the_project(
    team: Project, tmp_path: Path
) -> None:
    """Checks run before the write lock: a bad package is refused at once, not after 30 s."""
    out = labelled_package(team, tmp_path / "mona.annot")
    tamper(out, "UPDATE spans SET label = 'WEAPONX' WHERE label = 'ORGANIZATION'")
    writer = sqlite3.connect(team.path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        with pytest.raises(ProjectError, match="'WEAPONX' is not in the project's schema"):
            merge(team.session("sara"), out)
        assert time.monotonic() - started < 5
    finally:
        writer.execute("ROLLBACK")
        writer.close()


LOOPING_VIEW = (
    "CREATE VIEW spans AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
    "SELECT i AS id, 1 AS article_id, 0 AS start, 3 AS \"end\", 'EVENT' AS label, 'زار' AS text, "
    "'mona' AS annotator, '' AS provenance, '' AS created_at, '' AS updated_at FROM n"
)


def test_a_looping_view_cannot_hang_merge_or_lock_the_project(
    team: Project, tmp_path: Path
) -> None:
    """Today: merge ran the view inside its write transaction and never returned."""
    out = labelled_package(team, tmp_path / "mona.annot")
    tamper(out, "DROP TABLE spans", LOOPING_VIEW)
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", RUN_CLI, "merge", str(team.path), str(out), "--as", "sara"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2, result.stderr
    assert "holds a view (spans), which no package has; nothing merged" in result.stderr
    assert time.monotonic() - started < 30
    team.session("ali").add_span(aid(team, "a2"), 0, len("قال"), "EVENT")  # not locked


def test_a_package_reached_through_a_symlink_still_reads_its_wal(
    team: Project, tmp_path: Path
) -> None:
    """The -wal lies beside the file the link points to: looked for beside the link, it was not
    found, the file was read as immutable, and her last span silently skipped."""
    folder = tmp_path / "desk"
    folder.mkdir()
    out = labelled_package(team, folder / "mona.annot")
    link = tmp_path / "mona-link.annot"
    link.symlink_to(out)
    with Project.open(out) as desk:
        p2 = desk.store.article_id_by_doc_id("a2")
        assert p2 is not None
        desk.session("mona").add_span(p2, 0, len("قال"), "EVENT")
        assert Path(f"{out}-wal").stat().st_size > 0
        report = merge(team.session("sara"), link)
    assert report.totals() == (2, 0, 0)
    assert [s.key for s in team.store.spans(aid(team, "a2"), ["mona"])] == [(0, 3, "EVENT")]
