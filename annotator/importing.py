"""Bring documents into a project: all or nothing per invocation, idempotent per article.

An article is identified by the hash of its text: importing the same text again adds nothing,
except the spans of a new layer (``--layer NAME``), so predictions or a second annotator's work can
be laid over articles already there. Unknown labels are refused (listing them) or added to the
schema, as the user chose, before anything is written. Given the importing user's session, each
layer the spans go into is checked with ``session.require_write`` (an annotator imports only
into her own layer) and adding labels with ``session.require("admin")``.

A span never starts or ends on an invisible format mark (LRM, RLM, ALM...; see
:mod:`annotator.text.marks`): an imported span that does is moved inwards off them (the text
itself is never changed), and the import counts how many it moved.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from annotator.clock import now
from annotator.errors import InputError, PermissionDenied, SchemaError
from annotator.import_links import LinkTally, store_links
from annotator.model import Document, Span, check_span, content_hash, make_span, normalize_newlines
from annotator.project import Project
from annotator.retries import retried
from annotator.schema import with_added_link_types
from annotator.text.links import schema_triggers
from annotator.text.marks import trim_marks
from annotator.text.normalize import search_key

if TYPE_CHECKING:
    from annotator.project import Session

DEFAULT_LAYER = "import"
"""Layer name of imported spans that name no annotator, when no ``--layer`` is given."""


@dataclass
class ImportReport:
    """What an import did, for the CLI and the desk to show."""

    articles_added: int = 0
    articles_existing: int = 0
    spans_added: int = 0
    spans_existing: int = 0
    labels_added: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    spans_trimmed: int = 0
    """Spans moved inwards off format marks at their ends (or dropped: nothing but marks)."""
    links: LinkTally = field(default_factory=LinkTally)
    """Relations and events stored (annotator.import_links)."""

    def summary(self) -> str:
        parts = [
            f"{self.articles_added} articles added",
            f"{self.articles_existing} already present",
            f"{self.spans_added} spans added",
        ]
        if self.spans_existing:
            parts.append(f"{self.spans_existing} spans already present")
        if self.labels_added:
            parts.append("labels added: " + ", ".join(self.labels_added))
        if self.skipped:
            parts.append(f"{len(self.skipped)} skipped")
        if self.spans_trimmed:
            parts.append(f"{self.spans_trimmed} spans moved off invisible format marks at their ends")
        parts += self.links.summary()
        return "; ".join(parts)


def import_documents(
    project: Project,
    documents: Iterable[Document],
    *,
    as_annotator: str | None = None,
    new_labels: str = "error",
    progress: Callable[[int], None] | None = None,
    session: Session | None = None,
) -> ImportReport:
    """Store ``documents`` in one transaction; any error leaves the project as it was.

    ``documents`` that can be read again (a list, :class:`~annotator.reading.PathDocuments`) are
    imported again whole after a conflict with another user's change (:mod:`annotator.retries`).

    ``new_labels`` is ``"error"`` (refuse, naming every unknown label) or ``"add"`` (admins:
    it changes the schema). ``session`` is who imports: every layer written is checked with it
    (refused layers roll the whole import back); None is a script trusted with the file.
    """
    if new_labels not in ("error", "add"):
        raise ValueError(new_labels)
    if session is not None and new_labels == "add":
        session.require("admin")

    def attempt() -> ImportReport:  # made again whole after a conflict: a fresh report
        checked: set[str] = set()
        report = ImportReport()
        store = project.store
        known = set(project.schema.names)
        unknown: set[str] = set()
        # One stamp for the whole import: it is one transaction, and a clock read per row was
        # ~7 % of an import's time.
        stamp = now()
        with store.transaction():
            store.prepare_bulk_insert()
            # Spans go in as they come, one batch per article (a million of them need not sit in
            # memory); a label problem found at the end still rolls everything back.
            schema = project.schema
            for n, read in enumerate(documents, 1):
                doc = schema_triggers(read, schema)  # brat types a trigger with its event type
                article_id = _store_article(project, doc, report, stamp)
                moved: dict[Span, Span | None] = {}
                layered = [
                    span.with_annotator(as_annotator or span.annotator or DEFAULT_LAYER)
                    for span in _off_marks(doc.text, doc.spans, report, moved)
                ]
                if session is not None:
                    for layer in {span.annotator for span in layered} - checked:
                        session.require_write(layer)
                        checked.add(layer)
                unknown.update(span.label for span in layered if span.label not in known)
                added = store.insert_spans(article_id, layered, stamp)
                report.spans_added += added
                report.spans_existing += len(layered) - added
                store_links(store, article_id, doc, _resolver(moved, as_annotator), schema, report.links)
                if progress:
                    progress(n)
            if session is not None and report.articles_added:
                _require_corpus_change(session)
            report.notes += _case_twins(unknown, known)
            if unknown and new_labels == "error":
                raise SchemaError(
                    "labels not in the schema: " + ", ".join(sorted(unknown))
                    + " (use --new-labels add to add them, --map-labels OLD=NEW to rename them,"
                    " or fix the input)" + "".join(f"; {twin}" for twin in _case_twins(unknown, known))
                )
            if unknown:
                project.add_labels(sorted(unknown))
                report.labels_added = sorted(unknown)
            _link_types(project, report, new_labels)
        return report

    if isinstance(documents, Iterator):  # a stream, read once: a conflict is reported instead
        return attempt()
    return retried(attempt)


def _link_types(project: Project, report: ImportReport, new_labels: str) -> None:
    """Refuse relation/event types (and roles) the schema lacks, or add them (``add``)."""
    links = report.links
    names = links.unknown_names()
    if not names:
        return
    if new_labels == "error":
        raise SchemaError("relation or event types (or roles) not in the schema: " + ", ".join(names)
                          + " (use --new-labels add to add them, or fix the input)")
    project.replace_schema(with_added_link_types(project.schema_data(), links.unknown_relations,
                                                 links.unknown_events),
                           note="added link types " + ", ".join(names))
    report.labels_added += names


def _resolver(moved: dict[Span, Span | None], as_annotator: str | None) -> Callable[[Span], Span | None]:
    """A reader's span -> the span as stored: moved off marks (None: dropped), then layered."""
    def resolve(span: Span) -> Span | None:
        kept = moved.get(span, span)
        return None if kept is None else kept.with_annotator(as_annotator or kept.annotator or DEFAULT_LAYER)
    return resolve


def _require_corpus_change(session: Session) -> None:
    """Adding articles to a team's corpus is an admin's or reviewer's decision, not an annotator's.

    Why: the corpus is shared (assignments, agreement, exports all count its articles); an
    annotator may import spans into her own layer for articles the project already holds.
    """
    if session.acting_role == "annotator":
        raise PermissionDenied(
            f"{session.user} is annotator: adding articles to the project needs a reviewer or admin "
            "(an annotator imports spans only for articles it already holds)")


def _case_twins(unknown: set[str], known: set[str]) -> list[str]:
    """Labels kept as written can differ only in case (``Per`` and ``PER``): say so, once.

    >>> _case_twins({"Per", "LOC"}, {"PER", "LOCATION"})
    ['labels that differ only in case: PER, Per (--map-labels Per=PER joins them)']
    """
    groups: dict[str, set[str]] = {}
    for label in unknown | known:
        groups.setdefault(label.upper(), set()).add(label)
    notes = []
    for spellings in groups.values():
        if len(spellings) > 1 and spellings & unknown:
            ordered = sorted(spellings)
            target = next((s for s in ordered if s in known), ordered[0])
            others = ",".join(f"{s}={target}" for s in ordered if s != target)
            notes.append(f"labels that differ only in case: {', '.join(ordered)} "
                         f"(--map-labels {others} joins them)")
    return notes


def _off_marks(text: str, spans: tuple[Span, ...], report: ImportReport,
               moved: dict[Span, Span | None]) -> list[Span]:
    """``spans`` with their ends moved off format marks; a span of nothing but marks is dropped.
    ``moved`` learns what became of each moved span (its links follow it)."""
    out = []
    for span in spans:
        start, end = trim_marks(text, span.start, span.end)
        if (start, end) == (span.start, span.end):
            out.append(span)
            continue
        report.spans_trimmed += 1
        moved[span] = None
        if start < end:
            trimmed = make_span(text, start, end, span.label, span.annotator, provenance=span.provenance)
            moved[span] = trimmed
            out.append(trimmed)
    return out


def _store_article(project: Project, doc: Document, report: ImportReport, stamp: str) -> int:
    store = project.store
    text = normalize_newlines(doc.text)
    if text != doc.text:
        raise InputError(f"document {doc.doc_id!r}: text still has \\r line ends (reader bug)")
    if not text.strip():
        raise InputError(f"document {doc.doc_id!r} has no text", doc.meta.get("path"))
    for span in doc.spans:
        try:
            check_span(text, span)
        except Exception as exc:
            raise InputError(f"document {doc.doc_id!r}: {exc}", doc.meta.get("path"),
                             doc.meta.get("line")) from None
    digest = content_hash(text)
    existing = store.article_id_by_hash(digest)
    if existing is not None:
        report.articles_existing += 1
        return existing
    doc_id = _unique_doc_id(project, doc.doc_id or digest[:12])
    if doc_id != doc.doc_id:
        report.notes.append(f"id {doc.doc_id!r} was taken by another text; stored as {doc_id!r}")
    meta = dict(doc.meta)
    article_id = store.insert_article(
        doc_id=doc_id, title=doc.title, text=text, meta=meta, content_hash=digest,
        source_path=str(meta.get("path", "")), title_key=search_key(doc.title),
        text_key=search_key(text), imported_at=stamp,
    )
    report.articles_added += 1
    return article_id


def _unique_doc_id(project: Project, doc_id: str) -> str:
    candidate, n = doc_id, 1
    while project.store.doc_id_taken(candidate):
        n += 1
        candidate = f"{doc_id}~{n}"
    return candidate
