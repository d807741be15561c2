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

from annotator.model import Event, Relation, Span
from ui import i18n
from ui.desk.linking import Linker
from ui.desk.links import LinksController
from ui.named import named

if TYPE_CHECKING:
    from ui.desk.window import DeskWindow

SHOW_RELATIONS_KEY = "Ctrl+Shift+L"
DEFAULT_MARGIN = 4  # QTextDocument's own


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
    return links


def _show_links(window: DeskWindow, relations: list[Relation], events: list[Event]) -> None:
    view = window.view
    if relations or events or view.has_arcs:  # the painter is made only when there is a link
        view.arcs.set_links(relations, events)
        # Room over the first line for its arcs (the margin is Qt's on every side: set only
        # while the article has links, so an article without any is laid out as before).
        from ui.desk.relation_arcs import TOP_ROOM  # noqa: PLC0415

        margin = TOP_ROOM if relations or events else DEFAULT_MARGIN
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
