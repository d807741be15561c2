"""Run the installed ``annotator`` entry point as a user would, with a chosen environment."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

ANNOTATOR = shutil.which("annotator", path=str(Path(sys.executable).parent))


def run(*args: object, env_remove: Iterable[str] = (), env: dict[str, str] | None = None,
        cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``annotator ARGS`` with pipes for stdout and stderr (so: not a terminal)."""
    assert ANNOTATOR, "the annotator entry point is not installed in this environment"
    environ = {k: v for k, v in os.environ.items() if k not in set(env_remove)}
    environ.update(env or {})
    return subprocess.run([ANNOTATOR, *map(str, args)], capture_output=True, text=True,
                          env=environ, cwd=cwd, timeout=300)
