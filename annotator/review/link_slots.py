"""Where annotators' relations and event arguments agree and differ: pure, like ``regions.py``.

Span regions group overlapping spans; *slots* group overlapping links. Every relation and every
filled event role of every layer is a :class:`annotator.agreement.links.LinkItem`; two items
share a slot when they are of the same family (relations; or arguments of the same event type)
and each end overlaps its counterpart's position (labels, relation types and roles may differ:
that is what the reviewer decides). Inside a slot each layer proposes a version, the tuple of its
items there (possibly none); layers proposing the same version form one :class:`LinkAlternative`.

A slot is named by a stable text :attr:`LinkSlot.key` (family and the bounds of its ends), which
is what a decision is stored under, as a span region's decision is stored under its bounds.

An event with no argument has no role to be an item of, yet it is a claim the reviewer must be
able to bring to gold ("a strike happened here", its roles still unknown). It is the item
:func:`frame_item`: kind ``"<event type>:"`` (the empty role: the event itself), both ends its
trigger, so it has a slot of its own in its event type's family, on its trigger.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from annotator.agreement.links import LinkItem, argument_items, relation_items
from annotator.model import Event, Relation, Schema, Span

RELATION = "relation"
ARGUMENT = "argument"


@dataclass(frozen=True)
class LinkAlternative:
    """One version of a slot: its items (key order) and who proposed it."""

    items: tuple[LinkItem, ...]
    annotators: tuple[str, ...]

    @property
    def is_empty(self) -> bool:
        return not self.items


@dataclass(frozen=True)
class LinkSlot:
    """Overlapping links of one family in one article, and the versions of them."""

    family: str  # RELATION, or ARGUMENT
    key: str
    alternatives: tuple[LinkAlternative, ...]
    layers: tuple[str, ...]
    bounds: tuple[tuple[int, int], ...] = ()  # each end's [start, end) over the slot's items

    @property
    def agreed(self) -> bool:
        """Every layer (two or more) proposed the same links here."""
        return len(self.alternatives) == 1 and len(self.layers) >= 2

    @property
    def start(self) -> int:
        """Where the slot's first end starts: what the desk scrolls to."""
        return self.bounds[0][0]


def frame_item(event: Event) -> LinkItem:
    """An event as an item of its own, for an event with no argument (see the module's doc).

    >>> frame_item(Event("attack", Span(0, 3, "ATTACK", "قصف"))).key
    ('attack:', ((0, 3, 'ATTACK'), (0, 3, 'ATTACK')))
    """
    return LinkItem(f"{event.type}:", (event.trigger, event.trigger))


def is_frame(kind: str) -> bool:
    """An item kind of :func:`frame_item` (an event's type and the empty role)."""
    return kind.endswith(":")


def describe(item: LinkItem) -> str:
    """One line for a list: ``reported-by «قصف» → «سبوتنيك»`` or ``attack:place «قصف» ← «حماة»``.

    >>> describe(LinkItem("located-in", (Span(0, 3, "ATTACK", "قصف"), Span(4, 8, "LOC", "حماة"))))
    'located-in «قصف» → «حماة»'
    >>> describe(frame_item(Event("attack", Span(0, 3, "ATTACK", "قصف"))))
    'attack «قصف»'
    """
    first, second = item.ends
    if is_frame(item.kind):
        return f"{item.kind[:-1]} «{first.text}»"
    arrow = "—" if item.unordered else ("←" if ":" in item.kind else "→")
    return f"{item.kind} «{first.text}» {arrow} «{second.text}»"


def _family(item: LinkItem) -> str:
    return f"{ARGUMENT}:{item.kind.split(':', 1)[0]}" if ":" in item.kind else RELATION


def _touch(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def _oriented(item: LinkItem) -> tuple[Span, ...]:
    """An unordered item's ends in text order, so crossed versions line up."""
    if item.unordered and item.ends[1].start < item.ends[0].start:
        return item.ends[::-1]
    return item.ends


def joins(a: LinkItem, b: LinkItem) -> bool:
    """Same family, and every end overlaps its counterpart (either order if one is unordered)."""
    if _family(a) != _family(b):
        return False
    orders = [b.ends] + ([b.ends[::-1]] if a.unordered or b.unordered else [])
    return any(all(_touch(x, y) for x, y in zip(a.ends, ends, strict=True)) for ends in orders)


def items_of(
    relations: Sequence[Relation], events: Sequence[Event], symmetric: Collection[str]
) -> list[LinkItem]:
    """A layer's links as items (relations, arguments, then events with no argument)."""
    frames = [frame_item(event) for event in events if not event.arguments]
    return [*relation_items(relations, symmetric), *argument_items(events), *frames]


def find_slots(layers: Mapping[str, Sequence[LinkItem]]) -> list[LinkSlot]:
    """Slots of an article, by where their first end starts; ``layers`` maps names to items.

    >>> text = "قصف حماة أمس"
    >>> strike, city = Span(0, 3, "ATTACK", "قصف"), Span(4, 8, "LOC", "حماة")
    >>> town = Span(4, 8, "ORG", "حماة")
    >>> slots = find_slots({"ali": [LinkItem("located-in", (strike, city))],
    ...                     "mona": [LinkItem("located-in", (strike, town))], "sara": []})
    >>> [(s.key, [a.annotators for a in s.alternatives]) for s in slots]
    [('relation 0-3 4-8', [('ali',), ('mona',), ('sara',)])]
    """
    names = tuple(sorted(layers))
    tagged = sorted(
        {(name, item.key): (item, name) for name in names for item in layers[name]}.values(),
        key=lambda pair: (pair[0].key, pair[1]),
    )
    parent = list(range(len(tagged)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, (a, _) in enumerate(tagged):
        for j in range(i + 1, len(tagged)):
            if joins(a, tagged[j][0]):
                parent[root(j)] = root(i)
    groups: dict[int, list[tuple[LinkItem, str]]] = {}
    for i, pair in enumerate(tagged):
        groups.setdefault(root(i), []).append(pair)
    slots = [_slot(group, names) for group in groups.values()]
    return sorted(slots, key=lambda s: (s.bounds, s.family, s.key))


def _slot(group: list[tuple[LinkItem, str]], names: tuple[str, ...]) -> LinkSlot:
    first = group[0][0]
    ends = [_oriented(item) for item, _ in group]
    bounds = tuple((min(e[k].start for e in ends), max(e[k].end for e in ends)) for k in range(2))
    where = " ".join(f"{lo}-{hi}" for lo, hi in bounds)
    family = _family(first)
    if family == RELATION:
        key = f"{RELATION} {where}"
    else:
        key = f"{ARGUMENT} {first.kind.split(':', 1)[0]} {where}"
    versions: dict[tuple[object, ...], list[str]] = {}
    items_of_version: dict[tuple[object, ...], tuple[LinkItem, ...]] = {}
    for name in names:
        mine = tuple(item for item, owner in group if owner == name)
        version = tuple(item.key for item in mine)
        versions.setdefault(version, []).append(name)
        items_of_version.setdefault(version, mine)
    ordered = sorted(versions, key=lambda v: (-len(versions[v]), not v, v))
    alternatives = tuple(LinkAlternative(items_of_version[v], tuple(versions[v])) for v in ordered)
    return LinkSlot(family.split(":", 1)[0], key, alternatives, names, bounds)


@dataclass(frozen=True)
class LinkLane:
    """One annotator's version of a slot, under the lane number that is always theirs (the
    number :func:`annotator.review.adjudication.lanes` gives them for span regions)."""

    number: int
    annotator: str
    alternative: int  # index in LinkSlot.alternatives
    items: tuple[LinkItem, ...]


def link_lanes(slot: LinkSlot, names: Sequence[str]) -> list[LinkLane]:
    """The lanes of ``slot``: annotator ``names[k]`` is lane ``k + 1``, as for span regions.

    >>> a, b = Span(0, 3, "ATTACK", "قصف"), Span(4, 8, "LOC", "حماة")
    >>> slot = find_slots({"mona": [LinkItem("located-in", (a, b))], "ali": []})[0]
    >>> [(lane.number, lane.annotator, len(lane.items)) for lane in link_lanes(slot, ["ali", "mona"])]
    [(1, 'ali', 0), (2, 'mona', 1)]
    """
    extra = sorted(set(slot.layers) - set(names))
    found = [
        LinkLane(
            names.index(name) + 1 if name in names else len(names) + 1 + extra.index(name),
            name, index, alt.items,
        )
        for index, alt in enumerate(slot.alternatives)
        for name in alt.annotators
    ]  # fmt: skip
    return sorted(found, key=lambda lane: lane.number)


def edit_choices(slot: LinkSlot, schema: Schema) -> list[LinkItem]:
    """What a reviewer may put in ``slot`` instead of a lane's version: each distinct pair of
    ends proposed there, under every relation type (for a relation slot) or every role of the
    event type (for an argument slot) the schema allows for their labels, proposed kinds
    excluded. The review desk lists these when E is pressed on a slot.

    >>> from annotator.model import Label, RelationType
    >>> labels = tuple(Label(n, n, n, "#000") for n in ("ATTACK", "LOCATION"))
    >>> kinds = (RelationType("located-in", "", "", ("ATTACK",), ("LOCATION",)),
    ...          RelationType("near", "", "", ("ATTACK",), ("LOCATION",), symmetric=True))
    >>> strike, city = Span(0, 3, "ATTACK", "قصف"), Span(4, 8, "LOCATION", "حماة")
    >>> [slot] = find_slots({"ali": [LinkItem("located-in", (strike, city))]})
    >>> [describe(i) for i in edit_choices(slot, Schema("s", labels, relation_types=kinds))]
    ['near «قصف» — «حماة»']
    """
    proposed = [item for alt in slot.alternatives for item in alt.items]
    taken = {item.key for item in proposed}
    ends = list({tuple(e.key for e in item.ends): item.ends for item in proposed}.values())
    choices: list[LinkItem] = []
    for first, second in ends:
        if slot.family == RELATION:
            options = [
                LinkItem(kind.name, (first, second), kind.symmetric)
                for kind in schema.relation_types
                if kind.allows(first.label, second.label)
            ]
        else:
            event = proposed[0].kind.split(":", 1)[0]
            try:
                roles = schema.event_type(event).roles
            except KeyError:
                roles = ()
            options = [
                LinkItem(f"{event}:{role.name}", (first, second))
                for role in roles
                if second.label in role.labels
            ]
        choices += [item for item in options if item.key not in taken]
        taken.update(item.key for item in options)
    return choices
