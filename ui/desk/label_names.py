"""Ask for the Arabic display names of labels an import added (they came with a tag name only).

Why: ``annotator import --new-labels add`` can only name a new label by its tag (``MIS-2``); an
Arabic desk then showed Latin tags on its palette, chips and span list. When the desk opens on
such a schema and the user may change it (an admin, or anyone before the project has one), a
bar above the text offers a small dialog (objectName ``labelNamesDialog``); "Later" leaves the tags.
Saving is one new schema version through the session (``teams.replace_schema``), and the desk
shows the names at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from annotator.errors import AnnotatorError
from annotator.schema import unnamed_labels, with_display_names
from annotator.team import members as teams
from ui import i18n
from ui.i18n_qt import direction
from ui.named import named

if TYPE_CHECKING:
    from ui.desk.window import DeskWindow


def offer(window: DeskWindow) -> NamesBar | None:
    """A bar above the text when labels lack an Arabic name and this user may name them.

    A bar, not a window: a dialog popping up at start would take the keyboard (and the desk's
    window shortcuts) away from the text the user came to label.
    """
    names = unnamed_labels(window.project.schema_data(), "ar")
    if not names or window.session.acting_role != "admin":
        return None
    bar = NamesBar(window, names)
    window.centre_box.insertWidget(0, bar)
    return bar


class NamesBar(QWidget):
    """"New labels need an Arabic name: MIS-2 [Name them…]" (objectName ``labelNamesBar``)."""

    def __init__(self, window: DeskWindow, names: list[str]) -> None:
        super().__init__()
        self.setObjectName("labelNamesBar")
        self.window_, self.names = window, names
        self.dialog: LabelNamesDialog | None = None
        lang = window.language
        box = QHBoxLayout(self)
        box.setContentsMargins(4, 2, 4, 2)
        self.text = QLabel(i18n.tr("label_names_bar", lang, labels=", ".join(names)), wordWrap=True)
        self.button = named(QPushButton(i18n.tr("label_names_open", lang)), "nameLabels")
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.button.clicked.connect(self.open_dialog)
        box.addWidget(self.text, 1)
        box.addWidget(self.button)
        self.setStyleSheet("#labelNamesBar { background: #fff3cd; border-radius: 4px; }")

    def open_dialog(self) -> LabelNamesDialog:
        self.dialog = LabelNamesDialog(self.window_, self.names)
        self.dialog.accepted.connect(self.hide)
        self.dialog.show()
        return self.dialog


class LabelNamesDialog(QDialog):
    def __init__(self, window: DeskWindow, names: list[str]) -> None:
        super().__init__(window)
        self.setObjectName("labelNamesDialog")
        self.window_ = window
        lang = window.language
        self.setLayoutDirection(direction(lang))
        self.setWindowTitle(i18n.tr("label_names_title", lang))
        form = QFormLayout(self)
        form.addRow(QLabel(i18n.tr("label_names_intro", lang), wordWrap=True))
        self.edits: dict[str, QLineEdit] = {}
        for name in names:
            edit = named(QLineEdit(), f"arabicName_{name}")
            edit.setLayoutDirection(direction("ar"))
            form.addRow(name, edit)
            self.edits[name] = edit
        buttons = QDialogButtonBox()
        buttons.addButton(i18n.tr("label_names_save", lang), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(i18n.tr("label_names_later", lang), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def save(self) -> bool:
        """Store the names given (one schema version) and show them in the desk."""
        window = self.window_
        names = {name: edit.text() for name, edit in self.edits.items() if edit.text().strip()}
        if names:
            try:
                data = with_display_names(window.project.schema_data(), names, "ar")
                teams.replace_schema(window.session, data, note="Arabic names: " + ", ".join(names))
            except AnnotatorError as exc:
                window.show_status(str(exc), 6000)
                return False
            window.reload_schema()
        self.accept()
        return True
