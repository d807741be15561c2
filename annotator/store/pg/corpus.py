"""Articles and spans on the server: the SQL of ``annotator/store/corpus.py`` in PostgreSQL's words."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from annotator.clock import now
from annotator.errors import ProjectError
from annotator.model import Article, Span
from annotator.store.pg.connection import PgBase

_SPAN_SQL = 'SELECT article_id, start, "end", label, text, annotator, id, provenance FROM spans'
ARTICLE_COLUMNS = "id, doc_id, title, text, meta, content_hash"
_ARTICLE_SQL = f"SELECT {ARTICLE_COLUMNS} FROM articles"
_STREAM_BATCH = 500
_COUNTED = frozenset({"articles", "spans", "users", "assignments", "article_states", "history",
                      "gold_decisions", "suggestion_rejections", "gazetteer_names"})


class PgCorpus(PgBase):
    """Part of :class:`annotator.store.pg.PgStore` (the statement helpers are PgBase's)."""

    # --- articles ----------------------------------------------------------------------------

    def article_id_by_hash(self, content_hash: str) -> int | None:
        """The article whose text has this hash (imports skip a text already stored)."""
        row = self._one("SELECT id FROM articles WHERE content_hash = %s", [content_hash])
        return int(row[0]) if row else None

    def doc_id_taken(self, doc_id: str) -> bool:
        """Whether an article already uses ``doc_id`` (they are unique)."""
        return self._one("SELECT 1 FROM articles WHERE doc_id = %s", [doc_id]) is not None

    def insert_article(
        self, *, doc_id: str, title: str, text: str, meta: dict[str, Any], content_hash: str,
        source_path: str, title_key: str, text_key: str, imported_at: str | None = None,
    ) -> int:
        """Add an article and its search keys; returns its id. ``text`` never changes later."""
        row = self._one(
            "WITH a AS (INSERT INTO articles (doc_id, title, text, meta, content_hash, source_path,"
            " imported_at) VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING id)"
            " INSERT INTO article_search (article_id, title_key, text_key)"
            " SELECT id, %s, %s FROM a RETURNING article_id",
            [doc_id, title, text, json.dumps(meta, ensure_ascii=False, default=str),
             content_hash, source_path, imported_at or now(), title_key, text_key])
        assert row is not None
        return int(row[0])

    def prepare_bulk_insert(self) -> None:
        """Nothing to prepare: the trigram indexes take rows as they come."""

    def article(self, article_id: int) -> Article:
        """The article with this id (ProjectError when there is none); a recent one from
        memory (:mod:`annotator.store.pg.recent`: an article never changes)."""
        known = self.recent.get(article_id)
        if known is not None:
            return known
        row = self._one(_ARTICLE_SQL + " WHERE id = %s", [article_id])
        if row is None:
            raise ProjectError(f"no article with id {article_id}")
        return self.recent.put(article_row(row))

    def article_id_by_doc_id(self, doc_id: str) -> int | None:
        """The article with this document id, or None."""
        row = self._one("SELECT id FROM articles WHERE doc_id = %s", [doc_id])
        return int(row[0]) if row else None

    def iter_articles(self, ids: Sequence[int] | None = None) -> Iterator[Article]:
        """Articles in id order (or ``ids`` order), streamed in batches by id: no connection is
        held between batches, so a slow consumer (an export) blocks nobody."""
        if ids is not None:
            for article_id in ids:
                yield self.article(article_id)
            return
        after = -1
        while True:
            rows = self._all(_ARTICLE_SQL + " WHERE id > %s ORDER BY id LIMIT %s",
                             [after, _STREAM_BATCH])
            for row in rows:
                yield article_row(row)
            if len(rows) < _STREAM_BATCH:
                return
            after = rows[-1][0]

    def count(self, table: str) -> int:
        """How many rows ``table`` holds (``"articles"``, ``"spans"``)."""
        if table not in _COUNTED:
            raise ProjectError(f"no table {table!r} to count")
        row = self._one(f"SELECT count(*) FROM {table}")
        return int(row[0]) if row else 0

    # --- spans -------------------------------------------------------------------------------

    def insert_span(self, article_id: int, span: Span) -> Span:
        """Store ``span`` in its annotator's layer; returns it with its new id."""
        saved = self._insert_span(article_id, span, "")
        assert saved is not None  # a duplicate raised (the unique index)
        return saved

    def insert_new_span(self, article_id: int, span: Span) -> Span | None:
        """Store ``span`` unless its layer holds the same ``(start, end, label)``; returns it
        with its new id, or None. One statement (the unique index decides) where a check and
        an insert were two round trips."""
        return self._insert_span(
            article_id, span, ' ON CONFLICT (article_id, annotator, start, "end", label) DO NOTHING')

    def _insert_span(self, article_id: int, span: Span, on_conflict: str) -> Span | None:
        stamp = now()
        row = self._one(
            'INSERT INTO spans (article_id, start, "end", label, text, annotator, provenance,'
            " created_at, updated_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)" + on_conflict
            + " RETURNING id",
            [article_id, span.start, span.end, span.label, span.text, span.annotator,
             span.provenance, stamp, stamp])
        if row is None:
            return None
        return Span(span.start, span.end, span.label, span.text, span.annotator, int(row[0]),
                    span.provenance)

    def insert_spans(self, article_id: int, spans: Sequence[Span], stamp: str) -> int:
        """Store the spans their layers do not hold yet (duplicates skipped); returns how many."""
        if not spans:
            return 0
        return self._many(
            'INSERT INTO spans (article_id, start, "end", label, text, annotator, provenance,'
            " created_at, updated_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
            " ON CONFLICT DO NOTHING",
            [(article_id, s.start, s.end, s.label, s.text, s.annotator, s.provenance, stamp, stamp)
             for s in spans])

    def span_exists(self, article_id: int, span: Span) -> int | None:
        """The id of the same ``(annotator, start, end, label)`` in the article, or None."""
        row = self._one(
            'SELECT id FROM spans WHERE article_id = %s AND annotator = %s AND start = %s'
            ' AND "end" = %s AND label = %s',
            [article_id, span.annotator, span.start, span.end, span.label])
        return int(row[0]) if row else None

    def span(self, span_id: int) -> tuple[int, Span]:
        """``(article_id, span)`` of a span id (ProjectError when there is none)."""
        row = self._one(_SPAN_SQL + " WHERE id = %s", [span_id])
        if row is None:
            raise ProjectError(f"no span with id {span_id}")
        return int(row[0]), _span(row)

    def delete_span(self, span_id: int) -> None:
        """Delete a span (no error if it is already gone)."""
        self._send("DELETE FROM spans WHERE id = %s", [span_id])

    def restore_span(self, article_id: int, span: Span) -> Span:
        """Re-insert a deleted span under its old id (undo/redo keep referring to it)."""
        stamp = now()
        self._send(
            'INSERT INTO spans (id, article_id, start, "end", label, text, annotator, provenance,'
            " created_at, updated_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [span.id, article_id, span.start, span.end, span.label, span.text, span.annotator,
             span.provenance, stamp, stamp])
        # An explicit id leaves the identity's sequence where it was: keep it past this one.
        self._send("SELECT setval('spans_id_seq', %s) FROM spans_id_seq WHERE last_value < %s",
                   [span.id, span.id])
        return span

    def set_span_label(self, span_id: int, label: str) -> None:
        """Change one span's label."""
        self._send("UPDATE spans SET label = %s, updated_at = %s WHERE id = %s",
                   [label, now(), span_id])

    def spans(self, article_id: int, annotators: Iterable[str] | None = None) -> list[Span]:
        """An article's spans by ``(start, -end, label, annotator)``; optionally some layers only."""
        query = _SPAN_SQL + " WHERE article_id = %s"
        args: list[Any] = [article_id]
        if annotators is not None:
            query += " AND annotator = ANY(%s)"
            args.append(list(annotators))
        rows = self._all(query + ' ORDER BY start, "end" DESC, label, annotator', args)
        return [_span(row) for row in rows]

    def articles_of_layer(self, layer: str) -> list[int]:
        """Articles a layer worked on (has spans there, or its user marked them), ascending."""
        return [int(r[0]) for r in self._all(
            "SELECT article_id FROM spans WHERE annotator = %s"
            ' UNION SELECT article_id FROM article_states WHERE "user" = %s AND state != \'new\''
            " ORDER BY 1", [layer, layer])]

    def annotators(self) -> list[str]:
        """Every layer that holds spans, sorted."""
        return [r[0] for r in self._all("SELECT DISTINCT annotator FROM spans ORDER BY 1")]

    def label_counts(self) -> dict[str, int]:
        """``{label: number of spans}`` over all layers."""
        return {r[0]: int(r[1]) for r in self._all(
            "SELECT label, count(*) FROM spans GROUP BY label ORDER BY label")}

    def span_counts_by(self, column: str) -> list[tuple[Any, ...]]:
        """``(annotator, label, count)`` rows, sorted (``column`` is ``"annotator"``)."""
        assert column in {"annotator"}
        return [(r[0], r[1], int(r[2])) for r in self._all(
            f"SELECT {column}, label, count(*) FROM spans GROUP BY 1, 2 ORDER BY 1, 2")]

    def rename_label(self, old: str, new: str) -> int:
        """Relabel every ``old`` span as ``new``; returns how many."""
        return self._run("UPDATE spans SET label = %s WHERE label = %s", [new, old])

    def merge_label(self, old: str, new: str) -> tuple[int, int]:
        """Relabel ``old`` as ``new``, dropping spans that would repeat; ``(moved, dropped)``.

        SQLite's ``UPDATE OR IGNORE`` skips the rows that would collide; here they are left out
        of the UPDATE explicitly, then deleted with every other leftover ``old`` span."""
        moved = self._run(
            "UPDATE spans s SET label = %s WHERE s.label = %s AND NOT EXISTS (SELECT 1 FROM spans t"
            " WHERE t.article_id = s.article_id AND t.annotator = s.annotator"
            ' AND t.start = s.start AND t."end" = s."end" AND t.label = %s)', [new, old, new])
        dropped = self._run("DELETE FROM spans WHERE label = %s", [old])
        return moved, dropped


def _span(row: Sequence[Any]) -> Span:
    return Span(row[1], row[2], row[3], row[4], row[5], int(row[6]), row[7] or "")


def article_row(row: Sequence[Any]) -> Article:
    """An :class:`Article` from a row of ``_ARTICLE_SQL``'s columns (claims.py reads them too)."""
    return Article(int(row[0]), row[1], row[2] or "", row[3], json.loads(row[4] or "{}"), row[5])
