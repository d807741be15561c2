"""``annotator doctor``: each check's verdict on a known machine state, and the command's exit code."""

from __future__ import annotations

import importlib.util
import sqlite3
from pathlib import Path

import pytest

from annotator import doctor
from annotator.doctor import FAIL, OK, WARN, check_fonts, missing_libraries, project_checks
from annotator.store import LAYOUT_VERSION
from tests.core.entry_point import run


def statuses(checks: list[doctor.Check]) -> dict[str, str]:
    return {check.name: check.status for check in checks}


def test_fonts_noto_naskh_and_emoji_present_are_ok():
    checks = check_fonts({"DejaVu Sans", "Noto Naskh Arabic", "Noto Color Emoji"})
    assert statuses(checks) == {"Arabic font": OK, "emoji font": OK}


def test_fonts_fallback_is_a_warning_naming_the_package():
    checks = check_fonts({"DejaVu Sans", "Amiri"})
    assert statuses(checks) == {"Arabic font": WARN, "emoji font": WARN}
    assert "Amiri (fallback)" in checks[0].detail and "fonts-noto-core" in checks[0].detail
    assert "fonts-noto-color-emoji" in checks[1].detail


def test_no_arabic_font_fails():
    checks = check_fonts({"DejaVu Sans", "Noto Color Emoji"})
    assert statuses(checks) == {"Arabic font": FAIL, "emoji font": OK}
    assert doctor.failed(checks)


def test_font_families_splits_fc_list_output():
    output = "DejaVu Sans\nNoto Naskh Arabic,Noto Naskh Arabic UI\n\nAmiri\n"
    assert doctor.font_families(lambda: output) == {
        "DejaVu Sans", "Noto Naskh Arabic", "Noto Naskh Arabic UI", "Amiri"}


def test_pyside_612_is_refused_on_python_311_only():
    assert doctor.pyside_check("6.12.0", (3, 11)).status == FAIL
    assert "!=6.12.0" in doctor.pyside_check("6.12.0", (3, 11)).detail
    assert doctor.pyside_check("6.12.0", (3, 12)).status == OK
    assert doctor.pyside_check("6.11.3", (3, 11)) == doctor.Check("PySide6", OK, "6.11.3")
    missing = doctor.pyside_check(None, (3, 11))
    assert (missing.status, missing.detail) == (FAIL, "not installed: pip install 'annotator[gui]'")


def test_missing_qt_library_names_the_debian_package(monkeypatch):
    ldd = ("\tlibQt6XcbQpa.so.6 => /x/libQt6XcbQpa.so.6 (0x1)\n"
           "\tlibxcb-cursor.so.0 => not found\n\tlibxkbcommon-x11.so.0 => not found\n")
    assert missing_libraries(ldd) == ["libxcb-cursor.so.0", "libxkbcommon-x11.so.0"]


@pytest.mark.parametrize("env, status", [
    ({"WAYLAND_DISPLAY": "wayland-0"}, OK),
    ({"QT_QPA_PLATFORM": "offscreen"}, OK),
    ({}, WARN),
    ({"QT_QPA_PLATFORM": "xcb"}, WARN),
])
def test_display(monkeypatch, env, status):
    monkeypatch.setattr(doctor.sys, "platform", "linux")
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    check = doctor.check_display()
    assert check.status == status
    if status == WARN:
        assert "--screenshot" in check.detail


def test_project_current_layout(tmp_path):
    db = tmp_path / "news.db"
    assert run("init", db).returncode == 0
    assert [(c.name, c.status) for c in project_checks(db)] == [("integrity", OK), ("layout", OK)]
    assert project_checks(db)[1].detail == f"version {LAYOUT_VERSION} (current)"


def set_layout(db: Path, version: int) -> None:
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()


def test_project_older_layout_is_ok_and_not_migrated_by_doctor(tmp_path):
    db = tmp_path / "news.db"
    assert run("init", db).returncode == 0
    set_layout(db, LAYOUT_VERSION - 1)
    checks = project_checks(db)
    assert checks[1].status == OK and f"upgraded to {LAYOUT_VERSION}" in checks[1].detail
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LAYOUT_VERSION - 1
    conn.close()


def test_project_newer_layout_fails_through_the_entry_point(tmp_path):
    db = tmp_path / "news.db"
    assert run("init", db).returncode == 0
    set_layout(db, LAYOUT_VERSION + 1)
    result = run("doctor", db)
    assert result.returncode == 1
    assert (f"FAIL  layout         version {LAYOUT_VERSION + 1} is newer than this annotator's "
            f"{LAYOUT_VERSION}") in result.stdout
    assert result.stderr == "annotator: doctor: fix the FAIL lines above\n"


def test_damaged_and_foreign_files_fail(tmp_path):
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not a database at all" * 100)
    [check] = project_checks(garbage)
    assert check.status == FAIL and "damaged" in check.detail and "annotator restore" in check.detail
    foreign = tmp_path / "foreign.db"
    sqlite3.connect(foreign).execute("CREATE TABLE t (x)").connection.close()
    assert statuses(project_checks(foreign)) == {"integrity": OK, "layout": FAIL}
    assert project_checks(tmp_path / "none.db") == [
        doctor.Check(str(tmp_path / "none.db"), FAIL, "no such project file")]


@pytest.mark.skipif(importlib.util.find_spec("PySide6") is None,
                    reason="a core-only install: doctor rightly fails on the missing desk")
def test_doctor_on_this_machine_reports_every_check(tmp_path):
    """The test environment has everything (test extras, system-deps.sh): all lines ok but the
    display, which CI lacks; exit code 0, since no display is not a failure."""
    result = run("doctor", env_remove=("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))
    names = [line[6:20].strip() for line in result.stdout.splitlines()]
    assert names == ["Python", "PySide6", "Qt libraries", "display", "Arabic font", "emoji font",
                     "[plot]", "[suggest]", "[spacy]", "[hf]", "[server]"]
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[3].startswith("warn  display        no display")
