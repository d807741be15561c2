"""No module reaches another's private names beyond the known list (issue 13's contract).

import-linter keeps which modules import which; ``scripts/private_reach.py`` keeps which names they
use. These tests check that the detector finds each kind of reach (so the contract can fail) and
that the tree has none beyond ``scripts/private_reach.allow``, which the one-door refactor empties.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from tests.conftest import REPO

_spec = importlib.util.spec_from_file_location("private_reach", REPO / "scripts" / "private_reach.py")
assert _spec is not None and _spec.loader is not None
private_reach = importlib.util.module_from_spec(_spec)
sys.modules["private_reach"] = private_reach
_spec.loader.exec_module(private_reach)


def reaches(source: str) -> list[tuple[int, str]]:
    return sorted(private_reach.reaches(source, "x.py"))


def test_a_private_name_imported_from_another_module_is_a_reach():
    source = "from ui.app import _forget, build_window\nfrom .store import _rows as rows\n"
    assert reaches(source) == [(1, "from ui.app import _forget"), (2, "from .store import _rows")]


def test_calling_or_setting_another_objects_private_attribute_is_a_reach():
    source = ("class Panel:\n"
              "    def refresh(self):\n"
              "        self.controller._set_spans([])\n"
              "        self.view._highlighter = None\n")
    assert reaches(source) == [(3, "self.controller._set_spans"), (4, "self.view._highlighter")]


def test_the_desk_and_the_cli_reaching_the_store_is_a_reach_the_core_may():
    source = "def total(project, session):\n    return project.store.count('a'), session.store\n"
    expected = [(2, "project.store"), (2, "session.store")]
    assert sorted(private_reach.reaches(source, "ui/desk/io_dialogs.py")) == expected
    assert sorted(private_reach.reaches(source, "annotator/cli/teams.py")) == expected
    assert sorted(private_reach.reaches(source, "annotator/stats.py")) == []


def test_a_modules_own_private_names_and_dunders_are_not_reaches():
    source = ("import os\n"
              "import _socket\n"  # the standard library's private modules are not ours to judge
              "from collections import namedtuple\n"
              "_CACHE = {}\n"
              "class Span:\n"
              "    def __init__(self):\n"
              "        self._start = 0\n"
              "    def __eq__(self, other):\n"
              "        return other._start == self._start and _CACHE is not None\n"
              "    def moved(self):\n"
              "        return super()._moved() or self.__class__\n"
              "def stop(point):\n"
              "    os._exit(point._replace(x=1).x)\n")
    assert reaches(source) == []


def test_a_file_that_does_not_parse_is_one_finding_not_a_traceback():
    assert reaches("<<<<<<< HEAD\nx = 1\n") == [(1, "(cannot parse: invalid syntax)")]


def test_the_allow_list_ignores_comments_and_blank_lines(tmp_path: Path):
    allow = tmp_path / "allow"
    allow.write_text("# why\n\nui/a.py: x._y  # follow-up\n", encoding="utf-8")
    assert private_reach.read_allow(allow) == {"ui/a.py: x._y"}


def test_a_reach_missing_from_the_allow_list_fails_and_a_stale_entry_is_noted(tmp_path: Path):
    (tmp_path / "ui").mkdir()
    (tmp_path / "annotator").mkdir()
    (tmp_path / "ui" / "panel.py").write_text("def f(w):\n    w._jump()\n", encoding="utf-8")
    allow = tmp_path / "allow"
    allow.write_text("ui/old.py: w._gone\n", encoding="utf-8")
    assert private_reach.check(tmp_path, allow) == (["ui/panel.py:2: w._jump"], ["ui/old.py: w._gone"])
    allow.write_text("ui/panel.py: w._jump\n", encoding="utf-8")
    assert private_reach.check(tmp_path, allow) == ([], [])


def test_the_tree_reaches_no_private_name_beyond_the_allow_list():
    new, _gone = private_reach.check()
    assert new == [], "new private reaches (use a public name; see scripts/private_reach.allow):\n" + \
        "\n".join(new)
