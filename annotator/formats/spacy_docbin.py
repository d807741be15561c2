"""spaCy ``.spacy`` files (``DocBin``), writer and reader side by side; needs the ``spacy`` extra.

Writing does not let spaCy tokenize: our tokens (split at every span boundary, see
:mod:`annotator.text.token_lists`) become the ``Doc``'s words, and the text between them becomes
``spaces`` (one space) or extra whitespace tokens (anything else), so ``doc.text`` equals our text and
every character offset is the same code point offset. Each ``Doc`` gets:

* ``doc.ents``: the spans placed by the overlap policy (longest first), what NER training reads;
* ``doc.spans["sc"]``: **every** span, overlapping or not, so nothing is lost (spancat reads it);
* sentence starts from our sentences (merged where a span would be cut);
* ``user_data``: ``doc_id``, ``title`` and ``meta`` (the ``DocBin`` is written with
  ``store_user_data=True``), so a document reads back with its id.

Reading takes spans from ``doc.spans["sc"]`` when the key is there, else from ``doc.ents``.
``spacy`` is imported inside the functions: the core does not need it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from annotator.errors import InputError, SpanError
from annotator.model import Document, Span, Token, make_span, sort_spans
from annotator.text import tokenize as _tok
from annotator.text.token_lists import (
    AlignedDocument,
    ExportReport,
    SentenceSplitter,
    Tokenizer,
    align_document,
)

SPAN_KEY = "sc"


def to_docbin(
    docs: Iterable[Document],
    *,
    tokenize: Tokenizer = _tok.tokenize,
    sentences: SentenceSplitter = _tok.sentences,
    span_key: str = SPAN_KEY,
) -> tuple[Any, ExportReport]:
    """A ``spacy.tokens.DocBin`` of ``docs`` and the report of what alignment changed."""
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    vocab = Vocab()
    bin_ = DocBin(store_user_data=True)
    report = ExportReport()
    for doc in docs:
        aligned = align_document(doc, tokenize=tokenize, sentences=sentences)
        bin_.add(_spacy_doc(vocab, aligned, span_key))
        report.add(aligned)
    return bin_, report


def docbin_bytes(docs: Iterable[Document], **kw: Any) -> bytes:
    """The bytes of a ``.spacy`` file for ``docs`` (keywords as :func:`to_docbin`)."""
    bin_, _ = to_docbin(docs, **kw)
    data: bytes = bin_.to_bytes()
    return data


def write_docbin(docs: Iterable[Document], path: Path, **kw: Any) -> ExportReport:
    """Write a ``.spacy`` file; returns what alignment split, merged, trimmed and dropped."""
    bin_, report = to_docbin(docs, **kw)
    path.write_bytes(bin_.to_bytes())
    return report


def _spacy_doc(vocab: Any, aligned: AlignedDocument, span_key: str) -> Any:
    from spacy.tokens import Doc

    doc = aligned.doc
    ours = [token for sentence in aligned.sentences for token in sentence.tokens]
    starts = {sentence.tokens[0].start for sentence in aligned.sentences}
    words, spaces, sent_starts = _words_and_spaces(doc.text, ours, starts)
    sdoc = Doc(vocab, words=words, spaces=spaces, sent_starts=sent_starts or None)
    if sdoc.text != doc.text:
        raise SpanError(f"document {doc.doc_id}: the spaCy text differs from ours")
    ents = []
    for sentence in aligned.sentences:
        for label, first, end in sentence.ranges:
            start, stop = sentence.tokens[first].start, sentence.tokens[end - 1].end
            ents.append(_char_span(sdoc, doc, start, stop, label))
    sdoc.ents = ents
    sdoc.spans[span_key] = [_char_span(sdoc, doc, s.start, s.end, s.label) for s in aligned.spans]
    sdoc.user_data["doc_id"] = doc.doc_id
    sdoc.user_data["title"] = doc.title
    sdoc.user_data["meta"] = dict(doc.meta)
    return sdoc


def _char_span(sdoc: Any, doc: Document, start: int, end: int, label: str) -> Any:
    found = sdoc.char_span(start, end, label=label, alignment_mode="strict")
    if found is None or found.text != doc.text[start:end]:
        raise SpanError(
            f"document {doc.doc_id}: span [{start}, {end}) {label} is not on spaCy tokens"
        )
    return found


def _words_and_spaces(
    text: str, tokens: Sequence[Token], sentence_starts: set[int]
) -> tuple[list[str], list[bool], list[bool | int | None]]:
    """spaCy words covering ``text`` exactly: ours, plus the gaps a single trailing space can't hold.

    >>> words, spaces, _ = _words_and_spaces("  أ ب\\n\\nج", [Token("أ", 2, 3), Token("ب", 4, 5), Token("ج", 7, 8)], {2})
    >>> words, spaces
    (['  ', 'أ', 'ب', '\\n\\n', 'ج'], [False, True, False, False, False])
    """
    words: list[str] = []
    spaces: list[bool] = []
    starts: list[bool | int | None] = []
    position = 0
    for token in [*tokens, Token("", len(text), len(text))]:
        gap = text[position : token.start]
        if gap and words and gap[0] == " ":
            spaces[-1], gap = True, gap[1:]
        if gap:
            words.append(gap)
            spaces.append(False)
            starts.append(not words[:-1])
        if token.text:
            words.append(token.text)
            spaces.append(False)
            starts.append(token.start in sentence_starts or len(words) == 1)
        position = token.end
    return words, spaces, starts


def read_docbin(
    source: bytes | Path, *, path_name: str | None = None, span_key: str = SPAN_KEY
) -> Iterator[Document]:
    """Documents of a ``.spacy`` file (a path) or its bytes.

    Ids come from ``user_data["doc_id"]`` (ours) or are ``<stem>#<n>``. ``meta["tokens"]`` is
    ours if recorded, else the ``Doc``'s non-whitespace tokens.
    """
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    name = path_name or (str(source) if isinstance(source, Path) else "docbin.spacy")
    try:
        data = source.read_bytes() if isinstance(source, Path) else source
        bin_ = DocBin().from_bytes(data)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError(f"not a spaCy DocBin: {exc}", name) from None
    stem = Path(name).stem
    for number, sdoc in enumerate(bin_.get_docs(Vocab()), start=1):
        yield _document(sdoc, f"{stem}#{number}", span_key)


def _document(sdoc: Any, default_id: str, span_key: str) -> Document:
    text = sdoc.text
    source = sdoc.spans.get(span_key, sdoc.ents)
    spans: list[Span] = [make_span(text, s.start_char, s.end_char, s.label_) for s in source]
    meta = _as_json(dict(sdoc.user_data.get("meta") or {}))
    if "tokens" not in meta:
        meta["tokens"] = [[t.idx, t.idx + len(t)] for t in sdoc if not t.text.isspace()]
        if sdoc.has_annotation("SENT_START"):
            meta["sentences"] = [[s.start_char, s.end_char] for s in sdoc.sents]
    return Document(
        doc_id=str(sdoc.user_data.get("doc_id") or default_id),
        text=text,
        title=str(sdoc.user_data.get("title") or ""),
        spans=tuple(sort_spans(spans)),
        meta=meta,
    )


def _as_json(value: Any) -> Any:
    """msgpack gives back lists as tuples; meta is JSON-shaped everywhere else."""
    if isinstance(value, dict):
        return {str(k): _as_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_as_json(v) for v in value]
    return value
