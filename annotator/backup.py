"""Backups of a project file, integrity checks, and finding the last good backup.

A project is one SQLite file in WAL mode, so copying it with ``cp`` while the desk is open can
catch the main file and its ``-wal`` at different moments and produce a damaged copy. We use
SQLite's online backup API instead (:meth:`sqlite3.Connection.backup`): it copies a consistent
snapshot inside one read transaction, and in WAL mode readers never block the desk's writes.

Where backups go (by default): a ``backups/`` folder beside the project, one file per backup
named ``<project stem>-<UTC time>.db``, e.g. ``backups/news-20250301T101502Z.db`` for
``news.db``. The names sort by time, so "the newest good backup" needs no extra bookkeeping.
A backup is written to a temporary name, checked with ``PRAGMA quick_check``, and only then
renamed into place, so a file under a backup name is always a complete, checked copy.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from annotator.errors import AnnotatorError, ProjectError
from annotator.project import Project
from annotator.store import LAYOUT_VERSION

BACKUP_FOLDER = "backups"
BUSY_TIMEOUT_MS = 30_000
_STAMP = "%Y%m%dT%H%M%SZ"


def backup_folder(project_path: Path | str) -> Path:
    """The default folder of a project's backups: ``backups/`` beside the project file."""
    return Path(project_path).resolve().parent / BACKUP_FOLDER


def default_backup_path(project_path: Path | str, when: datetime | None = None) -> Path:
    """``backups/<stem>-<UTC time>.db``; a ``-2``, ``-3`` ... suffix if that second is taken.

    >>> default_backup_path("/data/news.db", datetime(2025, 3, 1, 10, 15, 2, tzinfo=timezone.utc)).name
    'news-20250301T101502Z.db'
    """
    project_path = Path(project_path)
    stamp = (when or datetime.now(timezone.utc)).strftime(_STAMP)
    folder = backup_folder(project_path)
    candidate = folder / f"{project_path.stem}-{stamp}.db"
    n = 1
    while candidate.exists():
        n += 1
        candidate = folder / f"{project_path.stem}-{stamp}-{n}.db"
    return candidate


def backup(project_path: Path | str, dest: Path | str | None = None) -> Path:
    """Copy a consistent snapshot of the project to ``dest`` (default: the backups folder).

    Safe while another connection (the desk, a second annotator) is writing: the copy is one
    read transaction of the source. The copy is checked before it gets its final name; an
    existing ``dest`` is replaced only by a complete, checked copy. Returns the backup's path.
    """
    source_path = Path(project_path)
    if not source_path.is_file():
        raise ProjectError(f"{source_path}: no such project")
    target = Path(dest) if dest is not None else default_backup_path(source_path)
    if target.resolve() == source_path.resolve():
        raise ProjectError(f"{target}: a backup cannot overwrite its own project")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=".annotator-tmp-", suffix=".db", dir=target.parent)
    os.close(fd)
    temp = Path(temp_name)
    try:
        _copy_online(source_path, temp)
        problems = integrity_problems(temp, full=False)
        if problems:
            raise ProjectError(f"{source_path}: the backup copy failed its check: {problems[0]}")
        os.replace(temp, target)
    except BaseException:
        _remove_database(temp)
        raise
    return target


def _copy_online(source_path: Path, temp: Path) -> None:
    source = sqlite3.connect(str(source_path), timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        source.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        copy = sqlite3.connect(str(temp))
        try:
            # pages=-1: the whole database in one step, i.e. one snapshot. Stepping in chunks
            # would restart from scratch whenever another connection commits in between.
            source.backup(copy, pages=-1)
            # A standalone copy: fold the journal into the file so one file is the whole backup.
            copy.execute("PRAGMA journal_mode = DELETE")
        finally:
            copy.close()
    except sqlite3.DatabaseError as exc:
        raise ProjectError(f"{source_path}: cannot be backed up ({exc})") from exc
    finally:
        source.close()


def integrity_problems(path: Path | str, *, full: bool = True) -> list[str]:
    """What SQLite finds wrong with the file at ``path``; an empty list means it is sound.

    ``full`` runs ``PRAGMA integrity_check`` (also checks every index against its table, can
    take seconds on a large project); otherwise ``PRAGMA quick_check`` (pages and records,
    linear and quicker: what the desk runs at open). A file that SQLite cannot even read is
    reported as a problem, not raised.
    """
    path = Path(path)
    if not path.is_file():
        return [f"{path}: no such file"]
    try:
        # A URI with mode=rw: never creates a file, and never changes anything that is there.
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True, timeout=30)
    except sqlite3.Error as exc:
        return [f"cannot open: {exc}"]
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        pragma = "integrity_check" if full else "quick_check"
        rows = [str(row[0]) for row in conn.execute(f"PRAGMA {pragma}")]
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    finally:
        conn.close()
    return [] if rows == ["ok"] else rows


def list_backups(project_path: Path | str, folder: Path | str | None = None) -> list[Path]:
    """The project's backups in the backups folder, newest first (by the time in their names)."""
    project_path = Path(project_path)
    folder = Path(folder) if folder is not None else backup_folder(project_path)
    if not folder.is_dir():
        return []
    pattern = re.compile(re.escape(project_path.stem) + r"-(\d{8}T\d{6}Z)(?:-(\d+))?\.db$")
    found = []
    for candidate in folder.iterdir():
        match = pattern.match(candidate.name)
        if match and candidate.is_file():
            found.append((match.group(1), int(match.group(2) or 1), candidate))
    return [path for *_, path in sorted(found, reverse=True)]


def last_good_backup(project_path: Path | str, folder: Path | str | None = None) -> Path | None:
    """The newest backup that passes ``quick_check`` and opens as a project, or None."""
    for candidate in list_backups(project_path, folder):
        if not integrity_problems(candidate, full=False) and _is_project(candidate):
            return candidate
    return None


def _is_project(path: Path) -> bool:
    """A sound SQLite file with an annotator layout this release can open (read, not opened:
    opening through the store would switch a backup to WAL and migrate it)."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = {
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
    except sqlite3.DatabaseError:
        return False
    finally:
        conn.close()
    return 1 <= version <= LAYOUT_VERSION and {"articles", "spans"} <= tables


def open_checked(
    path: Path | str, *, full: bool = False
) -> tuple[Project | None, str | None, Path | None]:
    """Open a project only if it is sound: ``(project, None, None)`` or ``(None, problem, backup)``.

    What the desk calls at open: on a damaged file it gets a one-line ``problem`` to show and
    the last good backup to offer (None if there is none), and can then call
    :func:`restore_backup`. ``full`` selects ``integrity_check`` over ``quick_check``.
    """
    path = Path(path)
    if not path.is_file():
        return None, f"{path}: no such project", None
    problems = integrity_problems(path, full=full)
    if problems:
        return None, f"{path} is damaged: {problems[0]}", last_good_backup(path)
    try:
        return Project.open(path), None, None
    except AnnotatorError as exc:
        return None, str(exc), last_good_backup(path)


def restore_backup(backup_path: Path | str, project_path: Path | str) -> Path | None:
    """Put ``backup_path`` in the project's place; the file it replaces is kept, not deleted.

    The damaged file (with its ``-wal``/``-shm``) is renamed to ``<name>.damaged-<UTC time>``
    so nothing is ever thrown away; returns that name (None if there was no file). Only close
    every connection to the project before calling this.
    """
    backup_path, project_path = Path(backup_path), Path(project_path)
    problems = integrity_problems(backup_path, full=True)
    if problems:
        raise ProjectError(f"{backup_path}: not a sound backup: {problems[0]}")
    kept: Path | None = None
    if project_path.exists():
        stamp = datetime.now(timezone.utc).strftime(_STAMP)
        kept = project_path.with_name(f"{project_path.name}.damaged-{stamp}")
        for suffix in ("", "-wal", "-shm"):
            side = Path(str(project_path) + suffix)
            if side.exists():
                os.replace(side, Path(str(kept) + suffix))
    # Through a temporary name beside the project, so a crash here leaves no half-copied file.
    fd, temp_name = tempfile.mkstemp(
        prefix=".annotator-tmp-", suffix=".db", dir=project_path.parent
    )
    os.close(fd)
    try:
        shutil.copyfile(backup_path, temp_name)
        os.replace(temp_name, project_path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return kept


def _remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(path) + suffix).unlink(missing_ok=True)
