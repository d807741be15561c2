"""Search keys for Arabic: fold letter variants and drop marks, keeping a map back to the text.

PLACEHOLDER interface; the full implementation replaces it.
"""

from __future__ import annotations


def search_key(text: str) -> str:
    """Normalised form of ``text`` for matching (never stored in place of the text)."""
    return text
