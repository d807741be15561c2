"""A work package's relations and events: packed beside the spans, checked, merged three-way.

Like spans (``merge_plan``), links in a package are untrusted: every relation, event and
argument must belong to the package's owner, join spans of her layer in ONE article of the
package, name a type (and role) of the project's schema, and point only at spans the span
check accepted. One violation refuses the whole package with one line, before the project is
locked. Merging is three-way per article, as for spans: what the package holds and the
project lacks is added; what was there at packing time (the *link base*, kept in the
project's own metadata under the package id, never read from the package) and is gone from
the package is removed; the rest of the project is left alone.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.errors import PermissionDenied, ProjectError
from annotator.model import Event, PackageContents, Relation, Schema, Span
from annotator.suggest.layers import is_suggestion_layer

if TYPE_CHECKING:
    from annotator.link_records import LinkRows

SpanKey = tuple[int, int, str]
RelationKey = tuple[str, SpanKey, SpanKey]
EventKey = tuple[str, SpanKey]
ArgumentKey = tuple[str, SpanKey, str, SpanKey]
"""``(event type, trigger key, role, filler key)``."""

LINK_BASE_PREFIX = "package.base_links:"
"""``project_meta`` key prefix (+ package id): the owner's links of each article at packing."""


@dataclass
class LinkPlan:
    """One article's links in the package (checked) and at packing time (the base)."""

    relations: dict[RelationKey, str] = field(default_factory=dict)
    """Key -> provenance."""
    events: dict[EventKey, str] = field(default_factory=dict)
    arguments: set[ArgumentKey] = field(default_factory=set)
    base_relations: set[RelationKey] = field(default_factory=set)
    base_events: set[EventKey] = field(default_factory=set)
    base_arguments: set[ArgumentKey] = field(default_factory=set)


# --- pack ------------------------------------------------------------------------------------


def copy_links(src: LinkRows, dst: LinkRows, src_article: int, dst_article: int,
               user: str, copied: Mapping[SpanKey, Span]) -> dict[str, list[Any]]:
    """Copy ``user``'s links of one article into the package (ends: the copied spans);
    returns the article's link base, as JSON-able lists."""
    relations = src.relations(src_article, [user])
    events = src.events(src_article, [user])
    for r in relations:
        dst.insert_relation(dst_article, Relation(r.type, copied[r.head.key], copied[r.tail.key], user,
                                                  provenance=r.provenance))
    for e in events:
        held = dst.insert_event(dst_article, Event(e.type, copied[e.trigger.key], (), user,
                                                   provenance=e.provenance))
        for a in e.arguments:
            dst.insert_argument(held.id, a.role, copied[a.span.key].id)  # type: ignore[arg-type]
    return {"relations": [[r.type, r.head.key, r.tail.key] for r in relations],
            "events": [[e.type, e.trigger.key] for e in events],
            "arguments": [[e.type, e.trigger.key, a.role, a.span.key] for e in events for a in e.arguments]}


def link_base_json(bases: Mapping[str, dict[str, list[Any]]]) -> str:
    """The link base of a package: ``{content_hash: {relations, events, arguments}}``."""
    return json.dumps({h: b for h, b in bases.items() if any(b.values())}, ensure_ascii=False)


def parse_link_base(text: str | None) -> dict[str, LinkPlan]:
    """The link base the project recorded (trusted: written by ``pack`` into the project)."""
    out: dict[str, LinkPlan] = {}
    for content_hash, base in json.loads(text or "{}").items():
        plan = out[content_hash] = LinkPlan()
        plan.base_relations = {(t, _key(h), _key(k)) for t, h, k in base["relations"]}
        plan.base_events = {(t, _key(k)) for t, k in base["events"]}
        plan.base_arguments = {(t, _key(k), role, _key(f)) for t, k, role, f in base["arguments"]}
    return out


def _key(item: Iterable[Any]) -> SpanKey:
    start, end, label = item
    return (int(start), int(end), str(label))


# --- plan: every check before the lock --------------------------------------------------------


def plan_links(contents: PackageContents, path: Path, owner: str, schema: Schema,
               articles: Mapping[int, Any]) -> int:
    """Check the package's links and put them in ``articles[package article id].links``
    (which already hold the checked spans); returns how many suggestion-layer links it skipped."""
    spans = dict(zip(contents.span_ids, contents.spans, strict=True))
    relation_types = {kind.name for kind in schema.relation_types}
    roles = {kind.name: {role.name for role in kind.roles} for kind in schema.event_types}
    skipped = 0

    def end(article_id: int, span_id: int) -> SpanKey:
        row = spans.get(span_id)
        if row is None:
            raise ProjectError(f"{path}: a link points at no span of the package; nothing merged")
        if row[5] != owner:
            raise PermissionDenied(f"{path}: a link of {owner}'s points at a span of another layer;"
                                   " nothing merged")
        if row[0] != article_id:
            raise ProjectError(f"{path}: a link joins spans of two articles; nothing merged")
        key = (row[1], row[2], row[3])
        if key not in articles[article_id].spans:
            raise ProjectError(f"{path}: a link points at a span the merge refused; nothing merged")
        return key

    def mine(article_id: int, annotator: str, kind: str, known: Iterable[str]) -> bool:
        if annotator != owner:
            if is_suggestion_layer(annotator):
                return False
            raise PermissionDenied(f"{path}: holds links of layer {annotator[:40]!r}, but was issued"
                                   f" to {owner}; nothing merged")
        if article_id not in articles:
            raise ProjectError(f"{path}: a link of an article the package does not hold; nothing merged")
        if kind not in known:
            raise ProjectError(f"{path}: {kind[:40]!r} is not a relation or event type of the"
                               " project's schema; nothing merged")
        return True

    for article_id, kind, head, tail, annotator, provenance in contents.relations:
        if not mine(article_id, annotator, kind, relation_types):
            skipped += 1
            continue
        articles[article_id].links.relations[(kind, end(article_id, head), end(article_id, tail))] = provenance
    triggers: dict[int, tuple[int, EventKey]] = {}
    for event_id, article_id, kind, trigger, annotator, provenance in contents.events:
        if not mine(article_id, annotator, kind, roles):
            skipped += 1
            continue
        key = (kind, end(article_id, trigger))
        articles[article_id].links.events[key] = provenance
        triggers[event_id] = (article_id, key)
    for event_id, role, span_id in contents.arguments:
        if event_id not in triggers:
            continue  # an argument of a skipped suggestion event (or of none: SQLite's FK)
        article_id, (kind, trigger_key) = triggers[event_id]
        if role not in roles[kind]:
            raise ProjectError(f"{path}: {kind} events have no role {role[:40]!r}; nothing merged")
        articles[article_id].links.arguments.add((kind, trigger_key, role, end(article_id, span_id)))
    return skipped


# --- apply: inside the merge's one transaction ------------------------------------------------


def merge_links(store: LinkRows, article_id: int, owner: str, plan: LinkPlan) -> tuple[int, int]:
    """Bring one article's links of ``owner`` in line with ``plan``; ``(added, removed)``."""
    spans = {s.key: s for s in store.spans(article_id, [owner])}
    added = removed = 0
    held = {r.key: r for r in store.relations(article_id, [owner])}
    for key in plan.base_relations - set(plan.relations):
        if key in held:
            store.delete_relation(held[key].id)  # type: ignore[arg-type]
            removed += 1
    for (kind, head, tail), provenance in plan.relations.items():
        if (kind, head, tail) not in held and head in spans and tail in spans:
            store.insert_relation(article_id, Relation(kind, spans[head], spans[tail], owner,
                                                       provenance=provenance))
            added += 1
    events = {e.key: e for e in store.events(article_id, [owner])}
    for gone in plan.base_events - set(plan.events):
        if gone in events:
            store.delete_event(events.pop(gone).id)  # type: ignore[arg-type]
            removed += 1
    for (kind, trigger), provenance in plan.events.items():
        if (kind, trigger) not in events and trigger in spans:
            events[(kind, trigger)] = store.insert_event(
                article_id, Event(kind, spans[trigger], (), owner, provenance=provenance))
            added += 1
    filled = {(e.type, e.trigger.key, a.role, a.span.key) for e in events.values() for a in e.arguments}
    for kind, trigger, role, filler in plan.base_arguments - plan.arguments:
        if (kind, trigger, role, filler) in filled:
            store.delete_argument(events[(kind, trigger)].id, role, spans[filler].id)  # type: ignore[arg-type]
            removed += 1
    for kind, trigger, role, filler in plan.arguments - filled:
        if (kind, trigger) in events and filler in spans:
            store.insert_argument(events[(kind, trigger)].id, role, spans[filler].id)  # type: ignore[arg-type]
            added += 1
    return added, removed
