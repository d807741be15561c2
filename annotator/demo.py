"""The demo project a first-time user sees: real Arabic news, ready to label.

``annotator gui`` with no project opens (creating it if needed) ``demo.db`` in the user's data
folder, seeded with the ANT articles shipped in ``annotator/data/samples`` (Apache-2.0).
"""

from __future__ import annotations

import os
import sys
from importlib import resources
from pathlib import Path

from annotator.importing import import_documents
from annotator.project import Project
from annotator.reading import ReadOptions, read_paths


def user_data_dir() -> Path:
    """Where per-user data lives on this platform (XDG on Linux)."""
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming"))
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "annotator"


def samples_dir() -> Path:
    return Path(str(resources.files("annotator.data") / "samples"))


def ensure_demo_project(path: Path | None = None) -> Path:
    """Create and seed the demo project unless it exists; return its path."""
    path = path or user_data_dir() / "demo.db"
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".creating")
    partial.unlink(missing_ok=True)
    with Project.create(partial) as project:
        samples = sorted(samples_dir().glob("JA-*.txt"))
        import_documents(project, read_paths(samples, ReadOptions(format="ant")))
    # A crash while seeding leaves only the ``.creating`` file, never a half-seeded demo.
    os.replace(partial, path)
    for suffix in ("-wal", "-shm"):
        Path(str(partial) + suffix).unlink(missing_ok=True)
    return path
