"""Relations and event frames: rows in, model objects out (layout 7).

A link's ends are span ids with foreign keys; reading one joins its spans, so a
:class:`Relation` or :class:`Event` always carries whole :class:`Span` values (what formats,
agreement and the desk compare). The rules (same layer, allowed labels, multiplicity) are the
session's (``annotator.linking``); this module only stores what it is handed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from annotator.model import Event, EventArgument, Relation, Span
from annotator.store.connection import now

_SPAN_COLUMNS = '{0}.start, {0}."end", {0}.label, {0}.text, {0}.annotator, {0}.id, {0}.provenance'


class LinkStore:
    """Mixed into :class:`annotator.store.Store`; uses its ``db`` connection."""

    db: Any

    # --- relations ---------------------------------------------------------------------------

    def insert_relation(self, article_id: int, relation: Relation) -> Relation:
        """Store ``relation`` (its ends carry span ids) in its annotator's layer; returns it
        with its id: ``relation.id`` when given and free (undo restoring a link), else a new one."""
        wanted = relation.id if relation.id is not None and not self._taken("relations", relation.id) else None
        stamp = now()
        new_id = self.db.execute(
            "INSERT INTO relations (id, article_id, type, head_id, tail_id, annotator, provenance,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [wanted, article_id, relation.type, relation.head.id, relation.tail.id,
             relation.annotator, relation.provenance, stamp, stamp],
        ).lastrowid
        return Relation(relation.type, relation.head, relation.tail, relation.annotator, int(new_id),
                        relation.provenance)

    def delete_relation(self, relation_id: int) -> None:
        """Delete a relation (no error if it is already gone)."""
        self.db.execute("DELETE FROM relations WHERE id = ?", [relation_id])

    def relations(self, article_id: int, annotators: Iterable[str] | None = None) -> list[Relation]:
        """An article's relations, by head then tail in text order, then type and layer."""
        where, args = _layer_filter("r", article_id, annotators)
        rows = self.db.execute(
            "SELECT r.type, r.annotator, r.id, r.provenance, " + _SPAN_COLUMNS.format("h") + ", "
            + _SPAN_COLUMNS.format("t") + " FROM relations r JOIN spans h ON h.id = r.head_id"
            " JOIN spans t ON t.id = r.tail_id" + where
            + ' ORDER BY h.start, h."end" DESC, t.start, t."end" DESC, r.type, r.annotator, r.id',
            args,
        )
        return [Relation(row[0], _span(row[4:11]), _span(row[11:18]), row[1], row[2], row[3] or "")
                for row in rows]

    # --- events ------------------------------------------------------------------------------

    def insert_event(self, article_id: int, event: Event) -> Event:
        """Store ``event`` and its arguments (spans carry ids); ``event.id`` is kept when free."""
        wanted = event.id if event.id is not None and not self._taken("events", event.id) else None
        stamp = now()
        new_id = int(self.db.execute(
            "INSERT INTO events (id, article_id, type, trigger_id, annotator, provenance,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [wanted, article_id, event.type, event.trigger.id, event.annotator, event.provenance,
             stamp, stamp],
        ).lastrowid)
        for argument in event.arguments:
            self.insert_argument(new_id, argument.role, argument.span.id)  # type: ignore[arg-type]
        return Event(event.type, event.trigger, event.arguments, event.annotator, new_id,
                     event.provenance)

    def delete_event(self, event_id: int) -> None:
        """Delete an event and its arguments (no error if it is already gone)."""
        self.db.execute("DELETE FROM events WHERE id = ?", [event_id])

    def insert_argument(self, event_id: int, role: str, span_id: int) -> None:
        """Let span ``span_id`` fill ``role`` of an event (idempotent)."""
        self.db.execute(
            "INSERT INTO event_arguments (event_id, role, span_id, created_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT DO NOTHING", [event_id, role, span_id, now()],
        )
        self.db.execute("UPDATE events SET updated_at = ? WHERE id = ?", [now(), event_id])

    def delete_argument(self, event_id: int, role: str, span_id: int) -> None:
        """Empty one filler of a role (no error if it is not there)."""
        self.db.execute(
            "DELETE FROM event_arguments WHERE event_id = ? AND role = ? AND span_id = ?",
            [event_id, role, span_id],
        )

    def links(self, article_id: int, annotators: Iterable[str] | None = None
              ) -> tuple[list[Relation], list[Event]]:
        """``(relations, events)`` of an article, as :meth:`relations` and :meth:`events`."""
        layers = None if annotators is None else list(annotators)
        return self.relations(article_id, layers), self.events(article_id, layers)

    def events(self, article_id: int, annotators: Iterable[str] | None = None) -> list[Event]:
        """An article's events by trigger in text order, then type and layer; each event's
        arguments by role name, then text order (the session puts roles in schema order)."""
        where, args = _layer_filter("e", article_id, annotators)
        rows = self.db.execute(
            "SELECT e.type, e.annotator, e.id, e.provenance, " + _SPAN_COLUMNS.format("s")
            + " FROM events e JOIN spans s ON s.id = e.trigger_id" + where
            + ' ORDER BY s.start, s."end" DESC, e.type, e.annotator, e.id', args,
        ).fetchall()
        arguments: dict[int, list[EventArgument]] = {row[2]: [] for row in rows}
        filler = self.db.execute(
            "SELECT a.event_id, a.role, " + _SPAN_COLUMNS.format("s") + " FROM event_arguments a"
            " JOIN events e ON e.id = a.event_id JOIN spans s ON s.id = a.span_id" + where
            + ' ORDER BY a.role, s.start, s."end" DESC, s.label', args,
        )
        for row in filler:
            arguments[row[0]].append(EventArgument(row[1], _span(row[2:9])))
        return [Event(row[0], _span(row[4:11]), tuple(arguments[row[2]]), row[1], row[2], row[3] or "")
                for row in rows]

    # --- counts ------------------------------------------------------------------------------

    def link_counts(self) -> list[tuple[str, str, str, int]]:
        """``(kind, annotator, type, count)`` with kind ``relation``, ``event`` or ``argument``
        (type ``event type/role``), sorted: what ``stats`` prints."""
        return [tuple(row) for row in self.db.execute(  # type: ignore[misc]
            "SELECT 'relation', annotator, type, count(*) FROM relations GROUP BY 2, 3"
            " UNION ALL SELECT 'event', annotator, type, count(*) FROM events GROUP BY 2, 3"
            " UNION ALL SELECT 'argument', e.annotator, e.type || '/' || a.role, count(*)"
            " FROM event_arguments a JOIN events e ON e.id = a.event_id GROUP BY 2, 3"
            " ORDER BY 1, 2, 3"
        )]

    def _taken(self, table: str, row_id: int) -> bool:
        assert table in {"relations", "events"}
        return self.db.execute(f"SELECT 1 FROM {table} WHERE id = ?", [row_id]).fetchone() is not None


def _layer_filter(alias: str, article_id: int, annotators: Iterable[str] | None) -> tuple[str, list[Any]]:
    where = f" WHERE {alias}.article_id = ?"
    args: list[Any] = [article_id]
    if annotators is not None:
        names = list(annotators)
        where += f" AND {alias}.annotator IN ({','.join('?' * len(names))})"
        args += names
    return where, args


def _span(row: Sequence[Any]) -> Span:
    return Span(row[0], row[1], row[2], row[3], row[4], row[5], row[6] or "")
