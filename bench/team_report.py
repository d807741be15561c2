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
    resolved: tuple[int, int] = (0, 0)  # failed actions read back: (applied, not applied)
    longest_gap_s: float = 0.0  # longest wait between one user's acknowledged actions
    client_cpu_s: float = 0.0  # CPU the worker processes used (imports and warm-up included)

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
        if self.errors:
            out += f"; failed actions read back: {self.resolved[0]} applied, {self.resolved[1]} not"
        out += f"; longest gap between a user's acknowledged actions {self.longest_gap_s:.1f} s"
        out += f"; the workers used {self.client_cpu_s:.1f} s of CPU"
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
    """Articles held by two users at the same time: claim to done (or the end of the run, or
    a failed done -> next, whose release may have committed without an answer).

    >>> claimed_twice([{"op": "claim", "a": 1, "t": 0, "user": "a"},
    ...                {"op": "claim", "a": 1, "t": 1, "user": "b"}])
    1
    """
    held: dict[int, list[tuple[float, float, str]]] = defaultdict(list)
    open_: dict[tuple[str, int], float] = {}
    for line in sorted(lines, key=lambda x: x["t"]):
        if line["op"] == "claim":
            open_[(line["user"], line["a"])] = line["t"]
        elif line["op"] == "done" and (line["user"], line["a"]) in open_:
            began = open_.pop((line["user"], line["a"]))
            held[line["a"]].append((began, line["t"], line["user"]))
        elif line["op"] == "error" and line["kind"] == "next" and (line["user"], line["a"]) in open_:
            # done -> next failed (a restart): its release may have committed unacknowledged,
            # so the hold ends, at the latest, when that call began
            began = open_.pop((line["user"], line["a"]))
            held[line["a"]].append((began, line["t"] - line["ms"] / 1000, line["user"]))
    for (user, article), began in open_.items():
        held[article].append((began, float("inf"), user))  # still held when the run ended
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
        resolved=(sum(bool(x["plus"] or x["minus"]) for x in lines if x["op"] == "resolved"),
                  sum(not (x["plus"] or x["minus"]) for x in lines if x["op"] == "resolved")),
        longest_gap_s=longest_gap(lines),
        client_cpu_s=sum(x.get("cpu_s", 0.0) for x in lines if x["op"] == "end"),
    )


def longest_gap(lines: list[dict[str, Any]]) -> float:
    """The longest wait between two acknowledged actions of one user (pause included): a server
    restart shows here as the time nobody could work.

    >>> longest_gap([{"op": "add", "t": 1.0, "user": "a"}, {"op": "error", "t": 2.0, "user": "a"},
    ...              {"op": "undo", "t": 9.5, "user": "a"}, {"op": "add", "t": 3.0, "user": "b"}])
    8.5
    """
    gaps = [0.0]
    for user in {x["user"] for x in lines}:
        stamps = sorted(x["t"] for x in lines if x["user"] == user and x["op"] in ACTIONS)
        gaps.extend(b - a for a, b in zip(stamps, stamps[1:]))
    return max(gaps)


def table(results: list[RunResult]) -> str:
    """The runs as a Markdown table (what docs/performance.md and the README show)."""
    rows = [
        "| run | users | pauses | actions/s | add-span p50 / p95 / p99 ms | claim-next p50 / p95 / p99 ms"
        " | lost | duplicated | held by two |",
        "|---|---:|---|---:|---|---|---:|---:|---:|",
    ]
    for r in results:
        name = {"p": "paced", "s": "saturation, server", "f": "saturation, file",
                "r": "restart -m immediate"}.get(r.tag[0], r.tag)
        rows.append(
            f"| {name} | {r.users} | {'1-3 s' if r.paced else 'none'} | {r.rate:.1f} | "
            f"{_pct(r.add_ms).replace('/', ' / ')} | {_pct(r.claim_ms).replace('/', ' / ')} | "
            f"{r.lost} | {r.duplicated} | {r.claimed_twice} |"
        )
    return "\n".join(rows)
