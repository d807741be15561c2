"""Tokenizer and sentence splitter: exact tokens and offsets for each documented decision."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.model import Token
from annotator.text.chars import FORMAT, code_points
from annotator.text.tokenize import sentences, split_token, tokenize


def texts(text: str, **kw: bool) -> list[str]:
    return [t.text for t in tokenize(text, **kw)]


def check_offsets(text: str, tokens: list[Token]) -> None:
    for tok in tokens:
        assert text[tok.start : tok.end] == tok.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("قال: «نعم»، ثم؛ ماذا؟", ["قال", ":", "«", "نعم", "»", "،", "ثم", "؛", "ماذا", "؟"]),
        (
            "“العمر” (إف-16) [1] a/b!",
            ["“", "العمر", "”", "(", "إف", "-", "16", ")", "[", "1", "]", "a", "/", "b", "!"],
        ),
        ("'x' \"y\" ‘z’ – — …", ["'", "x", "'", '"', "y", '"', "‘", "z", "’", "–", "—", "…"]),
        ("واضحين.. إيران...", ["واضحين", "..", "إيران", "..."]),
    ],
)
def test_punctuation_is_its_own_token(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("٢٠٠5", ["٢٠٠5"]),
        ("٣٫٥ 3.5 3,000 ٣٬٠٠٠ 14ر1 ۱۴۰۲", ["٣٫٥", "3.5", "3,000", "٣٬٠٠٠", "14ر1", "۱۴۰۲"]),
        ("11%", ["11", "%"]),
        ("٪٥٠", ["٪", "٥٠"]),
        ("65-88", ["65", "-", "88"]),
        ("عام 2015.", ["عام", "2015", "."]),
        ("1097م؛", ["1097", "م", "؛"]),
        ("5G", ["5", "G"]),
    ],
)
def test_numbers_stay_whole(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


def test_arabic_decimal_ra_needs_digits_on_both_sides() -> None:
    assert texts("14ر") == ["14", "ر"]


def test_diacritics_and_tatweel_stay_in_their_word() -> None:
    text = "دِمَشْقُ هَٰذِهِ جـميل"
    assert tokenize(text) == [
        Token("دِمَشْقُ", 0, len("دِمَشْقُ")),
        Token("هَٰذِهِ", len("دِمَشْقُ "), len("دِمَشْقُ هَٰذِهِ")),
        Token("جـميل", len("دِمَشْقُ هَٰذِهِ "), len(text)),
    ]


def test_quranic_marks_stay_in_word() -> None:
    assert texts("الرَّحِيمِۖ") == ["الرَّحِيمِۖ"]


def test_tatweel_and_digits_split_at_the_script_change() -> None:
    text = "بـ11% الـ23 فـ(داعش)"
    assert texts(text) == ["بـ", "11", "%", "الـ", "23", "فـ", "(", "داعش", ")"]
    assert tokenize(text)[1] == Token("11", len("بـ"), len("بـ11"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("وPHP", ["و", "PHP"]),
        ("BUSعندما", ["BUS", "عندما"]),
        ("Linux لينكس", ["Linux", "لينكس"]),
        ("MP3 G20", ["MP3", "G20"]),
        ("café", ["café"]),
        ("Москва", ["Москва"]),
    ],
)
def test_latin_and_mixed_scripts(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


def test_nbsp_and_rlm_between_words_are_separators() -> None:
    text = "حقل\u00a0العمر\u200fفي\u200e دير\ufeffالزور"
    assert tokenize(text) == [
        Token("حقل", 0, len("حقل")),
        Token("العمر", len("حقل\u00a0"), len("حقل\u00a0العمر")),
        Token("في", len("حقل\u00a0العمر\u200f"), len("حقل\u00a0العمر\u200fفي")),
        Token("دير", len("حقل\u00a0العمر\u200fفي\u200e "), len("حقل\u00a0العمر\u200fفي\u200e دير")),
        Token("الزور", len("حقل\u00a0العمر\u200fفي\u200e دير\ufeff"), len(text)),
    ]


@pytest.mark.parametrize(
    "mark",
    [
        "\u061c",
        "\u202a",
        "\u202b",
        "\u202c",
        "\u202e",
        "\u2066",
        "\u2069",
        "\u200b",
        "\u200c",
        "\u200d",
        "\u00ad",
    ],
)
def test_format_characters_never_reach_a_token(mark: str) -> None:
    text = f"{mark}سوريا{mark} 12{mark}"
    assert tokenize(text) == [
        Token("سوريا", 1, 6),
        Token("12", len(f"{mark}سوريا{mark} "), len(text) - 1),
    ]


def test_zwnj_inside_a_persian_word_stays() -> None:
    text = "می\u200cشود \u200cو"
    assert tokenize(text) == [
        Token("می\u200cشود", 0, len("می\u200cشود")),
        Token("و", len("می\u200cشود \u200c"), len(text)),
    ]


def test_emoji_before_a_token() -> None:
    text = "😀سوريا"
    assert tokenize(text) == [Token("😀", 0, 1), Token("سوريا", 1, len(text))]


@pytest.mark.parametrize(
    "emoji",
    [
        "👨\u200d👩\u200d👧",
        "❤\ufe0f",
        "👍🏽",
        "🇸🇾",
        "1\ufe0f\u20e3",
        "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f",
    ],
)
def test_emoji_sequences_are_one_token(emoji: str) -> None:
    assert texts(f"قال{emoji} نعم") == ["قال", emoji, "نعم"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "زوروا https://example.com/ar/حافظ-قائد?x=1. ثم",
            ["زوروا", "https://example.com/ar/حافظ-قائد?x=1", ".", "ثم"],
        ),
        ("(www.jawharafm.net)، و", ["(", "www.jawharafm.net", ")", "،", "و"]),
        ("#وسم_جديد و@user_1 #", ["#وسم_جديد", "و", "@user_1", "#"]),
        ("راسلونا: info@example.org.", ["راسلونا", ":", "info@example.org", "."]),
    ],
)
def test_urls_hashtags_mentions_emails(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


def test_aqmar_sentence() -> None:
    text = "دمشق هي العاصمة السورية وهي أقدم مدينة مأهولة في العالم وأقدم عاصمة في التاريخ ، وقد"
    tokens = tokenize(text)
    assert [t.text for t in tokens] == text.split()
    assert tokens[2] == Token("العاصمة", len("دمشق هي "), len("دمشق هي العاصمة"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("وبالمدينة", ["و", "ب", "المدينة"]),
        ("وَبِالْمَدِينَةِ", ["وَ", "بِ", "الْمَدِينَةِ"]),
        ("والثقافة فالنظام كالعادة", ["و", "الثقافة", "ف", "النظام", "ك", "العادة"]),
        ("للمدينة وللمدينة", ["ل", "لمدينة", "و", "ل", "لمدينة"]),
        ("وسوريا فيلم وزير لبنان", ["وسوريا", "فيلم", "وزير", "لبنان"]),
        ("والده والي بالله والدته", ["والده", "والي", "بالله", "والدته"]),
        ("ولاية فلسطين الثقافة", ["ولاية", "فلسطين", "الثقافة"]),
    ],
)
def test_clitic_splitting_is_conservative(text: str, expected: list[str]) -> None:
    tokens = tokenize(text, clitics=True)
    assert [t.text for t in tokens] == expected
    check_offsets(text, tokens)


def test_clitics_off_by_default() -> None:
    assert texts("وبالمدينة") == ["وبالمدينة"]


def test_split_token() -> None:
    assert split_token(Token("وسوريا", 3, 9), 4) == (Token("و", 3, 4), Token("سوريا", 4, 9))
    with pytest.raises(ValueError):
        split_token(Token("وسوريا", 3, 9), 3)


def sentence_texts(text: str) -> list[list[str]]:
    return [[t.text for t in s] for s in sentences(text)]


def test_sentences_split_at_end_marks() -> None:
    assert sentence_texts("جاء. ذهب؟ عاد! نام… قام? انتهى") == [
        ["جاء", "."],
        ["ذهب", "؟"],
        ["عاد", "!"],
        ["نام", "…"],
        ["قام", "?"],
        ["انتهى"],
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # spaCy's Arabic tokenizer tests: each abbreviation is one token
        ("تعود الكتابة الهيروغليفية إلى سنة 3200 ق.م",
         ["تعود", "الكتابة", "الهيروغليفية", "إلى", "سنة", "3200", "ق.م"]),
        ("ص.ب 1234 الرياض", ["ص.ب", "1234", "الرياض"]),
        ("ت. 0112345", ["ت.", "0112345"]),
        ("قال أ.د محمد و د. سعاد", ["قال", "أ.د", "محمد", "و", "د.", "سعاد"]),
        ("شركة ج.م.ع للنقل", ["شركة", "ج.م.ع", "للنقل"]),
        # not inside a longer word, not a year's era, not a title at the end of a line
        ("الحقق.م", ["الحقق", ".", "م"]),
        ("ولد عام 1097م. ثم", ["ولد", "عام", "1097", "م", ".", "ثم"]),
        ("وصل د.\nثم", ["وصل", "د", ".", "ثم"]),
    ],
)
def test_dotted_arabic_abbreviations_stay_whole(text: str, expected: list[str]) -> None:
    assert [t.text for t in tokenize(text)] == expected


def test_qm_does_not_end_a_sentence() -> None:
    text = "بنيت عام 500 ق.م في دمشق. ثم"
    assert sentence_texts(text) == [
        ["بنيت", "عام", "500", "ق.م", "في", "دمشق", "."],
        ["ثم"],
    ]


@pytest.mark.parametrize(
    "text",
    [
        "قال د. محمد كلاما",
        "زار م. أحمد الموقع",
        "قال J. Smith كلاما",
        "النسبة 3.5 بالمئة",
        "زار U.S.A اليوم",
    ],
)
def test_no_sentence_end_inside_abbreviations_and_numbers(text: str) -> None:
    assert len(sentences(text)) == 1


def test_era_after_a_number_ends_the_sentence() -> None:
    assert sentence_texts("ولد عام 1097م. ثم مات 500 ق.م. وبعدها") == [
        ["ولد", "عام", "1097", "م", "."],
        ["ثم", "مات", "500", "ق.م", "."],
        ["وبعدها"],
    ]


def test_closing_quotes_and_repeated_marks_stay_with_their_sentence() -> None:
    assert sentence_texts("قال: «نعم.» حقا؟! ثم") == [
        ["قال", ":", "«", "نعم", ".", "»"],
        ["حقا", "؟", "!"],
        ["ثم"],
    ]


def test_line_break_always_ends_a_sentence() -> None:
    text = "عنوان بلا نقطة\nقال د.\nثم"
    result = sentences(text)
    assert [[t.text for t in s] for s in result] == [
        ["عنوان", "بلا", "نقطة"],
        ["قال", "د", "."],
        ["ثم"],
    ]
    assert result[2][0] == Token("ثم", len("عنوان بلا نقطة\nقال د.\n"), len(text))


def test_sentences_accept_given_tokens() -> None:
    text = "وبالمدينة ناس. ثم"
    got = sentences(text, tokenize(text, clitics=True))
    assert [[t.text for t in s] for s in got] == [["و", "ب", "المدينة", "ناس", "."], ["ثم"]]


def test_format_class_covers_every_cf_character() -> None:
    ours = set(code_points(FORMAT))
    cf = {cp for cp in range(0x110000) if unicodedata.category(chr(cp)) == "Cf"}
    assert cf <= ours


_INVISIBLE = re.compile(f"[\\s{FORMAT}]")
_ALLOWED_JOINERS = re.compile("[\u200c\u200d\U000e0020-\U000e007f]")


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(
            list("دمشق ولبالمدينة٠١٢3.,٫ر%-؟?!…«»()#@_:/ hwTP")
            + [
                "\u064e",
                "\u0670",
                "\u0640",
                "\u00a0",
                "\u200f",
                "\u200e",
                "\u200c",
                "\u200d",
                "\ufeff",
                "\n",
                "😀",
                "\ufe0f",
                "🇸",
                "\u20e3",
                "\U000e0067",
                "é",
                "\u0301",
            ]
        )
    )
    | st.text()
)
def test_tokens_are_ordered_exact_and_visible(text: str) -> None:
    for clitics in (False, True):
        tokens = tokenize(text, clitics=clitics)
        pos = 0
        for tok in tokens:
            assert pos <= tok.start < tok.end
            assert text[tok.start : tok.end] == tok.text
            pos = tok.end
            stripped = _ALLOWED_JOINERS.sub("", tok.text)
            assert not _INVISIBLE.search(stripped), tok
            if _ALLOWED_JOINERS.search(
                tok.text
            ):  # only inside a word or an emoji, never at its edges
                assert not _ALLOWED_JOINERS.match(tok.text[0]) and tok.text[-1] != "\u200c"
        inside: set[int] = set()
        for tok in tokens:
            inside.update(range(tok.start, tok.end))
        skipped = "".join(ch for i, ch in enumerate(text) if i not in inside)
        assert all(ch.isspace() or unicodedata.category(ch) in ("Cf", "Cc") for ch in skipped)
        assert [t for s in sentences(text, tokens) for t in s] == tokens


def test_every_visible_character_is_in_some_token(shared_dir: Path) -> None:
    text = (shared_dir / "samples" / "omar-field-strike.txt").read_text(encoding="utf-8")
    tokens = tokenize(text)
    check_offsets(text, tokens)
    covered = sum(t.end - t.start for t in tokens)
    assert covered == len(_INVISIBLE.sub("", text))
    assert [t.text for t in tokens[:4]] == ["fbpx", "قصف", "صاروخي", "يستهدف"]
