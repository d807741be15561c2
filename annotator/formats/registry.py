"""The one list of formats: each one's name, file endings, offset unit, what it keeps, and how
it is imported and exported.

Why one list: the import's ``--format`` choices and its folder scan (``annotator.reading``), the
export's ``--format``/``--flavor`` choices (``annotator.exporting``), the CLI built on both and
the desk's Import dialog all read it here, so a new format is added in one place and cannot be
importable from the CLI but invisible in the desk. ``docs/formats.md`` tells the same facts at
length, with the real tool each one was checked against.

>>> [f.name for f in FORMATS if f.export == ("jsonl", "doccano")]
['doccano']
>>> read_names()[:4]
('auto', 'txt', 'jsonl', 'json')
"""

from __future__ import annotations

from dataclasses import dataclass

CODE_POINTS = "code points"
UTF16 = "UTF-16 units"
TOKENS = "token indices"
NO_SPANS = "no spans"


@dataclass(frozen=True)
class Format:
    """One format as import and export know it."""

    name: str
    """What ``annotator import --format`` calls it (and this registry's key)."""
    title: str
    suffixes: tuple[str, ...]
    """File endings an import of a folder picks up (lower case, with the dot)."""
    offsets: str
    """The unit a file of this format counts span offsets in (converted at its module)."""
    keeps: str
    export: tuple[str, str] | None = None
    """``(export --format, --flavor)`` that writes it (flavor "" when the format has none)."""


FORMATS: tuple[Format, ...] = (
    Format("txt", "plain text, one article per file", (".txt", ".text"), NO_SPANS,
           "the text; a title from its first lines, else the file stem"),
    Format("jsonl", "native JSON lines", (".jsonl", ".ndjson"), CODE_POINTS,
           "every span of every layer (annotator, provenance), overlaps, title, meta",
           ("jsonl", "native")),
    Format("json", "scraped news JSON (SaudiNewsNet and the like)", (".json",), NO_SPANS,
           "title, content; source, url, date, author as meta"),
    Format("conll", "CoNLL token-per-line, IOB2 or BIOES", (".conll", ".conllu", ".bio", ".iob", ".tsv"),
           TOKENS, "tokens and tags; overlaps only as nested columns", ("conll", "")),
    Format("doccano", "doccano JSONL", (".jsonl",), UTF16,
           "one entry per distinct (start, end, label), overlaps", ("jsonl", "doccano")),
    Format("prodigy", "Prodigy JSONL", (".jsonl",), CODE_POINTS,
           "one record per layer, tokens, input and task hashes", ("jsonl", "prodigy")),
    Format("labelstudio", "Label Studio JSON", (".json",), CODE_POINTS,
           "one annotation per layer (ground truth on gold), overlaps", ("jsonl", "labelstudio")),
    Format("ant", "ANT corpus XML", (".xml",), NO_SPANS, "title, text and the other fields as meta"),
    Format("hf", "Hugging Face token classification", (".jsonl",), TOKENS,
           "tokens and ner_tags per sentence, the label list; no overlaps", ("jsonl", "hf")),
    Format("spacy", "spaCy DocBin", (".spacy",), CODE_POINTS,
           "doc.ents, every span in doc.spans['sc'], sentences, ids and meta", ("spacy", "")),
    Format("brat", "brat standoff, a folder of .txt + .ann pairs", (".ann",), CODE_POINTS,
           "entities, relations, events (repeated roles numbered); one folder per layer",
           ("brat", "")),
    Format("events", "event-extraction JSON lines (ACE keys, as OneIE reads)", (".jsonl",),
           CODE_POINTS, "entity, relation and event mentions, one line per document and layer",
           ("jsonl", "events")),
)
BY_NAME = {f.name: f for f in FORMATS}


def read_names() -> tuple[str, ...]:
    """``annotator import --format`` choices: ``auto`` (sniffed per file), then every format."""
    return ("auto", *(f.name for f in FORMATS))


def import_suffixes() -> frozenset[str]:
    """Every file ending an import of a folder (or a zip) reads."""
    return frozenset(s for f in FORMATS for s in f.suffixes)


def export_formats() -> tuple[str, ...]:
    """``annotator export --format`` choices, sorted.

    >>> export_formats()
    ('brat', 'conll', 'jsonl', 'spacy')
    """
    return tuple(sorted({f.export[0] for f in FORMATS if f.export}))


def export_flavors() -> tuple[str, ...]:
    """``--flavor`` choices of ``--format jsonl``, in registry order (``native`` first)."""
    return tuple(f.export[1] for f in FORMATS if f.export and f.export[0] == "jsonl")


def file_patterns() -> str:
    """Every import ending as a file dialog pattern, e.g. ``*.txt *.text *.jsonl ...``."""
    seen = dict.fromkeys(s for f in FORMATS for s in f.suffixes)
    return " ".join(f"*{s}" for s in seen)
