"""Character classes shared by the tokenizer, the search keys and the clean-up.

Kept as regex character-class bodies (strings, no brackets) so one definition serves both the
tokenizer's single compiled pattern and the per-character folding in ``normalize``. Ranges are
explicit rather than ``unicodedata`` lookups because the tokenizer must stay one regex pass
(``re`` has no ``\\p{..}``), and a test checks them against ``unicodedata`` of the running Python.
"""

from __future__ import annotations

ARABIC_LETTERS = (
    "\u0620-\u063f\u0641-\u064a\u066e\u066f\u0671-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06fc\u06ff"
    "\u0750-\u077f\u0870-\u0887\u0889-\u088e\u08a0-\u08c9\ufb50-\ufd3d\ufd50-\ufdfb\ufe70-\ufefc"
)
"""Arabic-script letters (base, supplement, extended-A/B, presentation forms); not tatweel."""

ARABIC_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u0898-\u089f\u08ca-\u08e1\u08e3-\u08ff"
"""Combining marks that belong to the preceding Arabic letter: harakat, shadda, sukun, hamza
above/below, superscript alef U+0670, Quranic annotation marks, honorific marks."""

TATWEEL = "\u0640"

ARABIC_DIGITS = "\u0660-\u0669"
PERSIAN_DIGITS = "\u06f0-\u06f9"
DIGITS = "0-9" + ARABIC_DIGITS + PERSIAN_DIGITS
"""Every decimal digit the tokenizer keeps inside one number: ASCII, Arabic-Indic, Eastern."""

FORMAT = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
)
"""Every Unicode format character (category Cf, Unicode 15): bidi marks and embeddings (LRM,
RLM, ALM U+061C, U+202A-U+202E, isolates U+2066-U+2069), ZWSP/ZWNJ/ZWJ, BOM, soft hyphen.
Invisible in rendering, so never part of a token and dropped from search keys. Exceptions live
in the tokenizer: ZWJ and tag characters inside an emoji sequence, ZWNJ between two letters of a
Persian word."""

CONTROL = "\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f"
"""C0/C1 control characters that Python's ``\\s`` does not already count as whitespace."""

ZWNJ = "\u200c"
ZWJ = "\u200d"

EMOJI = (
    "\u00a9\u00ae\u203c\u2049\u2122\u2139\u2194-\u2199\u21a9\u21aa\u231a\u231b\u2328\u23cf"
    "\u23e9-\u23f3\u23f8-\u23fa\u24c2\u25aa\u25ab\u25b6\u25c0\u25fb-\u25fe\u2600-\u27bf"
    "\u2934\u2935\u2b05-\u2b07\u2b1b\u2b1c\u2b50\u2b55\u3030\u303d\u3297\u3299"
    "\U0001f000-\U0001f1e5\U0001f200-\U0001faff"
)
"""Pictographic characters that start an emoji (regional indicators are handled as pairs)."""

EMOJI_MODIFIERS = "\ufe0e\ufe0f\u20e3\U0001f3fb-\U0001f3ff"
"""Variation selectors, the keycap mark and skin-tone modifiers: they extend the emoji before."""

REGIONAL = "\U0001f1e6-\U0001f1ff"
TAGS = "\U000e0020-\U000e007f"


def code_points(class_body: str) -> list[int]:
    """Every code point of a character-class body like ``"a-z\\u0640"`` (ranges expanded)."""
    out: list[int] = []
    i = 0
    while i < len(class_body):
        if i + 2 < len(class_body) and class_body[i + 1] == "-":
            out.extend(range(ord(class_body[i]), ord(class_body[i + 2]) + 1))
            i += 3
        else:
            out.append(ord(class_body[i]))
            i += 1
    return out
