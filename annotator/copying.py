"""``annotator copy SRC DST``: a whole project from one place to another, all or nothing.

Why: a team outgrows its project file and moves it to the server; an admin wants a server
project as one file (a snapshot to mail, archive or open offline). Every table goes, ids
included, so the copy exports the same bytes, undoes the same history and merges the same
packages as the original. The destination is written so that a failure half-way leaves
nothing: a file is built under a temporary name beside the target and renamed over it only when
complete; a server database is created and filled in one transaction (PostgreSQL's DDL is
transactional: the tables, group roles and policies roll back with the rows). A destination
that already holds a project is refused unless ``replace`` says otherwise (someone's work may
be in it).
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.atomic_files import TEMP_PREFIX, default_file_mode, fsync_folder
from annotator.errors import ProjectError
from annotator.store import is_server_url, open_store

if TYPE_CHECKING:
    from annotator.store.protocol import ProjectStore


@dataclass(frozen=True)
class CopyReport:
    """What a copy moved: rows in all, and the articles among them."""

    rows: int
    articles: int


def copy_project(source: Path | str, target: Path | str, *, replace: bool = False) -> CopyReport:
    """Copy the project at ``source`` (a file or a ``postgresql://`` URL) to ``target`` (a new
    project file, or a server database); see the module."""
    if str(source) == str(target) or (
        not is_server_url(str(source)) and not is_server_url(str(target))
        and Path(source).resolve() == Path(target).resolve()):
        raise ProjectError(f"{target}: the source itself; copy to another place")
    src = _open(source, read_only=True)
    try:
        if is_server_url(str(target)):
            return _to_server(src, target, replace)
        return _to_file(src, Path(target), replace)
    finally:
        src.close()


def _open(location: Path | str, *, create: bool = False, read_only: bool = False) -> ProjectStore:
    return open_store(location, create=create, read_only=read_only,
                      defer_create=create and is_server_url(str(location)))


def _to_server(src: ProjectStore, url: Path | str, replace: bool) -> CopyReport:
    """Into a new project in the database at ``url`` (or over the project there: ``replace``),
    in ONE transaction, the new project's tables, roles and policies included: a failure (a bad
    row, a lost connection, Ctrl-C, the program killed) leaves the database as it was, so the
    same copy can simply be run again."""
    try:
        dst = _open(url, create=True)
    except ProjectError as refused:
        try:
            dst = _open(url)  # a project already? (else the refusal was about the server)
        except ProjectError:
            raise refused from None
        if not replace:
            dst.close()
            raise ProjectError(f"{dst.path}: already holds a project; refusing to overwrite it"
                               " (--replace does)") from None
    try:
        with dst.transaction():
            rows = dst.load_tables(src.dump_tables())
        return CopyReport(rows, dst.count("articles"))
    finally:
        dst.close()


def _to_file(src: ProjectStore, target: Path, replace: bool) -> CopyReport:
    if target.exists() and not replace:
        raise ProjectError(f"{target}: already exists; refusing to overwrite it (--replace does)")
    if replace and Path(f"{target}-wal").exists():
        # A live write-ahead log belongs to the file being replaced: renamed over, its pages
        # would be applied to the copy. Said rather than guessed.
        raise ProjectError(f"{target}: is open in another program (it has a -wal); close it first")
    folder = target.parent if str(target.parent) else Path(".")
    fd, name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".db", dir=folder)
    os.close(fd)
    temp = Path(name)
    temp.unlink()  # SQLite creates it; an empty file would not be a database yet
    try:
        dst = _open(temp, create=True)
        try:
            with dst.transaction():
                rows = dst.load_tables(src.dump_tables())
            articles = dst.count("articles")
            dst.make_self_contained()
        finally:
            dst.close()
        os.chmod(temp, default_file_mode())
        with open(temp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException as exc:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{temp}{suffix}").unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.filename is None:  # the disk of the target, say so
            raise OSError(exc.errno, exc.strerror, str(target)) from None
        raise
    fsync_folder(folder)
    return CopyReport(rows, articles)
