"""Teams: who may do what, project settings (blind or open), and balanced article assignment.

Roles (see :data:`annotator.project.ROLES`):

* **annotator** labels their own layer; in a *blind* project (the default) they cannot read
  anyone else's spans;
* **reviewer** reads every layer, the agreement figures, and writes the ``gold`` layer;
* **admin** may also change users, settings, the label schema and assignments.

The rules are enforced once the project has an admin. Before that (a solo project, or a team
being set up) whoever runs a command acts as an admin (see :func:`acting_session`): there is
nobody yet to protect the project from, and someone must be able to register the first admin.

What this protects against is *mistakes* (an annotator peeking at a colleague's spans, a
reviewer's accidental schema change), not an adversary: the project is a plain SQLite file and
anyone holding it can open it with any SQLite tool and the user name is self-declared.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from annotator.errors import PermissionDenied, ProjectError
from annotator.model import Schema, Span
from annotator.permissions import (
    ADMINS,
    REVIEWERS,
    VISIBILITIES,
    VISIBILITY_KEY,
    check_user_name,
)
from annotator.project import ROLES, Project, Session
from annotator.retries import one_action
from annotator.team.logins import identity, server_logins

# ADMINS, REVIEWERS, VISIBILITIES stay importable from here for the commands and the desk; the
# rules themselves live in the session's gate (annotator.permissions).
AUTO_ACCEPT_KEY = "adjudication.auto_accept"


# --- users and sessions ---------------------------------------------------------------------


def has_admin(project: Project) -> bool:
    """True once an admin is registered: from then on roles are enforced."""
    return any(role == "admin" for _, role in project.store.users())


def acting_session(project: Project, user: str | None) -> Session:
    """The session of whoever runs a command (``user``: the name given, None for none; see
    :func:`~annotator.team.logins.identity`): their registered role, or admin before any admin.

    >>> import tempfile, pathlib
    >>> p = Project.create(pathlib.Path(tempfile.mkdtemp()) / "t.db")
    >>> acting_session(p, "omar").role
    'admin'
    """
    user = identity(project, user)  # on a server: the login, whatever --as says
    if not has_admin(project):
        check_user_name(user)
        return Session(project, user, "admin")
    return project.session(user)


def users(project: Project) -> dict[str, str]:
    """Registered users and their roles, by name."""
    return dict(project.store.users())


@one_action
def add_user(actor: Session, name: str, role: str, password: str | None = None) -> None:
    """Register ``name`` with ``role`` (or change their role); admins only.

    On a server project ``name`` becomes a PostgreSQL login with ``role``'s privileges
    (:mod:`annotator.team.logins`), and ``password`` (given or not) is its password.

    Before the first admin exists, :func:`acting_session` makes the caller an admin, so the first
    admin can be registered. The last admin cannot be demoted (nobody could undo it).
    """
    if role not in ROLES:
        raise ProjectError(f"unknown role {role!r}; one of {', '.join(ROLES)}")
    check_user_name(name)
    store = actor.store
    logins = server_logins(actor.project)
    if password is not None and logins is None:
        raise ProjectError("--password-stdin: only for a server project (postgresql://...); "
                           "a project file's users have no password")
    actor.require(*ADMINS)
    admins = [n for n, r in store.users() if r == "admin" and n != name]
    if role != "admin" and not admins and actor.project.role_of(name) == "admin":
        raise PermissionDenied(f"{name} is the last admin; make someone else admin first")
    with store.transaction():
        if role != "admin":
            _register_first_admin(actor)
        if logins is not None:
            logins.set(name, role, password)
        else:
            store.set_user(name, role)


def _register_first_admin(actor: Session) -> bool:
    """Make the actor the project's admin if it has none; True if it did.

    Why: before an admin exists everyone acts as one (a solo user meets no rule), so a team set
    up without an admin (``assign`` registers annotators by itself) would not be blind at all.
    Whoever first registers someone else becomes the admin, and from then on roles hold.
    """
    if has_admin(actor.project):
        return False
    actor.store.set_user(actor.user, "admin")
    return True


# --- settings --------------------------------------------------------------------------------


def visibility(project: Project) -> str:
    """``"blind"`` (default: annotators see only their own spans) or ``"open"``."""
    return project.store.get_meta(VISIBILITY_KEY) or "blind"


@one_action
def set_visibility(actor: Session, value: str) -> None:
    actor.require(*ADMINS)
    if value not in VISIBILITIES:
        raise ProjectError(f"unknown visibility {value!r}; one of {', '.join(VISIBILITIES)}")
    with actor.store.transaction():
        actor.store.set_meta(VISIBILITY_KEY, value)


def auto_accept(project: Project) -> bool:
    """Whether spans every annotator agrees on go into gold without a reviewer's keypress."""
    return (project.store.get_meta(AUTO_ACCEPT_KEY) or "1") == "1"


@one_action
def set_auto_accept(actor: Session, on: bool) -> None:
    actor.require(*REVIEWERS)
    with actor.store.transaction():
        actor.store.set_meta(AUTO_ACCEPT_KEY, "1" if on else "0")


def can_see_others(session: Session) -> bool:
    """Whether ``session`` reads every layer (asks the session's gate)."""
    return session.sees_all()


def layer_spans(
    session: Session, article_id: int, layers: Iterable[str] | None = None
) -> dict[str, list[Span]]:
    """Spans of an article by layer name, as this session is allowed to see them.

    Asked for named layers, one the session may not read (``Session.can_read``) is refused
    rather than silently filtered, so a caller cannot mistake "hidden" for "empty"; unnamed, an
    annotator in a blind project gets their own layer.
    """
    names = None if layers is None else list(layers)
    if not can_see_others(session):
        if names is None:
            names = [session.user]
        for name in names:
            session.require_read(name)
    out: dict[str, list[Span]] = {name: [] for name in names or []}
    for span in session.store.spans(article_id, names):
        out.setdefault(span.annotator, []).append(span)
    return out


# --- schema changes: admins only ------------------------------------------------------------


def add_labels(actor: Session, names: list[str]) -> Schema:
    actor.require(*ADMINS)
    return actor.project.add_labels(names)


def rename_label(actor: Session, old: str, new: str) -> int:
    actor.require(*ADMINS)
    return actor.project.rename_label(old, new)


def merge_label(actor: Session, old: str, new: str) -> tuple[int, int]:
    actor.require(*ADMINS)
    return actor.project.merge_label(old, new)


def replace_schema(actor: Session, data: dict[str, Any], note: str = "replaced") -> Schema:
    actor.require(*ADMINS)
    return actor.project.replace_schema(data, note)


# --- assignment ------------------------------------------------------------------------------


@dataclass
class AssignmentReport:
    """What :func:`assign` did: articles assigned now, load per user, users it registered."""

    articles: int = 0
    per_user: dict[str, int] = field(default_factory=dict)
    registered: list[str] = field(default_factory=list)
    admin: str = ""  # set when the project had no admin and the one who assigned became it

    def summary(self) -> str:
        loads = ", ".join(f"{u} {n}" for u, n in sorted(self.per_user.items()))
        text = f"{self.articles} articles assigned; articles per user: {loads}"
        if self.registered:
            text += "; registered as annotators: " + ", ".join(self.registered)
        if self.admin:
            text += f"; {self.admin} is now the project's admin (it had none, so roles were off)"
        return text


def plan_assignment(
    article_ids: Sequence[int], names: Sequence[str], per_article: int, seed: int = 0,
    existing: Iterable[tuple[int, str]] = (),
) -> list[tuple[int, str]]:
    """Choose ``per_article`` distinct users for each article, balanced and reproducible.

    Greedy over the articles in a seeded order: each takes the least-loaded users, ties broken
    first by how rarely a candidate was paired with the users already chosen (so every pair of
    annotators shares articles, which agreement needs), then by a seeded coin. Taking the
    least loaded keeps every load within one of the others. ``existing`` assignments count
    towards loads, and their articles are only topped up to ``per_article``.

    >>> plan = plan_assignment([1, 2, 3], ["ali", "mona", "sara"], 2, seed=1)
    >>> sorted(Counter(u for _, u in plan).values())
    [2, 2, 2]
    """
    if not 1 <= per_article <= len(names):
        raise ProjectError(f"--per-article must be between 1 and the number of users ({len(names)})")
    if len(set(names)) != len(names):
        raise ProjectError("a user is listed twice")
    rng = random.Random(seed)
    have: dict[int, set[str]] = {}
    load: Counter[str] = Counter({name: 0 for name in names})
    pairs: Counter[tuple[str, str]] = Counter()
    for article_id, user in existing:
        have.setdefault(article_id, set()).add(user)
        if user in load:
            load[user] += 1
    order = list(article_ids)
    rng.shuffle(order)
    tie = {name: rng.random() for name in names}
    plan: list[tuple[int, str]] = []
    for article_id in order:
        chosen = [u for u in have.get(article_id, ()) if u in load]
        while len(chosen) < per_article:
            candidates = [u for u in names if u not in chosen]
            best = min(candidates, key=lambda u: (
                load[u], sum(pairs[_pair(u, c)] for c in chosen), tie[u], u))
            for other in chosen:
                pairs[_pair(best, other)] += 1
            chosen.append(best)
            load[best] += 1
            plan.append((article_id, best))
            tie[best] = rng.random()
    return sorted(plan)


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


@one_action
def assign(
    actor: Session, names: Sequence[str], per_article: int, seed: int = 0, *, replace: bool = False
) -> AssignmentReport:
    """Assign every article to ``per_article`` of ``names`` (admins only), in one transaction.

    Unregistered names are registered as annotators. With ``replace`` the old assignments are
    dropped first (spans are never touched); otherwise existing ones are kept and topped up.
    """
    actor.require(*ADMINS)
    store = actor.store
    registered = dict(store.users())
    report = AssignmentReport()
    with store.transaction():
        if replace:
            store.clear_assignments()
        existing = [] if replace else store.assignments()
        plan = plan_assignment(store.article_ids(), names, per_article, seed, existing)
        if _register_first_admin(actor):
            registered[actor.user] = "admin"
            report.admin = actor.user
        for name in names:
            if name not in registered:
                check_user_name(name)
                store.set_user(name, "annotator")
                report.registered.append(name)
        for article_id, user in plan:
            store.assign(article_id, user)
        report.articles = len({a for a, _ in plan})
        report.per_user = dict(Counter(u for _, u in store.assignments() if u in names))
    return report
