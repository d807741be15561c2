"""Bytes to text for every importer: UTF-8, or the Windows-1256 still common in Arabic archives.

Policy, in order:

1. Empty input, or input that looks binary (a NUL byte, or mostly control bytes), is refused.
2. A byte-order mark decides: UTF-8 (stripped), UTF-16 LE/BE.
3. ``encoding="auto"``: strict UTF-8 first, since valid UTF-8 is almost never anything else.
   If the bytes are *mostly* UTF-8 (more well-formed multi-byte characters than stray bytes)
   the file is a damaged UTF-8 file, and guessing a code page would only hide the damage as
   mojibake: that is an error naming the first bad byte. Otherwise ``charset-normalizer``
   chooses among Arabic single-byte code pages (cp1256, ISO-8859-6), and the choice and its
   confidence are reported in :class:`Decoded`.
4. A forced encoding decodes strictly; the error names the byte offset and line of the first
   byte that does not decode. A forced encoding that decodes but is implausible is refused
   unless confirmed (``force``): a file that is valid UTF-8 with non-ASCII text read as a code
   page (that is always mojibake: ``دمشق`` becomes ``ط¯ظ…ط´ظ‚``), or a decoding that
   charset-normalizer's mess detector finds garbled (:data:`MESS_LIMIT`).

The text is returned exactly as decoded (no newline normalisation: readers do that, because
offset-carrying formats must map their offsets through it).
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from annotator.errors import InputError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CANDIDATES = ["cp1256", "iso8859_6"]
_TEXT_CONTROLS = frozenset(b"\t\n\r\f\v\x1a")  # \x1a: DOS end-of-file, seen in old archives
_SNIFF = 8192


@dataclass(frozen=True)
class Decoded:
    """Decoded text, the encoding used, how sure the choice is (0..1), and a note for humans.

    ``guessed`` is true when no BOM, no caller and no valid UTF-8 decided: the choice is
    charset-normalizer's, and worth showing to the user with its confidence.
    """

    text: str
    encoding: str
    confidence: float
    note: str = ""
    guessed: bool = False


def read_text(path: str | Path, *, encoding: str = "auto", force: bool = False) -> Decoded:
    """Read and decode a file (see :func:`decode_bytes`); an unreadable file is an InputError."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", str(path)) from None
    return decode_bytes(data, path_name=str(path), encoding=encoding, force=force)


def decode_bytes(
    data: bytes, *, path_name: str, encoding: str = "auto", force: bool = False
) -> Decoded:
    """Decode ``data``; ``encoding`` is ``"auto"`` or a codec name (``"utf-8"``, ``"cp1256"``).

    ``force`` confirms a given ``encoding`` even where it looks wrong (see the module's policy).

    >>> decode_bytes("دمشق".encode("cp1256"), path_name="a.txt", encoding="cp1256").text
    'دمشق'
    >>> decode_bytes(b"\\xef\\xbb\\xbfok", path_name="a.txt").encoding
    'utf-8'
    """
    if not data:
        raise InputError("empty file", path_name)
    if encoding != "auto":
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InputError(f"unknown encoding {encoding!r}", path_name) from None
    for bom, name in _BOMS:
        if data.startswith(bom):
            if encoding != "auto" and _family(encoding) != _family(name):
                message = f"the file starts with a {name} byte-order mark, not {encoding}"
                raise InputError(message, path_name, 1)
            return _strict(data[len(bom) :], name, path_name, note=f"{name} byte-order mark")
    _refuse_binary(data, path_name)
    if encoding != "auto":
        decoded = _strict(data, encoding, path_name, note="encoding given")
        if not force:
            _refuse_implausible(data, decoded, encoding, path_name)
        return decoded
    return _guess(data, path_name)


MESS_LIMIT = 0.2
"""charset-normalizer's own default limit: above it a decoding is "chaotic". Measured: Arabic
read right scores 0.0; cp1256 Arabic read as Latin-1 1.4; UTF-8 Arabic read as cp1256 1.6."""
_MESS_SAMPLE = 65536
_FORCE_HINT = "add --force-encoding to read it so anyway"


def _refuse_implausible(data: bytes, decoded: Decoded, encoding: str, path_name: str) -> None:
    """Refuse a given code page whose result is mojibake, unless the caller confirmed it.

    A UTF encoding that decoded strictly is right by construction: only code pages, which
    decode any byte at all, are judged.
    """
    if _family(encoding) in ("utf-8", "utf-16", "utf-32"):
        return
    if not data.isascii():
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            first = next(i for i, byte in enumerate(data) if byte > 0x7F)
            raise InputError(
                f"the file is valid UTF-8 with non-ASCII text; read as {decoded.encoding} it "
                f"would be stored as mojibake (e.g. {decoded.text[first:first + 8]!r}); drop "
                f"--encoding (auto reads it as UTF-8), or {_FORCE_HINT}",
                path_name, data.count(b"\n", 0, first) + 1,
            )
    from charset_normalizer.md import mess_ratio  # imported late: only forced encodings need it

    mess = mess_ratio(decoded.text[:_MESS_SAMPLE], maximum_threshold=1.0)
    if mess > MESS_LIMIT:
        raise InputError(
            f"read as {decoded.encoding} the text looks garbled (charset-normalizer mess "
            f"{mess:.2f} > {MESS_LIMIT}); try --encoding auto, or {_FORCE_HINT}",
            path_name,
        )


def _family(encoding: str) -> str:
    """``utf-8-sig`` is ``utf-8``, and ``utf-16-le`` is ``utf-16``, when a BOM is present."""
    name = codecs.lookup(encoding).name
    return name.removesuffix("-sig").removesuffix("-le").removesuffix("-be")


def _strict(data: bytes, encoding: str, path_name: str, *, note: str) -> Decoded:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise _bad_byte(data, exc.start, encoding, path_name) from None
    if not text:
        raise InputError("empty file", path_name)
    return Decoded(text, codecs.lookup(encoding).name, 1.0, note)


def _bad_byte(
    data: bytes, offset: int, encoding: str, path_name: str, hint: str = ""
) -> InputError:
    line = data.count(b"\n", 0, offset) + 1
    return InputError(
        f"byte 0x{data[offset]:02x} at byte offset {offset} is not valid {encoding}{hint}",
        path_name,
        line,
    )


def _refuse_binary(data: bytes, path_name: str) -> None:
    head = data[:_SNIFF]
    nul = head.find(b"\x00")
    if nul >= 0:
        raise InputError(f"binary file (NUL byte at byte offset {nul})", path_name)
    controls = sum(1 for b in head if b < 0x20 and b not in _TEXT_CONTROLS)
    if controls * 10 > len(head) * 3:
        raise InputError(
            f"binary file ({controls} control bytes in the first {len(head)})", path_name
        )


def _guess(data: bytes, path_name: str) -> Decoded:
    try:
        return Decoded(data.decode("utf-8"), "utf-8", 1.0, "valid UTF-8")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    if _mostly_utf8(data):
        hint = " (the rest of the file is UTF-8: repair the file, or force an encoding)"
        raise _bad_byte(data, first_bad, "UTF-8", path_name, hint)
    from charset_normalizer import from_bytes  # imported late: only legacy files need it

    best = from_bytes(data, cp_isolation=_CANDIDATES).best()
    if best is None:
        raise InputError("neither UTF-8 nor an Arabic code page (cp1256, ISO-8859-6)", path_name)
    name = codecs.lookup(best.encoding).name
    confidence = round(max(0.0, 1.0 - best.chaos), 3)
    note = f"not UTF-8; charset-normalizer chose {name} among {', '.join(_CANDIDATES)}"
    return Decoded(str(best), name, confidence, note, guessed=True)


def _mostly_utf8(data: bytes) -> bool:
    """More well-formed multi-byte UTF-8 characters than undecodable bytes.

    cp1256 Arabic rarely forms valid UTF-8 by accident (a letter byte 0xC1..0xDF followed by a
    0x80..0xBF byte, which cp1256 mostly spends on rare Persian letters and punctuation).
    """
    text = data.decode("utf-8", errors="surrogateescape")
    stray = sum(1 for ch in text if "\udc80" <= ch <= "\udcff")
    wide = sum(1 for ch in text if ord(ch) > 0x7F and not "\udc80" <= ch <= "\udcff")
    return wide > stray
