"""Search keys, their offset maps back to the stored text, and normalised whole-word search."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.text.normalize import (
    TextIndex,
    find_all,
    normalize_with_map,
    search_key,
    to_text_range,
)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("أإآٱ", "اااا"),
        ("على مدرسة", "علي مدرسه"),
        ("دِمَشْقُ هَٰذِهِ", "دمشق هذه"),
        ("جـمـيل", "جميل"),
        ("الرَّحِيمِۖ", "الرحيم"),
        ("٢٠٠5 ۱۴۰۲ ٣٫٥ ٣٬٠٠٠ ٪", "2005 1402 3.5 3,000 %"),
        ("ایران کتاب", "ايران كتاب"),
        ("Linux PHP", "linux php"),
        ("حقل\u00a0العمر\u200f في", "حقل العمر في"),
        ("a \u200f  \t b\nc", "a b\nc"),
        ("\ufefb\ufe8e", "لاا"),
        ("مسؤول مسئول سماء", "مسؤول مسئول سماء"),
        ("و\u0654", "ؤ"),
        ("ي\u0654", "ئ"),
        ("ا\u0655ا\u0653", "اا"),
        ("Straße", "strasse"),
    ],
)
def test_search_key_folds(text: str, key: str) -> None:
    assert search_key(text) == key
    assert normalize_with_map(text)[0] == key


def test_map_of_a_diacritized_word_covers_the_whole_word() -> None:
    text = "في دِمَشْقُ اليوم"
    key, starts = normalize_with_map(text)
    a = key.index("دمشق")
    assert to_text_range(text, starts, a, a + len("دمشق")) == (len("في "), len("في دِمَشْقُ"))
    assert (starts[a], starts[a + len("دمشق")]) == (len("في "), len("في دِمَشْقُ"))


def test_map_has_a_final_entry_and_indexes_every_key_character() -> None:
    text = "ـأَ\u200fب ß"
    key, starts = normalize_with_map(text)
    assert key == "اب ss"
    assert starts == [
        1,
        len("ـأَ\u200f"),
        len("ـأَ\u200fب"),
        len("ـأَ\u200fب "),
        len("ـأَ\u200fب "),
        len(text),
    ]


def test_range_trims_trailing_format_characters() -> None:
    text = "دمشق\u200f ثم"
    key, starts = normalize_with_map(text)
    assert key == "دمشق ثم"
    assert to_text_range(text, starts, 0, len("دمشق")) == (0, len("دمشق"))


def test_range_ending_inside_an_expansion_covers_the_character() -> None:
    text = "aß"
    key, starts = normalize_with_map(text)
    assert key == "ass"
    assert to_text_range(text, starts, 0, 2) == (0, 2)


def test_find_all_whole_words() -> None:
    text = "سوريا والسورية وسوريا سوريا."
    assert find_all(text, "سوريا") == [
        (0, len("سوريا")),
        (len("سوريا والسورية وسوريا "), len(text) - 1),
    ]


def test_find_all_allows_proclitics_covering_only_the_needle() -> None:
    text = "زار وسوريا وبسوريا فسوريا"
    assert find_all(text, "سوريا", allow_proclitics=True) == [
        (len("زار و"), len("زار وسوريا")),
        (len("زار وسوريا وب"), len("زار وسوريا وبسوريا")),
        (len("زار وسوريا وبسوريا ف"), len(text)),
    ]


def test_find_all_rejects_non_proclitic_prefixes() -> None:
    assert find_all("تسوريا مسوريا", "سوريا", allow_proclitics=True) == []


def test_find_all_normalises_needle_and_text() -> None:
    text = "وصل إلى دِمَشْقَ ثم إلي دمشق"
    assert find_all(text, "الى دمشق") == [
        (len("وصل "), len("وصل إلى دِمَشْقَ")),
        (len("وصل إلى دِمَشْقَ ثم "), len(text)),
    ]


def test_find_all_substrings_when_not_whole_words() -> None:
    text = "السورية سوريا"
    assert find_all(text, "سوري", whole_words=False) == [
        (len("ال"), len("السوري")),
        (len("السورية "), len("السورية سوري")),
    ]
    assert find_all(text, "سوري") == []


def test_find_all_sees_script_and_number_boundaries() -> None:
    text = "وPHP بـ11%"
    assert find_all(text, "php") == [(1, 4)]
    assert find_all(text, "١١") == [(len("وPHP بـ"), len("وPHP بـ11"))]


def test_find_all_multiword_across_nbsp_and_double_space() -> None:
    text = "حقل\u00a0العمر و حقل  العمر"
    assert find_all(text, "حقل العمر") == [
        (0, len("حقل\u00a0العمر")),
        (len("حقل\u00a0العمر و "), len(text)),
    ]


def test_find_all_empty_needle() -> None:
    assert find_all("نص", "\u064e ") == []


def test_text_index_reuses_one_map_for_many_needles() -> None:
    index = TextIndex("دمشق وحلب")
    assert index.find_all("دمشق") == [(0, 4)]
    assert index.find_all("حلب", allow_proclitics=True) == [(6, 9)]
    assert index.find_all("حلب") == []


def read_wikinewsmax(path: Path) -> list[list[str]]:
    """Rows of a WikiNewsMax TSV (dediac, original_gold, max_gold[, max_gold_alt]), data only."""
    lines = path.read_text(encoding="utf-8").split("\n")[1:]
    return [line.split("\t") for line in lines if line.strip("\t")]


def assert_keys_match(rows: list[list[str]]) -> None:
    mismatches = [
        (row[0], form)
        for row in rows
        for form in row[1:]
        if form and search_key(form) != search_key(row[0])
    ]
    assert mismatches == []


def test_wikinewsmax_excerpt_diacritized_and_plain_keys_match(fixtures_dir: Path) -> None:
    rows = read_wikinewsmax(fixtures_dir / "wikinewsmax_excerpt.tsv")
    assert len(rows) == 42
    assert_keys_match(rows)
    # The excerpt's alternative spellings differ by more than marks: hamza-alef and ة/ه.
    assert ["أدنبرة", "أَدِنْبِرَةَ", "أَدِنْبِرَةَ", "أَدِنْبْرُهْ"] in rows


def test_wikinewsmax_full_keys_match(shared_dir: Path) -> None:
    rows = read_wikinewsmax(shared_dir / "corpora" / "wikinewsmax" / "WikiNewsMax.tsv")
    assert len(rows) > 18_000
    assert_keys_match(rows)


def test_wikinewsmax_diacritized_words_found_in_a_plain_sentence(fixtures_dir: Path) -> None:
    rows = read_wikinewsmax(fixtures_dir / "wikinewsmax_excerpt.tsv")[2:15]
    diacritized = " ".join(row[2] for row in rows)
    plain = " ".join(row[0] for row in rows)
    index = TextIndex(diacritized)
    pos = 0
    for row in rows:
        ((start, end),) = [m for m in index.find_all(row[0]) if m[0] >= pos][:1]
        assert diacritized[start:end] == row[2]
        pos = end
    assert search_key(diacritized) == search_key(plain)


_ALPHABET = list("دمشقأإآىيةهو ٠١٢3aBß.") + [
    "\u064e", "\u0651", "\u0670", "\u0640", "\u00a0", "\u200f", "\u200c", "\u0654", "\n", "\t", "\ufefb",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(_ALPHABET)) | st.text())
def test_map_is_consistent(text: str) -> None:
    key, starts = normalize_with_map(text)
    assert key == search_key(text)
    assert len(starts) == len(key) + 1 and starts[-1] == len(text)
    assert starts == sorted(starts)
    assert all(0 <= s < len(text) for s in starts[:-1])
    for i, ch in enumerate(key):
        assert search_key(text[starts[i]])[:1] == ch or starts[i] in _composite_or_expansion(
            text, starts, i
        )


def _composite_or_expansion(text: str, starts: list[int], i: int) -> set[int]:
    """Key characters that come from a multi-character fold or a recomposed hamza."""
    same = {
        starts[j] for j in (i - 1, i + 1) if 0 <= j < len(starts) - 1 and starts[j] == starts[i]
    }
    if text[starts[i] : starts[i] + 2] in ("و\u0654", "ي\u0654"):
        same.add(starts[i])
    return same
