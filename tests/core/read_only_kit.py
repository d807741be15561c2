"""A folder whose files cannot be written: a read-only file system where we may mount one.

As root, file permissions do not stop a write, so a read-only tmpfs is the only faithful
stand-in for a read-only disk (a USB stick, a read-only network share); elsewhere the folder and
its files lose their write bits, which SQLite meets the same way. Skips when neither works.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def read_only_folder(folder: Path, fill: Callable[[Path], None]) -> Iterator[Path]:
    """``folder`` made, filled by ``fill(folder)``, then read-only until the block ends."""
    folder.mkdir()
    if os.geteuid() == 0:
        if subprocess.run(["mount", "-t", "tmpfs", "tmpfs", str(folder)],
                          capture_output=True).returncode != 0:
            pytest.skip("root without permission to mount a read-only file system")
        try:
            fill(folder)
            subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
            yield folder
        finally:  # lazily if a file in it is still open: never leave a mount behind
            if subprocess.run(["umount", str(folder)], capture_output=True).returncode != 0:
                subprocess.run(["umount", "-l", str(folder)], check=False)
        return
    fill(folder)
    for path in folder.iterdir():
        path.chmod(stat.S_IRUSR | stat.S_IRGRP)
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        yield folder
    finally:
        folder.chmod(stat.S_IRWXU)
        for path in folder.iterdir():
            path.chmod(stat.S_IRUSR | stat.S_IWUSR)
        shutil.rmtree(folder)
