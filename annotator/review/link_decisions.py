"""The reviewer's decisions on relations and event arguments: slots into gold, with provenance.

The link half of :class:`annotator.review.adjudication.Adjudicator`, beside its span regions.
Per article, :func:`annotator.review.link_slots.find_slots` groups the annotators' links into
slots; the reviewer accepts one lane's version, rejects (no gold link there) or edits (their own
links for the slot), exactly as for span regions, with the same lane keys in the desk.

**Ends must already be gold.** Accepting a link whose head, tail, trigger or argument span is
not in gold is refused with a message naming the span ("decide the spans first"). Bringing the
end along silently was the other choice; it was not taken because a gold span has its own
decision (its region's), and a link pulling in a span could overlap a span the reviewer rejected
or decided otherwise in that region, leaving gold that no decision explains. Spans first, links
second is also the order the desk shows them in. Agreed links whose ends are gold are accepted
with the agreed spans when the project auto-accepts.

**Provenance.** A gold relation carries JSON provenance (who proposed, who decided, how, when)
like a gold span; an event brought to gold by its first argument carries it too, and so does an
event with no argument, accepted through its own slot (:func:`annotator.review.link_slots.frame_item`). An argument
row has no provenance column, so the slot's decision row (``gold_link_decisions``, which also
records rejections, which leave no link) is where an argument's proposers are kept and shown.

**Undo** uses the same persisted history as span decisions (``gold/<reviewer>``), with records
that name spans by content, since ids of gold links change when they are restored.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from annotator.agreement.links import LinkItem
from annotator.clock import now
from annotator.errors import ProjectError
from annotator.model import GOLD, Event, Relation, Span
from annotator.retries import one_action
from annotator.review.link_slots import LinkSlot, find_slots, frame_item, items_of, joins

if TYPE_CHECKING:
    from annotator.project import Session
    from annotator.review.adjudication import Decision

SpanKey = tuple[int, int, str]


@dataclass(frozen=True)
class LinkState:
    """A slot of an article and its decision (None while open)."""

    slot: LinkSlot
    decision: Decision | None

    @property
    def open(self) -> bool:
        return self.decision is None

    @property
    def key(self) -> str:
        return self.slot.key


class LinkDecisions:
    """Mixed into :class:`annotator.review.adjudication.Adjudicator`."""

    session: Session
    history_user: str

    if TYPE_CHECKING:

        def layers(self, article_id: int) -> dict[str, list[Span]]: ...
        def _refresh_state(self, article_id: int) -> None: ...

    # --- reading -----------------------------------------------------------------------------

    def _symmetric(self) -> frozenset[str]:
        return frozenset(t.name for t in self.session.project.schema.relation_types if t.symmetric)

    def link_layers(self, article_id: int) -> dict[str, list[LinkItem]]:
        """The annotators' links of an article as items, by the layer names spans use."""
        names = list(self.layers(article_id))
        symmetric = self._symmetric()
        relations = self.session.store.relations(article_id, names)
        events = self.session.store.events(article_id, names)
        return {
            name: items_of(
                [r for r in relations if r.annotator == name],
                [e for e in events if e.annotator == name],
                symmetric,
            )
            for name in names
        }

    def gold_links(self, article_id: int) -> tuple[list[Relation], list[Event]]:
        return self.session.store.relations(article_id, [GOLD]), self.session.store.events(
            article_id, [GOLD]
        )

    def link_states(self, article_id: int) -> list[LinkState]:
        """The article's link slots and their decisions, by where a slot's first end starts."""
        from annotator.review.adjudication import Decision

        decided = {
            slot: Decision(decision, by, at, json.loads(detail or "{}"))
            for slot, decision, detail, by, at in self.session.store.link_decisions(article_id)
        }
        slots = find_slots(self.link_layers(article_id))
        return [LinkState(s, decided.get(s.key)) for s in slots]

    def link_state(self, article_id: int, key: str) -> LinkState:
        for state in self.link_states(article_id):
            if state.key == key:
                return state
        raise ProjectError(f"no link slot {key!r} in article {article_id} any more")

    # --- deciding ----------------------------------------------------------------------------

    @one_action
    def accept_link(self, article_id: int, key: str, index: int) -> int:
        """Accept alternative ``index`` (0-based) of slot ``key``; returns links put in gold."""
        with self.session.store.transaction():
            state = self.link_state(article_id, key)
            alts = state.slot.alternatives
            if not 0 <= index < len(alts):
                raise ProjectError(f"no alternative {index + 1} here (there are {len(alts)})")
            alt = alts[index]
            decision = "reject" if alt.is_empty else "accept"
            return self._decide_link(article_id, state, decision, alt.items, alt.annotators)

    @one_action
    def reject_link(self, article_id: int, key: str) -> None:
        """No gold link in this slot."""
        with self.session.store.transaction():
            self._decide_link(article_id, self.link_state(article_id, key), "reject", (), ())

    @one_action
    def edit_link(self, article_id: int, key: str, items: Sequence[LinkItem]) -> int:
        """The reviewer's own links for slot ``key`` (ends named by their gold spans' keys;
        relation kind = type, argument kind = ``event:role``)."""
        with self.session.store.transaction():
            state = self.link_state(article_id, key)
            proposed = [i for alt in state.slot.alternatives for i in alt.items]
            for item in items:
                if not any(joins(item, other) for other in proposed):
                    raise ProjectError(f"{item.kind} is outside the slot {key!r}")
            mine = {i.key for i in items}
            proposers = sorted({a for alt in state.slot.alternatives for a in alt.annotators
                                if mine & {i.key for i in alt.items}})  # fmt: skip
            return self._decide_link(article_id, state, "edit", tuple(items), proposers)

    def accept_link_agreements(self, article_id: int) -> int:
        """Accept every open agreed slot whose ends are gold (not an undo step); the rest stay
        open for the reviewer, who decides the spans first."""
        gold = {s.key for s in self.session.store.spans(article_id, [GOLD])}
        accepted = 0
        for state in self.link_states(article_id):
            alt = state.slot.alternatives[0]
            ends = {e.key for item in alt.items for e in item.ends}
            if state.open and state.slot.agreed and ends <= gold:
                self._decide_link(
                    article_id, state, "auto", alt.items, alt.annotators, record=False
                )
                accepted += 1
        return accepted

    def _decide_link(
        self, article_id: int, state: LinkState, decision: str, items: Sequence[LinkItem],
        proposed_by: Sequence[str], *, record: bool = True,
    ) -> int:  # fmt: skip
        gold = {s.key: s for s in self.session.store.spans(article_id, [GOLD])}
        for item in items:
            for end in item.ends:
                if end.key not in gold:
                    raise ProjectError(
                        f"decide the spans first: «{end.text}» [{end.start}, {end.end}) "
                        f"{end.label} of {item.kind} is not in gold"
                    )
        stamp = now()
        info = {"proposed_by": sorted(proposed_by), "decided_by": self.session.user,
                "decision": decision, "decided_at": stamp}  # fmt: skip
        provenance = json.dumps(info, ensure_ascii=False)
        slot_items = [i for alt in state.slot.alternatives for i in alt.items]
        removed = self._remove_gold(article_id, slot_items)
        added = [_record(item, provenance) for item in {i.key: i for i in items}.values()]
        created = [r for r in added if self._put(article_id, r, gold)]
        detail = {"proposed_by": info["proposed_by"], "alternatives": len(state.slot.alternatives)}
        after = [decision, json.dumps(detail), self.session.user, stamp]
        self.session.store.set_link_decision(article_id, state.key, *after)
        if record:
            self.session.store.push_action(self.history_user, article_id, {
                "op": "decide_link", "slot": state.key, "removed": removed, "added": added,
                "created_events": [_event_record(r) for r in created],
                "before": _row(state.decision), "after": after,
            })  # fmt: skip
        self._refresh_state(article_id)
        return len(added)

    def _gold_items(self, article_id: int) -> list[tuple[LinkItem, str, Callable[[], object]]]:
        """Every gold link as an item, with its provenance and how to delete it: a relation, a
        filled role, or an event with no argument (:func:`frame_item`)."""
        relations, events = self.gold_links(article_id)
        symmetric, store = self._symmetric(), self.session.store
        out: list[tuple[LinkItem, str, Callable[[], object]]] = [
            (LinkItem(r.type, (r.head, r.tail), r.type in symmetric), r.provenance,
             partial(store.delete_relation, r.id))  # type: ignore[arg-type]
            for r in relations
        ]  # fmt: skip
        for event in events:
            out += [(LinkItem(f"{event.type}:{a.role}", (event.trigger, a.span)), event.provenance,
                     partial(store.delete_argument, event.id, a.role, a.span.id))  # type: ignore[arg-type]
                    for a in event.arguments]  # fmt: skip
            if not event.arguments:
                out.append((frame_item(event), event.provenance, partial(store.delete_event, event.id)))  # type: ignore[arg-type]
        return out

    def _remove_gold(self, article_id: int, slot_items: Sequence[LinkItem]) -> list[dict[str, Any]]:
        """Delete the gold links in the slot (those joining any proposed item); their records."""
        removed = []
        for item, provenance, delete in self._gold_items(article_id):
            if any(joins(item, other) for other in slot_items):
                delete()
                removed.append(_record(item, provenance))
        return removed

    def _put(self, article_id: int, record: dict[str, Any], gold: dict[SpanKey, Span]) -> bool:
        """Insert one recorded link into gold; True when it had to create its gold event."""
        first, second = (gold[_key(k)] for k in record["ends"])
        if record["family"] == "relation":
            self.session.store.insert_relation(article_id, Relation(
                record["kind"], first, second, GOLD, provenance=record["provenance"]))  # fmt: skip
            return False
        event_type, role = record["kind"].split(":", 1)
        found = [e for e in self.session.store.events(article_id, [GOLD])
                 if e.type == event_type and e.trigger.id == first.id]  # fmt: skip
        if found:
            event_id = found[0].id
        else:
            made = Event(event_type, first, (), GOLD, provenance=record["provenance"])
            event_id = self.session.store.insert_event(article_id, made).id
        if role:  # the empty role is the event itself (link_slots.frame_item): no argument
            self.session.store.insert_argument(event_id, role, second.id)  # type: ignore[arg-type]
        return not found

    def _delete(self, article_id: int, record: dict[str, Any], gold: dict[SpanKey, Span]) -> None:
        first, second = (gold[_key(k)] for k in record["ends"])
        relations, events = self.gold_links(article_id)
        if record["family"] == "relation":
            for rel in relations:
                if (rel.type, rel.head.id, rel.tail.id) == (record["kind"], first.id, second.id):
                    self.session.store.delete_relation(rel.id)  # type: ignore[arg-type]
            return
        event_type, role = record["kind"].split(":", 1)
        for event in events:
            if event.type != event_type or event.trigger.id != first.id:
                continue
            if role:
                self.session.store.delete_argument(event.id, role, second.id)  # type: ignore[arg-type]
            elif not event.arguments:
                self.session.store.delete_event(event.id)  # type: ignore[arg-type]

    def drop_links_of(self, article_id: int, spans: Sequence[Span]) -> dict[str, Any]:
        """Before gold ``spans`` go (a span region decided again): delete the gold links that
        use them, and reopen those links' slots, so no slot reads "accepted" with its link
        gone. Returns what :meth:`restore_links` puts back on undo."""
        ids = {s.id for s in spans}
        gone = [found for found in self._gold_items(article_id)
                if any(end.id in ids for end in found[0].ends)]  # fmt: skip
        for _, _, delete in gone:
            delete()
        for event in self.gold_links(article_id)[1]:
            if event.trigger.id in ids:  # its arguments went above; the event goes with its trigger
                self.session.store.delete_event(event.id)  # type: ignore[arg-type]
        records = [_record(item, provenance) for item, provenance, _ in gone]
        reopened = []
        for state in self.link_states(article_id) if gone else []:
            proposed = [i for alt in state.slot.alternatives for i in alt.items]
            if state.decision is not None and any(joins(g[0], p) for g in gone for p in proposed):
                reopened.append([state.key, *_row(state.decision)])  # type: ignore[misc]
                self.session.store.delete_link_decision(article_id, state.key)
        return {"links": records, "decisions": reopened}

    def restore_links(self, article_id: int, dropped: dict[str, Any]) -> None:
        """Undo :meth:`drop_links_of` once the spans are back in gold."""
        gold = {s.key: s for s in self.session.store.spans(article_id, [GOLD])}
        for record in dropped["links"]:
            self._put(article_id, record, gold)
        for key, *row in dropped["decisions"]:
            self.session.store.set_link_decision(article_id, key, *row)

    def replay_link(self, article_id: int, action: dict[str, Any], *, undo: bool) -> None:
        """Undo (or redo) one ``decide_link`` step; the caller holds the transaction."""
        gold = {s.key: s for s in self.session.store.spans(article_id, [GOLD])}
        drop, put = ("added", "removed") if undo else ("removed", "added")
        for record in action[drop]:
            self._delete(article_id, record, gold)
        if undo:
            made = {(r["type"], tuple(r["trigger"])) for r in action["created_events"]}
            for event in self.session.store.events(article_id, [GOLD]):
                if (event.type, event.trigger.key) in made and not event.arguments:
                    self.session.store.delete_event(event.id)  # type: ignore[arg-type]
        for record in action[put]:
            self._put(article_id, record, gold)
        row = action["before"] if undo else action["after"]
        if row is None:
            self.session.store.delete_link_decision(article_id, action["slot"])
        else:
            self.session.store.set_link_decision(article_id, action["slot"], *row)


def _key(data: Sequence[Any]) -> SpanKey:
    return (int(data[0]), int(data[1]), str(data[2]))


def _record(item: LinkItem, provenance: str) -> dict[str, Any]:
    """A link as the history stores it: family, kind, ends by span key, provenance."""
    family = "argument" if ":" in item.kind else "relation"
    return {"family": family, "kind": item.kind, "ends": [list(e.key) for e in item.ends],
            "provenance": provenance}  # fmt: skip


def _event_record(record: dict[str, Any]) -> dict[str, Any]:
    return {"type": record["kind"].split(":", 1)[0], "trigger": record["ends"][0]}


def _row(decision: Decision | None) -> list[str] | None:
    if decision is None:
        return None
    return [
        decision.decision,
        json.dumps(decision.detail),
        decision.decided_by,
        decision.decided_at,
    ]


def link_provenance(link: Relation | Event) -> dict[str, Any]:
    """The decoded provenance of a gold relation or event (empty for others)."""
    try:
        data = json.loads(link.provenance) if link.provenance else {}
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}
