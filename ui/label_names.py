"""Ask for the Arabic display names of labels an import added (they came with a tag name only).

Why: ``annotator import --new-labels add`` can only name a new label by its tag (``MIS-2``); an
Arabic desk then showed Latin tags on its palette, chips and span list. When the desk opens on
such a schema and the user may change it (an admin, or anyone before the project has one), it
offers this small non-modal dialog (objectName ``labelNamesDialog``); "Later" leaves the tags.
Saving is one new schema version through the session (``teams.replace_schema``), and the desk
shows the names at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit

from annotator import teams
from annotator.errors import AnnotatorError
from annotator.schema import unnamed_labels, with_display_names
from ui import i18n
from ui.i18n_qt import direction

if TYPE_CHECKING:
    from ui.main_window import DeskWindow


def offer(window: DeskWindow) -> LabelNamesDialog | None:
    """Show the dialog when labels lack an Arabic name and this user may name them."""
    names = unnamed_labels(window.project.schema_data(), "ar")
    if not names or window.session.acting_role != "admin":
        return None
    dialog = LabelNamesDialog(window, names)
    dialog.show()
    return dialog


class LabelNamesDialog(QDialog):
    def __init__(self, window: DeskWindow, names: list[str]) -> None:
        super().__init__(window, objectName="labelNamesDialog")
        self.window_ = window
        lang = window.language
        self.setLayoutDirection(direction(lang))
        self.setWindowTitle(i18n.tr("label_names_title", lang))
        form = QFormLayout(self)
        form.addRow(QLabel(i18n.tr("label_names_intro", lang), wordWrap=True))
        self.edits: dict[str, QLineEdit] = {}
        for name in names:
            edit = QLineEdit(objectName=f"arabicName_{name}")
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
