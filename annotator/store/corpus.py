"""Articles and spans: rows in, model objects out."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from annotator.errors import ProjectError
from annotator.model import Article, Span
from annotator.store.connection import now


class CorpusStore:
    """Mixed into :class:`annotator.store.Store`; uses its ``db`` connection."""

    db: Any

    # --- articles ----------------------------------------------------------------------------

    def article_id_by_hash(self, content_hash: str) -> int | None:
        """The article whose text has this hash (imports skip a text already stored)."""
        row = self.db.execute(
            "SELECT id FROM articles WHERE content_hash = ?", [content_hash]
        ).fetchone()
        return row[0] if row else None

    def doc_id_taken(self, doc_id: str) -> bool:
        """Whether an article already uses ``doc_id`` (they are unique)."""
        return self.db.execute("SELECT 1 FROM articles WHERE doc_id = ?", [doc_id]).fetchone() is not None

    def insert_article(
        self, *, doc_id: str, title: str, text: str, meta: dict[str, Any], content_hash: str,
        source_path: str, title_key: str, text_key: str, imported_at: str | None = None,
    ) -> int:
        """Add an article and its search keys; returns its id. ``text`` never changes later.

        Keyword-only: nine arguments, five of them strings, are too easy to pass in the wrong
        order. ``imported_at`` (default: now): an import passes one stamp for all its articles.
        """
        # Plain INSERTs (here and in insert_span): sqlite-utils' Table.insert costs a table
        # lookup, a SAVEPOINT and query building per row, ~2.5x the whole import at scale.
        article_id = self.db.execute(
            "INSERT INTO articles (doc_id, title, text, meta, content_hash, source_path,"
            " imported_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [doc_id, title, text, json.dumps(meta, ensure_ascii=False, default=str),
             content_hash, source_path, imported_at or now()],
        ).lastrowid
        self.db.execute(
            "INSERT INTO article_search(rowid, title_key, text_key) VALUES (?, ?, ?)",
            [article_id, title_key, text_key],
        )
        return int(article_id)

    def prepare_bulk_insert(self) -> None:
        """Let the search index gather 16 MB of trigrams in memory before it writes a segment.

        FTS5's ``hashsize`` (default 1 MB) is kept in the index's own config table; a larger one
        writes fewer, larger segments: ~15 % less indexing time in an import (5,000 articles,
        0.70 -> 0.57 s), for up to 16 MB more memory while an import runs. A single article
        (the desk) never fills 1 MB, so nothing else changes.
        """
        self.db.execute(
            "INSERT INTO article_search(article_search, rank) VALUES ('hashsize', ?)",
            [16 * 1024 * 1024],
        )

    def article(self, article_id: int) -> Article:
        """The article with this id (ProjectError when there is none)."""
        row = self.db.execute(
            "SELECT id, doc_id, title, text, meta, content_hash FROM articles WHERE id = ?",
            [article_id],
        ).fetchone()
        if row is None:
            raise ProjectError(f"no article with id {article_id}")
        return _article(row)

    def article_id_by_doc_id(self, doc_id: str) -> int | None:
        """The article with this document id, or None."""
        row = self.db.execute("SELECT id FROM articles WHERE doc_id = ?", [doc_id]).fetchone()
        return row[0] if row else None

    def iter_articles(self, ids: Sequence[int] | None = None) -> Iterator[Article]:
        """Articles in id order, streamed (never all in memory)."""
        sql = "SELECT id, doc_id, title, text, meta, content_hash FROM articles"
        if ids is not None:
            for article_id in ids:
                yield self.article(article_id)
            return
        for row in self.db.execute(sql + " ORDER BY id"):
            yield _article(row)

    def count(self, table: str) -> int:
        """How many rows ``table`` holds (``"articles"``, ``"spans"``)."""
        return self.db[table].count

    # --- spans -------------------------------------------------------------------------------

    def insert_span(self, article_id: int, span: Span) -> Span:
        """Store ``span`` in its annotator's layer; returns it with its new id."""
        saved = self._insert_span(article_id, span, "")
        assert saved is not None  # a duplicate raised (the unique index)
        return saved

    def insert_new_span(self, article_id: int, span: Span) -> Span | None:
        """Store ``span`` unless its layer holds the same ``(start, end, label)`` (the unique
        index decides, as for :meth:`insert_spans`); returns it with its id, or None."""
        return self._insert_span(article_id, span, " ON CONFLICT DO NOTHING")

    def _insert_span(self, article_id: int, span: Span, on_conflict: str) -> Span | None:
        stamp = now()
        cursor = self.db.execute(
            'INSERT INTO spans (article_id, start, "end", label, text, annotator, provenance,'
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)" + on_conflict,
            [article_id, span.start, span.end, span.label, span.text, span.annotator,
             span.provenance, stamp, stamp],
        )
        if not cursor.rowcount:
            return None
        return Span(span.start, span.end, span.label, span.text, span.annotator,
                    int(cursor.lastrowid), span.provenance)

    def insert_spans(self, article_id: int, spans: Sequence[Span], stamp: str) -> int:
        """Insert the spans of one article that its layers do not hold yet; returns how many.

        For imports: one ``executemany`` per article instead of a duplicate check and an insert
        per span. The unique index (article, annotator, start, end, label) decides what is a
        duplicate, also within ``spans``. ``ON CONFLICT DO NOTHING`` skips only such duplicates
        (unlike ``OR IGNORE``, which would also drop a row breaking NOT NULL).
        """
        if not spans:
            return 0
        cursor = self.db.conn.executemany(
            'INSERT INTO spans (article_id, start, "end", label, text, annotator, provenance,'
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            [(article_id, s.start, s.end, s.label, s.text, s.annotator, s.provenance, stamp, stamp)
             for s in spans],
        )
        return int(cursor.rowcount)

    def span_exists(self, article_id: int, span: Span) -> int | None:
        """The id of the same ``(annotator, start, end, label)`` in the article, or None."""
        row = self.db.execute(
            'SELECT id FROM spans WHERE article_id = ? AND annotator = ? AND start = ? AND "end" = ?'
            " AND label = ?",
            [article_id, span.annotator, span.start, span.end, span.label],
        ).fetchone()
        return row[0] if row else None

    def span(self, span_id: int) -> tuple[int, Span]:
        """``(article_id, span)`` of a span id (ProjectError when there is none)."""
        row = self.db.execute(_SPAN_SQL + " WHERE id = ?", [span_id]).fetchone()
        if row is None:
            raise ProjectError(f"no span with id {span_id}")
        return row[0], _span(row)

    def delete_span(self, span_id: int) -> None:
        """Delete a span (no error if it is already gone)."""
        self.db.execute("DELETE FROM spans WHERE id = ?", [span_id])

    def restore_span(self, article_id: int, span: Span) -> Span:
        """Re-insert a deleted span under its old id, so redo/undo chains keep referring to it."""
        stamp = now()
        self.db["spans"].insert(
            {"id": span.id, "article_id": article_id, "start": span.start, "end": span.end,
             "label": span.label, "text": span.text, "annotator": span.annotator,
             "provenance": span.provenance, "created_at": stamp, "updated_at": stamp}
        )
        return span

    def set_span_label(self, span_id: int, label: str) -> None:
        """Change one span's label."""
        self.db.execute(
            "UPDATE spans SET label = ?, updated_at = ? WHERE id = ?", [label, now(), span_id]
        )

    def spans(self, article_id: int, annotators: Iterable[str] | None = None) -> list[Span]:
        """Spans of one article in text order, optionally only some layers."""
        sql = _SPAN_SQL + " WHERE article_id = ?"
        args: list[Any] = [article_id]
        if annotators is not None:
            names = list(annotators)
            sql += f" AND annotator IN ({','.join('?' * len(names))})"
            args += names
        rows = self.db.execute(sql + ' ORDER BY start, "end" DESC, label, annotator', args)
        return [_span(row) for row in rows]

    def articles_of_layer(self, layer: str) -> list[int]:
        """Articles a layer worked on: it has spans there, or its user marked the article."""
        rows = self.db.execute(
            "SELECT article_id FROM spans WHERE annotator = ?"
            " UNION SELECT article_id FROM article_states WHERE user = ? AND state != 'new'"
            " ORDER BY 1",
            [layer, layer],
        )
        return [r[0] for r in rows]

    def annotators(self) -> list[str]:
        """Every layer that holds spans, sorted."""
        return [r[0] for r in self.db.execute("SELECT DISTINCT annotator FROM spans ORDER BY 1")]

    def label_counts(self) -> dict[str, int]:
        """``{label: number of spans}`` over all layers."""
        return dict(self.db.execute("SELECT label, count(*) FROM spans GROUP BY label").fetchall())

    def span_counts_by(self, column: str) -> list[tuple[Any, ...]]:
        """Counts of spans grouped by ``column`` and label (``column`` is 'annotator')."""
        assert column in {"annotator"}
        return self.db.execute(
            f"SELECT {column}, label, count(*) FROM spans GROUP BY 1, 2 ORDER BY 1, 2"
        ).fetchall()

    def rename_label(self, old: str, new: str) -> int:
        """Relabel every ``old`` span as ``new``; returns how many."""
        cursor = self.db.execute("UPDATE spans SET label = ? WHERE label = ?", [new, old])
        return cursor.rowcount

    def merge_label(self, old: str, new: str) -> tuple[int, int]:
        """Relabel ``old`` spans as ``new``; a span that would then repeat one the same layer
        already holds is deleted instead. Returns ``(relabelled, duplicates removed)``."""
        moved = self.db.execute(
            "UPDATE OR IGNORE spans SET label = ? WHERE label = ?", [new, old]
        ).rowcount
        duplicates = self.db.execute("DELETE FROM spans WHERE label = ?", [old]).rowcount
        return moved, duplicates


_SPAN_SQL = (
    'SELECT article_id, start, "end", label, text, annotator, id, provenance FROM spans'
)


def _span(row: Sequence[Any]) -> Span:
    return Span(row[1], row[2], row[3], row[4], row[5], row[6], row[7] or "")


def _article(row: Sequence[Any]) -> Article:
    return Article(row[0], row[1], row[2] or "", row[3], json.loads(row[4] or "{}"), row[5])
