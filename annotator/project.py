"""Use cases the desk and the CLI call: open a project, label, undo, move through the queue.

A :class:`Project` is an open project file; a :class:`Session` is one user working in it. Every
method that changes something is one transaction, so a crash between two clicks loses nothing
that was acknowledged and leaves nothing half-written. Permissions live here too (not only in
hidden buttons): a session carries its user's role.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotator.editing import Editing
from annotator.errors import PermissionDenied, ProjectError, SchemaError
from annotator.label_links import links_on_twins, restore_on_survivors
from annotator.linking import Linking
from annotator.model import Article, Schema, Span
from annotator.permissions import Gate, check_user_name
from annotator.retries import one_action
from annotator.schema import (
    load_schema_file,
    schema_from_data,
    shipped_schema_path,
    validate_schema_data,
    with_added_labels,
    with_renamed_label,
)
from annotator.store import QUEUE_ORDERS, is_server_url, open_store, server_path
from annotator.store.files import project_error
from annotator.store.protocol import ProjectStore

STATES = ("new", "in_progress", "done")
ROLES = ("annotator", "reviewer", "admin")


@dataclass(frozen=True)
class QueueRow:
    """One line of a user's article queue."""

    article_id: int
    doc_id: str
    title: str
    state: str
    span_count: int


class Project:
    """An open project file and its current label schema."""

    def __init__(self, store: ProjectStore) -> None:
        self.store = store
        self._schema: Schema | None = None

    @classmethod
    def create(cls, path: Path | str, schema_path: Path | str | None = None) -> Project:
        """Make a new project file with a copy of the schema (``schemas/news.json`` by default).

        Refuses to overwrite: an existing file may hold someone's work.
        """
        if not is_server_url(str(path)):  # a server database is checked by the store itself
            path = Path(path)
            if path.exists():
                raise ProjectError(f"{path}: already exists; refusing to overwrite it")
        data = load_schema_file(schema_path or shipped_schema_path())
        # A server project's tables commit with its first schema, or not at all.
        store = open_store(path, create=True, defer_create=True)
        try:
            with store.transaction():
                store.add_schema_version(data, note="created")
        except BaseException:
            store.close()
            raise
        return cls(store)

    @classmethod
    def open(cls, path: Path | str, *, read_only: bool = False) -> Project:
        """Open an existing project; ``read_only`` for commands that only read (stats, export):
        they then never wait behind a writer, and cannot change the file."""
        return cls(open_store(path, read_only=read_only))

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def path(self) -> Path:
        return self.store.path

    @property
    def read_only(self) -> bool:
        return self.store.read_only

    @property
    def on_server(self) -> bool:
        """A project in a server database (a ``postgresql://`` URL), not a file: it can be
        offline, and others' changes arrive while it is open (the desk shows both)."""
        return is_server_url(str(self.path))

    def set_write_patience(self, seconds: float) -> None:
        """How long a change waits behind another program's write before ProjectBusy (30 s by
        default). The desk sets a short wait and retries from its event loop instead."""
        self.store.set_busy_timeout(seconds)

    @property
    def project_id(self) -> str:
        return self.store.get_meta("project_id") or ""

    # --- the corpus, read-only: what the CLI and the desk look up (never through the store) ---

    def article(self, article_id: int) -> Article:
        """The article with this id (ProjectError when there is none)."""
        return self.store.article(article_id)

    def article_id_by_doc_id(self, doc_id: str) -> int | None:
        """The id of the article with document id ``doc_id``, or None."""
        return self.store.article_id_by_doc_id(doc_id)

    def article_ids(self) -> list[int]:
        """Every article id, ascending."""
        return self.store.article_ids()

    def article_count(self) -> int:
        """How many articles the project holds (progress bars size themselves by it)."""
        return self.store.count("articles")

    # --- schema ------------------------------------------------------------------------------

    @property
    def schema(self) -> Schema:
        if self._schema is None:
            latest = self.store.latest_schema_json()
            if latest is None:
                raise ProjectError(f"{self.path}: project has no label schema")
            self._schema = schema_from_data(latest[1], latest[0])
        return self._schema

    def schema_data(self) -> dict[str, Any]:
        latest = self.store.latest_schema_json()
        assert latest is not None
        return latest[1]

    @one_action
    def add_labels(self, names: list[str]) -> Schema:
        """Add labels (a new schema version); existing spans are untouched."""
        new = [n for n in names if n not in self.schema.names]
        if new:
            with self.store.transaction():
                self.store.add_schema_version(
                    with_added_labels(self.schema_data(), new), note="added " + ", ".join(new)
                )
            self._schema = None
        return self.schema

    @one_action
    def replace_schema(self, data: dict[str, Any], note: str = "replaced") -> Schema:
        """Install a new label set; refuses if it would drop a label that spans still use."""
        validate_schema_data(data)
        kept = {label["name"] for label in data["labels"]}
        orphaned = sorted(set(self.store.label_counts()) - kept)
        if orphaned:
            raise SchemaError(
                "labels still used by spans cannot be removed: " + ", ".join(orphaned)
                + " (rename them with 'annotator schema --rename OLD NEW' first)"
            )
        gone = sorted(_link_types_in_use(self.store.link_counts()) - _link_types(data))
        if gone:
            raise SchemaError("relation/event types or roles still used by links cannot be removed: "
                              + ", ".join(gone))
        with self.store.transaction():
            self.store.add_schema_version(data, note=note)
        self._schema = None
        return self.schema

    @one_action
    def rename_label(self, old: str, new: str) -> int:
        """Rename a label in the schema and in every span, in one transaction."""
        data = self.schema_data()
        if old not in self.schema.names:
            raise SchemaError(f"no label {old!r} in the schema")
        if new in self.schema.names:
            raise SchemaError(f"label {new!r} already exists (merge {old} into it instead)")
        with self.store.transaction():
            changed = self.store.rename_label(old, new)
            self.store.add_schema_version(
                validate_schema_data(with_renamed_label(data, old, new)), note=f"renamed {old} to {new}"
            )
        self._schema = None
        return changed

    @one_action
    def merge_label(self, old: str, new: str) -> tuple[int, int]:
        """Merge label ``old`` into the existing ``new`` (spans relabelled, ``old`` leaves the
        schema), in one transaction; a corpus imported as ``PER`` joins the schema's ``PERSON``.

        Returns ``(spans relabelled, duplicate spans removed)``: a layer holding the same range
        under both labels keeps one span, which takes over the removed one's relations and
        event roles (``annotator.label_links``).
        """
        data = self.schema_data()
        for name in (old, new):
            if name not in self.schema.names:
                raise SchemaError(f"no label {name!r} in the schema")
        if old == new:
            raise SchemaError(f"cannot merge {old} into itself")
        labels = [lab for lab in data["labels"] if lab["name"] != old]
        merged = with_renamed_label({**data, "labels": labels}, old, new)  # links name it too
        with self.store.transaction():
            twins = links_on_twins(self.store, old, new)  # a removed duplicate's links move
            counts = self.store.merge_label(old, new)
            restore_on_survivors(self.store, twins)
            self.store.add_schema_version(validate_schema_data(merged), note=f"merged {old} into {new}")
        self._schema = None
        return counts

    def check_labels(self, labels: set[str]) -> list[str]:
        """Labels not in the schema, sorted."""
        return sorted(labels - set(self.schema.names))

    # --- users -------------------------------------------------------------------------------

    def role_of(self, user: str) -> str:
        """The role recorded for ``user``; an unregistered user is an annotator."""
        return self.store.role_of(user) or "annotator"

    def session(self, user: str, role: str | None = None) -> Session:
        """A user's session. The role is the one recorded for the user unless given."""
        check_user_name(user)
        recorded = self.role_of(user)
        # Once a team is registered, a role is what the users table says, not what a caller claims.
        if role and role != recorded and self.store.users():
            raise PermissionDenied(f"{user} is registered as {recorded}, not {role}")
        return Session(self, user, role or recorded)


class Session(Gate, Editing, Linking):
    """One user working in a project: labelling, undo, queue and position.

    It is also the one permission gate (:class:`annotator.permissions.Gate`): ``can_read``,
    ``readable_layers``, ``require_write``, ``require``; every command and desk action asks it.
    Its span editing and undo/redo live in :class:`annotator.editing.Editing`, its relations
    and event frames in :class:`annotator.linking.Linking`.
    """

    store: ProjectStore  # the whole store (the gate itself needs only a part of it: GateStore)

    def __init__(self, project: Project, user: str, role: str = "annotator") -> None:
        if role not in ROLES:
            raise PermissionDenied(f"unknown role {role!r}")
        self.project = project
        self.store = project.store
        self.user = user
        self.role = role

    # --- reading -----------------------------------------------------------------------------

    def article(self, article_id: int) -> Article:
        return self.store.article(article_id)

    def spans(self, article_id: int) -> list[Span]:
        """The spans this user works on: their own layer."""
        return self.store.spans(article_id, [self.user])

    def queue(
        self, state: str | None = None, search: str | None = None, label: str | None = None,
        offset: int = 0, limit: int = 200, order: str = "id",
    ) -> list[QueueRow]:
        """A page of the queue; ``order`` is ``"id"`` or ``"uncertainty"`` (see ``Store.queue``)."""
        rows = self.store.queue(
            self.user, state=state, search=_search_query(search), label=label,
            offset=offset, limit=limit, order=order,
        )
        return [QueueRow(*row) for row in rows]

    def queue_order(self) -> str:
        """This user's remembered queue order (kept in the project, so it follows the file)."""
        order = self.store.get_meta(f"queue_order:{self.user}") or "id"
        return order if order in QUEUE_ORDERS else "id"

    @one_action
    def set_queue_order(self, order: str) -> None:
        if order not in QUEUE_ORDERS:
            raise ProjectError(f"unknown queue order {order!r}; one of {', '.join(QUEUE_ORDERS)}")
        with self.store.transaction():
            self.store.set_meta(f"queue_order:{self.user}", order)

    def queue_count(
        self, state: str | None = None, search: str | None = None, label: str | None = None
    ) -> int:
        return self.store.queue_count(self.user, state=state, search=_search_query(search), label=label)

    def find_matches(self, article_id: int, start: int, end: int) -> list[tuple[int, int]]:
        """Every normalised occurrence of ``text[start:end]`` in the article, as offsets."""
        from annotator.text.normalize import find_all  # see _search_query

        text = self.article(article_id).text
        return find_all(text, text[start:end])

    # --- other layers, read-only (starting from one: annotator.editing) -----------------------

    def reference_layers(self) -> list[str]:
        """Human or imported layers besides this user's own that they may read (not suggestions:
        the desk shows those as suggestions), e.g. ``import`` after a labelled corpus came in."""
        from annotator.suggest.layers import is_suggestion_layer, registered_layers

        registered = registered_layers(self.store)
        return [layer for layer in self.readable_layers()
                if layer != self.user and "/" not in layer and not is_suggestion_layer(layer, registered)]

    def layer_spans(self, article_id: int, layer: str) -> list[Span]:
        """Another layer's spans of an article, if this session may read it (else PermissionDenied)."""
        self.require_read(layer)
        return self.store.spans(article_id, [layer])

    # --- suggestions (annotator.suggest); accepting and rejecting: annotator.editing -----------

    def reading_filter(self) -> list[str] | None:
        """The layers this session reads, or None when it reads every one (no filter needed)."""
        return None if self.sees_all() else self.readable_layers()

    def pending_suggestions(self, article_id: int) -> list[Span]:
        """Suggestions this user has still to decide, from the suggestion layers they may read."""
        from annotator.suggest.layers import pending_suggestions

        return pending_suggestions(self.store, article_id, self.user, self.reading_filter())

    # --- progress and position -----------------------------------------------------------------

    def state(self, article_id: int) -> str:
        return self.store.state(article_id, self.user) or "new"

    @one_action
    def set_state(self, article_id: int, state: str) -> None:
        if state not in STATES:
            raise ProjectError(f"unknown state {state!r}; one of {', '.join(STATES)}")
        with self.store.transaction():
            self.store.set_state(article_id, self.user, state)
            if state == "done":  # finished work goes back to the pool (annotator.team.claims)
                self.store.release_claim(article_id, self.user)

    def next_article(self, after_id: int | None = None, order: str = "id") -> int | None:
        """The next not-done article of this user's queue: after ``after_id`` in id order; the
        most informative one other than ``after_id`` in ``"uncertainty"`` order."""
        return self.store.next_article(self.user, after_id or 0, order)

    @one_action
    def save_position(self, article_id: int, cursor: int) -> None:
        with self.store.transaction():
            self.store.save_position(self.user, article_id, cursor)

    def last_position(self) -> tuple[int, int] | None:
        return self.store.position(self.user)


def project_location(name: str) -> Path:
    """What names a project on the command line: a file path, or a server project's
    ``postgresql://`` / ``postgres://`` URL as a Path that prints as the URL without its
    password (``.name`` is the database). The CLI parses every project argument here.

    >>> str(project_location("postgresql://sara:pw@db.example/news")), project_location("a.db")
    ('postgresql://sara@db.example/news', PosixPath('a.db'))
    """
    return server_path(name) if is_server_url(name) else Path(name)


def on_server(location: object) -> bool:
    """Whether ``location`` (a project argument, or ``project.path``) is a server project:
    file-only features (backups, restore, integrity repair) refuse it with one line."""
    return is_server_url(str(location))


def storage_failure(exc: BaseException, where: object) -> ProjectError | None:
    """An error the storage under a project raised (SQLite's, which names no file), as the one
    line the CLI prints naming ``where``; None when ``exc`` is not one. The CLI asks here, not
    the store: the store is private behind this module."""
    return project_error(exc, where)


def _link_types_in_use(counts: list[tuple[str, str, str, int]]) -> set[str]:
    """Relation types, event types and ``event/role`` names that stored links use."""
    return {name for _, _, name, _ in counts}


def _link_types(data: dict[str, Any]) -> set[str]:
    """Relation types, event types and ``event/role`` names a schema declares."""
    events = data.get("event_types", [])
    return ({r["name"] for r in data.get("relation_types", [])} | {e["name"] for e in events}
            | {f"{e['name']}/{role['name']}" for e in events for role in e["roles"]})


def _search_query(search: str | None) -> str | None:
    if not search:
        return None
    # Imported on first use: the normaliser builds its folding table over the whole BMP at
    # import (~5 ms), which opening a project and its first queue page (the desk's start,
    # bench/bench_desk.py) do not need.
    from annotator.text.normalize import search_key

    key = search_key(search).strip()
    return key or None
