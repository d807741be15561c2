"""Suggestions on the server: layers, rejections, gazetteer names, trained models."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from annotator.clock import now
from annotator.model import Span
from annotator.store.pg.connection import PgBase


class PgSuggestions(PgBase):
    """Part of :class:`annotator.store.pg.PgStore`."""

    def replace_layer_spans(self, article_id: int, annotator: str, spans: Iterable[Span]) -> int:
        """Make one layer of one article hold exactly ``spans``; returns how many."""
        self._send("DELETE FROM spans WHERE article_id = %s AND annotator = %s",
                   [article_id, annotator])
        stamp = now()
        rows = [(article_id, s.start, s.end, s.label, s.text, annotator, s.provenance, stamp, stamp)
                for s in spans]
        self._many(
            'INSERT INTO spans (article_id, start, "end", label, text, annotator, provenance,'
            " created_at, updated_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)", rows)
        return len(rows)

    def layers_by_article(self) -> dict[int, dict[str, int]]:
        """``{article_id: {layer: span count}}`` for every article that has spans."""
        out: dict[int, dict[str, int]] = {}
        for article_id, annotator, n in self._all(
            "SELECT article_id, annotator, count(*) FROM spans GROUP BY 1, 2 ORDER BY 1, 2"
        ):
            out.setdefault(int(article_id), {})[annotator] = int(n)
        return out

    def states_by_article(self) -> dict[int, dict[str, str]]:
        """``{article_id: {user: state}}`` of every recorded state."""
        out: dict[int, dict[str, str]] = {}
        for article_id, user, state in self._all(
            'SELECT article_id, "user", state FROM article_states ORDER BY 1, 2'
        ):
            out.setdefault(int(article_id), {})[user] = state
        return out

    def insert_rejection(self, article_id: int, user: str, span: Span) -> None:
        """Remember that ``user`` rejected suggestion ``span`` (idempotent)."""
        self._send(
            'INSERT INTO suggestion_rejections (article_id, "user", start, "end", label, layer,'
            " text, at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
            [article_id, user, span.start, span.end, span.label, span.annotator, span.text, now()])

    def delete_rejection(self, article_id: int, user: str, span: Span) -> None:
        """Forget a rejection (its undo)."""
        self._send(
            'DELETE FROM suggestion_rejections WHERE article_id = %s AND "user" = %s'
            ' AND start = %s AND "end" = %s AND label = %s',
            [article_id, user, span.start, span.end, span.label])

    def rejections(
        self, article_id: int | None = None, user: str | None = None
    ) -> list[tuple[int, str, Span]]:
        """``(article_id, user, span)`` of remembered rejections; the span's annotator is its layer."""
        query = 'SELECT article_id, "user", start, "end", label, text, layer FROM suggestion_rejections'
        clauses, args = [], []
        for column, value in (("article_id", article_id), ('"user"', user)):
            if value is not None:
                clauses.append(f"{column} = %s")
                args.append(value)
        if clauses:
            query += " WHERE " + " AND ".join(clauses)
        rows = self._all(query + ' ORDER BY article_id, start, "end", label, "user"', args)
        return [(int(r[0]), r[1], Span(r[2], r[3], r[4], r[5], r[6] or "")) for r in rows]

    def add_gazetteer_names(self, label: str, names: Iterable[tuple[str, str]], source: str) -> int:
        """Add ``(name, key)`` pairs to a label's list; returns how many were new."""
        return self._many(
            "INSERT INTO gazetteer_names (label, name, key, source) VALUES (%s, %s, %s, %s)"
            " ON CONFLICT DO NOTHING",
            [(label, name, key, source) for name, key in names])

    def gazetteer_names(self) -> list[tuple[str, str, str]]:
        """Every ``(label, name, source)``, by label, key and source."""
        return [(r[0], r[1], r[2]) for r in self._all(
            "SELECT label, name, source FROM gazetteer_names ORDER BY label, key, source")]

    def delete_gazetteer(self, label: str | None = None, source: str | None = None) -> int:
        """Delete gazetteer names (optionally of one label and/or source); returns how many."""
        clauses, args = [], []
        for column, value in (("label", label), ("source", source)):
            if value is not None:
                clauses.append(f"{column} = %s")
                args.append(value)
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        return self._run("DELETE FROM gazetteer_names" + where, args)

    def save_model(self, name: str, model: bytes, info: dict[str, Any]) -> None:
        """Store a trained model under ``name`` (replacing an older one)."""
        self._send(
            "INSERT INTO suggestion_models (name, model, info, trained_at) VALUES (%s, %s, %s, %s)"
            " ON CONFLICT (name) DO UPDATE SET model = EXCLUDED.model, info = EXCLUDED.info,"
            " trained_at = EXCLUDED.trained_at",
            [name, model, json.dumps(info, ensure_ascii=False), now()])

    def span_texts(self) -> list[tuple[str, str, str, int]]:
        """``(annotator, label, text, count)`` of every distinct labelled text, sorted."""
        return [(r[0], r[1], r[2], int(r[3])) for r in self._all(
            "SELECT annotator, label, text, count(*) FROM spans GROUP BY 1, 2, 3 ORDER BY 1, 2, 3")]

    def load_model(self, name: str) -> tuple[bytes, dict[str, Any], str] | None:
        """``(model bytes, info, trained_at)`` of a stored model, or None."""
        row = self._one(
            "SELECT model, info, trained_at FROM suggestion_models WHERE name = %s", [name])
        return (bytes(row[0]), json.loads(row[1]), row[2]) if row else None
