"""Project files as whole files: connecting, what a failure means, checks and online copies.

Why a module of its own: only ``annotator/store/`` talks to SQLite, and these are the SQLite
calls that work on a file rather than on an open project (``annotator.backup`` composes them).

The one judgement that matters here is :func:`failure`: a *locked*, *busy*, *read-only*,
*cannot open* or *disk full* error says nothing about the file's health, and must never lead to
a backup being put in a healthy project's place. Only SQLite's own verdict (``file is not a
database``, ``database disk image is malformed``) or a failed ``integrity_check`` is damage.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from annotator.errors import ProjectBusy, ProjectDamaged, ProjectError, ProjectReadOnly

# Primary SQLite result codes (https://sqlite.org/rescode.html); extended codes add high bits.
_PERM, _BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = (
    3, 5, 6, 8, 10, 11, 13, 14, 26)
_BY_MESSAGE = (  # for a Python without ``sqlite_errorcode`` (< 3.11)
    ("locked", _BUSY), ("busy", _BUSY), ("readonly", _READONLY), ("read-only", _READONLY),
    ("unable to open", _CANTOPEN), ("disk is full", _FULL), ("disk i/o", _IOERR),
    ("not a database", _NOTADB), ("malformed", _CORRUPT),
)


def result_code(exc: sqlite3.Error) -> int:
    """SQLite's primary result code of ``exc`` (``SQLITE_BUSY`` is 5 ...), 0 if unknown."""
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF
    text = str(exc).lower()
    return next((value for word, value in _BY_MESSAGE if word in text), 0)


def failure(path: Path | str, exc: sqlite3.Error) -> ProjectError:
    """One line saying what ``exc`` means for the project at ``path`` (never a guess of damage).

    >>> str(failure("news.db", sqlite3.OperationalError("database is locked")))
    'news.db: another program is writing to this project (database is locked); try again when it has finished'
    """
    code = result_code(exc)
    if code in (_CANTOPEN, _READONLY, _PERM) and not writable(Path(path)):
        return ProjectReadOnly(f"{path}: the project is read-only ({exc}); it can be opened for reading")
    if code in (_BUSY, _LOCKED):
        return ProjectBusy(
            f"{path}: another program is writing to this project ({exc}); "
            "try again when it has finished"
        )
    if code in (_READONLY, _PERM):
        return ProjectReadOnly(f"{path}: the project is read-only ({exc})")
    if code == _CANTOPEN:
        return ProjectError(
            f"{path}: cannot open the project file ({exc}); check that it and its folder "
            "exist and can be read and written"
        )
    if code == _FULL:
        return ProjectError(f"{path}: the disk is full ({exc}); this change was not saved")
    if code in (_CORRUPT, _NOTADB):
        return ProjectDamaged(f"{path}: damaged, or not a project file ({exc})")
    if code == _IOERR:
        return ProjectError(f"{path}: the disk could not be read or written ({exc})")
    return ProjectError(f"{path}: {exc}")


def project_error(exc: BaseException, path: object) -> ProjectError | None:
    """:func:`failure` for an SQLite error that escaped a command; None for anything else."""
    return failure(str(path), exc) if isinstance(exc, sqlite3.Error) else None


def require_file(path: Path) -> None:
    """Refuse a missing path, a folder, or a 0-byte file before SQLite sees it.

    SQLite treats a 0-byte file as a valid empty database: opening one as a project would
    silently turn it into a new, empty project (and ``integrity_check`` calls it "ok"), when an
    empty file under a project's name is almost always one that was cut short.
    """
    if not path.exists():
        raise ProjectError(f"{path}: no such project (create one with 'annotator init')")
    if path.is_dir():
        raise ProjectError(f"{path}: a folder, not a project file")
    if path.stat().st_size == 0:
        raise ProjectDamaged(
            f"{path}: an empty file (0 bytes), not an annotator project; "
            "'annotator restore' puts the last good backup in its place"
        )


def writable(path: Path) -> bool:
    """Whether ``path`` is an existing file SQLite could write: the file and its folder (for
    the ``-wal``/``-shm`` files) writable. False on a read-only file system even for root."""
    folder = path.absolute().parent
    return path.is_file() and os.access(path, os.W_OK) and os.access(folder, os.W_OK)


def connect(path: Path, mode: str, timeout: float) -> sqlite3.Connection:
    """A connection through a URI: ``ro`` (never writes), ``rw`` (never creates the file) or
    ``rwc`` (creates it: ``annotator init`` only).

    ``ro`` on a file that can be written is ``rw`` with ``PRAGMA query_only``: a ``mode=ro``
    connection cannot recover the WAL a killed writer left (SQLITE_READONLY_RECOVERY), so
    ``stats`` or ``check`` right after a crash would fail; ``query_only`` refuses every write
    statement just the same. On a file nobody can write (a read-only file system, a folder or
    file without write permission) it is ``mode=ro&immutable=1``: SQLite cannot create the
    ``-shm`` a WAL reader needs there, and as no program can write the file, nothing changes
    under the reader.
    """
    reader = mode == "ro"
    if reader and writable(path):
        mode = "rw"
    uri = f"{path.absolute().as_uri()}?mode={mode}"
    if mode == "ro" and path.is_file():
        uri += "&immutable=1"
    conn = sqlite3.connect(uri, uri=True, timeout=timeout, check_same_thread=False)
    if reader:
        conn.execute("PRAGMA query_only = ON")
    return conn


def _opened(path: Path, mode: str, timeout: float) -> sqlite3.Connection:
    """:func:`connect`, or the one-line failure naming the file.

    Why one piece: the check, the online copy and the journal fold open the files they work on
    the same way, and a cannot-open must name the file the same way in all three. ``timeout``
    is the busy timeout too (``sqlite3.connect`` sets it), so a writer is waited for.
    """
    try:
        return connect(path, mode, timeout)
    except sqlite3.Error as exc:
        raise failure(path, exc) from None


def integrity_problems(path: Path | str, *, full: bool = True, timeout: float = 30.0) -> list[str]:
    """What SQLite finds wrong with the file at ``path``; an empty list means it is sound.

    ``full`` runs ``PRAGMA integrity_check`` (also checks every index against its table);
    otherwise ``PRAGMA quick_check``. Damage (an unreadable header, a failed check, an empty
    file) is *returned*; anything else (locked, read-only, cannot open) is *raised* as the
    :class:`ProjectError` :func:`failure` names, because it proves nothing about the file.
    """
    path = Path(path)
    if not path.is_file():
        return [f"{path}: no such file"]
    if path.stat().st_size == 0:
        return ["an empty file (0 bytes): not an SQLite database"]
    conn = _opened(path, "ro", timeout)
    try:
        pragma = "integrity_check" if full else "quick_check"
        rows = [str(row[0]) for row in conn.execute(f"PRAGMA {pragma}")]
    except sqlite3.DatabaseError as exc:
        if result_code(exc) in (_CORRUPT, _NOTADB):
            return [str(exc)]
        raise failure(path, exc) from None
    finally:
        conn.close()
    return [] if rows == ["ok"] else rows


def layout_of(path: Path) -> tuple[int, set[str]] | None:
    """``(user_version, table names)`` of a database file read-only; None if it cannot be read.

    Read, never opened as a project: that would switch a backup to WAL and migrate it.
    """
    try:
        conn = connect(path, "ro", 5.0)
    except sqlite3.Error:
        return None
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError:
        return None
    finally:
        conn.close()
    return int(version), tables


def copy_online(source: Path, target: Path, *, journal_mode: str = "delete",
                timeout: float = 30.0) -> None:
    """Copy a consistent snapshot of ``source`` into ``target`` with SQLite's backup API.

    Safe while another connection writes ``source`` (one read transaction). ``journal_mode``
    of the copy: ``delete`` makes it one standalone file (a backup); ``wal`` marks it as a
    project is (a restore), still as one file once the copy's connection is closed.
    """
    src = _opened(source, "ro", timeout)
    try:
        copy = sqlite3.connect(str(target))
        try:
            # pages=-1: the whole database in one step, i.e. one snapshot. Stepping in chunks
            # would restart from scratch whenever another connection commits in between.
            src.backup(copy, pages=-1)
            copy.execute(f"PRAGMA journal_mode = {journal_mode}")
        finally:
            copy.close()
    except sqlite3.DatabaseError as exc:
        raise failure(source, exc) from None
    finally:
        src.close()


def detach_journal(path: Path, timeout: float = 2.0) -> bool:
    """Fold a project's ``-wal`` into its main file and leave it a one-file database.

    Why: a project is about to be replaced by renaming another file over it. Its ``-wal`` must
    not outlive it (SQLite would replay the old journal into the new file), and switching to
    ``journal_mode=DELETE`` both checkpoints the journal and needs exclusive access, so it also
    proves no other program has the project open. Returns False when the file is damaged (its
    journal cannot be folded: the caller keeps the side files); raises :class:`ProjectBusy`
    when another program is using it.
    """
    conn = _opened(path, "rw", timeout)
    try:
        mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        if result_code(exc) in (_CORRUPT, _NOTADB):
            return False
        raise failure(path, exc) from None
    finally:
        conn.close()
    if str(mode).lower() != "delete":
        raise ProjectBusy(
            f"{path}: another program has this project open; close it (the desk, a command) first"
        )
    return True


def fsync_file(path: Path) -> None:
    """Make ``path``'s bytes durable before a rename publishes them."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
