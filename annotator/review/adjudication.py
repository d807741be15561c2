"""The reviewer's use cases: turn the annotators' layers into the ``gold`` layer, with provenance.

Per article, :func:`annotator.review.regions.find_regions` splits the annotators' spans into
regions. A reviewer decides each region: *accept* one alternative, *edit* (their own spans for
that stretch), or *reject* (no gold span there). Agreements (every annotator, at least two,
proposed the same spans) are accepted automatically when the project setting is on.

Each decision is stored twice, on purpose: the gold spans carry their provenance as JSON in
``Span.provenance`` (who proposed, who decided, how, when) so an export can keep it, and a row
of ``gold_decisions`` records the decision for the region, because a rejection leaves no span to
carry it. An article is *adjudicated* once every region has a decision; that is recorded as
state ``done`` of user ``gold``, which is what ``export --source gold`` reads.

Only reviewers and admins may build an :class:`Adjudicator` (so only they write gold). Undo and
redo use the store's persistent history under the name ``gold/<reviewer>`` (a name no user can
have), so they survive a restart and never mix with the reviewer's own labelling history.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from annotator.clock import now
from annotator.errors import ProjectError, SpanError
from annotator.model import GOLD, Span, make_span, span_from_dict, span_to_dict
from annotator.project import Project, Session
from annotator.retries import one_action
from annotator.review.link_decisions import LinkDecisions
from annotator.review.regions import Alternative, Region, find_regions
from annotator.suggest.layers import is_suggestion_layer, registered_layers
from annotator.team.members import REVIEWERS, auto_accept

DECISIONS = ("accept", "edit", "reject", "auto")
WORKED = ("in_progress", "done")


@dataclass(frozen=True)
class Decision:
    decision: str
    decided_by: str
    decided_at: str
    detail: dict[str, Any]


@dataclass(frozen=True)
class Item:
    """A region of an article and its decision (None while open)."""

    region: Region
    decision: Decision | None

    @property
    def open(self) -> bool:
        return self.decision is None

    @property
    def bounds(self) -> tuple[int, int]:
        return self.region.bounds


@dataclass(frozen=True)
class Progress:
    """Articles adjudicated and still to do, among those with at least one annotator's work."""

    adjudicated: int
    to_do: int

    @property
    def total(self) -> int:
        return self.adjudicated + self.to_do


@dataclass(frozen=True)
class Lane:
    """One annotator's version of a region, under the lane number that is always theirs."""

    number: int
    annotator: str
    alternative: int  # index in Region.alternatives (what accepting the lane accepts)
    spans: tuple[Span, ...]


def lanes(region: Region, names: Sequence[str]) -> list[Lane]:
    """The lanes of ``region``: annotator ``names[k]`` is lane ``k + 1`` wherever they appear.

    >>> from annotator.review.regions import Alternative
    >>> r = Region(0, 4, (Alternative((), ("omar",)), Alternative((), ("ali",))), ("ali", "omar"))
    >>> [(lane.number, lane.annotator, lane.alternative) for lane in lanes(r, ["ali", "mona", "omar"])]
    [(1, 'ali', 1), (3, 'omar', 0)]
    """
    found = []
    for index, alt in enumerate(region.alternatives):
        for name in alt.annotators:
            number = names.index(name) + 1 if name in names else len(names) + 1 + sorted(
                region.layers).index(name)
            found.append(Lane(number, name, index, alt.spans))
    return sorted(found, key=lambda lane: lane.number)


def provenance(span: Span) -> dict[str, Any]:
    """The decoded provenance of a gold span (empty for other spans)."""
    try:
        data = json.loads(span.provenance) if span.provenance else {}
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def human_layers(session: Session, article_id: int) -> dict[str, list[Span]]:
    """The annotators' layers of an article (no gold, no suggestions), by name.

    With assignments, the assigned annotators who started the article (spans or a state);
    without, every human layer with spans or marked done. A present layer may be empty.
    """
    store = session.store
    registered = registered_layers(store)
    layers: dict[str, list[Span]] = {}
    for span in store.spans(article_id):
        if span.annotator != GOLD and not is_suggestion_layer(span.annotator, registered):
            layers.setdefault(span.annotator, []).append(span)
    assignees = store.assignees(article_id)
    if assignees:
        layers = {u: s for u, s in layers.items() if u in assignees}
        started = [u for u in assignees if store.state(article_id, u) in WORKED]
    else:
        started = [u for u in store.article_users_with_state(article_id, "done")
                   if u != GOLD and "/" not in u and not is_suggestion_layer(u, registered)]
    for user in started:
        layers.setdefault(user, [])
    return dict(sorted(layers.items()))


class Adjudicator(LinkDecisions):
    """A reviewer deciding regions (and, through :class:`LinkDecisions`, link slots) into gold;
    every change is one transaction."""

    def __init__(self, session: Session) -> None:
        session.require(*REVIEWERS)
        self.session = session
        self.store = session.store
        self.history_user = f"{GOLD}/{session.user}"

    # --- reading ---------------------------------------------------------------------------

    def layers(self, article_id: int) -> dict[str, list[Span]]:
        return human_layers(self.session, article_id)

    def gold(self, article_id: int) -> list[Span]:
        return self.store.spans(article_id, [GOLD])

    def items(self, article_id: int) -> list[Item]:
        decided = {
            (start, end): Decision(decision, by, at, json.loads(detail or "{}"))
            for start, end, decision, detail, by, at in self.store.decisions(article_id)
        }
        return [Item(r, decided.get(r.bounds)) for r in find_regions(self.layers(article_id))]

    def item(self, article_id: int, bounds: tuple[int, int]) -> Item:
        for item in self.items(article_id):
            if item.bounds == tuple(bounds):
                return item
        raise ProjectError(f"no region [{bounds[0]}, {bounds[1]}) in article {article_id} any more")

    def article_ids(self) -> list[int]:
        """Articles with at least one annotator's work, in id order."""
        store = self.store
        registered = registered_layers(store)
        human = {a: {u for u in layers if u != GOLD and not is_suggestion_layer(u, registered)}
                 for a, layers in store.layers_by_article().items()}
        for a, states in store.states_by_article().items():
            for user, state in states.items():
                if state == "done" and user != GOLD and "/" not in user:
                    human.setdefault(a, set()).add(user)
        return sorted(a for a, users in human.items() if users)

    def is_adjudicated(self, article_id: int) -> bool:
        return self.store.state(article_id, GOLD) == "done"

    def progress(self) -> Progress:
        ids = self.article_ids()
        done = sum(1 for a in ids if self.is_adjudicated(a))
        return Progress(done, len(ids) - done)

    def next_open(
        self, article_id: int, after: int | None = None, *, backwards: bool = False
    ) -> tuple[int, Item] | None:
        """The next (previous) open disagreement after (before) code point ``after``, across
        articles, wrapping round to the regions of this article on the other side of ``after``.

        Agreements left open (a project without auto-accept) are not disagreements: ``N``
        passes them, as it passes decided regions.
        """
        ids = self.article_ids()
        if article_id not in ids:
            ids = sorted([*ids, article_id])
        pos = ids.index(article_id)
        order = ids[pos:] + ids[:pos] if not backwards else ids[pos::-1] + ids[:pos:-1]
        for n, aid in enumerate([*order, article_id]):
            items = [i for i in self.items(aid) if i.open and not i.region.agreed]
            if backwards:
                items.reverse()
            if after is not None and n == 0:
                items = [i for i in items if (i.region.start < after if backwards else i.region.start > after)]
            elif after is not None and n == len(order):  # wrapped: this article, the other side
                items = [i for i in items if (i.region.start >= after if backwards else i.region.start <= after)]
            elif n == len(order):
                items = []
            if items:
                return aid, items[0]
        return None

    def lane_names(self) -> list[str]:
        """Every annotator of the project, sorted: the reviewer's lane ``n`` is always the same
        person, in every region and every article (their registered names, and any other
        human layer holding spans)."""
        registered = registered_layers(self.store)
        names = {name for name, role in self.store.users() if role == "annotator"}
        for layers in self.store.layers_by_article().values():
            names.update(u for u in layers
                         if u != GOLD and "/" not in u and not is_suggestion_layer(u, registered))
        return sorted(names)

    # --- deciding --------------------------------------------------------------------------

    @one_action
    def open_article(self, article_id: int) -> list[Item]:
        """The article's items, after accepting its agreements if the project says so."""
        if auto_accept(self.session.project):
            self.accept_agreements(article_id)
        else:
            with self.store.transaction():
                self._refresh_state(article_id)
        return self.items(article_id)

    @one_action
    def accept_agreements(self, article_id: int) -> int:
        """Accept every open agreement of the article into gold (not an undo step)."""
        with self.store.transaction():
            agreed = [i for i in self.items(article_id) if i.open and i.region.agreed]
            for item in agreed:
                alt = item.region.alternatives[0]
                self._decide(article_id, item, "auto", list(alt.spans), alt.annotators, record=False)
            links = self.accept_link_agreements(article_id)
            self._refresh_state(article_id)
        return len(agreed) + links

    @one_action
    def accept(self, article_id: int, bounds: tuple[int, int], index: int) -> list[Span]:
        """Accept alternative ``index`` (0-based, in :attr:`Region.alternatives` order)."""
        with self.store.transaction():
            item = self.item(article_id, bounds)
            if not 0 <= index < len(item.region.alternatives):
                raise ProjectError(f"no alternative {index + 1} here (there are {len(item.region.alternatives)})")
            alt: Alternative = item.region.alternatives[index]
            decision = "reject" if alt.is_empty else "accept"
            return self._decide(article_id, item, decision, list(alt.spans), alt.annotators)

    @one_action
    def reject(self, article_id: int, bounds: tuple[int, int]) -> None:
        """No gold span in this region."""
        with self.store.transaction():
            self._decide(article_id, self.item(article_id, bounds), "reject", [], ())

    @one_action
    def edit(
        self, article_id: int, bounds: tuple[int, int], spans: Sequence[tuple[int, int, str]]
    ) -> list[Span]:
        """The reviewer's own spans for this region: ``(start, end, label)`` in code points."""
        names = self.session.project.schema.names
        for _, _, label in spans:
            if label not in names:
                raise SpanError(f"unknown label {label!r}")
        text = self.store.article(article_id).text
        made = [make_span(text, s, e, label, GOLD) for s, e, label in spans]
        with self.store.transaction():
            item = self.item(article_id, bounds)
            for span in made:
                if not (span.start < item.region.end and item.region.start < span.end):
                    raise SpanError(f"[{span.start}, {span.end}) is outside the region {item.bounds}")
            proposers = sorted({a for alt in item.region.alternatives for a in alt.annotators
                                if set(alt.keys) & {m.key for m in made}})
            return self._decide(article_id, item, "edit", made, tuple(proposers))

    def _decide(
        self, article_id: int, item: Item, decision: str, spans: list[Span],
        proposed_by: Sequence[str], *, record: bool = True,
    ) -> list[Span]:
        start, end = item.bounds
        stamp = now()
        removed = [g for g in self.gold(article_id) if g.start < end and start < g.end]
        dropped = self.drop_links_of(article_id, removed)
        for span in removed:
            self.store.delete_span(span.id)  # type: ignore[arg-type]
        info = {"proposed_by": sorted(proposed_by), "decided_by": self.session.user,
                "decision": decision, "decided_at": stamp}
        added = [self.store.insert_span(article_id, Span(
            s.start, s.end, s.label, s.text, GOLD, provenance=json.dumps(info, ensure_ascii=False)))
            for s in {s.key: s for s in spans}.values()]
        before = item.decision
        detail = {"proposed_by": info["proposed_by"], "alternatives": len(item.region.alternatives)}
        self.store.set_decision(article_id, start, end, decision, json.dumps(detail), self.session.user, stamp)
        if record:
            self.store.push_action(self.history_user, article_id, {
                "op": "decide", "start": start, "end": end,
                "removed": [span_to_dict(s) for s in removed], "added": [span_to_dict(s) for s in added],
                "before": _decision_row(before), "after": [decision, json.dumps(detail), self.session.user, stamp],
                "links": dropped,
            })
        self._refresh_state(article_id)
        return added

    def _refresh_state(self, article_id: int) -> None:
        opened = [i.open for i in self.items(article_id)]
        opened += [s.open for s in self.link_states(article_id)]
        if any(opened):
            state = "in_progress" if not all(opened) else "new"
        else:
            state = "done" if self.layers(article_id) else "new"
        if self.store.state(article_id, GOLD) != state:
            self.store.set_state(article_id, GOLD, state)

    # --- undo / redo -----------------------------------------------------------------------

    def can_undo(self, article_id: int) -> bool:
        return self.store.last_action(self.history_user, article_id, undone=False) is not None

    def can_redo(self, article_id: int) -> bool:
        return self.store.last_action(self.history_user, article_id, undone=True) is not None

    def undo(self, article_id: int) -> bool:
        return self._replay(article_id, undo=True)

    def redo(self, article_id: int) -> bool:
        return self._replay(article_id, undo=False)

    @one_action
    def _replay(self, article_id: int, *, undo: bool) -> bool:
        with self.store.transaction():
            entry = self.store.last_action(self.history_user, article_id, undone=not undo)
            if entry is None:
                return False
            action = entry[1]
            if action.get("op") == "decide_link":
                self.replay_link(article_id, action, undo=undo)
                self.store.mark_action(entry[0], undone=undo)
                self._refresh_state(article_id)
                return True
            drop, put = ("added", "removed") if undo else ("removed", "added")
            # Gold links on the spans going away go first and their slots reopen (a link
            # auto-accepted since this step may use them too); undo puts back the step's own.
            self.drop_links_of(article_id, [span_from_dict(d, GOLD) for d in action[drop]])
            for d in action[drop]:
                self.store.delete_span(d["id"])
            for d in action[put]:
                self.store.restore_span(article_id, span_from_dict(d, GOLD))
            if undo and "links" in action:  # the gold links the step took away (issue 15)
                self.restore_links(article_id, action["links"])
            row = action["before"] if undo else action["after"]
            if row is None:
                self.store.delete_decision(article_id, action["start"], action["end"])
            else:
                self.store.set_decision(article_id, action["start"], action["end"], *row)
            self.store.mark_action(entry[0], undone=undo)
            self._refresh_state(article_id)
        return True


def adjudicated_ids(project: Project) -> list[int]:
    """Articles whose every region has a decision (state ``done`` of user ``gold``).

    ``export --source gold`` exports these only: a partly adjudicated article's missing gold
    spans would teach a model that an undecided name is not a name.
    """
    states = project.store.states_by_article()
    return sorted(a for a, users in states.items() if users.get(GOLD) == "done")


def _decision_row(decision: Decision | None) -> list[str] | None:
    if decision is None:
        return None
    return [decision.decision, json.dumps(decision.detail), decision.decided_by, decision.decided_at]
