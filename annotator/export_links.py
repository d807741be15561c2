"""The relations and events an exported document carries, and what a format leaves out.

Beside ``exporting.py`` (which chooses articles and layers): a document gets the links of the
layers chosen for it, so the gate that bounds the layers bounds the links too. A format with no
annotator per span sees each span once (``dedupe``); its links are then re-pointed at the span
kept for their ends' ``(start, end, label)``, and links that became the same are written once.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from annotator.link_records import order_arguments
from annotator.model import Document, Event, EventArgument, Relation, Schema, Span

if TYPE_CHECKING:
    from annotator.link_records import LinkRows

LINK_FORMATS = {("jsonl", "native"), ("brat", ""), ("jsonl", "events"), ("jsonl", "doccano"),
                ("jsonl", "labelstudio"), ("jsonl", "prodigy")}
"""``(format, flavor)`` pairs whose writers carry relations and events (flavor ``""`` for
formats without flavors). Every other writer leaves them out and the export says how many."""
ROLES_AS_RELATIONS = {("jsonl", "doccano"), ("jsonl", "labelstudio"), ("jsonl", "prodigy")}
"""Writers with relations but no event frame: each filled role travels as a relation from the
trigger (:mod:`annotator.text.links`), so an event without a filled role is left out."""


def with_links(doc: Document, store: LinkRows, article_id: int, layers: tuple[str, ...],
               schema: Schema, *, dedupe: bool) -> Document:
    """``doc`` (its spans already chosen) with the relations and events of ``layers``."""
    if not layers:
        return doc
    relations = store.relations(article_id, layers)
    events = [order_arguments(e, schema) for e in store.events(article_id, layers)]
    if not (relations or events):
        return doc
    if dedupe:
        kept = {span.key: span for span in doc.spans}
        relations, events = _repointed_relations(relations, kept), _repointed_events(events, kept)
    return Document(doc.doc_id, doc.text, doc.title, doc.spans, doc.meta, tuple(relations),
                    tuple(events))


def _repointed_relations(relations: list[Relation], kept: dict[tuple[int, int, str], Span]
                         ) -> list[Relation]:
    out: dict[tuple[object, ...], Relation] = {}
    for r in relations:
        head, tail = kept[r.head.key], kept[r.tail.key]
        out.setdefault(r.key, Relation(r.type, head, tail, head.annotator, r.id, r.provenance))
    return list(out.values())


def _repointed_events(events: list[Event], kept: dict[tuple[int, int, str], Span]) -> list[Event]:
    out: dict[tuple[object, ...], Event] = {}
    for e in events:
        trigger = kept[e.trigger.key]
        arguments = tuple(EventArgument(a.role, kept[a.span.key]) for a in e.arguments)
        held = out.get(e.key)
        if held is not None:  # two layers' frames of one trigger: their arguments together
            arguments = held.arguments + tuple(a for a in arguments if a not in held.arguments)
        out[e.key] = Event(e.type, trigger, arguments, trigger.annotator,
                           held.id if held else e.id, e.provenance)
    return list(out.values())


def carries_links(format: str, flavor: str) -> bool:
    """Whether the writer of ``format`` (``flavor`` for JSONL) writes relations and events."""
    return (format, flavor if format == "jsonl" else "") in LINK_FORMATS


FORMAT_NAMES = {"doccano": "doccano", "labelstudio": "Label Studio", "prodigy": "Prodigy",
                "conll": "CoNLL", "hf": "Hugging Face", "spacy": "spaCy"}


def why_left_out(format: str, flavor: str = "") -> str:
    """Why the writer of ``format``/``flavor`` leaves links out, naming it (the card and the
    terminal say it after the counts).

    >>> why_left_out("jsonl", "prodigy")
    'Prodigy has no event frame: each filled role travels as a relation from the trigger, so an event with no filled role has nothing to travel as (its trigger is still written, as an entity)'
    >>> why_left_out("conll")
    'CoNLL cannot express relations or events (their spans are written)'
    """
    key = flavor if format == "jsonl" and flavor else format
    name = FORMAT_NAMES.get(key, key)
    if (format, flavor) in ROLES_AS_RELATIONS:
        return (f"{name} has no event frame: each filled role travels as a relation from the "
                "trigger, so an event with no filled role has nothing to travel as (its trigger "
                "is still written, as an entity)")
    return f"{name} cannot express relations or events (their spans are written)"


def count_left_out(doc: Document, left_out: Counter[str], format: str = "", flavor: str = ""
                   ) -> None:
    """Count ``doc``'s links the writer of ``format``/``flavor`` leaves out: ``relations`` and
    ``events`` where it has no links, ``events without a filled role`` where roles travel as
    relations."""
    if (format, flavor) in ROLES_AS_RELATIONS:
        empty = sum(1 for event in doc.events if not event.arguments)
        if empty:
            left_out["events without a filled role"] += empty
        return
    if carries_links(format, flavor):
        return
    if doc.relations:
        left_out["relations"] += len(doc.relations)
    if doc.events:
        left_out["events"] += len(doc.events)
