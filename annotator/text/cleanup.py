"""Opt-in boilerplate clean-up for scraped news pages: found, shown to the user, then applied.

Clean-up runs BEFORE import, so the cleaned text is what gets stored and every offset refers to
it. Nothing is removed silently: :func:`find_boilerplate` returns :class:`Removal` ranges with a
reason, :func:`describe` turns them into lines for the user, :func:`apply_cleanup` cuts them.

Rules, all on whole lines and all conservative (a line of real prose is never removed):

1. a line that is exactly one of :data:`BOILERPLATE`'s phrases after normalisation
   (``search_key``: hamza, diacritics, case and spacing ignored; edge ``: | - …`` ignored);
2. a line made only of share-button names (``فيسبوك تويتر واتساب``, ``Share | Tweet``);
3. a line that is only a tracking token (``fbpx``) or an ad-script snippet (``adsbygoogle``);
4. a "related articles" marker line and everything after it, unless a prose paragraph follows
   (then only the marker line goes).

A removal covers its line, its line break and the blank lines after it; removals that reach the
end of the text also take the blank lines before them, so the text ends at its last real line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from annotator.text.normalize import search_key

BOILERPLATE: dict[str, tuple[str, ...]] = {
    # Buttons and widgets whose label survives as a line of text.
    "page widget": (
        "اظهر المزيد", "عرض المزيد", "اقرأ المزيد", "المزيد", "تحميل المزيد",
        "زر الذهاب إلى الأعلى", "الذهاب إلى الأعلى", "العودة إلى الأعلى", "إلى الأعلى",
        "تخطى إلى المحتوى", "انتقل إلى المحتوى", "جاري التحميل", "إعلان", "إعلانات",
        "شارك هذا المقال", "شارك المقال", "شارك الخبر", "تابعونا على", "تابعنا على",
        "المقال السابق", "المقال التالي", "الخبر السابق", "الخبر التالي", "السابق", "التالي",
        "Show more", "Read more", "Load more", "Back to top", "Skip to content", "Loading",
        "Advertisement", "Share this article", "Share this", "Previous article", "Next article",
        "Previous post", "Next post", "Follow us",
    ),
    # A line made only of these words (in any order, separated by spaces | · • /) is a share bar.
    "share buttons": (
        "شارك", "مشاركة", "فيسبوك", "فيس بوك", "تويتر", "واتساب", "واتس اب", "تيليجرام",
        "تيلغرام", "تلغرام", "لينكدإن", "لينكد إن", "بينتيريست", "ماسنجر", "طباعة",
        "البريد الإلكتروني", "Share", "Tweet", "Facebook", "Twitter", "WhatsApp", "Telegram",
        "LinkedIn", "Pinterest", "Messenger", "Reddit", "Email", "Print", "X",
    ),
    # Markers of the related-articles block at the end of a page: it and all after it go.
    "related-articles list": (
        "مقالات ذات صلة", "أخبار ذات صلة", "مواضيع ذات صلة", "مقالات مشابهة", "أخبار مشابهة",
        "مقالات متعلقة", "أخبار متعلقة", "مواضيع متعلقة", "قد يعجبك أيضا", "قد يهمك أيضا",
        "Related articles", "Related posts", "Related news", "Related stories",
        "You may also like", "You might also like",
    ),
    # Lines that are nothing but a tracking token (leaked CSS classes, pixel ids).
    "tracking token": ("fbpx", "amp", "noscript", "googletag", "adsbygoogle"),
}  # fmt: skip
"""The phrase lists, by the reason shown to the user. Compared as whole lines after
:func:`search_key`, so spelling variants (أظهر/اظهر, أيضاً/أيضا) need no extra entries."""

_AD_SCRIPT = re.compile(r"adsbygoogle|googletag\.|fbq\(|gtag\(", re.IGNORECASE)
_EDGE = " \n\t:：-–—|•·»«…*"
_SHARE_SEPARATORS = re.compile(r"\s*[|·•/,،]\s*|\s+")
_SENTENCE_END = re.compile(r"[.؟?!…\"”»)]\s*$")
_LINE = re.compile(r"[^\n]*\n?")


@dataclass(frozen=True)
class Removal:
    """A range ``[start, end)`` of code points to remove, and why (shown to the user)."""

    start: int
    end: int
    reason: str


def _key(line: str) -> str:
    return search_key(line).strip(_EDGE)


_PHRASES = {reason: frozenset(_key(p) for p in phrases) for reason, phrases in BOILERPLATE.items()}
# Longest first, so "فيس بوك" is taken whole before a shorter name could match inside it.
_SHARE_WORDS = re.compile(
    "|".join(
        rf"(?<!\w){re.escape(p)}(?!\w)"
        for p in sorted(_PHRASES["share buttons"], key=len, reverse=True)
    )
)


def find_boilerplate(text: str) -> list[Removal]:
    """Boilerplate ranges of ``text`` in order, non-overlapping; ``[]`` for a clean text.

    >>> text = "fbpx\\n\\nخبر عاجل.\\n\\nاظهر المزيد"
    >>> [(r.reason, text[r.start:r.end]) for r in find_boilerplate(text)]
    [('tracking token', 'fbpx\\n\\n'), ('page widget', '\\n\\nاظهر المزيد')]
    """
    lines = [(m.start(), m.group()) for m in _LINE.finditer(text) if m.group()]
    found: list[Removal] = []
    for i, (start, line) in enumerate(lines):
        if found and start < found[-1].end:
            continue
        reason = _line_reason(line)
        if reason is None:
            continue
        if reason == "related-articles list" and not _prose_follows(lines[i + 1 :]):
            found.append(Removal(start, len(text), reason))
            break
        found.append(Removal(start, _next_content(lines, i, len(text)), _boilerplate(reason)))
    return _take_trailing_blanks(text, found)


def _boilerplate(reason: str) -> str:
    # A marker with prose after it is removed as a line, not as a cut.
    return "page widget" if reason == "related-articles list" else reason


def _line_reason(line: str) -> str | None:
    """Why this whole line is boilerplate, or None for a line to keep."""
    key = _key(line)
    if not key:
        return None
    for reason in ("page widget", "related-articles list", "tracking token"):
        if key in _PHRASES[reason]:
            return reason
    if _is_share_bar(key):
        return "share buttons"
    if _AD_SCRIPT.search(key) and not re.search("[\u0600-\u06ff]", key):
        return "tracking token"
    return None


def _is_share_bar(key: str) -> bool:
    rest = _SHARE_WORDS.sub(" ", key)
    return rest != key and not _SHARE_SEPARATORS.sub("", rest)


def _prose_follows(lines: Sequence[tuple[int, str]]) -> bool:
    """A real paragraph after a marker: 25+ words, or 12+ words ending like a sentence."""
    for _, line in lines:
        words = len(line.split())
        if words >= 25 or (words >= 12 and _SENTENCE_END.search(line)):
            return True
    return False


def _next_content(lines: Sequence[tuple[int, str]], i: int, end: int) -> int:
    """Start of the first non-blank line after line ``i`` (or ``end``)."""
    for start, line in lines[i + 1 :]:
        if line.strip():
            return start
    return end


def _take_trailing_blanks(text: str, found: list[Removal]) -> list[Removal]:
    """Let the removals that run to the end of the text also take the whitespace before them."""
    k = len(found)
    while k > 0 and found[k - 1].end == (found[k].start if k < len(found) else len(text)):
        k -= 1
    if k == len(found):
        return found
    first = found[k]
    start = len(text[: first.start].rstrip())
    if k > 0:
        start = max(start, found[k - 1].end)
    found[k] = Removal(start, first.end, first.reason)
    return found


def apply_cleanup(text: str, removals: Iterable[Removal]) -> str:
    """``text`` without the removed ranges (overlapping ranges are merged).

    >>> apply_cleanup("abcdef", [Removal(1, 3, "x"), Removal(2, 4, "y")])
    'aef'
    """
    kept: list[str] = []
    pos = 0
    for r in sorted(removals, key=lambda r: (r.start, r.end)):
        if not 0 <= r.start <= r.end <= len(text):
            raise ValueError(f"removal [{r.start}, {r.end}) is outside a text of {len(text)}")
        if r.start > pos:
            kept.append(text[pos : r.start])
        pos = max(pos, r.end)
    kept.append(text[pos:])
    return "".join(kept)


def describe(removals: Iterable[Removal], text: str, width: int = 80) -> list[str]:
    """One line per removal for the user: where (1-based line numbers), why, and what.

    >>> describe([Removal(0, 6, "tracking token")], "fbpx\\n\\nخبر")
    ['line 1: tracking token: "fbpx"']
    """
    out: list[str] = []
    for r in removals:
        removed = text[r.start : r.end]
        first = r.start + len(removed) - len(removed.lstrip())
        shown = [line.strip() for line in removed.split("\n") if line.strip()]
        line_no = text.count("\n", 0, first) + 1
        last_no = line_no + text.count("\n", first, r.start + len(removed.rstrip()))
        where = f"line {line_no}" if last_no == line_no else f"lines {line_no}-{last_no}"
        preview = " ⏎ ".join(shown)
        if len(preview) > width:
            preview = preview[: width - 1] + "…"
        out.append(f'{where}: {r.reason}: "{preview}"')
    return out
