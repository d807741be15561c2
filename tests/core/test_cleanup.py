"""Boilerplate clean-up: exact ranges on the real scraped sample, and prose is never touched."""

from __future__ import annotations

import glob
import json
from pathlib import Path

import pytest

from annotator.text.cleanup import Removal, apply_cleanup, describe, find_boilerplate

PROSE = "وقال المسؤول إن الضربات جاءت ردا على هجمات متكررة استهدفت القوات في المنطقة خلال الأسبوع."


def test_real_sample_removes_exactly_the_boilerplate(shared_dir: Path) -> None:
    text = (shared_dir / "samples" / "omar-field-strike.txt").read_text(encoding="utf-8")
    removals = find_boilerplate(text)
    last_prose = "على قطاع غزة."
    cut = text.index(last_prose) + len(last_prose)
    assert removals == [
        Removal(0, len("fbpx\n\n"), "tracking token"),
        Removal(cut, text.index("مقالات ذات صلة"), "page widget"),
        Removal(text.index("مقالات ذات صلة"), len(text), "related-articles list"),
    ]
    assert [text[r.start : r.end] for r in removals] == [
        "fbpx\n\n",
        "\n\nاظهر المزيد\n\n",
        "مقالات ذات صلة\n\nزر الذهاب إلى الأعلى",
    ]
    assert describe(removals, text) == [
        'line 1: tracking token: "fbpx"',
        'line 37: page widget: "اظهر المزيد"',
        'lines 39-41: related-articles list: "مقالات ذات صلة ⏎ زر الذهاب إلى الأعلى"',
    ]
    cleaned = apply_cleanup(text, removals)
    assert cleaned == text[len("fbpx\n\n") : cut]
    assert cleaned.startswith("قصف صاروخي يستهدف القاعدة الأمريكية")
    assert find_boilerplate(cleaned) == []


def test_lines_match_after_normalisation() -> None:
    text = f"{PROSE}\nأَظهر  المزيد:\n{PROSE}"
    start = len(PROSE) + 1
    assert find_boilerplate(text) == [Removal(start, start + len("أَظهر  المزيد:\n"), "page widget")]


@pytest.mark.parametrize(
    "line",
    [
        "فيسبوك تويتر واتساب",
        "Share | Tweet | Email",
        "شارك · فيس بوك · البريد الإلكتروني",
        "(adsbygoogle = window.adsbygoogle || []).push({});",
        "FBPX",
        "Back to top",
    ],
)
def test_known_boilerplate_lines(line: str) -> None:
    text = f"{PROSE}\n\n{line}\n\n{PROSE}"
    start = len(f"{PROSE}\n\n")
    (removal,) = find_boilerplate(text)
    assert (removal.start, removal.end) == (start, start + len(f"{line}\n\n"))
    assert apply_cleanup(text, [removal]) == f"{PROSE}\n\n{PROSE}"


@pytest.mark.parametrize(
    "line",
    [
        "شارك الآن مع أصدقائك في الحملة",
        "تويتر تعلن عن ميزة جديدة",
        "اقرأ أيضاً",
        "المزيد من الضحايا في غزة",
        "fbpx هو اسم شيفرة",
        PROSE,
    ],
)
def test_prose_lines_are_kept(line: str) -> None:
    assert find_boilerplate(f"{PROSE}\n{line}\n{PROSE}") == []


def test_related_marker_followed_by_prose_removes_only_the_marker() -> None:
    text = f"{PROSE}\nمقالات ذات صلة\n{PROSE}"
    start = len(PROSE) + 1
    assert find_boilerplate(text) == [
        Removal(start, start + len("مقالات ذات صلة\n"), "page widget")
    ]


def test_related_marker_cuts_a_trailing_list_of_headlines() -> None:
    head = f"{PROSE}\n\n"
    text = head + "Related articles:\nعنوان أول\nعنوان ثان قصير\n"
    assert find_boilerplate(text) == [Removal(len(PROSE), len(text), "related-articles list")]
    assert apply_cleanup(text, find_boilerplate(text)) == PROSE


def test_clean_text_has_no_removals() -> None:
    assert find_boilerplate("") == []
    assert find_boilerplate(f"{PROSE}\n\n{PROSE}\n") == []


def test_apply_cleanup_rejects_ranges_outside_the_text() -> None:
    with pytest.raises(ValueError):
        apply_cleanup("abc", [Removal(2, 5, "x")])


def test_no_removal_in_real_news_corpora(shared_dir: Path) -> None:
    corpora = shared_dir / "corpora"
    texts = [
        Path(p).read_text(encoding="utf-8")
        for p in glob.glob(str(corpora / "antcorpus_sample" / "JA-*.txt"))
    ]
    with open(corpora / "saudinewsnet" / "sample_2015-07-23.json", encoding="utf-8") as f:
        texts += [item["content"] for item in json.load(f)]
    assert len(texts) == 37
    assert [describe(find_boilerplate(t), t) for t in texts if find_boilerplate(t)] == []
