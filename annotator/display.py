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


def x_server_answers(display: str, timeout: float = 1.0) -> bool | None:
    """Whether an X server accepts a connection at ``display`` (``:0``, ``unix:0.0``,
    ``localhost:10.0``); ``None`` for a form not understood here (then nobody is refused).

    A stale ``DISPLAY`` (an ssh session without X forwarding, a stopped Xvfb) makes Qt abort
    with the same misleading xcb-cursor0 message as no display at all.
    """
    host, _, rest = display.rpartition(":")
    number = rest.split(".")[0]
    if not number.isdigit() or host.startswith("/"):
        return None
    if host in ("", "unix"):
        # The C module, not ``socket`` (3-15 ms to import, on every start of the desk).
        import _socket

        path = f"/tmp/.X11-unix/X{number}"
        for address in ("\0" + path, path):  # the abstract socket first, as libxcb tries
            sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
            sock.settimeout(timeout)
            try:
                sock.connect(address)
                return True
            except OSError:
                continue
            finally:
                sock.close()
        return False
    import socket  # a remote display (ssh -X): rare, and slow anyway

    try:
        socket.create_connection((host, 6000 + int(number)), timeout=timeout).close()
        return True
    except OSError:
        return False


def display_problem() -> str | None:
    """Why the desk cannot open a window here (one line naming ``--screenshot``), or ``None``."""
    if not has_window_system():
        return NO_DISPLAY
    if not needs_display() or os.environ.get("WAYLAND_DISPLAY"):
        return None
    if os.environ.get("QT_QPA_PLATFORM", "xcb").split(":")[0] != "xcb":
        return None
    display = os.environ.get("DISPLAY", "")
    if display and x_server_answers(display) is False:
        return (f"no X server answers at DISPLAY={display}: start one or fix DISPLAY, or render"
                " the desk without one: annotator gui --screenshot desk.png")
    return None
