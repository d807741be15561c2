"""The throughput bench's paragraph-at-a-time assist: decide a paragraph, take it with ``S``.

Used by ``bench/bench_throughput.py`` for its ``by paragraph`` rows. The simulated annotator
works through an article paragraph by paragraph (AQMAR: a sentence per line), as she reads it:

1. she judges every pending suggestion of the paragraph (M for each wrong one; a right one's M
   is its entity's, counted once per gold entity by the caller);
2. in text order (the cursor goes to the paragraph's next suggestion after each decision; to
   reach one otherwise: ``Space``, or a click when more than ``SPACE_LIMIT`` presses away) she
   accepts a right one (``A``: a ``Space`` to skip it would cost the same), rejects a wrong one
   (``R``), fixes a nearly-right one (accept, select, label key or ``-``: the caller's ``fix``);
   where a wrong or nearly-right one overlaps a right one she accepts the right one, which hides
   the other (as the one-by-one rows do);
3. once every suggestion left in the paragraph is right, ``S`` (one K) takes them all;
4. she labels the paragraph's missing entities (the caller's ``label_miss``: mouse + keys), and
   decides what their propagation suggested in this paragraph the same way.

Suggestions propagated into paragraphs already done are wrong (their gold is stored, so a right
one would be hidden): they are rejected at the end of the article, each with its M, as the
one-by-one rows decide them.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt

from annotator.model import Document, Span
from annotator.text.paragraphs import paragraph_at

SPACE_LIMIT = 4  # more Space presses than this to reach a suggestion: a click (1.3 s) is cheaper
Near = Callable[[Document, Span], "tuple[str, int] | None"]


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Every paragraph's ``[start, end)``, in text order."""
    out, at = [], 0
    while at <= len(text):
        start, end = paragraph_at(text, at)
        out.append((start, end))
        at = end + 1
    return out


def label_by_paragraph(desk, doc: Document, near: Near, fix: Callable[[object, Span, tuple[str, int]], None],
                       label_miss: Callable[[object, str, Span], None]) -> None:
    """Label ``doc`` (open in ``desk``) paragraph by paragraph; every gold span ends up stored."""
    for start, end in paragraphs(doc.text):
        gold = [g for g in doc.spans if start <= g.start < end]
        decide_paragraph(desk, doc, (start, end), near, fix)
        for g in sorted(gold, key=lambda s: (s.start, s.end)):
            if g.key not in stored(desk):
                label_miss(desk, doc.text, g)
                decide_paragraph(desk, doc, (start, end), near, fix)  # what its label propagated
    pending = desk.window.suggestions.pending
    for _ in range(2 * len(pending)):  # propagated into paragraphs already done: all wrong
        if not pending:
            return
        if reach(desk, pending[0]) is not None:
            desk.ops["M"] += 1
            desk.ops["wrong rejected"] += 1
            desk.key(Qt.Key.Key_R)
        pending = desk.window.suggestions.pending
    if pending:
        raise SystemExit(f"{doc.doc_id}: suggestions left undecided: {[s.key for s in pending]}")


def stored(desk) -> set[tuple[int, int, str]]:
    return {s.key for s in desk.window.session.spans(desk.window.controller.article_id)}


def decide_paragraph(desk, doc: Document, bounds: tuple[int, int], near: Near,
                     fix: Callable[[object, Span, tuple[str, int]], None]) -> None:
    """Reject the wrong suggestions of the paragraph, fix the nearly right, ``S`` for the rest."""
    suggestions = desk.window.suggestions
    gold = {g.key for g in doc.spans}
    for _ in range(4 * len(suggestions.pending) + 4):
        here = [s for s in suggestions.pending if bounds[0] <= s.start < bounds[1]]
        if not here:
            return
        right = [s for s in here if s.key in gold]
        if len(right) == len(here):
            cursor = paragraph_at(doc.text, desk.view.cursor_code_point())
            if cursor != bounds or desk.view.selected_span is not None:  # Space leaves the span
                reach(desk, here[0])
            desk.key(Qt.Key.Key_S)
            desk.ops["bulk"] += 1
            desk.ops["right by S"] += len(here)
            continue
        # In text order, as the cursor goes after each decision: a right one before the last
        # wrong one costs A (a Space to skip it would cost the same). A wrong one overlapping a
        # right one goes when the right one is accepted: no judgment of its own, and no
        # rejection that unlearns a name propagation still needs.
        partner = next((r for r in right if overlap(r, here[0])), None)
        target = reach(desk, partner or here[0])  # or one nested in it: the cursor's is the innermost
        if target is None:  # withdrawn meanwhile (a rejection unlearns its name everywhere)
            continue
        nearly = near(doc, target)
        if target.key in gold:
            desk.key(Qt.Key.Key_A)
            desk.ops["right by A"] += 1
        elif nearly is not None and not any(overlap(r, target) for r in right):
            desk.ops["fixed"] += 1
            fix(desk, target, nearly)
        else:
            desk.ops["M"] += 1  # judging a wrong suggestion is a decision too
            desk.ops["wrong rejected"] += 1
            desk.key(Qt.Key.Key_R)
    here = [s.key for s in suggestions.pending if bounds[0] <= s.start < bounds[1]]
    raise SystemExit(f"{doc.doc_id}: the suggestions of paragraph {bounds} were not all decided: {here}")


def overlap(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def reach(desk, target: Span) -> Span | None:
    """Put the cursor on ``target``: ``Space`` while the next pending suggestions lead there
    within SPACE_LIMIT presses, else a click on it. Returns the suggestion the cursor is on:
    ``target``, or one overlapping it that the desk puts first there (the innermost)."""
    suggestions = desk.window.suggestions

    def there() -> Span | None:
        current = suggestions.current()
        return current if current is not None and overlap(current, target) else None

    if desk.view.selected_span is None and there() is not None:
        return there()
    cp, under = desk.view.cursor_code_point(), suggestions.current()
    ahead = [s for s in sorted(suggestions.pending, key=lambda s: (s.start, -s.end))
             if s.start >= cp and s is not under]
    presses = next((i + 1 for i, s in enumerate(ahead) if s.key == target.key), None)
    if presses is not None and presses <= SPACE_LIMIT:
        for _ in range(presses):
            desk.key(Qt.Key.Key_Space)
            if there() is not None:
                return there()
    desk.click_text(target.start)
    if there() is None and any(s.key == target.key for s in suggestions.pending):
        raise SystemExit(f"could not put the cursor on the suggestion {target}")
    return there()
