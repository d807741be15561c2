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
    for path in UI.rglob("*.py"):
        if "from ui import i18n" not in path.read_text("utf-8"):
            continue  # modules with their own catalogue (e.g. adjudication_strings)
        used |= set(re.findall(r"""(?:i18n\.)?tr\(\s*["']([a-z_]+)["']""", path.read_text("utf-8")))
        used |= set(re.findall(r"""_say\(\s*["']([a-z_]+)["']""", path.read_text("utf-8")))
    assert used and used <= i18n.EN.keys(), used - i18n.EN.keys()


def test_state_names():
    assert i18n.state_name("in_progress", "ar") == "قيد العمل"
    assert i18n.state_name("done", "en") == "done"


def _table_keys(rows: list[str]) -> list[frozenset[str]]:
    """Each row's keys: what its first cell (markdown) puts in backticks."""
    return [frozenset(re.findall(r"`([^`]+)`", row)) for row in rows]


def _readme_key_cells() -> list[str]:
    readme = (UI.parent / "README.md").read_text("utf-8").splitlines()
    start = readme.index("| key | does |") + 2
    cells = []
    for line in readme[start:]:
        if not line.startswith("|"):
            break
        cells.append(line.split(" | ")[0])
    return cells


def test_the_f1_help_lists_every_key_of_the_readme_table_in_both_languages():
    from ui.i18n_keys import KEY_ROWS

    readme = [keys for keys in _table_keys(_readme_key_cells()) if keys]
    catalogue = [keys for keys in _table_keys([row.keys for row in KEY_ROWS]) if keys]
    assert len(readme) >= 15
    assert sorted(map(sorted, readme)) == sorted(map(sorted, catalogue))
    for language in i18n.LANGUAGES:
        lines = i18n.tr("shortcuts", language).splitlines()
        assert len(lines) == len(KEY_ROWS)
        for keys in readme:  # every key at the head of a line of help, in each language
            assert any(all(key in line.split(" — ")[0] for key in keys) for line in lines), (
                language, keys)
    assert "Ctrl+Shift+R — " in i18n.tr("shortcuts", "ar")
