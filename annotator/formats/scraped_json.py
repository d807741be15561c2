"""Scraped news as JSON (import only): a JSON array, or JSON Lines, of article objects.

Shaped like SaudiNewsNet::

    {"source": "aawsat", "url": "http://...", "date_extracted": "2015-07-23 19:28:17",
     "title": "...", "author": "", "content": "..."}

Content is the first non-empty string among ``content``, ``text``, ``body``, ``article``; the
title among ``title``, ``headline``; the date among ``date_extracted``, ``date``, ``published``.
The stored text is the content with line breaks normalised and blank lines at either end
dropped. The id is the ``url`` (a repeated url gets ``#2``, ``#3``... so ids stay unique), else
``<file stem>#<record number>``. ``meta`` keeps source, url, date and author when non-empty.
Records without content are skipped and reported to ``warn``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from annotator.formats.text_files import strip_blank_lines
from annotator.model import Document, normalize_newlines
from annotator.text.records import Warn, Where, describe, emit, iter_json_records, stem_of

CONTENT_KEYS = ("content", "text", "body", "article")
TITLE_KEYS = ("title", "headline")
DATE_KEYS = ("date_extracted", "date", "published")


def read_scraped(text: str, *, path_name: str, warn: Warn | None = None) -> Iterator[Document]:
    """Articles of a scraped-news JSON array or JSONL text."""
    used: dict[str, int] = {}
    for index, (line, record) in enumerate(iter_json_records(text, path_name), start=1):
        where = Where(path_name, line, describe(index, record, key="url"))
        content = strip_blank_lines(normalize_newlines(_first(record, CONTENT_KEYS, where)))
        if not content:
            emit(warn, f"{where.record}: skipped, no content", path_name, line)
            continue
        url = _first(record, ("url",), where)
        doc_id = url or f"{stem_of(path_name)}#{index}"
        used[doc_id] = used.get(doc_id, 0) + 1
        if used[doc_id] > 1:
            doc_id = f"{doc_id}#{used[doc_id]}"
        meta = {
            "source": _first(record, ("source",), where),
            "url": url,
            "date": _first(record, DATE_KEYS, where),
            "author": _first(record, ("author",), where),
        }
        title = normalize_newlines(_first(record, TITLE_KEYS, where)).strip()
        yield Document(
            doc_id=doc_id,
            text=content,
            title=" ".join(title.split("\n")),
            meta={k: v for k, v in meta.items() if v},
        )


def _first(record: Mapping[str, Any], keys: tuple[str, ...], where: Where) -> str:
    """The first non-blank string among ``keys``; a non-string value there is an error."""
    for key in keys:
        value = record.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            raise where.error(f"{key!r} must be a string, found {type(value).__name__}")
        if value.strip():
            return value
    return ""
