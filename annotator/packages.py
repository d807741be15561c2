"""Work packages: one annotator's share of a project, labelled on another machine, merged back.

A package is itself a project file (same SQLite layout, so the desk opens it like any project)
holding only the annotator's assigned articles, every schema version, their own spans and
states, and in ``project_meta`` where it came from: the source project's id and schema version,
the annotator's name, and the annotator's spans at packing time (the *base*).

Merging is a three-way merge of that one layer, per article: spans in the package but not in the
project are added; spans that were in the base but are gone from the package (removed or
relabelled there) are removed; anything else in the project is left alone (work done in the
project after packing survives). That makes a merge idempotent (twice = once), and it never
touches another annotator's layer. Articles are matched by the hash of their text, never by a
path or a file name stored in the package.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.atomic_files import TEMP_PREFIX
from annotator.errors import PermissionDenied, ProjectError
from annotator.model import GOLD, Span, make_span
from annotator.project import Project, Session
from annotator.store import Store, now
from annotator.teams import ADMINS

KIND = "work-package"
_KEYS = {
    "kind": "package.kind", "source": "package.source_project_id",
    "schema": "package.source_schema_version", "user": "package.user",
    "created": "package.created_at", "base": "package.base_spans",
}

SpanKey = tuple[int, int, str]


@dataclass(frozen=True)
class PackageInfo:
    """What a package says about itself."""

    user: str
    source_project_id: str
    source_schema_version: int
    created_at: str
    articles: int


@dataclass
class ArticleMerge:
    """Counts of one article's merge: ``changed`` = same range, new label."""

    doc_id: str
    added: int = 0
    changed: int = 0
    removed: int = 0
    state: str | None = None

    @property
    def touched(self) -> bool:
        return bool(self.added or self.changed or self.removed or self.state)


@dataclass
class MergeReport:
    user: str
    articles: list[ArticleMerge] = field(default_factory=list)
    ignored_spans: int = 0

    def totals(self) -> tuple[int, int, int]:
        return (sum(a.added for a in self.articles), sum(a.changed for a in self.articles),
                sum(a.removed for a in self.articles))

    def lines(self) -> list[str]:
        added, changed, removed = self.totals()
        touched = sum(a.touched for a in self.articles)
        out = [f"merged {self.user}: {added} added, {changed} changed, {removed} removed in "
               + f"{touched} of {len(self.articles)} articles"]
        for a in self.articles:
            if a.touched:
                state = f", state {a.state}" if a.state else ""
                out.append(f"  {a.doc_id}: +{a.added} ~{a.changed} -{a.removed}{state}")
        if self.ignored_spans:
            out.append(f"  ignored {self.ignored_spans} spans of other layers found in the package")
        return out


# --- pack ------------------------------------------------------------------------------------


def pack(actor: Session, user: str, out_path: Path | str) -> PackageInfo:
    """Write ``user``'s package to ``out_path`` (admins, or the user for themself).

    Built in a temporary file beside ``out_path`` and renamed over it only when complete.
    """
    if actor.user != user:
        actor.require(*ADMINS)
    project = actor.project
    ids = project.store.assigned_articles(user)
    if not ids:
        raise ProjectError(f"{user} has no assigned articles (run 'annotator assign' first)")
    out = Path(out_path)
    fd, temp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".part", dir=out.parent or ".")
    os.close(fd)
    temp = Path(temp_name)
    try:
        info = _fill(project, user, ids, temp)
        with open(temp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(temp, out)
    finally:
        for leftover in (temp, Path(f"{temp}-wal"), Path(f"{temp}-shm")):
            leftover.unlink(missing_ok=True)
    return info


def _fill(project: Project, user: str, ids: list[int], path: Path) -> PackageInfo:
    src = project.store
    dst = Store(path, create=True)
    try:
        base: dict[str, list[SpanKey]] = {}
        states = src.states_of(user)
        with dst.transaction():
            for row in src.schema_rows():
                dst.insert_schema_row(*row)
            dst.set_user(user, "annotator")
            for article in src.iter_articles(ids):
                new_id = dst.insert_article(
                    article.doc_id, article.title, article.text, dict(article.meta),
                    article.content_hash, "", *src.search_keys(article.id),
                )
                dst.assign(new_id, user)
                spans = src.spans(article.id, [user])
                for span in spans:
                    dst.insert_span(new_id, span)
                base[article.content_hash] = [span.key for span in spans]
                if article.id in states:
                    dst.set_state(new_id, user, states[article.id])
            info = PackageInfo(user, project.project_id, project.schema.version, now(), len(ids))
            for key, value in (("kind", KIND), ("source", info.source_project_id),
                               ("schema", str(info.source_schema_version)), ("user", user),
                               ("created", info.created_at), ("base", json.dumps(base))):
                dst.set_meta(_KEYS[key], value)
        # A self-contained single file: fold the WAL back in before it is renamed and copied.
        dst.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        dst.db.execute("PRAGMA journal_mode = DELETE")
    finally:
        dst.close()
    return info


# --- read and merge --------------------------------------------------------------------------


def package_info(store: Store) -> PackageInfo | None:
    """The package header of an open project file; None when it is an ordinary project."""
    if store.get_meta(_KEYS["kind"]) != KIND:
        return None
    return PackageInfo(
        store.get_meta(_KEYS["user"]) or "", store.get_meta(_KEYS["source"]) or "",
        int(store.get_meta(_KEYS["schema"]) or 0), store.get_meta(_KEYS["created"]) or "",
        store.count("articles"),
    )


def merge(actor: Session, package_path: Path | str) -> MergeReport:
    """Bring a package's layer back into the actor's project (admins only), all or nothing."""
    actor.require(*ADMINS)
    project = actor.project
    path = Path(package_path)
    if not path.is_file():
        raise ProjectError(f"{path}: no such package")
    package = Store(path)
    try:
        info = _check(project, package, path)
        return _merge(project, package, info)
    finally:
        package.close()


def _check(project: Project, package: Store, path: Path) -> PackageInfo:
    info = package_info(package)
    if info is None:
        raise ProjectError(f"{path}: not a work package (made by 'annotator pack')")
    if info.source_project_id != project.project_id:
        raise ProjectError(
            f"{path}: a package of another project ({info.source_project_id[:8]}), "
            f"not of {project.path.name} ({project.project_id[:8]}); nothing merged"
        )
    current = project.schema.version
    if info.source_schema_version != current:
        raise ProjectError(
            f"{path}: packed with schema version {info.source_schema_version}, the project is at "
            f"version {current}; nothing merged (pack again, or migrate the package's schema)"
        )
    latest = package.latest_schema_json()
    if latest is None or latest[0] != info.source_schema_version:
        raise ProjectError(f"{path}: the schema was changed inside the package; nothing merged")
    if not info.user or info.user == GOLD:
        raise PermissionDenied(f"{path}: package of {info.user!r}, which is not a user layer")
    return info


def _merge(project: Project, package: Store, info: PackageInfo) -> MergeReport:
    store, user = project.store, info.user
    base: dict[str, list[list[Any]]] = json.loads(package.get_meta(_KEYS["base"]) or "{}")
    states = package.states_of(user)
    report = MergeReport(user)
    with store.transaction():
        for article in package.iter_articles():
            target = store.article_id_by_hash(article.content_hash)
            if target is None:
                raise ProjectError(f"package article {article.doc_id!r} is not in the project")
            spans = package.spans(article.id)
            mine = {s.key: s for s in spans if s.annotator == user}
            report.ignored_spans += len(spans) - len(mine)
            was = {(int(s), int(e), str(lab)) for s, e, lab in base.get(article.content_hash, [])}
            entry = _merge_layer(store, target, user, mine, was)
            entry.doc_id = store.article(target).doc_id
            state = states.get(article.id)
            if state and state != store.state(target, user):
                store.set_state(target, user, state)
                entry.state = state
            report.articles.append(entry)
    return report


def _merge_layer(
    store: Store, article_id: int, user: str, package: dict[SpanKey, Span], base: set[SpanKey]
) -> ArticleMerge:
    current = {s.key: s for s in store.spans(article_id, [user])}
    add = [k for k in package if k not in current]
    remove = [k for k in base - set(package) if k in current]
    text = store.article(article_id).text
    for key in remove:
        store.delete_span(current[key].id)  # type: ignore[arg-type]
    for key in add:
        span = package[key]
        store.insert_span(article_id, make_span(text, span.start, span.end, span.label, user,
                                                provenance=span.provenance))
    ranges_added = Counter((s, e) for s, e, _ in add)
    ranges_removed = Counter((s, e) for s, e, _ in remove)
    changed = sum((ranges_added & ranges_removed).values())
    return ArticleMerge("", len(add) - changed, changed, len(remove) - changed)
