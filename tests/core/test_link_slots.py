"""Link slots: the annotators' relations and event arguments grouped for the reviewer."""

from __future__ import annotations

from annotator.agreement.links import LinkItem
from annotator.model import Event, EventArgument, Relation, make_span
from annotator.review.link_slots import describe, find_slots, items_of, link_lanes

TEXT = "سقطت قذيفة على حي في حلب صباح اليوم"
FELL = make_span(TEXT, 0, len("سقطت"), "ATTACK")
SHELL = make_span(TEXT, len("سقطت "), len("سقطت قذيفة"), "WEAPON")
QUARTER = make_span(TEXT, len("سقطت قذيفة على "), len("سقطت قذيفة على حي في حلب"), "LOCATION")
ALEPPO = make_span(TEXT, len("سقطت قذيفة على حي في "), len("سقطت قذيفة على حي في حلب"), "LOCATION")
MORNING = make_span(TEXT, len("سقطت قذيفة على حي في حلب "), len(TEXT), "DATE")


def attack(*args: tuple[str, object]) -> Event:
    return Event("attack", FELL, tuple(EventArgument(role, span) for role, span in args))  # type: ignore[arg-type]


def test_arguments_group_by_event_type_trigger_and_argument_position() -> None:
    ali = items_of([], [attack(("instrument", SHELL), ("place", ALEPPO), ("time", MORNING))], ())
    mona = items_of([], [attack(("instrument", SHELL), ("place", QUARTER))], ())
    slots = find_slots({"mona": mona, "ali": ali})
    assert [(s.key, s.agreed) for s in slots] == [
        (f"argument attack 0-{len('سقطت')} {SHELL.start}-{SHELL.end}", True),
        (f"argument attack 0-{len('سقطت')} {QUARTER.start}-{ALEPPO.end}", False),
        (f"argument attack 0-{len('سقطت')} {MORNING.start}-{MORNING.end}", False),
    ]
    place = slots[1]
    # equal support: versions in text order of their items (mona's starts earlier)
    assert [(a.annotators, [describe(i) for i in a.items]) for a in place.alternatives] == [
        (("mona",), ["attack:place «سقطت» ← «حي في حلب»"]),
        (("ali",), ["attack:place «سقطت» ← «حلب»"]),
    ]
    time = slots[2]
    assert [(a.annotators, a.is_empty) for a in time.alternatives] == [
        (("ali",), False),
        (("mona",), True),
    ]


def test_a_role_disagreement_on_the_same_span_is_one_slot() -> None:
    ali = items_of([], [attack(("place", ALEPPO))], ())
    mona = items_of([], [attack(("target", ALEPPO))], ())
    [slot] = find_slots({"ali": ali, "mona": mona})
    assert [a.items[0].kind for a in slot.alternatives] == ["attack:place", "attack:target"]


def test_relation_slots_keep_types_apart_from_argument_slots_and_cross_symmetric_ends() -> None:
    ali = items_of([Relation("same-as", QUARTER, FELL)], [attack(("place", QUARTER))], {"same-as"})
    mona = items_of([Relation("same-as", FELL, ALEPPO)], [], {"same-as"})
    slots = find_slots({"ali": ali, "mona": mona})
    assert [(s.family, len(s.alternatives)) for s in slots] == [("argument", 2), ("relation", 2)]
    assert slots[1].key == f"relation 0-{FELL.end} {QUARTER.start}-{ALEPPO.end}"


def test_directed_relations_do_not_cross() -> None:
    ali = items_of([Relation("located-in", FELL, ALEPPO)], [], ())
    mona = items_of([Relation("located-in", ALEPPO, FELL)], [], ())
    assert len(find_slots({"ali": ali, "mona": mona})) == 2


def test_lanes_number_annotators_as_span_regions_do() -> None:
    mona = [LinkItem("located-in", (FELL, ALEPPO))]
    [slot] = find_slots({"mona": mona, "omar": []})
    lanes = link_lanes(slot, ["ali", "mona", "omar"])
    assert [(lane.number, lane.annotator, lane.alternative, len(lane.items)) for lane in lanes] == [
        (2, "mona", 0, 1),
        (3, "omar", 1, 0),
    ]
