"""Token-level views of documents, shared by the token formats (CoNLL, Hugging Face, spaCy).

Writing: :func:`align_document` turns a document into sentences of tokens with its spans placed on
them, never moving a label: a span boundary inside a token **splits the token** there; a boundary in
the gap between tokens (a span that starts or ends with a space) is **trimmed** to the tokens it
covers; a sentence boundary that cuts through a span **merges** the two sentences (an entity is
never cut); spans overlapping a longer one are **dropped** (policy of :func:`annotator.tags.spans_to_ranges`).
Every one of these is counted in an :class:`ExportReport`.

Tokens come from ``doc.meta["tokens"]`` (a list of ``[start, end]`` code-point ranges) when present,
else from the tokenizer; sentences from ``doc.meta["sentences"]`` (``[start, end]`` ranges) when
present, else from the sentence splitter. Token-format readers record both, so a document read from
CoNLL is written back with exactly its original tokens and sentences whatever the tokenizer does.

Reading: :func:`document_from_tokens` rebuilds a text from token strings (tokens joined by one
space, sentences by ``\\n``) and places entities at code-point offsets.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from annotator.errors import InputError
from annotator.model import Document, Span, Token, make_span
from annotator.tags import Range, spans_to_ranges

Tokenizer = Callable[[str], list[Token]]
SentenceSplitter = Callable[[str, list[Token]], list[list[Token]]]


@dataclass(frozen=True)
class DroppedSpan:
    """A span an export could not write, with where it was and why."""

    doc_id: str
    start: int
    end: int
    label: str
    text: str
    reason: str


@dataclass(frozen=True)
class TrimmedSpan:
    """A span whose ends lay between tokens, written over the tokens it covers."""

    doc_id: str
    original: Span
    written: Span


@dataclass
class AlignedSentence:
    tokens: list[Token]
    ranges: list[Range]
    """Placed entities over this sentence's token indices, in token order."""


@dataclass
class AlignedDocument:
    doc: Document
    sentences: list[AlignedSentence]
    spans: list[Span]
    """Every span after trimming (placed or overlap-dropped), for formats that keep overlaps."""
    split_tokens: int = 0
    merged_sentences: int = 0
    dropped: list[DroppedSpan] = field(default_factory=list)
    trimmed: list[TrimmedSpan] = field(default_factory=list)


@dataclass
class ExportReport:
    """What a token-format writer wrote and everything it had to change to do so."""

    documents: int = 0
    sentences: int = 0
    tokens: int = 0
    spans_per_label: Counter[str] = field(default_factory=Counter)
    split_tokens: int = 0
    merged_sentences: int = 0
    dropped: list[DroppedSpan] = field(default_factory=list)
    trimmed: list[TrimmedSpan] = field(default_factory=list)

    def add(self, aligned: AlignedDocument) -> None:
        self.documents += 1
        self.sentences += len(aligned.sentences)
        self.tokens += sum(len(s.tokens) for s in aligned.sentences)
        for sentence in aligned.sentences:
            self.spans_per_label.update(label for label, _, _ in sentence.ranges)
        self.split_tokens += aligned.split_tokens
        self.merged_sentences += aligned.merged_sentences
        self.dropped.extend(aligned.dropped)
        self.trimmed.extend(aligned.trimmed)


def align_document(
    doc: Document, *, tokenize: Tokenizer, sentences: SentenceSplitter
) -> AlignedDocument:
    """Sentences of tokens with ``doc``'s spans placed on them (see the module docstring)."""
    doc.check()
    base = tokens_from_meta(doc)
    if base is None:
        base = list(tokenize(doc.text))
    groups = sentences_from_meta(doc, base)
    if groups is None:
        groups = [list(g) for g in sentences(doc.text, base)] if base else []
    cuts = sorted({offset for span in doc.spans for offset in (span.start, span.end)})
    split_count = 0
    split_groups: list[list[Token]] = []
    for group in groups:
        out: list[Token] = []
        for token in group:
            pieces = split_token(token, cuts)
            split_count += len(pieces) > 1
            out.extend(pieces)
        split_groups.append(out)
    aligned = AlignedDocument(doc, [], [], split_tokens=split_count)
    spans = _trim_spans(aligned, [t for g in split_groups for t in g])
    merged = _merge_sentences(split_groups, spans)
    aligned.merged_sentences = len(split_groups) - len(merged)
    aligned.spans = spans
    _place(aligned, merged, spans)
    return aligned


def split_token(token: Token, cuts: Sequence[int]) -> list[Token]:
    """``token`` cut at every offset of the **sorted** ``cuts`` strictly inside it.

    >>> split_token(Token("والقاهرة", 10, 18), [3, 11, 40])
    [Token(text='و', start=10, end=11), Token(text='القاهرة', start=11, end=18)]
    """
    index = bisect_right(cuts, token.start)
    inside: list[int] = []
    while index < len(cuts) and cuts[index] < token.end:
        inside.append(cuts[index])
        index += 1
    if not inside:
        return [token]
    bounds = [token.start, *inside, token.end]
    base = token.start
    return [Token(token.text[a - base : b - base], a, b) for a, b in pairwise(bounds)]


def _trim_spans(aligned: AlignedDocument, tokens: list[Token]) -> list[Span]:
    """Spans snapped to the tokens they cover; a span covering no token is dropped."""
    doc = aligned.doc
    starts = [t.start for t in tokens]
    ends = [t.end for t in tokens]
    out: list[Span] = []
    for span in doc.spans:
        inside = tokens[bisect_left(starts, span.start) : bisect_right(ends, span.end)]
        if not inside:
            aligned.dropped.append(_dropped(doc.doc_id, span, "covers no token"))
            continue
        start, end = inside[0].start, inside[-1].end
        if (start, end) == (span.start, span.end):
            out.append(span)
            continue
        written = make_span(doc.text, start, end, span.label, span.annotator)
        aligned.trimmed.append(TrimmedSpan(doc.doc_id, span, written))
        out.append(written)
    return out


def _merge_sentences(groups: list[list[Token]], spans: list[Span]) -> list[list[Token]]:
    """Join consecutive sentences whenever a span reaches from one into the next."""
    starts_in: dict[int, int] = {}
    ends_in: dict[int, int] = {}
    for index, group in enumerate(groups):
        for token in group:
            starts_in[token.start] = index
            ends_in[token.end] = index
    joined = [False] * len(groups)  # joined[i]: sentence i continues sentence i - 1
    for span in spans:
        first, last = starts_in[span.start], ends_in[span.end]
        for index in range(first + 1, last + 1):
            joined[index] = True
    merged: list[list[Token]] = []
    for index, group in enumerate(groups):
        if joined[index] and merged:
            merged[-1].extend(group)
        else:
            merged.append(list(group))
    return merged


def _place(aligned: AlignedDocument, groups: list[list[Token]], spans: list[Span]) -> None:
    doc_id = aligned.doc.doc_id
    group_of = {token.start: index for index, group in enumerate(groups) for token in group}
    mine: list[list[Span]] = [[] for _ in groups]
    for span in spans:
        mine[group_of[span.start]].append(span)
    for group, group_spans in zip(groups, mine):
        if not group:
            continue
        placed, dropped = spans_to_ranges(group, group_spans)
        aligned.sentences.append(AlignedSentence(group, [r for r, _ in placed]))
        aligned.dropped.extend(_dropped(doc_id, s, "overlaps a longer span") for s in dropped)


def _dropped(doc_id: str, span: Span, reason: str) -> DroppedSpan:
    return DroppedSpan(doc_id, span.start, span.end, span.label, span.text, reason)


def tokens_from_meta(doc: Document) -> list[Token] | None:
    """The tokens recorded in ``doc.meta["tokens"]``, checked, or ``None`` when absent."""
    raw = doc.meta.get("tokens")
    if raw is None:
        return None
    tokens: list[Token] = []
    previous_end = 0
    for pair in raw:
        start, end = int(pair[0]), int(pair[1])
        if not (previous_end <= start < end <= len(doc.text)):
            raise InputError(
                f"meta token [{start}, {end}) is out of order or outside the text", doc.doc_id
            )
        tokens.append(Token(doc.text[start:end], start, end))
        previous_end = end
    return tokens


def sentences_from_meta(doc: Document, tokens: list[Token]) -> list[list[Token]] | None:
    """``tokens`` grouped by the ranges of ``doc.meta["sentences"]``, or ``None`` when absent."""
    raw = doc.meta.get("sentences")
    if raw is None:
        return None
    bounds = [(int(pair[0]), int(pair[1])) for pair in raw]
    groups: list[list[Token]] = [[] for _ in bounds]
    index = 0
    for token in tokens:
        while index < len(bounds) and token.start >= bounds[index][1]:
            index += 1
        if index == len(bounds) or not (
            bounds[index][0] <= token.start and token.end <= bounds[index][1]
        ):
            raise InputError(
                f"meta token [{token.start}, {token.end}) lies in no meta sentence", doc.doc_id
            )
        groups[index].append(token)
    return [g for g in groups if g]


def document_from_tokens(
    doc_id: str,
    sentences: Sequence[Sequence[str]],
    ranges: Sequence[Sequence[Range]],
    *,
    meta: dict[str, Any] | None = None,
) -> Document:
    """A document whose text is the tokens joined by spaces, sentences by ``\\n``.

    ``ranges[i]`` are the entities of sentence ``i`` over its token indices. The result records
    ``meta["tokens"]`` and ``meta["sentences"]`` so a writer reproduces exactly these tokens.

    >>> doc = document_from_tokens("d", [["زار", "دمشق"], ["."]], [[("LOC", 1, 2)], []])
    >>> doc.text, [(s.start, s.end, s.label) for s in doc.spans]
    ('زار دمشق\\n.', [(4, 8, 'LOC')])
    """
    pieces: list[str] = []
    offsets: list[list[int]] = []
    sentence_bounds: list[list[int]] = []
    starts: list[list[int]] = []
    position = 0
    for number, words in enumerate(sentences):
        if number:
            pieces.append("\n")
            position += 1
        first = position
        sentence_starts: list[int] = []
        for index, word in enumerate(words):
            if index:
                pieces.append(" ")
                position += 1
            sentence_starts.append(position)
            offsets.append([position, position + len(word)])
            pieces.append(word)
            position += len(word)
        starts.append(sentence_starts)
        sentence_bounds.append([first, position])
    text = "".join(pieces)
    spans: list[Span] = []
    for words, sentence_starts, sentence_ranges in zip(sentences, starts, ranges):
        for label, first_tok, end_tok in sentence_ranges:
            end = sentence_starts[end_tok - 1] + len(words[end_tok - 1])
            spans.append(make_span(text, sentence_starts[first_tok], end, label))
    full_meta = {"tokens": offsets, "sentences": sentence_bounds, **(meta or {})}
    return Document(doc_id, text, spans=tuple(spans), meta=full_meta)
