"""The UI catalogue: both languages complete, and every key the code asks for exists."""

from __future__ import annotations

import re
from pathlib import Path

from ui import i18n

UI = Path(__file__).resolve().parents[2] / "ui"


def test_arabic_and_english_have_the_same_keys_and_placeholders():
    assert i18n.AR.keys() == i18n.EN.keys()
    for key in i18n.EN:
        fields = lambda s: sorted(re.findall(r"\{(\w+)\}", s))  # noqa: E731
        assert fields(i18n.AR[key]) == fields(i18n.EN[key]), key


def test_every_literal_key_used_in_ui_exists():
    used = set()
    for path in UI.glob("*.py"):
        if "from ui import i18n" not in path.read_text("utf-8"):
            continue  # modules with their own catalogue (e.g. adjudication_strings)
        used |= set(re.findall(r"""(?:i18n\.)?tr\(\s*["']([a-z_]+)["']""", path.read_text("utf-8")))
        used |= set(re.findall(r"""_say\(\s*["']([a-z_]+)["']""", path.read_text("utf-8")))
    assert used and used <= i18n.EN.keys(), used - i18n.EN.keys()


def test_state_names():
    assert i18n.state_name("in_progress", "ar") == "قيد العمل"
    assert i18n.state_name("done", "en") == "done"
