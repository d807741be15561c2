"""Correct entities per annotator-hour: the real desk, driven as a hand drives it, timed by KLM.

Run: ``python bench/bench_throughput.py [--held 8] [--seed 0] [--aqmar DIR]`` (offscreen; needs
../shared/corpora/aqmar and python-crfsuite; ``BENCH_QUICK=1`` labels 3 articles).
``--relations``: the relations run instead (links on a hand-written fixture with known gold,
seconds per relation and per filled event role: :mod:`bench.throughput_relations`).

The 28 AQMAR articles (gold PER/LOC/ORG/MIS0-3) are shuffled with ``--seed``; the last ``--held``
are labelled in the real desk window (offscreen), one mode at a time, in a fresh project:

* **mouse + palette**: a drag from 1.5 px inside the outer edge of the entity's first glyph to
  inside the outer edge of its last (Alt held when the gold is not whole words), a click on the
  label's palette button; ``-`` presses when a proclitic must go.
* **mouse + keys**: the same drag, and the label key under the left hand.
* **keyboard only**: ``Ctrl+←`` word by word to the entity, ``Ctrl+Shift+←`` to grow it, the
  clitic key ``-`` when a proclitic must go, the label key; the few entities words cannot
  express (punctuation or a bidi mark at their edge) are dragged with Alt (column ``mouse``).
* **assist after N**: the first N articles are labelled already (their gold is the user's layer),
  the CRF is trained on them and the gazetteer fed from them; pending suggestions of the held
  articles are decided in order (``A`` accept / ``R`` reject, the cursor jumps to the next one;
  ``Shift+Enter`` once every remaining one is right; ``Space`` to reach the next one; a nearly
  right one, right range with another label or a proclitic too many or too few, is accepted,
  selected with ``Shift+Tab`` and fixed with the label key or ``-``), misses are labelled by
  mouse + keys; after each miss, the suggestions its label propagated are decided.
* **learning assist** (and the ``+threshold`` / ``+propagate`` / ``+online`` rows, one each):
  CRF suggestions under the cross-validated confidence threshold are not shown and the corpus
  gazetteer's too-often-wrong names are pruned; each label is propagated at once to the other
  occurrences of its name; after each held article the CRF is retrained on all finished
  articles and the remaining articles' suggestions rebuilt (synchronously here).
* **assist, all right**: the gold itself as the only suggestion layer: the floor of the assisted
  loop, i.e. what remains of the time when the suggester is perfect.
* **by paragraph after N** (suggestions as in ``+propagate``) and **assist, all right, by
  paragraph**: the article is worked a paragraph at a time: the wrong suggestions rejected, the
  nearly right fixed, ``S`` takes the rest, then the paragraph's misses are labelled by mouse +
  keys (:mod:`bench.throughput_paragraphs` says exactly how).

Every key, pointing, button press and hand switch is counted and converted with the
keystroke-level model (Card, Moran & Newell): K 0.28 s, P 1.1 s, B 0.1 s (press OR release),
H 0.4 s, plus M 1.35 s of mental preparation per entity (and per wrong suggestion rejected).
Scrolling to an entity is not counted (the view scrolls to it). After each mode the stored
spans must equal the gold spans exactly, or the script fails.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from PySide6.QtCore import QPoint, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402

from annotator.formats.conll import read_conll  # noqa: E402
from annotator.importing import import_documents  # noqa: E402
from annotator.model import Document, Span  # noqa: E402
from annotator.project import Project  # noqa: E402
from annotator.text.clitics import cycle_clitic  # noqa: E402
from annotator.text.snap import exact_range, snap_to_tokens, tokens_near  # noqa: E402
from tests.ui.helpers import glyph_point, outer_sides  # noqa: E402
from ui.app import application, build_window  # noqa: E402

AQMAR = REPO / ".." / "shared" / "corpora" / "aqmar"
USER = "mona"
KLM = {"K": 0.28, "P": 1.1, "B": 0.1, "H": 0.4, "M": 1.35}
REFERENCES = (("doccano / Label Studio (drag, click the label)", 3.6),
              ("Prodigy (drag with a sticky label)", 2.4))
TARGET = 1.5
ORACLE = "assist, all right"
CTRL, SHIFT, ALT = (Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier,
                    Qt.KeyboardModifier.AltModifier)
NONE = Qt.KeyboardModifier.NoModifier
FORWARD, BACK = Qt.Key.Key_Left, Qt.Key.Key_Right  # in an Arabic paragraph


def load(seed: int, folder: Path = AQMAR) -> list[Document]:
    files = sorted(p for p in folder.glob("*.txt") if p.name != "SOURCE.txt")
    if not files:
        raise SystemExit(f"{folder}: AQMAR not found")
    docs = [next(read_conll(p)) for p in files]
    random.Random(seed).shuffle(docs)
    return docs


def schema_file(docs: list[Document], folder: Path) -> Path:
    """A schema with the corpus's labels, keys 1..9 then letters (the desk needs a key per label)."""
    names = sorted({s.label for d in docs for s in d.spans}, key=lambda n: (len(n) > 3, n))
    palette = ["#8ecae6", "#06d6a0", "#b5a3f5", "#ffd166", "#f4a261", "#ef476f", "#90be6d", "#adb5bd"]
    keys = [str(k) for k in range(1, 10)] + [c for c in "bcdefghijklmnopqstuvwxyz"]  # A/R: suggestions
    labels = [{"name": n, "display_ar": n, "display_en": n, "color": palette[i % len(palette)],
               "key": keys[i], "description": n} for i, n in enumerate(names)]
    path = folder / "aqmar.json"
    path.write_text(json.dumps({"name": "aqmar", "language": "ar", "labels": labels}), "utf-8")
    return path


class Desk:
    """The real desk window on a project, with a counter of KLM operators."""

    def __init__(self, path: Path) -> None:
        self.window = build_window(path, USER)
        self.window.resize(1360, 820)
        self.window.show()
        QTest.qWaitForWindowExposed(self.window)
        self.window.activateWindow()
        self.view = self.window.view
        self.ops: Counter[str] = Counter()
        self._mods = NONE

    def key(self, key: Qt.Key, mods: Qt.KeyboardModifier = NONE, widget=None) -> None:  # noqa: ANN001
        """One key press; a modifier counts once when it starts being held."""
        self.ops["K"] += 1 + bin(int((mods & ~self._mods).value)).count("1")
        self._mods = mods
        QTest.keyClick(widget or self.view, key, mods)

    def drag(self, start: int, end: int, mods: Qt.KeyboardModifier = NONE) -> None:
        """Point at the first glyph's outer edge, press, point at the last one's, release."""
        self._reveal(start, end)
        side1, side2 = outer_sides(self.view, start, end - 1)
        p1, p2 = glyph_point(self.view, start, side1), glyph_point(self.view, end - 1, side2)
        viewport = self.view.viewport()
        if mods != NONE:
            self.ops["K"] += 1
        QTest.mousePress(viewport, Qt.MouseButton.LeftButton, mods, p1)
        QTest.mouseMove(viewport, QPoint((p1.x() + p2.x()) // 2, (p1.y() + p2.y()) // 2))
        QTest.mouseMove(viewport, p2)
        QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, mods, p2)
        self.ops.update(P=2, B=2, drags=1)
        self._mods = mods

    def double_click(self, cp: int) -> None:
        """A double click on a word selects it (P, then press-release twice)."""
        self._reveal(cp, cp + 1)
        point = glyph_point(self.view, cp)
        QTest.mouseDClick(self.view.viewport(), Qt.MouseButton.LeftButton, NONE, point)
        self.ops.update(P=1, B=4, double_clicks=1)

    def click_text(self, cp: int) -> None:
        self._reveal(cp, cp + 1)
        QTest.mouseClick(self.view.viewport(), Qt.MouseButton.LeftButton, NONE, glyph_point(self.view, cp))
        self.ops.update(P=1, B=2)

    def click_palette(self, label: str, mods: Qt.KeyboardModifier = NONE) -> None:
        QTest.mouseClick(self.window.palette.buttons[label], Qt.MouseButton.LeftButton, mods)
        self.ops.update(P=1, B=2)

    def _reveal(self, start: int, end: int) -> None:
        self.view.set_cursor_code_point(end)
        self.view.set_cursor_code_point(start)

    def seconds(self) -> float:
        return sum(KLM[op] * n for op, n in self.ops.items() if op in KLM)


def how(text: str, gold: Span) -> tuple[bool, int] | None:
    """How words + clitic presses reach ``gold``: (exact needed, clitic presses); None if not."""
    snapped = snap_to_tokens(text, gold.start, gold.end)
    if snapped == (gold.start, gold.end):
        return False, 0
    if snapped and snapped[1] == gold.end:
        token = next(t for t in tokens_near(text, *snapped) if t.start == snapped[0])
        start, presses = snapped[0], 0
        while presses < 4:
            start, presses = token.start + cycle_clitic(token.text, start - token.start), presses + 1
            if start == gold.start:
                return False, presses
    if exact_range(text, gold.start, gold.end) == (gold.start, gold.end):
        return True, 0
    return None


def label_by_mouse(desk: Desk, text: str, gold: Span, label_with: Callable[[str, bool], None]) -> None:
    plan = how(text, gold)
    exact, presses = plan if plan else (True, 0)
    words = [t for t in tokens_near(text, gold.start, gold.end) if gold.start <= t.start < gold.end]
    if not exact and len(words) == 1:
        desk.double_click(words[0].start)  # one word: a double click selects it
    else:
        desk.drag(gold.start, gold.end, ALT if exact else NONE)
    for _ in range(presses):
        desk.key(Qt.Key.Key_Minus)
    label_with(gold.label, exact)


def label_by_keys(desk: Desk, text: str, gold: Span) -> None:
    """Mouse + keys: the drag (or double click), the label key under the left hand."""
    label_by_mouse(desk, text, gold, lambda label, exact: desk.key(label_key(desk, label), ALT if exact else NONE))


def label_by_keyboard(desk: Desk, text: str, gold: Span) -> None:
    """Word moves to the entity, grow to its end, clitic presses, the label key. An entity the
    words cannot express (punctuation or a bidi mark inside its edge) is dragged with Alt: the
    hand goes to the mouse and back (counted as ``mouse`` in the table)."""
    view = desk.view
    plan = how(text, gold)
    if plan is None or plan[0]:
        desk.ops.update(H=2, mouse=1)
        desk.drag(gold.start, gold.end, ALT)
        desk.key(label_key(desk, gold.label), ALT)
        return
    for _ in range(len(text)):  # to the entity's first word
        sel = view.selected_range() or (view.cursor_code_point(),) * 2
        if sel[1] > gold.start:
            break
        desk.key(FORWARD, CTRL)
    sel = view.selected_range() or (view.cursor_code_point(),) * 2
    while sel[0] > gold.start:  # overshot: back one word
        desk.key(BACK, CTRL)
        sel = view.selected_range()
    while sel[1] < gold.end:
        desk.key(FORWARD, CTRL | SHIFT)
        sel = view.selected_range()
    for _ in range(plan[1]):
        desk.key(Qt.Key.Key_Minus)
    desk.key(label_key(desk, gold.label))


def label_key(desk: Desk, label: str) -> Qt.Key:
    return Qt.Key(ord(desk.window.schema.label(label).key.upper()))


def desk_gold(doc: Document) -> tuple[Document, int]:
    """``doc`` with each gold span trimmed of invisible marks and blanks at its edges (AQMAR keeps
    an RLM inside 2 of its spans: the desk never stores one there); and how many were trimmed."""
    spans, trimmed = [], 0
    for s in doc.spans:
        start, end = exact_range(doc.text, s.start, s.end) or (s.start, s.end)
        trimmed += (start, end) != (s.start, s.end)
        spans.append(Span(start, end, s.label, doc.text[start:end]))
    return Document(doc.doc_id, doc.text, title=doc.title, spans=tuple(spans)), trimmed


def check(desk: Desk, aid: int, gold: tuple[Span, ...], mode: str) -> None:
    got = sorted((s.start, s.end, s.label) for s in desk.window.session.spans(aid))
    want = sorted((s.start, s.end, s.label) for s in gold)
    if got != want:
        raise SystemExit(f"{mode}: stored spans differ from gold in article {aid}: "
                         f"missing {sorted(set(want) - set(got))[:3]}, extra {sorted(set(got) - set(want))[:3]}")


@dataclass(frozen=True)
class Assist:
    """Which of the assist's ways of learning a mode uses (all, unless a row names one)."""

    threshold: bool = True  # CRF suggestions below the cross-validated confidence are not shown
    propagate: bool = True  # a name labelled is suggested at once wherever else it occurs
    online: bool = True  # the CRF and the corpus gazetteer are rebuilt after each finished article
    paragraph: bool = False  # decided a paragraph at a time, the rest taken with S (throughput_paragraphs)


OLD = Assist(False, False, False)
PARAGRAPH = Assist(False, True, False, True)  # the best one-by-one row (+propagate), by paragraph


def run_mode(mode: str, held: list[Document], pool: list[Document], schema: Path, folder: Path,
             assist: Assist = OLD) -> Desk:
    path = folder / f"{mode.replace(' ', '_').replace(',', '').replace('+', '')}.db"
    project = Project.create(path, schema)
    oracle = mode.startswith(ORACLE)
    if oracle:  # the gold itself as the only suggestions: what the loop costs when they are right
        import_documents(project, held, as_annotator="suggest:gold-copy")
    else:
        import_documents(project, [Document(d.doc_id, d.text, title=d.doc_id) for d in held])
    if pool:
        import_documents(project, pool, as_annotator=USER)
        from annotator.suggest.crf import Options  # noqa: PLC0415
        from annotator.suggest.pipeline import apply_suggestions, train_project  # noqa: PLC0415

        session = project.session(USER)
        for d in pool:
            session.set_state(project.store.article_id_by_doc_id(d.doc_id), "done")
        # Cross-validation on the training articles only tunes the confidence threshold.
        train_project(project, folds=3 if assist.threshold else 0, options=Options(max_iterations=100))
        apply_suggestions(project, [project.store.article_id_by_doc_id(d.doc_id) for d in held])
    with project.store.transaction():  # the bench retrains itself, synchronously (see online())
        project.store.set_meta("suggest.retrain_when_done", "0")
    project.close()
    desk = Desk(path)
    assisted = bool(pool) or oracle
    if assisted:
        desk.window.install_suggestions().propagating = assist.propagate and not oracle
    for number, doc in enumerate(held):
        aid = desk.window.project.store.article_id_by_doc_id(doc.doc_id)
        desk.window.open_article(aid)
        desk.view.setFocus()
        desk.view.set_cursor_code_point(0)
        text = doc.text
        todo = sorted(doc.spans, key=lambda s: (s.start, s.end))
        desk.ops["M"] += len(todo)
        if assist.paragraph:
            from bench.throughput_paragraphs import label_by_paragraph  # noqa: PLC0415

            label_by_paragraph(desk, doc, near_gold, fix_suggestion, label_by_keys)
            todo = []
        elif assisted:
            todo = decide_suggestions(desk, doc)
        while todo:
            gold, todo = todo[0], todo[1:]
            if mode == "keyboard only":
                label_by_keyboard(desk, text, gold)
            elif mode == "mouse + palette":
                label_by_mouse(desk, text, gold, lambda label, exact: desk.click_palette(label, ALT if exact else NONE))
            else:
                label_by_keys(desk, text, gold)
            if assisted and desk.window.suggestions.pending:  # the label was propagated
                todo = decide_suggestions(desk, doc)
        check(desk, aid, doc.spans, mode)
        if pool and assist.online:
            online(desk, aid, held[number + 1:])
    return desk


def online(desk: Desk, done: int, rest: list[Document]) -> None:
    """The article is done: retrain the CRF on every finished article and rebuild the remaining
    articles' suggestions (the desk does this on a worker thread when an article is marked
    done; here synchronously, so the figures do not depend on the machine's speed)."""
    from annotator.suggest.crf import Options  # noqa: PLC0415
    from annotator.suggest.pipeline import apply_suggestions, train_project  # noqa: PLC0415

    window = desk.window
    window.session.set_state(done, "done")
    began = time.perf_counter()
    train_project(window.project, folds=0, options=Options(max_iterations=100))
    if rest:
        apply_suggestions(window.project, [window.project.store.article_id_by_doc_id(d.doc_id) for d in rest])
    desk.ops["train_s"] += round(time.perf_counter() - began)


def decide_suggestions(desk: Desk, doc: Document) -> list[Span]:
    """Accept the right suggestions, fix the nearly right ones, reject the wrong ones; returns the
    gold spans still to label.

    Nearly right: the right range with another label, or an extra proclitic (``بتونس`` for
    ``تونس``): accept (``A``), select it (``Shift+Tab``), then the label key or ``-``.
    """
    suggestions = desk.window.suggestions
    gold = {(s.start, s.end, s.label) for s in doc.spans}
    for _ in range(10 * len(suggestions.pending) + 10):
        pending = suggestions.pending
        if not pending:
            break
        if all((s.start, s.end, s.label) in gold for s in pending) and len(pending) > 1:
            desk.ops["H"] += 2  # the right hand leaves the mouse for Shift+Enter, and comes back
            desk.key(Qt.Key.Key_Return, SHIFT)
            continue
        current = suggestions.current()
        if current is None:  # Space: to the next pending suggestion
            desk.key(Qt.Key.Key_Space)
            if suggestions.current() is None:
                desk.click_text(pending[0].start)
            continue
        fix = near_gold(doc, current)
        source = current.annotator.split("/")[0].removeprefix("suggest:")
        verdict = "right" if current.key in gold else "fixed" if fix is not None else "wrong"
        desk.ops[f"{verdict} {source}"] += 1
        if (current.start, current.end, current.label) in gold:
            desk.key(Qt.Key.Key_A)
        elif fix is not None:
            fix_suggestion(desk, current, fix)
            desk.ops["fixed"] += 1
        else:
            desk.ops["M"] += 1  # judging a wrong suggestion is a decision too
            desk.key(Qt.Key.Key_R)
    done = {(s.start, s.end, s.label) for s in desk.window.session.spans(desk.window.controller.article_id)}
    return [s for s in sorted(doc.spans, key=lambda s: (s.start, s.end)) if (s.start, s.end, s.label) not in done]


def fix_suggestion(desk: Desk, suggestion: Span, fix: tuple[str, int]) -> None:
    """Accept a nearly right suggestion (``A``), select it, then ``-`` or the label key."""
    desk.key(Qt.Key.Key_A)
    select_accepted(desk, suggestion)
    for _ in range(fix[1]):
        desk.key(Qt.Key.Key_Minus)
    if fix[0] != suggestion.label:
        desk.key(label_key(desk, fix[0]))


def near_gold(doc: Document, suggestion: Span) -> tuple[str, int] | None:
    """``(gold label, clitic presses)`` when a gold span has the suggestion's end and a start
    that ``-`` reaches from the suggestion's (it strips one more proclitic, or puts them all
    back); None otherwise."""
    for gold in doc.spans:
        token = next((t for t in tokens_near(doc.text, suggestion.start, suggestion.end)
                      if t.start <= suggestion.start < t.end), None)
        if gold.end != suggestion.end or token is None or gold.start < token.start:
            continue
        start, presses = suggestion.start, 0
        while token is not None and start != gold.start and presses < 4:
            start, presses = token.start + cycle_clitic(token.text, start - token.start), presses + 1
        if start == gold.start:
            return gold.label, presses
    return None


def select_accepted(desk: Desk, suggestion: Span) -> None:
    """Select the span just made from ``suggestion``: Shift+Tab (the span before the cursor),
    or a click on it when the cursor jumped back to an earlier suggestion."""
    desk.key(Qt.Key.Key_Backtab, SHIFT)
    span = desk.view.selected_span
    if span is None or (span.start, span.end) != (suggestion.start, suggestion.end):
        desk.click_text(suggestion.start)
        span = desk.view.selected_span
    if span is None or (span.start, span.end) != (suggestion.start, suggestion.end):
        raise SystemExit(f"could not select the accepted suggestion {suggestion}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--held", type=int, default=8)
    parser.add_argument("--aqmar", type=Path, default=AQMAR, help="the AQMAR CoNLL folder")
    parser.add_argument("--mode", action="append", default=[], metavar="NAME",
                        help="run only the mode named NAME (repeatable)")
    parser.add_argument("--relations", action="store_true",
                        help="only the relations run: s/relation and s/event role (bench/throughput_relations.py)")
    args = parser.parse_args()
    if args.relations:
        application()
        from bench.throughput_relations import report  # noqa: PLC0415

        report(KLM, Desk)
        return
    quick = os.environ.get("BENCH_QUICK") == "1"
    docs = load(args.seed, args.aqmar)
    held, pool = docs[-args.held:], docs[:-args.held]
    if quick:
        held = held[:3]
    trimmed = [desk_gold(d) for d in held]
    held = [d for d, _ in trimmed]
    entities = sum(len(d.spans) for d in held)
    chars = sum(len(d.text) for d in held)
    print(f"AQMAR: {len(held)} held-out articles ({chars} characters, {entities} gold entities): "
          + ", ".join(d.doc_id for d in held))
    print(f"gold spans trimmed of an edge RLM/blank: {sum(n for _, n in trimmed)}")
    print("KLM: " + ", ".join(f"{k} {v} s" for k, v in KLM.items()) + "; M once per entity")
    application()
    modes = [("mouse + palette", 0, OLD), ("mouse + keys", 0, OLD), ("keyboard only", 0, OLD),
             ("assist after 10", 10, OLD), ("assist after 20", 20, OLD),
             ("assist after 20 +threshold", 20, Assist(True, False, False)),
             ("assist after 20 +propagate", 20, Assist(False, True, False)),
             ("assist after 20 +online", 20, Assist(False, False, True)),
             ("learning assist after 10", 10, Assist()), ("learning assist after 20", 20, Assist()),
             (ORACLE, 0, OLD),
             ("by paragraph after 10", 10, PARAGRAPH), ("by paragraph after 20", 20, PARAGRAPH),
             (f"{ORACLE}, by paragraph", 0, Assist(False, False, False, True))]
    modes = [(m, n, a) for m, n, a in modes if not args.mode or any(t == m for t in args.mode)]
    print(f"\n{'mode':<32} {'K':>5} {'P':>5} {'B':>5} {'H':>4} {'M':>5} {'drags':>6} {'dbl':>5} {'mouse':>5}"
          f" {'fixed':>5}"
          f" {'s/entity':>9} {'entities/h':>11} {'wall s':>7}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        schema = schema_file(docs, folder)
        for mode, n, assist in modes:
            began = time.perf_counter()
            desk = run_mode(mode, held, pool[:n], schema, folder, assist)
            per = desk.seconds() / entities
            ops = desk.ops
            trained = f"  (of which retraining {ops['train_s']} s)" if ops["train_s"] else ""
            judged = ", ".join(f"{k} {v}" for k, v in sorted(ops.items()) if k.split()[0] in ("right", "fixed", "wrong"))
            print(f"{mode:<32} {ops['K']:>5} {ops['P']:>5} {ops['B']:>5} {ops['H']:>4} {ops['M']:>5}"
                  f" {ops['drags']:>6} {ops['double_clicks']:>5} {ops['mouse']:>5} {ops['fixed']:>5}"
                  f" {per:>9.2f} {3600 / per:>11.0f} {time.perf_counter() - began:>7.1f}"
                  f"{trained}", flush=True)
            if judged:
                how = f"by paragraph ({ops['bulk']} x S)" if ops["bulk"] else "one by one"
                print(f"{'':<32} suggestions decided {how}: {judged}", flush=True)
            desk.window.close()
    for name, per in REFERENCES:
        print(f"{name:<48} {per:>5.2f} s/entity {3600 / per:>6.0f} entities/h (issue 11's KLM figure)")
    print(f"target with assist: <= {TARGET} s/entity; every stored span equals the gold span (checked)")


if __name__ == "__main__":
    main()
