"""Teams on the server: users, assignments, schema rows, issued packages, adjudication decisions."""

from __future__ import annotations

from annotator.clock import now
from annotator.store.pg.connection import PgBase


class PgTeams(PgBase):
    """Part of :class:`annotator.store.pg.PgStore`."""

    def users(self) -> list[tuple[str, str]]:
        """Registered ``(name, role)`` pairs, by name."""
        return [(r[0], r[1]) for r in self._all("SELECT name, role FROM users ORDER BY name")]

    def role_of(self, user: str) -> str | None:
        """A registered user's role, or None when the user is not registered."""
        row = self._one("SELECT role FROM users WHERE name = %s", [user])
        return row[0] if row else None

    def set_user(self, name: str, role: str) -> None:
        """Register a user or change their role."""
        self._send(
            "INSERT INTO users (name, role, created_at) VALUES (%s, %s, %s) ON CONFLICT (name)"
            " DO UPDATE SET role = EXCLUDED.role, created_at = EXCLUDED.created_at",
            [name, role, now()])

    def article_ids(self) -> list[int]:
        """Every article id, ascending."""
        return [int(r[0]) for r in self._all("SELECT id FROM articles ORDER BY id")]

    def assignments(self) -> list[tuple[int, str]]:
        """Every ``(article_id, user)`` assignment, by article then user."""
        return [(int(r[0]), r[1]) for r in self._all(
            'SELECT article_id, "user" FROM assignments ORDER BY article_id, "user"')]

    def assign(self, article_id: int, user: str) -> None:
        """Assign an article to a user (idempotent)."""
        self._send(
            'INSERT INTO assignments (article_id, "user", assigned_at) VALUES (%s, %s, %s)'
            ' ON CONFLICT (article_id, "user") DO UPDATE SET assigned_at = EXCLUDED.assigned_at',
            [article_id, user, now()])

    def clear_assignments(self) -> None:
        """Remove every assignment."""
        self._send("DELETE FROM assignments")

    def assigned_articles(self, user: str) -> list[int]:
        """Articles assigned to a user, ascending."""
        return [int(r[0]) for r in self._all(
            'SELECT article_id FROM assignments WHERE "user" = %s ORDER BY article_id', [user])]

    def assignees(self, article_id: int) -> list[str]:
        """Users an article is assigned to, sorted."""
        return [r[0] for r in self._all(
            'SELECT "user" FROM assignments WHERE article_id = %s ORDER BY "user"', [article_id])]

    def article_users_with_state(self, article_id: int, state: str) -> list[str]:
        """Users whose state of the article is ``state``, sorted."""
        return [r[0] for r in self._all(
            'SELECT "user" FROM article_states WHERE article_id = %s AND state = %s ORDER BY "user"',
            [article_id, state])]

    def states_of(self, user: str) -> dict[int, str]:
        """``{article_id: state}`` of one user."""
        return {int(r[0]): r[1] for r in self._all(
            'SELECT article_id, state FROM article_states WHERE "user" = %s ORDER BY 1', [user])}

    def search_keys(self, article_id: int) -> tuple[str, str]:
        """The folded ``(title, text)`` keys the queue's search matches; ``("", "")`` if none."""
        row = self._one(
            "SELECT title_key, text_key FROM article_search WHERE article_id = %s", [article_id])
        return (row[0], row[1]) if row else ("", "")

    def schema_rows(self) -> list[tuple[int, str, str, str]]:
        """Every schema version as ``(version, json, created_at, note)``, oldest first."""
        return [(int(r[0]), r[1], r[2], r[3]) for r in self._all(
            "SELECT version, json, created_at, note FROM label_schemas ORDER BY version")]

    def insert_schema_row(self, version: int, data: str, created_at: str, note: str) -> None:
        """Copy one schema version verbatim (packages carry their project's history)."""
        self._send(
            "INSERT INTO label_schemas (version, json, created_at, note) VALUES (%s, %s, %s, %s)",
            [version, data, created_at, note])

    def register_package(
        self, package_id: str, user: str, created_by: str, schema_version: int, base: str
    ) -> None:
        """Record that a work package was issued to ``user``."""
        self._send(
            'INSERT INTO work_packages (id, "user", created_by, created_at, schema_version, base)'
            " VALUES (%s, %s, %s, %s, %s, %s)",
            [package_id, user, created_by, now(), schema_version, base])

    def issued_package(self, package_id: str) -> tuple[str, int, str] | None:
        """``(user, schema_version, base)`` of an issued package, or None."""
        row = self._one(
            'SELECT "user", schema_version, base FROM work_packages WHERE id = %s', [package_id])
        return (row[0], int(row[1]), row[2]) if row else None

    def packages_issued_after(self, package_id: str, user: str) -> list[str]:
        """Ids of the packages issued to ``user`` after ``package_id``, in issue order."""
        return [r[0] for r in self._all(
            'SELECT id FROM work_packages WHERE "user" = %s AND seq >'
            " (SELECT seq FROM work_packages WHERE id = %s) ORDER BY seq", [user, package_id])]

    def decisions(self, article_id: int) -> list[tuple[int, int, str, str, str, str]]:
        """Adjudication decisions ``(start, end, decision, detail, by, at)`` by range."""
        return [tuple(r) for r in self._all(  # type: ignore[misc]
            'SELECT start, "end", decision, detail, decided_by, decided_at FROM gold_decisions'
            ' WHERE article_id = %s ORDER BY start, "end"', [article_id])]

    def set_decision(
        self, article_id: int, start: int, end: int, decision: str, detail: str, by: str, at: str
    ) -> None:
        """Record the decision of one range (replacing an earlier one)."""
        self.delete_decision(article_id, start, end)
        self._send(
            'INSERT INTO gold_decisions (article_id, start, "end", decision, detail, decided_by,'
            " decided_at) VALUES (%s, %s, %s, %s, %s, %s, %s)",
            [article_id, start, end, decision, detail, by, at])

    def delete_decision(self, article_id: int, start: int, end: int) -> None:
        """Forget the decision of one range."""
        self._send('DELETE FROM gold_decisions WHERE article_id = %s AND start = %s AND "end" = %s',
                   [article_id, start, end])

    def link_decisions(self, article_id: int) -> list[tuple[str, str, str, str, str]]:
        """Decisions on an article's link slots ``(slot, decision, detail, by, at)`` by slot."""
        return [(r[0], r[1], r[2], r[3], r[4]) for r in self._all(
            "SELECT slot, decision, detail, decided_by, decided_at FROM gold_link_decisions"
            " WHERE article_id = %s ORDER BY slot", [article_id])]

    def set_link_decision(
        self, article_id: int, slot: str, decision: str, detail: str, by: str, at: str
    ) -> None:
        """Record the decision of one link slot (replacing an earlier one)."""
        self._send(
            "INSERT INTO gold_link_decisions (article_id, slot, decision, detail, decided_by,"
            " decided_at) VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (article_id, slot) DO UPDATE"
            " SET decision = EXCLUDED.decision, detail = EXCLUDED.detail,"
            " decided_by = EXCLUDED.decided_by, decided_at = EXCLUDED.decided_at",
            [article_id, slot, decision, detail, by, at])

    def delete_link_decision(self, article_id: int, slot: str) -> None:
        """Forget the decision of one link slot."""
        self._send("DELETE FROM gold_link_decisions WHERE article_id = %s AND slot = %s",
                   [article_id, slot])

    def decided_article_ids(self) -> list[int]:
        """Articles with at least one decision, ascending."""
        return [int(r[0]) for r in self._all(
            "SELECT DISTINCT article_id FROM gold_decisions ORDER BY 1")]
