"""Making links in the article view: by key (a relation or role key, Tab, Enter) and by mouse.

Keyboard: with a span selected, a relation type's key (or an event role's key, on a trigger)
enters link mode (Ctrl+L: a menu of every kind of link that may start there, for the types
the schema gave no key). The candidates the schema allows are visited in reading order with Tab /
Shift+Tab, starting at the one nearest the source (:mod:`ui.desk.link_targets`); the current
one is boxed and a dashed arc with the type's name runs to it, so what Enter will store is on
screen before it is stored. Enter makes the link, Esc (or any other key) leaves link mode. An
event type's key on a span with its trigger label creates the event.

Frames: ``]`` / ``[`` go to the next / previous trigger whose frame has an empty slot some span
may fill, select it and offer that slot (as its role key would); a span just labelled with a
trigger label is offered its first slot the same way (:mod:`ui.desk.link_desk`). After each
role the desk goes on to the frame's next empty slot, so a frame is filled with Enter after
Enter; the event is made with its first role, and costs no key of its own.

Mouse: a drag from the selected span to another span (pressed and released on their glyphs),
or Alt+click on a span while one is selected, links the two; when the schema allows more than
one kind of link between them a menu asks which (its entries carry the keys). A click on an
arc selects it (Delete removes it, undoable); hovering shows what it links.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPointF, Qt, Signal

from annotator.model import Event, Span
from ui import i18n
from ui.desk import link_targets as targets
from ui.desk.key_chars import key_char
from ui.desk.link_targets import LinkChoice

if TYPE_CHECKING:
    from PySide6.QtGui import QKeyEvent, QMouseEvent
    from PySide6.QtWidgets import QMenu

    from ui.desk.document_view import DocumentView
    from ui.desk.links import LinksController
    from ui.desk.relation_arcs import Link

ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
LINK_KEY = Qt.Key.Key_L  # with Ctrl: choose the kind of link from a menu
FRAME_KEYS = ("]", "[")  # next / previous open event frame (key_char: «د» / «ج» on an Arabic layout)
MODIFIER_KEYS = (Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_Meta, Qt.Key.Key_AltGr)


class Linker(QObject):
    """Link mode and link gestures of one view; intents go to the :class:`LinksController`."""

    status = Signal(str)
    slot = Signal(str)  # the role link mode fills now ("" when none): the event panel marks it

    def __init__(self, view: DocumentView, links: LinksController,
                 language: Callable[[], str]) -> None:
        super().__init__(view)
        self.view, self.links, self.language = view, links, language
        self.source: Span | None = None
        self.choice: LinkChoice | None = None
        self.candidates: list[Span] = []
        self.index = -1
        self.menu: QMenu | None = None  # the kind chooser of the last gesture (tests reach it)
        self._drag: tuple[Span, QPointF] | None = None
        self._alt: tuple[Span, Span, QPointF] | None = None  # Alt pressed on another span
        links.linksChanged.connect(lambda *_: self.cancel())

    def _tr(self, key: str, **values: object) -> str:
        return i18n.tr(key, self.language(), **values)

    # -- link mode (keyboard) --------------------------------------------------------------
    @property
    def active(self) -> bool:
        return self.source is not None and self.choice is not None

    @property
    def target(self) -> Span | None:
        return self.candidates[self.index] if self.active and 0 <= self.index < len(self.candidates) else None

    def start(self, choice: LinkChoice, source: Span) -> bool:
        """Enter link mode from ``source``; False (and a status line) when no span may be reached."""
        found = self.reachable(choice, source)
        if not found:
            self.status.emit(self._tr("link_no_candidates", kind=choice.display(self.language())))
            return False
        self.source, self.choice, self.candidates = source, choice, found
        self.index = targets.first_offered(choice, source, found, self.links.relations, self.links.events)
        self._show()
        return True

    def reachable(self, choice: LinkChoice, source: Span) -> list[Span]:
        """The spans ``choice`` may link ``source`` to here, in Tab order (the review desk's
        end picker narrows them to gold spans that keep a link in its slot)."""
        return targets.candidates(self.view.schema, choice, source, self.view.spans, self.links.relations)

    def tab(self, forward: bool) -> bool:
        """Tab / Shift+Tab: the next candidate in link mode; False (the view cycles spans) otherwise."""
        if self.active:
            self.cycle(forward)
        return self.active

    def cycle(self, forward: bool = True) -> None:
        if self.active:
            self.index = (self.index + (1 if forward else -1)) % len(self.candidates)
            self._show()

    def cancel(self) -> None:
        if self.source is None:
            return
        self.source, self.choice, self.candidates, self.index = None, None, [], -1
        self.view.arcs.preview = None
        self.view.set_candidate(None)
        self.slot.emit("")

    def commit(self) -> bool:
        """Make the link to the current candidate (one core call, one undo step); after a
        role, go on to the frame's next empty slot (:meth:`next_slot`)."""
        source, choice, target = self.source, self.choice, self.target
        self.cancel()
        if source is None or choice is None or target is None:
            return False
        done = self.make(choice, source, target)
        if done and choice.kind == "role":
            self.next_slot(source, choice)
        return done

    def next_slot(self, trigger: Span, filled: LinkChoice) -> bool:
        """Link mode on the next empty slot of ``trigger``'s frame (required ones first, then
        schema order from the role just filled; one no span may fill is passed:
        :func:`~ui.desk.link_targets.open_slot`).

        Why: a frame is filled slot after slot, and the key that names the next slot is the
        one a hand would press anyway; with the slot offered (its nearest candidate boxed,
        as after a role key), Enter or Tab goes on and any other key (a role key, Esc) leaves
        link mode as always. False when the frame has no empty slot left to offer.
        """
        choice = targets.open_slot(self.view.schema, trigger, self.view.spans, self.links.relations,
                                   self.links.events, after=filled)
        return choice is not None and self.start(choice, trigger)

    def open_frame(self, trigger: Span) -> bool:
        """Select ``trigger`` and offer its frame's first empty slot (made by labelling a
        trigger, and by ``]`` / ``[``): Enter fills it, and the desk goes on slot to slot."""
        choice = targets.open_slot(self.view.schema, trigger, self.view.spans, self.links.relations,
                                   self.links.events)
        if choice is None:
            return False
        if self.view.selected_span is None or not targets.same_span(self.view.selected_span, trigger):
            self.view.select_span(trigger)
        return self.start(choice, trigger)

    def next_frame(self, forward: bool = True) -> bool:
        """``]`` / ``[``: to the next (previous) trigger in reading order whose frame has a
        slot to offer, that slot offered; says so when there is none."""
        current = self.source or self.view.selected_span
        found = targets.next_frame(self.view.schema, self.view.spans, self.links.relations, self.links.events,
                                   self.view.cursor_code_point(), forward=forward, current=current)
        if found is None:
            self.status.emit(self._tr("frame_none_open"))
            return True
        self.cancel()
        return self.open_frame(found[0]) or True

    def _show(self) -> None:
        from ui.desk.relation_arcs import Link  # noqa: PLC0415

        source, choice, target = self.source, self.choice, self.target
        if source is None or choice is None or target is None:
            return
        self.view.arcs.preview = Link("preview", choice.name, source, target,
                                      event=Event(choice.event_type, source) if choice.kind == "role" else None)
        self.view.set_candidate(target)
        self.slot.emit(choice.name if choice.kind == "role" else "")
        self.status.emit(self._tr("link_mode", kind=choice.display(self.language()), text=target.text,
                                  n=self.index + 1, count=len(self.candidates)))

    def key(self, event: QKeyEvent) -> bool:
        """Handle a key of link mode, or a key that starts one; False: not ours."""
        key, char = event.key(), key_char(event)
        if self.active:
            if key in ENTER_KEYS:
                self.commit()
                return True
            if key == Qt.Key.Key_Escape:
                self.cancel()
                self.status.emit(self._tr("link_cancelled"))
                return True
            if key in MODIFIER_KEYS:
                return False  # Shift on its way to Shift+Tab
            if char in FRAME_KEYS:
                return self.next_frame(forward=char == FRAME_KEYS[0])
            self.cancel()  # any other key leaves link mode, and then does what it does
        if char in FRAME_KEYS and self._plain(event):
            return self.next_frame(forward=char == FRAME_KEYS[0])
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.view.arcs.selected is not None:
            return self.remove(self.view.arcs.selected)
        source = self.view.selected_span
        if source is None or self.view.selected_range() is not None:
            return False
        if key == LINK_KEY and event.modifiers() == Qt.KeyboardModifier.ControlModifier:
            return self.choose(source)
        if not self._plain(event):
            return False
        if not char:
            return False
        kind = next((k for k in targets.event_types_for(self.view.schema, source)
                     if k.key and k.key.lower() == char), None)
        if kind is not None:
            return self.create_event(kind.name, source)
        choice = targets.choice_for_key(self.view.schema, source, self.links.events, char)
        return choice is not None and (self.start(choice, source) or True)

    def choose(self, source: Span) -> bool:
        """The one link key (Ctrl+L): a menu of every kind of link that may start at ``source``
        (relation types, then the roles of its event), for types the schema gave no key."""
        choices = targets.choices_for(self.view.schema, source, self.links.events)
        if not choices:
            self.status.emit(self._tr("link_none_from", text=source.text))
            return True
        if len(choices) == 1:
            self.start(choices[0], source)
            return True
        from PySide6.QtCore import QPoint  # noqa: PLC0415
        from PySide6.QtWidgets import QMenu  # noqa: PLC0415 (not on the start path)

        self.menu = menu = QMenu(self.view)
        menu.setObjectName("linkChooser")
        for choice in choices:
            action = menu.addAction(choice.display(self.language()) + (f"\t{choice.key}" if choice.key else ""))
            action.triggered.connect(lambda _=False, c=choice: self.start(c, source))
        rect = self.view.cursorRect()
        menu.popup(self.view.viewport().mapToGlobal(QPoint(rect.center().x(), rect.bottom())))
        return True

    @staticmethod
    def _plain(event: QKeyEvent) -> bool:
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        return mods in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier)

    # -- changes -----------------------------------------------------------------------------
    def make(self, choice: LinkChoice, source: Span, target: Span) -> bool:
        """Store one link: a relation, or a role filled (the event made first if need be)."""
        if choice.kind == "relation":
            done = self.links.add_relation(choice.name, source, target) is not None
        else:
            event = choice.event or self.links.event_of(source, choice.event_type)
            done = self.links.fill_role(event, choice.event_type, source, choice.name, target) is not None
        if done:
            self.status.emit(self._tr("link_made", kind=choice.display(self.language()),
                                      head=source.text, tail=target.text))
        return done

    def create_event(self, kind: str, trigger: Span) -> bool:
        if any(e.type == kind for e in targets.events_of(trigger, self.links.events)):
            self.status.emit(self._tr("event_exists", text=trigger.text))
            return True
        event = self.links.add_event(kind, trigger)
        if event is not None:
            name = self.view.schema.event_type(kind).display(self.language())
            self.status.emit(self._tr("event_made", kind=name, text=trigger.text))
        return True

    def remove(self, link: Link) -> bool:
        """Remove an arc's relation or argument (one undo step)."""
        self.view.arcs.selected = None
        if link.layer:  # another layer's, shown read-only
            self.status.emit(self._tr("link_read_only", layer=link.layer))
            return True
        if link.kind == "relation" and link.relation is not None:
            return self.links.remove_relation(link.relation)
        if link.kind == "argument" and link.event is not None:
            return self.links.remove_argument(link.event, link.name, link.tail) is not None
        return False

    # -- mouse -------------------------------------------------------------------------------
    def press(self, event: QMouseEvent) -> bool:
        """An arc clicked (selected), or a drag from the selected span begins; True: handled."""
        if event.button() != Qt.MouseButton.LeftButton:
            return False
        self.cancel()  # a click ends link mode, as any key but Tab and Enter does
        point = event.position()
        arc = self.view.arcs.arc_at(point)
        if arc is not None:
            self.cancel()
            self.view.select_link(arc.link)
            return True
        self.view.arcs.selected = None
        selected = self.view.selected_span
        cp = self.view.selector.char_at(point.toPoint())
        if selected is None or cp is None:
            return False
        alt = bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)
        if alt:  # Alt+click on another span links to it (on release: Alt+drag still selects)
            other = next((s for s in self.view.spans_at(cp) if not targets.same_span(s, selected)), None)
            self._alt = (selected, other, point) if other is not None else None
            return False
        if selected.start <= cp < selected.end and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            self._drag = (selected, point)
            return True
        return False

    def move(self, event: QMouseEvent) -> bool:
        if self._drag is None:
            return False
        self.view.arcs.rubber = (self._drag[1], event.position())
        self.view.viewport().update()
        return True

    def release(self, event: QMouseEvent) -> bool | None:
        """End a drag from the selected span: True when it linked (or asked which kind), False
        when it was a click on the span (the view handles it as a click), None: not ours."""
        if self._alt is not None:
            source, other, pressed = self._alt
            self._alt = None
            if (event.position() - pressed).manhattanLength() < 4:
                self.view.selector.forget()
                self.view.select_span(source, move_cursor=False)
                self.gesture(source, other, event.position())
                return True
        if self._drag is None:
            return None
        source, pressed = self._drag
        self._drag = None
        self.view.arcs.rubber = None
        self.view.viewport().update()
        cp = self.view.selector.char_at(event.position().toPoint())
        if cp is None or (event.position() - pressed).manhattanLength() < 4:
            return False
        target = next((s for s in self.view.spans_at(cp) if not targets.same_span(s, source)), None)
        if target is None or source.start <= cp < source.end:
            return True  # dragged off the spans: nothing to link
        self.gesture(source, target, event.position())
        return True

    def gesture(self, source: Span, target: Span, point: QPointF) -> None:
        """Link ``source`` to ``target`` by mouse: at once when one kind is allowed, else ask."""
        choices = targets.choices_between(self.view.schema, source, target, self.links.events)
        if not choices:
            self.status.emit(self._tr("link_not_allowed", head=source.text, tail=target.text))
            return
        if len(choices) == 1:
            self.make(choices[0], source, target)
            return
        from PySide6.QtWidgets import QMenu  # noqa: PLC0415 (not on the start path)

        self.menu = menu = QMenu(self.view)
        menu.setObjectName("linkChooser")
        for choice in choices:
            label = choice.display(self.language()) + (f"\t{choice.key}" if choice.key else "")
            action = menu.addAction(label)
            action.triggered.connect(lambda _=False, c=choice: self.make(c, source, target))
        menu.popup(self.view.viewport().mapToGlobal(point.toPoint()))
