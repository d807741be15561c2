"""Figures of one ``bench/bench_team.py`` run, from its workers' logs and the store's contents."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

ACTIONS = ("add", "relabel", "delete", "undo", "next")


@dataclass
class RunResult:
    tag: str
    users: int
    seconds: float
    paced: bool
    rate: float
    acked: int
    errors: int
    add_ms: list[float]
    claim_ms: list[float]
    lost: int
    duplicated: int
    claimed_twice: int
    mismatches: int
    load_avg: float
    failed: list[str] = field(default_factory=list)
    restart_s: float | None = None
    note: str = ""

    def line(self) -> str:
        how = "paced 1-3 s" if self.paced else "no pauses"
        out = (
            f"[{self.tag}] {self.users} users, {how}, {self.seconds:.0f} s, load {self.load_avg:.1f}: "
            f"{self.rate:.1f} actions/s ({self.acked} acknowledged, {self.errors} errors); "
            f"add-span p50/p95/p99 {_pct(self.add_ms)} ms (n={len(self.add_ms)}); "
            f"claim-next {_pct(self.claim_ms)} ms (n={len(self.claim_ms)}); "
            f"lost {self.lost}, duplicated {self.duplicated}, claimed twice {self.claimed_twice}"
        )
        if self.mismatches:
            out += f", read-back mismatches {self.mismatches}"
        if self.restart_s is not None:
            out += f"; restart -m immediate took {self.restart_s:.1f} s"
        if self.failed:
            out += f"; {len(self.failed)} worker(s) failed: {self.failed[0]}"
        return out + (f"; {self.note}" if self.note else "")


def percentiles(values: list[float]) -> tuple[float, float, float]:
    """p50, p95, p99 (inclusive method; a single value is all three).

    >>> percentiles([float(x) for x in range(1, 101)])
    (50.5, 95.05, 99.01)
    """
    if len(values) < 2:
        v = values[0] if values else float("nan")
        return v, v, v
    q = statistics.quantiles(values, n=100, method="inclusive")
    return round(q[49], 2), round(q[94], 2), round(q[98], 2)


def _pct(values: list[float]) -> str:
    return "/".join(f"{v:.1f}" for v in percentiles(values))


def claimed_twice(lines: list[dict[str, Any]]) -> int:
    """Articles held by two users at the same time: claim to done (or the end of the run).

    >>> claimed_twice([{"op": "claim", "a": 1, "t": 0, "user": "a"},
    ...                {"op": "claim", "a": 1, "t": 1, "user": "b"}])
    1
    """
    held: dict[int, list[tuple[float, float, str]]] = defaultdict(list)
    open_: dict[tuple[str, int], float] = {}
    end = max((line["t"] for line in lines), default=0.0)
    for line in sorted(lines, key=lambda x: x["t"]):
        if line["op"] == "claim":
            open_[(line["user"], line["a"])] = line["t"]
        elif line["op"] == "done" and (line["user"], line["a"]) in open_:
            began = open_.pop((line["user"], line["a"]))
            held[line["a"]].append((began, line["t"], line["user"]))
    for (user, article), began in open_.items():
        held[article].append((began, end, user))
    return sum(
        any(a[0] < b[1] and b[0] < a[1] and a[2] != b[2] for i, a in enumerate(spans) for b in spans[i + 1:])
        for spans in held.values()
    )


def summarise(tag: str, users: int, seconds: float, paced: bool, lines: list[dict[str, Any]],
              lost: int, duplicated: int, load_avg: float, failed: list[str],
              restart_s: float | None) -> RunResult:
    acked = [x for x in lines if x["op"] in ACTIONS]
    return RunResult(
        tag=tag, users=users, seconds=seconds, paced=paced, rate=len(acked) / seconds,
        acked=len(acked), errors=sum(x["op"] == "error" for x in lines),
        add_ms=[x["ms"] for x in acked if x["op"] == "add"],
        claim_ms=[x["ms"] for x in acked if x["op"] == "next"],
        lost=lost, duplicated=duplicated,
        claimed_twice=claimed_twice(lines),
        mismatches=sum(x["op"] in ("mismatch", "unresolved") for x in lines),
        load_avg=load_avg, failed=failed, restart_s=restart_s,
    )
