"""Active learning: which unlabelled article would teach the model most (token-marginal entropy).

An article's uncertainty is the MEAN entropy (nats) of its tokens' tag marginals under the CRF:
the mean, not the sum, so long articles do not win for being long. Ties go to the lower id, so
the order is deterministic.

:func:`store_uncertainty` keeps the scores in the project (``article_priority``), so the desk's
queue sorts by them in SQL (``Session.queue(order="uncertainty")``) and Ctrl+Enter opens the
most informative article next. It runs after ``annotator suggest --train`` / ``--order`` and
after the desk's background retrain (on the worker thread, with the worker's own connection).

Priorities are per user: each queue is ordered by the model that user's own suggestions come
from, and only if she may read every layer it learnt from (the session's gate), so neither
someone else's retrain nor someone else's labels (through a model trained on them) reorder it.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from annotator.project import Project, Session
from annotator.retries import retried
from annotator.suggest.crf import CrfModel, Report
from annotator.suggest.gazetteer import Gazetteer
from annotator.suggest.layers import training_layers
from annotator.suggest.pipeline import feature_gazetteer, load_model, model_basis, model_name, scope


def article_uncertainty(model: CrfModel, text: str, gazetteer: Gazetteer | None = None) -> float:
    """Mean token entropy of ``text`` under ``model`` (0.0 for a text without tokens)."""
    entropies = model.token_entropies(text, gazetteer)
    return sum(entropies) / len(entropies) if entropies else 0.0


def unlabelled_articles(
    project: Project, user: str | None = None, readable: Collection[str] | None = None,
) -> list[int]:
    """Articles no one has worked on (no human spans, no in-progress/done state); a user's
    queue assignments restrict them when ``user`` has any. ``readable`` (a session's readable
    layers) counts only work in those layers: a blind annotator does not learn where others
    worked."""
    store = project.store
    worked = set(training_layers(store, readable))
    ids = [a for a in store.article_ids() if a not in worked]
    if user is not None:
        assigned = set(store.assigned_articles(user))
        if assigned:
            ids = [a for a in ids if a in assigned]
    return ids


def uncertainty_order(
    project: Project,
    model: CrfModel | None = None,
    *,
    user: str | None = None,
    articles: Sequence[int] | None = None,
) -> list[int]:
    """Unlabelled article ids, most uncertain first (all of them in id order when no model exists)."""
    ids = list(articles) if articles is not None else unlabelled_articles(project, user)
    model = model or load_model(project)
    if model is None:
        return sorted(ids)
    score = uncertainty_scores(project, model, ids)
    return sorted(ids, key=lambda a: (-score[a], a))


def uncertainty_scores(
    project: Project, model: CrfModel, articles: Sequence[int], report: Report | None = None,
) -> dict[int, float]:
    """``{article_id: mean token entropy}`` of ``articles`` under ``model``, in their order."""
    gazetteer = feature_gazetteer(project)
    store = project.store
    scores: dict[int, float] = {}
    for article in store.iter_articles(articles):
        if report is not None:
            report("scoring articles for the queue", len(scores), len(articles))
        scores[article.id] = article_uncertainty(model, article.text, gazetteer)
    return scores


def queue_session(session: Session, user: str | None) -> Session:
    """The session whose queue ``session`` scores: its own, or ``user``'s when the gate lets
    ``session`` act for her (:meth:`~annotator.permissions.Gate.require_act_for`)."""
    if user is None or user == session.user:
        return session
    session.require_act_for(user)
    return session.project.session(user)


def store_uncertainty(session: Session, report: Report | None = None) -> dict[int, float]:
    """Score ``session.user``'s not-done articles with HER model and store them as her queue's
    priorities, replacing her previous ones (only hers) in one transaction; returns the scores.

    Her model is the one her suggestions use (:func:`~annotator.suggest.pipeline.scope`): her
    own ``crf/<user>`` when she may not write shared layers, else the shared ``crf``; it is
    refused (:class:`PermissionDenied`) if it learnt from a layer she may not read now (the
    project became blind after it was trained). Without a model nothing is scored and her
    stored order stays. Scoring reads outside the transaction (it takes seconds on a big
    project), so the desk's writes are not held up; articles marked done meanwhile keep a
    score but ``next_article`` skips them.
    """
    project, store = session.project, session.store
    name = model_name(scope(session)[1])
    saved = store.load_model(name)
    if saved is None:
        return {}
    model = CrfModel(saved[0], saved[1])
    session.require_read_basis(f"model {name!r}", model_basis(project, model))
    scores = uncertainty_scores(project, model, store.unfinished_articles(session.user), report)

    def write() -> None:  # only the writing is made again after a conflict, not the scoring
        with store.transaction():
            store.replace_priorities(session.user, scores, f"{name}@{saved[2]}")

    retried(write)
    return scores
