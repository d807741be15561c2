"""The throughput bench's relations run: seconds per relation and per filled event role.

Run: ``python bench/bench_throughput.py --relations`` (offscreen; no corpus needed).

The fixture (``tests/fixtures/strike_links.json``, written by hand: three Arabic strike reports,
an emoji before the annotations, a Latin weapon name inside the Arabic, a relation across a
line break) holds each article's gold spans, relations and attack events. The spans are
imported as the user's own layer; the real desk window then makes every gold link, once by
keyboard and once by mouse, and the stored links must equal the gold ones exactly (or the
script fails). Every key, pointing, button press and hand switch is recorded in order, with
the link it serves, and priced with the same keystroke-level model as the entity runs (K 0.28
s, P 1.1 s, B 0.1 s, H 0.4 s, M 1.35 s). The M's are placed twice:

* **by the rules** (:mod:`bench.klm_rules`, Card, Moran & Newell's rules 0–4): one M per link
  (its keys are one cognitive unit), one more for a menu's entry; making an event has no
  operator of its own (labelling the trigger, or the first role filled, makes it), so no M;
* **conservatively**: the same plus an M per event, as if deciding that a trigger is an event
  were an act apart.

* **keyboard**: ``]`` goes to the next trigger whose frame has an empty slot and offers that
  slot (its nearest candidate boxed); the desk goes on slot to slot after each role, so a role
  it offers takes ``Enter`` (``Tab`` first when the first offered is not the gold one), and a
  role it does not, its key. A hand follows the desk: it fills the slot offered when the gold
  fills it, else the next gold role in the desk's order. The relations come after the event:
  those from the trigger by their key (the trigger is still selected; the key leaves the slot
  offered), the others in text order of their heads, the head reached with ``Tab`` /
  ``Shift+Tab`` (``Esc`` first when a slot is still offered) or, when more than 7 presses
  away, a click (H P B B H); then the kind's key, ``Tab``s to the gold target, ``Enter``.
* **mouse**: a click selects the source span, a drag from it to the target links them; when
  the schema allows several kinds between the two a menu asks (P B B on its entry). An event
  is created by the first role dragged from its trigger (the menu names the roles).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from annotator.importing import import_documents
from annotator.model import Document, Span, make_span
from annotator.project import Project
from bench.klm_rules import Op, click, drag, place_mentals
from tests.ui.helpers import glyph_point
from ui.desk import link_targets as targets

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "fixtures" / "strike_links.json"
SCHEMA = REPO / "schemas" / "news.json"  # the shipped schema: its keys, its candidate sets
TARGET_ROLE_S = 2.0
TAB_LIMIT = 7  # more Tab presses than this to reach a span: a click is cheaper (2.1 s vs 0.28 s each)
NEXT_FRAME = Qt.Key.Key_BracketRight


@dataclass(frozen=True)
class Gold:
    """One article of the fixture: text, spans, and the links to make (by span text)."""

    doc: Document
    relations: list[tuple[str, str, str]]
    events: list[dict]


def load_fixture(path: Path = FIXTURE) -> list[Gold]:
    out = []
    for item in json.loads(path.read_text("utf-8")):
        text = item["text"]
        spans = []
        for words, label in item["spans"]:
            start = text.index(words)
            spans.append(make_span(text, start, start + len(words), label))
        doc = Document(item["doc_id"], text, title=item["doc_id"], spans=tuple(spans))
        out.append(Gold(doc, [tuple(r) for r in item["relations"]], item["events"]))
    return out


def stored_links(session, aid: int) -> tuple[set, set]:  # noqa: ANN001
    """What the user's layer holds, by span text: {(type, head, tail)}, {(event, trigger, role, filler)}."""
    relations = {(r.type, r.head.text, r.tail.text) for r in session.relations(aid)}
    roles = {(e.type, e.trigger.text, a.role, a.span.text) for e in session.events(aid) for a in e.arguments}
    return relations, roles


def gold_links(gold: Gold) -> tuple[set, set]:
    relations = set(gold.relations)
    roles = {(e["type"], e["trigger"], role, filler) for e in gold.events for role, filler in e["arguments"]}
    return relations, roles


class LinkHand:
    """Makes links in the real desk as a hand would, recording every operator in order."""

    def __init__(self, desk, mode: str) -> None:  # noqa: ANN001 (bench_throughput.Desk)
        self.desk, self.mode = desk, mode
        self.view = desk.view
        self.ops: list[Op] = []  # the whole run, in order
        self.work: list[str] = []  # per unit (link): "relation" | "role"
        self.counts: Counter[str] = Counter()  # menus, offered slots, ] presses

    # -- operators ---------------------------------------------------------------------------
    def begin(self, work: str) -> None:
        self.work.append(work)

    @property
    def unit(self) -> int:
        return len(self.work) - 1

    def key(self, key: Qt.Key, mods: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        before = self.desk.ops["K"]
        self.desk.key(key, mods)
        self.ops += [Op("K", self.unit)] * (self.desk.ops["K"] - before)  # Shift counted once held

    def tab(self, forward: bool, times: int = 1) -> None:
        for _ in range(times):
            if forward:
                self.key(Qt.Key.Key_Tab)
            else:
                self.key(Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)

    def click(self, span: Span) -> None:
        away = self.mode == "keyboard"  # to the mouse and back
        self.desk.click_text(span.start + (span.end - span.start) // 2)
        self.ops += [Op("H", self.unit)] * away + click(self.unit) + [Op("H", self.unit)] * away
        if self.view.selected_span is None or self.view.selected_span.key != span.key:
            raise SystemExit(f"could not select {span.text!r}")

    # -- moves -------------------------------------------------------------------------------
    def span(self, text: str) -> Span:
        return next(s for s in self.view.spans if s.text == text)

    def select(self, span: Span) -> None:
        """Select ``span``: Tab / Shift+Tab from the current selection, or a click."""
        view = self.view
        if view.selected_span is not None and view.selected_span.key == span.key:
            return
        if self.mode == "keyboard":
            if view.linker.active:
                self.key(Qt.Key.Key_Escape)  # out of the slot the desk offers: Tab is its own again
            order = targets.reading_order(view.spans)
            here = next((i for i, s in enumerate(order) if view.selected_span and s.key == view.selected_span.key), None)
            there = next(i for i, s in enumerate(order) if s.key == span.key)
            if here is not None:
                forward, back = (there - here) % len(order), (here - there) % len(order)
                if min(forward, back) <= TAB_LIMIT:
                    self.tab(forward <= back, min(forward, back))
                    return
            else:  # no span selected: the first Tab selects the first span after the cursor
                cp = view.cursor_code_point()
                first = next((k for k, s in enumerate(order) if s.start >= cp), 0)
                presses = 1 + (there - first) % len(order)
                if presses <= TAB_LIMIT:
                    self.tab(True, presses)
                    if view.selected_span is None or view.selected_span.key != span.key:
                        raise SystemExit(f"Tab did not reach {span.text!r}")
                    return
        self.click(span)

    def on_frame(self, trigger: Span) -> bool:
        linker = self.view.linker
        return linker.active and linker.source is not None and linker.source.key == trigger.key

    def to_target(self, target: Span) -> None:
        """Tab / Shift+Tab from the boxed candidate to ``target``, then Enter."""
        linker = self.view.linker
        found = linker.candidates
        there = next(i for i, s in enumerate(found) if s.key == target.key)
        forward, back = (there - linker.index) % len(found), (linker.index - there) % len(found)
        self.tab(forward <= back, min(forward, back))
        self.key(Qt.Key.Key_Return)

    # -- links -------------------------------------------------------------------------------
    def fill_event(self, event: dict) -> None:
        """Every gold role of ``event``: by keyboard, ``]`` to its frame, then slot after slot."""
        trigger = self.span(event["trigger"])
        kind = self.desk.window.schema.event_type(event["type"])
        remaining = list(event["arguments"])
        last = ""
        while remaining:
            self.begin("role")
            current = next((e for e in self.desk.window.links.events if e.trigger.key == trigger.key), None)
            if self.mode == "mouse":
                role, filler = remaining[0]
                self.link_by_mouse(targets.role_choice(kind, kind.role(role), current), trigger, self.span(filler))
                remaining.pop(0)
                continue
            for _ in range(len(self.view.spans)):
                if self.on_frame(trigger):
                    break
                self.key(NEXT_FRAME)
                self.counts["] presses"] += 1
            if not self.on_frame(trigger):
                raise SystemExit(f"] did not reach {trigger.text!r}")
            offered = self.view.linker.choice.name
            wanted = next((a for a in remaining if a[0] == offered), None)
            if wanted is None:  # not a slot the gold fills: the key of the next one the desk would offer
                order = [r.name for r in targets.empty_slots(kind, current, last)]
                wanted = min(remaining, key=lambda a: order.index(a[0]))
                self.key(Qt.Key(ord(kind.role(wanted[0]).key.upper())))
            else:
                self.counts["offered"] += 1
            self.to_target(self.span(wanted[1]))
            remaining.remove(wanted)
            last = wanted[0]

    def relate(self, kind: str, head: Span, tail: Span) -> None:
        self.begin("relation")
        choice = targets.relation_choice(self.desk.window.schema, kind)
        if self.mode == "mouse":
            self.link_by_mouse(choice, head, tail)
            return
        self.select(head)
        self.key(Qt.Key(ord(choice.key.upper())))
        self.to_target(tail)

    def link_by_mouse(self, choice: targets.LinkChoice, source: Span, target: Span) -> None:
        """Click the source (unless selected), press on its middle glyph, release on the
        target's; pick the kind from the menu when one asks."""
        view, desk = self.view, self.desk
        if view.selected_span is None or view.selected_span.key != source.key:
            self.click(source)
        p1 = glyph_point(view, source.start + (source.end - source.start) // 2)
        p2 = glyph_point(view, target.start + (target.end - target.start) // 2)
        viewport = view.viewport()
        view.linker.menu = None
        QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, p1)
        QTest.mouseMove(viewport, QPoint((p1.x() + p2.x()) // 2, (p1.y() + p2.y()) // 2))
        QTest.mouseMove(viewport, p2)
        QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, p2)
        self.ops += drag(self.unit)
        menu = view.linker.menu
        if menu is not None:  # several kinds allowed: pick the one meant
            wanted = choice.display(desk.window.language)
            action = next(a for a in menu.actions() if a.text().split("\t")[0] == wanted)
            action.trigger()
            menu.close()
            self.ops += click(self.unit, command=True)
            self.counts["menus"] += 1


def run_article(hand: LinkHand, gold: Gold) -> None:
    """Each event first (its roles), then the relations: those from a trigger just after its
    event (it is still selected), the others in text order of their heads."""
    triggers = [e["trigger"] for e in gold.events]
    for event in gold.events:
        hand.fill_event(event)
    order = sorted(gold.relations, key=lambda r: (r[1] not in triggers, gold.doc.text.index(r[1])))
    for kind, head, tail in order:
        hand.relate(kind, hand.span(head), hand.span(tail))


def run(mode: str, folder: Path, Desk) -> LinkHand:  # noqa: ANN001, N803 (bench_throughput.Desk)
    golds = load_fixture()
    path = folder / f"relations-{mode}.db"
    project = Project.create(path, SCHEMA)
    import_documents(project, [g.doc for g in golds], as_annotator="mona")
    project.close()
    desk = Desk(path)
    hand = LinkHand(desk, mode)
    for gold in golds:
        aid = desk.window.project.article_id_by_doc_id(gold.doc.doc_id)
        desk.window.open_article(aid)
        desk.view.setFocus()
        run_article(hand, gold)
        got, want = stored_links(desk.window.session, aid), gold_links(gold)
        if got != want:
            raise SystemExit(f"relations ({mode}): {gold.doc.doc_id} stored links differ from gold: "
                             f"missing {sorted(want[0] - got[0]) + sorted(want[1] - got[1])}, "
                             f"extra {sorted(got[0] - want[0]) + sorted(got[1] - want[1])}")
    return hand


def report(klm: dict[str, float], Desk) -> None:  # noqa: N803
    import tempfile  # noqa: PLC0415

    golds = load_fixture()
    n_rel = sum(len(g.relations) for g in golds)
    n_event = sum(len(g.events) for g in golds)
    n_role = sum(len(e["arguments"]) for g in golds for e in g.events)
    print(f"\nrelations run: {len(golds)} hand-written strike reports, {n_rel} relations, "
          f"{n_event} attack events, {n_role} roles (gold, checked after each article)")
    print("M's by the KLM's rules (bench/klm_rules.py); conservative: + an M per event")
    print(f"{'how':<10} {'work':<9} {'K':>4} {'P':>4} {'B':>4} {'H':>4} {'M':>4} {'s each':>7}")
    with tempfile.TemporaryDirectory() as tmp:
        for mode in ("keyboard", "mouse"):
            hand = run(mode, Path(tmp), Desk)
            ops = by_work(hand)
            for work, count in (("relation", n_rel), ("role", n_role)):
                o = ops[work]
                print(f"{mode:<10} {work:<9} {o['K']:>4} {o['P']:>4} {o['B']:>4} {o['H']:>4} {o['M']:>4}"
                      f" {seconds(o, klm) / count:>7.2f}")
            rules = seconds(ops["role"], klm) / n_role
            conservative = (seconds(ops["role"], klm) + n_event * klm["M"]) / n_role
            print(f"{mode:<10} per role filled, events shared out: {rules:.2f} s by the rules, "
                  f"{conservative:.2f} s conservative (target <= {TARGET_ROLE_S} s with the keyboard)")
            print(f"{mode:<10} {dict(sorted(hand.counts.items()))}")
            hand.desk.window.close()


def by_work(hand: LinkHand) -> dict[str, Counter[str]]:
    """Operators per kind of work (relation, role), the M's where the rules put them."""
    out: dict[str, Counter[str]] = {"relation": Counter(), "role": Counter()}
    marked = iter(place_mentals(hand.ops))
    for op in hand.ops:  # place_mentals keeps the order: an M, when any, right before its operator
        item = next(marked)
        if item == "M":
            out[hand.work[op.unit]]["M"] += 1
            item = next(marked)
        out[hand.work[op.unit]][item] += 1
    return out


def seconds(ops: Counter[str], klm: dict[str, float]) -> float:
    return sum(klm[k] * v for k, v in ops.items() if k in klm)
