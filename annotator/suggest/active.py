"""Active learning: which unlabelled article would teach the model most (token-marginal entropy).

An article's uncertainty is the MEAN entropy (nats) of its tokens' tag marginals under the CRF:
the mean, not the sum, so long articles do not win for being long. Ties go to the lower id, so
the order is deterministic.
"""

from __future__ import annotations

from collections.abc import Sequence

from annotator.project import Project
from annotator.suggest.crf import CrfModel
from annotator.suggest.gazetteer import Gazetteer
from annotator.suggest.layers import training_layers
from annotator.suggest.pipeline import feature_gazetteer, load_model


def article_uncertainty(model: CrfModel, text: str, gazetteer: Gazetteer | None = None) -> float:
    """Mean token entropy of ``text`` under ``model`` (0.0 for a text without tokens)."""
    entropies = model.token_entropies(text, gazetteer)
    return sum(entropies) / len(entropies) if entropies else 0.0


def unlabelled_articles(project: Project, user: str | None = None) -> list[int]:
    """Articles no one has worked on (no human spans, no in-progress/done state); a user's
    queue assignments restrict them when ``user`` has any."""
    store = project.store
    worked = set(training_layers(store))
    ids = [a for a in store.article_ids() if a not in worked]
    if user is not None:
        assigned = set(store.assigned_articles(user))
        if assigned:
            ids = [a for a in ids if a in assigned]
    return ids


def uncertainty_order(
    project: Project, model: CrfModel | None = None, *, user: str | None = None,
    articles: Sequence[int] | None = None,
) -> list[int]:
    """Unlabelled article ids, most uncertain first (all of them in id order when no model exists)."""
    ids = list(articles) if articles is not None else unlabelled_articles(project, user)
    model = model or load_model(project)
    if model is None:
        return sorted(ids)
    gazetteer = feature_gazetteer(project)
    store = project.store
    score = {a: article_uncertainty(model, store.article(a).text, gazetteer) for a in ids}
    return sorted(ids, key=lambda a: (-score[a], a))
