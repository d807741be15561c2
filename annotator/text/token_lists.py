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
from functools import cached_property
from itertools import pairwise
from typing import Any

from annotator.model import Document, Span, Token, make_span
from annotator.tags import Range, place_spans
from annotator.text import tokenize as _tok
from annotator.text.token_meta import meta_sentence_groups, meta_token_lists

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

    def __str__(self) -> str:
        """``a1:12-17 LOCATION «العمر» (overlaps a longer span)``: what a person reads in a
        message or a card (offsets are code points, ``[start, end)``), never a dataclass repr.

        >>> print(DroppedSpan("a1", 3, 7, "LOC", "دمشق", "overlaps a longer span"))
        a1:3-7 LOC «دمشق» (overlaps a longer span)
        """
        return f"{self.doc_id}:{self.start}-{self.end} {self.label} «{self.text}» ({self.reason})"


@dataclass(frozen=True)
class TrimmedSpan:
    """A span whose ends lay between tokens, written over the tokens it covers."""

    doc_id: str
    original: Span
    written: Span


@dataclass
class AlignedSentence:
    """One sentence's tokens as parallel lists (texts, code-point starts and ends) and the
    entities placed on them; :attr:`tokens` builds :class:`Token` objects when asked for."""

    texts: list[str]
    starts: list[int]
    ends: list[int]
    ranges: list[Range]
    """Placed entities over this sentence's token indices, in token order."""

    @cached_property
    def tokens(self) -> list[Token]:
        return list(map(Token, self.texts, self.starts, self.ends))


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
        self.tokens += sum(len(s.texts) for s in aligned.sentences)
        for sentence in aligned.sentences:
            self.spans_per_label.update(label for label, _, _ in sentence.ranges)
        self.split_tokens += aligned.split_tokens
        self.merged_sentences += aligned.merged_sentences
        self.dropped.extend(aligned.dropped)
        self.trimmed.extend(aligned.trimmed)


@dataclass
class _Tokens:
    """A document's tokens as parallel lists, and its sentences as ``[lo, hi)`` token indices.

    Why lists and not :class:`Token` objects: an export touches every token of a project, and
    building an object per token (then a dict entry per token to find one by offset) cost more
    than the rest of the writer. Offsets are found by bisect over ``starts``/``ends`` instead.
    """

    texts: list[str]
    starts: list[int]
    ends: list[int]
    groups: list[tuple[int, int]]


def align_document(
    doc: Document, *, tokenize: Tokenizer, sentences: SentenceSplitter
) -> AlignedDocument:
    """Sentences of tokens with ``doc``'s spans placed on them (see the module docstring)."""
    doc.check()
    toks = _tokens_and_sentences(doc, tokenize, sentences)
    cuts = sorted({offset for span in doc.spans for offset in (span.start, span.end)})
    split_count = _split_at(toks, cuts)
    aligned = AlignedDocument(doc, [], [], split_tokens=split_count)
    spans = _trim_spans(aligned, toks)
    merged = _merge_sentences(toks, spans)
    aligned.merged_sentences = len(toks.groups) - len(merged)
    aligned.spans = spans
    _place(aligned, toks, merged, spans)
    return aligned


def _tokens_and_sentences(
    doc: Document, tokenize: Tokenizer, sentences: SentenceSplitter
) -> _Tokens:
    """Tokens from the meta or the tokenizer, sentences from the meta or the splitter.

    The default tokenizer and splitter run in their list forms (:func:`token_bounds`,
    :func:`sentence_starts`); any other callable gets and returns :class:`Token` objects.
    """
    meta = meta_token_lists(doc)
    if meta is not None:
        texts, starts, ends = meta
    elif tokenize is _tok.tokenize:
        texts, starts, ends = _tok.token_bounds(doc.text)
    else:
        texts, starts, ends = _lists(list(tokenize(doc.text)))
    groups = meta_sentence_groups(doc, starts, ends)
    if groups is not None or not texts:
        return _Tokens(texts, starts, ends, groups or [])
    if sentences is _tok.sentences:
        firsts = _tok.sentence_starts(doc.text, texts, starts, ends)
        return _Tokens(texts, starts, ends, list(pairwise([*firsts, len(texts)])))
    found = sentences(doc.text, list(map(Token, texts, starts, ends)))
    flat: list[Token] = []
    groups = []
    for group in found:
        groups.append((len(flat), len(flat) + len(group)))
        flat.extend(group)
    return _Tokens(*_lists(flat), groups)


def _lists(tokens: Sequence[Token]) -> tuple[list[str], list[int], list[int]]:
    return [t.text for t in tokens], [t.start for t in tokens], [t.end for t in tokens]


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


def _split_at(toks: _Tokens, cuts: Sequence[int]) -> int:
    """Split every token that a cut falls strictly inside (in place); returns how many.

    Each cut is looked up by bisect, so a document whose spans all fall on token boundaries
    (the usual case) costs one bisect per span boundary and copies nothing.
    """
    inside: dict[int, list[int]] = {}
    for cut in cuts:
        k = bisect_right(toks.starts, cut) - 1
        if k >= 0 and toks.starts[k] < cut < toks.ends[k]:
            inside.setdefault(k, []).append(cut)
    if not inside:
        return 0
    texts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    added: list[tuple[int, int]] = []  # (old index of a split token, pieces added so far)
    previous = 0
    for k in sorted(inside):
        texts += toks.texts[previous:k]
        starts += toks.starts[previous:k]
        ends += toks.ends[previous:k]
        piece = split_token(Token(toks.texts[k], toks.starts[k], toks.ends[k]), inside[k])
        texts += [t.text for t in piece]
        starts += [t.start for t in piece]
        ends += [t.end for t in piece]
        added.append((k, (added[-1][1] if added else 0) + len(piece) - 1))
        previous = k + 1
    texts += toks.texts[previous:]
    starts += toks.starts[previous:]
    ends += toks.ends[previous:]
    split_ks = [k for k, _ in added]

    def moved(index: int) -> int:  # new index of old token ``index`` (or of the end)
        before = bisect_left(split_ks, index)
        return index + (added[before - 1][1] if before else 0)

    toks.groups = [(moved(lo), moved(hi)) for lo, hi in toks.groups]
    toks.texts, toks.starts, toks.ends = texts, starts, ends
    return len(inside)


def _trim_spans(aligned: AlignedDocument, toks: _Tokens) -> list[Span]:
    """Spans snapped to the tokens they cover; a span covering no token is dropped."""
    doc = aligned.doc
    starts, ends = toks.starts, toks.ends
    out: list[Span] = []
    for span in doc.spans:
        first, stop = bisect_left(starts, span.start), bisect_right(ends, span.end)
        if first >= stop:
            aligned.dropped.append(_dropped(doc.doc_id, span, "covers no token"))
            continue
        start, end = starts[first], ends[stop - 1]
        if (start, end) == (span.start, span.end):
            out.append(span)
            continue
        written = make_span(doc.text, start, end, span.label, span.annotator)
        aligned.trimmed.append(TrimmedSpan(doc.doc_id, span, written))
        out.append(written)
    return out


def _group_of(groups: list[tuple[int, int]]) -> Callable[[int], int]:
    """Index of the group holding token ``k`` (empty groups never hold one)."""
    los = [lo for lo, _ in groups]
    return lambda k: bisect_right(los, k) - 1


def _merge_sentences(toks: _Tokens, spans: list[Span]) -> list[tuple[int, int]]:
    """Join consecutive sentences whenever a span reaches from one into the next."""
    groups = toks.groups
    group_of = _group_of(groups)
    joined = [False] * len(groups)  # joined[i]: sentence i continues sentence i - 1
    for span in spans:  # trimmed: each starts at a token start and ends at a token end
        first = group_of(bisect_left(toks.starts, span.start))
        last = group_of(bisect_left(toks.ends, span.end))
        for index in range(first + 1, last + 1):
            joined[index] = True
    merged: list[tuple[int, int]] = []
    for index, (lo, hi) in enumerate(groups):
        if joined[index] and merged:
            merged[-1] = (merged[-1][0], hi)
        else:
            merged.append((lo, hi))
    return merged


def _place(
    aligned: AlignedDocument, toks: _Tokens, groups: list[tuple[int, int]], spans: list[Span]
) -> None:
    doc_id = aligned.doc.doc_id
    group_of = _group_of(groups)
    mine: list[list[Span]] = [[] for _ in groups]
    for span in spans:
        mine[group_of(bisect_left(toks.starts, span.start))].append(span)
    for (lo, hi), group_spans in zip(groups, mine):
        if lo == hi:
            continue
        ranges: list[Range] = []
        if group_spans:
            placed, dropped = place_spans(
                _index_of(toks.starts, lo, hi, [s.start for s in group_spans]),
                _index_of(toks.ends, lo, hi, [s.end for s in group_spans]),
                hi - lo,
                group_spans,
            )
            ranges = [r for r, _ in placed]
            aligned.dropped.extend(_dropped(doc_id, s, "overlaps a longer span") for s in dropped)
        aligned.sentences.append(
            AlignedSentence(toks.texts[lo:hi], toks.starts[lo:hi], toks.ends[lo:hi], ranges)
        )


def _index_of(offsets: list[int], lo: int, hi: int, wanted: list[int]) -> dict[int, int]:
    """``{offset: index in [lo, hi) - lo}`` for each wanted offset that is in ``offsets[lo:hi]``."""
    out: dict[int, int] = {}
    for offset in wanted:
        k = bisect_left(offsets, offset, lo, hi)
        if k < hi and offsets[k] == offset:
            out[offset] = k - lo
    return out


def _dropped(doc_id: str, span: Span, reason: str) -> DroppedSpan:
    return DroppedSpan(doc_id, span.start, span.end, span.label, span.text, reason)


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
