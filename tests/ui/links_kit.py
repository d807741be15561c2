"""A desk on the hand-written strike reports (tests/fixtures/strike_links.json), spans labelled.

The fixture's gold spans are imported as the user's own layer, so a test starts where an
annotator who has labelled the entities starts linking them; the links themselves are made in
the test (by keys or by mouse) and checked in the store, by span text and exact offsets.
"""

from __future__ import annotations

import json
from pathlib import Path

from annotator.importing import import_documents
from annotator.model import Document, Span, make_span
from annotator.project import Project
from tests.ui.conftest import USER

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SCHEMA = FIXTURES / "strike_links_schema.json"
ARTICLES = {item["doc_id"]: item for item in json.loads((FIXTURES / "strike_links.json").read_text("utf-8"))}


def gold_document(doc_id: str) -> Document:
    item = ARTICLES[doc_id]
    text = item["text"]
    spans = [make_span(text, text.index(words), text.index(words) + len(words), label)
             for words, label in item["spans"]]
    return Document(doc_id, text, title=doc_id, spans=tuple(spans))


def make_links_project(path: Path, *, others: dict[str, list[str]] | None = None) -> Path:
    """The three strike reports with their gold spans in ``USER``'s layer (and in the layers
    named by ``others``, doc ids each, for the read-only view)."""
    project = Project.create(path, SCHEMA)
    docs = [gold_document(doc_id) for doc_id in ARTICLES]
    import_documents(project, docs, as_annotator=USER)
    for layer, doc_ids in (others or {}).items():
        import_documents(project, [d for d in docs if d.doc_id in doc_ids], as_annotator=layer)
    project.close()
    return path


def span_of(window, text: str) -> Span:  # noqa: ANN001
    """The user's span whose text is ``text`` on the open article."""
    return next(s for s in window.view.spans if s.text == text)


def stored_relations(window) -> list[tuple[str, str, str, int, int, int, int]]:  # noqa: ANN001
    aid = window.controller.article_id
    return sorted((r.type, r.head.text, r.tail.text, r.head.start, r.head.end, r.tail.start, r.tail.end)
                  for r in window.session.relations(aid))


def stored_roles(window) -> list[tuple[str, str, str, str]]:  # noqa: ANN001
    aid = window.controller.article_id
    return sorted((e.type, e.trigger.text, a.role, a.span.text)
                  for e in window.session.events(aid) for a in e.arguments)


def at(doc_id: str, words: str) -> tuple[int, int]:
    text = ARTICLES[doc_id]["text"]
    return text.index(words), text.index(words) + len(words)


def add_gold_links(session, article_id: int, doc_id: str, *, leave: tuple[str, ...] = ()) -> None:  # noqa: ANN001
    """Store the fixture's gold relations and events of ``doc_id`` through the session (the
    roles named in ``leave`` left empty)."""
    spans = {s.text: s for s in session.spans(article_id)}
    item = ARTICLES[doc_id]
    for kind, head, tail in item["relations"]:
        session.add_relation(article_id, kind, spans[head].id, spans[tail].id)
    for event in item["events"]:
        made = session.add_event(article_id, spans[event["trigger"]].id, event["type"])
        for role, filler in event["arguments"]:
            if role in leave:
                continue
            made = session.set_argument(article_id, made.id, role, spans[filler].id)
