"""A project's annotator layers as input to :mod:`annotator.agreement` (which stays pure).

Which layers count per article is :func:`annotator.adjudication.human_layers`: the assigned
annotators who started it (or, without assignments, every human layer), never gold or
suggestions. Reading every layer is a reviewer's right, so a blind project refuses annotators.
"""

from __future__ import annotations

from collections.abc import Callable

from annotator.adjudication import human_layers
from annotator.errors import PermissionDenied
from annotator.project import Session
from annotator.teams import can_see_others


def agreement_articles(session: Session, progress: Callable[[int], None] | None = None) -> list:
    """One :class:`annotator.agreement.ArticleLayers` per article with at least one layer."""
    from annotator.agreement import ArticleLayers  # numpy: only when figures are asked for

    if not can_see_others(session):
        raise PermissionDenied(f"{session.user} is an annotator in a blind project: agreement "
                               "figures reveal the other layers (reviewers only)")
    out = []
    for n, article in enumerate(session.store.iter_articles(), 1):
        layers = human_layers(session, article.id)
        if layers:
            out.append(ArticleLayers.tokenized(article.doc_id, article.text, layers))
        if progress:
            progress(n)
    return out


def project_agreement(session: Session, progress: Callable[[int], None] | None = None):
    """The :class:`annotator.agreement_report.AgreementReport` of the session's project."""
    from annotator.agreement import compute_agreement

    return compute_agreement(agreement_articles(session, progress))
