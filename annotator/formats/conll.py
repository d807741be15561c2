"""CoNLL token-per-line NER files, reader and writer side by side.

The form we write (and read back byte for byte)::

    -DOCSTART- -X- O O
    <blank>
    token<TAB>tag
    token<TAB>tag
    <blank>                      one blank line after every sentence
    -DOCSTART- -X- O O           the next document
    <blank>
    ...

UTF-8, ``\\n`` line ends, tags in IOB2 (default) or BIOES. Each document starts with the CoNLL-2003
document line exactly as ``spacy convert -c ner`` splits on it (``-DOCSTART- -X- O O``: any other
spelling becomes a token of the data there). CoNLL has no place for the document id that spaCy
tolerates (a comment line would be read as a token): the export's card lists the documents in file
order with their ids (``card.json`` ``articles``), and JSONL keeps them in the data.

What we read, beyond that form: space- or tab-separated columns (a line with a tab is split on tabs,
so a token may contain a space; otherwise on runs of spaces), any number of columns with the token
first and the tags **last**, CRLF, a BOM, several blank lines, a ``-DOCSTART-`` line with any columns.
There are no comment lines: ``#`` is an ordinary token (hashtags). A file without ``-DOCSTART-`` is
one document whose id is the file stem; with them, documents are ``stem#1``, ``stem#2``... in order
(empty documents are skipped and not numbered). Tags of any scheme :mod:`annotator.tags` reads are
accepted; a file with any ``E-``/``S-`` (``L-``/``U-``) tag is read as BIOES (BILOU) throughout, so
an entity left unclosed there is a repair. Each repair (respelled tag, continuation without its
start, unclosed entity) is passed to ``on_repair`` with its line, or raises :class:`InputError`
with ``repair=False``. Label names keep the case they are written in.

**Nested entities** (several tag columns, outer first, as nested Arabic NER corpora ship them:
``فلسطين I-ORG B-GPE``): the tag columns of a line are its trailing columns that read as tags
(at most as many as a ``-DOCSTART-`` line leaves unmarked by ``-X-``, so CoNLL-2003's chunk column
is not one). Column ``k`` (0 = outermost) of every line is decoded on its own, as one sequence of
tags per sentence (a line with fewer columns is ``O`` in the deeper ones), and **all** the entities
of all columns become spans of the one document: nested spans overlap in one layer (the import
layer, or ``--as NAME``), as any layer may. Writing such a document back to CoNLL keeps the
longest span of an overlap and reports the others (``docs/adr/0002-overlaps-in-conll.md``).

**Format marks** (LRM/RLM, ALM, bidi embeddings and isolates, ZWSP, BOM, soft hyphen; see
:mod:`annotator.text.marks`) are removed from the token column, each changed token being reported
to ``on_repair`` (kind ``marks``; never refused, even with ``repair=False``: it changes no tag).
A token of nothing but marks is dropped with its tags.

The text of a read document is its tokens joined by one space, sentences by ``\\n``; its spans are
code-point offsets into that text; ``meta["tokens"]``/``meta["sentences"]`` record the tokens so
writing the document again reproduces them exactly (see :mod:`annotator.text.token_lists`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TextIO

from annotator.errors import InputError
from annotator.model import Document, Token, is_valid_label_name
from annotator.tags import SCHEMES, Range, TagError, parse_tag, ranges_to_tags, tags_to_ranges
from annotator.text import tokenize as _tok
from annotator.text.encoding import decode_bytes
from annotator.text.marks import has_marks, strip_marks
from annotator.text.token_lists import (
    AlignedSentence,
    ExportReport,
    SentenceSplitter,
    Tokenizer,
    align_document,
    document_from_tokens,
)

DOCSTART = "-DOCSTART-"
DOCSTART_LINE = "-DOCSTART- -X- O O"
"""The CoNLL-2003 document line, byte for byte what spaCy's ``conll_ner`` converter splits on."""
ConllReport = ExportReport
"""Counts of what :func:`write_conll` wrote, split, merged, trimmed and dropped."""


@dataclass(frozen=True)
class LineRepair:
    """A tag the reader read differently from how it is written, located by file and line."""

    path: str
    line: int
    original: str
    repaired: str
    reason: str
    kind: str = ""
    """What summaries group by: ``respelled``, ``continuation``, ``unclosed`` or ``marks``."""

    def __str__(self) -> str:
        return (
            f"{self.path}:{self.line}: {self.original!r} read as {self.repaired!r} ({self.reason})"
        )


def write_conll(
    docs: Iterable[Document],
    out: TextIO,
    *,
    scheme: str = "iob2",
    tokenize: Tokenizer = _tok.tokenize,
    sentences: SentenceSplitter = _tok.sentences,
) -> ConllReport:
    """Write ``docs`` to ``out`` (open it with ``newline="\\n"``) in the form above.

    >>> import io
    >>> from annotator.model import make_span
    >>> text = "زار علي دمشق."
    >>> doc = Document("d", text, spans=(make_span(text, len("زار علي "), len("زار علي دمشق"), "LOC"),))
    >>> buffer = io.StringIO()
    >>> report = write_conll([doc], buffer)
    >>> print(buffer.getvalue().replace("\\t", " "), end="")
    -DOCSTART- -X- O O
    <BLANKLINE>
    زار O
    علي O
    دمشق B-LOC
    . O
    <BLANKLINE>
    """
    if scheme not in SCHEMES:
        raise ValueError(f"unknown tag scheme {scheme!r}; expected one of {', '.join(SCHEMES)}")
    report = ConllReport()
    for doc in docs:
        aligned = align_document(doc, tokenize=tokenize, sentences=sentences)
        _check_tokens(aligned.sentences, doc.doc_id)
        lines = [f"{DOCSTART_LINE}\n\n"]
        for sentence in aligned.sentences:
            if sentence.ranges:
                tags = ranges_to_tags(sentence.ranges, len(sentence.texts), scheme)
                lines += [f"{text}\t{tag}\n" for text, tag in zip(sentence.texts, tags)]
            else:
                lines.append("\tO\n".join(sentence.texts) + "\tO\n")
            lines.append("\n")
        out.write("".join(lines))
        report.add(aligned)
    return report


def _check_tokens(sentences: list[AlignedSentence], doc_id: str) -> None:
    """A token our reader would not read back as itself is an error, not a silent change.

    One pass over the document's tokens joined by a separator finds any candidate (a tab or
    line break, a space next to a separator, an empty or ``-DOCSTART-`` token); only then is
    each token checked to name the culprit. A per-token check was a fifth of the writer's time.
    """
    texts = [text for sentence in sentences for text in sentence.texts]
    joined = "\x1f".join(texts)
    if not (
        "\t" in joined or "\n" in joined or "\r" in joined
        or " \x1f" in joined or "\x1f " in joined or joined[:1] == " " or joined[-1:] == " "
        or "" in texts or DOCSTART in texts
    ):  # fmt: skip
        return
    for sentence in sentences:
        for token in sentence.tokens:
            _check_token(token, doc_id)


def _check_token(token: Token, doc_id: str) -> None:
    text = token.text
    if not text or any(c in text for c in "\t\n\r") or text != text.strip(" ") or text == DOCSTART:
        raise InputError(
            f"token {text!r} at [{token.start}, {token.end}) cannot be written to CoNLL", doc_id
        )


def read_conll(
    source: str | Path | Iterable[str],
    *,
    path_name: str | None = None,
    repair: bool = True,
    on_repair: Callable[[LineRepair], None] | None = None,
    label_map: Mapping[str, str] | None = None,
) -> Iterator[Document]:
    """Documents of a CoNLL file (a path) or of its lines (any iterable of strings).

    ``path_name`` names the input in errors and gives the document ids' stem (default: the path,
    or ``"conll"`` for lines). ``label_map`` renames labels as tags are read (e.g. AQMAR's
    ``{"MIS-1": "MIS1", "MISS1": "MIS1"}``), before entities are joined.
    Malformed lines raise :class:`InputError` with the 1-based line number.

    >>> docs = list(read_conll(["زار O", "دمشق B-LOC", "", "هنا O"], path_name="news.conll"))
    >>> docs[0].doc_id, docs[0].text, [(s.start, s.end, s.label) for s in docs[0].spans]
    ('news', 'زار دمشق\\nهنا', [(4, 8, 'LOC')])
    """
    if isinstance(source, (str, Path)):
        name = path_name or str(source)
        lines: list[str] = _read_lines(Path(source), name)
    else:
        name = path_name or "conll"
        lines = [line.rstrip("\r\n") for line in source]
    if lines and lines[0].startswith("\ufeff"):
        lines[0] = lines[0][1:]
    for mapped in (label_map or {}).values():
        if not is_valid_label_name(mapped):
            raise ValueError(f"label_map target {mapped!r} is not a valid label name")
    reader = _Reader(name, repair, on_repair, label_map or {})
    yield from reader.documents(lines)


def _read_lines(path: Path, name: str) -> list[str]:
    """A CoNLL file is UTF-8 (with or without a BOM), decoded by the one decoder every reader
    uses (:mod:`annotator.text.encoding`), so a bad byte gets the same one-line message."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", name) from None
    if not data:
        return []  # an empty file is no document (the decoder would call it an error)
    text = decode_bytes(data, path_name=name, encoding="utf-8", force=True).text
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


class _Reader:
    """State of one pass over a file: the sentence and document being built."""

    def __init__(
        self,
        name: str,
        repair: bool,
        on_repair: Callable[[LineRepair], None] | None,
        label_map: Mapping[str, str],
    ) -> None:
        self.name = name
        self.repair = repair
        self.on_repair = on_repair
        self.label_map = label_map
        self.most_columns: int | None = None
        self.tag_columns = 1
        self.sentence_columns = 1
        self.bioes = False
        self.words: list[str] = []
        self.tags: list[list[str]] = []
        self.line_numbers: list[int] = []
        self.sentences: list[list[str]] = []
        self.ranges: list[list[Range]] = []

    def documents(self, lines: list[str]) -> Iterator[Document]:
        stem = Path(self.name).stem or self.name
        rows = [_columns(line) for line in lines]
        starts = [row for row in rows if row and row[0] == DOCSTART]
        self.most_columns = _max_tag_columns(starts)
        self.bioes = _BIOES_HINT.search("\n".join(lines)) is not None and _is_bioes(rows)
        numbered = bool(starts)
        words, tags, line_numbers = self.words, self.tags, self.line_numbers
        count = 0
        for number, columns in enumerate(rows, start=1):
            if not columns:
                self.end_sentence()
                continue
            if columns[0] == DOCSTART:
                self.end_sentence()
                if self.sentences:
                    count += 1
                    yield self.end_document(f"{stem}#{count}")
                continue
            if len(columns) < 2:
                raise InputError(
                    "expected a token and a tag separated by a space or a tab", self.name, number
                )
            if len(columns) == 2 and not has_marks(columns[0]):  # "token TAG": most lines
                words.append(columns[0])
                tags.append(columns[1:])
                line_numbers.append(number)
            else:
                self.add_token(columns, number)
        self.end_sentence()
        if self.sentences:
            yield self.end_document(f"{stem}#{count + 1}" if numbered else stem)

    def add_token(self, columns: list[str], number: int) -> None:
        """One token line: its word without format marks, its tag columns (outer first)."""
        word = columns[0]
        if has_marks(word):
            word, marks = strip_marks(word)
            if self.on_repair is not None:
                self.on_repair(LineRepair(self.name, number, columns[0], word,
                                          f"{marks} format mark(s) removed", kind="marks"))
            if not word:
                return  # a token of nothing but marks is no token; its tag goes with it
        # the common "token TAG" line needs no look at which columns are tags
        tags = columns[1:] if len(columns) == 2 else columns[-_tag_run(columns, self.most_columns) :]
        if len(tags) > self.sentence_columns:
            self.sentence_columns = len(tags)
            self.tag_columns = max(self.tag_columns, len(tags))
        self.words.append(word)
        self.tags.append(tags)
        self.line_numbers.append(number)

    def end_sentence(self) -> None:
        if not self.words:
            return
        if self.sentence_columns == 1:
            ranges = self.decode(0)
        else:  # nested: every column's entities, each once, in text order (outer first)
            found = [r for column in range(self.sentence_columns) for r in self.decode(column)]
            ranges = sorted(set(found), key=lambda r: (r[1], -r[2], r[0]))
        self.sentences.append(self.words[:])
        self.ranges.append(ranges)
        self.words.clear()
        self.tags.clear()
        self.line_numbers.clear()
        self.sentence_columns = 1

    def decode(self, column: int) -> list[Range]:
        """Entities of one tag column of the sentence (IOB2 or BIOES, each column on its own)."""
        if self.sentence_columns == 1:
            tags = [row[0] for row in self.tags]
        else:
            tags = [row[column] if column < len(row) else "O" for row in self.tags]
        try:
            decoded = tags_to_ranges(
                tags, repair=self.repair, label_map=self.label_map, bioes=self.bioes
            )
        except TagError as exc:
            line = self.line_numbers[exc.index] if exc.index is not None else None
            raise InputError(str(exc), self.name, line) from None
        for fix in decoded.repairs:
            if self.on_repair is not None:
                line = self.line_numbers[fix.index]
                self.on_repair(LineRepair(self.name, line, fix.original, fix.repaired,
                                          fix.reason, kind=fix.kind))
        return decoded.ranges

    def end_document(self, doc_id: str) -> Document:
        meta: dict[str, object] = {"format": "conll"}
        if self.tag_columns > 1:
            meta["tag_columns"] = self.tag_columns
        doc = document_from_tokens(doc_id, self.sentences, self.ranges, meta=meta)
        self.sentences, self.ranges, self.tag_columns = [], [], 1
        return doc


def _max_tag_columns(rows: list[list[str]]) -> int | None:
    """The most tag columns a line may have, when a ``-DOCSTART-`` line (of ``rows``) says so.

    A ``-DOCSTART-`` line marks non-tag columns with ``-X-``: CoNLL-2003's ``-DOCSTART- -X- -X- O``
    has one tag column; its chunk column (``B-NP``) reads like tags but is not an entity layer.
    """
    for row in rows:
        if "-X-" in row[1:]:
            return next(k for k, c in enumerate(reversed(row[1:])) if c == "-X-")
    return None


def _tag_run(row: list[str], most: int | None) -> int:
    """How many trailing columns of a token line are tags (at least 1: the last one always is)."""
    limit = len(row) - 1 if most is None else min(most, len(row) - 1)
    run = 0
    while run < limit and _is_tag(row[-1 - run]):
        run += 1
    return max(run, 1)


_BIOES_PREFIXES = frozenset(f"{p}-" for p in "ESLUeslu")
_BIOES_HINT = re.compile("[ \t][ESLUeslu]-")
"""Where a BIOES tag could be: one C-level scan spares IOB files the per-column check."""


def _is_bioes(rows: list[list[str]]) -> bool:
    """A file with any ``E-``/``S-``/``L-``/``U-`` tag is BIOES (or BILOU) throughout."""
    for row in rows:
        if len(row) > 1 and row[0] != DOCSTART:
            for tag in row[1:]:
                if tag[:2] in _BIOES_PREFIXES and _is_tag(tag):
                    return True
    return False


@lru_cache(maxsize=4096)
def _is_tag(text: str) -> bool:
    try:
        parse_tag(text)
    except TagError:
        return False
    return True


def _columns(line: str) -> list[str]:
    """A line's columns: tab-separated if it has a tab, else separated by runs of spaces."""
    line = line.rstrip("\r\n")
    if "\t" in line:
        return [c.strip(" ") for c in line.strip(" \t").split("\t")] if line.strip(" \t") else []
    return [c for c in line.split(" ") if c]
