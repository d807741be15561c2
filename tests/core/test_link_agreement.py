"""Relation and event-argument agreement: figures computed by hand on small Arabic news cases."""

from __future__ import annotations

import json

import pytest

from annotator.agreement.links import (
    ArticleLinks,
    LinkItem,
    LinkLayer,
    compute_link_agreement,
    match_items,
)
from annotator.agreement.report import SpanCounts
from annotator.model import Event, EventArgument, Relation, make_span

TEXT = "قصف الجيش حقل العمر أمس بحسب وكالة سبوتنيك"
STRIKE = make_span(TEXT, 0, len("قصف"), "ATTACK")
ARMY = make_span(TEXT, len("قصف "), len("قصف الجيش"), "ORG")
FIELD = make_span(TEXT, len("قصف الجيش "), len("قصف الجيش حقل العمر"), "LOC")
AGENCY = make_span(TEXT, len("قصف الجيش حقل العمر أمس بحسب "), len(TEXT), "SOURCE")
SPUTNIK = make_span(TEXT, len("قصف الجيش حقل العمر أمس بحسب وكالة "), len(TEXT), "SOURCE")


def one(layers: dict[str, LinkLayer], symmetric: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
    return compute_link_agreement([ArticleLinks("a1", layers)], symmetric)


def test_relations_exact_needs_both_ends_exact_overlap_needs_them_to_overlap() -> None:
    ali = LinkLayer(
        [Relation("located-in", STRIKE, FIELD), Relation("reported-by", STRIKE, AGENCY)]
    )
    mona = LinkLayer(
        [Relation("located-in", STRIKE, FIELD), Relation("reported-by", STRIKE, SPUTNIK)]
    )
    pair = one({"ali": ali, "mona": mona}).pairs[0]
    assert (pair.reference, pair.prediction, pair.articles) == ("ali", "mona", 1)
    exact, overlap = pair.scores.relations_exact, pair.scores.relations_overlap
    assert exact.by_label == {"located-in": SpanCounts(1, 1, 1), "reported-by": SpanCounts(0, 1, 1)}
    assert (exact.micro.precision, exact.micro.recall, exact.micro.f1) == (0.5, 0.5, 0.5)
    assert overlap.by_label == {
        "located-in": SpanCounts(1, 1, 1),
        "reported-by": SpanCounts(1, 1, 1),
    }
    assert overlap.micro.f1 == 1.0


def test_overlap_needs_the_same_end_labels_and_the_same_type() -> None:
    other_label = make_span(TEXT, SPUTNIK.start, SPUTNIK.end, "ORG")
    ali = LinkLayer([Relation("reported-by", STRIKE, AGENCY)])
    mona = LinkLayer(
        [Relation("reported-by", STRIKE, other_label), Relation("located-in", STRIKE, AGENCY)]
    )
    scores = one({"ali": ali, "mona": mona}).pairs[0].scores
    assert scores.relations_overlap.micro == SpanCounts(0, 1, 2)


def test_symmetric_types_compare_unordered_directed_ones_do_not() -> None:
    ali = LinkLayer([Relation("same-as", AGENCY, ARMY)])
    mona = LinkLayer([Relation("same-as", ARMY, SPUTNIK)])  # reversed, and the end is shorter
    mona_exact = LinkLayer([Relation("same-as", ARMY, AGENCY)])
    layers = {"ali": ali, "mona": mona_exact}
    assert one(layers, ("same-as",)).pairs[0].scores.relations_exact.micro == SpanCounts(1, 1, 1)
    assert one(layers).pairs[0].scores.relations_exact.micro == SpanCounts(0, 1, 1)
    crossed = one({"ali": ali, "mona": mona}, ("same-as",)).pairs[0].scores
    assert crossed.relations_exact.micro == SpanCounts(0, 1, 1)
    assert crossed.relations_overlap.micro == SpanCounts(1, 1, 1)
    assert one({"ali": ali, "mona": mona}).pairs[0].scores.relations_overlap.micro.tp == 0


def test_overlap_matching_is_one_to_one_and_duplicates_count_once() -> None:
    ali = LinkLayer(
        [Relation("reported-by", STRIKE, AGENCY), Relation("reported-by", STRIKE, AGENCY)]
    )
    mona = LinkLayer(
        [Relation("reported-by", STRIKE, AGENCY), Relation("reported-by", STRIKE, SPUTNIK)]
    )
    scores = one({"ali": ali, "mona": mona}).pairs[0].scores
    assert scores.relations_exact.micro == SpanCounts(1, 1, 2)
    assert scores.relations_overlap.micro == SpanCounts(1, 1, 2)  # not 2: ali's one relation
    assert scores.relations_overlap.micro.precision == 0.5


def test_event_arguments_match_by_type_trigger_role_and_argument() -> None:
    ali = LinkLayer(
        events=[
            Event(
                "attack", STRIKE, (EventArgument("place", FIELD), EventArgument("source", AGENCY))
            )
        ]
    )
    mona = LinkLayer(
        events=[
            Event(
                "attack",
                STRIKE,
                (
                    EventArgument("attacker", ARMY),
                    EventArgument("place", FIELD),
                    EventArgument("source", SPUTNIK),
                ),
            )
        ]
    )
    scores = one({"ali": ali, "mona": mona}).pairs[0].scores
    exact = scores.arguments_exact
    assert exact.by_label == {
        "attack:attacker": SpanCounts(0, 0, 1),
        "attack:place": SpanCounts(1, 1, 1),
        "attack:source": SpanCounts(0, 1, 1),
    }
    # by hand: tp 1 of ali's 2 and mona's 3 -> P 1/3, R 1/2, F1 2*1/(2+3)
    assert exact.micro.precision == pytest.approx(1 / 3)
    assert (exact.micro.recall, exact.micro.f1) == (0.5, 0.4)
    # overlap: the source «وكالة سبوتنيك» / «سبوتنيك» now matches -> tp 2: P 2/3, R 1, F1 4/5
    assert scores.arguments_overlap.micro == SpanCounts(2, 2, 3)
    assert scores.arguments_overlap.micro.f1 == 0.8
    assert scores.relations_exact.micro == SpanCounts(0, 0, 0)


def test_an_argument_needs_its_trigger_and_event_type_to_match() -> None:
    strike_word = make_span(TEXT, 0, len("قصف الجيش"), "ATTACK")  # a longer trigger
    ali = LinkLayer(events=[Event("attack", STRIKE, (EventArgument("place", FIELD),))])
    longer = LinkLayer(events=[Event("attack", strike_word, (EventArgument("place", FIELD),))])
    other = LinkLayer(events=[Event("protest", STRIKE, (EventArgument("place", FIELD),))])
    s = one({"ali": ali, "mona": longer}).pairs[0].scores
    assert (s.arguments_exact.micro.tp, s.arguments_overlap.micro.tp) == (0, 1)
    s = one({"ali": ali, "mona": other}).pairs[0].scores
    assert (s.arguments_exact.micro.tp, s.arguments_overlap.micro.tp) == (0, 0)
    assert set(s.arguments_exact.by_label) == {"attack:place", "protest:place"}


def test_gold_is_a_reference_for_each_annotator_and_not_pooled() -> None:
    gold = LinkLayer(
        [Relation("located-in", STRIKE, FIELD), Relation("reported-by", STRIKE, AGENCY)]
    )
    ali = LinkLayer([Relation("located-in", STRIKE, FIELD)])
    mona = LinkLayer([])
    report = compute_link_agreement(
        [
            ArticleLinks("a1", {"gold": gold, "ali": ali, "mona": mona}),
            ArticleLinks("a2", {"ali": LinkLayer([Relation("located-in", STRIKE, FIELD)])}),
        ]
    )
    assert report.annotators == ("ali", "mona")
    assert [(p.name, p.articles) for p in report.pairs] == [("ali / mona", 1)]
    assert [(p.name, p.articles) for p in report.gold] == [("gold / ali", 1), ("gold / mona", 1)]
    assert report.gold[0].scores.relations_exact.micro == SpanCounts(1, 2, 1)  # R 0.5, P 1.0
    assert report.gold[1].scores.relations_exact.micro == SpanCounts(0, 2, 0)
    assert report.total.relations_exact.micro == SpanCounts(0, 1, 0)


def test_report_json_and_table_carry_the_figures() -> None:
    ali = LinkLayer(
        [Relation("reported-by", STRIKE, AGENCY)],
        [Event("attack", STRIKE, (EventArgument("place", FIELD),))],
    )
    mona = LinkLayer(
        [Relation("reported-by", STRIKE, SPUTNIK)],
        [Event("attack", STRIKE, (EventArgument("place", FIELD),))],
    )
    report = one({"ali": ali, "mona": mona})
    data = json.loads(json.dumps(report.to_dict()))
    assert data["relations"]["exact"]["labels"]["reported-by"]["f1"] == 0.0
    assert data["relations"]["overlap"]["micro"]["f1"] == 1.0
    assert data["event_arguments"]["exact"]["labels"]["attack:place"]["f1"] == 1.0
    assert data["pairs"][0]["reference"] == "ali" and data["against_gold"] == []
    lines = report.format_table().splitlines()
    assert lines[1] == f"{'ali / mona':<26} {'relations':<10}  0.000  0.000  0.000  1.000     2"
    assert lines[2] == f"{'ali / mona':<26} {'arguments':<10}  1.000  1.000  1.000  1.000     2"
    assert f"{'reported-by':<26}    0.000    1.000      2" in lines
    assert not report.empty and one({"ali": LinkLayer(), "mona": LinkLayer()}).empty


def test_match_items_counts_kinds_of_either_side() -> None:
    ref = [LinkItem("located-in", (STRIKE, FIELD))]
    assert match_items(ref, [], overlap=True) == {"located-in": SpanCounts(0, 1, 0)}
    assert match_items([], ref, overlap=False) == {"located-in": SpanCounts(0, 0, 1)}
