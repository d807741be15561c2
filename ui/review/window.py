"""The reviewer's adjudication desk: composes the panels and binds the keys; no logic of its own.

Layout: regions of the article over its link slots (relations, event arguments) | the article
text (gold, one annotator, or every annotator overlaid) over the lanes of the current region's
or slot's versions | gold spans, then gold links, with their provenance.

Keys (the same for a region and a link slot): 1–9 accept that version; R (or Delete) rejects; E edits (select the text in the article,
then press a label key: while editing, digits are label keys; Esc cancels); N / Shift+N next /
previous open disagreement (into the next article when this one is done); Ctrl+PgDown /
Ctrl+PgUp next / previous article; L cycles the layer the text shows; Ctrl+Z / Ctrl+Shift+Z undo
/ redo decisions; Ctrl+Shift+A shows the agreement figures (another tab: the decision keys rest
there) and back.

``build_adjudication_window(project_path, user)`` is what ``annotator gui --review`` calls.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator import live
from annotator.live import ProgressWatch
from annotator.model import GOLD, Article
from annotator.review.adjudication import Adjudicator, Item, Progress
from annotator.review.link_slots import describe
from annotator.team.members import acting_session
from ui.desk.document_view import DocumentView
from ui.desk.labelling import snap_to_tokens
from ui.desk.link_desk import reserve_room
from ui.i18n import paragraph
from ui.i18n import tr as desk_tr  # the annotation desk's catalogue (its busy messages)
from ui.named import named
from ui.review.agreement_panel import AgreementPanel
from ui.review.controller import AdjudicationController
from ui.review.link_arcs import show_lanes as show_arcs
from ui.review.link_ends import EndPicker
from ui.review.link_widgets import GoldLinkList, LinkLanesPanel, LinkList
from ui.review.strings import tr
from ui.review.widgets import GoldList, LanesPanel, RegionList

MAX_VERSION_KEYS = 9
ALL_LAYERS = "\x00all"


class AdjudicationWindow(QMainWindow):
    def __init__(self, project, adjudicator: Adjudicator, language: str | None = None) -> None:
        super().__init__()
        self.setObjectName("adjudicationWindow")
        self.project = project
        self.schema = project.schema
        self.language = language or self.schema.language
        self.controller = AdjudicationController(adjudicator, self)
        self.view = DocumentView(self.schema, self.language)
        # Room over the first line for the link slots' arcs, as in the annotation desk.
        reserve_room(self.view, linkable=bool(self.schema.relation_types or self.schema.event_types))
        # Tab on a link slot: other ends among gold spans, in the annotation desk's link mode.
        self.view.linker = self.end_picker = EndPicker(self.view, self.controller, lambda: self.language)
        self.regions = RegionList(self.language)
        self.lanes = LanesPanel(self.schema, self.language)
        self.gold_list = GoldList(self.language)
        self.link_list = LinkList(self.language)
        self.link_lanes = LinkLanesPanel(self.language)
        self.gold_links = GoldLinkList(self.language)
        self.layer_box = named(QComboBox(), "layerBox")
        self.progress_label = named(QLabel(), "progressLabel")
        self.agreement = AgreementPanel(project.path, adjudicator.session.user, self.schema, self.language)
        self.tabs = named(QTabWidget(), "adjudicationTabs")
        self.editing = False
        self._close_asked = False
        self.link_menu: QMenu | None = None
        self.shown_layer = GOLD
        self.acts: dict[str, QAction] = {}
        self._compose()
        self._make_actions()
        self._wire()
        # Others' progress, live (issue 14): a poll costs microseconds; only a change re-reads.
        self.live = ProgressWatch(project)
        self.live_timer = QTimer(self, interval=int(live.POLL_S * 1000))
        self.live_timer.timeout.connect(self.poll_others)
        self.live_timer.start()
        self.setLayoutDirection(
            Qt.LayoutDirection.RightToLeft if self.language == "ar" else Qt.LayoutDirection.LeftToRight
        )

    # -- composition -------------------------------------------------------------------------
    def _compose(self) -> None:
        centre = QWidget()
        box = QVBoxLayout(centre)
        box.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(tr("show_layer", self.language)))
        bar.addWidget(self.layer_box, 1)
        box.addLayout(bar)
        box.addWidget(self.view, 3)
        box.addWidget(QLabel(tr("panel_lanes", self.language)))
        box.addWidget(self.lanes, 2)
        box.addWidget(self.link_lanes)
        left, right = QWidget(), QWidget()
        sides: tuple[tuple[QWidget, tuple[tuple[str, QWidget], ...]], ...] = (
            (left, (("panel_items", self.regions), ("panel_links", self.link_list))),
            (right, (("panel_gold", self.gold_list), ("panel_gold_links", self.gold_links))))
        for panel, parts in sides:
            lay = QVBoxLayout(panel)
            lay.setContentsMargins(0, 0, 0, 0)
            for title, widget in parts:
                lay.addWidget(QLabel(tr(title, self.language)))
                lay.addWidget(widget, 2 if widget in (self.regions, self.gold_list) else 1)
        splitter = named(QSplitter(Qt.Orientation.Horizontal), "adjudicationSplitter")
        for widget in (left, centre, right):
            splitter.addWidget(widget)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([330, 700, 360])
        self.tabs.addTab(splitter, tr("tab_desk", self.language))
        self.tabs.addTab(self.agreement, tr("tab_agreement", self.language))
        self.setCentralWidget(self.tabs)
        self.statusBar().addPermanentWidget(self.progress_label)
        self.resize(1400, 860)

    def _action(self, name: str, text: str, keys: list, handler) -> QAction:
        action = named(QAction(text, self), f"adj_{name}")
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _=False: handler())
        self.addAction(action)
        self.acts[name] = action
        return action

    def _make_actions(self) -> None:
        lang, c = self.language, self.controller
        decide, go = self.menuBar().addMenu(tr("menu_decide", lang)), self.menuBar().addMenu(tr("menu_go", lang))
        for n in range(1, MAX_VERSION_KEYS + 1):
            decide.addAction(self._action(f"accept{n}", tr("act_accept", lang, n=n), [str(n)],
                                          lambda k=n: c.accept_lane(k) or c.has_lane(k) or self._say("no_lane")))
        for name, keys, handler, menu in (
            ("reject", ["R", "Delete"], c.reject, decide),
            ("edit", ["E"], self.start_edit, decide),
            ("cancel_edit", ["Esc"], self.stop_edit, decide),
            ("undo", [QKeySequence.StandardKey.Undo], lambda: c.undo() or self._say("nothing_to_undo"), decide),
            ("redo", ["Ctrl+Shift+Z", "Ctrl+Y"], lambda: c.redo() or self._say("nothing_to_redo"), decide),
            ("next_open", ["N"], lambda: c.next_open() or self._say("no_more"), go),
            ("prev_open", ["Shift+N"], lambda: c.next_open(backwards=True) or self._say("no_more"), go),
            ("next_article", ["Ctrl+PgDown"], lambda: c.step_article(+1), go),
            ("prev_article", ["Ctrl+PgUp"], lambda: c.step_article(-1), go),
            ("cycle_layer", ["L"], self.cycle_layer, go),
        ):
            menu.addAction(self._action(name, tr(f"act_{name}", lang), keys, handler))
        self.acts["cancel_edit"].setEnabled(False)
        view = self.menuBar().addMenu(tr("menu_view", lang))
        view.addAction(self._action("agreement", tr("act_agreement", lang), ["Ctrl+Shift+A"],
                                    self.toggle_agreement))
        self.acts["agreement"].setCheckable(True)

    def _wire(self) -> None:
        c = self.controller
        c.articleOpened.connect(self._article_opened)
        c.itemsChanged.connect(self._items_changed)
        c.currentChanged.connect(self._current_changed)
        c.linksChanged.connect(self._links_changed)
        c.currentLinkChanged.connect(self._current_link_changed)
        self.link_list.linkChosen.connect(c.select_link)
        c.progressChanged.connect(self._progress_changed)
        c.message.connect(lambda text: self.statusBar().showMessage(paragraph(text), 6000))
        # Behind another program's write, as in the annotation desk: say so, then say it is saved.
        c.writes.waiting.connect(lambda n: self._busy("status_busy_waiting", 0, count=n))
        c.writes.applied.connect(lambda: self._busy("status_busy_saved"))
        c.writes.refused.connect(lambda n: self._busy("status_busy_refused", 0, count=n))
        self.end_picker.status.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self.regions.regionChosen.connect(c.select)
        self.view.labelKeyPressed.connect(self._label_key)
        self.view.deleteRequested.connect(lambda: None if self.editing else c.reject())
        self.layer_box.activated.connect(lambda i: self.show_layer(self.layer_box.itemData(i)))
        self.tabs.currentChanged.connect(self._tab_changed)
        self.agreement.articleChosen.connect(self.open_from_agreement)
        self.agreement.message.connect(lambda text: self.statusBar().showMessage(paragraph(text), 6000))

    # -- the agreement tab -------------------------------------------------------------------
    def toggle_agreement(self) -> None:
        """Ctrl+Shift+A: the agreement figures, or back to the desk."""
        desk = self.tabs.widget(0)
        self.tabs.setCurrentWidget(desk if self.on_agreement and desk is not None else self.agreement)

    @property
    def on_agreement(self) -> bool:
        return self.tabs.currentWidget() is self.agreement

    def _tab_changed(self, _index: int) -> None:
        """Single-letter decision keys act on the desk only while it is visible."""
        self.stop_edit()
        for name, action in self.acts.items():
            if name != "agreement":
                action.setEnabled(not self.on_agreement and name != "cancel_edit")
        self.acts["agreement"].setChecked(self.on_agreement)

    def open_from_agreement(self, article_id: int) -> None:
        """A row of "lowest agreement first" was activated: adjudicate that article."""
        self.tabs.setCurrentIndex(0)
        self.controller.open_article(article_id)
        self.view.setFocus()

    def poll_others(self) -> bool:
        """Show what annotators (and other reviewers) stored since the last look; not while
        the reviewer edits a span (her edit would be redrawn away), the next poll does it."""
        if self.editing or not self.live.changed():
            return False
        return self.controller.refresh()

    def _busy(self, key: str, timeout: int = 6000, **values: object) -> None:
        """The annotation desk's messages about another program's write (ui/i18n.py)."""
        self.statusBar().showMessage(paragraph(desk_tr(key, self.language, **values)), timeout)

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        """As the annotation desk: decisions still waiting for another program's write keep the
        window open once (the status bar says how many); a second close gives them up."""
        waiting = len(self.controller.writes.pending)
        if waiting and not self._close_asked:
            self._close_asked = True
            self._busy("status_busy_close", 0, count=waiting)
            event.ignore()
            return
        self.controller.writes.give_up()
        self.live_timer.stop()
        self.live.close()
        self.agreement.cancel()
        super().closeEvent(event)

    # -- reactions to the controller ---------------------------------------------------------
    def _article_opened(self, article: Article) -> None:
        self.stop_edit()
        self.layer_box.clear()
        self.layer_box.addItem(tr("layer_gold", self.language), GOLD)
        self.layer_box.addItem(tr("layer_all", self.language), ALL_LAYERS)
        for name in self.controller.layers():
            self.layer_box.addItem(name, name)
        index = max(self.layer_box.findData(self.shown_layer), 0)
        self.layer_box.setCurrentIndex(index)
        self.shown_layer = self.layer_box.itemData(index)
        self.view.show_article(article, self._layer_spans())
        title = article.title or article.doc_id
        self.setWindowTitle(tr("title", self.language, article=title))

    def _items_changed(self, items: list[Item], gold: list) -> None:
        article = self.controller.article
        self.regions.show_items(article.text if article else "", items)
        self.gold_list.show_gold(gold, self.schema)
        self.view.set_spans(self._layer_spans())

    def _current_changed(self, item: Item | None) -> None:
        self.regions.mark_current(item)
        self.lanes.show_item(self.controller.article, item, self.controller.lanes())
        if item is not None:
            self.view.select_range(*item.bounds)
            self.view.centerCursor()
        self._progress_changed(self.controller.core.progress())

    def _links_changed(self, states: list, gold: tuple) -> None:
        self.link_list.show_links(states)
        self.gold_links.show_gold(gold[0], gold[1], states)

    def _current_link_changed(self, state) -> None:
        """A link slot is current: its lanes replace the region's; the text selects its ends."""
        self.link_list.mark_current(state)
        self.link_lanes.show_lanes(self.controller.link_lanes())
        show_arcs(self.view, self.controller.link_lanes())  # the same lanes, drawn on the text
        if state is not None:
            self.lanes.show_item(None, None)
            self.regions.mark_current(None)
            self.view.select_range(*state.slot.bounds[0])  # the head or trigger, where reading starts
            self.view.centerCursor()

    def _progress_changed(self, progress: Progress) -> None:
        items = self.controller.items
        self.progress_label.setText(tr(
            "progress", self.language, done=progress.adjudicated, todo=progress.to_do,
            open=sum(1 for i in items if i.open), total=len(items)))

    # -- layers shown in the text --------------------------------------------------------------
    def _layer_spans(self) -> list:
        c = self.controller
        if c.article is None:
            return []
        if self.shown_layer == GOLD:
            return list(c.gold)
        layers = c.layers()
        if self.shown_layer == ALL_LAYERS:
            return [s for spans in layers.values() for s in spans]
        return list(layers.get(self.shown_layer, []))

    def show_layer(self, name: str) -> None:
        self.shown_layer = name
        index = self.layer_box.findData(name)
        if index >= 0:
            self.layer_box.setCurrentIndex(index)
        self.view.set_spans(self._layer_spans())

    def cycle_layer(self) -> None:
        count = self.layer_box.count()
        if count:
            self.show_layer(self.layer_box.itemData((self.layer_box.currentIndex() + 1) % count))

    # -- editing -----------------------------------------------------------------------------------
    def start_edit(self) -> None:
        """Digits become label keys of the article text until a label is applied or Esc; on a
        link slot, a menu offers its ends under the other types or roles the schema allows."""
        if self.controller.current_link is not None:
            self._edit_link_menu()
            return
        if self.controller.current is None:
            self._say("no_region")
            return
        self.editing = True
        for n in range(1, MAX_VERSION_KEYS + 1):
            self.acts[f"accept{n}"].setEnabled(False)
        self.acts["cancel_edit"].setEnabled(True)
        self.view.select_range(*self.controller.current.bounds)
        self.view.setFocus()
        self.statusBar().showMessage(tr("edit_hint", self.language))

    def _edit_link_menu(self) -> None:
        choices = self.controller.edit_choices()
        if not choices:
            self._say("no_link_choice")
            return
        menu = named(QMenu(self), "linkEditMenu")
        for item in choices:
            action = menu.addAction(describe(item))
            action.triggered.connect(lambda _=False, chosen=item: self.controller.edit_link(chosen))
        menu.setActiveAction(menu.actions()[0])  # arrows and Enter choose, as a hand expects
        self.link_menu = menu
        menu.popup(self.link_list.mapToGlobal(self.link_list.rect().center()))

    def stop_edit(self) -> None:
        self.editing = False
        for n in range(1, MAX_VERSION_KEYS + 1):
            self.acts[f"accept{n}"].setEnabled(True)
        self.acts["cancel_edit"].setEnabled(False)
        self.statusBar().clearMessage()

    def _label_key(self, label: str, exact: bool) -> None:
        if not self.editing or self.controller.article is None:
            return
        picked = self.view.selected_range()
        if picked is None:
            self._say("no_region")
            return
        if not exact:
            picked = snap_to_tokens(self.controller.article.text, *picked) or picked
        self.stop_edit()
        self.controller.edit(picked[0], picked[1], label)

    def _say(self, key: str) -> bool:
        """Show status ``key``; False, so ``c.undo() or self._say(...)`` reads "or else say"."""
        self.statusBar().showMessage(tr(key, self.language), 4000)
        return False

    def restore(self, article: str | int | None = None) -> None:
        """Open ``article`` (doc id or id), else the first article with an open disagreement."""
        c = self.controller
        if article is not None:
            found = self.project.article_id_by_doc_id(str(article))
            if found is None and str(article).isdigit():
                found = int(article)
            if found is not None and c.open_article(found):
                return
        ids = c.core.article_ids()
        if not ids:
            return
        first = c.core.next_open(ids[0], None)
        c.open_article(first[0] if first else ids[0])


def build_adjudication_window(project_path: Path | str | None, user: str | None = None, *,
                              language: str | None = None, article: str | int | None = None
                              ) -> AdjudicationWindow:
    """The adjudication desk for reviewer ``user``; refuses (PermissionDenied) other roles."""
    from ui.app import application, keep_open_with, open_project

    application()
    project = open_project(project_path)
    try:
        adjudicator = Adjudicator(acting_session(project, user))
    except BaseException:
        project.close()
        raise
    window = AdjudicationWindow(project, adjudicator, language)
    window.restore(article)
    return keep_open_with(window, project)
