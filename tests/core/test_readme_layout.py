"""The README's layout section matches the tree (issue 13: 'the layout section of the README
matches the tree'): every module and package of the core and the desk is named there."""

from __future__ import annotations

import re

from tests.conftest import REPO


def layout_block() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    match = re.search(r"## Layout\n\n```\n(.*?)\n```", readme, re.S)
    assert match, "README.md has no layout block"
    return match.group(1)


def test_every_core_module_and_package_is_in_the_readme_layout():
    words = set(re.findall(r"[\w.]+", layout_block()))
    root = REPO / "annotator"
    modules = {p.name for p in root.glob("*.py") if p.name != "__init__.py"}
    packages = {p.name for p in root.iterdir() if (p / "__init__.py").exists()} - {"data"}
    assert modules - words == set()
    assert {f"{p}/" for p in packages} - set(re.findall(r"\b\w+/", layout_block())) == set()


def test_every_desk_module_and_package_is_in_the_readme_layout():
    block = layout_block()
    root = REPO / "ui"
    shared = {p.stem for p in root.glob("*.py") if p.name != "__init__.py"}
    line = next(line for line in block.splitlines() if line.startswith("ui/"))
    assert shared - set(re.findall(r"\w+", line)) == set()
    packages = {p.name for p in root.iterdir() if (p / "__init__.py").exists()}
    assert packages == {"desk", "review"}
    assert all(f"  {p}/" in block for p in packages)
