"""Round trips as properties: JSONL keeps every span, CoNLL every entity at token level, and
UTF-16 <-> code point conversion is a bijection on valid boundaries."""

from __future__ import annotations

import io
import tempfile
import unicodedata
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from annotator.exporting import ExportOptions, export_project
from annotator.formats import conll, jsonl
from annotator.importing import import_documents
from annotator.model import Document, Span, make_span
from annotator.project import Project
from annotator.reading import ReadOptions, read_paths
from annotator.text.offsets import Utf16Map, utf16_len
from annotator.text.tokenize import tokenize

_SETTINGS = settings(
    max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)

# Arabic letters, diacritics, tatweel, both digit sets, Latin, Arabic and Latin punctuation,
# spaces, line breaks, NBSP, RLM and astral characters (emoji, a CJK extension B ideograph).
ALPHABET = (
    "ابتثجحخدذرسشصضطظعغفقكلمنهويءآأإؤئةى"
    "\u064b\u064e\u064f\u0650\u0651\u0652"
    "ـ"
    "0123456789٠١٢٣٤٥٦٧٨٩"
    "abcXYZ"
    "،؛؟.!:-«»()\"'%"
    "  \n\u00a0\u200f"
    "😀🇸𠀀"
)
LABELS = ("LOCATION", "PERSON", "SOURCE", "WEAPON")
texts = st.text(alphabet=ALPHABET, min_size=1, max_size=120)


@st.composite
def documents(draw: st.DrawFn, *, project_safe: bool = False) -> Document:
    """A text and any valid spans over it (overlapping, nested, several annotators)."""
    text = draw(texts)
    if project_safe:
        assume(text.strip())
    spans: dict[tuple[int, int, str, str], Span] = {}
    for _ in range(draw(st.integers(0, 8))):
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        label, who = draw(st.sampled_from(LABELS)), draw(st.sampled_from(("ali", "mona")))
        spans[(start, end, label, who)] = make_span(text, start, end, label, who)
    return Document(
        draw(st.sampled_from(("d1", "خبر-١", "a b"))), text, draw(texts), tuple(spans.values())
    )


def _span_set(spans: tuple[Span, ...] | list[Span]) -> Counter[tuple[int, int, str, str, str]]:
    return Counter((s.start, s.end, s.label, s.text, s.annotator) for s in spans)


# --- JSONL ------------------------------------------------------------------------------------


@_SETTINGS
@given(doc=documents())
def test_jsonl_write_read_keeps_everything(doc: Document) -> None:
    buffer = io.StringIO()
    jsonl.write_jsonl([doc], buffer)
    (back,) = jsonl.read_jsonl(buffer.getvalue(), path_name="x.jsonl")
    assert (back.doc_id, back.text, back.title) == (doc.doc_id, doc.text, doc.title)
    assert _span_set(back.spans) == _span_set(doc.spans)
    again = io.StringIO()
    jsonl.write_jsonl([back], again)
    assert again.getvalue() == buffer.getvalue()  # byte-stable


def _round_trip(docs: list[Document], source: str) -> tuple[dict[str, Counter], dict[str, Counter]]:
    """import -> export_project(jsonl, source) -> read_paths -> import into a new project."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        with Project.create(root / "a.db") as first:
            import_documents(first, docs)
            export_project(first, root / "out.jsonl", ExportOptions(format="jsonl", source=source))
            layers = None if source == "all" else [source]
            expected = {
                a.doc_id: _span_set(first.store.spans(a.id, layers))
                for a in first.store.iter_articles()
            }
        with Project.create(root / "b.db") as second:
            import_documents(second, read_paths([root / "out.jsonl"], ReadOptions()))
            got = {
                a.doc_id: _span_set(second.store.spans(a.id)) for a in second.store.iter_articles()
            }
    return got, {k: v for k, v in expected.items() if v or source == "all"}


@settings(
    max_examples=12, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(docs=st.lists(documents(project_safe=True), min_size=1, max_size=3))
def test_project_jsonl_export_then_import_gives_the_same_spans(docs: list[Document]) -> None:
    """Through the store, one annotator's layer at a time: exactly the same spans come back."""
    docs = [Document(f"doc{i}", d.text + f" {i}", d.title, d.spans) for i, d in enumerate(docs)]
    for layer in sorted({s.annotator for d in docs for s in d.spans}):
        got, expected = _round_trip(docs, layer)
        assert got == expected
        assert sum(map(len, got.values())) == sum(
            s.annotator == layer for d in docs for s in d.spans
        )


def test_jsonl_export_of_all_layers_keeps_agreeing_annotators() -> None:
    text = "زار علي دمشق"
    span = make_span(text, len("زار علي "), len(text), "LOCATION")
    doc = Document("d", text, "", (span.with_annotator("ali"), span.with_annotator("mona")))
    got, expected = _round_trip([doc], "all")
    assert got == expected == {"d": _span_set(doc.spans)}


# --- CoNLL ------------------------------------------------------------------------------------


def _squeeze(text: str) -> str:
    """Text without whitespace and invisible format marks (RLM, ZWJ): CoNLL keeps tokens, not
    the spaces between them, and the tokenizer treats the marks as separators."""
    return "".join(ch for ch in "".join(text.split()) if unicodedata.category(ch) != "Cf")


@_SETTINGS
@given(doc=documents())
def test_conll_keeps_every_entity_it_does_not_report_dropped(doc: Document) -> None:
    """Any spans: what comes back is each undropped span's tokens, and nothing else."""
    buffer = io.StringIO()
    report = conll.write_conll([doc], buffer)
    back = list(conll.read_conll(buffer.getvalue().split("\n"), path_name="x.conll"))
    read_spans = [s for d in back for s in d.spans]
    # A tag sequence holds one label per token range: annotators' copies, and spans that coincide
    # once trimmed to their tokens, are one entity. Drops name a span before or after trimming.
    written = {t.original.key: t.written for t in report.trimmed}
    dropped = {(d.start, d.end, d.label) for d in report.dropped}
    given_keys = {s.key for s in doc.spans} | {w.key for w in written.values()}
    assert dropped <= given_keys  # nothing reported that we did not give
    unique = {}
    for span in doc.spans:
        effective = written.get(span.key, span)
        if span.key not in dropped and effective.key not in dropped:
            unique[effective.key] = effective
    kept = Counter((span.label, _squeeze(span.text)) for span in unique.values())
    assert Counter((s.label, _squeeze(s.text)) for s in read_spans) == kept
    assert _squeeze("".join(d.text for d in back)) == _squeeze(doc.text)


@st.composite
def token_aligned(draw: st.DrawFn) -> tuple[Document, list[tuple[str, list[str]]]]:
    """Non-overlapping spans on token boundaries: the case CoNLL can hold without loss."""
    text = draw(texts)
    tokens = tokenize(text)
    assume(tokens)
    spans, expected, i = [], [], 0
    while i < len(tokens):
        width = draw(st.integers(0, 3))
        if width and i + width <= len(tokens):
            label = draw(st.sampled_from(LABELS))
            covered = tokens[i : i + width]
            spans.append(make_span(text, covered[0].start, covered[-1].end, label))
            expected.append((label, [t.text for t in covered]))
            i += width
        else:
            i += 1
    return Document("d", text, "", tuple(spans)), expected


@_SETTINGS
@given(case=token_aligned(), scheme=st.sampled_from(("iob2", "bioes")))
def test_conll_token_aligned_entities_round_trip_exactly(
    case: tuple[Document, list[tuple[str, list[str]]]], scheme: str
) -> None:
    doc, expected = case
    buffer = io.StringIO()
    report = conll.write_conll([doc], buffer, scheme=scheme)
    assert (report.dropped, report.split_tokens) == ([], 0)
    (back,) = conll.read_conll(buffer.getvalue().split("\n"), path_name="x.conll")
    assert [(s.label, s.text.split(" ")) for s in back.spans] == expected
    again = io.StringIO()
    conll.write_conll([back], again, scheme=scheme)
    assert again.getvalue() == buffer.getvalue()  # read -> write reproduces the file exactly


# --- UTF-16 <-> code points -------------------------------------------------------------------


@settings(max_examples=300, deadline=None, derandomize=True)
@given(text=st.text(alphabet=ALPHABET, max_size=60) | st.text(max_size=60))
def test_utf16_map_is_a_bijection_on_boundaries(text: str) -> None:
    m = Utf16Map(text)
    # Independent reference: the length of the UTF-16 encoding of each prefix.
    reference = [len(text[:cp].encode("utf-16-le")) // 2 for cp in range(len(text) + 1)]
    assert [m.to_utf16(cp) for cp in range(len(text) + 1)] == reference
    assert utf16_len(text) == reference[-1]
    boundaries = set(reference)
    for position in range(reference[-1] + 1):
        cp = m.to_code_point(position)
        if position in boundaries:
            assert m.is_utf16_boundary(position)
            assert reference[cp] == position  # inverse on boundaries
            assert m.to_code_point(position, round_up=True) == cp
        else:  # inside a surrogate pair: round down to the character, or up past it
            assert not m.is_utf16_boundary(position)
            assert reference[cp] == position - 1
            assert m.to_code_point(position, round_up=True) == cp + 1
