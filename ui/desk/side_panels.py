"""The desk's side panels, built after the article view's first paint (``DeskWindow.ensure_panels``).

Why a separate step: the queue table, the span table, the combos, the palette's styled buttons,
the tabs and the status bar cost ~10 ms of the desk's start to first article visible
(``bench/bench_desk.py``), and none of them is needed to read the first article. They are
built in the next event-loop iteration after that paint, into splitter slots the window
already sized for them, so they appear without the article reflowing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QTabWidget

from ui import i18n
from ui.desk.article_queue import ArticleQueuePanel
from ui.desk.event_panel import EventPanel
from ui.desk.guidelines import GuidelinesPanel
from ui.desk.layer_bar import LayerBar
from ui.desk.palette import LabelPalette
from ui.desk.span_table import SpanPanel
from ui.named import named

if TYPE_CHECKING:
    from annotator.model import Schema, Span
    from ui.desk.window import DeskWindow


class SidePanels:
    """Queue | palette | span list + guidelines of one desk window, wired to it."""

    def __init__(self, window: DeskWindow) -> None:
        schema, language = window.schema, window.language
        self.palette = LabelPalette(schema, language)
        self.layer_bar = LayerBar(window)
        self.queue = ArticleQueuePanel(window.session, schema, language)
        self.span_panel = SpanPanel(schema, language)
        self.guidelines = GuidelinesPanel(schema, language)
        self.event_panel = EventPanel(schema, language)
        self.tabs = named(QTabWidget(), "sideTabs")
        self.tabs.addTab(self.span_panel, "")
        self.tabs.addTab(self.guidelines, "")
        # The event frame under the tabs, not a third tab: it is read while the text is worked
        # on, and three tabs do not fit the column at 800x600. Hidden when the schema has no
        # event types (a project made before them looks as it did).
        self.side = named(QSplitter(Qt.Orientation.Vertical), "sideColumn")
        self.side.setChildrenCollapsible(False)
        self.side.addWidget(self.tabs)
        self.side.addWidget(self.event_panel)
        self.side.setStretchFactor(0, 3)
        self.side.setStretchFactor(1, 2)
        self.event_panel.setVisible(bool(schema.event_types))
        self._place(window)
        self._wire(window)
        self.retranslate(language)
        window.statusBar()  # its line below the panels, before a message needs it
        if self.queue.model.rowCount() == 0 and self.queue.model.canFetchMore():
            self.queue.model.fetchMore()  # the first page, so the open article's row is shown
        if window.controller.article is not None:
            self.article_opened(window.controller.article.id, window.controller.spans)
            self.span_panel.show_span(window.view.selected_span)
            self.event_panel.show_for(window.view.selected_span, window.links.events)

    def _place(self, window: DeskWindow) -> None:
        window.centre_box.insertWidget(0, self.palette)
        window.centre_box.insertWidget(1, self.layer_bar)
        sizes = window.splitter.sizes()
        for index, panel in ((0, self.queue), (2, self.side)):
            empty = window.splitter.replaceWidget(index, panel)  # the empty slot
            if empty is not None:
                empty.deleteLater()
        window.splitter.setSizes(sizes)

    def _wire(self, window: DeskWindow) -> None:
        window.view.spanSelected.connect(self.span_panel.show_span)
        self.span_panel.spanActivated.connect(window.jump_to_span)
        self.queue.articleActivated.connect(window.open_article)
        self.palette.labelClicked.connect(window.labeller.apply_label)
        # The event frame of the selected span, re-read when the links change.
        events = window.links
        window.view.spanSelected.connect(lambda span: self.event_panel.show_for(span, events.events))
        events.linksChanged.connect(
            lambda _r, e: self.event_panel.show_for(window.view.selected_span, e))
        self.event_panel.removeRequested.connect(events.remove_argument)

    def retranslate(self, language: str) -> None:
        for panel in (self.queue, self.span_panel, self.palette, self.guidelines, self.layer_bar,
                      self.event_panel):
            panel.retranslate(language)
        self.tabs.setTabText(0, i18n.tr("panel_spans", language))
        self.tabs.setTabText(1, i18n.tr("panel_guidelines", language))

    def set_schema(self, schema: Schema) -> None:
        """A new schema version (same labels, new names): the panels show it on retranslate."""
        for holder in (self.palette, self.queue, self.span_panel, self.span_panel.model, self.guidelines,
                       self.event_panel):
            holder.schema = schema

    def article_opened(self, article_id: int, spans: Sequence[Span]) -> None:
        self.span_panel.set_spans(spans)
        self.layer_bar.refresh()
        self.queue.show_current(article_id)

    def spans_changed(self, article_id: int | None, spans: Sequence[Span],
                      selected: Span | None) -> None:
        self.span_panel.set_spans(spans)
        self.span_panel.show_span(selected)
        if article_id is not None:
            self.queue.model.update_article(article_id, span_count=len(spans))
