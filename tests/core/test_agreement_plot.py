"""The agreement picture: Arabic must come out joined and right to left on this matplotlib.

The reference rendering is Pillow's *basic* layout (no shaping, no bidi) of
``get_display(reshape(word))``: presentation forms in visual order, which a non-shaping renderer
draws correctly. matplotlib's drawing of what :func:`for_matplotlib` gives it must look like that;
the wrong choice (the other path) and unjoined letters must not.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("matplotlib")
Image = pytest.importorskip("PIL.Image")
from PIL import ImageDraw, ImageFont

from annotator.agreement.measures import ArticleLayers, compute_agreement
from annotator.agreement.plot import (
    _version,
    arabic_font_path,
    for_matplotlib,
    needs_manual_shaping,
    plot_agreement,
    probe_shaping,
)
from annotator.model import Label, Schema, make_span

WORD = "العربية"
ISOLATED = "\ufe8d\ufedd\ufec9\ufead\ufe8f\ufef1\ufe93"  # the same letters, each in isolated form
SIZE_PT, DPI = 40, 100


@pytest.fixture(scope="module")
def font() -> str:
    path = arabic_font_path()
    if path is None:
        pytest.skip("no Arabic font (apt-get install fonts-noto-core fonts-hosny-amiri)")
    return path


def _ink(gray: np.ndarray) -> np.ndarray:
    """Dark pixels of a white-background grey image, cropped to their bounding box."""
    ink = 255 - gray
    ys, xs = np.nonzero(ink > 64)
    return ink[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]


def _matplotlib_ink(text: str, font: str) -> np.ndarray:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    fig = Figure(figsize=(6, 1.5), dpi=DPI)
    canvas = FigureCanvasAgg(fig)
    prop = FontProperties(fname=font, size=SIZE_PT)
    fig.text(0.5, 0.5, text, fontproperties=prop, ha="center", va="center")
    canvas.draw()
    return _ink(np.asarray(canvas.buffer_rgba())[..., :3].mean(axis=2))


def _reference_ink(font: str) -> np.ndarray:
    from arabic_reshaper import reshape
    from bidi import get_display

    pil_font = ImageFont.truetype(
        font, size=round(SIZE_PT * DPI / 72), layout_engine=ImageFont.Layout.BASIC
    )
    image = Image.new("L", (600, 150), 255)
    ImageDraw.Draw(image).text((20, 20), get_display(reshape(WORD)), font=pil_font, fill=0)
    return _ink(np.asarray(image, float))


def _similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Pearson correlation of two ink crops scaled to one size: 1 = the same drawing."""
    size = (240, 80)
    a2 = np.asarray(Image.fromarray(a.astype(np.uint8)).resize(size), float).ravel()
    b2 = np.asarray(Image.fromarray(b.astype(np.uint8)).resize(size), float).ravel()
    return float(np.corrcoef(a2, b2)[0, 1])


def test_shaping_path_matches_installed_matplotlib(font: str) -> None:
    # 3.11 brought libraqm shaping; the probe measures it rather than trusting the number.
    assert probe_shaping(font) is (_version() >= (3, 11))
    assert needs_manual_shaping(font) is (_version() < (3, 11))
    assert (for_matplotlib(WORD, font) == WORD) is (_version() >= (3, 11))
    assert for_matplotlib("kappa 0.5", font) == "kappa 0.5"


def test_arabic_is_drawn_joined_and_right_to_left(font: str) -> None:
    from arabic_reshaper import reshape
    from bidi import get_display

    reference = _reference_ink(font)
    drawn = _matplotlib_ink(for_matplotlib(WORD, font), font)
    wrong_text = WORD if needs_manual_shaping(font) else get_display(reshape(WORD))
    wrong = _matplotlib_ink(wrong_text, font)
    isolated = _matplotlib_ink(ISOLATED, font)
    assert _similarity(drawn, reference) > 0.9
    assert _similarity(wrong, reference) < 0.5  # mirrored word order of the letters
    assert _similarity(isolated, reference) < 0.5
    # Joined letters are narrower than the same letters drawn apart.
    assert drawn.shape[1] < 0.8 * isolated.shape[1]


def _report():
    text = "زار علي دمشق وعمان"
    per = make_span(text, len("زار "), len("زار علي"), "PERSON")
    loc = make_span(text, len("زار علي "), len("زار علي دمشق"), "LOCATION")
    loc2 = make_span(text, len("زار علي دمشق و"), len(text), "LOCATION")
    art = ArticleLayers.tokenized(
        "a", text, {"هدى": [per, loc, loc2], "عمر": [per, loc], "ali": [loc, loc2]}
    )
    return compute_agreement([art])


SCHEMA = Schema(
    "news",
    (
        Label("LOCATION", "مكان", "Location", "#8ecae6"),
        Label("PERSON", "شخص", "Person", "#06d6a0"),
    ),
)


@pytest.mark.parametrize("language", ["ar", "en"])
def test_plot_writes_a_non_blank_png(tmp_path: Path, font: str, language: str) -> None:
    out = plot_agreement(_report(), tmp_path / "agreement.png", language=language, schema=SCHEMA)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with Image.open(out) as image:
        assert image.size == (1650, 720)  # 11 x 4.8 in at 150 dpi
        pixels = np.asarray(image.convert("RGB"))
    assert len(np.unique(pixels.reshape(-1, 3), axis=0)) > 50  # heatmap, bars, anti-aliased text
    assert (pixels.mean(axis=2) < 100).mean() > 0.005  # dark ink: text and frames
