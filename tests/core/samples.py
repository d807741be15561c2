"""Sample text shared by the format tests: the offset traps in one sentence.

An emoji before the spans (UTF-16 positions differ from code points after it), diacritics,
tatweel, a Latin word and digits. Offsets are written as ``len(prefix)``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from annotator.model import Document, Span, Token

TEXT = "😀 قالَ الرئيسُ في دمشـــق إن Google ستفتح مكتباً عام 2024."
CITY = "😀 قالَ الرئيسُ في "
ORG = "😀 قالَ الرئيسُ في دمشـــق إن "


def sample_document(
    *spans: Span, doc_id: str = "a1", title: str = "عنوان", meta: Mapping[str, Any] | None = None
) -> Document:
    return Document(doc_id, TEXT, title, spans=spans, meta=meta or {})


def words_and_stops(text: str) -> list[Token]:
    """Whitespace words with a split-off full stop: a fixed tokenizer, so token-format tests do
    not follow the project's (evolving) one."""
    out: list[Token] = []
    position = 0
    for word in text.split():
        start = text.index(word, position)
        core = word.rstrip(".")
        out.append(Token(core, start, start + len(core)))
        if core != word:
            out.append(Token(".", start + len(core), start + len(word)))
        position = start + len(word)
    return out


def stop_sentences(text: str, tokens: list[Token]) -> list[list[Token]]:
    """Sentences that end at a "." token, the fixed splitter of the token-format tests."""
    out: list[list[Token]] = [[]]
    for token in tokens:
        out[-1].append(token)
        if token.text == ".":
            out.append([])
    return [sentence for sentence in out if sentence]
