"""The interface language reaches Qt's own widgets too: dialogs, their buttons, their direction.

Why: our catalogue (``ui.i18n``) translated every string we wrote, but a ``QMessageBox.question``
still said "Yes"/"No" under an Arabic question, and dialogs (top-level windows) did not inherit
the desk's right-to-left layout. Qt ships its own Arabic strings (``qtbase_ar.qm``, in PySide6's
``translations`` folder): :func:`apply_language` installs them and mirrors the application, so
file and progress dialogs follow; :func:`ask` and :func:`tell` build message boxes whose buttons
come from our catalogue, so they are right even where Qt's file is missing.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, Qt, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from ui import i18n

_installed: list[QTranslator] = []


def direction(language: str) -> Qt.LayoutDirection:
    return Qt.LayoutDirection.RightToLeft if language == "ar" else Qt.LayoutDirection.LeftToRight


def apply_language(language: str) -> bool:
    """Mirror the application for Arabic and load Qt's strings; returns whether Qt's were found."""
    app = QCoreApplication.instance()
    if not isinstance(app, QApplication):
        return False
    app.setLayoutDirection(direction(language))
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    if language == "en":
        return True
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(QLocale(language), "qtbase", "_", folder):
        return False
    app.installTranslator(translator)
    _installed.append(translator)
    return True


def _box(parent: QWidget | None, language: str, icon: QMessageBox.Icon, title: str,
         text: str) -> QMessageBox:
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.NoButton, parent)
    box.setLayoutDirection(direction(language))
    box.setObjectName("deskMessage")
    return box


def ask(parent: QWidget | None, language: str, title: str, question: str) -> bool:
    """A yes/no question in ``language``, buttons included; Esc means no."""
    box = _box(parent, language, QMessageBox.Icon.Question, title, question)
    yes = box.addButton(i18n.tr("button_yes", language), QMessageBox.ButtonRole.YesRole)
    no = box.addButton(i18n.tr("button_no", language), QMessageBox.ButtonRole.NoRole)
    box.setDefaultButton(yes)
    box.setEscapeButton(no)
    box.exec()
    return box.clickedButton() is yes


def tell(parent: QWidget | None, language: str, title: str, text: str, *, warning: bool = False) -> None:
    """An information (or warning) box in ``language`` with one OK button."""
    icon = QMessageBox.Icon.Warning if warning else QMessageBox.Icon.Information
    box = _box(parent, language, icon, title, text)
    box.setDefaultButton(box.addButton(i18n.tr("button_ok", language), QMessageBox.ButtonRole.AcceptRole))
    box.exec()
