"""From files on disk to documents: find the files, decode them, pick the format, clean up.

This is the one place that knows which reader reads which file. Each file is read completely
before its documents are handed on, so a file with an error can be skipped whole (``skip_bad``)
and never half-imported. Everything chosen on the user's behalf (an encoding guess, a format
guess, a repaired tag, removed boilerplate) is reported through ``note``: shown, not silent.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from annotator.errors import AnnotatorError, InputError
from annotator.formats import ant_xml, conll, doccano, jsonl, labelstudio, prodigy, scraped_json
from annotator.formats.encoding import Decoded, read_text
from annotator.formats.text_files import guess_title, iter_paths, text_document
from annotator.model import Document, normalize_newlines
from annotator.text.cleanup import apply_cleanup, describe, find_boilerplate

FORMATS = ("auto", "txt", "jsonl", "json", "conll", "doccano", "prodigy", "labelstudio", "ant", "hf")
IMPORT_SUFFIXES = {".txt", ".text", ".jsonl", ".json", ".conll", ".conllu", ".bio", ".iob", ".tsv",
                   ".xml", ".ndjson"}

Note = Callable[[str], None]
# "token TAG" lines: a CoNLL-looking line ends in O or a B-/I-/E-/S-/L-/U- tag.
_CONLL_LINE = re.compile(r"^\S+(?:[ \t]+\S+)*[ \t]+(?:O|[BIESLU]-?\S*)$")


@dataclass
class ReadOptions:
    """How to read: the format (or auto), the encoding (or auto), opt-in boilerplate clean-up."""

    format: str = "auto"
    encoding: str = "auto"
    clean: bool = False
    skip_bad: bool = False
    skipped: list[str] = field(default_factory=list)


def read_paths(paths: Iterable[str | Path], options: ReadOptions, note: Note = lambda _: None
               ) -> Iterator[Document]:
    """Documents of every file under ``paths`` (folders recurse, sorted, hidden files skipped).

    With ``options.skip_bad`` a file that fails is listed in ``options.skipped`` and the rest go
    on; without it the first error propagates (and the caller's transaction rolls back).
    """
    if options.format not in FORMATS:
        raise InputError(f"unknown format {options.format!r}; one of {', '.join(FORMATS)}")
    for given in paths:
        root = Path(given) if Path(given).is_dir() else None
        suffixes = IMPORT_SUFFIXES if root is not None else None
        for path in iter_paths([given], suffixes=suffixes):
            try:
                documents = read_file(path, options, note, root=root)
            except AnnotatorError as exc:
                if not options.skip_bad:
                    raise
                options.skipped.append(str(exc))
                note(f"skipped: {exc}")
                continue
            yield from documents


def read_file(path: Path, options: ReadOptions, note: Note, *, root: Path | None = None
              ) -> list[Document]:
    """All documents of one file, read completely (so a failure leaves nothing behind)."""
    name = str(path)
    decoded = read_text(path, encoding=options.encoding)
    _note_encoding(note, name, decoded)
    fmt = options.format
    if fmt == "auto":
        plain = path.suffix.lower() in {".txt", ".text", ""}
        fmt = sniff_text_format(decoded.text) if plain else sniff_format(path, decoded.text)
        if fmt != "txt":
            note(f"{name}: read as {fmt}")
    if fmt == "txt":
        return _cleaned([text_document(path, decoded, root=root)], options, note)
    documents = list(_READERS[fmt](decoded.text, name, note))
    if not documents:
        raise InputError("no articles in this file", name)
    return _cleaned(documents, options, note)


def _read_hf(text: str, name: str, note: Note) -> Iterator[Document]:
    from annotator.formats import hf  # imports nothing heavy, but only HF users need it

    return hf.read_hf(text, path_name=name)


Reader = Callable[[str, str, Note], Iterable[Document]]
_READERS: dict[str, Reader] = {
    "conll": lambda text, name, note: conll.read_conll(
        normalize_newlines(text).split("\n"), path_name=name,
        on_repair=lambda r: note(f"repaired {r}")),
    "jsonl": lambda text, name, note: jsonl.read_jsonl(text, path_name=name),
    "doccano": lambda text, name, note: doccano.read_doccano(text, path_name=name),
    "prodigy": lambda text, name, note: prodigy.read_prodigy(text, path_name=name, warn=note),
    "labelstudio": lambda text, name, note: labelstudio.read_labelstudio(
        text, path_name=name, warn=note),
    "ant": lambda text, name, note: ant_xml.read_ant(text, path_name=name),
    "json": lambda text, name, note: scraped_json.read_scraped(text, path_name=name, warn=note),
    "hf": _read_hf,
}
"""Format name -> reader of decoded text; ``txt`` is handled apart (a file is its article)."""


def _note_encoding(note: Note, name: str, decoded: Decoded) -> None:
    if decoded.guessed or decoded.encoding.replace("_", "-").lower() not in ("utf-8", "utf-8-sig"):
        note(f"{name}: decoded as {decoded.encoding} (confidence {decoded.confidence:.2f})")


def sniff_text_format(text: str) -> str:
    """A ``.txt`` may be an article, a CoNLL file (AQMAR ships ``.txt``) or ANT XML."""
    head = text.lstrip("\ufeff \n")[:4096]
    if head.startswith("<DOC>") or (head.startswith(("<?xml", "<!DOCTYPE")) and "<DOC>" in head):
        return "ant"
    lines = [line for line in head.split("\n")[:-1] if line.strip()][:50]
    if len(lines) >= 3 and sum(bool(_CONLL_LINE.match(line.strip())) for line in lines) >= 0.9 * len(lines):
        return "conll"
    return "txt"


def sniff_format(path: Path, text: str) -> str:
    """Guess a JSON-family format from the first record's keys, or CoNLL/ANT from the suffix."""
    suffix = path.suffix.lower()
    if suffix in {".conll", ".conllu", ".bio", ".iob", ".tsv"}:
        return "conll"
    if suffix == ".xml":
        return "ant"
    first = _first_record(text)
    if first is None:
        return sniff_text_format(text)
    keys = set(first)
    if "data" in keys and ({"annotations", "predictions"} & keys):
        return "labelstudio"
    if "ner_tags" in keys and "tokens" in keys:
        return "hf"
    if "tokens" in keys and "spans" in keys:
        return "prodigy"
    if "text" in keys and ({"label", "entities"} & keys) and "spans" not in keys:
        return "doccano"
    if "text" in keys:
        return "jsonl"
    return "json"


def _first_record(text: str) -> dict | None:
    stripped = text.lstrip("\ufeff \n\t")
    try:
        if stripped.startswith("["):
            decoder = json.JSONDecoder()
            start = stripped.index("{") if "{" in stripped else -1
            return decoder.raw_decode(stripped, start)[0] if start >= 0 else None
        if stripped.startswith("{"):
            return json.loads(stripped.split("\n", 1)[0])
    except (json.JSONDecodeError, ValueError):
        return None
    return None


def _cleaned(documents: list[Document], options: ReadOptions, note: Note) -> list[Document]:
    """Apply the opt-in boilerplate clean-up to span-free documents, saying what it removed."""
    if not options.clean:
        return documents
    out = []
    for doc in documents:
        removals = find_boilerplate(doc.text)
        if not removals or doc.spans:
            out.append(doc)
            continue
        for line in describe(removals, doc.text):
            note(f"{doc.doc_id}: removed {line}")
        text = apply_cleanup(doc.text, removals)
        out.append(replace(doc, text=text, title=guess_title(text, doc.title or doc.doc_id)))
    return out
