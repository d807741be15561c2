"""The desk's connection state, always in sight: connected / offline with N unsent changes.

Why a permanent status-bar label and not a message: a message scrolls away (the next "Saved"
replaces it), while an annotator on a server project must see at a glance that her last
changes have NOT reached the server yet and are waiting (in order, in the desk's write queue,
:mod:`ui.desk.write_queue`) until it is back. A project file is never offline, so the label
stays empty there until the queue says otherwise.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel

from ui import i18n
from ui.named import named

if TYPE_CHECKING:
    from ui.desk.window import DeskWindow


class ConnectionLabel(QLabel):
    """Mirrors ``controller.writes`` (its ``connection`` and ``waiting`` signals)."""

    def __init__(self, window: DeskWindow, *, server: bool) -> None:
        super().__init__()
        self.window_ = window
        self.state = "connected"
        self.unsent = 0
        self.server = server
        writes = window.controller.writes
        writes.connection.connect(self._connection)
        writes.waiting.connect(self._waiting)
        writes.applied.connect(lambda: self._waiting(0))
        window.statusBar().addPermanentWidget(self)
        self.show_state()

    def _connection(self, state: str, unsent: int) -> None:
        was, self.state, self.unsent = self.state, state, unsent
        self.show_state()
        if was == "offline" and state == "connected":
            self.window_.show_status(i18n.tr("conn_reconnected", self.window_.language), 6000)

    def _waiting(self, unsent: int) -> None:
        self.unsent = unsent
        self.show_state()

    def show_state(self) -> None:
        """The label's text in the desk's language (also after a language switch)."""
        language = self.window_.language
        if self.state == "offline":
            text = i18n.tr("conn_offline", language, count=self.unsent)
        else:
            text = i18n.tr("conn_connected", language) if self.server else ""
        self.setText(text)
        self.setVisible(bool(text))


def attach(window: DeskWindow, *, server: bool) -> ConnectionLabel:
    """Put the connection label in ``window``'s status bar (named for tests and screenshots)."""
    return named(ConnectionLabel(window, server=server), "connectionState")
