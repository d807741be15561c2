"""Decoding: UTF-8 first, cp1256 guessed with a confidence, damaged and binary files refused."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from annotator.errors import InputError
from annotator.text.encoding import decode_bytes, read_text

ARABIC = "أعلنت وزارة الصحة في دمشق اليوم أن 12 مستشفى سيعمل بكامل طاقته.\nوقال الوزير إن الخطة تبدأ غداً."


def test_utf8_is_taken_as_is() -> None:
    decoded = decode_bytes(ARABIC.encode("utf-8"), path_name="a.txt")
    assert (decoded.text, decoded.encoding, decoded.confidence) == (ARABIC, "utf-8", 1.0)


def test_bom_is_stripped() -> None:
    decoded = decode_bytes(codecs.BOM_UTF8 + ARABIC.encode("utf-8"), path_name="a.txt")
    assert (decoded.text, decoded.encoding) == (ARABIC, "utf-8")
    decoded = decode_bytes(codecs.BOM_UTF16_LE + ARABIC.encode("utf-16-le"), path_name="a.txt")
    assert (decoded.text, decoded.encoding) == (ARABIC, "utf-16-le")


def test_cp1256_is_detected_and_reported() -> None:
    decoded = decode_bytes(ARABIC.encode("cp1256"), path_name="old.txt")
    assert decoded.text == ARABIC
    assert decoded.encoding == "cp1256"
    assert 0.5 < decoded.confidence <= 1.0
    assert "charset-normalizer chose cp1256" in decoded.note
    assert decoded.guessed


def test_forced_cp1256() -> None:
    decoded = decode_bytes(ARABIC.encode("cp1256"), path_name="old.txt", encoding="cp1256")
    assert (decoded.text, decoded.confidence, decoded.note) == (ARABIC, 1.0, "encoding given")


BAD_LINE_3 = "سطر أول\nسطر ثان\nسطر ".encode() + b"\xff" + " ثالث\n".encode()


def test_forced_utf8_names_offset_and_line_of_the_bad_byte() -> None:
    offset = len("سطر أول\nسطر ثان\nسطر ".encode())
    with pytest.raises(InputError) as info:
        decode_bytes(BAD_LINE_3, path_name="bad.txt", encoding="utf-8")
    assert str(info.value) == f"bad.txt:3: byte 0xff at byte offset {offset} is not valid utf-8"
    assert info.value.line == 3


def test_auto_refuses_damaged_utf8_rather_than_guess_mojibake() -> None:
    offset = len("سطر أول\nسطر ثان\nسطر ".encode())
    assert offset == 35
    with pytest.raises(InputError) as info:
        decode_bytes(BAD_LINE_3, path_name="bad.txt")
    assert str(info.value) == (
        "bad.txt:3: byte 0xff at byte offset 35 is not valid UTF-8 "
        "(the rest of the file is UTF-8: repair the file, or force an encoding)"
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty file"),
        (b"PK\x03\x04\x00\x00binary", "binary file (NUL byte at byte offset 4)"),
        (bytes(range(1, 9)) * 10, "binary file (80 control bytes in the first 80)"),
    ],
)
def test_refused_inputs(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=r"^x\.bin: ") as info:
        decode_bytes(data, path_name="x.bin")
    assert info.value.reason == message


def test_unknown_or_contradicted_encoding() -> None:
    with pytest.raises(InputError, match="unknown encoding 'klingon'"):
        decode_bytes(b"abc", path_name="a.txt", encoding="klingon")
    with pytest.raises(InputError, match="utf-8 byte-order mark, not cp1256"):
        decode_bytes(codecs.BOM_UTF8 + b"abc", path_name="a.txt", encoding="cp1256")


def test_read_text_reads_a_file(tmp_path: Path) -> None:
    path = tmp_path / "old.txt"
    path.write_bytes(ARABIC.encode("cp1256"))
    assert read_text(path).text == ARABIC
    with pytest.raises(InputError, match="cannot read"):
        read_text(tmp_path / "missing.txt")
