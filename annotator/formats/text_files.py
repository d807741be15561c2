"""Plain-text articles, one per file (import only).

The stored text is the decoded file with line breaks normalised to ``\\n`` and blank lines at
either end dropped (:func:`strip_blank_lines`); nothing else is touched, so offsets computed on
it match what the annotator sees.

Title: the first non-empty line, among the first :data:`TITLE_LOOKAHEAD`, that has at least two
words; else the file stem. Scraped pages often start with a one-word leftover such as
``fbpx`` (a tracking pixel's name), which is not a headline. The title is *not* cut out of the
text: a headline is often worth annotating too.

Document id: the path relative to the import root without its suffix (``2015/07/a1``), so two
``index.txt`` in different folders stay distinct; the bare stem when no root is given.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from annotator.errors import InputError
from annotator.model import Document, normalize_newlines
from annotator.text.encoding import Decoded, read_text

TITLE_LOOKAHEAD = 5
TITLE_MAX = 200
_LEADING_BLANK = re.compile(r"\A(?:[^\S\n]*\n)+")
_TRAILING_BLANK = re.compile(r"(?:\n[^\S\n]*)+\Z")


def strip_blank_lines(text: str) -> str:
    """``text`` without whitespace-only lines at its start and end; other spaces are kept.

    >>> strip_blank_lines("\\n  \\n  first\\nlast  \\n\\n")
    '  first\\nlast  '
    """
    if not text.strip():
        return ""
    return _TRAILING_BLANK.sub("", _LEADING_BLANK.sub("", text))


def guess_title(text: str, fallback: str) -> str:
    """The first non-empty line of two or more words among the first few, else ``fallback``.

    >>> guess_title("fbpx\\n\\nقصف صاروخي يستهدف القاعدة\\n", "a1")
    'قصف صاروخي يستهدف القاعدة'
    """
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    for line in lines[:TITLE_LOOKAHEAD]:
        if len(line.split()) >= 2:
            return line[:TITLE_MAX]
    return fallback


def read_text_file(
    path: str | Path, *, encoding: str = "auto", root: str | Path | None = None
) -> Document:
    """One article from a text file; ``root`` is the folder ids are made relative to."""
    return text_document(Path(path), read_text(path, encoding=encoding), root=root)


def text_document(path: Path, decoded: Decoded, *, root: str | Path | None = None) -> Document:
    """The article of an already decoded text file (so a caller that sniffed it decodes once).

    ``meta`` records the file (relative path) and the encoding chosen, with its confidence
    when it was guessed (not UTF-8, no BOM, no ``encoding`` given).
    """
    text = strip_blank_lines(normalize_newlines(decoded.text))
    if not text:
        raise InputError("empty file (only blank lines)", str(path))
    meta: dict[str, object] = {"file": _relative(path, root), "encoding": decoded.encoding}
    if decoded.guessed:
        meta["encoding_confidence"] = decoded.confidence
    return Document(doc_id=_doc_id(path, root), text=text, title=guess_title(text, path.stem),
                    meta=meta)


def _relative(path: Path, root: str | Path | None) -> str:
    if root is not None:
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            pass
    return path.name


def _doc_id(path: Path, root: str | Path | None) -> str:
    relative = Path(_relative(path, root))
    return relative.with_suffix("").as_posix() if relative.suffix else relative.as_posix()


def iter_paths(
    paths: Iterable[str | Path], *, suffixes: Iterable[str] | None = None
) -> Iterator[Path]:
    """Files named in ``paths``, folders walked recursively in sorted name order.

    Hidden files and folders (name starting with ``.``) inside a folder are skipped, and so are
    files whose suffix is not in ``suffixes`` (when given, e.g. ``{".txt"}``); a file named
    directly is always yielded. A path that does not exist is an InputError.
    """
    wanted = {s.lower() for s in suffixes} if suffixes is not None else None
    for given in paths:
        path = Path(given)
        if path.is_dir():
            yield from _walk(path, wanted)
        elif path.exists():
            yield path
        else:
            raise InputError("no such file or folder", str(path))


def _walk(folder: Path, wanted: set[str] | None) -> Iterator[Path]:
    with os.scandir(folder) as entries:
        names = sorted(entry.name for entry in entries if not entry.name.startswith("."))
    for name in names:
        path = folder / name
        if path.is_dir():
            yield from _walk(path, wanted)
        elif wanted is None or path.suffix.lower() in wanted:
            yield path


def iter_text_files(
    paths: Iterable[str | Path], *, encoding: str = "auto", suffixes: Iterable[str] = (".txt",)
) -> Iterator[Document]:
    """Articles from files and folders; ids are relative to the folder each was found in."""
    for given in paths:
        root = Path(given) if Path(given).is_dir() else None
        for path in iter_paths([given], suffixes=suffixes):
            yield read_text_file(path, encoding=encoding, root=root)
