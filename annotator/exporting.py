"""From a project to training files: choose the layers, split, write each format, describe it.

What goes in is decided in one place, :func:`choose_layers`: by default the **human work** (gold
where an article is adjudicated, else its finished human layers); machine layers only when named;
unlabelled or unfinished articles only when asked for. Every file is written through
:func:`annotator.atomic_files.atomic_write`, so an interrupted export never leaves a truncated
file under the final name. Beside the data goes a dataset card (:mod:`annotator.export_card`):
which layers and articles went in, counts per label of what was *written*, and every span a
token format had to drop (overlaps: longest first; see docs/adr/0002).

Which layers an export may read is the exporting user's session's decision
(:func:`check_source`): ``all`` means every layer, so it needs a session that may read every
layer; an annotator in a blind project exports her own layer (``--source NAME``), and the
default ``human`` takes only the human work the session may read (the card says which).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, cast

from annotator.atomic_files import atomic_write
from annotator.errors import AnnotatorError, PermissionDenied
from annotator.export_links import count_left_out, with_links
from annotator.extras import require as require_extra
from annotator.formats import (
    brat,
    conll,
    doccano,
    events_json,
    jsonl,
    labelstudio,
    prodigy,
    registry,
)
from annotator.model import GOLD, Article, Document, Span, check_span, sort_spans
from annotator.project import Project
from annotator.suggest.layers import is_suggestion_layer, registered_layers
from annotator.text.token_lists import DroppedSpan

if TYPE_CHECKING:
    from annotator.project import Session

FORMATS = registry.export_formats()  # the one list: annotator.formats.registry
FLAVORS = registry.export_flavors()
SCHEMES = ("iob2", "bioes")
SPLIT_NAMES = ("train", "dev", "test")
HF_SPLIT_NAMES = ("train", "validation", "test")
"""The Hub calls the middle split ``validation``; spaCy and CoNLL users say ``dev``."""


@dataclass
class ExportOptions:
    format: str = "jsonl"
    flavor: str = "native"
    scheme: str = "iob2"
    source: str = "human"
    split: tuple[int, ...] | None = None
    seed: int = 0
    include_unfinished: bool = False


@dataclass
class ExportResult:
    """What was written where: the articles and layers that went in, counts per label of what
    was written (per split), what token formats had to drop, and what was left out and why."""

    files: list[Path] = field(default_factory=list)
    documents: dict[str, int] = field(default_factory=dict)
    spans_per_label: dict[str, Counter[str]] = field(default_factory=dict)
    dropped: list[DroppedSpan] = field(default_factory=list)
    split_tokens: int = 0
    card: Path | None = None
    articles: list[tuple[str, str, tuple[str, ...]]] = field(default_factory=list)
    """``(doc_id, split, layers)`` of every exported article, in written order."""
    left_out: Counter[str] = field(default_factory=Counter)
    links_left_out: Counter[str] = field(default_factory=Counter)
    """Relations and events (``relations``, ``events``) a format without links did not write."""
    layers: list[str] = field(default_factory=list)
    folder: Path | None = None
    """The folder of a Hugging Face export (its ``README.md`` is the card)."""


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


HUMAN = "human"
ALL = "all"
MACHINE_PREFIXES = ("prediction:",)
"""Layers a reader names for a model beyond the suggestion prefixes: Label Studio predictions."""


@dataclass(frozen=True)
class ArticleLayers:
    """One exported article and the layers whose spans it carries (empty: an all-O article)."""

    article_id: int
    layers: tuple[str, ...]


@dataclass
class LayerChoice:
    """What an export holds: articles with their layers, and how many were left out and why."""

    articles: list[ArticleLayers] = field(default_factory=list)
    left_out: Counter[str] = field(default_factory=Counter)

    @property
    def layers(self) -> list[str]:
        return sorted({layer for a in self.articles for layer in a.layers})


def choose_layers(project: Project, source: str = HUMAN, *, include_unfinished: bool = False,
                  readable: Collection[str] | None = None) -> LayerChoice:
    """Which layers of which articles an export of ``source`` holds: the one place that decides.

    ``source`` is ``human`` (the default: gold where an article is adjudicated, else its
    finished human layers), ``gold``, ``all`` (every layer, machine ones too, finished or not)
    or a comma-separated list of layer names (``ali,mona``, ``suggest:crf``). A human layer is
    *finished* on an article when its user marked it done, or when it was imported and nobody
    has worked on it in the desk since (finished work where it came from). Machine layers
    (``suggest:*``, ``model-*``, registered suggestion layers, ``prediction:*``) go in only when
    named. ``include_unfinished`` adds in-progress human work and, for ``human``/``all``, every
    article nobody labelled (as all-O examples). ``readable`` lists the layers the caller may read (None: all); a named
    layer outside it is refused, and the others never go in.

    Why in one place: the CLI, the desk and the card must agree on what "the export" is, and a
    permission check added here covers every format.
    """
    store = project.store
    spans = store.layers_by_article()
    states = store.states_by_article()
    registered = registered_layers(store)
    may_read = (lambda name: True) if readable is None else set(readable).__contains__
    named = _named_layers(project, source, may_read)
    choice = LayerChoice()
    for article_id in store.article_ids():
        worked = _worked(spans.get(article_id, {}), states.get(article_id, {}), may_read)
        if named is None:
            layers, reason = _default_layers(worked, source, registered, include_unfinished)
        else:
            layers = tuple(n for n in named if n in worked
                           and (include_unfinished or worked[n] or _is_machine(n, registered)))
            reason = "without finished work of " + ", ".join(named) if worked else "unlabelled"
        # All-O examples come with human/all only: under named layers an article they did not
        # touch may be someone else's (unreadable) work, not a negative example of theirs.
        if layers or (include_unfinished and named is None):
            choice.articles.append(ArticleLayers(article_id, layers))
        else:
            choice.left_out[reason] += 1
    return choice


def _named_layers(project: Project, source: str, may_read: Callable[[str], bool]
                  ) -> list[str] | None:
    """The layers ``source`` names (``gold`` included), checked; None for ``human``/``all``."""
    if source in (HUMAN, ALL):
        return None
    names = [n for n in source.split(",") if n]  # as written: ' gold' is no layer, not gold
    known = set(project.store.annotators()) | {GOLD}
    for name in names:
        if name not in known:
            raise AnnotatorError(f"no layer {name!r}; layers: {', '.join(sorted(known))}")
        if not may_read(name):
            raise PermissionDenied(f"you may not read layer {name!r}")
    if not names:
        raise AnnotatorError("--source names no layer")
    return names


def _worked(spans: Mapping[str, int], states: Mapping[str, str], may_read: Callable[[str], bool]
            ) -> dict[str, bool]:
    """``{layer: finished?}`` of the readable layers that worked on one article.

    A layer worked on an article when it has spans there or its user marked it (not ``new``).
    Finished: marked ``done`` (gold: adjudicated), or spans with no state at all (an import).
    """
    out = {}
    for layer in set(spans) | {u for u, s in states.items() if s != "new"}:
        if may_read(layer):
            state = states.get(layer, "new")
            out[layer] = state == "done" or (state == "new" and layer != GOLD)
    return out


def _default_layers(worked: Mapping[str, bool], source: str, registered: list[str],
                    include_unfinished: bool) -> tuple[tuple[str, ...], str]:
    """``human`` and ``all``: the layers of one article, or none and the reason why."""
    if source == ALL:
        return tuple(sorted(worked)), "" if worked else "unlabelled"
    if worked.get(GOLD):
        return (GOLD,), ""
    human = {n: done for n, done in worked.items() if n != GOLD and not _is_machine(n, registered)}
    finished = tuple(sorted(n for n, done in human.items() if done))
    unfinished = tuple(sorted(n for n, done in human.items() if not done))
    if include_unfinished:
        return tuple(sorted(finished + unfinished)), ""
    if finished:
        return finished, ""
    if unfinished or GOLD in worked:
        return (), "unfinished"
    return (), "machine layers only" if worked else "unlabelled"


def _is_machine(layer: str, registered: list[str]) -> bool:
    return is_suggestion_layer(layer, registered) or layer.startswith(MACHINE_PREFIXES)


def source_article_ids(project: Project, source: str) -> list[int]:
    """The article ids an export of ``source`` holds (see :func:`choose_layers`)."""
    return [a.article_id for a in choose_layers(project, source).articles]


def source_documents(project: Project, source: str, ids: Iterable[int], *, dedupe: bool = False
                     ) -> Iterator[Document]:
    """The articles ``ids`` with the spans :func:`choose_layers` picks for ``source``."""
    layers = {a.article_id: a.layers for a in choose_layers(project, source).articles}
    return _documents(project, ids, layers, dedupe=dedupe)


def _documents(project: Project, ids: Iterable[int], layers: Mapping[int, tuple[str, ...]], *,
               dedupe: bool) -> Iterator[Document]:
    """The articles ``ids`` with their chosen layers' spans, one at a time (never all in memory).

    ``dedupe`` keeps one span where layers agree, for formats with no annotator per span.
    """
    store = project.store
    # Asked once: two link queries per article cost ~46 us (4.6 s of 100,000 articles), which a
    # project without relations or events should not pay.
    linked = bool(store.link_counts())
    for article_id in ids:
        article = store.article(article_id)
        chosen = layers.get(article_id, ())
        spans = store.spans(article_id, chosen) if chosen else []
        doc = _document(article, _dedupe(spans) if dedupe else spans)
        yield with_links(doc, store, article_id, chosen, project.schema, dedupe=dedupe) if linked else doc


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


def split_ids(ids: list[int], split: tuple[int, ...] | None, seed: int,
              names: tuple[str, str, str] = SPLIT_NAMES) -> dict[str, list[int]]:
    """Shuffle reproducibly with ``seed`` and cut by percentages (names train/dev/test).

    A share of 0 (``90/0/10``) names no split; a positive share that gets no article is an
    error: a 0-byte ``test`` file would pass unnoticed until an evaluation reports nothing.

    >>> {name: len(ids) for name, ids in split_ids(list(range(10)), (80, 10, 10), seed=1).items()}
    {'train': 8, 'dev': 1, 'test': 1}
    """
    if split is None:
        return {"all": ids}
    order = list(ids)
    random.Random(seed).shuffle(order)
    chosen: tuple[str, ...] = names if len(split) == 3 else (names[0], names[2])
    parts: dict[str, list[int]] = {}
    start = 0
    for i, share in enumerate(split):
        end = len(order) if i == len(split) - 1 else start + round(len(order) * share / 100)
        if share and end == start:
            raise AnnotatorError(
                f"--split {'/'.join(map(str, split))}: {len(order)} articles leave the "
                f"{chosen[i]} split empty; export more articles or change the split")
        if share:
            parts[chosen[i]] = order[start:end]
        start = end
    return parts


def check_source(session: Session, source: str) -> None:
    """Refuse an export source the session may not read, in one line naming what it may.

    ``all`` is not quietly narrowed to the readable layers: a file called "all" that silently
    lacks the others' work would be mistaken for the whole corpus.
    """
    if source == ALL:
        if not session.sees_all():
            raise PermissionDenied(
                f"{session.user} is {session.role} in a {session.visibility()} project: --source all"
                f" reads every layer; export your own with --source {session.user}")
        return
    if source == HUMAN:
        return  # the human work this session may read; the card lists the layers it took
    for name in (n for n in source.split(",") if n):
        session.require_read(name)


def export_project(project: Project, out: Path, options: ExportOptions,
                   progress: Callable[[int], None] | None = None, *,
                   session: Session | None = None,
                   readable: Collection[str] | None = None) -> ExportResult:
    """Write the chosen documents to ``out`` (one file per split: ``news.train.conll`` …).

    The Hugging Face flavor writes a folder instead (``out`` without its suffix): one
    ``<split>.jsonl`` per split, ``label_list.json`` and a Hub ``README.md``.
    ``session`` is who exports (see :func:`check_source`; it bounds the layers read to
    ``session.readable_layers()``); ``readable`` bounds them for a caller without a session.
    None for both is a script trusted with the file.
    """
    _check_options(options)
    if session is not None:
        check_source(session, options.source)
        readable = session.readable_layers()
    if options.format == "spacy":
        require_extra("spacy")  # one line naming the extra, before any file is opened
    if options.format == "brat" and out.exists() and not out.is_dir():
        raise AnnotatorError(f"{out}: brat writes a folder (one per layer inside it); name a"
                             " folder, not a file")
    if options.format == "jsonl" and options.flavor == "labelstudio" and out.suffix != ".json":
        raise AnnotatorError(f"{out}: Label Studio imports tasks as a JSON array from a .json "
                             f"file; name the output {out.stem}.json")
    choice = choose_layers(project, options.source, include_unfinished=options.include_unfinished,
                           readable=readable)
    if not choice.articles:
        raise AnnotatorError(_nothing_message(options.source, choice.left_out))
    layers = {a.article_id: a.layers for a in choice.articles}
    hf_flavor = options.format == "jsonl" and options.flavor == "hf"
    parts = split_ids([a.article_id for a in choice.articles], options.split, options.seed,
                      HF_SPLIT_NAMES if hf_flavor else SPLIT_NAMES)
    result = ExportResult(left_out=choice.left_out, layers=choice.layers)
    if hf_flavor:
        parts = {"train" if k == "all" else k: v for k, v in parts.items()}
        result.folder = out.with_suffix("") if out.suffix else out
        result.folder.mkdir(parents=True, exist_ok=True)
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
    # Only our native JSONL and Label Studio carry an annotator per span; the rest would see an
    # agreement as two identical spans.
    keeps_layers = options.format == "brat" or (
        options.format == "jsonl" and options.flavor in ("native", "labelstudio", "events"))
    done = 0
    for part, part_ids in parts.items():
        path = _part_path(out, part, options, result.folder)
        labels: Counter[str] = Counter()
        docs = _documents(project, part_ids, layers, dedupe=not keeps_layers)
        docs = _counting(zip(part_ids, docs), labels, done, progress, result, part, layers,
                         (options.format, options.flavor if options.format == "jsonl" else ""))
        written = _write(path, docs, options, project, result)
        done += len(part_ids)
        result.files.append(path)
        result.documents[part] = len(part_ids)
        result.spans_per_label[part] = written if written is not None else labels
    from annotator.export_card import write_card  # the card needs this module's results

    result.card = write_card(out, options, project, result)
    return result


def _part_path(out: Path, part: str, options: ExportOptions, folder: Path | None) -> Path:
    if folder is not None:
        return folder / f"{part}.jsonl"
    if options.format == "brat":  # a folder per split, a folder per layer inside it
        return out if part == "all" else out / part
    return out if part == "all" else out.with_name(f"{out.stem}.{part}{out.suffix}")


def _nothing_message(source: str, left_out: Mapping[str, int]) -> str:
    why = "; ".join(f"{n} {reason}" for reason, n in sorted(left_out.items()))
    hint = (" (machine layers go in only when named: --source suggest:crf; unfinished and"
            " unlabelled articles with --include-unfinished)")
    return f"nothing to export from source {source!r}" + (f": {why}" if why else "") + hint


def _counting(docs: Iterable[tuple[int, Document]], labels: Counter[str], done: int,
              progress: Callable[[int], None] | None, result: ExportResult, part: str,
              layers: Mapping[int, tuple[str, ...]], writer: tuple[str, str]
              ) -> Iterator[Document]:
    """Pass ``(article id, document)`` pairs through as documents, counting labels (and the
    links a format without them leaves out), recording what went in and reporting progress
    as the writer takes them."""
    for n, (article_id, doc) in enumerate(docs, done + 1):
        labels.update(span.label for span in doc.spans)
        count_left_out(doc, result.links_left_out, *writer)
        result.articles.append((doc.doc_id, part, layers.get(article_id, ())))
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
           result: ExportResult) -> Counter[str] | None:
    """Write one file; the token formats return the counts of the entities they wrote
    (after overlaps were dropped), the others None (every span given is written)."""
    if options.format == "brat":
        brat.write_brat(docs, path, project.schema)
        return None
    if options.format == "spacy":
        from annotator.formats import spacy_docbin

        with atomic_write(path, "wb", encoding=None) as handle:
            bin_, report = spacy_docbin.to_docbin(docs)
            handle.write(bin_.to_bytes())
        return _token_report(report, result)
    with atomic_write(path, "w", newline="\n") as stream:
        handle = cast(TextIO, stream)
        if options.format == "conll":
            return _token_report(conll.write_conll(docs, handle, scheme=options.scheme), result)
        if options.flavor == "hf":
            from annotator.formats import hf

            report = hf.write_hf(docs, handle, labels=project.schema.names, scheme=options.scheme)
            return _token_report(report, result)
        if options.flavor == "doccano":
            # doccano imports one shape per file (a relation project reads "entities", a plain
            # one "label"): the relation shape for every line once an exported layer has links.
            linked = {row[1] for row in project.store.link_counts() if row[0] != "argument"}
            doccano.write_doccano(docs, handle, relations=bool(linked & set(result.layers)))
            return None
        writer = {"native": jsonl.write_jsonl, "prodigy": prodigy.write_prodigy,
                  "labelstudio": labelstudio.write_labelstudio,
                  "events": events_json.write_events_json}
        writer[options.flavor](docs, handle)
    return None



def _token_report(report: Any, result: ExportResult) -> Counter[str]:
    result.dropped.extend(report.dropped)
    result.split_tokens += report.split_tokens
    return Counter(report.spans_per_label)
