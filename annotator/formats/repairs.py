"""What a reader repaired, summarised per file and kind: a count and the first examples.

A fine-grained corpus can have a repair on every tag line (18,000 lines of "respelled" help
nobody); what the user needs is *which kinds* of change were made, how many, and a few places to
look. So each file gets one line per kind::

    wiki.conll: 3 tags respelled, e.g. line 2 'b-PER' read as 'B-PER', line 5 ..., line 9 ...

:class:`RepairLog` collects :class:`annotator.formats.conll.LineRepair`-like records (anything
with ``path``, ``line``, ``original``, ``repaired``, ``kind``) and renders those lines.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

EXAMPLES = 3
"""How many examples a summary line shows per kind."""

KIND_PHRASES = {
    "respelled": "tag(s) respelled",
    "continuation": "continuation tag(s) without their start read as a start",
    "unclosed": "BIOES entit(ies) not closed by E-/S- (read as ending there)",
    "marks": "token(s) had invisible format marks (LRM/RLM/ALM...) removed",
}


class Repair(Protocol):
    @property
    def path(self) -> str: ...
    @property
    def line(self) -> int: ...
    @property
    def original(self) -> str: ...
    @property
    def repaired(self) -> str: ...
    @property
    def kind(self) -> str: ...


@dataclass
class _Tally:
    count: int = 0
    examples: list[str] = field(default_factory=list)


@dataclass
class RepairLog:
    """Repairs of one or more files, grouped by file and kind in the order first seen."""

    tallies: dict[tuple[str, str], _Tally] = field(default_factory=dict)

    def add(self, repair: Repair) -> None:
        tally = self.tallies.setdefault((repair.path, repair.kind or "other"), _Tally())
        tally.count += 1
        if len(tally.examples) < EXAMPLES:
            tally.examples.append(
                f"line {repair.line} {repair.original!r} read as {repair.repaired!r}"
            )

    def count(self, kind: str) -> int:
        return sum(t.count for (_, k), t in self.tallies.items() if k == kind)

    def lines(self) -> list[str]:
        """One line per file and kind.

        >>> from annotator.formats.conll import LineRepair
        >>> log = RepairLog()
        >>> for n in (2, 5, 9, 11):
        ...     log.add(LineRepair("a.conll", n, "b-PER", "B-PER", "respelled", "respelled"))
        >>> log.lines()
        ["a.conll: 4 tag(s) respelled, e.g. line 2 'b-PER' read as 'B-PER', line 5 'b-PER' read as 'B-PER', line 9 'b-PER' read as 'B-PER'"]
        """
        return [
            f"{path}: {tally.count} {KIND_PHRASES.get(kind, kind)}, e.g. "
            + ", ".join(tally.examples)
            for (path, kind), tally in self.tallies.items()
        ]

    def flush(self, note: Callable[[str], None]) -> None:
        """Send every summary line to ``note`` and start afresh."""
        for line in self.lines():
            note(line)
        self.tallies.clear()
