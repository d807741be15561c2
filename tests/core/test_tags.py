"""Tag schemes: spelling, decoding with repairs, encoding with the overlap policy, seqeval parity."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from seqeval.metrics.sequence_labeling import get_entities
from seqeval.scheme import IOB2, IOBES, Entities

from annotator.errors import SpanError
from annotator.model import Token, make_span
from annotator.tags import (
    TagError,
    TagRepair,
    convert,
    normalize_tag,
    parse_tag,
    ranges_to_tags,
    spans_to_tags,
    tags_to_ranges,
    tags_to_spans,
)

TEXT = "زار محمد بن سلمان دمشق اليوم"
WORDS = TEXT.split(" ")


def _tokens(text: str = TEXT) -> list[Token]:
    out, position = [], 0
    for word in text.split(" "):
        out.append(Token(word, position, position + len(word)))
        position += len(word) + 1
    return out


@pytest.mark.parametrize(
    ("tag", "parsed"),
    [
        ("O", ("O", None)),
        ("OO", ("O", None)),
        ("IO", ("O", None)),
        ("B-PER", ("B", "PER")),
        ("I--ORG", ("I", "ORG")),
        ("B-MIS1`", ("B", "MIS1")),
        ("B-MIS-1", ("B", "MIS-1")),
        ("B-MIS-2", ("B", "MIS-2")),
        ("B-MISS1", ("B", "MISS1")),
        ("B-SPANISH", ("B", "SPANISH")),
        ("b-per", ("B", "per")),
        ("B-Population-Center", ("B", "Population-Center")),
        ("B-ORG-", ("B", "ORG")),
        ("L-LOC", ("E", "LOC")),
        ("U-LOC", ("S", "LOC")),
        ("E-LOC", ("E", "LOC")),
        (" S-LOC ", ("S", "LOC")),
    ],
)
def test_parse_tag_reads_every_unambiguous_spelling(
    tag: str, parsed: tuple[str, str | None]
) -> None:
    assert parse_tag(tag) == parsed


@pytest.mark.parametrize(
    "tag", ["", "PER", "B-", "B-`", "X-PER", "O-PER", "B-1ST", "B-MI$S", "B PER"]
)
def test_parse_tag_refuses_what_it_cannot_read(tag: str) -> None:
    with pytest.raises(TagError):
        parse_tag(tag)


def test_normalize_tag_is_canonical_spelling() -> None:
    assert [normalize_tag(t) for t in ["OO", "I--ORG", "B-MIS1`", "U-X", "L-X"]] == [
        "O",
        "I-ORG",
        "B-MIS1",
        "S-X",
        "E-X",
    ]


def test_decode_every_scheme_to_the_same_ranges() -> None:
    expected = [("PER", 1, 4), ("LOC", 4, 5)]
    assert tags_to_ranges(["O", "B-PER", "I-PER", "I-PER", "B-LOC", "O"]).ranges == expected
    assert tags_to_ranges(["O", "B-PER", "I-PER", "E-PER", "S-LOC", "O"]).ranges == expected
    assert tags_to_ranges(["O", "B-PER", "I-PER", "L-PER", "U-LOC", "O"]).ranges == expected
    # IOB1: I- starts an entity, B- only separates two adjacent entities of one label
    iob1 = tags_to_ranges(["O", "I-PER", "I-PER", "I-PER", "I-LOC", "O"])
    assert iob1.ranges == expected
    assert iob1.repairs == [
        TagRepair(1, "I-PER", "B-PER", "no open PER entity to continue"),
        TagRepair(4, "I-LOC", "B-LOC", "no open LOC entity to continue"),
    ]


def test_bilou_letters_are_not_repairs() -> None:
    assert tags_to_ranges(["B-X", "L-X", "U-Y"]).repairs == []


def test_repairs_of_real_noise_are_reported() -> None:
    result = tags_to_ranges(["I--ORG", "B-LOC", "I-PER", "E-PER", "O", "E-MIS", "OO"])
    assert result.ranges == [("ORG", 0, 1), ("LOC", 1, 2), ("PER", 2, 4), ("MIS", 5, 6)]
    assert result.repairs == [
        TagRepair(0, "I--ORG", "I-ORG", "respelled"),
        TagRepair(0, "I--ORG", "B-ORG", "no open ORG entity to continue"),
        TagRepair(2, "I-PER", "B-PER", "no open PER entity to continue"),
        TagRepair(5, "E-MIS", "S-MIS", "no open MIS entity to continue"),
        TagRepair(6, "OO", "O", "respelled"),
    ]


def test_strict_decoding_raises_at_the_first_repair() -> None:
    with pytest.raises(TagError) as info:
        tags_to_ranges(["B-PER", "O", "I-PER"], repair=False)
    assert info.value.index == 2
    with pytest.raises(TagError) as info:
        tags_to_ranges(["O", "B-PER", "OO"], repair=False)
    assert info.value.index == 2


def test_unclosed_bioes_entities_are_repairs_and_strict_refuses_them() -> None:
    tags = ["B-PER", "O", "B-LOC", "I-LOC", "S-ORG", "B-MIS", "E-MIS", "B-PER"]
    result = tags_to_ranges(tags, bioes=True)
    assert result.ranges == [("PER", 0, 1), ("LOC", 2, 4), ("ORG", 4, 5), ("MIS", 5, 7), ("PER", 7, 8)]
    assert result.repairs == [
        TagRepair(0, "B-PER", "S-PER", "unclosed PER entity (no E- tag)"),
        TagRepair(3, "I-LOC", "E-LOC", "unclosed LOC entity (no E- tag)"),
        TagRepair(7, "B-PER", "S-PER", "unclosed PER entity (no E- tag)"),
    ]
    assert {r.kind for r in result.repairs} == {"unclosed"}
    with pytest.raises(TagError) as info:
        tags_to_ranges(["O", "B-PER", "O"], bioes=True, repair=False)
    assert info.value.index == 1
    # the same tags are valid IOB2: only a BIOES reading makes them unclosed
    assert tags_to_ranges(tags).repairs == []


def test_label_case_is_kept_as_written() -> None:
    result = tags_to_ranges(["B-Population-Center", "I-Population-Center", "B-PER", "b-per"])
    assert result.ranges == [("Population-Center", 0, 2), ("PER", 2, 3), ("per", 3, 4)]
    assert result.repairs == [TagRepair(3, "b-per", "B-per", "respelled")]


def test_unreadable_tag_carries_its_index() -> None:
    with pytest.raises(TagError) as info:
        tags_to_ranges(["O", "O", "PER"])
    assert info.value.index == 2


def test_spans_to_tags_both_schemes() -> None:
    tokens = _tokens()
    person = make_span(TEXT, len("زار "), len("زار محمد بن سلمان"), "PER")
    place = make_span(TEXT, len("زار محمد بن سلمان "), len("زار محمد بن سلمان دمشق"), "LOC")
    assert spans_to_tags(tokens, [place, person]).tags == [
        "O",
        "B-PER",
        "I-PER",
        "I-PER",
        "B-LOC",
        "O",
    ]
    assert spans_to_tags(tokens, [person, place], "bioes").tags == [
        "O",
        "B-PER",
        "I-PER",
        "E-PER",
        "S-LOC",
        "O",
    ]


def test_overlap_policy_longest_first_then_earlier_start_then_label() -> None:
    tokens = _tokens()
    long = make_span(TEXT, len("زار "), len("زار محمد بن سلمان"), "PER")
    inner = make_span(TEXT, len("زار "), len("زار محمد"), "PER")
    tie_late = make_span(TEXT, len("زار محمد بن "), len("زار محمد بن سلمان دمشق"), "LOC")
    result = spans_to_tags(tokens, [inner, tie_late, long])
    assert result.tags == ["O", "B-PER", "I-PER", "I-PER", "O", "O"]
    assert result.dropped == [inner, tie_late]
    # equal length and start: the label decides (alphabetical), independent of input order
    as_org = make_span(TEXT, len("زار "), len("زار محمد"), "ORG")
    for order in ([inner, as_org], [as_org, inner]):
        assert spans_to_tags(tokens, order).tags[1] == "B-ORG"


def test_identical_duplicates_count_once() -> None:
    span = make_span(TEXT, 0, len("زار"), "X", "ali")
    result = spans_to_tags(_tokens(), [span, span.with_annotator("mona")])
    assert result.tags[0] == "B-X"
    assert result.dropped == []


def test_span_off_token_boundaries_raises() -> None:
    inside = make_span(TEXT, 1, len("زار"), "X")
    with pytest.raises(SpanError):
        spans_to_tags(_tokens(), [inside])


def test_tags_to_spans_takes_text_from_the_original() -> None:
    tokens = _tokens()
    spans = tags_to_spans(tokens, ["O", "B-PER", "I-PER", "E-PER", "S-LOC", "O"], text=TEXT)
    assert [(s.start, s.end, s.label, s.text) for s in spans] == [
        (len("زار "), len("زار محمد بن سلمان"), "PER", "محمد بن سلمان"),
        (len("زار محمد بن سلمان "), len("زار محمد بن سلمان دمشق"), "LOC", "دمشق"),
    ]
    with pytest.raises(ValueError):
        tags_to_spans(tokens, ["O"], text=TEXT)


def test_convert_both_ways_and_strictness() -> None:
    iob2 = ["B-PER", "I-PER", "I-PER", "O", "B-LOC", "B-LOC", "I-LOC"]
    bioes = ["B-PER", "I-PER", "E-PER", "O", "S-LOC", "B-LOC", "E-LOC"]
    assert convert(iob2, "iob2", "bioes") == bioes
    assert convert(bioes, "bioes", "iob2") == iob2
    assert convert(["I-PER", "I-PER", "B-PER"], "iob1", "iob2") == ["B-PER", "I-PER", "B-PER"]
    with pytest.raises(TagError):
        convert(["S-PER"], "iob2", "bioes")
    with pytest.raises(TagError):
        convert(["O", "I-PER"], "iob2", "bioes")
    with pytest.raises(ValueError):
        convert(["O"], "iob2", "bilou")


def test_ranges_to_tags_refuses_overlap() -> None:
    with pytest.raises(ValueError):
        ranges_to_tags([("A", 0, 2), ("B", 1, 3)], 3)


# -- property tests: seqeval is the reference ------------------------------------------------

LABELS = st.sampled_from(["PER", "LOC"])
RANGES_AND_LENGTH = st.integers(min_value=0, max_value=12).flatmap(
    lambda n: st.tuples(st.just(n), st.lists(st.tuples(LABELS, st.integers(1, 3)), max_size=n))
)


def _layout(n: int, pieces: list[tuple[str, int]]) -> list[tuple[str, int, int]]:
    """Non-overlapping ranges from (label, length) pieces, each after a gap of 0 or 1 token."""
    ranges, position = [], 0
    for index, (label, length) in enumerate(pieces):
        position += index % 2
        if position + length > n:
            break
        ranges.append((label, position, position + length))
        position += length
    return ranges


@settings(max_examples=300, deadline=None)
@given(RANGES_AND_LENGTH)
def test_valid_sequences_match_seqeval(case: tuple[int, list[tuple[str, int]]]) -> None:
    n, pieces = case
    ranges = _layout(n, pieces)
    for scheme, seqeval_scheme in (("iob2", IOB2), ("bioes", IOBES)):
        tags = ranges_to_tags(ranges, n, scheme)
        ours = tags_to_ranges(tags, repair=False)
        assert ours.ranges == ranges
        assert ours.ranges == [(t, a, b + 1) for t, a, b in get_entities(tags)]
        strict = Entities([tags], seqeval_scheme).entities[0]
        assert ours.ranges == [(e.tag, e.start, e.end) for e in strict]
        other = "bioes" if scheme == "iob2" else "iob2"
        assert convert(convert(tags, scheme, other), other, scheme) == tags


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["O", "B-A", "I-A", "E-A", "S-A", "B-B", "I-B", "E-B", "S-B"]), max_size=12
    )
)
def test_noisy_sequences_are_repaired_like_seqeval_reads_them(tags: list[str]) -> None:
    ours = tags_to_ranges(tags).ranges
    assert ours == [(t, a, b + 1) for t, a, b in get_entities(tags)]
    # re-encoding the repaired reading is stable
    again = ranges_to_tags(ours, len(tags), "bioes")
    assert tags_to_ranges(again, repair=False).ranges == ours
