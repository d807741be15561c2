"""List every place where one module reaches another module's private (``_name``) names.

import-linter checks which modules import which, not which names they use, so the rule "no module
reaches another's private names" (issue 13) is kept here, by reading the code with ``ast``:

- ``from x import _name`` (or ``import x._name``), x one of ours: a private name of another module;
- ``thing._name`` where ``_name`` is defined nowhere in the reading module (no ``def``, ``class``,
  assignment or ``self._name = ...`` of that name): someone else's private attribute, e.g. a panel
  calling ``controller._set_spans``. ``self._x``/``cls._x``/``super()._x`` are a class's own (or
  its bases', which is inheritance, not reaching), and a module may use its own private names on any
  object (``other._x`` inside ``__eq__``).

- ``thing.store`` in the desk (``ui/``) or the CLI (``annotator/cli/``): the store is private to
  the core's use cases; those two call the session and the project (issue 13's one door).

Dunders (``__init__``) and the documented underscore APIs of the standard library (namedtuple's
``_replace``, ``os._exit``, ``sys._getframe``) are public and not listed.

Each reach is keyed ``path: expression`` (no line number, so parallel edits do not churn the
key). Reaches already known are listed in ``scripts/private_reach.allow``, one per line; the
one-door refactor of issue 13 empties that file. The check fails on a reach that is not listed,
and notes (without failing) listed reaches that are gone, so the list can be shortened.

    python scripts/private_reach.py            # check against the allow-list (exit 1 on new reaches)
    python scripts/private_reach.py --list     # print every reach with its line, allowed or not
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("annotator", "ui")
ALLOW_FILE = REPO / "scripts" / "private_reach.allow"

# Underscore names that are documented public API of the standard library.
PUBLIC_UNDERSCORE = frozenset({
    "_replace", "_asdict", "_fields", "_field_defaults", "_make",  # collections.namedtuple
    "_exit",  # os._exit: leave without cleanup (crash tests, forked children)
    "_getframe",  # sys._getframe
    "_MEIPASS",  # PyInstaller's bundle folder
})
OWN_RECEIVERS = frozenset({"self", "cls"})
# Folders that reach the core only through its door (Project / Session), never its store.
DOOR_ONLY = ("ui/", "annotator/cli/")
STORE = "store"


def is_private(name: str) -> bool:
    """``_x`` and ``__x`` are private; ``__x__`` (dunders) and ``_`` are not."""
    return name.startswith("_") and not name.endswith("__") and name != "_"


def is_ours(module: str) -> bool:
    """A module of this project: the standard library's ``_socket`` is its own business."""
    return module.split(".")[0] in PACKAGES


def defined_names(tree: ast.AST) -> set[str]:
    """Every name a module defines itself: functions, classes, names, its own attributes."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif (isinstance(node, ast.Attribute) and isinstance(node.ctx, (ast.Store, ast.Del))
              and is_own_receiver(node.value)):
            names.add(node.attr)  # self._x = ...; setting view._x from outside is a reach
        elif isinstance(node, ast.arg):
            names.add(node.arg)
    return names


def is_own_receiver(value: ast.expr) -> bool:
    """``self``, ``cls`` or ``super()``: the class's own attributes (or inherited ones)."""
    if isinstance(value, ast.Name):
        return value.id in OWN_RECEIVERS
    return (isinstance(value, ast.Call) and isinstance(value.func, ast.Name)
            and value.func.id == "super")


def reaches(source: str, filename: str) -> Iterator[tuple[int, str]]:
    """Yield ``(line, expression)`` for every reach into another module's private names.

    >>> list(reaches("from ui.app import _forget, build_window\\n", "x.py"))
    [(1, 'from ui.app import _forget')]
    >>> list(reaches("def f(c):\\n    c._set_spans([])\\n", "x.py"))
    [(2, 'c._set_spans')]
    >>> list(reaches("def f(view):\\n    view._highlighter = None\\n", "x.py"))
    [(2, 'view._highlighter')]
    >>> list(reaches("n = project.store.count('articles')\\n", "ui/panel.py"))
    [(1, 'project.store')]
    >>> list(reaches("class A:\\n    def __init__(self):\\n        self._n = 1\\n"
    ...              "    def __eq__(self, o):\\n        return o._n == self._n\\n", "x.py"))
    []
    """
    try:
        tree = ast.parse(source, filename)
    except SyntaxError as exc:  # a merge left conflict markers, say: one line, not a traceback
        yield exc.lineno or 0, f"(cannot parse: {exc.msg})"
        return
    own = defined_names(tree)
    door_only = filename.replace("\\", "/").startswith(DOOR_ONLY)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.level or is_ours(node.module or "")):
            module = "." * node.level + (node.module or "")
            for alias in node.names:
                if is_private(alias.name):
                    yield node.lineno, f"from {module} import {alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if is_ours(alias.name) and any(map(is_private, alias.name.split("."))):
                    yield node.lineno, f"import {alias.name}"
        elif isinstance(node, ast.Attribute) and node.attr == STORE and door_only:
            yield node.lineno, f"{ast.unparse(node.value)}.{node.attr}"
        elif isinstance(node, ast.Attribute) and is_private(node.attr):
            if node.attr in own or node.attr in PUBLIC_UNDERSCORE or is_own_receiver(node.value):
                continue
            yield node.lineno, f"{ast.unparse(node.value)}.{node.attr}"


def python_files(root: Path, packages: Iterable[str]) -> Iterator[Path]:
    for package in packages:
        yield from sorted((root / package).rglob("*.py"))


def all_reaches(root: Path = REPO) -> list[tuple[str, int, str]]:
    """``(path, line, expression)`` for every reach in the packages, in file order."""
    found = []
    for path in python_files(root, PACKAGES):
        rel = path.relative_to(root).as_posix()
        for line, expression in sorted(reaches(path.read_text(encoding="utf-8"), rel)):
            found.append((rel, line, expression))
    return found


def read_allow(path: Path) -> set[str]:
    """The allow-list's keys (``path: expression``); ``#`` starts a comment."""
    if not path.exists():
        return set()
    lines = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return {line for line in lines if line}


def check(root: Path = REPO, allow_file: Path = ALLOW_FILE) -> tuple[list[str], list[str]]:
    """The reaches not in the allow-list (``path:line: expression``), and the listed ones now gone."""
    allowed = read_allow(allow_file)
    found = all_reaches(root)
    new = [f"{rel}:{line}: {expr}" for rel, line, expr in found if f"{rel}: {expr}" not in allowed]
    gone = sorted(allowed - {f"{rel}: {expr}" for rel, _, expr in found})
    return new, gone


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="print every reach and exit 0")
    args = parser.parse_args(argv)
    if args.list:
        found = all_reaches()
        for rel, line, expression in found:
            print(f"{rel}:{line}: {expression}")
        print(f"{len(found)} reaches into private names", file=sys.stderr)
        return 0
    new, gone = check()
    allow = ALLOW_FILE.relative_to(REPO)
    for key in gone:
        print(f"note: {key} is gone; remove it from {allow}")
    for reach in new:
        print(f"{reach}: reaches a private name of another module")
    if new:
        print(f"{len(new)} new private reaches: use a public name (or, for now, list them in "
              f"{allow})", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
