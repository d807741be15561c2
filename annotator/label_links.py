"""What merging one label into another does to links: they move to the surviving span.

``schema --rename PER PERSON`` onto an existing ``PERSON`` relabels every ``PER`` span, and
deletes the ones whose layer already holds the same range as ``PERSON`` (the store's
``merge_label``). Those deleted twins may carry relations and event roles; the FOREIGN KEY's
cascade would drop them silently. Here they are read before the merge and put back on the
surviving span after it, in the same transaction. Only projects holding links pay for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from annotator.model import Event, EventArgument, Relation, Span

if TYPE_CHECKING:
    from annotator.link_records import LinkRows

    class MergeRows(LinkRows, Protocol):
        def article_ids(self) -> list[int]: ...
        def link_counts(self) -> list[tuple[str, str, str, int]]: ...


@dataclass
class Twins:
    """One article's links that touch a span about to be merged away, and where it goes."""

    article_id: int
    survivor: dict[int, Span]
    """Id of a span labelled ``old`` -> its twin labelled ``new`` (same layer and range)."""
    relations: list[Relation]
    events: list[Event]


def links_on_twins(store: MergeRows, old: str, new: str) -> list[Twins]:
    """Before ``merge_label(old, new)``: the links that its deleted duplicates carry."""
    if not store.link_counts():
        return []
    out = []
    for article_id in store.article_ids():
        relations, events = store.relations(article_id), store.events(article_id)
        if not (relations or events):
            continue
        spans = store.spans(article_id)
        held = {(s.annotator, s.start, s.end): s for s in spans if s.label == new}
        survivor = {s.id: held[(s.annotator, s.start, s.end)] for s in spans
                    if s.label == old and (s.annotator, s.start, s.end) in held}
        if not survivor:
            continue
        out.append(Twins(
            article_id, survivor,  # type: ignore[arg-type]
            [r for r in relations if r.head.id in survivor or r.tail.id in survivor],
            [e for e in events if e.trigger.id in survivor or any(a.span.id in survivor for a in e.arguments)],
        ))
    return out


def restore_on_survivors(store: MergeRows, saved: list[Twins]) -> int:
    """After the merge: put the saved links back on the surviving spans; returns how many
    relations and events were moved (a link the survivor already had is not repeated)."""
    return sum(_restore(store, twins) for twins in saved)


def _restore(store: MergeRows, twins: Twins) -> int:
    def to(span: Span) -> Span:
        return twins.survivor.get(span.id, span)  # type: ignore[arg-type]

    moved = 0
    have = {(r.type, r.head.id, r.tail.id) for r in store.relations(twins.article_id)}
    for r in twins.relations:
        head, tail = to(r.head), to(r.tail)
        if (r.type, head.id, tail.id) not in have and head.id != tail.id:
            store.insert_relation(twins.article_id, Relation(r.type, head, tail, r.annotator,
                                                             provenance=r.provenance))
            have.add((r.type, head.id, tail.id))
            moved += 1
    frames = {(e.type, e.trigger.id): e for e in store.events(twins.article_id)}
    for e in twins.events:
        trigger = to(e.trigger)
        frame = frames.get((e.type, trigger.id))
        if frame is None:
            frame = store.insert_event(twins.article_id, Event(e.type, trigger, (), e.annotator,
                                                               provenance=e.provenance))
            frames[(e.type, trigger.id)] = frame
            moved += 1
        for argument in (EventArgument(a.role, to(a.span)) for a in e.arguments):
            store.insert_argument(frame.id, argument.role, argument.span.id)  # type: ignore[arg-type]
    return moved
