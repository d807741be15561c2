"""Plain-text articles: exact text, the title rule, ids unique across folders, folder walking."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.errors import InputError
from annotator.formats.text_files import (
    iter_paths,
    iter_text_files,
    read_text_file,
    strip_blank_lines,
)

ARTICLE = "fbpx\r\n\r\nقصف صاروخي يستهدف حقل العمر\r\n\r\nقال مرصد إن القصف وقع فجراً.  \r\n\r\n"


def test_reads_text_title_and_meta(tmp_path: Path) -> None:
    path = tmp_path / "omar.txt"
    path.write_bytes(ARTICLE.encode("utf-8"))
    doc = read_text_file(path)
    assert doc.doc_id == "omar"
    assert doc.text == "fbpx\n\nقصف صاروخي يستهدف حقل العمر\n\nقال مرصد إن القصف وقع فجراً.  "
    # "fbpx" is one word, a scraper's leftover, not the headline.
    assert doc.title == "قصف صاروخي يستهدف حقل العمر"
    assert doc.meta == {"file": "omar.txt", "encoding": "utf-8"}


def test_cp1256_file_records_its_guess(tmp_path: Path) -> None:
    path = tmp_path / "old.txt"
    path.write_bytes("خبر قديم من الأرشيف\nنص الخبر هنا بترميز ويندوز العربي.".encode("cp1256"))
    doc = read_text_file(path)
    assert doc.text == "خبر قديم من الأرشيف\nنص الخبر هنا بترميز ويندوز العربي."
    assert doc.meta["encoding"] == "cp1256"
    assert 0.5 < doc.meta["encoding_confidence"] <= 1.0


def test_title_falls_back_to_the_stem(tmp_path: Path) -> None:
    path = tmp_path / "bulletin.txt"
    path.write_text("عاجل\n\nخبر\n", encoding="utf-8")
    assert read_text_file(path).title == "bulletin"


def test_blank_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "blank.txt"
    path.write_text("\n  \n", encoding="utf-8")
    with pytest.raises(InputError, match="empty file"):
        read_text_file(path)


def test_strip_blank_lines_keeps_inner_spacing() -> None:
    assert strip_blank_lines(" \n\n  أ\n\nب \n \n") == "  أ\n\nب "
    assert strip_blank_lines(" \n ") == ""


def _tree(root: Path) -> None:
    for name in (
        "b/index.txt",
        "a/index.txt",
        "a/.hidden.txt",
        ".git/x.txt",
        "a/notes.md",
        "c.txt",
    ):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(f"مقال {name} هنا", encoding="utf-8")


def test_iter_paths_sorted_recursive_without_hidden(tmp_path: Path) -> None:
    _tree(tmp_path)
    found = [p.relative_to(tmp_path).as_posix() for p in iter_paths([tmp_path])]
    assert found == ["a/index.txt", "a/notes.md", "b/index.txt", "c.txt"]
    found = [p.relative_to(tmp_path).as_posix() for p in iter_paths([tmp_path], suffixes={".TXT"})]
    assert found == ["a/index.txt", "b/index.txt", "c.txt"]
    # A file named directly is read even if hidden.
    assert list(iter_paths([tmp_path / "a" / ".hidden.txt"])) == [tmp_path / "a" / ".hidden.txt"]
    with pytest.raises(InputError, match="no such file or folder"):
        list(iter_paths([tmp_path / "missing"]))


def test_ids_are_relative_to_the_folder_given(tmp_path: Path) -> None:
    _tree(tmp_path)
    docs = list(iter_text_files([tmp_path, tmp_path / "a" / "index.txt"]))
    assert [d.doc_id for d in docs] == ["a/index", "b/index", "c", "index"]
    assert docs[0].meta["file"] == "a/index.txt"


def test_shared_sample(shared_dir: Path) -> None:
    doc = read_text_file(shared_dir / "samples" / "omar-field-strike.txt")
    assert doc.doc_id == "omar-field-strike"
    assert doc.title == "قصف صاروخي يستهدف القاعدة الأمريكية في حقل العمر السوري وأنباء عن إصابات"
    assert doc.text.startswith("fbpx\n\nقصف صاروخي")
