"""Is this machine ready for the desk? Checks that say what to do, before a window is opened.

Why: a new annotator's first failure is rarely in our code. It is a missing display (Qt then
aborts with a misleading "xcb-cursor0 is needed"), a missing system library, the PySide6 release
that crashes on Python 3.11, or a machine without an Arabic font (the text then draws in
DejaVu, or in boxes). ``annotator doctor`` names each, one line apiece, with the command that
fixes it. Everything here is Qt-free on purpose: PySide6 is looked up by its package metadata
and the Qt libraries with ``ldd``, never imported, so doctor works (and explains) exactly
where importing Qt would crash.

The slow imports (``importlib.metadata`` alone is ~18 ms) wait inside the checks that need
them; ``annotator gui`` needs only :mod:`annotator.display`.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from annotator import __version__
from annotator.display import display_problem, needs_display
from annotator.extras import EXTRAS

OK, WARN, FAIL, OFF = "ok", "warn", "FAIL", "--"
"""Statuses: fine; works but worse than it should; the desk cannot work; an optional extra absent."""

ARABIC_FAMILIES = ("Noto Naskh Arabic", "Noto Sans Arabic", "Amiri")
EMOJI_FAMILY = "Noto Color Emoji"
"""The desk's font list (``ui.fonts.DOCUMENT_FAMILIES``, which imports Qt; a test keeps them equal)."""

DEBIAN_PACKAGES = {
    "libxcb-cursor.so.0": "libxcb-cursor0", "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0", "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1", "libxcb-shape.so.0": "libxcb-shape0",
    "libEGL.so.1": "libegl1", "libGL.so.1": "libgl1", "libOpenGL.so.0": "libopengl0",
    "libfontconfig.so.1": "libfontconfig1", "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3", "libglib-2.0.so.0": "libglib2.0-0",
}
"""Libraries Qt's xcb platform plugin loads -> the Debian package that ships them."""


@dataclass(frozen=True)
class Check:
    """One line of the report: what was checked, its status, and what was found or what to do."""

    name: str
    status: str
    detail: str

    def line(self) -> str:
        return f"{self.status:<5} {self.name:<14} {self.detail}"


def check_python() -> Check:
    version = ".".join(map(str, sys.version_info[:3]))
    if sys.version_info < (3, 10):
        return Check("Python", FAIL, f"{version}: annotator needs Python 3.10 or newer")
    return Check("Python", OK, f"{version} ({sys.executable}); annotator {__version__}")


def installed_version(*distributions: str) -> str | None:
    """The version of the first of ``distributions`` installed, else ``None``."""
    import importlib.metadata
    for name in distributions:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return None


def check_pyside() -> Check:
    """PySide6 as installed here (see :func:`pyside_check`)."""
    version = installed_version("PySide6-Essentials", "PySide6")
    if importlib.util.find_spec("PySide6") is None:
        version = None
    return pyside_check(version, sys.version_info[:2])


def pyside_check(version: str | None, python: tuple[int, ...]) -> Check:
    """PySide6 present, and not 6.12.0 on Python <= 3.11 (it crashes: the gui extra's pin).

    >>> pyside_check("6.12.0", (3, 11)).status, pyside_check("6.12.0", (3, 12)).status
    ('FAIL', 'ok')
    """
    if version is None:
        return Check("PySide6", FAIL, "not installed: pip install 'annotator[gui]'")
    if version == "6.12.0" and python < (3, 12):
        return Check("PySide6", FAIL, "6.12.0 crashes on Python 3.11 and older: "
                                      "pip install 'PySide6-Essentials>=6.9,!=6.12.0'")
    return Check("PySide6", OK, version)


def _xcb_plugin() -> Path | None:
    spec = importlib.util.find_spec("PySide6")
    if spec is None or spec.origin is None:
        return None
    plugin = Path(spec.origin).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    return plugin if plugin.is_file() else None


def missing_libraries(ldd_output: str) -> list[str]:
    """Library names ``ldd`` could not find.

    >>> missing_libraries("\\tlibxcb-cursor.so.0 => not found\\n\\tlibc.so.6 => /lib/libc.so.6 (0x7)")
    ['libxcb-cursor.so.0']
    """
    import re
    return sorted(set(re.findall(r"^\s*(\S+) => not found", ldd_output, flags=re.M)))


def check_qt_libraries() -> Check:
    """The system libraries of Qt's X11 plugin (the ones a fresh Debian/Ubuntu lacks)."""
    name = "Qt libraries"
    if not sys.platform.startswith("linux"):
        return Check(name, OK, "bundled with PySide6 on this system")
    plugin = _xcb_plugin()
    if plugin is None:
        return Check(name, WARN, "cannot check: PySide6's xcb plugin is not installed")
    import subprocess

    ldd = shutil.which("ldd")
    if ldd is None:
        return Check(name, WARN, "cannot check: no ldd on this machine")
    result = subprocess.run([ldd, str(plugin)], capture_output=True, text=True, timeout=30)
    missing = missing_libraries(result.stdout + result.stderr)
    if not missing:
        return Check(name, OK, "everything Qt's X11 plugin loads is installed")
    packages = sorted({DEBIAN_PACKAGES.get(lib, lib) for lib in missing})
    return Check(name, FAIL, f"missing {', '.join(missing)}: sudo apt-get install "
                             f"{' '.join(packages)} (or: bash scripts/system-deps.sh)")


def check_display() -> Check:
    """Not required (the CLI and ``gui --screenshot`` need none), but the desk's window does."""
    if not needs_display():
        return Check("display", OK, "not needed on this system")
    problem = display_problem()
    if problem:
        return Check("display", WARN, problem)
    for variable in ("WAYLAND_DISPLAY", "DISPLAY"):
        if os.environ.get(variable):
            return Check("display", OK, f"{variable}={os.environ[variable]}")
    return Check("display", OK, f"QT_QPA_PLATFORM={os.environ.get('QT_QPA_PLATFORM')} (headless)")


def font_families(lister: Callable[[], str] | None = None) -> set[str] | None:
    """Font families fontconfig knows (what Qt uses on Linux), or ``None`` without ``fc-list``."""
    if lister is None:
        import subprocess

        fc_list = shutil.which("fc-list")
        if fc_list is None:
            return None
        output = subprocess.run([fc_list, ":", "family"], capture_output=True, text=True,
                                timeout=60).stdout
    else:
        output = lister()
    return {name.strip() for line in output.splitlines() for name in line.split(",") if name.strip()}


def check_fonts(families: set[str] | None) -> list[Check]:
    """The Arabic document font (required: otherwise DejaVu draws poor Arabic) and emoji."""
    if families is None:
        return [Check("fonts", WARN, "cannot check without fc-list; the desk's status bar names"
                                     " missing fonts")]
    arabic = next((f for f in ARABIC_FAMILIES if f in families), None)
    if arabic == ARABIC_FAMILIES[0]:
        checks = [Check("Arabic font", OK, arabic)]
    elif arabic is not None:
        checks = [Check("Arabic font", WARN, f"{arabic} (fallback); for Noto Naskh Arabic: "
                                             "sudo apt-get install fonts-noto-core")]
    else:
        checks = [Check("Arabic font", FAIL, "none of " + ", ".join(ARABIC_FAMILIES)
                        + ": sudo apt-get install fonts-noto-core fonts-hosny-amiri")]
    if EMOJI_FAMILY in families:
        checks.append(Check("emoji font", OK, EMOJI_FAMILY))
    else:
        checks.append(Check("emoji font", WARN, "emoji draw as boxes: "
                                                "sudo apt-get install fonts-noto-color-emoji"))
    return checks


def check_extras() -> list[Check]:
    """Optional extras: present, or the pip command that adds one (never a failure)."""
    checks = []
    for extra, (module, needed_by) in EXTRAS.items():
        if extra == "gui":
            continue  # checked (as required) by check_pyside
        if importlib.util.find_spec(module) is not None:
            checks.append(Check(f"[{extra}]", OK, f"{module}: {needed_by}"))
        else:
            checks.append(Check(f"[{extra}]", OFF,
                                f"for {needed_by}: pip install 'annotator[{extra}]'"))
    return checks


def machine_checks() -> list[Check]:
    """Every check of this machine, in the order a new annotator would fix them."""
    return [check_python(), check_pyside(), check_qt_libraries(), check_display(),
            *check_fonts(font_families()), *check_extras()]


def failed(checks: list[Check]) -> bool:
    return any(check.status == FAIL for check in checks)


def project_checks(path: Path) -> list[Check]:
    """A project's integrity (SQLite's quick check) and layout version, read without opening it
    as a project: opening would switch it to WAL and migrate it, and doctor changes nothing."""
    from annotator.backup import file_layout, integrity_problems
    from annotator.project import on_server

    name = str(path)
    if on_server(path):
        return _server_checks(path)
    if not path.is_file():
        return [Check(name, FAIL, "no such project file")]
    version, current = file_layout(path)
    problems = integrity_problems(path, full=False)
    if version is None or problems:
        first = problems[0] if problems else "not a SQLite file"
        return [Check(name, FAIL, f"damaged ({first}); see: annotator check {path}, "
                                  f"annotator restore {path}")]
    checks = [Check("integrity", OK, f"{path}: quick check passed (full: annotator check)")]
    if version == 0:
        checks.append(Check("layout", FAIL, f"{path} is a SQLite file but not an annotator project"))
    elif version > current:
        checks.append(Check("layout", FAIL, f"version {version} is newer than this annotator's "
                                            f"{current}: pip install -U annotator"))
    elif version < current:
        checks.append(Check("layout", OK, f"version {version}; upgraded to {current} "
                                          "when next opened (annotator backup first if unsure)"))
    else:
        checks.append(Check("layout", OK, f"version {version} (current)"))
    return checks


def _server_checks(path: Path) -> list[Check]:
    """A server project (issue 14): reachable with these credentials, and a project this
    release can open. Opening one for reading changes nothing (the server has no WAL to fold)."""
    from annotator.errors import ProjectError
    from annotator.project import Project

    try:
        with Project.open(path, read_only=True) as project:
            schema = project.schema
            return [Check("server", OK, f"{path}: reachable, {project.article_count()} articles, "
                                        f"schema {schema.name!r} v{schema.version}")]
    except ProjectError as exc:
        return [Check("server", FAIL, str(exc))]
    except ImportError as exc:
        return [Check("server", FAIL, str(exc))]
