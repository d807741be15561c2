"""``annotator doctor`` checks the fonts the desk asks for (it cannot import ui.fonts: Qt)."""

from __future__ import annotations

from annotator import doctor
from ui import fonts


def test_doctor_checks_the_desks_document_families_in_order():
    assert (*doctor.ARABIC_FAMILIES, doctor.EMOJI_FAMILY) == fonts.DOCUMENT_FAMILIES


def test_doctor_and_the_status_bar_agree_on_this_machine(qapp):
    """What fontconfig lists (doctor) is what Qt finds (the desk's status bar)."""
    families = doctor.font_families()
    assert families is not None
    qt_missing = set(fonts.missing_families())
    assert {f for f in fonts.DOCUMENT_FAMILIES if f not in families} == qt_missing
