"""The character a key press names, whatever keyboard layout is active.

Why: the desk's single-key commands (label keys, relation and role keys, ``]``/``[``, the
suggestion keys) are Latin characters, and the people using it type Arabic. With the Arabic
layout active, the key marked L sends «م» and ``]`` sends «د», so a key matched on its text or
on Qt's key code does nothing. The Arabic (101) layout — Windows' and X11's ``ara`` — is the
same on every system, so a table of its characters back to the Latin key at the same place
makes every command work under either layout, without platform scan codes.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent

_ARABIC_101 = {
    "ض": "q", "ص": "w", "ث": "e", "ق": "r", "ف": "t", "غ": "y", "ع": "u", "ه": "i", "خ": "o",
    "ح": "p", "ج": "[", "د": "]",
    "ش": "a", "س": "s", "ي": "d", "ب": "f", "ل": "g", "ا": "h", "ت": "j", "ن": "k", "م": "l",
    "ك": ";", "ط": "'",
    "ئ": "z", "ء": "x", "ؤ": "c", "ر": "v", "لا": "b", "ى": "n", "ة": "m", "و": ",", "ز": ".",
    "ظ": "/", "ذ": "`",
    **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic digits on the number row
}
"""Arabic (101) layout: each unshifted key's character -> the US key at the same place."""


def key_char(event: QKeyEvent) -> str:
    """The lower-case Latin character of the key pressed ('' for a key without one).

    Qt's key code names Latin letters and digits whatever Shift or Alt did to the text; any
    other key is read from its text, an Arabic layout's character mapped back to its key.
    """
    key = event.key()
    if Qt.Key.Key_0 <= key <= Qt.Key.Key_9 or Qt.Key.Key_A <= key <= Qt.Key.Key_Z:
        return chr(key).lower()
    text = event.text()
    return _ARABIC_101.get(text, text).lower()
