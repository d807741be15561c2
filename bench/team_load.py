"""One simulated annotator of ``bench/bench_team.py``: a separate process acting like a fast human.

Run by the bench as ``python bench/team_load.py TARGET USER LOG GO SECONDS PACE SEED``; not a
bench on its own (``run_all.py`` only runs ``bench_*.py``). It opens the project (a file or a
``postgresql://`` URL) through the core like the desk does, claims an article, then every 1-3 s
(``PACE`` = 0: no pause) does one of: add a span, relabel one, delete one, undo, or mark the
article done and claim the next one, until ``SECONDS`` have passed.

Why a log of deltas: the bench must show that the database holds EXACTLY what was acknowledged.
Each acknowledged action appends one JSON line saying which ``(article, start, end, label)`` keys
it added to and removed from this user's layer (an undo's effect is predicted here from the
history and then checked against a fresh read). A line is written only after the core returned,
so the log is the acknowledged record; the bench replays every log and compares with the store.
An action that failed with an error (a server restart) has an unknown outcome: the worker reads
its layer back once the server answers and logs what it finds (applied or not) — or a mismatch,
which the bench counts as lost.
"""

from __future__ import annotations

import json
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any, TextIO

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.model import Span  # noqa: E402
from annotator.project import Project, Session  # noqa: E402
from annotator.team.claims import claim_next  # noqa: E402

Key = tuple[int, int, int, str]  # (article, start, end, label) in code points
# Weights of a fast human's actions (done -> claim-next about every 7 actions).
WEIGHTS = {"add": 40, "relabel": 15, "delete": 15, "undo": 15, "next": 15}
WORD = re.compile(r"\S+")
RESOLVE_PATIENCE_S = 120.0


class Layer:
    """What this user's layer must hold, built only from acknowledged results, and the undo
    history of the current article as the store keeps it (a stack of the not-undone steps)."""

    def __init__(self) -> None:
        self.ids: dict[Key, int] = {}  # key -> span id (ids of restored spans refreshed by reads)
        self.history: dict[int, list[tuple[str, Key, str]]] = {}

    def keys_of(self, article: int) -> Counter[Key]:
        return Counter(k for k in self.ids if k[0] == article)

    def undo_effect(self, article: int) -> tuple[list[Key], list[Key]] | None:
        """The keys the store's undo will (add, remove) for this article, or None if nothing."""
        stack = self.history.get(article) or []
        if not stack:
            return None
        op, key, other = stack[-1]
        if op == "add":
            return [], [key]
        if op == "remove":
            return [key], []
        old = key[:3] + (other,)  # relabel: key carries the new label, other the old one
        return [old], [key]


class Annotator:
    """The worker loop: one session, one current article, one log."""

    def __init__(self, session: Session, log: TextIO, rng: random.Random) -> None:
        self.session = session
        self.log = log
        self.rng = rng
        self.layer = Layer()
        self.labels = list(session.project.schema.names)
        self.article = 0
        self.words: list[tuple[int, int]] = []
        self.exhausted = False  # no article left to claim: the worker stops

    def write(self, **line: Any) -> None:
        line["t"] = round(time.time(), 4)
        self.log.write(json.dumps(line, ensure_ascii=False) + "\n")
        self.log.flush()

    # --- actions (each returns the keys it added and removed, once acknowledged) ---------

    def next_article(self) -> tuple[list[Key], list[Key]]:
        if self.article:
            self.session.set_state(self.article, "done")
            self.write(op="done", a=self.article)
        got = claim_next(self.session, self.article or None)  # the desk's done -> next
        if got is None:
            self.exhausted = True
            raise LookupError("no article left to claim")
        self.article = int(got)
        text = self.session.article(self.article).text
        self.words = [(m.start(), m.end()) for m in WORD.finditer(text)]
        self.write(op="claim", a=self.article)
        return [], []

    def add(self) -> tuple[list[Key], list[Key]]:
        for _ in range(20):
            first = self.rng.randrange(len(self.words))
            last = min(len(self.words) - 1, first + self.rng.choice((0, 0, 1, 2)))
            key = (self.article, self.words[first][0], self.words[last][1], self.rng.choice(self.labels))
            if key not in self.layer.ids:
                break
        span = self.session.add_span(*key)
        self.layer.ids[key] = int(span.id or 0)
        self.layer.history.setdefault(self.article, []).append(("add", key, ""))
        return [key], []

    def _own(self) -> Key | None:
        mine = [k for k in self.layer.ids if k[0] == self.article]
        return self.rng.choice(mine) if mine else None

    def relabel(self, key: Key) -> tuple[list[Key], list[Key]]:
        label = self.rng.choice([x for x in self.labels if x != key[3]])
        new = key[:3] + (label,)
        if new in self.layer.ids:
            return self.delete(key)
        self.session.relabel_span(self.article, self.layer.ids[key], label)
        self.layer.ids[new] = self.layer.ids.pop(key)
        self.layer.history.setdefault(self.article, []).append(("relabel", new, key[3]))
        return [new], [key]

    def delete(self, key: Key) -> tuple[list[Key], list[Key]]:
        self.session.remove_span(self.article, self.layer.ids[key])
        del self.layer.ids[key]
        self.layer.history.setdefault(self.article, []).append(("remove", key, ""))
        return [], [key]

    def undo(self) -> tuple[list[Key], list[Key]]:
        effect = self.layer.undo_effect(self.article)
        if effect is None:
            return self.add()
        if not self.session.undo(self.article):
            raise RuntimeError(f"undo refused on article {self.article} with history left")
        self.layer.history[self.article].pop()
        self.adopt(effect)
        return effect

    def adopt(self, effect: tuple[list[Key], list[Key]]) -> None:
        """Apply a predicted effect, then check it against a read (which also gives the ids a
        restored span got); a difference is logged as a mismatch."""
        added, removed = effect
        for key in removed:
            self.layer.ids.pop(key, None)
        for key in added:
            self.layer.ids[key] = 0
        held = self.read_layer(self.article)
        if Counter(held.keys()) != self.layer.keys_of(self.article):
            self.write(op="mismatch", a=self.article, expected=sorted(self.layer.keys_of(self.article)),
                       found=sorted(held))
        for key, span_id in held.items():
            self.layer.ids[key] = span_id

    def read_layer(self, article: int) -> dict[Key, int]:
        spans: list[Span] = self.session.spans(article)
        return {(article, s.start, s.end, s.label): int(s.id or 0) for s in spans}

    def warm_up(self) -> None:
        """What a desk has done before its user's first click (connect, read an article and its
        spans, state and history), so the timed run measures actions, not 50 interpreters
        importing modules and building first queries at the same instant on two cores."""
        first = self.session.next_article() or 1
        self.session.article(first)
        self.session.spans(first)
        self.session.state(first)
        self.session.can_undo(first)

    # --- the loop -----------------------------------------------------------------------

    def step(self, op: str | None = None) -> None:
        """One action (chosen at random unless ``op``), timed and logged."""
        op = op or self.rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]
        key = self._own() if op in ("relabel", "delete") else None
        if op in ("relabel", "delete") and key is None:
            op = "add"
        if op == "undo" and self.layer.undo_effect(self.article) is None:
            op = "add"
        before = self.layer.keys_of(self.article)
        article = self.article
        began = time.perf_counter()
        try:
            if op == "next":
                added, removed = self.next_article()
            elif op == "add":
                added, removed = self.add()
            elif op == "relabel":
                added, removed = self.relabel(key)  # type: ignore[arg-type]
            elif op == "delete":
                added, removed = self.delete(key)  # type: ignore[arg-type]
            else:
                added, removed = self.undo()
        except Exception as exc:  # noqa: BLE001 - any failure is logged, then resolved by a read
            self.write(op="error", kind=op, a=article, error=f"{type(exc).__name__}: {exc}"[:300],
                       ms=round((time.perf_counter() - began) * 1000, 2))
            self.resolve(article, before)
            return
        ms = (time.perf_counter() - began) * 1000
        self.write(op=op, a=article, ms=round(ms, 2), plus=added, minus=removed)

    def resolve(self, article: int, before: Counter[Key]) -> None:
        """After a failed action: wait for the store to answer, read the article's layer back
        and log which outcome happened (the action applied or not); then move to a new article
        (its undo history is no longer known exactly)."""
        deadline = time.monotonic() + RESOLVE_PATIENCE_S
        while True:
            try:
                held = self.read_layer(article) if article else {}
                break
            except Exception:  # noqa: BLE001 - still reconnecting
                if time.monotonic() > deadline:
                    self.write(op="unresolved", a=article)
                    return
                time.sleep(0.5)
        found = Counter(held.keys())
        plus = sorted(found - before)
        minus = sorted(before - found)
        self.write(op="resolved", a=article, plus=plus, minus=minus)
        self.layer.ids = {k: v for k, v in self.layer.ids.items() if k[0] != article}
        self.layer.ids.update(held)
        self.layer.history.pop(article, None)
        while not self.exhausted:
            try:
                self.next_article()
                return
            except Exception:  # noqa: BLE001
                if time.monotonic() > deadline:
                    return
                time.sleep(0.5)


def main(argv: list[str]) -> int:
    target, user, log_path, go_file, seconds, pace, seed = argv
    with open(log_path, "a", encoding="utf-8") as log:
        project = Project.open(target)
        session = project.session(user)
        worker = Annotator(session, log, random.Random(seed))
        worker.warm_up()
        worker.write(op="ready")
        go = Path(go_file)
        while not go.exists():
            time.sleep(0.02)
        start = float(go.read_text() or time.time())
        while time.time() < start:
            time.sleep(0.005)
        deadline = start + float(seconds)
        if float(pace):  # people do not all press "next" in the same millisecond
            time.sleep(worker.rng.uniform(0.0, 2.0))
        worker.step("next")
        while time.time() < deadline and not worker.exhausted:
            worker.step()
            if float(pace):
                time.sleep(min(worker.rng.uniform(1.0, 3.0), max(0.0, deadline - time.time())))
        worker.write(op="end", cpu_s=round(time.process_time(), 3))
        project.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
