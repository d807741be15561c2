"""Sample text shared by the format tests: the offset traps in one sentence.

An emoji before the spans (UTF-16 positions differ from code points after it), diacritics,
tatweel, a Latin word and digits. Offsets are written as ``len(prefix)``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from annotator.model import Document, Span

TEXT = "😀 قالَ الرئيسُ في دمشـــق إن Google ستفتح مكتباً عام 2024."
CITY = "😀 قالَ الرئيسُ في "
ORG = "😀 قالَ الرئيسُ في دمشـــق إن "


def sample_document(
    *spans: Span, doc_id: str = "a1", title: str = "عنوان", meta: Mapping[str, Any] | None = None
) -> Document:
    return Document(doc_id, TEXT, title, spans=spans, meta=meta or {})
