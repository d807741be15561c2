"""scripts/run.sh and scripts/venv.sh, run as bash runs them, on copies in a temporary folder
(never on this checkout's .venv)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.skipif(shutil.which("bash") is None or not sys.platform.startswith("linux"),
                                reason="the scripts are for Linux")


def bash(script: Path, *args: str, env_remove: tuple[str, ...] = (),
         env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in env_remove}
    environ.update(env or {})
    return subprocess.run(["bash", str(script), *args], capture_output=True, text=True,
                          env=environ, timeout=60)


def copy_script(tmp_path: Path, name: str) -> Path:
    (tmp_path / "scripts").mkdir(exist_ok=True)
    return Path(shutil.copy(REPO / "scripts" / name, tmp_path / "scripts" / name))


NO_DISPLAY = ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")


def test_run_sh_without_display_says_so_first_and_exits_2(tmp_path):
    """Alone in its folder: had it gone on to system-deps.sh it would fail with another code."""
    result = bash(copy_script(tmp_path, "run.sh"), "news.db", env_remove=NO_DISPLAY)
    assert result.returncode == 2
    assert result.stderr == (
        "run.sh: no display (DISPLAY and WAYLAND_DISPLAY are unset): run it in a desktop session,"
        " or render the desk without one: bash scripts/run.sh --screenshot desk.png\n")


@pytest.mark.parametrize("args, env", [
    (("--screenshot", "desk.png"), {}),
    (("news.db", "--screenshot=desk.png"), {}),
    (("--help",), {}),
    ((), {"QT_QPA_PLATFORM": "offscreen"}),
    ((), {"DISPLAY": ":0"}),
])
def test_run_sh_goes_on_with_a_display_or_headless(tmp_path, args, env):
    """It passes the display check and reaches system-deps.sh (absent in the copy: rc 127)."""
    result = bash(copy_script(tmp_path, "run.sh"), *args, env_remove=NO_DISPLAY, env=env)
    assert result.returncode == 127 and "system-deps.sh" in result.stderr


def fake_venv(tmp_path: Path) -> Path:
    """A project folder whose .venv/bin/python logs pip calls (and does nothing for them) and
    runs everything else with this interpreter, where annotator is installed."""
    copy_script(tmp_path, "venv.sh")
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    bin_dir = tmp_path / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "annotator").write_text("#!/bin/sh\n")
    python = bin_dir / "python"
    python.write_text(
        "#!/bin/sh\n"
        f'if [ "$1" = -m ] && [ "$2" = pip ]; then echo "$*" >> "{tmp_path}/pip.log"; exit 0; fi\n'
        f'exec "{sys.executable}" "$@"\n')
    for path in (python, bin_dir / "annotator"):
        path.chmod(0o755)
    return tmp_path


def pip_calls(folder: Path) -> list[str]:
    log = folder / "pip.log"
    return log.read_text().splitlines() if log.exists() else []


def test_venv_sh_installs_once_until_pyproject_or_extras_change(tmp_path):
    folder = fake_venv(tmp_path)
    script = folder / "scripts" / "venv.sh"
    install = "-m pip install -q -e .[gui]"
    assert bash(script, "gui").returncode == 0
    assert pip_calls(folder) == ["-m pip install -q --upgrade pip", install]
    assert bash(script, "gui").returncode == 0
    assert len(pip_calls(folder)) == 2, "an unchanged project was installed again"
    with (folder / "pyproject.toml").open("a") as f:
        f.write("\n# a new dependency\n")
    assert bash(script, "gui").returncode == 0
    assert pip_calls(folder)[2:] == ["-m pip install -q --upgrade pip", install]
    assert bash(script, "test,hf").returncode == 0
    assert pip_calls(folder)[-1] == "-m pip install -q -e .[test,hf]"
    assert bash(script, "gui").returncode == 0 and len(pip_calls(folder)) == 6


def test_venv_sh_reinstalls_when_the_entry_point_is_gone(tmp_path):
    folder = fake_venv(tmp_path)
    script = folder / "scripts" / "venv.sh"
    assert bash(script, "gui").returncode == 0
    (folder / ".venv" / "bin" / "annotator").unlink()
    assert bash(script, "gui").returncode == 0
    assert len(pip_calls(folder)) == 4
