"""The store as the core sees it: a typed interface a second backend can implement.

Why a :class:`~typing.Protocol`: the core's use cases (``annotator.project`` and the modules it
calls) depend on *what* a project file can do, never on SQLite. :class:`annotator.store.Store`
implements it over one SQLite file; the PostgreSQL team server (issue 14) will implement it over
a server. ``tests/core/test_store_contract.py`` runs one suite against every backend, so both
keep the same meaning (ordering, idempotence, what "none" returns).

Conventions every implementation keeps:

* offsets are code points over an article's stored text, a span is ``[start, end)``;
* a *layer* is an annotator name (``gold`` for adjudicated spans, ``suggest:*`` for suggesters);
* lists come back in a stable, documented order, so the desk and exports are reproducible;
* every write happens inside :meth:`ProjectStore.transaction` (nested calls join the outer one);
* ``None`` means "no such row", never an error; ``ProjectError`` is raised for a missing
  article or span requested by id.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Protocol

from annotator.model import Article, Event, Relation, Span


class ChangeWatcher(Protocol):
    """Others' commits to a project, asked without blocking (``store.watch_changes()``)."""

    def changed(self) -> bool:
        """True when someone committed since the last call (at most once per batch)."""

    def close(self) -> None:
        """Release what the watcher holds (its connection)."""


class ProjectStore(Protocol):
    """Every operation the core asks of a project's storage (see the module docstring)."""

    path: Path
    read_only: bool
    """Opened for reading only (asked, or the file cannot be written): every write refuses."""

    # --- connection, metadata, schemas ----------------------------------------------------

    def close(self) -> None:
        """Release the connection; the object is unusable afterwards."""

    def set_busy_timeout(self, seconds: float) -> None:
        """How long a write waits for another writer before ``ProjectBusy`` (the desk waits a
        fraction of a second and retries from its event loop; the CLI waits 30 s)."""

    def transaction(self) -> AbstractContextManager[Any]:
        """One all-or-nothing unit of work; nested calls join the outer transaction."""

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        """A project-wide setting (``project_meta``), or ``default`` when unset."""

    def set_meta(self, key: str, value: str) -> None:
        """Set a project-wide setting, replacing any previous value."""

    def latest_schema_json(self) -> tuple[int, dict[str, Any]] | None:
        """``(version, schema data)`` of the newest label schema; None for an empty file."""

    def add_schema_version(self, data: dict[str, Any], note: str) -> int:
        """Store ``data`` as the next schema version (old ones are kept); returns its number."""

    def schema_rows(self) -> list[tuple[int, str, str, str]]:
        """Every schema version as ``(version, json, created_at, note)``, oldest first."""

    def insert_schema_row(self, version: int, data: str, created_at: str, note: str) -> None:
        """Copy one schema version verbatim (packages carry their project's history)."""

    def make_self_contained(self) -> None:
        """Fold any side files (a write-ahead log) into the main file, so copying that one file
        copies everything; called before a package is renamed into place."""

    # --- articles ---------------------------------------------------------------------------

    def insert_article(
        self, *, doc_id: str, title: str, text: str, meta: dict[str, Any], content_hash: str,
        source_path: str, title_key: str, text_key: str, imported_at: str | None = None,
    ) -> int:
        """Add an article and its search keys; returns its id. ``text`` never changes later."""

    def prepare_bulk_insert(self) -> None:
        """A hint before many :meth:`insert_article` calls (may trade memory for speed)."""

    def article(self, article_id: int) -> Article:
        """The article with this id (ProjectError when there is none)."""

    def iter_articles(self, ids: Sequence[int] | None = None) -> Iterator[Article]:
        """Articles in id order (or in ``ids`` order), streamed."""

    def article_ids(self) -> list[int]:
        """Every article id, ascending."""

    def article_id_by_hash(self, content_hash: str) -> int | None:
        """The article whose text has this hash (imports skip a text already stored)."""

    def article_id_by_doc_id(self, doc_id: str) -> int | None:
        """The article with this document id, or None."""

    def doc_id_taken(self, doc_id: str) -> bool:
        """Whether an article already uses ``doc_id`` (they are unique)."""

    def search_keys(self, article_id: int) -> tuple[str, str]:
        """The folded ``(title, text)`` keys the queue's search matches; ``("", "")`` if none."""

    def count(self, table: str) -> int:
        """How many rows ``table`` holds (``"articles"``, ``"spans"``)."""

    # --- spans ------------------------------------------------------------------------------

    def insert_span(self, article_id: int, span: Span) -> Span:
        """Store ``span`` in its annotator's layer; returns it with its new id."""

    def insert_new_span(self, article_id: int, span: Span) -> Span | None:
        """Store ``span`` unless its layer already holds the same ``(start, end, label)``;
        returns it with its new id, or None (nothing stored). One step where a check and an
        insert would be two round trips to a server."""

    def insert_spans(self, article_id: int, spans: Sequence[Span], stamp: str) -> int:
        """Store the spans their layers do not hold yet (duplicates skipped); returns how many."""

    def restore_span(self, article_id: int, span: Span) -> Span:
        """Re-insert a deleted span under its old id (undo/redo keep referring to it)."""

    def span(self, span_id: int) -> tuple[int, Span]:
        """``(article_id, span)`` of a span id (ProjectError when there is none)."""

    def span_exists(self, article_id: int, span: Span) -> int | None:
        """The id of the same ``(annotator, start, end, label)`` in the article, or None."""

    def delete_span(self, span_id: int) -> None:
        """Delete a span (no error if it is already gone)."""

    def set_span_label(self, span_id: int, label: str) -> None:
        """Change one span's label."""

    def spans(self, article_id: int, annotators: Iterable[str] | None = None) -> list[Span]:
        """An article's spans by ``(start, -end, label, annotator)``; optionally some layers only."""

    def replace_layer_spans(self, article_id: int, annotator: str, spans: Iterable[Span]) -> int:
        """Make one layer of one article hold exactly ``spans``; returns how many."""

    def articles_of_layer(self, layer: str) -> list[int]:
        """Articles a layer worked on (has spans there, or its user marked them), ascending."""

    def annotators(self) -> list[str]:
        """Every layer that holds spans, sorted."""

    def label_counts(self) -> dict[str, int]:
        """``{label: number of spans}`` over all layers."""

    def span_counts_by(self, column: str) -> list[tuple[Any, ...]]:
        """``(annotator, label, count)`` rows, sorted (``column`` is ``"annotator"``)."""

    def span_texts(self) -> list[tuple[str, str, str, int]]:
        """``(annotator, label, text, count)`` of every distinct labelled text, sorted."""

    def layers_by_article(self) -> dict[int, dict[str, int]]:
        """``{article_id: {layer: span count}}`` for every article that has spans."""

    def rename_label(self, old: str, new: str) -> int:
        """Relabel every ``old`` span as ``new``; returns how many."""

    def merge_label(self, old: str, new: str) -> tuple[int, int]:
        """Relabel ``old`` as ``new``, dropping spans that would repeat; ``(moved, dropped)``."""

    # --- links: relations and event frames (layout 7) ----------------------------------------
    # Ends are span ids; deleting a span deletes the links that use it (the session records
    # them for undo first). Rules (same layer, allowed labels) are the session's, not the store's.

    def insert_relation(self, article_id: int, relation: Relation) -> Relation:
        """Store a relation whose ends carry span ids; returns it with its id (``relation.id``
        when given and free: undo restores a link under its old id)."""

    def delete_relation(self, relation_id: int) -> None:
        """Delete a relation (no error if it is already gone)."""

    def relations(self, article_id: int, annotators: Iterable[str] | None = None) -> list[Relation]:
        """An article's relations by ``(head start, -head end, tail start, -tail end, type,
        annotator, id)``, ends as whole spans; optionally some layers only."""

    def insert_event(self, article_id: int, event: Event) -> Event:
        """Store an event and its arguments (spans carry ids); its id as for relations."""

    def delete_event(self, event_id: int) -> None:
        """Delete an event with its arguments (no error if it is already gone)."""

    def insert_argument(self, event_id: int, role: str, span_id: int) -> None:
        """Let a span fill a role of an event (idempotent)."""

    def delete_argument(self, event_id: int, role: str, span_id: int) -> None:
        """Remove one filler of a role (no error if it is not there)."""

    def events(self, article_id: int, annotators: Iterable[str] | None = None) -> list[Event]:
        """An article's events by ``(trigger start, -trigger end, type, annotator, id)``; each
        one's arguments by ``(role, start, -end, label)``; optionally some layers only."""

    def links(self, article_id: int, annotators: Iterable[str] | None = None
              ) -> tuple[list[Relation], list[Event]]:
        """``(relations(...), events(...))`` as those two give them, in one step (one round trip
        to a server: what a delete or a relabel reads to know which links it breaks)."""

    def link_counts(self) -> list[tuple[str, str, str, int]]:
        """``(kind, annotator, type, count)``: kind ``relation``, ``event`` or ``argument``
        (type ``event-type/role``), sorted."""

    # --- per-user work: states, queue, position, undo history -------------------------------

    def set_state(self, article_id: int, user: str, state: str) -> None:
        """Record a user's state of an article (``new``, ``in_progress``, ``done``)."""

    def touch_state(self, article_id: int, user: str) -> None:
        """Record ``in_progress`` for ``user`` unless her state is already past ``new``."""

    def state(self, article_id: int, user: str) -> str | None:
        """A user's recorded state of an article, or None when never recorded."""

    def state_counts(self) -> dict[str, int]:
        """``{state: number of articles some user holds in it}``."""

    def states_of(self, user: str) -> dict[int, str]:
        """``{article_id: state}`` of one user."""

    def states_by_article(self) -> dict[int, dict[str, str]]:
        """``{article_id: {user: state}}`` of every recorded state."""

    def article_users_with_state(self, article_id: int, state: str) -> list[str]:
        """Users whose state of the article is ``state``, sorted."""

    def queue(
        self, user: str, *, state: str | None, search: str | None, label: str | None,
        offset: int, limit: int, order: str = "id",
    ) -> list[tuple[int, str, str, str, int]]:
        """A page of ``(id, doc_id, title, state, span count)`` of a user's queue."""

    def queue_count(
        self, user: str, *, state: str | None, search: str | None, label: str | None
    ) -> int:
        """How many articles the same filters give."""

    def next_article(self, user: str, after_id: int, order: str = "id") -> int | None:
        """The not-done article to open after ``after_id`` (see ``Session.next_article``)."""

    def unfinished_articles(self, user: str | None = None) -> list[int]:
        """Ids of a user's queue not marked done by them (or nobody's done, without a user)."""

    def save_position(self, user: str, article_id: int, cursor: int) -> None:
        """Remember where a user was (one position per user)."""

    def claim_next(self, user: str, after_id: int, order: str, lapse_s: float,
                   lapse_key: str | None = None) -> int | None:
        """Claim the article ``next_article`` would give, skipping others' unlapsed claims, for
        ``lapse_s`` seconds (or the seconds the setting ``lapse_key`` holds, when set: read in
        the same step); the user's other claims are released. Never the same article to two
        people at once, however many ask together. None: nothing free. Inside a transaction."""

    def release_claim(self, article_id: int, user: str) -> None:
        """Give back ``user``'s claim of an article (no error when they hold none)."""

    def claims(self) -> list[tuple[int, str, str, str]]:
        """Stored claims ``(article_id, user, claimed_at, expires_at)`` by article, lapsed too."""

    def dump_tables(self) -> Iterator[tuple[str, tuple[str, ...], Iterator[tuple[Any, ...]]]]:
        """Every table ``(name, columns, rows)``, ids included, in an order the other backend's
        :meth:`load_tables` can insert (``annotator copy``)."""

    def load_tables(
        self, tables: Iterator[tuple[str, tuple[str, ...], Iterator[tuple[Any, ...]]]]
    ) -> int:
        """Make this fresh project hold exactly ``tables`` (inside a transaction); row count."""

    def holds_project_data(self) -> bool:
        """Whether anything beyond a fresh layout is stored (a copy refuses to overwrite it)."""

    def watch_changes(self) -> ChangeWatcher:
        """A watcher of other connections' commits (the review desk and ``stats --watch``)."""

    def position(self, user: str) -> tuple[int, int] | None:
        """``(article_id, cursor)`` a user was last at, or None."""

    def push_action(self, user: str, article_id: int, action: dict[str, Any],
                    client_id: str | None = None) -> None:
        """Record a done action (JSON-able) with the id of the desk's change that made it, if
        any; it clears that user's redo branch of the article."""

    def last_action(
        self, user: str, article_id: int, *, undone: bool
    ) -> tuple[int, dict[str, Any]] | None:
        """``(id, action)`` undo would revert (``undone=False``) or redo would repeat."""

    def mark_action(self, action_id: int, *, undone: bool, client_id: str | None = None) -> None:
        """Move an action between the undo and the redo side; the step then carries
        ``client_id`` (the desk's change that moved it, or none)."""

    def client_change_stored(self, client_id: str) -> bool:
        """Whether a step carries ``client_id``: the desk's change with that id is stored."""

    def replace_priorities(self, user: str, scores: Mapping[int, float], model: str) -> int:
        """Make a user's stored article priorities exactly ``scores``; returns how many."""

    def priorities(self, user: str) -> dict[int, float]:
        """``{article_id: score}`` of a user's priorities, highest first."""

    def priority_users(self) -> list[str]:
        """Users with stored priorities, sorted."""

    def priority_model(self, user: str) -> str | None:
        """The model tag of a user's priorities, or None."""

    # --- teams: users, assignments, packages, adjudication ----------------------------------

    def users(self) -> list[tuple[str, str]]:
        """Registered ``(name, role)`` pairs, by name."""

    def role_of(self, user: str) -> str | None:
        """A registered user's role, or None when the user is not registered."""

    def set_user(self, name: str, role: str) -> None:
        """Register a user or change their role."""

    def assignments(self) -> list[tuple[int, str]]:
        """Every ``(article_id, user)`` assignment, by article then user."""

    def assign(self, article_id: int, user: str) -> None:
        """Assign an article to a user (idempotent)."""

    def clear_assignments(self) -> None:
        """Remove every assignment."""

    def assigned_articles(self, user: str) -> list[int]:
        """Articles assigned to a user, ascending."""

    def assignees(self, article_id: int) -> list[str]:
        """Users an article is assigned to, sorted."""

    def register_package(
        self, package_id: str, user: str, created_by: str, schema_version: int, base: str
    ) -> None:
        """Record that a work package was issued to ``user``."""

    def issued_package(self, package_id: str) -> tuple[str, int, str] | None:
        """``(user, schema_version, base)`` of an issued package, or None."""

    def packages_issued_after(self, package_id: str, user: str) -> list[str]:
        """Ids of the packages issued to ``user`` after ``package_id``, in issue order."""

    def decisions(self, article_id: int) -> list[tuple[int, int, str, str, str, str]]:
        """Adjudication decisions ``(start, end, decision, detail, by, at)`` by range."""

    def set_decision(
        self, article_id: int, start: int, end: int, decision: str, detail: str, by: str, at: str
    ) -> None:
        """Record the decision of one range (replacing an earlier one)."""

    def delete_decision(self, article_id: int, start: int, end: int) -> None:
        """Forget the decision of one range."""

    def link_decisions(self, article_id: int) -> list[tuple[str, str, str, str, str]]:
        """Decisions on an article's link slots ``(slot, decision, detail, by, at)`` by slot."""

    def set_link_decision(
        self, article_id: int, slot: str, decision: str, detail: str, by: str, at: str
    ) -> None:
        """Record the decision of one link slot (replacing an earlier one)."""

    def delete_link_decision(self, article_id: int, slot: str) -> None:
        """Forget the decision of one link slot."""

    def decided_article_ids(self) -> list[int]:
        """Articles with at least one decision, ascending."""

    # --- suggestions ------------------------------------------------------------------------

    def insert_rejection(self, article_id: int, user: str, span: Span) -> None:
        """Remember that ``user`` rejected suggestion ``span`` (idempotent)."""

    def delete_rejection(self, article_id: int, user: str, span: Span) -> None:
        """Forget a rejection (its undo)."""

    def rejections(
        self, article_id: int | None = None, user: str | None = None
    ) -> list[tuple[int, str, Span]]:
        """``(article_id, user, span)`` of remembered rejections; the span's annotator is its layer."""

    def add_gazetteer_names(self, label: str, names: Iterable[tuple[str, str]], source: str) -> int:
        """Add ``(name, key)`` pairs to a label's list; returns how many were new."""

    def gazetteer_names(self) -> list[tuple[str, str, str]]:
        """Every ``(label, name, source)``, by label, key and source."""

    def delete_gazetteer(self, label: str | None = None, source: str | None = None) -> int:
        """Delete gazetteer names (optionally of one label and/or source); returns how many."""

    def save_model(self, name: str, model: bytes, info: dict[str, Any]) -> None:
        """Store a trained model under ``name`` (replacing an older one)."""

    def load_model(self, name: str) -> tuple[bytes, dict[str, Any], str] | None:
        """``(model bytes, info, trained_at)`` of a stored model, or None."""
