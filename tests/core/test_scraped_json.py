"""Scraped news JSON: key synonyms, ids from urls, skipped empties, and the real SaudiNewsNet."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.errors import InputError
from annotator.formats.scraped_json import read_scraped
from annotator.text.encoding import read_text


def test_reads_the_fixture(fixtures_dir: Path) -> None:
    path = fixtures_dir / "scraped_news.json"
    notes: list[str] = []
    docs = list(
        read_scraped(path.read_text(encoding="utf-8"), path_name="news.json", warn=notes.append)
    )
    assert [d.doc_id for d in docs] == [
        "http://example.org/news/1",
        "http://example.org/news/1#2",
        "news#3",
    ]
    first = docs[0]
    assert first.title == "افتتاح مكتبة جديدة في حلب"
    # Line breaks normalised, blank lines at the ends dropped, trailing spaces of a line kept.
    assert first.text == (
        "افتتحت البلدية صباح اليوم مكتبةً جديدة في حلب تضمّ ٥٠٠٠ كتاب.\n"
        "وقال المدير إن المكتبة ستفتح أبوابها يومياً.  "
    )
    assert first.meta == {
        "source": "example-daily",
        "url": "http://example.org/news/1",
        "date": "2020-01-02 10:00:00",
        "author": "سارة",
    }
    assert docs[2].title == "مباراة ودية"
    assert docs[2].text == "فاز الفريـــق المحلي 2-1 في مباراة ودية."
    assert docs[2].meta == {"source": "example-weekly", "date": "2020-01-03"}
    assert notes == ["news.json:23: record 4 (id 'http://example.org/news/3'): skipped, no content"]


def test_reads_jsonl_too() -> None:
    text = '{"text": "أ ب"}\n{"article": "ج د", "url": "u"}\n'
    assert [(d.doc_id, d.text) for d in read_scraped(text, path_name="s.jsonl")] == [
        ("s#1", "أ ب"),
        ("u", "ج د"),
    ]


def test_errors_name_the_line() -> None:
    with pytest.raises(InputError, match=r"^s\.json:3: record 2: 'content' must be a string"):
        list(read_scraped('[\n {"content": "أ"},\n {"content": 5}\n]', path_name="s.json"))
    with pytest.raises(InputError, match=r"^s\.json:2: invalid JSON"):
        list(read_scraped('[{"content": "أ"},\n {"content" "ب"}]', path_name="s.json"))
    with pytest.raises(InputError, match="empty file"):
        list(read_scraped("", path_name="s.json"))


def test_saudinewsnet_sample(shared_dir: Path) -> None:
    path = shared_dir / "corpora" / "saudinewsnet" / "sample_2015-07-23.json"
    decoded = read_text(path)
    docs = list(read_scraped(decoded.text, path_name=str(path)))
    records = json.loads(decoded.text)
    assert len(docs) == len(records) == 19
    assert [d.doc_id for d in docs] == [r["url"] for r in records]
    assert docs[0].title == "المالكي ونصيحة سعود الفيصل"
    assert docs[0].meta["source"] == "aawsat"
    assert docs[0].text.startswith("بهجومه غير المسبوق على السعودية")
    assert all("\r" not in d.text and d.text == d.text.strip("\n") for d in docs)
