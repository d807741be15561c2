"""Where the keystroke-level model puts its M's: Card, Moran & Newell's heuristic rules 0–4.

Card, S. K., Moran, T. P. & Newell, A. (1980), "The keystroke-level model for user performance
time with interactive systems", CACM 23(7), Fig. 4. An M (1.35 s, mental preparation) belongs
in front of a physical operator, so an act with no operator of its own gets none; the rules
decide which operators keep one. The relations bench (``bench/throughput_relations.py``) records
every operator its hand makes, with what it does and the link it serves, and calls
:func:`place_mentals`; it prints this figure beside the conservative one (an M per event
charged anyway, though making an event has no operator left).

How each rule reads on this desk (the encoding is ours; the rules are theirs):

* **Rule 0** — candidate M's in front of every K that is not part of an argument string
  (no text is typed here: every K is a candidate) and every B (the variant that counts mouse
  buttons with keys), and in front of every P that selects a command (an entry of the menu
  that asks a link's kind); not in front of a P that points at an argument (a span).
* **Rule 1** — an operator fully anticipated in the one just before it loses its M:
  ``P M B → P B``, a pointing then the button that completes it, and a button's release
  after its press (a click is one act). The press that starts a drag after the click that
  selected its source is a new act, and keeps its candidate.
* **Rule 2** — M's of a string that is one cognitive unit go, but the first: one link is one
  unit (``operators`` of the same ``unit``). The hand decides the link (source, kind, target)
  once, and its keys — the Tabs or ``]`` that reach the source, Esc that frees Tab for that,
  the kind's key, the Tabs that box the target, Enter — are one method, as a command name's
  letters are. A menu's entry is not part of it: the menu appears only after the drag, and
  its entry must be found in it (its P keeps the M of Rule 0).
* **Rule 3** — a redundant terminator (a terminator right after its argument's) loses its M:
  none occurs (Enter is the only terminator, once per link).
* **Rule 4** — a K that ends a constant string loses its M, one that ends a variable string
  keeps it: no string is typed here; Enter ends the choice of a target, a variable argument,
  and keeps an M when it is the first operator of its unit (a slot the desk offered).
"""

from __future__ import annotations

from dataclasses import dataclass

PHYSICAL = ("K", "P", "B", "H")


@dataclass(frozen=True)
class Op:
    """One physical operator: ``op`` K/P/B/H; ``unit``: the link it serves (one cognitive
    unit); ``command``: a P that selects a command (a menu entry), not an argument;
    ``release``: a B that lets go of the button the B before it pressed."""

    op: str
    unit: int
    command: bool = False
    release: bool = False


def click(unit: int, command: bool = False) -> list[Op]:
    """Point, press, release."""
    return [Op("P", unit, command), Op("B", unit), Op("B", unit, release=True)]


def drag(unit: int) -> list[Op]:
    """Press (on the selected span), point (at the other one), release."""
    return [Op("B", unit), Op("P", unit), Op("B", unit, release=True)]


def rule0(ops: list[Op]) -> list[bool]:
    """Candidate M's: in front of every K and B, and of every P that selects a command.

    >>> rule0([Op("P", 0), Op("B", 0), Op("B", 0), Op("K", 1), Op("P", 1, command=True), Op("H", 1)])
    [False, True, True, True, True, False]
    """
    return [o.op in ("K", "B") or (o.op == "P" and o.command) for o in ops]


def rule1(ops: list[Op], m: list[bool]) -> list[bool]:
    """``P M B → P B`` (the button completes the pointing before it), and a release its press.

    >>> ops = click(0) + drag(0)
    >>> rule1(ops, rule0(ops))
    [False, False, False, True, False, False]
    """
    def anticipated(before: Op, o: Op) -> bool:
        return o.op == "B" and (before.op == "P" or (o.release and before.op == "B" and not before.release))

    return [keep and not (i > 0 and anticipated(ops[i - 1], o)) for i, (o, keep) in enumerate(zip(ops, m))]


def rule2(ops: list[Op], m: list[bool]) -> list[bool]:
    """One M per cognitive unit (a link): every later M of the unit goes, but a menu entry's.

    >>> ops = [Op("K", 0), Op("K", 0), Op("K", 0), Op("K", 1)]
    >>> rule2(ops, [True] * 4)
    [True, False, False, True]
    >>> ops = drag(0) + click(0, command=True)
    >>> rule2(ops, rule1(ops, rule0(ops)))
    [True, False, False, True, False, False]
    """
    out, seen = [], set()
    for o, keep in zip(ops, m):
        if keep and o.unit in seen and not (o.op == "P" and o.command):
            keep = False
        if keep:
            seen.add(o.unit)
        out.append(keep)
    return out


def place_mentals(ops: list[Op]) -> list[str]:
    """The operator string with the M's the rules leave (Rules 3 and 4 have nothing to
    delete here: see the module's docstring).

    A role the desk offered (Enter alone), then a link by key with the source Tabbed to, then
    one by mouse whose kind a menu asks:

    >>> offered, keyed = [Op("K", 0)], [Op("K", 1)] * 4
    >>> mouse = click(2) + drag(2) + click(2, command=True)
    >>> "".join(place_mentals(offered + keyed + mouse))
    'MKMKKKKPBBMBPBMPBB'
    """
    m = rule2(ops, rule1(ops, rule0(ops)))
    out: list[str] = []
    for o, mental in zip(ops, m):
        out += ["M", o.op] if mental else [o.op]
    return out
