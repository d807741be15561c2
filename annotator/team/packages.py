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

Everything in a package is attacker-controlled (its holder edits it), so a merge trusts none of
it: ``pack`` registers a random package id in the project with the owner and the base, and
``merge`` reads the owner and the base from that record (:mod:`annotator.team.merge_plan`), reads the
package read-only with its layout checked (:mod:`annotator.store.package_file`), and checks every
span and state before it takes the project's write lock.
"""

from __future__ import annotations

import json
import os
import secrets
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.atomic_files import TEMP_PREFIX
from annotator.clock import now
from annotator.errors import ProjectError
from annotator.model import Span, make_span
from annotator.project import Project, Session
from annotator.retries import one_action, retried
from annotator.store import Store
from annotator.store.package_file import read_package
from annotator.store.protocol import ProjectStore
from annotator.team.link_merge import LINK_BASE_PREFIX, copy_links, link_base_json, merge_links
from annotator.team.members import ADMINS
from annotator.team.merge_plan import (
    KEYS,
    KIND,
    MergePlan,
    SpanKey,
    check_owner,
    layer_digest,
    merged_record,
    plan_merge,
)


@dataclass(frozen=True)
class PackageInfo:
    """What a package says about itself."""

    user: str
    source_project_id: str
    source_schema_version: int
    created_at: str
    articles: int
    package_id: str = ""


@dataclass
class ArticleMerge:
    """Counts of one article's merge: ``changed`` = same range, new label."""

    doc_id: str
    added: int = 0
    changed: int = 0
    removed: int = 0
    state: str | None = None
    links_added: int = 0
    links_removed: int = 0
    """Relations, events and event arguments (``link_merge``)."""

    @property
    def touched(self) -> bool:
        return bool(self.added or self.changed or self.removed or self.state
                    or self.links_added or self.links_removed)


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
                links = f", links +{a.links_added} -{a.links_removed}" \
                    if a.links_added or a.links_removed else ""
                out.append(f"  {a.doc_id}: +{a.added} ~{a.changed} -{a.removed}{state}{links}")
        if self.ignored_spans:
            out.append(f"  ignored {self.ignored_spans} spans of other layers found in the package")
        return out


# --- pack ------------------------------------------------------------------------------------


def pack(actor: Session, user: str, out_path: Path | str) -> PackageInfo:
    """Write ``user``'s package to ``out_path`` (admins, or the user for themself).

    Built in a temporary file beside ``out_path``, registered in the project (its id, owner and
    base), and only then renamed over ``out_path``: a package on disk is always registered.
    """
    if actor.user != user:
        actor.require(*ADMINS)
    project = actor.project
    check_owner(project, user)
    ids = project.store.assigned_articles(user)
    if not ids:
        raise ProjectError(f"{user} has no assigned articles (run 'annotator assign' first)")
    out = Path(out_path)
    fd, temp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".part", dir=out.parent or ".")
    os.close(fd)
    temp = Path(temp_name)
    try:
        info, base, link_base = _fill(project, user, ids, temp)
        with open(temp, "rb+") as handle:
            os.fsync(handle.fileno())
        retried(lambda: _register(actor, info, base, link_base))
        os.replace(temp, out)
    finally:
        for leftover in (temp, Path(f"{temp}-wal"), Path(f"{temp}-shm")):
            leftover.unlink(missing_ok=True)
    return info


def _register(actor: Session, info: PackageInfo, base: str, link_base: str) -> None:
    """Record an issued package in the project (one transaction, made again after a conflict;
    the package file itself is written once, before)."""
    store = actor.project.store
    with store.transaction():
        store.register_package(info.package_id, info.user, actor.user, info.source_schema_version,
                               base)
        if link_base != "{}":
            store.set_meta(LINK_BASE_PREFIX + info.package_id, link_base)


def _fill(project: Project, user: str, ids: list[int], path: Path) -> tuple[PackageInfo, str, str]:
    """Write the package file; returns its header, its base and its link base (JSON) for the
    project's records."""
    src = project.store
    dst = Store(path, create=True)
    try:
        base: dict[str, list[SpanKey]] = {}
        link_bases: dict[str, dict[str, list[Any]]] = {}
        states = src.states_of(user)
        with dst.transaction():
            for row in src.schema_rows():
                dst.insert_schema_row(*row)
            dst.set_user(user, "annotator")
            for article in src.iter_articles(ids):
                title_key, text_key = src.search_keys(article.id)
                new_id = dst.insert_article(
                    doc_id=article.doc_id, title=article.title, text=article.text,
                    meta=dict(article.meta), content_hash=article.content_hash, source_path="",
                    title_key=title_key, text_key=text_key,
                )
                dst.assign(new_id, user)
                spans = src.spans(article.id, [user])
                copied = {span.key: dst.insert_span(new_id, span) for span in spans}
                base[article.content_hash] = [span.key for span in spans]
                link_bases[article.content_hash] = copy_links(src, dst, article.id, new_id, user, copied)
                if article.id in states:
                    dst.set_state(new_id, user, states[article.id])
            info = PackageInfo(user, project.project_id, project.schema.version, now(), len(ids),
                               secrets.token_hex(16))
            base_json = json.dumps(base, ensure_ascii=False)
            for key, value in (("kind", KIND), ("id", info.package_id),
                               ("source", info.source_project_id),
                               ("schema", str(info.source_schema_version)), ("user", user),
                               ("created", info.created_at), ("base", base_json)):
                dst.set_meta(KEYS[key], value)
        # A self-contained single file: fold the WAL back in before it is renamed and copied.
        dst.make_self_contained()
    finally:
        dst.close()
    return info, base_json, link_base_json(link_bases)


# --- read and merge --------------------------------------------------------------------------


def package_info(store: Store) -> PackageInfo | None:
    """The package header of an open project file (what it says of itself, unchecked); None when
    it is an ordinary project."""
    if store.get_meta(KEYS["kind"]) != KIND:
        return None
    schema = store.get_meta(KEYS["schema"]) or ""
    return PackageInfo(
        store.get_meta(KEYS["user"]) or "", store.get_meta(KEYS["source"]) or "",
        int(schema) if schema.isascii() and schema.isdigit() else 0,
        store.get_meta(KEYS["created"]) or "",
        store.count("articles"), store.get_meta(KEYS["id"]) or "",
    )


def merge(actor: Session, package_path: Path | str, for_user: str | None = None) -> MergeReport:
    """Bring a package's layer back into the actor's project (admins only), all or nothing.

    The layer changed is the one the project issued the package to (``for_user`` must agree), or
    ``for_user`` for a package made before packages were registered. The package is read
    read-only and checked completely before the project's write lock is taken.
    """
    actor.require(*ADMINS)
    project = actor.project
    path = Path(package_path)
    contents = read_package(path)
    return apply_plan(project, plan_merge(project, contents, path, for_user))


@one_action
def apply_plan(project: Project, plan: MergePlan) -> MergeReport:
    """Write a checked plan in one transaction: the only time a merge holds the write lock."""
    store, user = project.store, plan.owner
    report = MergeReport(user, ignored_spans=plan.ignored_spans)
    with store.transaction():
        for article in plan.articles:
            entry = _merge_layer(store, article.target, article.text, user, article.spans,
                                 article.base)
            entry.doc_id = article.doc_id
            entry.links_added, entry.links_removed = merge_links(store, article.target, user, article.links)
            if article.state and article.state != store.state(article.target, user):
                store.set_state(article.target, user, article.state)
                entry.state = article.state
            report.articles.append(entry)
        if plan.package_id:  # what a later merge of it, or of an older one, must not undo
            store.set_meta(*merged_record(plan, layer_digest(project, plan), now()))
    return report


def _merge_layer(
    store: ProjectStore, article_id: int, text: str, user: str, package: dict[SpanKey, Span],
    base: set[SpanKey],
) -> ArticleMerge:
    current = {s.key: s for s in store.spans(article_id, [user])}
    add = [k for k in package if k not in current]
    remove = [k for k in base - set(package) if k in current]
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
