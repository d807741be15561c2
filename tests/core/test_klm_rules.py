"""The M's of the keystroke-level model, placed by Card, Moran & Newell's rules (bench/klm_rules.py).

What the relations bench prints "by the rules" rests on this: an M in front of the first
operator of each link, none for an act with no operator, one more for a menu entry found
after the menu appears. The cases are the paper's own examples where they apply here.
"""

from __future__ import annotations

import doctest

import bench.klm_rules as klm
from bench.klm_rules import Op, click, drag, place_mentals


def _string(ops: list[Op]) -> str:
    return "".join(place_mentals(ops))


def test_the_module_examples_hold():
    assert doctest.testmod(klm).failed == 0


def test_point_then_click_is_one_act_rule1():
    """PMK -> PK: the button completes the pointing; a click on an argument has no M."""
    assert _string(click(0)) == "PBB"


def test_a_keyed_link_is_one_cognitive_unit_rule2():
    """Tab Tab (to the source), the kind's key, Shift+Tab (two K), Enter: one M, in front."""
    assert _string([Op("K", 0)] * 6) == "MKKKKKK"


def test_each_link_keeps_its_own_m_and_an_event_with_no_operator_gets_none():
    # ] then Enter (the first role), Enter (a role the desk offered), Enter (another):
    # three links, three M's; the event they belong to has no operator, so no M of its own.
    ops = [Op("K", 0), Op("K", 0), Op("K", 1), Op("K", 2)]
    assert _string(ops) == "MKKMKMK"


def test_a_menu_entry_keeps_its_m_and_the_drag_after_a_click_has_one():
    """Click the source, drag to the target (its press after the click's release is a new
    act), a menu asks the kind (a P that selects a command: Rule 0)."""
    assert _string(click(0) + drag(0) + click(0, command=True)) == "PBBMBPBMPBB"


def test_keyboard_hand_switches_carry_no_m():
    ops = [Op("H", 0), *click(0), Op("H", 0), Op("K", 0), Op("K", 0)]
    assert _string(ops) == "HPBBHMKK"
