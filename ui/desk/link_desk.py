"""Wiring the links into one desk window: controller, link mode, arcs, View option, warnings.

Kept out of :mod:`ui.desk.window`, which only composes: this module builds the
:class:`~ui.desk.links.LinksController` and the view's :class:`~ui.desk.linking.Linker`, shows
the article's links as arcs, adds View ▸ Show relations (``Ctrl+Shift+L``), and makes deleting
or relabelling a linked span say what it breaks before it is done.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction, QKeySequence

from annotator.model import Event, Relation, Schema, Span
from ui import i18n
from ui.desk import link_targets as targets
from ui.desk.linking import Linker
from ui.desk.links import LinksController
from ui.named import named

if TYPE_CHECKING:
    from ui.desk.document_view import DocumentView
    from ui.desk.window import DeskWindow

SHOW_RELATIONS_KEY = "Ctrl+Shift+L"
DEFAULT_MARGIN = 4  # QTextDocument's own
TOP_ROOM = 30  # px of document margin over the first line: its arcs and first lane of labels


def install(window: DeskWindow) -> LinksController:
    """Give ``window`` its links; returns the controller (also ``window.links``)."""
    links = LinksController(window.controller, window)
    linker = Linker(window.view, links, lambda: window.language)
    window.view.linker = linker
    linker.status.connect(window.show_status)
    links.linksChanged.connect(lambda r, e: _show_links(window, r, e))
    action = named(QAction(window, checkable=True, checked=True), "act_show_relations")
    action.setShortcut(QKeySequence(SHOW_RELATIONS_KEY))
    action.toggled.connect(lambda on: _set_visible(window, on))
    window.desk_actions.menus["menu_view"].addAction(action)
    window.addAction(action)
    window.desk_actions.actions["show_relations"] = action
    window.labeller.breaks = lambda span, label=None: what_breaks(window, links, span, label)
    window.labeller.labelled.connect(lambda span: _trigger_labelled(window.schema, linker, span))
    reserve_room(window.view, linkable=bool(window.schema.relation_types or window.schema.event_types))
    return links


def _trigger_labelled(schema: Schema, linker: Linker, span: Span) -> None:
    """A span just labelled as a trigger: its frame's first empty slot is offered at once
    (Enter fills it; any other key leaves), so the event costs no key of its own."""
    if targets.event_types_for(schema, span):
        linker.open_frame(span)


def _show_links(window: DeskWindow, relations: list[Relation], events: list[Event]) -> None:
    view = window.view
    if relations or events or view.has_arcs:  # the painter is made only when there is a link
        view.arcs.set_links(relations, events)
    schema = window.schema
    reserve_room(view, linkable=bool(relations or events or schema.relation_types or schema.event_types))


def reserve_room(view: DocumentView, *, linkable: bool) -> None:
    """Room over the first line for its arcs and the first lane of their labels.

    Reserved from the start whenever the schema has relation or event types (not when the
    first link is made: the text would jump under the pointer then); a schema without any
    keeps Qt's own margin (the margin is Qt's on every side). The review desk reserves it too.
    """
    margin = TOP_ROOM if linkable else DEFAULT_MARGIN
    if view.document().documentMargin() != margin:
        view.document().setDocumentMargin(margin)
        view.glyphs.clear()


def _set_visible(window: DeskWindow, on: bool) -> None:
    window.view.arcs.visible = on
    window.view.arcs.selected = None
    window.view.viewport().update()


def retranslate(window: DeskWindow, language: str) -> None:
    window.desk_actions.actions["show_relations"].setText(i18n.tr("act_show_relations", language))


def what_breaks(window: DeskWindow, links: LinksController, span: Span, label: str | None) -> list[str]:
    """One line per link that deleting ``span`` (or relabelling it ``label``) would remove:
    what the desk shows before asking, in the interface language (the core decides what
    breaks: :meth:`annotator.link_records.SpanLinks.broken_by`)."""
    found = links.links_of_span(span)
    if found is None:
        return []
    schema, language = window.schema, window.language
    if label is not None:
        found = found.broken_by(label, schema)
    lines = [i18n.tr("breaks_relation", language, kind=_display(schema.relation_type, rel.type, language),
                     head=rel.head.text, tail=rel.tail.text) for rel in found.relations]
    lines += [i18n.tr("breaks_event", language, kind=_display(schema.event_type, event.type, language),
                      text=event.trigger.text, count=len(event.arguments)) for event in found.triggers]
    for event, role in found.arguments:
        try:
            name = schema.event_type(event.type).role(role).display(language)
        except KeyError:
            name = role
        lines.append(i18n.tr("breaks_argument", language, role=name, text=event.trigger.text))
    return lines


def _display(find: Callable[[str], Any], name: str, language: str) -> str:
    """A relation or event type's display name (its name when the schema lacks it)."""
    try:
        return find(name).display(language)
    except KeyError:
        return name
