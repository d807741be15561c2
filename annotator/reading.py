"""From files on disk to documents: find the files, decode them, pick the format, clean up.

This is the one place that knows which reader reads which file. Each file is read completely
before its documents are handed on, so a file with an error can be skipped whole (``skip_bad``)
and never half-imported. Everything chosen on the user's behalf (the encoding and format of
each file, repaired tags summarised per kind, removed boilerplate, mapped labels, files left
out of a folder) is reported through ``note``: shown, not silent.

Folders: files are read in sorted order; hidden files, a corpus's own documentation
(``README*``, ``SOURCE*``, ``LICENSE*``, ``*.md``: SOURCE.txt is not an article) and files of
other kinds are left out, and the import says which. A ``.zip`` (named, or in a folder) is read in
memory member by member like a folder (:mod:`annotator.formats.archive`, with zip-bomb limits).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path, PurePosixPath

from annotator.errors import AnnotatorError, InputError
from annotator.formats import (
    ant_xml,
    brat,
    conll,
    doccano,
    events_json,
    jsonl,
    labelstudio,
    prodigy,
    registry,
    scraped_json,
)
from annotator.formats.archive import is_zip, iter_members
from annotator.formats.repairs import RepairLog
from annotator.formats.text_files import guess_title, iter_paths, text_document
from annotator.label_map import LabelMap
from annotator.model import Document, normalize_newlines
from annotator.text.cleanup import apply_cleanup, describe, find_boilerplate
from annotator.text.encoding import Decoded, decode_bytes, read_text
from annotator.text.records import first_record

FORMATS = registry.read_names()  # the one list: annotator.formats.registry
JSON_SUFFIXES = {".json", ".jsonl", ".ndjson"}
IMPORT_SUFFIXES = registry.import_suffixes()

Note = Callable[[str], None]
# "token TAG" lines: a CoNLL-looking line ends in O or a B-/I-/E-/S-/L-/U- tag.
_CONLL_LINE = re.compile(r"^\S+(?:[ \t]+\S+)*[ \t]+(?:O|[BIESLU]-?\S*)$")


_DOC_NAMES = ("readme", "source", "license", "licence", "copying", "notice")
# What our own exports write beside the data (the HF folder's label file, every export's card):
# importing an export folder back must read the data, not these.
_SIDECARS = ("label_list.json", "card.json", "annotation.conf", "visual.conf")


@dataclass
class ReadOptions:
    """How to read: the format (or auto), the encoding (or auto), opt-in boilerplate clean-up,
    strictness (a CoNLL tag repair is an error), and labels to rename as they are read."""

    format: str = "auto"
    encoding: str = "auto"
    clean: bool = False
    skip_bad: bool = False
    strict: bool = False
    label_map: LabelMap = field(default_factory=LabelMap)
    force_encoding: bool = False
    """Confirms ``encoding`` even where it looks wrong (valid UTF-8 read as cp1256, garbled)."""
    skipped: list[str] = field(default_factory=list)


def is_documentation(name: str) -> bool:
    """A corpus's README/SOURCE/LICENSE file, any Markdown file, or an export's label file or
    card: about the data, not data.

    >>> [is_documentation(n) for n in ("SOURCE.txt", "README", "notes.md", "LICENSE", "a1.txt")]
    [True, True, True, True, False]
    >>> [is_documentation(n) for n in ("label_list.json", "news.card.json", "train.jsonl")]
    [True, True, False]
    """
    lower = name.lower()
    return (lower.endswith(".md") or lower.split(".")[0] in _DOC_NAMES
            or lower in _SIDECARS or lower.endswith("." + _SIDECARS[1]))


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
        if root is None:
            yield from _guarded(partial(_read_named, Path(given), options, note), options, note)
            continue
        chosen: Counter[str] = Counter()
        others: list[str] = []
        for path in iter_paths([given]):
            if is_documentation(path.name):
                note(f"{path}: skipped (a corpus's documentation, not an article)")
            elif is_zip(path):
                yield from _guarded(partial(_read_zip, path, options, note), options, note)
            elif _brat_text(path):
                continue  # read with its .ann, as one brat document
            elif path.suffix.lower() in IMPORT_SUFFIXES:
                read = partial(read_file, path, options, note, root=root, chosen=chosen)
                yield from _guarded(read, options, note)
            else:
                others.append(path.relative_to(root).as_posix())
        _note_folder(note, str(root), chosen, others)


class PathDocuments:
    """The documents of ``paths`` (:func:`read_paths`), read afresh each time they are iterated.

    Why: an import is one transaction, made again whole after a conflict with another user's
    change on a server (:mod:`annotator.retries`); a generator would be exhausted by then, and
    the second attempt would import nothing. Each reading starts a new ``options.skipped``.
    """

    def __init__(self, paths: Iterable[str | Path], options: ReadOptions,
                 note: Note = lambda _: None) -> None:
        self.paths, self.options, self.note = list(paths), options, note

    def __iter__(self) -> Iterator[Document]:
        self.options.skipped.clear()
        return read_paths(self.paths, self.options, self.note)


def _guarded(read: Callable[[], list[Document]], options: ReadOptions, note: Note
             ) -> list[Document]:
    """``read()``, or with ``skip_bad`` nothing (the failure listed) when it fails."""
    try:
        return read()
    except AnnotatorError as exc:
        if not options.skip_bad:
            raise
        options.skipped.append(str(exc))
        note(f"skipped: {exc}")
        return []


def _read_named(path: Path, options: ReadOptions, note: Note) -> list[Document]:
    """A file the user named: read whatever its name (a README too), a zip member by member."""
    if not path.exists():
        raise InputError("no such file or folder", str(path))
    if is_zip(path):
        return _read_zip(path, options, note)
    chosen: Counter[str] = Counter()
    documents = read_file(path, options, note, chosen=chosen)
    (choice,) = chosen
    note(f"{path}: read as {choice}")
    return documents


def _read_zip(path: Path, options: ReadOptions, note: Note) -> list[Document]:
    """Every article of a zip archive, read like a folder (the archive is the root of ids)."""
    chosen: Counter[str] = Counter()
    others: list[str] = []
    documents: list[Document] = []
    contents = dict(iter_members(path))  # in memory already, within the archive's limits
    for member, data in contents.items():
        inner = PurePosixPath(member)
        brat_pair = inner.with_suffix(".ann").as_posix() in contents
        if is_documentation(inner.name):
            note(f"{path}/{member}: skipped (a corpus's documentation, not an article)")
        elif inner.suffix.lower() == ".zip":
            others.append(member)
        elif inner.suffix == ".txt" and brat_pair:
            continue  # read with its .ann
        elif inner.suffix == ".ann" or (options.format == "brat" and inner.suffix == ".txt"):
            chosen["brat standoff"] += 1
            documents.append(_zip_brat(path, inner, contents, options, note))
        elif inner.suffix.lower() in IMPORT_SUFFIXES:
            name = path / member
            decoded = decode_bytes(data, path_name=str(name), encoding=options.encoding,
                                   force=options.force_encoding)
            documents += read_decoded(name, decoded, options, note, root=path, chosen=chosen)
        else:
            others.append(member)
    _note_folder(note, str(path), chosen, others)
    if not documents:
        raise InputError("no articles in this zip archive", str(path))
    return documents


def _note_folder(note: Note, name: str, chosen: Counter[str], others: list[str]) -> None:
    """One line for what a folder's files were read as, one for the files left out."""
    if chosen:
        note(f"{name}: {sum(chosen.values())} file(s) read: "
             + ", ".join(f"{n} as {choice}" for choice, n in chosen.most_common()))
    if others:
        shown = ", ".join(others[:3]) + (", ..." if len(others) > 3 else "")
        note(f"{name}: {len(others)} file(s) of other kinds left out ({shown})")


def read_file(path: Path, options: ReadOptions, note: Note, *, root: Path | None = None,
              chosen: Counter[str] | None = None) -> list[Document]:
    """All documents of one file, read completely (so a failure leaves nothing behind)."""
    if options.format == "spacy" or (options.format == "auto" and path.suffix == ".spacy"):
        if chosen is not None:
            chosen["spaCy DocBin"] += 1
        documents = options.label_map.apply(_read_docbin(path))  # binary: no text to decode
        return _cleaned(documents, options, note)
    if options.format == "brat" or (options.format == "auto" and path.suffix.lower() == ".ann"):
        if chosen is not None:
            chosen["brat standoff"] += 1
        return _cleaned(options.label_map.apply([_read_brat(path, options, note, root)]),
                        options, note)
    decoded = read_text(path, encoding=options.encoding, force=options.force_encoding)
    return read_decoded(path, decoded, options, note, root=root, chosen=chosen)


def _brat_text(path: Path) -> bool:
    """A ``.txt`` with an ``.ann`` beside it: brat's text, read when its ``.ann`` is."""
    return path.suffix == ".txt" and path.with_suffix(".ann").is_file()


def _read_brat(path: Path, options: ReadOptions, note: Note, root: Path | None) -> Document:
    """One brat document: ``NAME.txt`` and ``NAME.ann`` (a ``.txt`` alone: no annotations)."""
    text_path, ann_path = path.with_suffix(".txt"), path.with_suffix(".ann")
    if not text_path.is_file():
        raise InputError(f"no {text_path.name} beside it (brat keeps the text there)", str(path))
    decoded = read_text(text_path, encoding=options.encoding, force=options.force_encoding)
    ann = ann_path.read_bytes() if ann_path.is_file() else b""
    relative = text_path.relative_to(root) if root is not None else Path(text_path.name)
    return _brat_document(text_path, decoded, ann, relative.with_suffix("").as_posix(), note)


def _zip_brat(path: Path, inner: PurePosixPath, contents: dict[str, bytes],
              options: ReadOptions, note: Note) -> Document:
    """One brat document of a zip archive: its ``.txt`` and ``.ann`` members."""
    text_member, ann_member = inner.with_suffix(".txt").as_posix(), inner.with_suffix(".ann")
    if text_member not in contents:
        raise InputError(f"no {PurePosixPath(text_member).name} beside it (brat keeps the text"
                         " there)", f"{path}/{inner}")
    decoded = decode_bytes(contents[text_member], path_name=f"{path}/{text_member}",
                           encoding=options.encoding, force=options.force_encoding)
    return _brat_document(path / text_member, decoded, contents.get(ann_member.as_posix(), b""),
                          inner.with_suffix("").as_posix(), note)


def _brat_document(text_path: Path, decoded: Decoded, ann: bytes, doc_id: str, note: Note
                   ) -> Document:
    """The document of a decoded brat text and its ``.ann`` bytes (UTF-8, as brat writes)."""
    _note_encoding(note, str(text_path), decoded)
    ann_name = str(text_path.with_suffix(".ann"))
    ann_text = decode_bytes(ann, path_name=ann_name, encoding="utf-8").text if ann else ""
    return brat.read_brat(decoded.text, ann_text, doc_id=doc_id, ann_name=ann_name,
                          title=guess_title(decoded.text, text_path.stem), warn=note)


def read_decoded(path: Path, decoded: Decoded, options: ReadOptions, note: Note, *,
                 root: Path | None = None, chosen: Counter[str] | None = None) -> list[Document]:
    """All documents of one decoded file; ``chosen`` counts "format (encoding)" per file."""
    name = str(path)
    _note_encoding(note, name, decoded)
    fmt = options.format
    if fmt == "auto":
        plain = path.suffix.lower() in {".txt", ".text", ""}
        fmt = sniff_text_format(decoded.text) if plain else sniff_format(path, decoded.text)
    if chosen is not None:
        chosen[f"{_FORMAT_NAMES.get(fmt, fmt)} ({_encoding_name(decoded)})"] += 1
    if fmt == "txt":
        documents = [text_document(path, decoded, root=root)]
    else:
        documents = list(_read_format(fmt, decoded.text, name, options, note))
        if not documents:
            raise InputError("no articles in this file", name)
    return _cleaned(options.label_map.apply(documents, skip=fmt == "conll"), options, note)


def _read_format(fmt: str, text: str, name: str, options: ReadOptions, note: Note
                 ) -> list[Document]:
    if fmt != "conll":
        return list(_READERS[fmt](text, name, note))
    log = RepairLog()
    try:
        return list(conll.read_conll(
            normalize_newlines(text).split("\n"), path_name=name, repair=not options.strict,
            on_repair=log.add, label_map=options.label_map))
    finally:
        log.flush(note)


_FORMAT_NAMES = {"txt": "txt, one article per file"}


def _encoding_name(decoded: Decoded) -> str:
    encoding = decoded.encoding.replace("_", "-").lower()
    return "UTF-8" if encoding in ("utf-8", "utf-8-sig", "utf8") else decoded.encoding


def _read_docbin(path: Path) -> list[Document]:
    """A spaCy ``.spacy`` file's documents; without spaCy, one line naming the extra."""
    from annotator.extras import require

    require("spacy")
    from annotator.formats import spacy_docbin

    documents = list(spacy_docbin.read_docbin(path))
    if not documents:
        raise InputError("no articles in this file", str(path))
    return documents


def _read_hf(text: str, name: str, note: Note) -> Iterator[Document]:
    from annotator.formats import hf  # imports nothing heavy, but only HF users need it

    return hf.read_hf(text, path_name=name)


Reader = Callable[[str, str, Note], Iterable[Document]]
_READERS: dict[str, Reader] = {
    "jsonl": lambda text, name, note: jsonl.read_jsonl(text, path_name=name),
    "doccano": lambda text, name, note: doccano.read_doccano(text, path_name=name),
    "prodigy": lambda text, name, note: prodigy.read_prodigy(text, path_name=name, warn=note),
    "labelstudio": lambda text, name, note: labelstudio.read_labelstudio(
        text, path_name=name, warn=note),
    "ant": lambda text, name, note: ant_xml.read_ant(text, path_name=name),
    "json": lambda text, name, note: scraped_json.read_scraped(text, path_name=name, warn=note),
    "hf": _read_hf,
    "events": lambda text, name, note: events_json.read_events_json(text, path_name=name),
}
"""Format name -> reader of decoded text; ``txt`` (a file is its article), ``conll`` (strictness,
label map, repair summary) and ``brat`` (a .txt and an .ann) are handled apart."""


def _note_encoding(note: Note, name: str, decoded: Decoded) -> None:
    if decoded.note == "encoding given":  # the user's choice: no confidence to claim
        if decoded.encoding.replace("_", "-").lower() not in ("utf-8", "utf-8-sig"):
            note(f"{name}: decoded as {decoded.encoding} (as given with --encoding)")
    elif decoded.guessed or decoded.encoding.replace("_", "-").lower() not in ("utf-8", "utf-8-sig"):
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
    line = 1
    if suffix in JSON_SUFFIXES:  # a file that says it is JSON is read as JSON or refused
        line, first_json = first_record(text, str(path))
        first: dict | None = first_json
    else:
        first = _first_record(text)
    if first is None:
        return sniff_text_format(text)
    keys = set(first)
    if "data" in keys and ({"annotations", "predictions"} & keys):
        return "labelstudio"
    if "event_mentions" in keys or "entity_mentions" in keys:
        return "events"
    if "ner_tags" in keys and "tokens" in keys:
        return "hf"
    if "tokens" in keys and "spans" in keys:
        return "prodigy"
    if "text" in keys and ({"label", "entities"} & keys) and "spans" not in keys:
        return "doccano"
    if "text" in keys:
        return "jsonl"
    if suffix in JSON_SUFFIXES and not keys & set(scraped_json.CONTENT_KEYS):
        raise InputError("expected article objects (with 'text' or 'content'), found keys "
                         + (", ".join(sorted(keys)[:8]) or "none"), str(path), line)
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
