"""Members of a ``.zip`` archive, read in memory within limits (no extraction, no zip bombs).

Corpora ship zipped (SaudiNewsNet is one ``.zip`` per day), and "unzip it first" is a step a
user should not need. Nothing is written to disk, so member names (``../../etc``) cannot escape
anywhere; what a hostile archive can still do is decompress to far more than it weighs, so each
member is read through a capped stream and refused past :data:`MAX_MEMBER_BYTES`, the archive past
:data:`MAX_TOTAL_BYTES`, and any member expanding more than :data:`MAX_RATIO` times (text
compresses 5-10x; a bomb, thousands).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from annotator.errors import InputError

MAX_MEMBERS = 100_000
MAX_MEMBER_BYTES = 256 * 1024 * 1024
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
MAX_RATIO = 200
"""Largest uncompressed/compressed size ratio accepted for a member of more than 1 MiB."""
_RATIO_FLOOR = 1024 * 1024


def is_zip(path: Path) -> bool:
    """A ``.zip`` by name. Not by content: ``.docx``, ``.xlsx`` and ``.epub`` are zips too, and
    reading their XML members as articles would only confuse; and sniffing would open every
    file of a large folder once more."""
    return path.suffix.lower() == ".zip"


def iter_members(path: Path) -> Iterator[tuple[str, bytes]]:
    """``(member name, its bytes)`` for every file of the archive, in archive order.

    Raises :class:`InputError` naming the archive (and member) for an unreadable archive, an
    encrypted member, or one past the limits above.
    """
    name = str(path)
    total = 0
    with _open(path) as archive:
        for info in _files(archive, name):
            where = f"{name}/{info.filename}"
            if info.flag_bits & 0x1:
                raise InputError("encrypted zip member: unzip it first", where)
            if info.file_size > _RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise InputError(
                    f"expands {info.file_size // max(info.compress_size, 1)}x: refused as a zip bomb",
                    where,
                )
            data = _read_capped(archive, info, where)
            total += len(data)
            if total > MAX_TOTAL_BYTES:
                raise InputError(f"archive holds more than {MAX_TOTAL_BYTES} bytes: unzip it first",
                                 name)
            yield info.filename, data


def _open(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(f"not a readable zip archive ({exc})", str(path)) from None


def _files(archive: zipfile.ZipFile, name: str) -> list[zipfile.ZipInfo]:
    infos = [
        info for info in archive.infolist()
        if not info.is_dir()
        and not any(part.startswith((".", "__MACOSX")) for part in PurePosixPath(info.filename).parts)
    ]
    if len(infos) > MAX_MEMBERS:
        raise InputError(f"{len(infos)} files in one archive: more than {MAX_MEMBERS}", name)
    return infos


def _read_capped(archive: zipfile.ZipFile, info: zipfile.ZipInfo, where: str) -> bytes:
    """The member's bytes, read in chunks and stopped at the caps whatever its header claims."""
    cap = min(MAX_MEMBER_BYTES, max(_RATIO_FLOOR, MAX_RATIO * max(info.compress_size, 1)))
    chunks: list[bytes] = []
    size = 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(1024 * 1024):
                size += len(chunk)
                if size > cap:
                    reason = ("larger than the size limit" if cap == MAX_MEMBER_BYTES
                              else f"expands more than {MAX_RATIO}x: refused as a zip bomb")
                    raise InputError(f"member {reason}; unzip it first if you trust it", where)
                chunks.append(chunk)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise InputError(f"cannot read zip member ({exc})", where) from None
    return b"".join(chunks)
