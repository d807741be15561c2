"""The import's fast paths keep its meaning: batched spans, one stamp, faster search keys.

``import_documents`` inserts each article's spans with one ``executemany`` (duplicates decided
by the unique index), stamps every row of one import with one time, and enlarges the search
index's in-memory buffer; ``search_key`` translates through a list table over the BMP. Each
test pins what the slower, obvious code did.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.importing import import_documents
from annotator.model import Document, make_span
from annotator.text.normalize import _CHAR_KEY, normalize_with_map, search_key

TEXT = "قال مرصد مينا إن صاروخاً سقط في دير الزور."


def test_a_span_given_twice_in_one_document_is_stored_once(project) -> None:
    span = make_span(TEXT, len("قال "), len("قال مرصد مينا"), "SOURCE", "ali")
    other = make_span(
        TEXT, len("قال مرصد مينا إن صاروخاً سقط في "), len(TEXT) - 1, "LOCATION", "ali"
    )
    report = import_documents(project, [Document("d1", TEXT, spans=(span, other, span))])
    assert (report.spans_added, report.spans_existing) == (2, 1)
    assert [s.key for s in project.store.spans(1)] == [span.key, other.key]


def test_reimport_counts_every_span_as_existing_and_adds_none(project) -> None:
    spans = (
        make_span(TEXT, 0, len("قال"), "SOURCE", "ali"),
        make_span(TEXT, 0, len("قال"), "SOURCE", "mona"),  # same range, another layer
    )
    import_documents(project, [Document("d1", TEXT, spans=spans)])
    again = import_documents(project, [Document("d1", TEXT, spans=spans)])
    assert (again.spans_added, again.spans_existing, again.articles_existing) == (0, 2, 1)
    assert project.store.count("spans") == 2


def test_one_import_stamps_its_articles_and_spans_with_one_time(project) -> None:
    docs = [
        Document(f"d{n}", f"{TEXT} {n}", spans=(make_span(TEXT, 0, len("قال"), "SOURCE"),))
        for n in range(3)
    ]
    import_documents(project, docs)
    stamps = {r[0] for r in project.store.db.execute("SELECT imported_at FROM articles")}
    stamps |= {r[0] for r in project.store.db.execute("SELECT created_at FROM spans")}
    stamps |= {r[0] for r in project.store.db.execute("SELECT updated_at FROM spans")}
    assert len(stamps) == 1 and next(iter(stamps)).endswith("+00:00")


def test_search_finds_folded_substrings_after_a_bulk_import(project) -> None:
    texts = ["أفادت وكالة الأنباء بأنّ القصف استهدف المدينة", "نص آخر عن الطقس", "إلى دمشقَ"]
    import_documents(project, [Document(f"d{n}", t, "عنوان") for n, t in enumerate(texts)])
    session = project.session("mona")
    assert session.queue_count(search="افادت") == 1  # alef folded
    assert session.queue_count(search="المدينه") == 1  # ta marbuta folded
    assert session.queue_count(search="الي دمشق") == 1  # alef maqsura, diacritic dropped
    assert session.queue_count(search="نباء") == 1  # a substring inside a word
    assert session.queue_count(search="غائب") == 0


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("😀 دمشق", "😀 دمشق"),  # an emoji is kept
        ("🏴\U000e0067\U000e0062\U000e007f علم", "🏴 علم"),  # its tag characters are dropped
        ("أ\U000110bdب", "اب"),  # a format character past the BMP is dropped
        ("مدرسة  \u00a0كبيرة", "مدرسه كبيره"),  # a run of spaces becomes one
        ("مسي\u0654ول", "مسئول"),  # a decomposed hamza seat is recomposed, not folded
    ],
)
def test_search_key_past_the_bmp_and_its_shortcuts(text: str, key: str) -> None:
    assert search_key(text) == key


def _reference_key(text: str) -> str:
    """The per-character fold of the module's definition (what the old dict table did)."""
    return normalize_with_map(text)[0]


_ASTRAL = ["😀", "\U000e0067", "\U000110bd", "\U0001d173", "\U00020000", "\U0001343f"]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(sorted(_CHAR_KEY) + _ASTRAL + list(" دمشقaZ"))))
def test_search_key_equals_the_per_character_fold(text: str) -> None:
    assert search_key(text) == _reference_key(text)
