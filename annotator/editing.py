"""Span editing and its history: the half of :class:`annotator.project.Session` that changes a layer.

Every edit here is one transaction that also records one undo step in the store, so the two can
never disagree after a crash, and undo/redo survive a restart. Kept apart from ``project.py`` so
that module stays the map of use cases (open, read, queue, position) and this one the rules of
changing spans (trimmed marks, own layer only, ids that SQLite reuses).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import TYPE_CHECKING, Any, TypeVar

from annotator.errors import LinkError, PermissionDenied, ProjectError, SchemaError, SpanError
from annotator.link_records import moved_links
from annotator.linking import LINK_OPS
from annotator.model import Article, Span, check_span, make_span, span_from_dict, span_to_dict
from annotator.retries import one_action
from annotator.text.marks import trim_marks
from annotator.text.paragraphs import paragraph_at

if TYPE_CHECKING:
    from annotator.link_records import SpanLinks
    from annotator.project import Project
    from annotator.store.protocol import ProjectStore


class Stored(Enum):
    """What :meth:`Editing.send` returns for a change that was already stored."""

    ALREADY = "already stored"


ALREADY_STORED = Stored.ALREADY
T = TypeVar("T")


class Editing:
    """The editing half of :class:`annotator.project.Session` (``project``, ``store``, ``user``)."""

    project: Project
    store: ProjectStore
    user: str
    _sending: str | None = None  # the id of the desk's change being made (send)

    if TYPE_CHECKING:  # provided by Session and its Gate
        def article(self, article_id: int) -> Article: ...
        def spans(self, article_id: int) -> list[Span]: ...
        def layer_spans(self, article_id: int, layer: str) -> list[Span]: ...
        def require_read(self, layer: str) -> None: ...
        def links_of_span(self, article_id: int, span_id: int) -> SpanLinks: ...
        def _links_of(self, article_id: int, span: Span) -> SpanLinks: ...
        def _drop_links(self, article_id: int, links: dict[str, Any]) -> None: ...
        def _restore_links(self, article_id: int, links: dict[str, Any]) -> None: ...
        def _apply_link(self, article_id: int, action: dict[str, Any], *, reverse: bool) -> None: ...
        def _copy_links_from(self, article_id: int, layer: str) -> dict[str, Any]: ...
        def pending_suggestions(self, article_id: int) -> list[Span]: ...

    # --- labelling (each call one transaction, recorded for undo) -----------------------------

    @one_action
    def add_span(self, article_id: int, start: int, end: int, label: str) -> Span:
        if label not in self.project.schema.names:
            raise SchemaError(f"unknown label {label!r}")
        text = self.article(article_id).text
        start, end = trim_marks(text, start, end)  # a span never starts or ends on an LRM/RLM
        span = make_span(text, start, end, label, self.user)
        with self.store.transaction():
            saved = self.store.insert_new_span(article_id, span)  # no check first: one step
            if saved is None:
                raise SpanError(f"{label} [{start}, {end}) is already labelled")
            self._record(article_id, {"op": "add", "span": span_to_dict(saved)})
            self._touch(article_id)
        return saved

    @one_action
    def add_spans(self, article_id: int, ranges: list[tuple[int, int]], label: str) -> list[Span]:
        """Label several ranges in one transaction (e.g. "label all matches"); skips existing ones."""
        text = self.article(article_id).text
        saved: list[Span] = []
        with self.store.transaction():
            for start, end in (trim_marks(text, a, b) for a, b in ranges):
                new = self.store.insert_new_span(article_id, make_span(text, start, end, label, self.user))
                if new is not None:
                    saved.append(new)
            if saved:
                self._record(article_id, {"op": "add_many", "spans": [span_to_dict(s) for s in saved]})
                self._touch(article_id)
        return saved

    @one_action
    def remove_span(self, article_id: int, span_id: int) -> None:
        """Remove one of this user's spans with the relations and event roles it is part of
        (an event it triggers goes too), as ONE undo step that restores all of them."""
        with self.store.transaction():
            span = self._own_span(article_id, span_id)
            action: dict[str, Any] = {"op": "remove", "span": span_to_dict(span)}
            links = self._links_of(article_id, span)
            if links:
                action["links"] = links.to_dict()
                self._drop_links(article_id, action["links"])
            self.store.delete_span(span_id)
            self._record(article_id, action)
            self._touch(article_id)

    @one_action
    def relabel_span(self, article_id: int, span_id: int, label: str, *, force: bool = False) -> Span:
        """Give a span another label. If a link of it would not allow the new label, refuse
        with a :class:`LinkError` naming what breaks, or with ``force`` remove those links in
        the same undo step."""
        if label not in self.project.schema.names:
            raise SchemaError(f"unknown label {label!r}")
        with self.store.transaction():
            span = self._own_span(article_id, span_id)
            action: dict[str, Any] = {"op": "relabel", "span": span_to_dict(span), "label": label}
            broken = self._links_of(article_id, span).broken_by(label, self.project.schema)
            if broken and not force:
                raise LinkError(f"relabelling «{span.text}» as {label} breaks: {broken.describe()}")
            if broken:
                action["links"] = broken.to_dict()
                self._drop_links(article_id, action["links"])
            self.store.set_span_label(span_id, label)
            self._record(article_id, action)
            self._touch(article_id)
        return Span(span.start, span.end, label, span.text, span.annotator, span.id, span.provenance)

    # --- starting from another layer (the desk's "starting point") and reshaping ---------

    @one_action
    def start_from_layer(self, article_id: int, layer: str) -> list[Span]:
        """Copy ``layer``'s spans of the article into this user's layer as ONE undo step
        (provenance ``from <layer>``); spans the user already has are skipped. The layer's
        relations and events come too, wherever the user now holds all their spans."""
        text = self.article(article_id).text
        saved: list[Span] = []
        with self.store.transaction():
            for source in self.layer_spans(article_id, layer):
                new = self.store.insert_new_span(article_id, make_span(
                    text, source.start, source.end, source.label, self.user, provenance=f"from {layer}"))
                if new is not None:
                    saved.append(new)
            links = self._copy_links_from(article_id, layer)  # its relations and events too
            if saved or any(links.values()):
                self._record(article_id, {
                    "op": "add_many", "spans": [span_to_dict(x) for x in saved], "added_links": links})
                self._touch(article_id)
        return saved

    @one_action
    def replace_span(self, article_id: int, span_id: int, start: int, end: int) -> Span:
        """Give one of this user's spans new bounds ``[start, end)`` (same label), as ONE undo
        step: the desk's clitic key strips ``ب`` from ``بتونس`` this way. The span keeps its
        provenance: an accepted suggestion reshaped by one key is still an accepted suggestion
        (the suggestion statistics and exports count it so)."""
        text = self.article(article_id).text
        with self.store.transaction():
            old = self._own_span(article_id, span_id)
            span = make_span(text, start, end, old.label, self.user, provenance=old.provenance)
            if self.store.span_exists(article_id, span) is not None:
                raise SpanError(f"{old.label} [{start}, {end}) is already labelled")
            links = self.links_of_span(article_id, span_id)
            self.store.delete_span(span_id)
            saved = self.store.insert_span(article_id, span)
            action: dict[str, Any] = {"op": "replace", "spans": [span_to_dict(old), span_to_dict(saved)]}
            if links:  # its relations and event roles follow it to its new bounds
                action["moved_links"] = links.to_dict()
                self._restore_links(article_id, moved_links(action["moved_links"], old, saved))
            self._record(article_id, action)
            self._touch(article_id)
        return saved

    # --- suggestions: accept = the user's span, reject = remembered --------------------------

    def accept_suggestion(self, article_id: int, suggestion: Span) -> Span:
        """Copy a suggestion into this user's layer, provenance "accepted suggestion"; undoable."""
        saved = self.accept_all_suggestions(article_id, [suggestion])
        if not saved:
            raise SpanError(f"{suggestion.label} [{suggestion.start}, {suggestion.end}) is already labelled")
        return saved[0]

    @one_action
    def accept_all_suggestions(self, article_id: int, suggestions: list[Span]) -> list[Span]:
        """Accept several suggestions as ONE undo step; skips any overlapping a span already held.

        Overlapping suggestions are taken in a fixed order, each skipped if it overlaps one
        taken before it: the earliest start first, then the longest, then the label that comes
        first in the schema (the palette's order); so «بتونس» LOC beats «تونس» LOC, and of two
        labels on one range the schema's first wins. A suggestion over a span already held is
        skipped, so nothing is stored twice.
        """
        text = self.article(article_id).text
        unknown = self.project.check_labels({s.label for s in suggestions})
        if unknown:
            raise SchemaError(f"unknown label {unknown[0]!r}")
        for layer in {s.annotator for s in suggestions}:
            self.require_read(layer)  # copying a colleague's span is reading it
        saved: list[Span] = []
        with self.store.transaction():
            held = self.spans(article_id)
            rank = {name: i for i, name in enumerate(self.project.schema.names)}
            for s in sorted(suggestions, key=lambda s: (s.start, -s.end, rank[s.label], s.annotator)):
                if any(s.start < h.end and h.start < s.end for h in held):
                    continue
                span = make_span(text, s.start, s.end, s.label, self.user, provenance="accepted suggestion")
                held.append(self.store.insert_span(article_id, span))
                saved.append(held[-1])
            if saved:
                self._record(article_id, {"op": "add_many", "spans": [span_to_dict(x) for x in saved]})
                self._touch(article_id)
        return saved

    @one_action
    def accept_paragraph_suggestions(self, article_id: int, at: int) -> list[Span]:
        """Accept every pending suggestion that starts in the paragraph holding code point ``at``
        (:func:`annotator.text.paragraphs.paragraph_at`), as ONE undo step, provenance
        "accepted suggestion" (overlaps: see :meth:`accept_all_suggestions`). The annotator
        rejects the wrong ones first; this takes the rest, as Prodigy's ner.correct accepts an
        example. Returns the spans stored, in text order ([] when the paragraph has none).
        """
        start, end = paragraph_at(self.article(article_id).text, at)
        here = [s for s in self.pending_suggestions(article_id) if start <= s.start < end]
        return self.accept_all_suggestions(article_id, here) if here else []

    @one_action
    def reject_suggestion(self, article_id: int, suggestion: Span) -> None:
        """Remember that this user rejected a suggestion (it is hidden, and training learns it); undoable."""
        check_span(self.article(article_id).text, suggestion)
        self.require_read(suggestion.annotator)
        with self.store.transaction():
            self.store.insert_rejection(article_id, self.user, suggestion)
            self._record(article_id, {"op": "reject", "span": span_to_dict(suggestion)})
            self._touch(article_id)

    def _own_span(self, article_id: int, span_id: int) -> Span:
        owner_article, span = self.store.span(span_id)
        if owner_article != article_id:
            raise SpanError(f"span {span_id} is not in article {article_id}")
        if span.annotator != self.user:
            raise PermissionDenied(f"span {span_id} belongs to {span.annotator}, not {self.user}")
        return span

    def _touch(self, article_id: int) -> None:
        self.store.touch_state(article_id, self.user)  # in_progress unless already past new

    # --- the desk's changes, sent once even when an acknowledgement is lost --------------------

    def send(self, client_id: str, change: Callable[[], T], *, again: bool = False
             ) -> T | Stored:
        """Make one change the desk queued (``change``: its session calls), recording
        ``client_id`` (made by the desk, one per change) in the undo steps it writes or moves,
        in the same transaction.

        Why: when a server's connection drops after COMMIT but before its answer arrives, the
        desk cannot tell a lost change from a lost acknowledgement, and sends it ``again``.
        Then a change whose id is already stored is not made twice (an undo sent twice would
        undo two steps): :data:`ALREADY_STORED` is returned instead of its result. A change
        that writes no undo step (a state) is made again, to the same effect.
        """
        if again and self.store.client_change_stored(client_id):
            return ALREADY_STORED
        self._sending = client_id
        try:
            return change()
        finally:
            self._sending = None

    def _record(self, article_id: int, action: dict[str, Any]) -> None:
        """One undo step of this user, tagged with the desk's change being sent (if any)."""
        self.store.push_action(self.user, article_id, action, self._sending)

    # --- undo / redo: the history lives in the store, so it survives a restart ----------------

    def can_undo(self, article_id: int) -> bool:
        return self.store.last_action(self.user, article_id, undone=False) is not None

    def can_redo(self, article_id: int) -> bool:
        return self.store.last_action(self.user, article_id, undone=True) is not None

    @one_action
    def undo(self, article_id: int) -> bool:
        with self.store.transaction():
            entry = self.store.last_action(self.user, article_id, undone=False)
            if entry is None:
                return False
            self._apply(article_id, entry[1], reverse=True)
            self.store.mark_action(entry[0], undone=True, client_id=self._sending)
        return True

    @one_action
    def redo(self, article_id: int) -> bool:
        with self.store.transaction():
            entry = self.store.last_action(self.user, article_id, undone=True)
            if entry is None:
                return False
            self._apply(article_id, entry[1], reverse=False)
            self.store.mark_action(entry[0], undone=False, client_id=self._sending)
        return True

    def _apply(self, article_id: int, action: dict[str, Any], *, reverse: bool) -> None:
        links = action.get("links")  # a span removed or relabelled with its links
        if links and not reverse:
            self._drop_links(article_id, links)
        self._apply_spans(article_id, action, reverse=reverse)
        if links and reverse:
            self._restore_links(article_id, links)

    def _apply_spans(self, article_id: int, action: dict[str, Any], *, reverse: bool) -> None:
        op = action["op"]
        if op in LINK_OPS:
            self._apply_link(article_id, action, reverse=reverse)
            return
        spans = [span_from_dict(d) for d in action.get("spans", [action.get("span")]) if d]
        if op in ("add", "add_many"):
            if reverse:  # links added with the spans go first (those on spans go with them anyway)
                self._drop_links(article_id, action.get("added_links", {}))
            for span in spans:
                (self._delete_own if reverse else self._restore_own)(article_id, span)
            if not reverse:
                self._restore_links(article_id, action.get("added_links", {}))
        elif op == "remove":
            for span in spans:
                (self._restore_own if reverse else self._delete_own)(article_id, span)
        elif op == "replace":  # spans = [old, new]
            gone, back = (spans[1], spans[0]) if reverse else (spans[0], spans[1])
            self._delete_own(article_id, gone)
            self._restore_own(article_id, back)
            if action.get("moved_links"):  # recorded over the old span
                links = action["moved_links"]
                self._restore_links(article_id, links if reverse else moved_links(links, *spans))
        elif op == "relabel":
            span = spans[0]
            held = self._own_id(article_id, span, action["label"] if reverse else span.label)
            if held is not None:
                self.store.set_span_label(held, span.label if reverse else action["label"])
        elif op == "reject":  # a remembered suggestion rejection (annotator.suggest)
            (self.store.delete_rejection if reverse else self.store.insert_rejection)(
                article_id, self.user, spans[0])

    # A history entry names spans by id, but ids are reused (SQLite hands a deleted top id to the
    # next insert) and a span can leave by other paths (a merge, a label merge). So a step acts
    # only on this user's own span over the recorded range: never on a colleague's span that now
    # holds the same id.

    def _own_id(self, article_id: int, span: Span, label: str | None = None) -> int | None:
        """The id of this user's span ``span`` (labelled ``label`` now), or None if it is gone."""
        try:
            where, current = self.store.span(span.id)  # type: ignore[arg-type]
            if (where, current.annotator, current.start, current.end) == (
                    article_id, self.user, span.start, span.end):
                return current.id
        except ProjectError:
            pass
        mine = Span(span.start, span.end, label or span.label, span.text, self.user)
        return self.store.span_exists(article_id, mine)  # restored under a new id (below)

    def _delete_own(self, article_id: int, span: Span) -> None:
        held = self._own_id(article_id, span)
        if held is not None:
            self.store.delete_span(held)

    def _restore_own(self, article_id: int, span: Span) -> None:
        """Put the span back in this user's layer: under its old id if free, else a new one."""
        mine = Span(span.start, span.end, span.label, span.text, self.user, span.id, span.provenance)
        if self.store.span_exists(article_id, mine) is not None:
            return
        try:
            self.store.span(span.id)  # type: ignore[arg-type]
        except ProjectError:
            self.store.restore_span(article_id, mine)
        else:
            self.store.insert_span(article_id, mine)
