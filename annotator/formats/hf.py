"""Hugging Face ``datasets`` token-classification JSONL, reader and writer side by side.

One line per **sentence**, like ``conll2003`` on the Hub::

    {"id": "a1/0", "doc_id": "a1", "sentence": 0, "tokens": ["زار", "دمشق"],
     "ner_tags": [0, 3], "tags": ["O", "B-LOC"]}

Per sentence rather than per document because token-classification models take at most a few
hundred subword pieces (512 for BERT-like ones) and a news article is longer; ``doc_id`` and
``sentence`` (0-based) let anyone put the documents back together, and our reader does.

``ner_tags`` are integers into the label list (:func:`label_list`: ``O`` first, then the scheme's
prefixes for each label in schema order), which is what ``datasets.ClassLabel`` wants; ``tags``
repeats them as strings so the file reads back without its ``label_list.json``.
:func:`write_hf_folder` writes ``<split>.jsonl``, ``label_list.json`` and a ``README.md`` card;
``datasets.load_dataset("json", data_files=..., features=features(names))`` loads it.

Tokens, sentence merging, token splitting and the overlap policy are those of
:mod:`annotator.text.token_lists`; reading rebuilds text as CoNLL does (tokens joined by a space,
sentences by ``\\n``) and records ``meta["tokens"]``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from annotator.errors import InputError, SchemaError
from annotator.model import Document
from annotator.tags import SCHEMES, Range, TagError, ranges_to_tags, tags_to_ranges
from annotator.text import tokenize as _tok
from annotator.text.records import dumps, iter_jsonl, stem_of
from annotator.text.token_lists import (
    ExportReport,
    SentenceSplitter,
    Tokenizer,
    align_document,
    document_from_tokens,
)

_PREFIXES = {"iob2": ("B", "I"), "bioes": ("B", "I", "E", "S")}


@dataclass
class HfReport(ExportReport):
    """:class:`ExportReport` plus the label list the integers index."""

    label_list: list[str] = field(default_factory=list)


def label_list(labels: Sequence[str], scheme: str = "iob2") -> list[str]:
    """Tag names in integer order: ``O``, then each label's tags in ``labels`` order.

    >>> label_list(["PER", "LOC"])
    ['O', 'B-PER', 'I-PER', 'B-LOC', 'I-LOC']
    >>> label_list(["PER"], "bioes")
    ['O', 'B-PER', 'I-PER', 'E-PER', 'S-PER']
    """
    if scheme not in SCHEMES:
        raise ValueError(f"unknown tag scheme {scheme!r}; expected one of {', '.join(SCHEMES)}")
    return ["O", *(f"{p}-{label}" for label in labels for p in _PREFIXES[scheme])]


def write_hf(
    docs: Iterable[Document],
    out: TextIO,
    *,
    labels: Sequence[str] | None = None,
    scheme: str = "iob2",
    tokenize: Tokenizer = _tok.tokenize,
    sentences: SentenceSplitter = _tok.sentences,
) -> HfReport:
    """Write one JSON line per sentence of ``docs`` to ``out``.

    ``labels`` fixes the integer order (pass the schema's names); without it the labels found are
    used in alphabetical order. A span whose label is not in ``labels`` raises :class:`SchemaError`.
    """
    doc_list = list(docs)
    if labels is None:
        labels = sorted({span.label for doc in doc_list for span in doc.spans})
    names = label_list(labels, scheme)
    index = {name: number for number, name in enumerate(names)}
    report = HfReport(label_list=names)
    for doc in doc_list:
        for span in doc.spans:
            if span.label not in labels:
                raise SchemaError(
                    f"document {doc.doc_id}: label {span.label!r} is not in the label list"
                )
        aligned = align_document(doc, tokenize=tokenize, sentences=sentences)
        for number, sentence in enumerate(aligned.sentences):
            tags = ranges_to_tags(sentence.ranges, len(sentence.tokens), scheme)
            record = {
                "id": f"{doc.doc_id}/{number}",
                "doc_id": doc.doc_id,
                "sentence": number,
                "tokens": [token.text for token in sentence.tokens],
                "ner_tags": [index[tag] for tag in tags],
                "tags": tags,
            }
            out.write(dumps(record) + "\n")
        report.add(aligned)
    return report


def write_hf_folder(
    docs: Iterable[Document],
    folder: Path,
    *,
    labels: Sequence[str] | None = None,
    scheme: str = "iob2",
    split: str = "train",
    name: str = "annotator-export",
) -> HfReport:
    """``<split>.jsonl``, ``label_list.json`` and a ``README.md`` dataset card in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / f"{split}.jsonl").open("w", encoding="utf-8", newline="\n") as handle:
        report = write_hf(docs, handle, labels=labels, scheme=scheme)
    (folder / LABEL_FILE).write_text(
        json.dumps(report.label_list, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    size = (folder / f"{split}.jsonl").stat().st_size
    (folder / "README.md").write_text(
        dataset_card(name, report, split=split, num_bytes=size), encoding="utf-8")
    return report


def features(names: Sequence[str]) -> Any:
    """The ``datasets.Features`` of our lines (imports ``datasets``, the ``hf`` extra)."""
    import datasets  # type: ignore[import-untyped]

    strings = datasets.Sequence(datasets.Value("string"))
    return datasets.Features(
        {
            "id": datasets.Value("string"),
            "doc_id": datasets.Value("string"),
            "sentence": datasets.Value("int32"),
            "tokens": strings,
            "ner_tags": datasets.Sequence(datasets.ClassLabel(names=list(names))),
            "tags": strings,
        }
    )


LABEL_FILE = "label_list.json"
"""The one name of the tag list beside the data: written by every HF export, read on import."""


def hub_yaml(names: Sequence[str], splits: Mapping[str, tuple[int, int]], *, language: str = "ar"
             ) -> str:
    """The YAML header of a Hub dataset card: ``ner_tags`` as ``Sequence(ClassLabel(names))``,
    the splits and their files (``configs``), so ``datasets.load_dataset(folder)`` builds the
    features from it without being told. ``splits`` maps each split to its number of lines
    and bytes (``datasets`` ignores a ``splits`` entry without both).

    >>> print(hub_yaml(["O", "B-PER"], {"train": (3, 120)}).split("configs:")[1], end="")
    <BLANKLINE>
    - config_name: default
      data_files:
      - split: train
        path: train.jsonl
    ---
    """
    class_names = "".join(f"          '{i}': {tag}\n" for i, tag in enumerate(names))
    split_info = "".join(f"  - name: {name}\n    num_bytes: {size}\n    num_examples: {n}\n"
                         for name, (n, size) in splits.items())
    files = "".join(f"  - split: {name}\n    path: {name}.jsonl\n" for name in splits)
    return (
        "---\n"
        f"language: [{language}]\n"
        "task_categories: [token-classification]\n"
        "task_ids: [named-entity-recognition]\n"
        "dataset_info:\n"
        "  features:\n"
        "  - {name: id, dtype: string}\n"
        "  - {name: doc_id, dtype: string}\n"
        "  - {name: sentence, dtype: int32}\n"
        "  - {name: tokens, sequence: string}\n"
        "  - name: ner_tags\n"
        "    sequence:\n"
        "      class_label:\n"
        "        names:\n"
        f"{class_names}"
        "  - {name: tags, sequence: string}\n"
        f"  splits:\n{split_info}"
        f"configs:\n- config_name: default\n  data_files:\n{files}"
        "---\n"
    )


def dataset_card(name: str, report: HfReport, *, split: str = "train", language: str = "ar",
                 num_bytes: int = 0) -> str:
    """A Hub dataset card: YAML header (features, class names) and the export's counts.

    >>> card = dataset_card("news", HfReport(label_list=["O", "B-PER", "I-PER"], documents=2))
    >>> "          '1': B-PER" in card.splitlines()
    True
    """
    per_label = "\n".join(
        f"| {label} | {count} |" for label, count in sorted(report.spans_per_label.items())
    )
    return (
        hub_yaml(report.label_list, {split: (report.sentences, num_bytes)}, language=language) + "\n"
        f"# {name}\n\n"
        f"Exported by `annotator`: one line per sentence; `ner_tags` index `{LABEL_FILE}`.\n\n"
        f"- documents: {report.documents}, sentences: {report.sentences}, tokens: {report.tokens}\n"
        f"- tokens split at span boundaries: {report.split_tokens}; sentences merged so no entity "
        f"is cut: {report.merged_sentences}; overlapping spans dropped: {len(report.dropped)}\n\n"
        "| label | entities |\n|---|---|\n"
        f"{per_label}\n"
    )


def read_hf(
    source: str | Path | Iterable[str],
    *,
    path_name: str | None = None,
    label_names: Sequence[str] | None = None,
) -> Iterator[Document]:
    """Documents from our JSONL: ``source`` is the JSONL **text**, a :class:`Path`, or its lines.

    Tags come from ``label_names[ner_tags[i]]`` when ``label_names`` is given or a
    ``label_list.json`` lies beside the file (what our export writes), else from ``tags``, else
    from ``ner_tags`` if those are strings. Consecutive lines with one ``doc_id``
    form a document; a line without ``doc_id`` is a document of its own (id: its ``id``, else
    ``<stem>#<line>``). Tags are read like CoNLL tags, repairs included.
    """
    if isinstance(source, Path):
        name = path_name or str(source)
        text = source.read_text(encoding="utf-8-sig")
    else:
        name = path_name or "hf.jsonl"
        text = source if isinstance(source, str) else "\n".join(source)
    text = text.removeprefix("\ufeff")
    if label_names is None and (path_name is not None or isinstance(source, Path)):
        label_names = _label_file_beside(Path(name))
    current: str | None = None
    words: list[list[str]] = []
    ranges: list[list[Range]] = []
    seen: set[str] = set()
    for line, record in iter_jsonl(text, name):
        doc_id = _doc_id(record, name, line)
        if doc_id != current and words:
            yield document_from_tokens(str(current), words, ranges, meta={"format": "hf"})
            words, ranges = [], []
        if doc_id != current and doc_id in seen:
            raise InputError(f"lines of document {doc_id!r} are not together", name, line)
        current = doc_id
        seen.add(doc_id)
        tokens, tags = _sentence(record, name, line, label_names)
        try:
            decoded = tags_to_ranges(tags)
        except TagError as exc:
            raise InputError(f"token {exc.index}: {exc}", name, line) from None
        words.append(tokens)
        ranges.append(decoded.ranges)
    if words:
        yield document_from_tokens(str(current), words, ranges, meta={"format": "hf"})


def _doc_id(record: dict[str, Any], name: str, line: int) -> str:
    value = record.get("doc_id", record.get("id"))
    if value is None:
        return f"{stem_of(name)}#{line}"
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        raise InputError(f"doc_id must be a string, found {value!r}", name, line)
    return str(value)


def _sentence(
    record: dict[str, Any], name: str, line: int, label_names: Sequence[str] | None
) -> tuple[list[str], list[str]]:
    tokens = record.get("tokens")
    if not isinstance(tokens, list) or not all(isinstance(t, str) and t for t in tokens):
        raise InputError("tokens must be a list of non-empty strings", name, line)
    numbers = record.get("ner_tags")
    if label_names is not None and isinstance(numbers, list):
        if not all(isinstance(n, int) and 0 <= n < len(label_names) for n in numbers):
            raise InputError(f"ner_tags must index the {len(label_names)} label names", name, line)
        tags = [label_names[n] for n in numbers]
    elif isinstance(record.get("tags"), list):
        tags = record["tags"]
    elif isinstance(numbers, list) and all(isinstance(n, str) for n in numbers):
        tags = numbers
    else:
        raise InputError("integer ner_tags need the label list (label_list.json)", name, line)
    if len(tags) != len(tokens) or not all(isinstance(t, str) for t in tags):
        raise InputError(f"{len(tokens)} tokens but {len(tags)} tags", name, line)
    return tokens, tags


def _label_file_beside(path: Path) -> list[str] | None:
    """The tag names of ``label_list.json`` in ``path``'s folder, if there is one."""
    beside = path.parent / LABEL_FILE
    return _read_label_file(beside) if beside.is_file() else None


def read_hf_folder(folder: Path, split: str = "train") -> Iterator[Document]:
    """Documents of ``<split>.jsonl`` in a folder :func:`write_hf_folder` wrote."""
    yield from read_hf(folder / f"{split}.jsonl", label_names=_read_label_file(folder / LABEL_FILE))


def _read_label_file(names_path: Path) -> list[str]:
    try:
        names = json.loads(names_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read the label list: {exc}", str(names_path)) from None
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise InputError("the label list must be a JSON list of tag names", str(names_path))
    return names
