"""Menus, actions and keyboard shortcuts of the desk, built from one table.

Shortcuts (also under Help ▸ Keyboard shortcuts): label keys 1–9 in the text (Alt+key = exact
characters), Delete, Esc, Tab/Shift+Tab between spans; in the text, handled by ui/desk/selection.py:
Ctrl+←/→ next/previous word, Ctrl+Shift+←/→ and Alt+←/→ grow/shrink the selection at its end
and start, ``-`` strips a proclitic; Ctrl+Z / Ctrl+Shift+Z (and Ctrl+Y),
Ctrl+M label all matches, Ctrl+T toggle token snapping, Ctrl+Enter done → next, Ctrl+PgDown /
Ctrl+PgUp next / previous article, Ctrl+F search articles, Ctrl+E back to the text, F1 help.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from ui import i18n
from ui.named import named


@dataclass(frozen=True)
class ActionSpec:
    name: str  # i18n key is "act_" + name
    menu: str  # i18n key of the menu
    shortcuts: tuple[str | QKeySequence.StandardKey, ...] = ()
    checkable: bool = False


SPECS = (
    ActionSpec("import", "menu_file", ("Ctrl+O",)),
    ActionSpec("export", "menu_file", ("Ctrl+Shift+E",)),
    ActionSpec("quit", "menu_file", ("Ctrl+Q",)),
    ActionSpec("undo", "menu_edit", ("Ctrl+Z",)),
    ActionSpec("redo", "menu_edit", ("Ctrl+Shift+Z", "Ctrl+Y")),
    ActionSpec("delete_span", "menu_edit"),
    ActionSpec("label_all", "menu_edit", ("Ctrl+M",)),
    ActionSpec("snap", "menu_edit", ("Ctrl+T",), checkable=True),
    ActionSpec("done_next", "menu_article", ("Ctrl+Return", "Ctrl+Enter")),
    ActionSpec("next", "menu_article", ("Ctrl+PgDown",)),
    ActionSpec("prev", "menu_article", ("Ctrl+PgUp",)),
    ActionSpec("find", "menu_article", ("Ctrl+F",)),
    ActionSpec("focus_text", "menu_article", ("Ctrl+E",)),
    ActionSpec("retrain", "menu_article", ("Ctrl+Shift+R",)),
    ActionSpec("shortcuts", "menu_help", ("F1",)),
)
MENUS = ("menu_file", "menu_edit", "menu_article", "menu_view", "menu_help")


class DeskActions:
    """Owns the QActions and menus; ``connect`` binds them to the window's handlers."""

    def __init__(self, window: QMainWindow) -> None:
        self.window = window
        self.actions: dict[str, QAction] = {}
        self.menus: dict[str, QMenu] = {}
        bar = window.menuBar()
        for key in MENUS:
            self.menus[key] = bar.addMenu("")
        for spec in SPECS:
            action = named(QAction(window, checkable=spec.checkable), f"act_{spec.name}")
            action.setShortcuts([QKeySequence(s) for s in spec.shortcuts])
            self.menus[spec.menu].addAction(action)
            window.addAction(action)  # shortcuts work whichever panel has focus
            self.actions[spec.name] = action
        self.language_menu = self.menus["menu_view"].addMenu("")
        self.language_group = QActionGroup(window)
        for language in i18n.LANGUAGES:
            action = named(QAction(window, checkable=True), f"lang_{language}")
            action.setData(language)
            self.language_group.addAction(action)
            self.language_menu.addAction(action)
            self.actions[f"lang_{language}"] = action

    def __getitem__(self, name: str) -> QAction:
        return self.actions[name]

    def connect(self, handlers: dict[str, Callable[[], object]]) -> None:
        for name, handler in handlers.items():
            self.actions[name].triggered.connect(lambda _=False, h=handler: h())

    def retranslate(self, language: str) -> None:
        for key, menu in self.menus.items():
            menu.setTitle(i18n.tr(key, language))
        self.language_menu.setTitle(i18n.tr("act_language", language))
        for spec in SPECS:
            self.actions[spec.name].setText(i18n.tr(f"act_{spec.name}", language))
        for code in i18n.LANGUAGES:
            self.actions[f"lang_{code}"].setText(i18n.tr(f"lang_{code}", language))
            self.actions[f"lang_{code}"].setChecked(code == language)
