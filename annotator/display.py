"""Can Qt open a window here? Asked before Qt is imported, by ``annotator gui`` and ``doctor``.

Why before: without a display, Qt's xcb plugin aborts the process (rc 134) with "xcb-cursor0
or libxcb-cursor0 is needed", which sends people to install a library they already have. A
module of its own, importing nothing heavy, because ``annotator gui`` asks on every start.
"""

from __future__ import annotations

import os
import sys

HEADLESS_PLATFORMS = ("offscreen", "minimal", "vnc", "eglfs", "linuxfb", "vkkhrdisplay")
"""``QT_QPA_PLATFORM`` values that draw without a window system."""

NO_DISPLAY = ("no display (DISPLAY and WAYLAND_DISPLAY are unset): run the desk in a desktop"
              " session, or render it without one: annotator gui --screenshot desk.png")
"""The one line shown instead of Qt's abort when there is no display."""


def needs_display() -> bool:
    """Linux and the BSDs draw through X11 or Wayland; macOS and Windows always have a screen."""
    return sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd"))


def has_window_system() -> bool:
    """Whether Qt can open a window: a display, or a headless ``QT_QPA_PLATFORM``
    (``offscreen``, as tests and ``gui --screenshot`` use)."""
    if not needs_display():
        return True
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return True
    return os.environ.get("QT_QPA_PLATFORM", "").split(":")[0] in HEADLESS_PLATFORMS
