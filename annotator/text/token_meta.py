"""A document's recorded tokens and sentences: ``meta["tokens"]`` and ``meta["sentences"]``.

Token-format readers (CoNLL, Hugging Face, spaCy) record the tokens they read as ``[start, end]``
code-point ranges, and the sentences likewise, so that writing the document again reproduces them
exactly whatever the tokenizer does (see :mod:`annotator.text.token_lists`). Both are checked here:
tokens in order and inside the text, every token inside a sentence.
"""

from __future__ import annotations

from annotator.errors import InputError
from annotator.model import Document, Token


def tokens_from_meta(doc: Document) -> list[Token] | None:
    """The tokens recorded in ``doc.meta["tokens"]``, checked, or ``None`` when absent."""
    lists = meta_token_lists(doc)
    return None if lists is None else list(map(Token, *lists))


def meta_token_lists(doc: Document) -> tuple[list[str], list[int], list[int]] | None:
    """The recorded tokens as parallel lists (texts, starts, ends), or ``None`` when absent."""
    raw = doc.meta.get("tokens")
    if raw is None:
        return None
    texts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    previous_end = 0
    for pair in raw:
        start, end = int(pair[0]), int(pair[1])
        if not (previous_end <= start < end <= len(doc.text)):
            raise InputError(
                f"meta token [{start}, {end}) is out of order or outside the text", doc.doc_id
            )
        texts.append(doc.text[start:end])
        starts.append(start)
        ends.append(end)
        previous_end = end
    return texts, starts, ends


def sentences_from_meta(doc: Document, tokens: list[Token]) -> list[list[Token]] | None:
    """``tokens`` grouped by the ranges of ``doc.meta["sentences"]``, or ``None`` when absent."""
    groups = meta_sentence_groups(doc, [t.start for t in tokens], [t.end for t in tokens])
    return None if groups is None else [tokens[lo:hi] for lo, hi in groups]


def meta_sentence_groups(
    doc: Document, starts: list[int], ends: list[int]
) -> list[tuple[int, int]] | None:
    """Non-empty ``[lo, hi)`` token index ranges of ``doc.meta["sentences"]``, or ``None``."""
    raw = doc.meta.get("sentences")
    if raw is None:
        return None
    bounds = [(int(pair[0]), int(pair[1])) for pair in raw]
    counts = [0] * len(bounds)
    index = 0
    for start, end in zip(starts, ends):
        while index < len(bounds) and start >= bounds[index][1]:
            index += 1
        if index == len(bounds) or not (bounds[index][0] <= start and end <= bounds[index][1]):
            raise InputError(f"meta token [{start}, {end}) lies in no meta sentence", doc.doc_id)
        counts[index] += 1
    groups: list[tuple[int, int]] = []
    lo = 0
    for count in counts:
        if count:
            groups.append((lo, lo + count))
            lo += count
    return groups
