"""Whether the desk can open a window, decided before Qt (which aborts, blaming xcb-cursor0)."""

from __future__ import annotations

import os
import socket
import sys

import pytest

from annotator import display, doctor
from tests.core.entry_point import run

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11 sockets")

FREE = 40000 + os.getpid() % 5000
"""A display number no X server uses here (checked in :func:`free_display`)."""


def free_display() -> str:
    if os.path.exists(f"/tmp/.X11-unix/X{FREE}"):
        pytest.skip(f"display :{FREE} is in use")
    return f":{FREE}"


@pytest.fixture
def x_env(monkeypatch):
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_an_x_server_listening_on_the_abstract_socket_answers(x_env):
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(f"\0/tmp/.X11-unix/X{FREE + 1}")
        server.listen(16)  # never accepted: each probe stays in the backlog
        assert display.x_server_answers(f":{FREE + 1}") is True
        assert display.x_server_answers(f"unix:{FREE + 1}.0") is True
        x_env.setenv("DISPLAY", f":{FREE + 1}")
        assert doctor.check_display() == doctor.Check("display", "ok", f"DISPLAY=:{FREE + 1}")
    assert display.x_server_answers(f":{FREE + 1}") is False


def test_forms_not_understood_refuse_nobody():
    assert display.x_server_answers("/private/tmp/launchd/org.xquartz:0") is None
    assert display.x_server_answers("nonsense") is None


def test_problems_in_order(x_env):
    assert display.display_problem() == display.NO_DISPLAY
    x_env.setenv("DISPLAY", free_display())
    assert display.display_problem() == (
        f"no X server answers at DISPLAY={free_display()}: start one or fix DISPLAY, or render the"
        " desk without one: annotator gui --screenshot desk.png")
    x_env.setenv("QT_QPA_PLATFORM", "offscreen")
    assert display.display_problem() is None
    x_env.delenv("QT_QPA_PLATFORM")
    x_env.setenv("WAYLAND_DISPLAY", "wayland-0")
    assert display.display_problem() is None


def test_gui_with_a_stale_display_is_one_line_not_a_qt_abort(tmp_path):
    db = tmp_path / "news.db"
    assert run("init", db).returncode == 0
    result = run("gui", db, env_remove=("WAYLAND_DISPLAY", "QT_QPA_PLATFORM"),
                 env={"DISPLAY": free_display()})
    assert result.returncode == 2
    assert result.stderr == (f"annotator: error: no X server answers at DISPLAY={free_display()}:"
                             " start one or fix DISPLAY, or render the desk without one:"
                             " annotator gui --screenshot desk.png\n")
