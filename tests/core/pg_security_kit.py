"""A blind team project on a PostgreSQL server, and the Gate's view of the same project.

sara (admin), huda (reviewer), ali and mona (annotators), each a real login with password
``<name>-pw``; one article; a span in each kind of layer: a person's, gold, an imported model's
(``model-x``), a plain import (``import``), shared suggestions built from gold (``suggest:crf``)
and from everyone (``suggest:gazetteer``), and ali's own suggestions (``suggest:gazetteer/ali``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from contextlib import AbstractContextManager, nullcontext
from typing import Any

import psycopg

from annotator.model import GOLD
from annotator.permissions import Gate
from annotator.store.pg.logins import set_login
from annotator.suggest.layers import BASIS_KEY

ROLES = {"sara": "admin", "huda": "reviewer", "ali": "annotator", "mona": "annotator"}
LAYERS = ["ali", "mona", GOLD, "model-x", "import", "suggest:crf", "suggest:gazetteer",
          "suggest:gazetteer/ali", "suggest:crf/mona", "huda", "sara"]
BASIS = {"suggest:crf": [GOLD], "suggest:gazetteer": ["ali", "mona"],
         "suggest:gazetteer/ali": ["ali"], "suggest:crf/mona": ["mona"]}
LOOKALIKES = ["Gold", "ali\u200f", " mona"]
MODELS = {"crf": [GOLD], "crf/ali": ["ali"], "crf/mona": ["mona"], "external": []}
"""Saved models and what each learnt from (``info['basis']``)."""
REJECTIONS = [("ali", "suggest:gazetteer/ali"), ("mona", "suggest:crf/mona"), ("huda", "suggest:crf"),
              ("ali", "model-x")]
PACKAGES = ["ali", "mona"]


def password(name: str) -> str:
    return f"{name}-pw"


def populate(owner: psycopg.Connection, visibility: str = "blind") -> int:
    """Fill a secured project (as its owner): logins, one article, one span per layer, a gold
    decision, a state, a position, a history step and a queue priority per user; the article's id."""
    for name, role in ROLES.items():
        set_login(owner, name, role, password(name))
    with owner.transaction(), owner.cursor() as cur:
        cur.execute("INSERT INTO project_meta (key, value) VALUES (%s, %s), (%s, %s)",
                    ("team.visibility", visibility, BASIS_KEY, json.dumps(BASIS)))
        cur.execute("INSERT INTO articles (doc_id, title, text, content_hash)"
                    " VALUES ('a1', 't1', 'زار وزير الدفاع دمشق', 'h1') RETURNING id")
        article = cur.fetchone()[0]
        for layer in LAYERS:
            cur.execute('INSERT INTO spans (article_id, start, "end", label, text, annotator)'
                        " VALUES (%s, 0, 3, 'PERSON', 'زار', %s)", (article, layer))
            cur.execute('INSERT INTO article_states (article_id, "user", state) VALUES (%s, %s, %s)',
                        (article, layer, "done"))
        for user in ROLES:
            cur.execute('INSERT INTO positions ("user", article_id, cursor) VALUES (%s, %s, 0)',
                        (user, article))
            cur.execute('INSERT INTO history ("user", article_id, action, undone)'
                        " VALUES (%s, %s, '{}', 0)", (user, article))
            cur.execute('INSERT INTO article_priority ("user", article_id, score) VALUES (%s, %s, 1)',
                        (user, article))
        for name, basis in MODELS.items():
            cur.execute("INSERT INTO suggestion_models (name, info) VALUES (%s, %s)",
                        (name, json.dumps({"basis": basis})))
        for end, (user, layer) in enumerate(REJECTIONS, start=1):
            cur.execute('INSERT INTO suggestion_rejections (article_id, "user", start, "end", label,'
                        " layer) VALUES (%s, %s, 0, %s, 'PERSON', %s)", (article, user, end, layer))
        for user in PACKAGES:
            cur.execute('INSERT INTO work_packages (id, "user", base) VALUES (%s, %s, %s)',
                        (f"p-{user}", user, "{}"))
        cur.execute('INSERT INTO gold_decisions (article_id, start, "end", decision, decided_by)'
                    " VALUES (%s, 0, 3, 'accept', 'huda')", (article,))
        cur.execute("INSERT INTO gold_link_decisions (article_id, slot, decision, decided_by)"
                    " VALUES (%s, 'r:0:3', 'accept', 'huda')", (article,))
    return int(article)


class SnapshotStore:
    """What the Gate reads (users, meta, layers), read once by the owner: the Gate's own view."""

    def __init__(self, owner: psycopg.Connection) -> None:
        with owner.cursor() as cur:
            self._users = [tuple(r) for r in cur.execute("SELECT name, role FROM users ORDER BY 1")]
            self._meta = dict(cur.execute("SELECT key, value FROM project_meta").fetchall())
            self._layers = [r[0] for r in cur.execute("SELECT DISTINCT annotator FROM spans ORDER BY 1")]

    def users(self) -> list[tuple[str, str]]:
        return list(self._users)  # type: ignore[arg-type]

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        return self._meta.get(key, default)

    def annotators(self) -> list[str]:
        return list(self._layers)

    def transaction(self) -> AbstractContextManager[Any]:
        return nullcontext()

    def set_meta(self, key: str, value: str) -> None:
        raise AssertionError("the Gate only reads")

    def spans(self, article_id: int, annotators: Iterable[str] | None = None) -> list[Any]:
        raise AssertionError("the Gate reads no spans")


def gate_of(owner: psycopg.Connection, user: str) -> Gate:
    """The core's Gate for ``user`` over the project as the database holds it now."""
    gate = Gate()
    gate.store = SnapshotStore(owner)  # type: ignore[assignment]
    gate.user = user
    gate.role = dict(gate.store.users()).get(user, "annotator")
    return gate
