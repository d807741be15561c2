"""``named(widget, "objectName")``: a widget with its object name, typed as itself.

Why not ``QComboBox(objectName="layerCombo")``: PySide6 accepts any Qt property as a keyword, but
its stubs list only a class's own properties, not ``QObject.objectName``, so mypy rejected 39
constructors (issue 13 type-checks the desk). Tests and the screenshot script find widgets by
these names, so they stay exactly as they were.
"""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QObject

Q = TypeVar("Q", bound=QObject)


def named(thing: Q, name: str) -> Q:
    """``thing`` after ``setObjectName(name)``, for use inside an expression."""
    thing.setObjectName(name)
    return thing
