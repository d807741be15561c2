"""A picture of an :class:`~annotator.agreement.report.AgreementReport`: pairwise kappa heatmap
and per-label F1 bars, with Arabic label names drawn joined and right to left.

matplotlib is an optional dependency (imported inside the functions, so ``annotator`` imports
without it). Arabic needs care that depends on the installed matplotlib, decided by capability:

* matplotlib <= 3.10 lays out one glyph per code point, left to right: Arabic comes out as
  isolated letters in the wrong order unless given ``bidi.get_display(arabic_reshaper.reshape(s))``
  (presentation forms, visual order);
* matplotlib >= 3.11 shapes with libraqm itself; the same treatment would reverse the text.

:func:`needs_manual_shaping` measures it: in the chosen font, a word of three beh letters drawn by
a shaping renderer is as wide as its joined presentation forms and narrower than three isolated
behs. The version check is only the fallback when the probe cannot tell (no font with the forms).
The font is set explicitly: fontconfig picks DejaVu for ``:lang=ar`` even with Noto installed.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from annotator.agreement.report import AgreementReport
    from annotator.model import Schema

ARABIC_FAMILIES = ("Noto Naskh Arabic", "Noto Sans Arabic", "Amiri")
"""Tried in order; Debian packages fonts-noto-core and fonts-hosny-amiri."""

_TITLES = {
    # Each title starts with an Arabic letter so its paragraph direction is right to left.
    "ar": ("الاتفاق بين المعلقين (كابا كوهين)", "درجة F1 لكل وسم", "تطابق تام", "تداخل"),
    "en": ("Pairwise Cohen's kappa", "F1 per label", "exact", "overlap"),
}


@functools.cache
def arabic_font_path() -> str | None:
    """The file of the first installed family of :data:`ARABIC_FAMILIES`, or ``None``."""
    from matplotlib.font_manager import FontProperties, findfont

    for family in ARABIC_FAMILIES:
        try:
            return str(findfont(FontProperties(family=family), fallback_to_default=False))
        except ValueError:
            continue
    return None


def _version() -> tuple[int, int]:
    import matplotlib

    major, minor = matplotlib.__version__.split(".")[:2]
    return int(major), int("".join(ch for ch in minor if ch.isdigit()) or 0)


def _text_width(text: str, font_path: str) -> float:
    """Width in pixels (at 72 dpi, 40 pt) of ``text`` as matplotlib's Agg renderer lays it out."""
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.font_manager import FontProperties

    renderer = RendererAgg(400, 100, 72)
    prop = FontProperties(fname=font_path, size=40)
    return float(renderer.get_text_width_height_descent(text, prop, ismath=False)[0])


def probe_shaping(font_path: str) -> bool | None:
    """Whether matplotlib joins Arabic letters in ``font_path``; ``None`` if the probe can't tell."""
    raw = _text_width("ببب", font_path)
    joined = _text_width("\ufe91\ufe92\ufe90", font_path)  # initial, medial, final beh
    isolated = _text_width("\ufe8f" * 3, font_path)
    if joined == isolated:
        return None  # the font lacks presentation forms, or draws them all alike
    return abs(raw - joined) < abs(raw - isolated)


@functools.cache
def needs_manual_shaping(font_path: str | None = None) -> bool:
    """True when text must go through ``reshape`` + ``get_display`` before matplotlib draws it."""
    font_path = font_path or arabic_font_path()
    shapes = probe_shaping(font_path) if font_path else None
    if shapes is None:
        return _version() < (3, 11)
    return not shapes


def for_matplotlib(text: str, font_path: str | None = None) -> str:
    """``text`` as the installed matplotlib must receive it to draw it correctly.

    Never store or search the result: it is for drawing only (presentation forms, visual order).
    """
    if not needs_manual_shaping(font_path) or not any("\u0600" <= ch <= "\u06ff" for ch in text):
        return text
    from arabic_reshaper import reshape  # type: ignore[import-untyped]
    from bidi import get_display  # type: ignore[import-untyped]

    return str(get_display(reshape(text)))


def _display_name(name: str, schema: Schema | None, language: str) -> str:
    if schema is not None and name in schema.names:
        return schema.label(name).display(language) or name
    return name


def _kappa_matrix(report: AgreementReport) -> list[list[float]]:
    index = {name: i for i, name in enumerate(report.annotators)}
    n = len(report.annotators)
    grid = [[1.0 if i == j else float("nan") for j in range(n)] for i in range(n)]
    for pair in report.pairs:
        i, j = index[pair.reference], index[pair.prediction]
        grid[i][j] = grid[j][i] = float("nan") if pair.kappa is None else pair.kappa
    return grid


def _heatmap(ax: Any, report: AgreementReport, names: Sequence[str], title: str) -> None:
    grid = _kappa_matrix(report)
    ax.imshow(grid, cmap="RdYlGn", vmin=0.0, vmax=1.0)
    ax.set_xticks(range(len(names)), names, rotation=30)
    ax.set_yticks(range(len(names)), names)
    for i, row in enumerate(grid):
        for j, value in enumerate(row):
            ax.text(j, i, "—" if math.isnan(value) else f"{value:.2f}", ha="center", va="center")
    ax.set_title(title)


def _bars(ax: Any, report: AgreementReport, names: Sequence[str], titles: Sequence[str]) -> None:
    exact = [report.exact.by_label[n].f1 or 0.0 for n in report.exact.by_label]
    overlap = [report.overlap.by_label[n].f1 or 0.0 for n in report.exact.by_label]
    ys = range(len(names))
    ax.barh([y - 0.2 for y in ys], exact, height=0.4, label=titles[2], color="#4c78a8")
    ax.barh([y + 0.2 for y in ys], overlap, height=0.4, label=titles[3], color="#f58518")
    ax.set_yticks(list(ys), names)
    ax.set_xlim(0, 1)
    ax.invert_yaxis()
    ax.legend(loc="lower right")
    ax.set_title(titles[1])


def plot_agreement(
    report: AgreementReport,
    path: str | Path,
    *,
    language: str = "ar",
    schema: Schema | None = None,
    font_path: str | None = None,
) -> Path:
    """Write a PNG (150 dpi) of ``report``: kappa heatmap left, F1 per label right.

    Label names come from ``schema`` in ``language`` when it has them (``"مكان"`` for
    ``LOCATION``), else the report's names. Raises ``ImportError`` without matplotlib.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties, fontManager

    font_path = font_path or arabic_font_path()
    families = ["DejaVu Sans"]
    if font_path:
        fontManager.addfont(font_path)
        families.insert(0, FontProperties(fname=font_path).get_name())
    titles = [for_matplotlib(t, font_path) for t in _TITLES.get(language, _TITLES["en"])]
    labels = [
        for_matplotlib(_display_name(n, schema, language), font_path) for n in report.exact.by_label
    ]
    raters = [for_matplotlib(n, font_path) for n in report.annotators]
    import matplotlib

    with matplotlib.rc_context({"font.family": families, "font.size": 11}):
        fig = Figure(figsize=(11, 4.8), layout="constrained")
        FigureCanvasAgg(fig)
        left, right = fig.subplots(1, 2, width_ratios=(1, 1.3))
        _heatmap(left, report, raters, titles[0])
        _bars(right, report, labels, titles)
        out = Path(path)
        fig.savefig(out, dpi=150, format="png")
    return out
