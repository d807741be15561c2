"""From a project to training files: choose a layer, split, write each format, describe it.

Every file is written through :func:`annotator.atomic_files.atomic_write`, so an interrupted
export never leaves a truncated file under the final name. Beside the data goes a small dataset
card (counts per label and split, tag scheme, tokenizer, source layer) and the token-level
writers' report of every span they had to drop (overlaps: longest first; see docs/adr/0002).

Which layers an export may read is the exporting user's session's decision
(:func:`check_source`): ``all`` means every layer, so it needs a session that may read every
layer; an annotator in a blind project exports her own layer (``--source NAME``).
"""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, cast

from annotator.adjudication import adjudicated_ids
from annotator.atomic_files import atomic_write
from annotator.errors import AnnotatorError, PermissionDenied
from annotator.formats import conll, doccano, jsonl, labelstudio, prodigy
from annotator.formats.tokens import DroppedSpan
from annotator.model import GOLD, Article, Document, Span, check_span, sort_spans
from annotator.project import Project

if TYPE_CHECKING:
    from annotator.project import Session

FORMATS = ("conll", "jsonl", "spacy")
FLAVORS = ("native", "doccano", "prodigy", "labelstudio", "hf")
SCHEMES = ("iob2", "bioes")
SPLIT_NAMES = ("train", "dev", "test")


@dataclass
class ExportOptions:
    format: str = "jsonl"
    flavor: str = "native"
    scheme: str = "iob2"
    source: str = "all"
    split: tuple[int, ...] | None = None
    seed: int = 0


@dataclass
class ExportResult:
    """What was written where, with counts, and what token formats had to drop."""

    files: list[Path] = field(default_factory=list)
    documents: dict[str, int] = field(default_factory=dict)
    spans_per_label: dict[str, Counter[str]] = field(default_factory=dict)
    dropped: list[DroppedSpan] = field(default_factory=list)
    split_tokens: int = 0
    card: Path | None = None


def parse_split(text: str) -> tuple[int, ...]:
    """``"80/10/10"`` -> ``(80, 10, 10)``; two or three parts summing to 100.

    >>> parse_split("80/10/10")
    (80, 10, 10)
    """
    try:
        parts = tuple(int(p) for p in text.split("/"))
    except ValueError:
        raise AnnotatorError(f"--split {text!r}: expected numbers like 80/10/10") from None
    if len(parts) not in (2, 3) or sum(parts) != 100 or min(parts) < 0:
        raise AnnotatorError(f"--split {text!r}: two or three parts that sum to 100")
    return parts


def source_article_ids(project: Project, source: str) -> list[int]:
    """The articles an export of ``source`` holds: all, the adjudicated ones, or a layer's.

    ``gold`` and a named layer include only the articles that layer worked on (for gold: the
    fully adjudicated ones), so an unlabelled or undecided article never poses as a negative
    example.
    """
    if source == "all":
        return project.store.article_ids()
    if source == GOLD:
        return adjudicated_ids(project)
    return project.store.articles_of_layer(source)


def source_documents(project: Project, source: str, ids: Iterable[int], *, dedupe: bool = False
                     ) -> Iterator[Document]:
    """The articles ``ids`` with the spans of ``source``, one at a time (never all in memory).

    ``dedupe`` keeps one span where layers agree, for formats with no annotator per span.
    """
    store = project.store
    layers = None if source == "all" else [source]
    for article_id in ids:
        article = store.article(article_id)
        spans = store.spans(article_id, layers)
        yield _document(article, _dedupe(spans) if dedupe else spans)


def _dedupe(spans: list[Span]) -> list[Span]:
    """One span per (start, end, label) when layers agree, so token formats see it once."""
    seen: dict[tuple[int, int, str], Span] = {}
    for span in spans:
        seen.setdefault(span.key, span)
    return sort_spans(list(seen.values()))


def _document(article: Article, spans: list[Span]) -> Document:
    for span in spans:
        check_span(article.text, span)
    meta = dict(article.meta)
    return Document(article.doc_id, article.text, article.title, tuple(spans), meta)


def split_ids(ids: list[int], split: tuple[int, ...] | None, seed: int) -> dict[str, list[int]]:
    """Shuffle reproducibly with ``seed`` and cut by percentages (names train/dev/test).

    >>> {name: len(ids) for name, ids in split_ids(list(range(10)), (80, 10, 10), seed=1).items()}
    {'train': 8, 'dev': 1, 'test': 1}
    """
    if split is None:
        return {"all": ids}
    order = list(ids)
    random.Random(seed).shuffle(order)
    names = SPLIT_NAMES if len(split) == 3 else ("train", "test")
    parts: dict[str, list[int]] = {}
    start = 0
    for i, share in enumerate(split):
        end = len(order) if i == len(split) - 1 else start + round(len(order) * share / 100)
        parts[names[i]] = order[start:end]
        start = end
    return parts


def check_source(session: Session, source: str) -> None:
    """Refuse an export source the session may not read, in one line naming what it may.

    ``all`` is not quietly narrowed to the readable layers: a file called "all" that silently
    lacks the others' work would be mistaken for the whole corpus.
    """
    if source == "all":
        if not session.sees_all():
            raise PermissionDenied(
                f"{session.user} is {session.role} in a {session.visibility()} project: --source all"
                f" reads every layer; export your own with --source {session.user}")
        return
    session.require_read(source)


def export_project(project: Project, out: Path, options: ExportOptions,
                   progress: Callable[[int], None] | None = None, *,
                   session: Session | None = None) -> ExportResult:
    """Write the project's documents to ``out`` (one file per split: ``news.train.conll`` …).

    ``session`` is who exports (see :func:`check_source`); None is a script trusted with the file.
    """
    _check_options(options)
    if session is not None:
        check_source(session, options.source)
    if options.source not in ("all", GOLD) and options.source not in project.store.annotators():
        layers = project.store.annotators() if session is None else session.readable_layers()
        raise AnnotatorError(f"no layer {options.source!r}; layers: {', '.join(layers)}")
    # Only our native JSONL and Label Studio carry an annotator per span; the rest would see an
    # agreement as two identical spans.
    keeps_layers = options.format == "jsonl" and options.flavor in ("native", "labelstudio")
    ids = source_article_ids(project, options.source)
    if not ids:
        raise AnnotatorError(f"nothing to export from source {options.source!r}")
    result = ExportResult()
    out.parent.mkdir(parents=True, exist_ok=True)
    done = 0
    for part, part_ids in split_ids(ids, options.split, options.seed).items():
        path = out if part == "all" else out.with_name(f"{out.stem}.{part}{out.suffix}")
        labels: Counter[str] = Counter()
        docs = source_documents(project, options.source, part_ids, dedupe=not keeps_layers)
        _write(path, _counting(docs, labels, done, progress), options, project, result)
        done += len(part_ids)
        result.files.append(path)
        result.documents[part] = len(part_ids)
        result.spans_per_label[part] = labels
    if options.format == "jsonl" and options.flavor == "hf":
        _write_hf_labels(out, project, options.scheme)
    result.card = _write_card(out, options, project, result)
    return result


def _write_hf_labels(out: Path, project: Project, scheme: str) -> Path:
    """``<stem>.labels.json``: the tag names in ``ner_tags`` integer order (a ClassLabel's names)."""
    from annotator.formats import hf

    path = out.with_name(f"{out.stem}.labels.json")
    with atomic_write(path, "w", newline="\n") as handle:
        json.dump(hf.label_list(project.schema.names, scheme), handle, ensure_ascii=False)
    return path


def _counting(docs: Iterator[Document], labels: Counter[str], done: int,
              progress: Callable[[int], None] | None) -> Iterator[Document]:
    """Pass documents through, counting labels and reporting progress as the writer takes them."""
    for n, doc in enumerate(docs, done + 1):
        labels.update(span.label for span in doc.spans)
        if progress:
            progress(n)
        yield doc


def _check_options(options: ExportOptions) -> None:
    if options.format not in FORMATS:
        raise AnnotatorError(f"unknown format {options.format!r}; one of {', '.join(FORMATS)}")
    if options.format == "jsonl" and options.flavor not in FLAVORS:
        raise AnnotatorError(f"unknown flavor {options.flavor!r}; one of {', '.join(FLAVORS)}")
    if options.scheme not in SCHEMES:
        raise AnnotatorError(f"unknown scheme {options.scheme!r}; one of {', '.join(SCHEMES)}")


def _write(path: Path, docs: Iterable[Document], options: ExportOptions, project: Project,
           result: ExportResult) -> None:
    if options.format == "spacy":
        from annotator.formats import spacy_docbin

        with atomic_write(path, "wb", encoding=None) as handle:
            handle.write(spacy_docbin.docbin_bytes(docs))
        return
    with atomic_write(path, "w", newline="\n") as stream:
        handle = cast(TextIO, stream)
        if options.format == "conll":
            report = conll.write_conll(docs, handle, scheme=options.scheme)
            result.dropped.extend(report.dropped)
            result.split_tokens += report.split_tokens
        elif options.flavor == "native":
            jsonl.write_jsonl(docs, handle)
        elif options.flavor == "doccano":
            doccano.write_doccano(docs, handle)
        elif options.flavor == "prodigy":
            prodigy.write_prodigy(docs, handle)
        elif options.flavor == "labelstudio":
            labelstudio.write_labelstudio(docs, handle)
        elif options.flavor == "hf":
            from annotator.formats import hf

            report = hf.write_hf(docs, handle, labels=project.schema.names, scheme=options.scheme)
            result.dropped.extend(report.dropped)
            result.split_tokens += report.split_tokens


def _write_card(out: Path, options: ExportOptions, project: Project, result: ExportResult) -> Path:
    """A dataset card beside the data (``.card.md`` for people, ``.card.json`` for scripts)."""
    card = out.with_name(f"{out.stem}.card.md")
    token_level = options.format in ("conll", "spacy") or options.flavor == "hf"
    lines = [
        f"# {out.stem}", "",
        f"- project: `{project.path.name}` (schema {project.schema.name!r} v{project.schema.version})",
        f"- source layer: `{options.source}`",
        f"- format: {options.format}" + (f" ({options.flavor})" if options.format == "jsonl" else ""),
        "- tokenizer: annotator.text.tokenize (Arabic punctuation split off, numbers whole,"
        " tatweel and diacritics kept inside words)",
    ]
    if token_level:
        lines.append(f"- tag scheme: {options.scheme}")
        lines.append(f"- overlapping spans: longest first; {len(result.dropped)} dropped (listed below);"
                     f" {result.split_tokens} tokens split at span boundaries")
    else:
        lines.append("- overlapping spans: all kept")
    split = "/".join(map(str, options.split)) + f" with seed {options.seed}" if options.split else "none"
    lines += [f"- split: {split}", "",
              "| label | " + " | ".join(result.documents) + " |",
              "|---|" + "---|" * len(result.documents)]
    labels = sorted({label for counts in result.spans_per_label.values() for label in counts})
    for label in labels:
        counts = (str(result.spans_per_label[part][label]) for part in result.documents)
        lines.append(f"| {label} | " + " | ".join(counts) + " |")
    lines.append("| *documents* | " + " | ".join(str(n) for n in result.documents.values()) + " |")
    if result.dropped:
        lines += ["", "## Dropped spans", ""] + [f"- {d}" for d in result.dropped]
    with atomic_write(card, "w", newline="\n") as handle:
        handle.write("\n".join(lines) + "\n")
    with atomic_write(out.with_name(f"{out.stem}.card.json"), "w", newline="\n") as handle:
        json.dump(_card_json(options, project, result), handle, ensure_ascii=False, indent=2)
    return card


def _card_json(options: ExportOptions, project: Project, result: ExportResult) -> dict[str, Any]:
    return {
        "schema": {"name": project.schema.name, "version": project.schema.version,
                   "labels": list(project.schema.names)},
        "options": {**options.__dict__, "split": list(options.split) if options.split else None},
        "documents": result.documents,
        "spans_per_label": {k: dict(v) for k, v in result.spans_per_label.items()},
        "dropped": [str(d) for d in result.dropped],
        "split_tokens": result.split_tokens,
        "files": [p.name for p in result.files],
    }
