"""Conservative proclitic splitting for Arabic word tokens (``tokenize(text, clitics=True)``).

Without a lexicon, ``و`` ``ف`` ``ب`` ``ل`` ``ك`` at the start of a word are as often root letters
(``وزير``, ``فيلم``, ``بلد``, ``لبنان``, ``كتاب``) as clitics, so the rule only splits where the
evidence is strong: a chain of proclitics ``[وف]?[بكل]?`` directly followed by the definite
article ``ال`` and a stem of at least three letters. The ARTICLE STAYS WITH ITS STEM: named-entity
corpora (AQMAR: ``العاصمة`` is ``B-LOC``) put it inside the entity, so splitting it would break
spans. After ``ل`` the article's alef is elided (``للمدينة`` = ``ل`` + ``(ا)لمدينة``); that split is
made too, leaving ``لمدينة``. Examples:

    وبالمدينة -> و ب المدينة     والثقافة -> و الثقافة      للمدينة -> ل لمدينة
    وسوريا    -> وسوريا (no article: use normalize.find_all(allow_proclitics=True))
    والده     -> والده (stem of one letter)     والدته -> والدته (listed false positive)

Letters are judged on the skeleton (diacritics and tatweel ignored); each piece keeps the marks and
tatweel that follow its letters, so offsets stay exact (``وَبِالْمَدِينَةِ`` -> ``وَ`` ``بِ`` ...).
"""

from __future__ import annotations

import re

from annotator.model import Token
from annotator.text.chars import ARABIC_LETTERS

MIN_STEM = 3
"""Letters required after the article before a proclitic is split off (``والد`` is not و+الد)."""

NOT_PROCLITIC = frozenset(
    {
        "والدته", "والدتها", "والدتي", "والدتهم", "والديه", "والدي", "والداه", "والدها",
        "والدهم", "والدهما", "بالغين", "بالغون", "بالغتين", "بالستي", "بالستية",
        "بالستيه", "بالونات", "واليهم",
    }
)  # fmt: skip
"""Words that look like proclitic + ال + stem but are one word (والدته 'his mother')."""

_LETTER = re.compile(f"[{ARABIC_LETTERS}]")
_CHAIN = re.compile("^([وف]?)([بكل]?)(?=ال|ل)")


def split_proclitics(token: Token) -> list[Token]:
    """``token`` split into proclitics + the rest, or ``[token]`` when the rule does not apply.

    >>> [t.text for t in split_proclitics(Token("وبالمدينة", 0, 9))]
    ['و', 'ب', 'المدينة']
    """
    letters = [m.start() for m in _LETTER.finditer(token.text)]
    if len(letters) < MIN_STEM + 2 or letters[0] != 0:
        return [token]
    skeleton = "".join(token.text[i] for i in letters)
    n = _prefix_length(skeleton)
    if n == 0:
        return [token]
    # Piece k runs from its letter to the next piece's letter (marks/tatweel stay with it).
    cuts = [token.start + letters[k] for k in range(n + 1)] + [token.end]
    pieces = [(cuts[k], cuts[k + 1]) for k in range(n)] + [(cuts[n], token.end)]
    base = token.start
    return [Token(token.text[s - base : e - base], s, e) for s, e in pieces]


def _prefix_length(skeleton: str) -> int:
    """How many leading letters of ``skeleton`` are proclitics to split off (0 = none)."""
    if skeleton in NOT_PROCLITIC:
        return 0
    m = _CHAIN.match(skeleton)
    if m is None or m.end() == 0:
        return 0
    rest = skeleton[m.end() :]
    if rest.startswith("ال") and len(rest) - 2 >= MIN_STEM:
        return m.end()
    if m.group(2) == "ل" and rest.startswith("ل") and len(rest) - 1 >= MIN_STEM:
        return m.end()  # ل + elided article: للمدينة
    return 0


_STRIPPABLE = re.compile("^([وف]?)([بكل]?)((?:ال)?)")
MIN_LEFT = 2
"""Letters that must remain after an annotator strips proclitics by hand (``بتونس`` -> ``تونس``)."""


def clitic_cuts(word: str) -> list[int]:
    """Offsets in ``word`` where a span may start once proclitics are stripped by hand, in order:
    ``0``, then after ``و``/``ف``, after ``ب``/``ك``/``ل``, after ``ال`` (those present).

    Unlike :func:`split_proclitics` (automatic, so conservative), this serves an explicit key
    press in the desk, which cycles a span's start through these cuts: a wrong cut costs one more
    press, not a wrong span. Marks stay with their letter.

    >>> clitic_cuts("بتونس"), clitic_cuts("والعراق"), clitic_cuts("وَبِالمدينة"), clitic_cuts("دمشق")
    ([0, 1], [0, 1, 3], [0, 2, 4, 6], [0])
    """
    letters = [m.start() for m in _LETTER.finditer(word)]
    if not letters or letters[0] != 0:
        return [0]
    skeleton = "".join(word[i] for i in letters)
    m = _STRIPPABLE.match(skeleton)
    cuts, pos = [0], 0
    for group in (1, 2, 3):
        pos += len(m.group(group)) if m else 0
        if m and m.group(group) and len(skeleton) - pos >= MIN_LEFT and letters[pos] not in cuts:
            cuts.append(letters[pos])
    return cuts


def cycle_clitic(word: str, offset: int) -> int:
    """The next start for a span beginning at ``offset`` of ``word``: one more proclitic
    stripped, or back to the whole word (``0``) once none is left.

    >>> cycle_clitic("بتونس", 0), cycle_clitic("بتونس", 1), cycle_clitic("دمشق", 0)
    (1, 0, 0)
    """
    return next((c for c in clitic_cuts(word) if c > offset), 0)
