"""Write a file so that its final name only ever holds a complete file.

An export or a package killed half-way (a crash, a full disk, Ctrl-C) must not leave a truncated
file under the name the user asked for: a truncated CoNLL file still parses, and a training run
would silently learn from half a corpus. So we write to a temporary file in the *same folder*
(``os.replace`` is only atomic within one file system), flush and fsync it, and rename it over
the final name only when the block finished without an exception. On failure the temporary file
is removed and whatever was under the final name before is untouched.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

TEMP_PREFIX = ".annotator-tmp-"
"""Temporary files start with this, so a leftover from a power cut is easy to recognise."""


@contextmanager
def atomic_write(
    path: Path | str, mode: str = "w", encoding: str | None = "utf-8", newline: str | None = None
) -> Iterator[IO[Any]]:
    """Open a temporary file beside ``path``; on success it replaces ``path`` atomically.

    ``mode`` is ``"w"`` (text, ``encoding`` applies) or ``"wb"`` (bytes). The new file gets the
    usual permissions of a newly created file (umask applied), not mkstemp's private 0600.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_write(target) as f:
    ...     _ = f.write("سوريا")
    >>> target.read_text(encoding="utf-8")
    'سوريا'
    """
    if mode not in ("w", "wb"):
        raise ValueError(f"atomic_write mode must be 'w' or 'wb', not {mode!r}")
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    fd, temp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".part", dir=folder)
    temp = Path(temp_name)
    try:
        _apply_default_permissions(fd)
        binary = "b" in mode
        with os.fdopen(
            fd, mode, encoding=None if binary else encoding, newline=None if binary else newline
        ) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    fsync_folder(folder)


def atomic_write_bytes(path: Path | str, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (see :func:`atomic_write`)."""
    with atomic_write(path, "wb", encoding=None) as handle:
        handle.write(data)


def atomic_write_text(path: Path | str, text: str, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``path`` atomically (see :func:`atomic_write`)."""
    with atomic_write(path, "w", encoding=encoding) as handle:
        handle.write(text)


def leftover_temp_files(folder: Path | str) -> list[Path]:
    """Temporary files a killed writer left in ``folder`` (safe to delete; never a result)."""
    return sorted(Path(folder).glob(TEMP_PREFIX + "*"))


def default_file_mode() -> int:
    """The mode a new file gets from the umask (``0o666 & ~umask``): mkstemp's 0600 is not it."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _apply_default_permissions(fd: int) -> None:
    # mkstemp creates 0600; an export should be as readable as any file the user creates.
    try:
        os.fchmod(fd, default_file_mode())
    except (AttributeError, OSError):  # Windows has no fchmod; its default ACLs are fine
        pass


def fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable on POSIX; Windows cannot open a folder, nor needs to."""
    try:
        dir_fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)
