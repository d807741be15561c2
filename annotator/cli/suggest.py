"""``annotator suggest``: gazetteers, training the CRF, storing suggestions, uncertainty order."""

from __future__ import annotations

from pathlib import Path

import click

from annotator.cli.common import as_option, echo_lines, open_project, project_argument, run_command
from annotator.cli.progress import stage_progress
from annotator.errors import ProjectError
from annotator.project import Project, Session
from annotator.team import members as teams


def _article_ids(project: Project, spec: str | None) -> list[int] | None:
    """``--articles`` as ids: comma-separated document ids or numeric article ids."""
    if not spec:
        return None
    ids = []
    for item in (x.strip() for x in spec.split(",")):
        if not item:
            continue
        found = project.article_id_by_doc_id(item)
        if found is None and item.isdigit() and int(item) in set(project.article_ids()):
            found = int(item)
        if found is None:
            raise ProjectError(f"no article {item!r} (give document ids or article ids)")
        ids.append(found)
    return ids


@click.command()
@project_argument
@click.option("--gazetteer", "gazetteers", nargs=2, multiple=True, metavar="LABEL FILE",
              help="Add a name list (UTF-8, one name per line) to LABEL's gazetteer (repeatable).")
@click.option("--corpus-gazetteer/--no-corpus-gazetteer", default=None,
              help="Whether labelled spans feed the gazetteer (on by default; remembered).")
@click.option("--use-layer", "use_layers", multiple=True, metavar="NAME",
              help="Show layer NAME (e.g. imported with --layer NAME) as suggestions (repeatable;"
                   " reviewers; annotators see it only if they may read it).")
@click.option("--train", "do_train", is_flag=True,
              help="Train the CRF on the labelled articles, report cross-validated F1 per label.")
@click.option("--folds", type=int, default=3, show_default=True,
              help="Cross-validation folds of --train (0: skip cross-validation).")
@click.option("--iterations", type=int, default=100, show_default=True, help="L-BFGS iterations.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the fold shuffle.")
@click.option("--apply", "do_apply", is_flag=True,
              help="Store suggestions as layers suggest:crf and suggest:gazetteer.")
@click.option("--source", "sources", type=click.Choice(["crf", "gazetteer"]), multiple=True,
              help="Which suggesters --apply runs (default: both; gazetteer only if no model).")
@click.option("--articles", metavar="ID,ID", help="Limit --apply to these articles (document ids).")
@click.option("--order", "do_order", is_flag=True,
              help="Print unlabelled articles, the most uncertain (most informative) first, and"
                   " store every not-done article's score (the desk's 'most informative first').")
@click.option("--user", help="With --order/--train: score this user's queue (assignments, not done)"
                             " with her own model, as her order (default: yours; others': admins).")
@click.option("--limit", type=int, default=20, show_default=True, help="Lines printed by --order.")
@as_option
@run_command
def suggest(
    project_path: Path, gazetteers: tuple[tuple[str, str], ...], corpus_gazetteer: bool | None,
    use_layers: tuple[str, ...], do_train: bool, folds: int, iterations: int, seed: int,
    do_apply: bool, sources: tuple[str, ...], articles: str | None, do_order: bool,
    user: str | None, limit: int, actor: str | None,
) -> None:
    """Suggestions learnt from this corpus, offline: gazetteers and a CRF (no download).

    Steps run in the order of the options below. The model and the lists are kept in the
    project file. Accept or reject suggestions in the desk (Enter / Backspace).

    Everything is built only from the layers the --as user may read: an annotator in a blind
    project trains and applies her own model (layers suggest:crf/NAME). Gazetteer lists and
    --use-layer change what everyone is shown: reviewers and admins only. --order stores the
    queue order of the --as user (or --user, for an admin) from her own model only.

    \b
    Examples:
      annotator suggest news.db --gazetteer LOCATION places.txt
      annotator suggest news.db --train
      annotator suggest news.db --apply --articles JA-sport-1-20170121
      annotator suggest news.db --use-layer model-x     # predictions imported --layer model-x
      annotator suggest news.db --order --limit 10
    """
    if not (gazetteers or corpus_gazetteer is not None or use_layers or do_train or do_apply or do_order):
        raise click.UsageError("nothing to do: give --gazetteer, --train, --apply or --order")
    from annotator.suggest import pipeline
    from annotator.suggest.active import queue_session

    with open_project(project_path) as project:
        session = teams.acting_session(project, actor)
        target = queue_session(session, user) if do_train or do_order else session
        if gazetteers or corpus_gazetteer is not None or use_layers:
            session.require(*teams.REVIEWERS)
        for name in use_layers:
            session.require_read(name)
        for label, file in gazetteers:
            added = pipeline.import_gazetteer(project, label, file)
            click.echo(f"{label}: {added} names added from {file}")
        if corpus_gazetteer is not None:
            pipeline.set_gazetteer_from_corpus(project, corpus_gazetteer)
        for name in use_layers:
            pipeline.show_as_suggestions(project, name)
            click.echo(f"layer {name} is shown as suggestions")
        if do_train:
            _train(session, target, folds, seed, iterations)
        if do_apply:
            _apply(session, articles, sources)
        if do_order:
            _order(target, limit)


def _train(session: Session, target: Session, folds: int, seed: int, iterations: int) -> None:
    """Train ``session``'s model, then score ``target``'s queue with ``target``'s own model."""
    from annotator.suggest.active import store_uncertainty
    from annotator.suggest.crf import Options
    from annotator.suggest.evaluate import report_lines
    from annotator.suggest.pipeline import train_project

    project = session.project
    with stage_progress() as progress:
        report = train_project(project, folds=folds, seed=seed,
                               options=Options(max_iterations=iterations), session=session,
                               report=progress)
        # the desk's "most informative first" order, for target's queue only
        scores = store_uncertainty(target, report=progress)
    if report.validation is not None:
        v = report.validation
        click.echo(f"cross-validated ({v.folds} folds over articles, seqeval entity F1, {v.seconds:.1f} s):")
        echo_lines(report_lines(v.scores))
    click.echo(f"trained on {report.articles} articles ({report.tokens} tokens) in {report.seconds:.1f} s;"
               f" model saved in the project; {len(scores)} not-done articles scored for"
               f" {target.user}'s queue")


def _apply(session: Session, articles: str | None, sources: tuple[str, ...]) -> None:
    from annotator.suggest.pipeline import SOURCES, apply_suggestions, load_model, scope

    project, owner = session.project, scope(session)[1]
    chosen = list(sources) or [s for s in SOURCES if s != "crf" or load_model(project, owner) is not None]
    with stage_progress() as progress:
        written = apply_suggestions(project, _article_ids(project, articles), sources=chosen,
                                    session=session, report=progress)
    for layer, count in sorted(written.items()):
        click.echo(f"{layer}: {count} suggestions")


def _order(target: Session, limit: int) -> None:
    """Store the priorities of ``target``'s not-done articles (her desk's queue order), then
    print the unlabelled ones among them (a subset: unlabelled means no one whose layer she
    may read worked on it), most uncertain first."""
    from annotator.suggest.active import store_uncertainty, unlabelled_articles

    project = target.project
    if not _has_model(target):
        raise ProjectError(f"no trained model for {target.user} yet: run 'annotator suggest"
                           f" PROJECT.db --train --as {target.user}'")
    with stage_progress() as progress:
        scores = store_uncertainty(target, report=progress)
    readable = target.reading_filter()
    unlabelled = [a for a in unlabelled_articles(project, target.user, readable) if a in scores]
    for article_id in sorted(unlabelled, key=lambda a: (-scores[a], a))[:limit]:
        article = project.article(article_id)
        click.echo(f"{scores[article_id]:.4f}\t{article.doc_id}\t{article.title}")


def _has_model(session: Session) -> bool:
    from annotator.suggest.pipeline import has_model, scope

    return has_model(session.project, scope(session)[1])


def register(group: click.Group) -> None:
    group.add_command(suggest)
