"""Bad input for the readers, as hypothesis strategies, and the one check every case must pass.

A case is a file (name + bytes) and read options. It goes through exactly what ``annotator
import`` does: :func:`annotator.reading.read_paths` into :func:`annotator.importing.
import_documents`. It must either import, or end in an :class:`AnnotatorError` with the
project unchanged. Any other exception is a bug (the user would see a traceback).

Shared by ``tests/core/test_reader_properties.py`` (a few hundred cases) and
``bench/bench_fuzz_readers.py`` (10,000+).
"""

from __future__ import annotations

import hashlib
import io
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from annotator.errors import AnnotatorError, InputError
from annotator.formats import conll, doccano, jsonl, labelstudio, prodigy
from annotator.importing import import_documents
from annotator.model import Document, make_span
from annotator.project import Project
from annotator.reading import ReadOptions, read_paths

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"

TEXT = "قال مرصد مينا إن صاروخاً سقط في دير الزور.\nوأفادت وكالة سبوتنيك 😀 بمقتل ثلاثة."
_DOCS = [
    Document(
        "d1",
        TEXT,
        "عنوان",
        (
            make_span(TEXT, len("قال "), len("قال مرصد مينا"), "SOURCE", "ali"),
            make_span(
                TEXT,
                len("قال مرصد مينا إن صاروخاً سقط في "),
                len("قال مرصد مينا إن صاروخاً سقط في دير الزور"),
                "LOCATION",
                "ali",
            ),
        ),
    ),
    Document(
        "d2",
        "نص ثان عن حلب.",
        "",
        (make_span("نص ثان عن حلب.", len("نص ثان عن "), len("نص ثان عن حلب"), "LOCATION"),),
    ),
]


def _written(writer: Callable[[list[Document], io.StringIO], Any]) -> bytes:
    buffer = io.StringIO()
    writer(_DOCS, buffer)
    return buffer.getvalue().encode("utf-8")


def _fixture(name: str) -> bytes:
    path = FIXTURES / name
    return path.read_bytes() if path.is_file() else b""


# Valid files of each format: the seeds that truncation and mutation start from.
VALID: dict[str, tuple[str, bytes]] = {
    "jsonl": ("news.jsonl", _written(jsonl.write_jsonl)),
    "doccano": ("doccano.jsonl", _written(doccano.write_doccano)),
    "prodigy": ("prodigy.jsonl", _written(prodigy.write_prodigy)),
    "labelstudio": ("tasks.json", _written(labelstudio.write_labelstudio)),
    "conll": ("news.conll", _written(lambda d, o: conll.write_conll(d, o))),
    "ant": ("ant.xml", _fixture("ant/JA-politic-2-20170121.txt")),
    "json": ("scraped.json", _fixture("scraped_news.json")),
}
VALID = {k: v for k, v in VALID.items() if v[1]}
SUFFIXES = (".txt", ".jsonl", ".json", ".conll", ".xml", ".tsv", "")
FORMATS = (
    "auto",
    "txt",
    "jsonl",
    "json",
    "conll",
    "doccano",
    "prodigy",
    "labelstudio",
    "ant",
    "hf",
)


@dataclass(frozen=True)
class Case:
    """One input file and how the user asked to read it."""

    kind: str
    name: str
    data: bytes
    format: str = "auto"
    encoding: str = "auto"
    new_labels: str = "error"
    expect_error: bool = False
    """True for input that must be refused: importing it at all is a bug."""


# --- strategies --------------------------------------------------------------------------------

_formats = st.sampled_from(FORMATS)
_encodings = st.sampled_from(("auto", "auto", "utf-8", "cp1256"))


@st.composite
def random_bytes(draw: st.DrawFn) -> Case:
    name = "random" + draw(st.sampled_from(SUFFIXES))
    return Case(
        "random bytes", name, draw(st.binary(max_size=400)), draw(_formats), draw(_encodings)
    )


@st.composite
def truncated(draw: st.DrawFn) -> Case:
    fmt = draw(st.sampled_from(sorted(VALID)))
    name, data = VALID[fmt]
    cut = draw(st.integers(0, len(data)))
    return Case("truncated", name, data[:cut], draw(st.sampled_from(("auto", fmt))))


@st.composite
def wrong_encoding(draw: st.DrawFn) -> Case:
    fmt = draw(st.sampled_from(sorted(VALID)))
    name, data = VALID[fmt]
    text = data.decode("utf-8")
    # Some Arabic text of the case's own, so the space of cases is not just formats x codecs.
    text += draw(st.text(st.characters(min_codepoint=0x600, max_codepoint=0x6FF), max_size=20))
    codec = draw(st.sampled_from(("cp1256", "utf-16-le", "utf-16", "iso8859_6", "latin-1")))
    encoded = text.encode(codec, errors="replace")
    told = draw(st.sampled_from(("auto", "utf-8", "cp1256", "latin-1")))
    return Case("wrong encoding", name, encoded, draw(st.sampled_from(("auto", fmt))), told)


@st.composite
def flipped_bytes(draw: st.DrawFn) -> Case:
    fmt = draw(st.sampled_from(sorted(VALID)))
    name, data = VALID[fmt]
    buffer = bytearray(data)
    for _ in range(draw(st.integers(1, 8))):
        if buffer:
            buffer[draw(st.integers(0, len(buffer) - 1))] = draw(st.integers(0, 255))
    return Case("flipped bytes", name, bytes(buffer), draw(st.sampled_from(("auto", fmt))))


_json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 200)
    | st.floats(allow_nan=True)
    | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=6,
)


@st.composite
def malformed_json_lines(draw: st.DrawFn) -> Case:
    """A JSON-family file with one line replaced: garbage, another JSON value, or a bad field."""
    fmt = draw(
        st.sampled_from([f for f in ("jsonl", "doccano", "prodigy", "labelstudio") if f in VALID])
    )
    name, data = VALID[fmt]
    lines = data.decode("utf-8").split("\n")
    index = draw(st.integers(0, max(0, len(lines) - 2)))
    how = draw(st.sampled_from(("garbage", "value", "field", "span")))
    if how == "garbage":
        lines[index] = draw(st.text(max_size=40))
    elif how == "value":
        lines[index] = json.dumps(draw(_json_values))
    else:
        try:
            record = json.loads(lines[index])
        except json.JSONDecodeError:
            record = {}
        _mutate_record(draw, record, spans_only=how == "span")
        lines[index] = json.dumps(record, ensure_ascii=False, allow_nan=True)
    return Case(
        "malformed json",
        name,
        "\n".join(lines).encode("utf-8"),
        draw(st.sampled_from(("auto", fmt))),
        new_labels=draw(st.sampled_from(("error", "add"))),
    )


def _mutate_record(draw: st.DrawFn, record: Any, *, spans_only: bool) -> None:
    """Replace a value somewhere in ``record``: offsets out of range, reversed, wrong types."""
    target = record
    for key in ("spans", "entities", "label", "annotations"):
        if isinstance(target, dict) and isinstance(target.get(key), list) and target[key]:
            target = target[key][draw(st.integers(0, len(target[key]) - 1))]
            break
    if spans_only and isinstance(target, dict):
        keys = [k for k in ("start", "end", "token_start", "token_end") if k in target] or ["start"]
        key = draw(st.sampled_from(keys))
        target[key] = draw(st.sampled_from((-1, 0, 10**6, "3", None, 2.5)) | st.integers(-3, 120))
        if draw(st.booleans()) and "start" in target and "end" in target:
            target["start"], target["end"] = target["end"], target["start"]  # reversed
    elif isinstance(target, dict) and target:
        target[draw(st.sampled_from(sorted(target)))] = draw(_json_values)
    elif isinstance(target, list) and target:
        target[draw(st.integers(0, len(target) - 1))] = draw(_json_values)


_TAGS = (
    "O",
    "B-LOC",
    "I-LOC",
    "E-LOC",
    "S-LOC",
    "L-PER",
    "U-PER",
    "B-",
    "I-",
    "X-LOC",
    "B-loc",
    "B-LOC-",
    "I-PER",
    "b-LOC",
    "-",
    "BI-LOC",
    "B-LOC EXTRA",
    "O O",
    "",
)
_TOKENS = ("دمشق", "في", "قال", "-DOCSTART-", ".", "٢٠١٩", "😀", "a\u200fb", " ", "")


@st.composite
def broken_conll(draw: st.DrawFn) -> Case:
    """CoNLL lines with bad tags, missing or extra columns, stray blank lines and separators."""
    lines = []
    for _ in range(draw(st.integers(0, 25))):
        if draw(st.integers(0, 6)) == 0:
            lines.append(draw(st.sampled_from(("", " ", "\t", "-DOCSTART- O", "#comment"))))
            continue
        token = draw(st.sampled_from(_TOKENS) | st.text(min_size=1, max_size=5))
        sep = draw(st.sampled_from(("\t", " ", "  ", "\t\t")))
        tag = draw(st.sampled_from(_TAGS))
        lines.append(f"{token}{sep}{tag}")
    newline = draw(st.sampled_from(("\n", "\r\n", "\r")))
    return Case(
        "broken conll",
        "broken.conll",
        newline.join(lines).encode("utf-8"),
        draw(st.sampled_from(("auto", "conll"))),
        new_labels=draw(st.sampled_from(("error", "add"))),
    )


_JSON_FORMATS = ("jsonl", "doccano", "prodigy", "labelstudio", "json")


@st.composite
def broken_first_record(draw: st.DrawFn) -> Case:
    """A JSON-family file whose FIRST record is broken: cut short, garbage that starts like
    JSON, or valid JSON that is not an article object. Must be refused (it used to import,
    exit 0, as one text article holding the raw JSON)."""
    fmt = draw(st.sampled_from([f for f in _JSON_FORMATS if f in VALID]))
    name, data = VALID[fmt]
    text = data.decode("utf-8")
    start = len(text) - len(text.lstrip())
    if text[start:].startswith("[\n"):  # a JSON array: its first element is on the next line
        start += 2
    first_end = text.find("\n", start)
    first = text[start:] if first_end < 0 else text[start:first_end]
    how = draw(st.sampled_from(("cut", "garbage", "scalar", "blank lines")))
    if len(first) < 2 and how in ("cut", "blank lines"):  # a pretty-printed record's "{"
        how = "scalar"
    if how == "cut":
        broken = first[: draw(st.integers(1, max(1, len(first) - 1)))]
    elif how == "garbage":
        printable = st.characters(whitelist_categories=("L", "N", "P"))  # no space: "{ " may still parse
        broken = "{" + draw(st.text(printable, min_size=1, max_size=30)).replace("}", "").replace("{", "")
        if broken == first:
            broken = "{,"
    elif how == "scalar":
        broken = json.dumps(draw(st.none() | st.booleans() | st.integers() | st.text(max_size=10)))
    else:
        broken = "\n" * draw(st.integers(1, 3)) + first[: max(1, len(first) // 2)]
    rest = "" if first_end < 0 else text[first_end:]
    broken = text[:start] + broken
    suffix = draw(st.sampled_from((".jsonl", ".json", ".ndjson")))
    return Case("broken first record", "first" + suffix, (broken + rest).encode("utf-8"),
                draw(st.sampled_from(("auto", fmt))), expect_error=True)


@st.composite
def deep_nesting(draw: st.DrawFn) -> Case:
    """JSON nested past what a recursive parser can follow (10,000 to 100,000 levels), at the
    top or inside a record's field, closed or not. Must be a clear InputError, not a
    RecursionError traceback. (Not fewer: hypothesis raises the recursion limit by 2,000 while
    it runs a test, so 1,100 levels, refused in a real run, may decode here.)"""
    depth = draw(st.integers(10_000, 100_000))
    opener = draw(st.sampled_from(("[", '{"a": ', '[{"b": ')))
    closer = {"[": "]", '{"a": ': "}", '[{"b": ': "}]"}[opener]
    body = opener * depth + ("0" + closer * depth if draw(st.booleans()) else "")
    where = draw(st.sampled_from(("top", "field", "second line")))
    if where == "field":
        body = '{"text": "نص", "meta": ' + body + "}"
    elif where == "second line":
        body = '{"id": "a1", "text": "نص"}\n' + body
    fmt = draw(st.sampled_from(("auto",) + tuple(f for f in _JSON_FORMATS if f in VALID) + ("hf",)))
    suffix = draw(st.sampled_from((".jsonl", ".json")))
    return Case("deep nesting", "deep" + suffix, body.encode("utf-8"), fmt, expect_error=True)


KINDS = {
    "broken first record": broken_first_record(),
    "deep nesting": deep_nesting(),
    "random bytes": random_bytes(),
    "truncated": truncated(),
    "wrong encoding": wrong_encoding(),
    "flipped bytes": flipped_bytes(),
    "malformed json": malformed_json_lines(),
    "broken conll": broken_conll(),
}
CASES = st.one_of(*KINDS.values())


# --- the check ---------------------------------------------------------------------------------


def fingerprint(project: Project) -> tuple[Any, ...]:
    """Row counts of every table plus a hash of the small ones that imports may update in place."""
    db = project.store.db
    names = [
        r[0]
        for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1"
        )
    ]
    counts = tuple(
        (name, db.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]) for name in names
    )
    small = hashlib.sha256()
    for table in ("project_meta", "label_schemas"):
        for row in db.execute(f"SELECT * FROM {table} ORDER BY 1"):
            small.update(repr(row).encode())
    return counts, small.hexdigest()


@dataclass
class Tally:
    """Outcomes over many cases, for the bench's figures."""

    imported: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    located: int = 0
    with_line: int = 0
    by_kind: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return self.imported + sum(self.errors.values())


def run_case(
    project: Project, folder: Path, case: Case, tally: Tally | None = None
) -> AnnotatorError | None:
    """Import ``case`` as the CLI would; return the error, or None if it imported.

    Raises AssertionError when the project changed on error, and lets any non-project exception
    propagate (that is the bug being looked for).
    """
    path = folder / case.name
    path.write_bytes(case.data)
    before = fingerprint(project)
    error: AnnotatorError | None = None
    try:
        documents = read_paths([path], ReadOptions(format=case.format, encoding=case.encoding))
        import_documents(project, documents, new_labels=case.new_labels)
    except AnnotatorError as exc:
        error = exc
        after = fingerprint(project)
        assert after == before, (
            f"{case.kind}: the project changed although the import failed: {exc}"
        )
        if isinstance(exc, InputError) and exc.path is not None:
            assert Path(exc.path).name == case.name or case.name in str(exc), str(exc)
    finally:
        path.unlink()
    if case.expect_error and error is None:
        raise AssertionError(f"{case.kind}: {case.name} was imported; it must be refused")
    if case.expect_error and isinstance(error, InputError):
        assert error.line is not None, f"{case.kind}: no line in {error}"
    if tally is not None:
        tally.by_kind[case.kind] += 1
        if error is None:
            tally.imported += 1
        else:
            tally.errors[type(error).__name__] += 1
            if isinstance(error, InputError) and error.path:
                tally.located += 1
                tally.with_line += error.line is not None
    return error
