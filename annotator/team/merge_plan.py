"""Deciding what a package may change, before the project is locked: every check of a merge.

A package is a file its holder edits, so nothing it says is trusted: whose it is comes from the
project's registry of issued packages (:meth:`Store.issued_package`), or from the admin's
``--for NAME`` for a package made before packages were registered. Every span must be in that
person's layer (suggestion layers are skipped), have a label of the project's schema, and cover
exactly the project's text of an article that was packed for them; every state must be one the
project knows. Any violation refuses the whole package with one line naming it, and all of this
runs before :func:`annotator.team.packages.merge` takes the project's write lock.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.errors import PermissionDenied, ProjectError
from annotator.model import GOLD, PackageContents, PackageSpanRow, Span
from annotator.project import STATES, Project
from annotator.suggest.layers import is_suggestion_layer
from annotator.team.link_merge import LINK_BASE_PREFIX, LinkPlan, parse_link_base, plan_links
from annotator.text.marks import trim_marks

SpanKey = tuple[int, int, str]
Base = dict[str, set[SpanKey]]
"""The owner's spans at packing time, by article content hash (every packed article has a key)."""

KIND = "work-package"
KEYS = {
    "kind": "package.kind",
    "id": "package.id",
    "source": "package.source_project_id",
    "schema": "package.source_schema_version",
    "user": "package.user",
    "created": "package.created_at",
    "base": "package.base_spans",
}
MERGED_PREFIX = "package.merged:"
"""``project_meta`` key prefix (+ package id): when it was merged and the layer it left."""


@dataclass
class ArticlePlan:
    """One package article, checked: the owner's spans there and their state."""

    target: int
    doc_id: str
    text: str
    spans: dict[SpanKey, Span] = field(default_factory=dict)
    base: set[SpanKey] = field(default_factory=set)
    state: str | None = None
    links: LinkPlan = field(default_factory=LinkPlan)
    """The owner's relations and events there, and at packing time (``link_merge``)."""


@dataclass
class MergePlan:
    owner: str
    articles: list[ArticlePlan]
    ignored_spans: int = 0
    package_id: str = ""
    """The registered id (empty for a package from before the registry)."""


def check_owner(project: Project, name: str) -> None:
    """Refuse a package for anything but an annotator's own layer.

    Gold and suggestion layers are never a person's work; a reviewer's or an admin's layer is
    refused too, once the project has registered users (a solo project has none).
    """
    if not name or name == GOLD or "/" in name or is_suggestion_layer(name):
        raise PermissionDenied(f"{name!r} is not an annotator's layer: packages are for annotators")
    users = dict(project.store.users())
    if users and users.get(name) != "annotator":
        what = "not a registered user" if name not in users else f"a {users[name]}"
        raise PermissionDenied(f"{name} is {what}: packages are for annotators' layers")


def plan_merge(
    project: Project, contents: PackageContents, path: Path, for_user: str | None
) -> MergePlan:
    """Check ``contents`` completely against ``project``; the plan holds only checked values."""
    _check_header(project, contents, path)
    owner, base = _owner_and_base(project, contents.meta, path, for_user)
    try:
        check_owner(project, owner)
    except PermissionDenied as exc:
        raise PermissionDenied(f"{path}: {exc}; nothing merged") from None
    claimed = contents.meta.get(KEYS["user"]) or ""
    if claimed != owner:
        raise PermissionDenied(
            f"{path}: says it is {_short(claimed)}'s package, but "
            + (
                f"--for names {owner}"
                if not contents.meta.get(KEYS["id"])
                else f"it was issued to {owner}"
            )
            + "; nothing merged"
        )
    articles = _articles(project, contents, path, base)
    plan = MergePlan(owner, list(articles.values()), package_id=contents.meta.get(KEYS["id"], ""))
    _check_not_replayed(project, plan, path)
    names = set(project.schema.names)
    for row in contents.spans:
        plan.ignored_spans += _add_span(articles, row, owner, names, path)
    for article_id, user, state in contents.states:
        if user != owner or article_id not in articles:
            continue
        if state not in STATES:
            raise ProjectError(f"{path}: unknown article state {_short(state)}; nothing merged")
        articles[article_id].state = state
    bases = parse_link_base(project.store.get_meta(LINK_BASE_PREFIX + plan.package_id)
                            if plan.package_id else None)
    for package_article, _, content_hash in contents.articles:
        articles[package_article].links = bases.get(content_hash) or LinkPlan()
    plan.ignored_spans += plan_links(contents, path, owner, project.schema, articles)
    return plan


def layer_digest(project: Project, plan: MergePlan) -> str:
    """A hash of the owner's spans and states over the plan's articles, as the project holds them."""
    digest = hashlib.sha256()
    for target in sorted(a.target for a in plan.articles):
        keys = sorted(s.key for s in project.store.spans(target, [plan.owner]))
        state = project.store.state(target, plan.owner)
        entry: list[Any] = [target, keys, state]
        links = sorted(r.key for r in project.store.relations(target, [plan.owner])) + sorted(
            (e.key, sorted(a.key for a in e.arguments)) for e in project.store.events(target, [plan.owner]))
        if links:  # only then: digests of link-less layers recorded before layout 7 still match
            entry.append(links)
        digest.update(json.dumps(entry, ensure_ascii=False).encode())
    return digest.hexdigest()


def merged_record(plan: MergePlan, digest: str, at: str) -> tuple[str, str]:
    """The ``project_meta`` row a merge of ``plan`` leaves: its key and value."""
    return MERGED_PREFIX + plan.package_id, json.dumps({"at": at, "layer": digest})


def _check_not_replayed(project: Project, plan: MergePlan, path: Path) -> None:
    """Refuse a package whose merge would undo newer work of its owner.

    Its base is the owner's layer when it was packed: merged again after her layer moved on (a
    newer package merged, work done in the project), it would remove again what she put back.
    Merged again with nothing changed since, it changes nothing (a rerun after a crash).
    """
    if not plan.package_id:
        return
    store = project.store
    for newer in store.packages_issued_after(plan.package_id, plan.owner):
        if store.get_meta(MERGED_PREFIX + newer) is not None:
            raise ProjectError(
                f"{path}: a newer package of {plan.owner}'s was merged already; this older one "
                "would undo it; nothing merged"
            )
    merged = store.get_meta(MERGED_PREFIX + plan.package_id)
    if merged is not None:
        record = json.loads(merged)
        if record.get("layer") != layer_digest(project, plan):
            raise ProjectError(
                f"{path}: merged already ({record.get('at')}), and {plan.owner}'s layer changed "
                "since; merging it again would undo that; nothing merged (pack again)"
            )


def _check_header(project: Project, contents: PackageContents, path: Path) -> None:
    meta = contents.meta
    if meta.get(KEYS["kind"]) != KIND:
        raise ProjectError(f"{path}: not a work package (made by 'annotator pack')")
    source = meta.get(KEYS["source"]) or ""
    if source != project.project_id:
        raise ProjectError(
            f"{path}: a package of another project ({_short(source[:8])}), "
            f"not of {project.path.name} ({project.project_id[:8]}); nothing merged"
        )
    packed = meta.get(KEYS["schema"]) or ""
    if not (packed.isascii() and packed.isdigit()):
        raise ProjectError(
            f"{path}: its schema version {_short(packed)} is not a number; nothing merged"
        )
    current = project.schema.version
    if int(packed) != current:
        raise ProjectError(
            f"{path}: packed with schema version {packed}, the project is at "
            f"version {current}; nothing merged (pack again, or migrate the package's schema)"
        )
    if contents.schema_version != current:
        raise ProjectError(f"{path}: the schema was changed inside the package; nothing merged")


def _owner_and_base(
    project: Project, meta: dict[str, str], path: Path, for_user: str | None
) -> tuple[str, Base]:
    """Whose layer the package may change, and her spans at packing time (the project's record)."""
    package_id = meta.get(KEYS["id"])
    if package_id:
        record = project.store.issued_package(package_id)
        if record is None:
            raise ProjectError(
                f"{path}: package id {_short(package_id[:16])} was never issued by this project; "
                "nothing merged (if the project was restored from a backup older than the "
                "package, pack again)"
            )
        owner, version, base_json = record
        if version != project.schema.version:
            raise ProjectError(
                f"{path}: packed with schema version {version}, the project is at version "
                f"{project.schema.version}; nothing merged (pack again)"
            )
        if for_user and for_user != owner:
            raise PermissionDenied(f"{path}: issued to {owner}, not to {for_user}; nothing merged")
        return owner, parse_base(base_json, path)
    if not for_user:
        raise ProjectError(
            f"{path}: this package (made before packages were registered) cannot prove whose it "
            "is; give --for NAME"
        )
    base = parse_base(meta.get(KEYS["base"]) or "{}", path)
    issued = {
        project.store.article(i).content_hash for i in project.store.assigned_articles(for_user)
    }
    return for_user, {h: base.get(h, set()) for h in issued}


def parse_base(text: str, path: Path) -> Base:
    """``{content_hash: [[start, end, label], ...]}`` as sets of span keys; one line if malformed.

    >>> parse_base('{"ab": [[0, 4, "LOCATION"]]}', Path("p"))
    {'ab': {(0, 4, 'LOCATION')}}
    """
    try:
        data: Any = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("not an object")
        return {str(h): {_span_key(item) for item in keys} for h, keys in data.items()}
    except (ValueError, TypeError, RecursionError) as exc:
        raise ProjectError(
            f"{path}: the package's base spans are not valid JSON of its format "
            f"({_short(str(exc))}); nothing merged"
        ) from None


def _span_key(item: Any) -> SpanKey:
    start, end, label = item
    if not (type(start) is int and type(end) is int and isinstance(label, str)):
        raise ValueError(f"bad span {item!r}"[:80])
    return (start, end, label)


def _articles(
    project: Project, contents: PackageContents, path: Path, base: Base
) -> dict[int, ArticlePlan]:
    """Package article id -> its project article, matched by text hash, packed for the owner."""
    out: dict[int, ArticlePlan] = {}
    seen: set[str] = set()
    for package_id, doc_id, content_hash in contents.articles:
        target = project.store.article_id_by_hash(content_hash)
        if target is None:
            raise ProjectError(
                f"{path}: package article {_short(doc_id)} is not in the project; nothing merged"
            )
        if content_hash not in base or content_hash in seen:
            raise ProjectError(
                f"{path}: article {_short(doc_id)} was not packed for this package's owner; "
                "nothing merged"
            )
        seen.add(content_hash)
        article = project.store.article(target)
        out[package_id] = ArticlePlan(target, article.doc_id, article.text, base=base[content_hash])
    return out


def _add_span(
    articles: dict[int, ArticlePlan], row: PackageSpanRow, owner: str, names: set[str], path: Path
) -> int:
    """Check one package span and add it to its article's plan; 1 if it is skipped."""
    article_id, start, end, label, text, annotator, provenance = row
    if annotator != owner:
        if is_suggestion_layer(annotator):
            return 1  # suggestions made on her machine stay there
        raise PermissionDenied(
            f"{path}: holds spans of layer {_short(annotator)}, but was issued to {owner}; "
            "nothing merged"
        )
    article = articles.get(article_id)
    if article is None:
        raise ProjectError(
            f"{path}: a span of an article the package does not hold; nothing merged"
        )
    where = f"{path}: article {article.doc_id} [{start}, {end})"
    if label not in names:
        raise ProjectError(
            f"{where}: label {_short(label)} is not in the project's schema; nothing merged"
        )
    if not 0 <= start < end <= len(article.text) or article.text[start:end] != text:
        raise ProjectError(
            f"{where}: the span's text {_short(text)} is not the project's text there; "
            "nothing merged"
        )
    if trim_marks(article.text, start, end) != (start, end):
        raise ProjectError(
            f"{where}: the span starts or ends on an invisible direction mark, which no desk "
            "makes; nothing merged"
        )
    article.spans[(start, end, label)] = Span(start, end, label, text, owner, provenance=provenance)
    return 0


def _short(value: str, limit: int = 40) -> str:
    """A value from the package, quoted and cut, so a 30 MB label cannot flood the message."""
    text = value if len(value) <= limit else value[:limit] + "…"
    return repr(text)
