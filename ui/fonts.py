"""The document font: an explicit family list, because fontconfig picks DejaVu for Arabic.

Measured here (QT_NOTES): even with Noto installed, ``fc-match :lang=ar`` answers DejaVu Sans,
whose Arabic is poor. Qt walks ``QFont.setFamilies`` in order per glyph, so Arabic comes from
Noto Naskh Arabic (Debian ``fonts-noto-core``) or Amiri (``fonts-hosny-amiri``) and emoji from
Noto Color Emoji (``fonts-noto-color-emoji``) instead of boxes.
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase

DOCUMENT_FAMILIES = ("Noto Naskh Arabic", "Noto Sans Arabic", "Amiri", "Noto Color Emoji")
UI_FAMILIES = ("Noto Sans Arabic", "Noto Sans", "Noto Naskh Arabic", "Noto Color Emoji")
DOCUMENT_POINT_SIZE = 15


def document_font(point_size: int = DOCUMENT_POINT_SIZE) -> QFont:
    """The article text font: Arabic-first family list, a size that keeps diacritics legible."""
    font = QFont()
    font.setFamilies(list(DOCUMENT_FAMILIES))
    font.setPointSize(point_size)
    return font


def ui_font(base: QFont) -> QFont:
    """``base`` (the application font) with Arabic-capable families in front of it."""
    font = QFont(base)
    font.setFamilies([*UI_FAMILIES, *base.families()])
    return font


def missing_families() -> list[str]:
    """Families of :data:`DOCUMENT_FAMILIES` this machine lacks (shown in the status bar)."""
    have = set(QFontDatabase.families())
    return [f for f in DOCUMENT_FAMILIES if f not in have]
