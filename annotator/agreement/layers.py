"""A project's annotator layers as input to :mod:`annotator.agreement.measures` (which stays pure).

Which layers count per article is :func:`annotator.review.adjudication.human_layers`: the assigned
annotators who started it (or, without assignments, every human layer), never gold or
suggestions. Reading every layer is a reviewer's right, so a blind project refuses annotators.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from annotator.errors import PermissionDenied
from annotator.model import GOLD
from annotator.project import Session
from annotator.review.adjudication import human_layers
from annotator.team.members import can_see_others
from annotator.text.tokenize import token_bounds

if TYPE_CHECKING:
    from annotator.agreement.link_report import LinkReport
    from annotator.agreement.measures import ArticleLayers
    from annotator.agreement.report import AgreementReport, ArticleAgreement


def _check_reader(session: Session) -> None:
    if not can_see_others(session):
        raise PermissionDenied(
            f"{session.user} is an annotator in a blind project: agreement "
            "figures reveal the other layers (reviewers only)"
        )


def agreement_articles(
    session: Session, progress: Callable[[int], None] | None = None
) -> Iterator[ArticleLayers]:
    """One :class:`annotator.agreement.measures.ArticleLayers` per article with at least one layer,
    streamed (each holds its text and tokens: keep few of them)."""
    from annotator.agreement.measures import ArticleLayers  # numpy: only when figures are asked for

    _check_reader(session)
    for n, article in enumerate(session.store.iter_articles(), 1):
        layers = human_layers(session, article.id)
        if layers:
            yield ArticleLayers.tokenized(article.doc_id, article.text, layers)
        if progress:
            progress(n)


def project_agreement(
    session: Session, progress: Callable[[int], None] | None = None
) -> AgreementReport:
    """The :class:`annotator.agreement.report.AgreementReport` of the session's project.

    Streams: each article's text is read, tokenized to offsets and dropped, so memory follows
    :data:`annotator.agreement.measures.CHUNK_TOKENS`, not the project (100,000 articles held as
    objects took 9 GB).
    """
    from annotator.agreement.measures import AgreementBuilder

    _check_reader(session)
    builder = AgreementBuilder()
    for n, article in enumerate(session.store.iter_articles(), 1):
        layers = human_layers(session, article.id)
        if layers:
            _, starts, ends = token_bounds(article.text)
            builder.add(article.doc_id, len(article.text), starts, ends, layers)
        if progress:
            progress(n)
    return builder.report()


@dataclass(frozen=True)
class RankedArticle:
    """A row of "where to start": the store's article id and title beside its agreement."""

    article_id: int
    title: str
    agreement: ArticleAgreement


def lowest_agreement(
    session: Session, report: AgreementReport, limit: int = 100
) -> list[RankedArticle]:
    """The first ``limit`` articles of ``report.by_article`` (lowest agreement first), with the
    ids and titles a desk needs to open them (the report knows only doc ids). An article
    removed since the report was computed is skipped."""
    _check_reader(session)
    store = session.store
    rows = []
    for agreement in report.by_article[:limit]:
        article_id = store.article_id_by_doc_id(agreement.article_id)
        if article_id is None:
            continue
        article = store.article(article_id)
        rows.append(RankedArticle(article_id, article.title or article.doc_id, agreement))
    return rows


def project_link_agreement(
    session: Session, progress: Callable[[int], None] | None = None
) -> LinkReport:
    """Relation and event-argument agreement of the session's project
    (:mod:`annotator.agreement.links`): the same layers as the span figures, plus ``gold`` as a
    reference where an article is adjudicated (a half-decided gold would count its open
    links as missed)."""
    from annotator.agreement.links import ArticleLinks, LinkAgreementBuilder, LinkLayer

    _check_reader(session)
    store = session.store
    symmetric = [t.name for t in session.project.schema.relation_types if t.symmetric]
    builder = LinkAgreementBuilder(symmetric)
    if not store.link_counts():  # no link anywhere: the common case costs one query
        return builder.report()
    adjudicated = {a for a, users in store.states_by_article().items() if users.get(GOLD) == "done"}
    for n, article in enumerate(store.iter_articles(), 1):
        names = list(human_layers(session, article.id))
        if article.id in adjudicated:
            names.append(GOLD)
        if names:
            relations = store.relations(article.id, names)
            events = store.events(article.id, names)
            builder.add(ArticleLinks(article.doc_id, {
                name: LinkLayer([r for r in relations if r.annotator == name],
                                [e for e in events if e.annotator == name])
                for name in names
            }))  # fmt: skip
        if progress:
            progress(n)
    return builder.report()
