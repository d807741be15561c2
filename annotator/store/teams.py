"""Teams: users, assignments, schema rows and the registry of packages, adjudication decisions."""

from __future__ import annotations

from typing import Any

from annotator.store.connection import now


class TeamStore:
    """Mixed into :class:`annotator.store.Store`; uses its ``db`` connection."""

    db: Any

    # --- teams (assignment, packages, gold) ---

    def users(self) -> list[tuple[str, str]]:
        """Registered ``(name, role)`` pairs, by name."""
        return [tuple(r) for r in self.db.execute("SELECT name, role FROM users ORDER BY name")]

    def role_of(self, user: str) -> str | None:
        """A registered user's role, or None when the user is not registered."""
        row = self.db.execute("SELECT role FROM users WHERE name = ?", [user]).fetchone()
        return row[0] if row else None

    def set_user(self, name: str, role: str) -> None:
        """Register a user or change their role."""
        self.db["users"].upsert({"name": name, "role": role, "created_at": now()}, pk="name")

    def article_ids(self) -> list[int]:
        """Every article id, ascending."""
        return [r[0] for r in self.db.execute("SELECT id FROM articles ORDER BY id")]

    def assignments(self) -> list[tuple[int, str]]:
        """Every ``(article_id, user)`` assignment, in article then user order."""
        return [tuple(r) for r in self.db.execute(
            "SELECT article_id, user FROM assignments ORDER BY article_id, user")]

    def assign(self, article_id: int, user: str) -> None:
        """Assign an article to a user (idempotent)."""
        self.db["assignments"].upsert(
            {"article_id": article_id, "user": user, "assigned_at": now()}, pk=("article_id", "user")
        )

    def clear_assignments(self) -> None:
        """Remove every assignment."""
        self.db.execute("DELETE FROM assignments")

    def assigned_articles(self, user: str) -> list[int]:
        """Articles assigned to a user, ascending."""
        return [r[0] for r in self.db.execute(
            "SELECT article_id FROM assignments WHERE user = ? ORDER BY article_id", [user])]

    def assignees(self, article_id: int) -> list[str]:
        """Users an article is assigned to, sorted."""
        return [r[0] for r in self.db.execute(
            "SELECT user FROM assignments WHERE article_id = ? ORDER BY user", [article_id])]

    def article_users_with_state(self, article_id: int, state: str) -> list[str]:
        """Users whose state of the article is ``state``, sorted."""
        return [r[0] for r in self.db.execute(
            "SELECT user FROM article_states WHERE article_id = ? AND state = ? ORDER BY user",
            [article_id, state])]

    def states_of(self, user: str) -> dict[int, str]:
        """``{article_id: state}`` of one user."""
        return dict(self.db.execute(
            "SELECT article_id, state FROM article_states WHERE user = ?", [user]).fetchall())

    def search_keys(self, article_id: int) -> tuple[str, str]:
        """The folded ``(title, text)`` keys the queue's search matches; ``("", "")`` if none."""
        row = self.db.execute(
            "SELECT title_key, text_key FROM article_search WHERE rowid = ?", [article_id]
        ).fetchone()
        return (row[0], row[1]) if row else ("", "")

    def schema_rows(self) -> list[tuple[int, str, str, str]]:
        """Every schema version as ``(version, json, created_at, note)``, oldest first."""
        return [tuple(r) for r in self.db.execute(
            "SELECT version, json, created_at, note FROM label_schemas ORDER BY version")]

    def insert_schema_row(self, version: int, data: str, created_at: str, note: str) -> None:
        """Copy one schema version verbatim (packages carry their project's history)."""
        self.db["label_schemas"].insert(
            {"version": version, "json": data, "created_at": created_at, "note": note}
        )

    def register_package(
        self, package_id: str, user: str, created_by: str, schema_version: int, base: str
    ) -> None:
        """Record that package ``package_id`` was issued to ``user`` (``base``: JSON, see layout)."""
        self.db["work_packages"].insert(
            {"id": package_id, "user": user, "created_by": created_by, "created_at": now(),
             "schema_version": schema_version, "base": base}
        )

    def issued_package(self, package_id: str) -> tuple[str, int, str] | None:
        """``(user, schema_version, base)`` of a package this project issued, else None."""
        row = self.db.execute(
            "SELECT user, schema_version, base FROM work_packages WHERE id = ?", [package_id]
        ).fetchone()
        return (row[0], row[1], row[2]) if row else None

    def packages_issued_after(self, package_id: str, user: str) -> list[str]:
        """Ids of the packages issued to ``user`` after package ``package_id``, in issue order."""
        return [r[0] for r in self.db.execute(
            "SELECT id FROM work_packages WHERE user = ? AND rowid >"
            " (SELECT rowid FROM work_packages WHERE id = ?) ORDER BY rowid", [user, package_id])]

    def decisions(self, article_id: int) -> list[tuple[int, int, str, str, str, str]]:
        """Adjudication decisions of an article: ``(start, end, decision, detail, by, at)``."""
        return [tuple(r) for r in self.db.execute(
            'SELECT start, "end", decision, detail, decided_by, decided_at FROM gold_decisions'
            ' WHERE article_id = ? ORDER BY start, "end"', [article_id])]

    def set_decision(
        self, article_id: int, start: int, end: int, decision: str, detail: str, by: str, at: str
    ) -> None:
        """Record the decision of one range (replacing an earlier one)."""
        self.db.execute(
            'DELETE FROM gold_decisions WHERE article_id = ? AND start = ? AND "end" = ?',
            [article_id, start, end],
        )
        self.db["gold_decisions"].insert(
            {"article_id": article_id, "start": start, "end": end, "decision": decision,
             "detail": detail, "decided_by": by, "decided_at": at}
        )

    def delete_decision(self, article_id: int, start: int, end: int) -> None:
        """Forget the decision of one range."""
        self.db.execute(
            'DELETE FROM gold_decisions WHERE article_id = ? AND start = ? AND "end" = ?',
            [article_id, start, end],
        )

    def link_decisions(self, article_id: int) -> list[tuple[str, str, str, str, str]]:
        """Decisions on an article's link slots: ``(slot, decision, detail, by, at)`` by slot."""
        return [tuple(r) for r in self.db.execute(
            "SELECT slot, decision, detail, decided_by, decided_at FROM gold_link_decisions"
            " WHERE article_id = ? ORDER BY slot", [article_id])]

    def set_link_decision(
        self, article_id: int, slot: str, decision: str, detail: str, by: str, at: str
    ) -> None:
        """Record the decision of one link slot (replacing an earlier one)."""
        self.db.execute(
            "INSERT INTO gold_link_decisions (article_id, slot, decision, detail, decided_by,"
            " decided_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (article_id, slot) DO UPDATE SET"
            " decision = excluded.decision, detail = excluded.detail,"
            " decided_by = excluded.decided_by, decided_at = excluded.decided_at",
            [article_id, slot, decision, detail, by, at],
        )

    def delete_link_decision(self, article_id: int, slot: str) -> None:
        """Forget the decision of one link slot."""
        self.db.execute(
            "DELETE FROM gold_link_decisions WHERE article_id = ? AND slot = ?", [article_id, slot]
        )

    def decided_article_ids(self) -> list[int]:
        """Articles with at least one decision, ascending."""
        return [r[0] for r in self.db.execute(
            "SELECT DISTINCT article_id FROM gold_decisions ORDER BY 1")]
