"""Where annotators agree and where they differ: pure functions over span layers.

An article's spans from every layer are grouped into *regions*: maximal runs of spans that
overlap each other (through a chain of overlaps, across layers). Inside a region each layer
proposes a version, the tuple of its spans there (possibly none). Layers proposing the same
version form one :class:`Alternative`. A region where every layer (at least two) proposes the
same non-empty version is an agreement; anything else is a disagreement for a reviewer.

Why regions rather than span-by-span matching: a disagreement is often about boundaries (ali
labels "وزارة الدفاع", mona only "الدفاع") or about splitting one span into two; comparing whole
overlapping runs shows the reviewer every version of that stretch of text side by side, and
accepting one version replaces the whole stretch in gold in one decision.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from annotator.model import Span

SpanKey = tuple[int, int, str]


@dataclass(frozen=True)
class Alternative:
    """One version of a region: its spans (text order) and who proposed it."""

    spans: tuple[Span, ...]
    annotators: tuple[str, ...]

    @property
    def keys(self) -> tuple[SpanKey, ...]:
        return tuple(span.key for span in self.spans)

    @property
    def is_empty(self) -> bool:
        return not self.spans


@dataclass(frozen=True)
class Region:
    """A stretch ``[start, end)`` (code points) of overlapping spans and the versions of it."""

    start: int
    end: int
    alternatives: tuple[Alternative, ...]
    layers: tuple[str, ...]

    @property
    def agreed(self) -> bool:
        """Every layer (two or more) proposed the same spans here."""
        return len(self.alternatives) == 1 and len(self.layers) >= 2

    @property
    def bounds(self) -> tuple[int, int]:
        return (self.start, self.end)


def find_regions(layers: Mapping[str, Sequence[Span]]) -> list[Region]:
    """Regions of an article in text order; ``layers`` maps each layer name to its spans.

    A layer present with no spans takes part (it proposes "nothing" everywhere).
    Alternatives are ordered by support (most annotators first), "nothing" last among equals.

    >>> from annotator.model import make_span
    >>> text = "زار وزير الدفاع دمشق"
    >>> org = make_span(text, len("زار "), len("زار وزير الدفاع"), "ORGANIZATION")
    >>> org2 = make_span(text, len("زار وزير "), len("زار وزير الدفاع"), "ORGANIZATION")
    >>> loc = make_span(text, len("زار وزير الدفاع "), len(text), "LOCATION")
    >>> regions = find_regions({"ali": [org, loc], "mona": [org2, loc], "sara": [org, loc]})
    >>> [(r.bounds, r.agreed, [a.annotators for a in r.alternatives]) for r in regions]
    [((4, 15), False, [('ali', 'sara'), ('mona',)]), ((16, 20), True, [('ali', 'mona', 'sara')])]
    """
    names = tuple(sorted(layers))
    tagged = sorted(
        ((span, name) for name in names for span in _unique(layers[name])),
        key=lambda item: (item[0].start, item[0].end, item[0].label, item[1]),
    )
    regions: list[Region] = []
    group: list[tuple[Span, str]] = []
    end = -1
    for span, name in tagged:
        if group and span.start >= end:
            regions.append(_region(group, names))
            group = []
        group.append((span, name))
        end = max(end, span.end) if len(group) > 1 else span.end
    if group:
        regions.append(_region(group, names))
    return regions


def _unique(spans: Sequence[Span]) -> list[Span]:
    seen: dict[SpanKey, Span] = {}
    for span in spans:
        seen.setdefault(span.key, span)
    return list(seen.values())


def _region(group: list[tuple[Span, str]], names: tuple[str, ...]) -> Region:
    start = min(span.start for span, _ in group)
    end = max(span.end for span, _ in group)
    versions: dict[tuple[SpanKey, ...], list[str]] = {}
    spans_of: dict[tuple[SpanKey, ...], tuple[Span, ...]] = {}
    for name in names:
        mine = tuple(span for span, owner in group if owner == name)
        key = tuple(span.key for span in mine)
        versions.setdefault(key, []).append(name)
        spans_of.setdefault(key, mine)
    ordered = sorted(versions, key=lambda k: (-len(versions[k]), not k, k))
    alternatives = tuple(Alternative(spans_of[k], tuple(versions[k])) for k in ordered)
    return Region(start, end, alternatives, names)
