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
    Spans in ``used`` (already linked from the source: one span seldom plays two roles of one
    event) come after every other, so the first offered is most often the one meant.

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


def linked_from(source: Span, relations: Sequence[Relation], events: Sequence[Event]) -> list[Span]:
    """Spans ``source`` already links to: tails of its relations, arguments of its events."""
    out = [r.tail for r in relations if same_span(r.head, source)]
    return out + [a.span for e in events_of(source, events) for a in e.arguments]


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
