"""Other layers the annotator may read, shown read-only, and "take these as my starting point".

Why: after importing a labelled corpus (layer ``import``, or the name given with ``--as``) the
desk showed 0 spans unless opened as that layer's name. The bar (objectName ``layerBar``) lists
the layers the session may read besides the user's own (``Session.reference_layers``: in a
blind project an annotator has none, so the bar stays hidden); the chosen layer is outlined
(dotted, its label under each span) by :class:`ui.desk.span_marks.SpanMarks`, and the button copies
its spans into the user's own layer through the session, as ONE undo step of the desk.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QWidget

from annotator.errors import AnnotatorError
from ui import i18n
from ui.named import named

if TYPE_CHECKING:
    from ui.desk.window import DeskWindow


class LayerBar(QWidget):
    def __init__(self, window: DeskWindow) -> None:
        super().__init__()
        self.setObjectName("layerBar")
        self.desk = window  # not .window: QWidget.window() is a method
        self.caption = QLabel()
        self.chooser = named(QComboBox(), "referenceLayer")
        self.start = named(QPushButton(), "startFromLayer")
        self.start.setFocusPolicy(self.start.focusPolicy().NoFocus)
        box = QHBoxLayout(self)
        box.setContentsMargins(0, 2, 0, 2)
        box.addWidget(self.caption)
        box.addWidget(self.chooser, 1)
        box.addWidget(self.start)
        self.layers = window.session.reference_layers()
        if not self.layers:  # (setVisible(True) here would show it as a window of its own)
            self.hide()
        self.chooser.currentIndexChanged.connect(lambda _=0: self.refresh())
        self.start.clicked.connect(self.start_from_layer)
        self.retranslate(window.language)

    @property
    def layer(self) -> str | None:
        """The layer shown read-only, or None."""
        return self.chooser.currentData()

    def retranslate(self, language: str) -> None:
        self.caption.setText(i18n.tr("layer_show", language))
        self.start.setText(i18n.tr("layer_start_from", language))
        current = self.layer
        self.chooser.blockSignals(True)
        self.chooser.clear()
        self.chooser.addItem(i18n.tr("layer_none", language), None)
        for layer in self.layers:
            self.chooser.addItem(i18n.tr("layer_read_only", language, layer=layer), layer)
        self.chooser.setCurrentIndex(max(self.chooser.findData(current), 0))
        self.chooser.blockSignals(False)

    def show_layer(self, layer: str | None) -> None:
        self.chooser.setCurrentIndex(max(self.chooser.findData(layer), 0))
        self.refresh()

    def refresh(self) -> None:
        """Outline the chosen layer's spans of the open article (none when nothing is chosen)."""
        aid, layer = self.desk.controller.article_id, self.layer
        self.start.setEnabled(layer is not None and aid is not None)
        spans = []
        if layer is not None and aid is not None:
            try:
                spans = self.desk.session.layer_spans(aid, layer)
            except AnnotatorError as exc:
                self.desk.show_status(str(exc), 6000)
        self.desk.view.marks.set_reference(spans)
        # Their relations and event arguments too, dashed in the layer's colour.
        relations, events = self.desk.links.layer_links(layer) if spans and layer else ([], [])
        if relations or events or self.desk.view.has_arcs:
            self.desk.view.arcs.set_reference(layer, relations, events)

    def start_from_layer(self) -> list:
        """Copy the shown layer's spans into the user's own layer: one undo step."""
        controller, layer = self.desk.controller, self.layer
        aid = controller.article_id
        if layer is None or aid is None:
            return []
        try:
            added = self.desk.session.start_from_layer(aid, layer)
        except AnnotatorError as exc:
            self.desk.show_status(str(exc), 6000)
            return []
        if added:  # the desk's undo stack mirrors the core history (as suggestions do)
            controller.record_core_change(f"⇐{layer} ×{len(added)}")
        self.desk.show_status(i18n.tr("layer_started", self.desk.language,
                                        count=len(added), layer=layer), 4000)
        return added
