"""The guidelines side panel: the schema's label descriptions, read-only, in the UI language."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QTextBrowser, QWidget

from annotator.model import Schema

if TYPE_CHECKING:
    from PySide6.QtGui import QShowEvent


def guidelines_html(schema: Schema, language: str) -> str:
    """One heading per label (colour swatch, key, name) followed by its description."""
    from html import escape  # html.entities is a large table: not on the desk's start path

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
    """Renders its HTML when first shown, not when built.

    Why: at start the panel sits behind the span list's tab, and laying out the HTML (twice:
    built, then retranslated) cost ~5 ms of the desk's start to first article visible.
    """

    def __init__(self, schema: Schema, language: str = "ar", parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("guidelines")
        self.schema = schema
        self.setOpenExternalLinks(False)
        self._rendered: str | None = None  # language of the HTML shown, None = not yet
        self.retranslate(language)

    def retranslate(self, language: str) -> None:
        self.language = language
        if self.isVisible():
            self.render_now()

    def render_now(self) -> None:
        """Show the guidelines in the current language (no-op when already shown)."""
        if self._rendered != self.language:
            self.setHtml(guidelines_html(self.schema, self.language))
            self._rendered = self.language

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        self.render_now()
        super().showEvent(event)
