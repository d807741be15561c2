"""The label palette (objectName ``labelPalette``): one button per schema label.

The buttons wrap onto as many rows as the width needs (:class:`ui.desk.flow_layout.FlowLayout`).
A click labels the selection like the label's key does; holding Alt while clicking labels the
exact characters (no snapping), as Alt+key does. Buttons never take focus, so the keyboard
stays in the text.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication
from PySide6.QtWidgets import QPushButton, QSizePolicy, QWidget

from annotator.model import Label, Schema
from ui import i18n
from ui.desk.flow_layout import FlowLayout
from ui.named import named


def _text_color(background: str) -> str:
    """Black or white, whichever reads better on the label colour."""
    c = QColor(background)
    return "#000000" if (0.299 * c.red() + 0.587 * c.green() + 0.114 * c.blue()) > 140 else "#ffffff"


class LabelPalette(QWidget):
    labelClicked = Signal(str, bool)  # label name, exact

    def __init__(self, schema: Schema, language: str = "ar", parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("labelPalette")
        self.schema = schema
        self.buttons: dict[str, QPushButton] = {}
        # Wraps onto more rows rather than widening the window (21 labels made it 1757 px).
        box = FlowLayout(self, spacing=4)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        for label in schema.labels:
            button = named(QPushButton(), f"label_{label.name}")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setStyleSheet(
                f"QPushButton {{ background: {label.color}; color: {_text_color(label.color)};"
                " border: 1px solid #888; border-radius: 4px; padding: 3px 8px; }"
            )
            button.clicked.connect(lambda _=False, name=label.name: self._clicked(name))
            box.addWidget(button)
            self.buttons[label.name] = button
        self.retranslate(language)

    def _clicked(self, name: str) -> None:
        exact = bool(QGuiApplication.keyboardModifiers() & Qt.KeyboardModifier.AltModifier)
        self.labelClicked.emit(name, exact)

    def retranslate(self, language: str) -> None:
        for label in self.schema.labels:
            button = self.buttons[label.name]
            button.setText(self._caption(label, language))
            button.setToolTip(
                i18n.tr("palette_tip", language, label=label.display(language), key=label.key or "—")
            )

    @staticmethod
    def _caption(label: Label, language: str) -> str:
        return f"{label.key}  {label.display(language)}" if label.key else label.display(language)
