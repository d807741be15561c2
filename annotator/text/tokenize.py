"""Arabic-aware tokenization with offsets into the original text.

PLACEHOLDER: a first regex tokenizer so other modules can be written against the interface;
the real one (punctuation, numbers, URLs, format characters, sentences) replaces it.
"""

from __future__ import annotations

import re

from annotator.model import Token

_TOKEN = re.compile(r"\w+|[^\w\s]", re.UNICODE)


def tokenize(text: str) -> list[Token]:
    """Tokens of ``text`` in order; ``token.text == text[token.start:token.end]``."""
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def sentences(text: str, tokens: list[Token] | None = None) -> list[list[Token]]:
    """Tokens grouped into sentences (never empty lists)."""
    tokens = tokenize(text) if tokens is None else tokens
    out: list[list[Token]] = []
    current: list[Token] = []
    for tok in tokens:
        current.append(tok)
        if tok.text in {".", "؟", "?", "!"}:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out
