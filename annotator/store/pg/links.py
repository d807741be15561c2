"""Relations and event frames on the server: ``annotator/store/links.py`` in PostgreSQL's words.

One difference matters: an explicit id (undo restoring a link under its old id) does not move
an identity column's sequence, so after one the sequence is pushed past it, or a later new
link could be handed the same id.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from annotator.clock import now
from annotator.model import Event, EventArgument, Relation, Span
from annotator.store.pg.connection import PgBase

_SPAN_COLUMNS = '{0}.start, {0}."end", {0}.label, {0}.text, {0}.annotator, {0}.id, {0}.provenance'


class PgLinks(PgBase):
    """Part of :class:`annotator.store.pg.PgStore`."""

    # --- relations ---------------------------------------------------------------------------

    def insert_relation(self, article_id: int, relation: Relation) -> Relation:
        """Store a relation whose ends carry span ids; returns it with its id (``relation.id``
        when given and free: undo restores a link under its old id)."""
        stamp = now()
        columns = "article_id, type, head_id, tail_id, annotator, provenance, created_at, updated_at"
        values = [article_id, relation.type, relation.head.id, relation.tail.id,
                  relation.annotator, relation.provenance, stamp, stamp]
        new_id = self._insert_with_id("relations", relation.id, columns, values)
        return Relation(relation.type, relation.head, relation.tail, relation.annotator, new_id,
                        relation.provenance)

    def delete_relation(self, relation_id: int) -> None:
        """Delete a relation (no error if it is already gone)."""
        self._send("DELETE FROM relations WHERE id = %s", [relation_id])

    def relations(self, article_id: int, annotators: Iterable[str] | None = None) -> list[Relation]:
        """An article's relations by ``(head start, -head end, tail start, -tail end, type,
        annotator, id)``, ends as whole spans; optionally some layers only."""
        return _relations(self._all(*_relations_sql(article_id, annotators)))

    # --- events ------------------------------------------------------------------------------

    def insert_event(self, article_id: int, event: Event) -> Event:
        """Store an event and its arguments (spans carry ids); its id as for relations."""
        stamp = now()
        columns = "article_id, type, trigger_id, annotator, provenance, created_at, updated_at"
        values = [article_id, event.type, event.trigger.id, event.annotator, event.provenance,
                  stamp, stamp]
        new_id = self._insert_with_id("events", event.id, columns, values)
        for argument in event.arguments:
            self.insert_argument(new_id, argument.role, argument.span.id)  # type: ignore[arg-type]
        return Event(event.type, event.trigger, event.arguments, event.annotator, new_id,
                     event.provenance)

    def delete_event(self, event_id: int) -> None:
        """Delete an event with its arguments (no error if it is already gone)."""
        self._send("DELETE FROM events WHERE id = %s", [event_id])

    def insert_argument(self, event_id: int, role: str, span_id: int) -> None:
        """Let a span fill a role of an event (idempotent)."""
        stamp = now()
        self._send(
            "INSERT INTO event_arguments (event_id, role, span_id, created_at)"
            " VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING", [event_id, role, span_id, stamp])
        self._send("UPDATE events SET updated_at = %s WHERE id = %s", [stamp, event_id])

    def delete_argument(self, event_id: int, role: str, span_id: int) -> None:
        """Remove one filler of a role (no error if it is not there)."""
        self._send("DELETE FROM event_arguments WHERE event_id = %s AND role = %s AND span_id = %s",
                   [event_id, role, span_id])

    def events(self, article_id: int, annotators: Iterable[str] | None = None) -> list[Event]:
        """An article's events by ``(trigger start, -trigger end, type, annotator, id)``; each
        one's arguments by ``(role, start, -end, label)``; optionally some layers only."""
        return _events(*self._reads(*_events_sql(article_id, annotators)))  # one round trip

    def links(self, article_id: int, annotators: Iterable[str] | None = None
              ) -> tuple[list[Relation], list[Event]]:
        """``(relations, events)`` as the two methods give them, in ONE round trip."""
        layers = None if annotators is None else list(annotators)
        relations, events, arguments = self._reads(
            _relations_sql(article_id, layers), *_events_sql(article_id, layers))
        return _relations(relations), _events(events, arguments)

    # --- counts ------------------------------------------------------------------------------

    def link_counts(self) -> list[tuple[str, str, str, int]]:
        """``(kind, annotator, type, count)``: kind ``relation``, ``event`` or ``argument``
        (type ``event-type/role``), sorted."""
        return [(row[0], row[1], row[2], int(row[3])) for row in self._all(
            "SELECT 'relation' COLLATE \"C\", annotator, type, count(*) FROM relations GROUP BY 2, 3"
            " UNION ALL SELECT 'event', annotator, type, count(*) FROM events GROUP BY 2, 3"
            " UNION ALL SELECT 'argument', e.annotator, e.type || '/' || a.role, count(*)"
            " FROM event_arguments a JOIN events e ON e.id = a.event_id GROUP BY 2, 3"
            " ORDER BY 1, 2, 3")]

    def _insert_with_id(self, table: str, wanted: int | None, columns: str,
                        values: list[Any]) -> int:
        """Insert one row, under ``wanted`` when given and free (else a new id); returns the id."""
        assert table in {"relations", "events"}
        marks = ", ".join(["%s"] * len(values))
        if wanted is not None and self._one(f"SELECT 1 FROM {table} WHERE id = %s", [wanted]) is None:
            self._send(f"INSERT INTO {table} (id, {columns}) VALUES (%s, {marks})", [wanted, *values])
            self._send(f"SELECT setval('{table}_id_seq', %s) FROM {table}_id_seq"
                       " WHERE last_value < %s", [wanted, wanted])
            return wanted
        row = self._one(f"INSERT INTO {table} ({columns}) VALUES ({marks}) RETURNING id", values)
        assert row is not None
        return int(row[0])


def _layer_filter(alias: str, article_id: int, annotators: Iterable[str] | None) -> tuple[str, list[Any]]:
    where = f" WHERE {alias}.article_id = %s"
    args: list[Any] = [article_id]
    if annotators is not None:
        where += f" AND {alias}.annotator = ANY(%s)"
        args.append(list(annotators))
    return where, args


def _span(row: Sequence[Any]) -> Span:
    return Span(row[0], row[1], row[2], row[3], row[4], int(row[5]), row[6] or "")


def _relations_sql(article_id: int, annotators: Iterable[str] | None) -> tuple[str, list[Any]]:
    where, args = _layer_filter("r", article_id, annotators)
    return ("SELECT r.type, r.annotator, r.id, r.provenance, " + _SPAN_COLUMNS.format("h") + ", "
            + _SPAN_COLUMNS.format("t") + " FROM relations r JOIN spans h ON h.id = r.head_id"
            " JOIN spans t ON t.id = r.tail_id" + where
            + ' ORDER BY h.start, h."end" DESC, t.start, t."end" DESC, r.type, r.annotator, r.id',
            args)


def _relations(rows: Sequence[Sequence[Any]]) -> list[Relation]:
    return [Relation(row[0], _span(row[4:11]), _span(row[11:18]), row[1], int(row[2]),
                     row[3] or "") for row in rows]


def _events_sql(article_id: int, annotators: Iterable[str] | None
                ) -> tuple[tuple[str, list[Any]], tuple[str, list[Any]]]:
    """The events' query and their arguments' query (read together, joined by :func:`_events`)."""
    where, args = _layer_filter("e", article_id, annotators)
    return (("SELECT e.type, e.annotator, e.id, e.provenance, " + _SPAN_COLUMNS.format("s")
             + " FROM events e JOIN spans s ON s.id = e.trigger_id" + where
             + ' ORDER BY s.start, s."end" DESC, e.type, e.annotator, e.id', args),
            ("SELECT a.event_id, a.role, " + _SPAN_COLUMNS.format("s") + " FROM event_arguments a"
             " JOIN events e ON e.id = a.event_id JOIN spans s ON s.id = a.span_id" + where
             + ' ORDER BY a.role, s.start, s."end" DESC, s.label', args))


def _events(rows: Sequence[Sequence[Any]], filler: Sequence[Sequence[Any]]) -> list[Event]:
    arguments: dict[int, list[EventArgument]] = {int(row[2]): [] for row in rows}
    for row in filler:
        arguments[int(row[0])].append(EventArgument(row[1], _span(row[2:9])))
    return [Event(row[0], _span(row[4:11]), tuple(arguments[int(row[2])]), row[1],
                  int(row[2]), row[3] or "") for row in rows]
