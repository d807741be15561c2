"""Which spans a link may reach, and in which order Tab visits them (pure: no Qt).

Why a module of its own: the keyboard (a relation or role key, then Tab), the mouse (a drag
from span to span) and the throughput bench must agree on what the schema allows and on the
order of the candidates, or the bench would price a desk that does not exist.

Reading order is text order (code points), whatever the direction the line is drawn in: in
an Arabic paragraph Tab goes right to left, as the reader does. The first candidate offered is
the one nearest the source span (news reports put the place, the weapon and the source close
to the strike), so Enter alone often makes the link, and Shift+Tab goes back as Tab goes on.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from annotator.model import Event, EventType, Relation, Role, Schema, Span


@dataclass(frozen=True)
class LinkChoice:
    """One kind of link from a source span: a relation type, or a role of an event.

    ``event`` is the event whose role is filled (None for a relation, or for a role of an
    event the trigger does not have yet: filling it creates the event first).
    """

    kind: str  # "relation" | "role"
    name: str  # relation type name, or role name
    display_ar: str
    display_en: str
    key: str = ""
    event_type: str = ""
    event: Event | None = None

    def display(self, language: str) -> str:
        return self.display_ar if language == "ar" else self.display_en


def reading_order(spans: Iterable[Span]) -> list[Span]:
    """Spans in text order; at one start, the longer first (as Tab between spans goes)."""
    return sorted(spans, key=lambda s: (s.start, -s.end, s.label))


def same_span(a: Span, b: Span) -> bool:
    return (a.id is not None and a.id == b.id) or (a.id is None and a.key == b.key)


def relation_choice(schema: Schema, name: str) -> LinkChoice:
    kind = schema.relation_type(name)
    return LinkChoice("relation", kind.name, kind.display_ar, kind.display_en, kind.key)


def role_choice(kind: EventType, role: Role, event: Event | None) -> LinkChoice:
    return LinkChoice("role", role.name, role.display_ar, role.display_en, role.key, kind.name, event)


def event_types_for(schema: Schema, trigger: Span) -> list[EventType]:
    """Event types a span may trigger (its label is their trigger label)."""
    return [kind for kind in schema.event_types if kind.trigger_label == trigger.label]


def events_of(trigger: Span, events: Sequence[Event]) -> list[Event]:
    return [event for event in events if same_span(event.trigger, trigger)]


def allowed(schema: Schema, choice: LinkChoice, source: Span, target: Span) -> bool:
    """May ``choice`` link ``source`` (head, or trigger) to ``target``?"""
    if same_span(source, target):
        return False
    if choice.kind == "relation":
        return schema.relation_type(choice.name).allows(source.label, target.label)
    role = schema.event_type(choice.event_type).role(choice.name)
    return target.label in role.labels


def candidates(schema: Schema, choice: LinkChoice, source: Span, spans: Iterable[Span],
               relations: Sequence[Relation] = ()) -> list[Span]:
    """The spans ``choice`` may link ``source`` to, in reading order; a link already made
    (the same type to the same span, the same role filled by it) is not offered again.

    >>> from annotator.model import RelationType, Label
    >>> text = "قصف صاروخي على حقل العمر"
    >>> spans = [Span(0, 3, "EVENT", "قصف", "", 1), Span(4, 10, "WEAPON", "صاروخي", "", 2),
    ...          Span(15, 24, "LOCATION", "حقل العمر", "", 3)]
    >>> schema = Schema("n", (), relation_types=(
    ...     RelationType("located-in", "يقع في", "located in", ("EVENT",), ("LOCATION",)),))
    >>> [s.text for s in candidates(schema, relation_choice(schema, "located-in"), spans[0], spans)]
    ['حقل العمر']
    """
    taken: set[object] = set()
    if choice.kind == "relation":
        taken = {_ident(r.tail) for r in relations if r.type == choice.name and same_span(r.head, source)}
    elif choice.event is not None:
        taken = {_ident(a.span) for a in choice.event.arguments if a.role == choice.name}
    return [s for s in reading_order(spans)
            if allowed(schema, choice, source, s) and _ident(s) not in taken]


def nearest(source: Span, spans: Sequence[Span], used: Iterable[Span] = ()) -> int:
    """Index of the span of ``spans`` nearest ``source`` in the text (ties: the later one,
    since a report names the strike first and then where, with what, and who says so).
    Spans in ``used`` (already filling a role of the source's event: one span seldom plays two
    roles of one event) come after every other, so the first offered is most often the one meant.

    >>> src = Span(10, 14, "ATTACK", "قصفا")
    >>> near, far = Span(15, 20, "LOCATION", "العمر"), Span(30, 35, "LOCATION", "الزور")
    >>> nearest(src, [near, far]), nearest(src, [near, far], used=[near])
    (0, 1)
    """
    taken = {_ident(s) for s in used}

    def gap(span: Span) -> tuple[bool, int, int]:
        distance = max(span.start - source.end, source.start - span.end, 0)
        return _ident(span) in taken, distance, 0 if span.start >= source.start else 1

    return min(range(len(spans)), key=lambda i: gap(spans[i])) if spans else -1


def first_offered(choice: LinkChoice, source: Span, found: Sequence[Span],
                  relations: Sequence[Relation], events: Sequence[Event]) -> int:
    """Index in ``found`` (the candidates of ``choice`` from ``source``) of the one link mode
    boxes first (:func:`nearest`). For a role, the spans already filling the event's roles
    come last; for a relation, the tails of the source's other relations do, and an argument
    of the source's event does NOT (``reported-by`` from a trigger names its ``source`` again:
    passing it over made the hand Tab back to it).
    """
    if choice.kind == "relation":
        used = [r.tail for r in relations if same_span(r.head, source)]
    else:
        used = [a.span for e in events_of(source, events) if e.type == choice.event_type for a in e.arguments]
    return nearest(source, found, used)


def empty_slots(kind: EventType, event: Event | None, after: str = "") -> list[Role]:
    """The roles of ``kind`` that ``event`` (None: not made yet) leaves empty, in the order
    the desk offers them: required ones (multiplicity ``one``) first, then schema order
    going on from the role ``after`` (the one just filled) and round.

    Why schema order: it is the event panel's, so the hand knows which slot comes next.

    >>> from annotator.model import Role
    >>> kind = EventType("attack", "", "", "ATTACK", tuple(
    ...     Role(n, "", "", ("X",), "one" if n == "place" else "many") for n in ("who", "what", "place", "when")))
    >>> [r.name for r in empty_slots(kind, None, after="what")]
    ['place', 'when', 'who']
    """
    names = [role.name for role in kind.roles]
    at = names.index(after) + 1 if after in names else 0
    order = [*kind.roles[at:], *kind.roles[:at]]
    filled = {a.role for a in event.arguments} if event is not None else set()
    empty = [role for role in order if role.name not in filled]
    return sorted(empty, key=lambda role: role.multiplicity != "one")  # stable: required first


def open_slot(schema: Schema, trigger: Span, spans: Sequence[Span], relations: Sequence[Relation],
              events: Sequence[Event], after: LinkChoice | None = None) -> LinkChoice | None:
    """The slot of ``trigger``'s frame to offer next: the first of :func:`empty_slots` that
    some span may fill (after the role ``after`` just filled, in its event type; else in each
    event type the trigger may have, its event made or not). None: nothing left to offer."""
    kinds = event_types_for(schema, trigger)
    if after is not None:
        kinds = [k for k in kinds if k.name == after.event_type]
    for kind in kinds:
        event = next((e for e in events_of(trigger, events) if e.type == kind.name), None)
        for role in empty_slots(kind, event, after.name if after is not None else ""):
            choice = role_choice(kind, role, event)
            if candidates(schema, choice, trigger, spans, relations):
                return choice
    return None


def next_frame(schema: Schema, spans: Sequence[Span], relations: Sequence[Relation],
               events: Sequence[Event], here: int, *, forward: bool = True,
               current: Span | None = None) -> tuple[Span, LinkChoice] | None:
    """The next trigger (in reading order from code point ``here``, or from ``current``;
    round the article) whose frame has a slot to offer, and that slot: where ``]`` goes.
    ``current`` itself comes last, so ``]`` on the only open frame stays on it.

    >>> from annotator.model import Role
    >>> kind = EventType("attack", "", "", "ATTACK", (Role("place", "", "", ("LOCATION",)),))
    >>> schema = Schema("n", (), event_types=(kind,))
    >>> spans = [Span(0, 3, "ATTACK", "قصف", "", 1), Span(4, 8, "LOCATION", "حلب", "", 2),
    ...          Span(9, 13, "ATTACK", "غارة", "", 3)]
    >>> trigger, slot = next_frame(schema, spans, [], [], 5)
    >>> trigger.text, slot.name
    ('غارة', 'place')
    >>> next_frame(schema, spans, [], [], 5, forward=False)[0].text
    'قصف'
    """
    triggers = [s for s in reading_order(spans) if event_types_for(schema, s)]
    if not forward:
        triggers.reverse()
    if current is not None and any(same_span(current, t) for t in triggers):
        at = next(i for i, t in enumerate(triggers) if same_span(current, t)) + 1
    elif forward:
        at = next((i for i, t in enumerate(triggers) if t.start >= here), len(triggers))
    else:
        at = next((i for i, t in enumerate(triggers) if t.start < here), len(triggers))
    for trigger in [*triggers[at:], *triggers[:at]]:
        slot = open_slot(schema, trigger, spans, relations, events)
        if slot is not None:
            return trigger, slot
    return None


def choices_for(schema: Schema, source: Span, events: Sequence[Event]) -> list[LinkChoice]:
    """Every kind of link that may start at ``source``: the relation types whose head (or,
    symmetric, tail) label it has, then the roles of the events it triggers (or may)."""
    out = [relation_choice(schema, kind.name) for kind in schema.relation_types
           if source.label in kind.heads or (kind.symmetric and source.label in kind.tails)]
    for kind in event_types_for(schema, source):
        mine = [e for e in events_of(source, events) if e.type == kind.name]
        for role in kind.roles:
            out.append(role_choice(kind, role, mine[0] if mine else None))
    return out


def choices_between(schema: Schema, source: Span, target: Span,
                    events: Sequence[Event]) -> list[LinkChoice]:
    """The kinds of link a drag from ``source`` to ``target`` may make."""
    return [c for c in choices_for(schema, source, events) if allowed(schema, c, source, target)]


def choice_for_key(schema: Schema, source: Span, events: Sequence[Event], key: str) -> LinkChoice | None:
    """The relation or role bound to ``key`` that may start at ``source`` (None: not a link key)."""
    key = key.lower()
    return next((c for c in choices_for(schema, source, events) if c.key and c.key.lower() == key), None)


def _ident(span: Span) -> object:
    return span.id if span.id is not None else span.key
