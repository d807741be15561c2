"""The core's value objects: frozen dataclasses with their invariants.

Offsets everywhere are Python code points, half-open ``[start, end)``, over an article's stored
text. That text never changes after import, so an offset stays valid for the life of a project.
Qt's UTF-16 positions and doccano's JavaScript offsets are converted at their own boundaries
(``annotator.text.offsets``), never stored.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

from annotator.errors import SpanError

GOLD = "gold"
"""The reserved layer name of adjudicated spans."""

_EMPTY: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True)
class Token:
    """A token of an article: ``text == article_text[start:end]``."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Span:
    """A labelled ``[start, end)`` range of code points, with the text it covers kept beside it.

    ``text`` is redundant on purpose: checking ``article.text[start:end] == span.text`` on every
    write and export catches any offset drift (an encoding slip, a rewritten text) at once.

    >>> Span(0, 4, "LOCATION", "دمشق", "ali").end
    4
    """

    start: int
    end: int
    label: str
    text: str
    annotator: str = ""
    id: int | None = None
    provenance: str = ""

    def __post_init__(self) -> None:
        if self.start < 0 or self.end <= self.start:
            raise SpanError(f"span [{self.start}, {self.end}) is empty or reversed")
        if len(self.text) != self.end - self.start:
            raise SpanError(
                f"span [{self.start}, {self.end}) has text of length {len(self.text)}"
            )

    @property
    def key(self) -> tuple[int, int, str]:
        """What makes two spans 'the same annotation' regardless of who made them."""
        return (self.start, self.end, self.label)

    def with_annotator(self, annotator: str) -> Span:
        """This span in ``annotator``'s layer; ``self`` when it is already there (an import
        calls this per span, and ``dataclasses.replace`` re-validates: ~5 us each)."""
        if annotator == self.annotator:
            return self
        return replace(self, annotator=annotator)


def make_span(text: str, start: int, end: int, label: str, annotator: str = "", **kw: Any) -> Span:
    """Build a span over ``text``, taking its covered text from it (and checking the range).

    >>> make_span("في دمشق اليوم", len("في "), len("في دمشق"), "LOCATION").text
    'دمشق'
    """
    if not (0 <= start < end <= len(text)):
        raise SpanError(f"span [{start}, {end}) is outside a text of {len(text)} characters")
    return Span(start, end, label, text[start:end], annotator, **kw)


def check_span(text: str, span: Span) -> None:
    """Raise :class:`SpanError` unless ``span`` covers exactly its recorded text in ``text``."""
    if span.end > len(text):
        raise SpanError(
            f"span [{span.start}, {span.end}) {span.label} is outside a text of {len(text)} characters"
        )
    actual = text[span.start : span.end]
    if actual != span.text:
        raise SpanError(
            f"span [{span.start}, {span.end}) {span.label} records {span.text!r} but the text there is {actual!r}"
        )


def normalize_newlines(text: str) -> str:
    r"""The only rewrite imported text ever gets: ``\r\n`` and lone ``\r`` become ``\n``."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def content_hash(text: str) -> str:
    """Identity of an article's text: re-importing the same text is recognised by it."""
    import hashlib  # on first use: loading OpenSSL's hashes is ~2 ms of every desk start

    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Document:
    """An article as a format reads or writes it: no database identity, spans by layer name.

    ``doc_id`` is the identifier the outside world uses (a file stem, a JSONL ``id``); the store
    keeps it, and keeps it unique.
    """

    doc_id: str
    text: str
    title: str = ""
    spans: tuple[Span, ...] = ()
    meta: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)
    relations: tuple[Relation, ...] = ()
    events: tuple[Event, ...] = ()

    def check(self) -> None:
        for span in self.spans:
            check_span(self.text, span)
        keys = {(span.annotator, span.key) for span in self.spans}
        for link in self.relations:
            for end in (link.head, link.tail):
                if (end.annotator, end.key) not in keys:
                    raise SpanError(f"relation {link.type} points at a span the document lacks: {end.key}")
        for event in self.events:
            for end in (event.trigger, *(arg.span for arg in event.arguments)):
                if (end.annotator, end.key) not in keys:
                    raise SpanError(f"event {event.type} points at a span the document lacks: {end.key}")


@dataclass(frozen=True)
class Relation:
    """A typed, directed link from ``head`` to ``tail``, two spans of the same layer.

    The ends are whole :class:`Span` values, not ids: a format's :class:`Document` has no ids,
    and agreement compares links by their ends' :attr:`Span.key`. In the store the ends carry
    their span ids. A symmetric type (schema) is stored as written and compared unordered.

    >>> strike = Span(0, 3, "EVENT", "قصف", "ali", 1)
    >>> agency = Span(10, 17, "SOURCE", "سبوتنيك", "ali", 2)
    >>> Relation("reported-by", strike, agency, "ali").key
    ('reported-by', (0, 3, 'EVENT'), (10, 17, 'SOURCE'))
    """

    type: str
    head: Span
    tail: Span
    annotator: str = ""
    id: int | None = None
    provenance: str = ""

    @property
    def key(self) -> tuple[str, tuple[int, int, str], tuple[int, int, str]]:
        """What makes two relations 'the same annotation' regardless of who made them."""
        return (self.type, self.head.key, self.tail.key)


@dataclass(frozen=True)
class EventArgument:
    """One filled role of an event: ``span`` plays ``role`` (``place``, ``instrument``, ...)."""

    role: str
    span: Span

    @property
    def key(self) -> tuple[str, tuple[int, int, str]]:
        return (self.role, self.span.key)


@dataclass(frozen=True)
class Event:
    """An event frame: a ``trigger`` span (labelled with the event type's trigger label) and
    its role arguments, each pointing at a span of the same layer. A span may fill roles of
    several events, and a role with multiplicity ``many`` may be filled several times.
    Arguments are kept in schema role order, then text order, so output is deterministic.
    """

    type: str
    trigger: Span
    arguments: tuple[EventArgument, ...] = ()
    annotator: str = ""
    id: int | None = None
    provenance: str = ""

    @property
    def key(self) -> tuple[str, tuple[int, int, str]]:
        """Events are matched by type and trigger; their arguments are compared one by one."""
        return (self.type, self.trigger.key)


@dataclass(frozen=True)
class Article:
    """An article as the store holds it."""

    id: int
    doc_id: str
    title: str
    text: str
    meta: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)
    content_hash: str = ""


_LABEL_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_\-]*$")


@dataclass(frozen=True)
class Label:
    """One entry of a label schema."""

    name: str
    display_ar: str
    display_en: str
    color: str
    key: str = ""
    description: str = ""

    def display(self, language: str) -> str:
        return self.display_ar if language == "ar" else self.display_en


MULTIPLICITIES = ("one", "optional", "many")
"""How often an event role may be filled: exactly once, at most once, any number of times."""


@dataclass(frozen=True)
class RelationType:
    """A relation the schema allows: from a span labelled one of ``heads`` to one of ``tails``.

    ``symmetric`` types (``same-as``) have no direction: agreement and review compare them
    unordered, and exports that carry a direction write them as stored.
    """

    name: str
    display_ar: str
    display_en: str
    heads: tuple[str, ...]
    tails: tuple[str, ...]
    key: str = ""
    symmetric: bool = False
    description: str = ""

    def display(self, language: str) -> str:
        return self.display_ar if language == "ar" else self.display_en

    def allows(self, head_label: str, tail_label: str) -> bool:
        ok = head_label in self.heads and tail_label in self.tails
        return ok or (self.symmetric and tail_label in self.heads and head_label in self.tails)


@dataclass(frozen=True)
class Role:
    """One argument slot of an event type: which labels may fill it, and how often."""

    name: str
    display_ar: str
    display_en: str
    labels: tuple[str, ...]
    multiplicity: str = "optional"
    key: str = ""
    description: str = ""

    def display(self, language: str) -> str:
        return self.display_ar if language == "ar" else self.display_en


@dataclass(frozen=True)
class EventType:
    """An event frame the schema allows: its trigger's label and its roles, in display order."""

    name: str
    display_ar: str
    display_en: str
    trigger_label: str
    roles: tuple[Role, ...]
    key: str = ""
    description: str = ""

    def display(self, language: str) -> str:
        return self.display_ar if language == "ar" else self.display_en

    def role(self, name: str) -> Role:
        for role in self.roles:
            if role.name == name:
                return role
        raise KeyError(name)


@dataclass(frozen=True)
class Schema:
    """A versioned label set. ``version`` counts changes made inside one project."""

    name: str
    labels: tuple[Label, ...]
    version: int = 1
    language: str = "ar"
    relation_types: tuple[RelationType, ...] = ()
    event_types: tuple[EventType, ...] = ()

    def relation_type(self, name: str) -> RelationType:
        for kind in self.relation_types:
            if kind.name == name:
                return kind
        raise KeyError(name)

    def event_type(self, name: str) -> EventType:
        for kind in self.event_types:
            if kind.name == name:
                return kind
        raise KeyError(name)

    def label(self, name: str) -> Label:
        for label in self.labels:
            if label.name == name:
                return label
        raise KeyError(name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(label.name for label in self.labels)

    def by_key(self, key: str) -> Label | None:
        for label in self.labels:
            if label.key and label.key == key:
                return label
        return None


def is_valid_label_name(name: str) -> bool:
    """A letter, then letters, digits, ``_`` or ``-``; case is kept as a corpus writes it
    (``Population-Center`` stays so, and is not ``POPULATION-CENTER``).

    >>> is_valid_label_name("Population-Center"), is_valid_label_name("1ST")
    (True, False)
    """
    return bool(_LABEL_NAME.match(name))


def sort_spans(spans: Sequence[Span]) -> list[Span]:
    """Text order: by start, longer first, then label, so output is deterministic."""
    return sorted(spans, key=lambda s: (s.start, -s.end, s.label, s.annotator))



def span_to_dict(span: Span) -> dict[str, Any]:
    """A span as JSON-able data: what the undo histories (the desk's and the review desk's) store.

    >>> span = Span(len("في "), len("في دمشق"), "LOCATION", "دمشق", "ali", 7)
    >>> span_from_dict(span_to_dict(span)) == span
    True
    """
    return {"id": span.id, "start": span.start, "end": span.end, "label": span.label,
            "text": span.text, "annotator": span.annotator, "provenance": span.provenance}


def span_from_dict(data: Mapping[str, Any], annotator: str | None = None) -> Span:
    """The span :func:`span_to_dict` wrote. ``annotator`` is the layer when ``data`` names none
    (the review desk's history rows written before issue 13 left out ``gold``)."""
    layer = data["annotator"] if annotator is None else data.get("annotator", annotator)
    return Span(data["start"], data["end"], data["label"], data["text"], layer, data["id"],
                data.get("provenance", ""))


PackageSpanRow = tuple[int, int, int, str, str, str, str]
"""``(article_id, start, end, label, text, annotator, provenance)`` as a work package holds it."""


@dataclass(frozen=True)
class PackageContents:
    """Everything merge needs from a work package, read and type-checked, nothing yet trusted.

    A value like :class:`Article`: the store's package reader returns it and the merge plan
    (a use case) reads it, so the plan needs no import of the store.
    """

    layout_version: int
    meta: dict[str, str]
    schema_version: int
    articles: list[tuple[int, str, str]]
    """``(id, doc_id, content_hash)`` in id order."""
    spans: list[PackageSpanRow]
    states: list[tuple[int, str, str]]
    """``(article_id, user, state)``."""
    span_ids: list[int] = field(default_factory=list)
    """The package's id of each row of ``spans`` (same order): what its links name."""
    relations: list[tuple[int, str, int, int, str, str]] = field(default_factory=list)
    """``(article_id, type, head span id, tail span id, annotator, provenance)`` (layout 7+)."""
    events: list[tuple[int, int, str, int, str, str]] = field(default_factory=list)
    """``(event id, article_id, type, trigger span id, annotator, provenance)`` (layout 7+)."""
    arguments: list[tuple[int, str, int]] = field(default_factory=list)
    """``(event id, role, span id)`` (layout 7+)."""
