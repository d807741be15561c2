"""Claims: the next article a person gets is theirs alone until they finish it or walk away.

Why: with a shared queue, two annotators pressing "done, next" together would otherwise open
the same article and label it twice while another waits untouched (Label Studio #795). Handing
out work claims the article (``Session.claim_next``); marking it done releases the claim; a
claim nobody finishes lapses after the project's lapse time (:data:`DEFAULT_LAPSE_S`, set with
``annotator settings --claim-lapse MINUTES``), so work abandoned on a closed laptop returns to
the pool without an admin. A claim only steers who is *handed* an article: opening one by hand
from the queue is still allowed (a reviewer's look, a correction).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from annotator.clock import now
from annotator.errors import ProjectError
from annotator.permissions import ADMINS
from annotator.retries import one_action

if TYPE_CHECKING:
    from annotator.project import Project, Session

LAPSE_KEY = "claims.lapse_s"
DEFAULT_LAPSE_S = 30 * 60.0


@dataclass(frozen=True)
class Claim:
    """Who holds an article, since when and until when (ISO 8601 UTC)."""

    article_id: int
    user: str
    claimed_at: str
    expires_at: str


def lapse_s(project: Project) -> float:
    """Seconds after which a claim nobody finished returns to the pool."""
    return float(project.store.get_meta(LAPSE_KEY) or DEFAULT_LAPSE_S)


@one_action
def set_lapse(actor: Session, seconds: float) -> None:
    """Change the lapse time (admins); existing claims keep the expiry they were given."""
    actor.require(*ADMINS)
    if not seconds > 0:
        raise ProjectError(f"a claim's lapse time must be positive, not {seconds:g} s")
    with actor.store.transaction():
        actor.store.set_meta(LAPSE_KEY, f"{seconds:g}")


@one_action
def claim_next(session: Session, after_id: int | None = None, order: str = "id") -> int | None:
    """Claim and return the next article of ``session``'s queue nobody else holds (one
    transaction), or None when every unfinished one is done or held."""
    with session.store.transaction():  # the lapse setting is read in the claim's own step
        return session.store.claim_next(session.user, after_id or 0, order, DEFAULT_LAPSE_S,
                                        LAPSE_KEY)


@one_action
def release(session: Session, article_id: int) -> None:
    """Give an article back to the pool (closing the desk on it, skipping it)."""
    with session.store.transaction():
        session.store.release_claim(article_id, session.user)


def live_claims(project: Project, at: str | None = None) -> list[Claim]:
    """The claims not lapsed at ``at`` (now by default), by article id."""
    stamp = at or now()
    return [Claim(*row) for row in project.store.claims() if row[3] > stamp]
