"""atomic_write: the final name holds the old file or the complete new one, never a part."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from annotator.atomic_files import (
    atomic_write,
    atomic_write_bytes,
    atomic_write_text,
    leftover_temp_files,
)


def test_text_write_lands_complete(tmp_path: Path) -> None:
    target = tmp_path / "news.conll"
    with atomic_write(target) as handle:
        handle.write("دمشق\tB-LOCATION\n")
        assert not target.exists()  # nothing under the final name until the block ends
    assert target.read_text(encoding="utf-8") == "دمشق\tB-LOCATION\n"
    assert leftover_temp_files(tmp_path) == []


def test_binary_write(tmp_path: Path) -> None:
    target = tmp_path / "pack.zip"
    atomic_write_bytes(target, b"PK\x03\x04" + bytes(range(256)))
    assert target.read_bytes() == b"PK\x03\x04" + bytes(range(256))


def test_failure_keeps_old_file_and_removes_temp(tmp_path: Path) -> None:
    target = tmp_path / "news.jsonl"
    target.write_text("old\n", encoding="utf-8")
    with pytest.raises(RuntimeError, match="disk full"), atomic_write(target) as handle:
        handle.write("new, but only half")
        raise RuntimeError("disk full")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert leftover_temp_files(tmp_path) == []


def test_failure_without_old_file_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "news.jsonl"
    with pytest.raises(KeyboardInterrupt), atomic_write(target) as handle:
        handle.write("x")
        raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


def test_replaces_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")
    atomic_write_text(target, "new")
    assert target.read_text(encoding="utf-8") == "new"


def test_encoding_and_newline_are_honoured(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    with atomic_write(target, encoding="cp1256", newline="\r\n") as handle:
        handle.write("سوريا\n")
    assert target.read_bytes() == "سوريا".encode("cp1256") + b"\r\n"


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_permissions_follow_umask_not_mkstemp(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    old = os.umask(0o022)
    try:
        atomic_write_text(target, "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_bad_mode_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="mode"), atomic_write(tmp_path / "x", mode="a"):
        pass
