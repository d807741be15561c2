"""The guidelines side panel: the schema's label descriptions, read-only, in the UI language."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QTextBrowser, QWidget

from annotator.model import Schema


def guidelines_html(schema: Schema, language: str) -> str:
    """One heading per label (colour swatch, key, name) followed by its description."""
    direction = "rtl" if language == "ar" else "ltr"
    parts = [f'<div dir="{direction}">']
    for label in schema.labels:
        key = f" [{escape(label.key)}]" if label.key else ""
        parts.append(
            f'<h3><span style="background:{escape(label.color)}">&nbsp;&nbsp;&nbsp;</span> '
            f"{escape(label.display(language))}{key} <small>{escape(label.name)}</small></h3>"
            f'<p dir="rtl">{escape(label.description)}</p>'
        )
    parts.append("</div>")
    return "".join(parts)


class GuidelinesPanel(QTextBrowser):
    def __init__(self, schema: Schema, language: str = "ar", parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("guidelines")
        self.schema = schema
        self.setOpenExternalLinks(False)
        self.retranslate(language)

    def retranslate(self, language: str) -> None:
        self.setHtml(guidelines_html(self.schema, language))
