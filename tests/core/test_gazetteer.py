"""Gazetteer matching: normalisation, proclitics, multi-word names, the project's lists."""

from __future__ import annotations

import csv
import time
from pathlib import Path

import pytest

from annotator.errors import InputError, SchemaError
from annotator.importing import import_documents
from annotator.model import Document, make_span
from annotator.project import Project
from annotator.suggest.gazetteer import Gazetteer, name_key, read_gazetteer_file, token_variants
from annotator.suggest.pipeline import (
    apply_suggestions,
    import_gazetteer,
    project_gazetteer,
    set_gazetteer_from_corpus,
)


def spans_of(gazetteer: Gazetteer, text: str) -> list[tuple[int, int, str, str]]:
    return [(s.start, s.end, s.label, s.text) for s in gazetteer.match(text)]


def test_name_key_folds_diacritics_tatweel_and_letter_variants() -> None:
    assert name_key("إِدْلِبـــ") == name_key("ادلب") == ("ادلب",)
    assert name_key("الرقّة") == name_key("الرقه") == ("الرقه",)
    assert name_key("  دير   الزور ") == ("دير", "الزور")
    assert name_key("،") == ("،",)


def test_token_variants_strip_proclitic_chains_and_the_article() -> None:
    assert token_variants("وسوريا") == [("وسوريا", 0), ("سوريا", 1)]
    assert token_variants("للقاهرة") == [("للقاهره", 0), ("لقاهره", 1), ("القاهره", 1)]
    assert token_variants("فَالعِراق") == [("فالعراق", 0), ("العراق", 2), ("عراق", 4)]


def test_match_covers_the_name_only_after_proclitics() -> None:
    gaz = Gazetteer([("LOCATION", "سوريا"), ("LOCATION", "القاهرة"), ("LOCATION", "عراق")])
    text = "من وسوريا وبسوريا للقاهرة فالعراق"
    assert spans_of(gaz, text) == [
        (len("من و"), len("من وسوريا"), "LOCATION", "سوريا"),
        (len("من وسوريا وب"), len("من وسوريا وبسوريا"), "LOCATION", "سوريا"),
        (len("من وسوريا وبسوريا ل"), len("من وسوريا وبسوريا للقاهرة"), "LOCATION", "لقاهرة"),
        (len("من وسوريا وبسوريا للقاهرة فال"), len(text), "LOCATION", "عراق"),
    ]


def test_match_ignores_diacritics_tatweel_and_alef_ya_ta_marbuta_variants() -> None:
    gaz = Gazetteer([("LOCATION", "الرقة"), ("PERSON", "مصطفى"), ("LOCATION", "إدلب")])
    text = "زار مُصْطَفَي الرّقـــه وادلب"
    assert spans_of(gaz, text) == [
        (len("زار "), len("زار مُصْطَفَي"), "PERSON", "مُصْطَفَي"),
        (len("زار مُصْطَفَي "), len("زار مُصْطَفَي الرّقـــه"), "LOCATION", "الرّقـــه"),
        (len("زار مُصْطَفَي الرّقـــه و"), len(text), "LOCATION", "ادلب"),
    ]


def test_longest_name_wins_and_matches_do_not_overlap_or_cross_lines() -> None:
    gaz = Gazetteer([("LOCATION", "دير الزور"), ("LOCATION", "الزور"), ("ORGANIZATION", "الحرس الثوري")])
    text = "ريف دير الزور ثم الزور\nدير الزور الحرس\nالثوري"
    assert spans_of(gaz, text) == [
        (len("ريف "), len("ريف دير الزور"), "LOCATION", "دير الزور"),
        (len("ريف دير الزور ثم "), len("ريف دير الزور ثم الزور"), "LOCATION", "الزور"),
        (len("ريف دير الزور ثم الزور\n"), len("ريف دير الزور ثم الزور\nدير الزور"), "LOCATION",
         "دير الزور"),
    ]


def test_whole_tokens_only_no_match_inside_a_word() -> None:
    gaz = Gazetteer([("LOCATION", "سوريا")])
    assert gaz.match("السورية وسورياتي سورياً") == [
        make_span("السورية وسورياتي سورياً", len("السورية وسورياتي "), len("السورية وسورياتي سورياً"),
                  "LOCATION", provenance="gazetteer")
    ]


def test_a_name_under_two_labels_suggests_the_heavier_one() -> None:
    gaz = Gazetteer()
    gaz.add("PERSON", "الأردن")
    gaz.add("LOCATION", "الاردن", weight=3)
    assert [s.label for s in gaz.match("في الأردن")] == ["LOCATION"]
    assert gaz.add("PERSON", "و") is False  # one letter would match every و


def test_sample_article_with_clitics(shared_dir: Path) -> None:
    text = (shared_dir / "samples" / "omar-field-strike.txt").read_text(encoding="utf-8")
    gaz = Gazetteer([
        ("LOCATION", "سوريا"), ("LOCATION", "دير الزور"), ("LOCATION", "العراق"),
        ("ORGANIZATION", "الحرس الثوري"), ("SOURCE", "سبوتنيك"), ("SOURCE", "مرصد مينا"),
    ])
    found = gaz.match(text)
    by_text: dict[str, int] = {}
    for span in found:
        assert text[span.start : span.end] == span.text
        by_text[span.text] = by_text.get(span.text, 0) + 1
    # Checked by reading: every سوريا (bare, وسوريا), every الحرس الثوري (bare, والحرس, للحرس).
    assert by_text == {"سوريا": 10, "دير الزور": 3, "العراق": 4, "الحرس الثوري": 3, "لحرس الثوري": 3,
                       "سبوتنيك": 1, "مرصد مينا": 1}
    where = text.index("العراق وسوريا") + len("العراق و")
    assert any(s.start == where and s.text == "سوريا" for s in found)
    elided = text.index("للحرس الثوري") + len("ل")
    assert any(s.start == elided and s.label == "ORGANIZATION" for s in found)


def test_diacritized_wikinewsmax_text_matches_undiacritized_names(fixtures_dir: Path) -> None:
    with open(fixtures_dir / "wikinewsmax_excerpt.tsv", encoding="utf-8", newline="") as f:
        words = [row["max_gold"] for row in csv.DictReader(f, delimiter="\t") if row["max_gold"]]
    text = " ".join(words)
    gaz = Gazetteer([("ORGANIZATION", "الأكاديمية البريطانية لفنون الفيلم والتلفزيون"),
                     ("LOCATION", "ادنبره"), ("LOCATION", "اسكتلندا")])
    first = words.index("جَوَائِزِ") + 1
    assert [(s.label, s.text) for s in gaz.match(text)] == [
        ("ORGANIZATION", " ".join(words[first : first + 5])),  # diacritized, as in the text
        ("LOCATION", "أَدِنْبِرَةَ"),
        ("LOCATION", "أُسْكُتْلَنْدَا"),
    ]


def test_ten_thousand_names_over_a_long_article_is_fast() -> None:
    gaz = Gazetteer(("LOCATION", f"مدينة رقم{n}") for n in range(10_000))
    gaz.add("LOCATION", "دير الزور")
    text = "قصف صاروخي في ريف دير الزور الشمالي، وسقطت قذائف. " * 4000  # 200,000 characters
    began = time.perf_counter()
    found = gaz.match(text)
    assert len(found) == 4000
    assert time.perf_counter() - began < 3.0


def test_read_gazetteer_file_skips_blanks_and_comments(tmp_path: Path) -> None:
    path = tmp_path / "places.txt"
    path.write_bytes("\ufeff# places\nسوريا\n\n  دير الزور  \r\n".encode())
    assert read_gazetteer_file(path) == ["سوريا", "دير الزور"]
    bad = tmp_path / "bad.txt"
    bad.write_bytes("سوريا\n".encode() + "دمشق\n".encode("cp1256"))
    with pytest.raises(InputError) as info:
        read_gazetteer_file(bad)
    assert str(info.value).startswith(f"{bad}:2:")


def _project_with_labels(path: Path) -> tuple[Project, int]:
    project = Project.create(path)
    text = "قصف في دير الزور وسوريا اليوم"
    doc = Document("a1", text, spans=(
        make_span(text, len("قصف في "), len("قصف في دير الزور"), "LOCATION", "mona"),
    ))
    import_documents(project, [doc, Document("a2", "وصلت القوات إلى دير الزور ثم سوريا")])
    return project, project.store.article_id_by_doc_id("a2")


def test_project_gazetteer_reads_lists_and_labelled_spans(tmp_path: Path) -> None:
    project, a2 = _project_with_labels(tmp_path / "news.db")
    names = tmp_path / "places.txt"
    names.write_text("سوريا\nسوريا\nدمشق\n", encoding="utf-8")
    assert import_gazetteer(project, "LOCATION", names) == 2
    assert import_gazetteer(project, "LOCATION", names) == 0
    with pytest.raises(SchemaError):
        import_gazetteer(project, "PLACE", names)
    gaz = project_gazetteer(project)
    assert [s.text for s in gaz.match(project.store.article(a2).text)] == ["دير الزور", "سوريا"]
    set_gazetteer_from_corpus(project, False)
    assert [s.text for s in project_gazetteer(project).match(project.store.article(a2).text)] == ["سوريا"]
    project.close()


def test_rejections_take_names_fed_from_the_corpus_away(tmp_path: Path) -> None:
    project, a2 = _project_with_labels(tmp_path / "news.db")
    written = apply_suggestions(project, [a2], sources=["gazetteer"])
    assert written == {"suggest:gazetteer": 1}
    suggestion = project.store.spans(a2, ["suggest:gazetteer"])[0]
    assert (suggestion.text, suggestion.provenance) == ("دير الزور", "gazetteer")
    project.session("ali").reject_suggestion(a2, suggestion)
    assert apply_suggestions(project, [a2], sources=["gazetteer"]) == {"suggest:gazetteer": 0}
    project.close()
