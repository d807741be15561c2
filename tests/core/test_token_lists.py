"""The list forms of tokens that exports and agreement run on give what the Token forms give.

``token_bounds`` is ``tokenize`` as three lists; ``sentence_starts`` visits only line breaks and
end marks; ``align_document`` keeps tokens as lists and finds offsets by bisect. Each is pinned
against the straightforward per-token definition or an exact output.
"""

from __future__ import annotations

import io
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.errors import InputError
from annotator.formats.conll import write_conll
from annotator.model import Document, Token, make_span
from annotator.text.token_lists import align_document
from annotator.text.tokenize import (
    _CLOSERS,
    _ENDS,
    _LINE_BREAKS,
    ABBREVIATIONS,
    sentence_starts,
    sentences,
    token_bounds,
    tokenize,
)

SAMPLES = [
    "",
    "   ",
    "😀 أفادت وكالة “سبوتنيك” بأن قصفاً صاروخيّاً استهدف حقل العمر\nفي سوريـا يوم ٢٠١٩ عبر GPS.",
    "عاش في القرن 3 ق.م في دمشق. ثم رحل!؟ «قال»… http://x.y/z. د. محمد 2015م.",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_token_bounds_are_tokenize_as_lists(text: str) -> None:
    tokens = tokenize(text)
    assert token_bounds(text) == (
        [t.text for t in tokens],
        [t.start for t in tokens],
        [t.end for t in tokens],
    )


def _reference_sentences(text: str) -> list[list[Token]]:
    """The per-token definition of ``sentences`` (one state machine step per token)."""
    tokens = tokenize(text)
    out: list[list[Token]] = []
    current: list[Token] = []
    ended = False
    for i, tok in enumerate(tokens):
        if current:
            gap = text[current[-1].end : tok.start]
            continues = not gap and (
                tok.text in _CLOSERS or tok.text in _ENDS or set(tok.text) == {"."}
            )
            if _LINE_BREAKS.search(gap) or (ended and not continues):
                out.append(current)
                current, ended = [], False
        current.append(tok)
        if not ended and _reference_is_end(tokens, i):
            ended = True
    return out + [current] if current else out


def _reference_is_end(tokens: list[Token], i: int) -> bool:
    tok = tokens[i]
    if tok.text not in _ENDS and set(tok.text) != {"."}:
        return False
    if tok.text != "." or i == 0 or tokens[i - 1].end != tok.start:
        return True
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    if nxt is not None and nxt.start == tok.end and nxt.text not in _CLOSERS:
        return False
    prev = tokens[i - 1].text
    if len(prev) == 1 and "A" <= prev <= "Z":
        return False
    if prev in ABBREVIATIONS:
        if prev not in {"م", "هـ", "ه"} or i < 2:
            return False
        before = tokens[i - 2]
        return before.text[:1].isdigit() or (
            before.text == "." and i >= 3 and tokens[i - 3].text == "ق"
            and tokens[i - 3].end == before.start and before.end == tokens[i - 1].start
        )  # fmt: skip
    return True


_PIECES = [
    ".", "..", "…", "?", "؟", "!", ")", "»", "”", '"', " ", "\n", "\r\n", "\u2028", "\x0b",
    "د", "م", "هـ", "ق", "J", "x", "دمشق", "2015", "3.5", "،", "«", "\u00a0", "http://a.b/c.",
]  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30).map("".join))
def test_sentences_equal_the_per_token_definition(text: str) -> None:
    assert sentences(text) == _reference_sentences(text)


def test_sentence_starts_of_no_tokens_is_empty() -> None:
    assert sentence_starts("  ", [], [], []) == []


def _write(docs: list[Document], **kw: object) -> tuple[str, object]:
    buffer = io.StringIO()
    report = write_conll(docs, buffer, **kw)  # type: ignore[arg-type]
    return buffer.getvalue(), report


def test_a_split_token_after_a_merge_keeps_later_sentences_in_place() -> None:
    text = "زار علي. ثم دمشق. والقاهرة اليوم."
    person = make_span(text, len("زار "), len("زار علي. ثم"), "PER")  # crosses a sentence end
    place = make_span(text, len("زار علي. ثم دمشق. و"), len("زار علي. ثم دمشق. والقاهرة"), "LOC")
    out, report = _write([Document("d", text, spans=(person, place))])
    assert out == (
        "-DOCSTART- -X- O O\n\nزار\tO\nعلي\tB-PER\n.\tI-PER\nثم\tI-PER\nدمشق\tO\n.\tO\n\n"
        "و\tO\nالقاهرة\tB-LOC\nاليوم\tO\n.\tO\n\n"
    )
    assert (report.split_tokens, report.merged_sentences, report.tokens) == (1, 1, 10)


def _by_space(text: str) -> list[Token]:
    return [Token(m.group(), m.start(), m.end()) for m in re.finditer(r"\S+", text)]


def _pairs(text: str, tokens: list[Token]) -> list[list[Token]]:
    return [tokens[i : i + 2] for i in range(0, len(tokens), 2)]


def test_a_custom_tokenizer_and_splitter_get_and_give_tokens() -> None:
    text = "قال علي: والقاهرة بعيدة جدا"
    place = make_span(text, len("قال علي: و"), len(text), "LOC")  # pairs 2 and 3 merge
    out, report = _write(
        [Document("d", text, spans=(place,))], tokenize=_by_space, sentences=_pairs
    )
    assert out == (
        "-DOCSTART- -X- O O\n\nقال\tO\nعلي:\tO\n\nو\tO\nالقاهرة\tB-LOC\nبعيدة\tI-LOC\nجدا\tI-LOC\n\n"
    )
    assert (report.split_tokens, report.merged_sentences, report.sentences) == (1, 1, 2)
    aligned = align_document(
        Document("d", text, spans=(place,)), tokenize=_by_space, sentences=_pairs
    )
    assert aligned.sentences[1].tokens[1] == Token(
        "القاهرة", len("قال علي: و"), len("قال علي: والقاهرة")
    )


@pytest.mark.parametrize(
    ("text", "token"),
    [(" a", [0, 2]), ("a ", [0, 2]), ("-DOCSTART-", [0, len("-DOCSTART-")]), ("a\rb", [0, 3])],
)
def test_a_token_the_reader_would_change_is_refused(text: str, token: list[int]) -> None:
    doc = Document("d", text, meta={"tokens": [token], "sentences": [token]})
    with pytest.raises(InputError, match="cannot be written"):
        _write([doc])


def test_a_separator_lookalike_inside_a_token_is_not_refused() -> None:
    text = "a\x1f b"  # the check's own separator followed by a space, inside one token
    doc = Document("d", text, meta={"tokens": [[0, 4]], "sentences": [[0, 4]]})
    assert _write([doc])[0] == "-DOCSTART- -X- O O\n\na\x1f b\tO\n\n"
