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
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from annotator.atomic_files import default_file_mode, fsync_folder
from annotator.errors import ProjectBusy, ProjectDamaged, ProjectError, ProjectReadOnly
from annotator.project import Project, on_server
from annotator.store import LAYOUT_VERSION, files

BACKUP_FOLDER = "backups"
BUSY_TIMEOUT_S = 30.0
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
    existing ``dest`` is replaced only by a complete, checked copy. It keeps the project's file
    mode: a project shared by a group stays readable by that group in its backups too.
    Returns the backup's path.
    """
    _refuse_server(project_path, "backup", "back the database up with pg_dump")
    source_path = Path(project_path)
    files.require_file(source_path)
    target = Path(dest) if dest is not None else default_backup_path(source_path)
    if target.resolve() == source_path.resolve():
        raise ProjectError(f"{target}: a backup cannot overwrite its own project")
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = _temp_beside(target)
    try:
        files.copy_online(source_path, temp, journal_mode="delete", timeout=BUSY_TIMEOUT_S)
        problems = files.integrity_problems(temp, full=False)
        if problems:
            raise ProjectError(f"{source_path}: the backup copy failed its check: {problems[0]}")
        _publish(temp, target, mode=_mode_of(source_path))
    except BaseException:
        _remove_database(temp)
        raise
    return target


def integrity_problems(path: Path | str, *, full: bool = True) -> list[str]:
    """What SQLite finds wrong with the file at ``path``; an empty list means it is sound.

    ``full`` runs ``PRAGMA integrity_check`` (also checks every index against its table, can
    take seconds on a large project); otherwise ``PRAGMA quick_check`` (what the desk runs
    after opening). Damage (a failed header read, a failed check, a 0-byte file) is returned;
    a locked, read-only or unopenable file is raised as the :class:`ProjectError` saying so,
    because it proves nothing about the file's health. A server project has no file to check
    (the server keeps its own pages): nothing is found.
    """
    if on_server(path):
        return []
    return files.integrity_problems(path, full=full, timeout=BUSY_TIMEOUT_S)


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
    if on_server(project_path):
        return None
    for candidate in list_backups(project_path, folder):
        try:
            if not files.integrity_problems(candidate, full=False) and _is_project(candidate):
                return candidate
        except ProjectError:  # a backup being written or unreadable right now: the next one
            continue
    return None


def file_layout(path: Path | str) -> tuple[int | None, int]:
    """``(the file's layout version, the version this release writes)``, read without opening
    the file as a project (opening would migrate it); the first is None when SQLite cannot read
    the file, 0 for a SQLite file that is not a project. ``annotator doctor`` reports it."""
    from annotator.store.inspect import file_layout_version

    return file_layout_version(path), LAYOUT_VERSION


def _is_project(path: Path) -> bool:
    """A sound SQLite file with an annotator layout this release can open."""
    layout = files.layout_of(path)
    if layout is None:
        return False
    version, tables = layout
    return 1 <= version <= LAYOUT_VERSION and {"articles", "spans"} <= tables


@dataclass(frozen=True)
class Opened:
    """What opening a project for the desk found.

    ``project`` is open (``project.read_only`` when the file cannot be written), or None with a
    one-line ``problem``. ``backup`` is offered only when ``damaged``: SQLite proved the file
    damaged. ``busy`` says another program holds the write lock (wait and try again).
    """

    project: Project | None
    problem: str | None = None
    backup: Path | None = None
    damaged: bool = False
    busy: bool = False


def open_for_desk(path: Path | str, *, full: bool = False) -> Opened:
    """Open ``path`` as the desk needs it, telling damage apart from everything that is not.

    A read-only file opens for reading; a busy one is reported busy (never damaged); only a
    file SQLite proves damaged (header, ``quick_check`` / ``integrity_check`` with ``full``)
    comes with the last good backup to offer. Any other refusal (not a project, too new) is a
    problem without an offer.
    """
    path = Path(path)
    try:
        return Opened(Project.open(path))
    except ProjectBusy as exc:
        return Opened(None, str(exc), busy=True)
    except ProjectReadOnly:
        try:
            return Opened(Project.open(path, read_only=True))
        except ProjectError as exc:
            return _refusal(path, exc, full)
    except ProjectError as exc:
        return _refusal(path, exc, full)


def _refusal(path: Path, exc: ProjectError, full: bool) -> Opened:
    if isinstance(exc, ProjectBusy):
        return Opened(None, str(exc), busy=True)
    if not path.is_file():
        return Opened(None, str(exc))
    try:
        problems = integrity_problems(path, full=full)
    except ProjectBusy as busy:
        return Opened(None, str(busy), busy=True)
    except ProjectError as other:
        return Opened(None, str(other))
    if problems or isinstance(exc, ProjectDamaged):
        detail = problems[0] if problems else str(exc)
        return Opened(None, f"{path} is damaged: {detail}", last_good_backup(path), damaged=True)
    return Opened(None, str(exc))


def open_checked(
    path: Path | str, *, full: bool = False
) -> tuple[Project | None, str | None, Path | None]:
    """Open a project only if it is sound: ``(project, None, None)`` or ``(None, problem, backup)``.

    The file is checked first (``quick_check``, ``integrity_check`` with ``full``), then opened
    as :func:`open_for_desk` does. ``backup`` is None unless the file is proven damaged.
    """
    path = Path(path)
    if path.is_file():
        try:
            problems = integrity_problems(path, full=full)
        except ProjectError as exc:  # busy, unreadable: not damage, so no backup is offered
            return None, str(exc), None
        if problems:
            return None, f"{path} is damaged: {problems[0]}", last_good_backup(path)
    opened = open_for_desk(path, full=full)
    return opened.project, opened.problem, opened.backup


def _refuse_server(project_path: Path | str, what: str, instead: str) -> None:
    """File-only features meet a server project (issue 14) with one line, never a crash."""
    if on_server(project_path):
        raise ProjectError(f"{project_path}: {what} works on project files, not on a server "
                           f"project; {instead}")


def restore_backup(backup_path: Path | str, project_path: Path | str) -> Path | None:
    """Put ``backup_path`` in the project's place; the file it replaces is kept, not deleted.

    Crash-safe: the backup is copied to a temporary file beside the project, fsynced, given the
    project's file mode, and only then renamed over the project (``os.replace``), so a kill at
    any moment leaves the old project or the new one under the project's name, never neither.
    Before that, the old project's journal is folded into its main file (which needs every
    other program to have closed it: otherwise :class:`ProjectBusy`), and the old file is kept
    under ``<name>.damaged-<UTC time>`` by a hard link (a copy where links are impossible).
    Returns that name (None if there was no project file).
    """
    _refuse_server(project_path, "restore", "restore the database with pg_restore")
    backup_path, project_path = Path(backup_path), Path(project_path)
    problems = integrity_problems(backup_path, full=True)
    if problems:
        raise ProjectError(f"{backup_path}: not a sound backup: {problems[0]}")
    if not _is_project(backup_path):
        raise ProjectError(f"{backup_path}: not a backup of an annotator project")
    existing = project_path.is_file()
    folded = existing and project_path.stat().st_size > 0 and files.detach_journal(project_path)
    temp = _temp_beside(project_path)
    try:
        files.copy_online(backup_path, temp, journal_mode="wal", timeout=BUSY_TIMEOUT_S)
        kept = _keep_old(project_path, sidecars=not folded) if existing else None
        _publish(temp, project_path, mode=_mode_of(project_path) if existing else None)
    except BaseException:
        _remove_database(temp)
        raise
    return kept


def _keep_old(project_path: Path, *, sidecars: bool) -> Path:
    """Keep the project about to be replaced as ``<name>.damaged-<UTC time>``; the project's
    own name keeps pointing at it until the swap. Side files (``-wal``, ``-shm``) left by a
    journal that could not be folded move with it: they belong to the old file only."""
    stamp = datetime.now(timezone.utc).strftime(_STAMP)
    kept = project_path.with_name(f"{project_path.name}.damaged-{stamp}")
    n = 1
    while kept.exists():
        n += 1
        kept = project_path.with_name(f"{project_path.name}.damaged-{stamp}-{n}")
    try:
        os.link(project_path, kept)
    except OSError:  # a file system without hard links: a copy does the same, slower
        shutil.copy2(project_path, kept)
        files.fsync_file(kept)
    if sidecars:
        for suffix in ("-wal", "-shm"):
            side = Path(str(project_path) + suffix)
            if side.exists():
                os.replace(side, Path(str(kept) + suffix))
    return kept


def _temp_beside(target: Path) -> Path:
    fd, name = tempfile.mkstemp(prefix=".annotator-tmp-", suffix=".db", dir=target.parent)
    os.close(fd)
    return Path(name)


def _mode_of(path: Path) -> int:
    return path.stat().st_mode & 0o7777


def _publish(temp: Path, target: Path, *, mode: int | None) -> None:
    """Give ``temp`` its mode (the umask's default when None), fsync it, rename it over
    ``target``, and fsync the folder so the rename itself survives a power cut."""
    os.chmod(temp, default_file_mode() if mode is None else mode)
    files.fsync_file(temp)
    os.replace(temp, target)
    fsync_folder(target.parent)


def _remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(path) + suffix).unlink(missing_ok=True)
