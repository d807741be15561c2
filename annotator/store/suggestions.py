"""Suggestions: layers, rejections, gazetteer names, trained models."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from annotator.model import Span
from annotator.store.connection import now


class SuggestionStore:
    """Mixed into :class:`annotator.store.Store`; uses its ``db`` connection."""

    db: Any

    # --- suggestions ---
    # Used by annotator.suggest. Suggestion layers are ordinary span layers (see that package's
    # docstring); these methods hold what is specific to them.

    def replace_layer_spans(self, article_id: int, annotator: str, spans: Iterable[Span]) -> int:
        """Make ``annotator``'s layer in one article hold exactly ``spans``; returns how many."""
        self.db.execute(
            "DELETE FROM spans WHERE article_id = ? AND annotator = ?", [article_id, annotator]
        )
        stamp = now()
        rows = [
            {"article_id": article_id, "start": s.start, "end": s.end, "label": s.label,
             "text": s.text, "annotator": annotator, "provenance": s.provenance,
             "created_at": stamp, "updated_at": stamp}
            for s in spans
        ]
        if rows:
            self.db["spans"].insert_all(rows)
        return len(rows)

    def layers_by_article(self) -> dict[int, dict[str, int]]:
        """``{article_id: {annotator: span count}}`` for every article that has spans."""
        out: dict[int, dict[str, int]] = {}
        rows = self.db.execute(
            "SELECT article_id, annotator, count(*) FROM spans GROUP BY 1, 2 ORDER BY 1, 2"
        )
        for article_id, annotator, n in rows:
            out.setdefault(article_id, {})[annotator] = n
        return out

    def states_by_article(self) -> dict[int, dict[str, str]]:
        """``{article_id: {user: state}}`` of every recorded article state."""
        out: dict[int, dict[str, str]] = {}
        for article_id, user, state in self.db.execute(
            "SELECT article_id, user, state FROM article_states ORDER BY 1, 2"
        ):
            out.setdefault(article_id, {})[user] = state
        return out

    def insert_rejection(self, article_id: int, user: str, span: Span) -> None:
        """Remember that ``user`` rejected suggestion ``span`` in the article (idempotent)."""
        self.db.execute(
            "INSERT OR IGNORE INTO suggestion_rejections"
            ' (article_id, user, start, "end", label, layer, text, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
            [article_id, user, span.start, span.end, span.label, span.annotator, span.text, now()],
        )

    def delete_rejection(self, article_id: int, user: str, span: Span) -> None:
        """Forget a rejection (its undo)."""
        self.db.execute(
            "DELETE FROM suggestion_rejections WHERE article_id = ? AND user = ? AND start = ?"
            ' AND "end" = ? AND label = ?',
            [article_id, user, span.start, span.end, span.label],
        )

    def rejections(
        self, article_id: int | None = None, user: str | None = None
    ) -> list[tuple[int, str, Span]]:
        """``(article_id, user, span)`` of remembered rejections; a span's annotator is its layer."""
        sql = 'SELECT article_id, user, start, "end", label, text, layer FROM suggestion_rejections'
        clauses, args = [], []
        for column, value in (("article_id", article_id), ("user", user)):
            if value is not None:
                clauses.append(f"{column} = ?")
                args.append(value)
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        rows = self.db.execute(sql + ' ORDER BY article_id, start, "end", label, user', args)
        return [(r[0], r[1], Span(r[2], r[3], r[4], r[5], r[6] or "")) for r in rows]

    def add_gazetteer_names(self, label: str, names: Iterable[tuple[str, str]], source: str) -> int:
        """Add ``(name, key)`` pairs to ``label``'s list from ``source``; returns how many were new."""
        before = self.db["gazetteer_names"].count
        self.db["gazetteer_names"].insert_all(
            ({"label": label, "name": name, "key": key, "source": source} for name, key in names),
            pk=("label", "key", "source"), ignore=True,
        )
        return self.db["gazetteer_names"].count - before

    def gazetteer_names(self) -> list[tuple[str, str, str]]:
        """Every stored ``(label, name, source)`` in label, key, source order."""
        return [tuple(r) for r in self.db.execute(
            "SELECT label, name, source FROM gazetteer_names ORDER BY label, key, source"
        )]

    def delete_gazetteer(self, label: str | None = None, source: str | None = None) -> int:
        """Delete gazetteer names (optionally of one label and/or source); returns how many."""
        clauses, args = [], []
        for column, value in (("label", label), ("source", source)):
            if value is not None:
                clauses.append(f"{column} = ?")
                args.append(value)
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        return self.db.execute("DELETE FROM gazetteer_names" + where, args).rowcount

    def save_model(self, name: str, model: bytes, info: dict[str, Any]) -> None:
        """Store a trained model under ``name`` (replacing an older one)."""
        self.db["suggestion_models"].upsert(
            {"name": name, "model": model, "info": json.dumps(info, ensure_ascii=False),
             "trained_at": now()},
            pk="name",
        )

    def span_texts(self) -> list[tuple[str, str, str, int]]:
        """``(annotator, label, text, count)`` of every distinct labelled text (gazetteer feed)."""
        return [tuple(r) for r in self.db.execute(
            "SELECT annotator, label, text, count(*) FROM spans GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
        )]

    def load_model(self, name: str) -> tuple[bytes, dict[str, Any], str] | None:
        """``(model bytes, info, trained_at)`` of a saved model, or None."""
        row = self.db.execute(
            "SELECT model, info, trained_at FROM suggestion_models WHERE name = ?", [name]
        ).fetchone()
        return (bytes(row[0]), json.loads(row[1]), row[2]) if row else None
