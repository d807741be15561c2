"""Character spans <-> token tag sequences (IOB2, BIOES), as pure, symmetric functions.

Modelled on spaCy's ``training/iob_utils.py``. Two layers:

* **ranges** ``(label, first, end)`` are entities over token *indices*, half-open ``[first, end)``;
  :func:`tags_to_ranges` and :func:`ranges_to_tags` convert them to and from tags and know nothing
  about text.
* **spans** are :class:`annotator.model.Span` over code points; :func:`spans_to_tags` and
  :func:`tags_to_spans` go through tokens (which carry code-point offsets) to ranges.

Reading accepts IOB1, IOB2, BIOES/IOBES and BILOU (``L`` = ``E``, ``U`` = ``S``) with one lenient
decoder, the one seqeval's ``get_entities`` uses: a continuation (``I-X``, ``E-X``) that does not
continue an open ``X`` entity starts a new one. Under IOB1 that is the rule itself; under IOB2 or
BIOES it is a repair of real annotation noise, and it is reported as a :class:`TagRepair` so a
reader can show the user what it changed (or refuse, with ``repair=False``).

Tag spelling (:func:`parse_tag`) is tolerant only where one reading is possible:

========================  =============  ================================================
written                   read as        why
========================  =============  ================================================
``O``                     ``O``
``OO``, ``IO``, ``BO``    ``O``          a prefix letter glued to ``O``: no label to keep
``I--ORG``, ``B-ORG-``    ``I-ORG``      doubled or trailing separators
``B-MIS1`` + backquote    ``B-MIS1``     stray punctuation at the ends of the label
``b-per``                 ``B-per``      the prefix letter is a scheme's; the label is as written
``L-X``, ``U-X``          ``E-X``, ``S-X``  BILOU is BIOES with other letters (not a repair)
``B-MIS-1``, ``B-MISS1``  kept as is     valid label names; renaming is the user's call
``B-Population-Center``   kept as is     a corpus's label case is its own (``--map-labels``)
``PER``, ``B-``, ``X-P``  ``ValueError``  no prefix, no label, or an unknown prefix
========================  =============  ================================================

Under BIOES/BILOU (``bioes=True`` in :func:`tags_to_ranges`), an entity must end with ``E-``/``L-``
(or be one ``S-``/``U-`` token): ``B-PER`` followed by ``O`` is an **unclosed** entity, read as
``S-PER`` and reported as a repair (refused with ``repair=False``), like a continuation without its
start.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from annotator.errors import SpanError
from annotator.model import Span, Token, is_valid_label_name, make_span

Scheme = Literal["iob2", "bioes"]
SCHEMES: tuple[str, ...] = ("iob2", "bioes")
_PREFIX_ALIASES = {"B": "B", "I": "I", "E": "E", "S": "S", "L": "E", "U": "S"}
_SCHEME_PREFIXES = {"iob1": {"B", "I"}, "iob2": {"B", "I"}, "bioes": {"B", "I", "E", "S"}}
_STRAY = "`'\"-_.,;:!?*#~^()[]{}<>|\\/ "

Range = tuple[str, int, int]
"""``(label, first, end)``: an entity over token indices ``[first, end)``."""


class TagError(ValueError):
    """A tag that cannot be read, or (with ``repair=False``) an invalid sequence; ``index`` locates it."""

    def __init__(self, message: str, index: int | None = None) -> None:
        super().__init__(message)
        self.index = index


@dataclass(frozen=True)
class TagRepair:
    """One change the decoder made: the tag at ``index`` was read as ``repaired``."""

    index: int
    original: str
    repaired: str
    reason: str

    @property
    def kind(self) -> str:
        """``respelled``, ``continuation`` (no start) or ``unclosed``: what summaries group by."""
        if self.reason.startswith("no open"):
            return "continuation"
        return "unclosed" if self.reason.startswith("unclosed") else self.reason


@dataclass(frozen=True)
class TagResult:
    """What :func:`spans_to_tags` produced, and which spans it could not place."""

    tags: list[str]
    dropped: list[Span] = field(default_factory=list)


@dataclass(frozen=True)
class DecodeResult:
    """What :func:`tags_to_ranges` read, and every repair it made on the way."""

    ranges: list[Range]
    repairs: list[TagRepair] = field(default_factory=list)


def parse_tag(tag: str) -> tuple[str, str | None]:
    """Read a tag as ``(prefix, label)``: prefix one of ``O B I E S``, label ``None`` for ``O``.

    Raises :class:`TagError` for a tag with no unambiguous reading (see the module table).

    >>> parse_tag("B-PER"), parse_tag("O"), parse_tag("OO"), parse_tag("I--ORG")
    (('B', 'PER'), ('O', None), ('O', None), ('I', 'ORG'))
    >>> parse_tag("B-MIS1`"), parse_tag("U-LOC"), parse_tag("B-MIS-1"), parse_tag("b-Population-Center")
    (('B', 'MIS1'), ('S', 'LOC'), ('B', 'MIS-1'), ('B', 'Population-Center'))
    """
    raw = tag.strip()
    upper = raw.upper()
    if upper == "O" or (len(upper) == 2 and upper[1] == "O" and upper[0] in "BIO"):
        return ("O", None)
    head, sep, rest = raw.partition("-")
    prefix = _PREFIX_ALIASES.get(head.upper())
    if not sep or prefix is None:
        raise TagError(f"cannot read tag {tag!r}: expected O or a prefix B/I/E/S/L/U, '-', a label")
    label = rest.strip(_STRAY)
    if not is_valid_label_name(label):
        raise TagError(f"cannot read tag {tag!r}: {label!r} is not a valid label name")
    return (prefix, label)


def format_tag(prefix: str, label: str | None) -> str:
    """The canonical spelling of a parsed tag.

    >>> format_tag("B", "PER"), format_tag("O", None)
    ('B-PER', 'O')
    """
    return "O" if prefix == "O" or label is None else f"{prefix}-{label}"


def normalize_tag(tag: str) -> str:
    """The canonical spelling of ``tag`` (raises :class:`TagError` like :func:`parse_tag`).

    >>> normalize_tag("I--ORG"), normalize_tag("L-X")
    ('I-ORG', 'E-X')
    """
    return format_tag(*parse_tag(tag))


def tags_to_ranges(
    tags: Sequence[str],
    *,
    repair: bool = True,
    label_map: Mapping[str, str] | None = None,
    bioes: bool = False,
) -> DecodeResult:
    """Decode tags of any supported scheme into entities over token indices.

    ``label_map`` renames labels as tags are read (before entities are joined, so ``B-MISS1
    I-MIS1`` with ``{"MISS1": "MIS1"}`` is one entity); a rename is the caller's choice, not a repair.
    ``bioes=True`` says the tags are BIOES/BILOU, so an entity must be closed by ``E-`` (the caller
    knows the scheme of a whole file; one sentence of ``B-``/``I-`` tags cannot tell).

    With ``repair=False`` a respelled tag, a continuation without its start or an unclosed BIOES
    entity raises :class:`TagError` carrying the token index; with ``repair=True`` each becomes a
    :class:`TagRepair`.

    >>> tags_to_ranges(["B-PER", "I-PER", "O", "S-LOC", "B-ORG", "E-ORG"]).ranges
    [('PER', 0, 2), ('LOC', 3, 4), ('ORG', 4, 6)]
    >>> result = tags_to_ranges(["O", "I-PER", "I-PER"])
    >>> result.ranges, result.repairs[0].repaired
    ([('PER', 1, 3)], 'B-PER')
    >>> result = tags_to_ranges(["B-PER", "O", "S-LOC"], bioes=True)
    >>> result.ranges, result.repairs[0].repaired, result.repairs[0].kind
    ([('PER', 0, 1), ('LOC', 2, 3)], 'S-PER', 'unclosed')
    """
    ranges: list[Range] = []
    repairs: list[TagRepair] = []
    open_label: str | None = None
    open_first = 0

    def note(index: int, original: str, repaired: str, reason: str) -> None:
        if not repair:
            raise TagError(f"tag {original!r} at token {index + 1}: {reason}", index)
        repairs.append(TagRepair(index, original, repaired, reason))

    def close(end: int, closed: bool = False) -> None:
        """End the open entity at token ``end``; under BIOES only an ``E-`` closes it properly."""
        nonlocal open_label
        if open_label is None:
            return
        ranges.append((open_label, open_first, end))
        if bioes and not closed:
            fixed = format_tag("S" if end - 1 == open_first else "E", open_label)
            note(end - 1, tags[end - 1], fixed, f"unclosed {open_label} entity (no E- tag)")
        open_label = None

    for index, tag in enumerate(tags):
        try:
            prefix, label = parse_tag(tag)
        except TagError as exc:
            raise TagError(str(exc), index) from None
        canonical = format_tag(prefix, label)
        if canonical != tag and not _is_bilou_alias(tag, canonical):
            note(index, tag, canonical, "respelled")
        if label_map and label is not None:
            label = label_map.get(label, label)
        continues = prefix in ("I", "E") and open_label == label
        if prefix in ("I", "E") and not continues:
            fixed = "B" if prefix == "I" else "S"
            note(index, tag, format_tag(fixed, label), f"no open {label} entity to continue")
        if prefix == "O" or not continues:
            close(index)
        if prefix in ("B", "I") and not continues:
            open_label, open_first = label, index
        elif prefix in ("E", "S") and not continues:
            ranges.append((str(label), index, index + 1))
        elif prefix == "E":
            close(index + 1, closed=True)
    close(len(tags))
    return DecodeResult(ranges, repairs)


def _is_bilou_alias(tag: str, canonical: str) -> bool:
    """``L-X``/``U-X`` are BILOU's names for ``E-X``/``S-X``: a scheme, not a mistake."""
    return tag[:2] in ("L-", "U-") and canonical == _PREFIX_ALIASES[tag[0]] + tag[1:]


def ranges_to_tags(ranges: Sequence[Range], length: int, scheme: str = "iob2") -> list[str]:
    """Encode non-overlapping entities over ``length`` tokens in ``scheme`` (``iob2`` or ``bioes``).

    >>> ranges_to_tags([("PER", 0, 2), ("LOC", 3, 4)], 4, "bioes")
    ['B-PER', 'E-PER', 'O', 'S-LOC']
    """
    _check_scheme(scheme, SCHEMES)
    tags = ["O"] * length
    for label, first, end in ranges:
        if not (0 <= first < end <= length):
            raise ValueError(f"range {label} [{first}, {end}) is outside {length} tokens")
        if any(tag != "O" for tag in tags[first:end]):
            raise ValueError(f"range {label} [{first}, {end}) overlaps another range")
        if scheme == "bioes" and end - first == 1:
            tags[first] = f"S-{label}"
            continue
        tags[first] = f"B-{label}"
        for index in range(first + 1, end):
            tags[index] = f"I-{label}"
        if scheme == "bioes":
            tags[end - 1] = f"E-{label}"
    return tags


def spans_to_tags(
    tokens: Sequence[Token], spans: Sequence[Span], scheme: str = "iob2"
) -> TagResult:
    """Tag ``tokens`` with ``spans``; spans that overlap an already placed span are dropped.

    Placement order is deterministic: longest span (in code points) first, ties by earlier start,
    then label. Identical ``(start, end, label)`` duplicates count once. Every span must start at
    a token's start and end at a token's end (split tokens first), else :class:`SpanError`.

    >>> text = "زار علي دمشق"
    >>> tokens = [Token("زار", 0, 3), Token("علي", 4, 7), Token("دمشق", 8, 12)]
    >>> spans_to_tags(tokens, [make_span(text, len("زار "), len(text), "LOC")]).tags
    ['O', 'B-LOC', 'I-LOC']
    """
    _check_scheme(scheme, SCHEMES)
    ranges, dropped = spans_to_ranges(tokens, spans)
    return TagResult(ranges_to_tags([r for r, _ in ranges], len(tokens), scheme), dropped)


def spans_to_ranges(
    tokens: Sequence[Token], spans: Sequence[Span]
) -> tuple[list[tuple[Range, Span]], list[Span]]:
    """Place spans as token ranges (the overlap policy of :func:`spans_to_tags`).

    Returns the placed ``(range, span)`` pairs in token order and the dropped spans in text order.
    """
    first_of = {tok.start: i for i, tok in enumerate(tokens)}
    last_of = {tok.end: i for i, tok in enumerate(tokens)}
    return place_spans(first_of, last_of, len(tokens), spans)


def place_spans(
    first_of: Mapping[int, int], last_of: Mapping[int, int], length: int, spans: Sequence[Span]
) -> tuple[list[tuple[Range, Span]], list[Span]]:
    """:func:`spans_to_ranges` given, for each span boundary, the index of the token that starts
    (``first_of``) or ends (``last_of``) there, among ``length`` tokens.

    Lets a caller holding token offsets as arrays map only the spans' boundaries, not every token.
    """
    unique = {span.key: span for span in reversed(list(spans))}
    order = sorted(unique.values(), key=lambda s: (s.start - s.end, s.start, s.label))
    taken = [False] * length
    placed: list[tuple[Range, Span]] = []
    dropped: list[Span] = []
    for span in order:
        first, last = first_of.get(span.start), last_of.get(span.end)
        if first is None or last is None or last < first:
            raise SpanError(
                f"span [{span.start}, {span.end}) {span.label} does not start and end on token boundaries"
            )
        if any(taken[first : last + 1]):
            dropped.append(span)
            continue
        taken[first : last + 1] = [True] * (last + 1 - first)
        placed.append(((span.label, first, last + 1), span))
    placed.sort(key=lambda pair: pair[0][1])
    dropped.sort(key=lambda s: (s.start, -s.end, s.label))
    return placed, dropped


def tags_to_spans(
    tokens: Sequence[Token], tags: Sequence[str], *, text: str, repair: bool = True
) -> list[Span]:
    """Spans over ``text`` from one tag per token; span text is the slice of ``text``.

    >>> text = "زار علي دمشق"
    >>> tokens = [Token("زار", 0, 3), Token("علي", 4, 7), Token("دمشق", 8, 12)]
    >>> [(s.start, s.end, s.label, s.text) for s in tags_to_spans(tokens, ["O", "B-PER", "B-LOC"], text=text)]
    [(4, 7, 'PER', 'علي'), (8, 12, 'LOC', 'دمشق')]
    """
    if len(tokens) != len(tags):
        raise ValueError(f"{len(tokens)} tokens but {len(tags)} tags")
    ranges = tags_to_ranges(tags, repair=repair).ranges
    return [make_span(text, tokens[f].start, tokens[e - 1].end, label) for label, f, e in ranges]


def convert(tags: Sequence[str], from_scheme: str, to_scheme: str) -> list[str]:
    """Re-encode a valid tag sequence; ``from_scheme`` may be ``iob1``, ``iob2`` or ``bioes``.

    Raises :class:`TagError` for a tag foreign to ``from_scheme`` or (except from IOB1, where an
    ``I-`` may start an entity) a continuation without its start.

    >>> convert(["B-PER", "I-PER", "O", "B-LOC"], "iob2", "bioes")
    ['B-PER', 'E-PER', 'O', 'S-LOC']
    >>> convert(["B-PER", "E-PER", "O", "S-LOC"], "bioes", "iob2")
    ['B-PER', 'I-PER', 'O', 'B-LOC']
    """
    _check_scheme(from_scheme, tuple(_SCHEME_PREFIXES))
    _check_scheme(to_scheme, SCHEMES)
    allowed = _SCHEME_PREFIXES[from_scheme]
    for index, tag in enumerate(tags):
        prefix, _ = parse_tag(tag)
        if prefix != "O" and prefix not in allowed:
            raise TagError(f"tag {tag!r} at token {index + 1} is not {from_scheme}", index)
    decoded = tags_to_ranges(tags, repair=from_scheme == "iob1")
    return ranges_to_tags(decoded.ranges, len(tags), to_scheme)


def _check_scheme(scheme: str, allowed: Sequence[str]) -> None:
    if scheme not in allowed:
        raise ValueError(f"unknown tag scheme {scheme!r}; expected one of {', '.join(allowed)}")
