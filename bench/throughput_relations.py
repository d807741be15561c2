"""The throughput bench's relations run: seconds per relation and per filled event role.

Run: ``python bench/bench_throughput.py --relations`` (offscreen; no corpus needed).

The fixture (``tests/fixtures/strike_links.json``, written by hand: three Arabic strike reports,
an emoji before the annotations, a Latin weapon name inside the Arabic, a relation across a
line break) holds each article's gold spans, relations and attack events. The spans are
imported as the user's own layer; the real desk window then makes every gold link, once by
keyboard and once by mouse, and the stored links must equal the gold ones exactly (or the
script fails). Every key, pointing, button press and hand switch is priced with the same
keystroke-level model as the entity runs (K 0.28 s, P 1.1 s, B 0.1 s, H 0.4 s), plus M 1.35 s
of mental preparation per relation, per event created and per role filled.

* **keyboard**: the source span is selected with ``Tab`` / ``Shift+Tab`` from the current one
  (or, when more than 7 presses away, clicked: H P B B H), then the relation's key (or the
  role's key on the trigger), ``Tab`` / ``Shift+Tab`` to the gold target (the first offered
  is the nearest), ``Enter``; an event is created with its key on the selected trigger.
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
from tests.ui.helpers import glyph_point
from ui.desk import link_targets as targets

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "fixtures" / "strike_links.json"
SCHEMA = REPO / "schemas" / "news.json"  # the shipped schema: its keys, its candidate sets
TARGET_ROLE_S = 2.0
TAB_LIMIT = 7  # more Tab presses than this to reach a span: a click is cheaper (2.1 s vs 0.28 s each)


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


def tab(desk, forward: bool) -> None:  # noqa: ANN001
    """Tab, or Shift+Tab (Shift counted once while it is held)."""
    if forward:
        desk.key(Qt.Key.Key_Tab)
    else:
        desk.key(Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)


class LinkHand:
    """Makes links in the real desk as a hand would, counting KLM operators by kind of work."""

    def __init__(self, desk, mode: str) -> None:  # noqa: ANN001 (bench_throughput.Desk)
        self.desk, self.mode = desk, mode
        self.view = desk.view
        self.by_work: dict[str, Counter[str]] = {"relation": Counter(), "event": Counter(), "role": Counter()}

    def _count(self, work: str, before: Counter[str]) -> None:
        after = self.desk.ops
        self.by_work[work].update({k: after[k] - before.get(k, 0) for k in after if after[k] != before.get(k, 0)})

    def span(self, text: str) -> Span:
        return next(s for s in self.view.spans if s.text == text)

    def select(self, span: Span) -> None:
        """Select ``span``: Tab / Shift+Tab from the current selection, or a click."""
        view, desk = self.view, self.desk
        if view.selected_span is not None and view.selected_span.key == span.key:
            return
        if self.mode == "keyboard":
            order = targets.reading_order(view.spans)
            here = next((i for i, s in enumerate(order) if view.selected_span and s.key == view.selected_span.key), None)
            there = next(i for i, s in enumerate(order) if s.key == span.key)
            if here is not None:
                forward, back = (there - here) % len(order), (here - there) % len(order)
                if min(forward, back) <= TAB_LIMIT:
                    for _ in range(min(forward, back)):
                        tab(desk, forward <= back)
                    return
            else:  # no span selected: the first Tab selects the first span after the cursor
                cp = view.cursor_code_point()
                first = next((k for k, s in enumerate(order) if s.start >= cp), 0)
                presses = 1 + (there - first) % len(order)
                if presses <= TAB_LIMIT:
                    for _ in range(presses):
                        tab(desk, True)
                    if view.selected_span is None or view.selected_span.key != span.key:
                        raise SystemExit(f"Tab did not reach {span.text!r}")
                    return
            desk.ops["H"] += 2  # to the mouse and back
        desk.click_text(span.start + (span.end - span.start) // 2)
        if view.selected_span is None or view.selected_span.key != span.key:
            raise SystemExit(f"could not select {span.text!r}")

    def link(self, work: str, kind_key: str, choice: targets.LinkChoice, source: Span, target: Span) -> None:
        before = Counter(self.desk.ops)
        self.desk.ops["M"] += 1
        self.select(source)
        if self.mode == "keyboard":
            self.desk.key(Qt.Key(ord(kind_key.upper())))
            linker = self.view.linker
            found = linker.candidates
            there = next(i for i, s in enumerate(found) if s.key == target.key)
            forward, back = (there - linker.index) % len(found), (linker.index - there) % len(found)
            for _ in range(min(forward, back)):
                tab(self.desk, forward <= back)
            self.desk.key(Qt.Key.Key_Return)
        else:
            self.drag(source, target, choice)
        self._count(work, before)

    def drag(self, source: Span, target: Span, choice: targets.LinkChoice) -> None:
        """Press on the selected source's middle glyph, release on the target's; pick the kind."""
        view, desk = self.view, self.desk
        p1 = glyph_point(view, source.start + (source.end - source.start) // 2)
        p2 = glyph_point(view, target.start + (target.end - target.start) // 2)
        viewport = view.viewport()
        view.linker.menu = None
        QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, p1)
        QTest.mouseMove(viewport, QPoint((p1.x() + p2.x()) // 2, (p1.y() + p2.y()) // 2))
        QTest.mouseMove(viewport, p2)
        QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, p2)
        desk.ops.update(P=1, B=2)
        menu = view.linker.menu
        if menu is not None:  # several kinds allowed: pick the one meant
            wanted = choice.display(desk.window.language)
            action = next(a for a in menu.actions() if a.text().split("\t")[0] == wanted)
            action.trigger()
            menu.close()
            desk.ops.update(P=1, B=2, menus=1)

    def create_event(self, kind: str, trigger: Span) -> None:
        before = Counter(self.desk.ops)
        self.desk.ops["M"] += 1
        self.select(trigger)
        key = self.desk.window.schema.event_type(kind).key
        self.desk.key(Qt.Key(ord(key.upper())))
        self._count("event", before)


def run_article(hand: LinkHand, gold: Gold) -> None:
    """Each event first (its trigger selected once: the event key, then its roles), then the
    relations, those from a trigger just after its event (it is still selected), the others
    in text order of their heads: the order a hand that plans its moves takes."""
    desk, schema = hand.desk, hand.desk.window.schema
    triggers = [e["trigger"] for e in gold.events]
    for event in gold.events:
        trigger = hand.span(event["trigger"])
        kind = schema.event_type(event["type"])
        if hand.mode == "keyboard":
            hand.create_event(kind.name, trigger)
        for role_name, filler in event["arguments"]:
            current = next((e for e in desk.window.links.events if e.trigger.key == trigger.key), None)
            choice = targets.role_choice(kind, kind.role(role_name), current)
            hand.link("role", choice.key, choice, trigger, hand.span(filler))
    order = sorted(gold.relations, key=lambda r: (r[1] not in triggers, gold.doc.text.index(r[1])))
    for kind, head, tail in order:
        choice = targets.relation_choice(schema, kind)
        hand.link("relation", choice.key, choice, hand.span(head), hand.span(tail))


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
    print(f"{'how':<10} {'work':<9} {'K':>4} {'P':>4} {'B':>4} {'H':>4} {'M':>4} {'menus':>5} {'s each':>7}")
    with tempfile.TemporaryDirectory() as tmp:
        for mode in ("keyboard", "mouse"):
            hand = run(mode, Path(tmp), Desk)
            for work, count in (("relation", n_rel), ("event", n_event), ("role", n_role)):
                ops = hand.by_work[work]
                if not ops:
                    continue
                seconds = sum(klm[k] * v for k, v in ops.items() if k in klm) / count
                print(f"{mode:<10} {work:<9} {ops['K']:>4} {ops['P']:>4} {ops['B']:>4} {ops['H']:>4}"
                      f" {ops['M']:>4} {ops['menus']:>5} {seconds:>7.2f}")
            roles = hand.by_work["role"] + hand.by_work["event"]
            per_role = sum(klm[k] * v for k, v in roles.items() if k in klm) / n_role
            print(f"{mode:<10} per role filled, the event's creation shared out: {per_role:.2f} s"
                  f" (target <= {TARGET_ROLE_S} s with the keyboard)")
            hand.desk.window.close()
