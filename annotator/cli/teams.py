"""Team commands: users, settings, assign, pack, merge, agreement, adjudicate.

Who runs a command is ``--as NAME`` (or ``$ANNOTATOR_USER``, or the login name); the core checks
that user's registered role. Before the project has an admin, anyone acts as one, so the first
admin can be registered.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from annotator.cli.common import (
    as_option,
    open_project,
    progress_bar,
    project_argument,
    run_command,
)
from annotator.cli.progress import stage_progress
from annotator.errors import AnnotatorError
from annotator.extras import require as require_extra
from annotator.model import Schema
from annotator.project import ROLES, Project
from annotator.review.adjudication import Adjudicator
from annotator.team import claims
from annotator.team import logins as server_logins
from annotator.team import members as teams
from annotator.team.packages import merge as merge_package
from annotator.team.packages import pack as pack_package


@click.command()
@project_argument
@click.option("--add", "add", metavar="NAME", multiple=True, help="Register a user (repeatable).")
@click.option("--role", type=click.Choice(ROLES), default="annotator", show_default=True,
              help="Role given to the users of --add.")
@click.option("--remove", "remove", metavar="NAME", multiple=True,
              help="Server projects: take a login out of the project (their spans stay).")
@click.option("--password-stdin", "password_stdin", is_flag=True,
              help="Server projects: read the password of the one --add login (without --add: "
                   "your own new password) from the first line of standard input.")
@as_option
@run_command
def users(project_path: Path, add: tuple[str, ...], role: str, remove: tuple[str, ...],
          password_stdin: bool, actor: str | None) -> None:
    """List the project's users and roles, or register users (admins only).

    On a server project (postgresql://...) each user is a PostgreSQL login: --add creates it
    with the role's privileges, and the database itself enforces them.

    \b
    Examples:
      annotator users news.db --add sara --role admin --as sara
      annotator users news.db --add ali --add mona --as sara
      annotator users news.db
      echo "$PW" | annotator users postgresql://sara@db/news --add ali --password-stdin
    """
    with open_project(project_path) as project:
        password = _stdin_password(project, len(add)) if password_stdin else None
        if add or remove:
            session = teams.acting_session(project, actor)
            for name in add:
                teams.add_user(session, name, role, password)
                session = teams.acting_session(project, actor)
            for name in remove:
                server_logins.remove_login(session, name)
        elif password is not None:
            who = server_logins.change_own_password(project, password)
            click.echo(f"password of {who} changed", err=True)
        registered = teams.users(project)
    if not registered:
        click.echo("no users registered: everyone acts as admin (solo project)")
    for name, user_role in registered.items():
        click.echo(f"{name:<20} {user_role}")


def _stdin_password(project: Project, added: int) -> str:
    """The first line of standard input (never an argument: ``ps`` and shell history show those)."""
    if server_logins.server_logins(project) is None:
        raise AnnotatorError(f"{project.path}: --password-stdin is for server projects "
                             "(postgresql://...); a project file's users have no password")
    if added > 1:
        raise AnnotatorError("--password-stdin sets one login's password: give one --add")
    line = sys.stdin.readline().rstrip("\r\n")
    if not line:
        raise AnnotatorError("--password-stdin: standard input holds no password")
    return line


@click.command()
@project_argument
@click.option("--visibility", type=click.Choice(teams.VISIBILITIES),
              help="blind: annotators see only their own spans; open: everyone's.")
@click.option("--auto-accept/--no-auto-accept", default=None,
              help="Accept spans every annotator agrees on into gold automatically.")
@click.option("--claim-lapse", "claim_lapse", type=click.FloatRange(min=0.1), metavar="MINUTES",
              help="How long an article handed out by done -> next stays claimed by someone "
                   "who does not finish it (default 30).")
@as_option
@run_command
def settings(project_path: Path, visibility: str | None, auto_accept: bool | None,
             claim_lapse: float | None, actor: str | None) -> None:
    """Show or change team settings (visibility, claim lapse: admins; auto-accept: reviewers).

    \b
    Examples:
      annotator settings news.db
      annotator settings news.db --visibility open --as sara
      annotator settings news.db --no-auto-accept --as huda
      annotator settings news.db --claim-lapse 45 --as sara
    """
    with open_project(project_path) as project:
        session = teams.acting_session(project, actor)
        if visibility:
            teams.set_visibility(session, visibility)
        if auto_accept is not None:
            teams.set_auto_accept(session, auto_accept)
        if claim_lapse is not None:
            claims.set_lapse(session, claim_lapse * 60)
        held = claims.live_claims(project)
        click.echo(f"visibility   {teams.visibility(project)}")
        click.echo(f"auto-accept  {'on' if teams.auto_accept(project) else 'off'}")
        click.echo(f"claim lapse  {claims.lapse_s(project) / 60:g} min")
        click.echo(f"claimed now  {len(held)}" + "".join(
            f"\n  {c.article_id:>8}  {c.user:<16} until {c.expires_at}" for c in held))


def _user_list(text: str) -> list[str]:
    names = [n.strip() for n in text.split(",") if n.strip()]
    if not names:
        raise click.BadParameter("give names separated by commas, e.g. ali,mona,sara")
    return names


@click.command()
@project_argument
@click.option("--users", "names", required=True, metavar="A,B,C", help="Annotators, comma-separated.")
@click.option("--per-article", "per_article", type=int, default=2, show_default=True,
              help="How many annotators label each article.")
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same assignment.")
@click.option("--replace", is_flag=True, help="Drop existing assignments first (spans are kept).")
@as_option
@run_command
def assign(project_path: Path, names: str, per_article: int, seed: int, replace: bool,
           actor: str | None) -> None:
    """Spread articles so each is labelled by k annotators, balanced and reproducible (admins).

    Loads differ by at most one article; existing assignments are kept and topped up.

    \b
    Example:
      annotator assign news.db --users ali,mona,sara --per-article 2 --seed 7
    """
    with open_project(project_path) as project:
        report = teams.assign(teams.acting_session(project, actor), _user_list(names),
                              per_article, seed, replace=replace)
    click.echo(report.summary())


@click.command()
@project_argument
@click.option("--for", "user", required=True, metavar="NAME", help="The annotator to pack for.")
@click.option("-o", "--output", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The package file to write (e.g. mona.annot).")
@as_option
@run_command
def pack(project_path: Path, user: str, out: Path, actor: str | None) -> None:
    """Write an annotator's work package: her articles, the schema, her spans (one file).

    She opens it in the desk like a project (annotator gui mona.annot --user mona).

    \b
    Example:
      annotator pack news.db --for mona -o mona.annot
    """
    with open_project(project_path) as project:
        info = pack_package(teams.acting_session(project, actor), user, out)
    click.echo(f"wrote {out}: {info.articles} articles for {info.user} "
               f"(schema version {info.source_schema_version})")


@click.command()
@project_argument
@click.argument("packages", nargs=-1, required=True, metavar="PACKAGE...",
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("--for", "owner", metavar="NAME",
              help="Whose package it is: needed for a package made before packages were "
                   "registered (a registered one is checked against it).")
@as_option
@run_command
def merge(project_path: Path, packages: tuple[Path, ...], owner: str | None, actor: str | None) -> None:
    """Bring work packages back; only the layer each was issued to changes (admins).

    Whose layer a package changes is what the project recorded when it packed it, whatever
    the package says; it is read read-only and checked completely (layout, labels, text,
    states) before anything is written. Merging the same package twice changes nothing the
    second time.

    \b
    Examples:
      annotator merge news.db mona.annot ali.annot
      annotator merge news.db old-mona.annot --for mona
    """
    with open_project(project_path) as project:
        session = teams.acting_session(project, actor)
        with stage_progress() as progress:
            for done, package in enumerate(packages):
                progress(f"merging {package.name}", done, len(packages))
                for line in merge_package(session, package, owner).lines():
                    click.echo(line)


@click.command()
@project_argument
@click.option("--json", "as_json", is_flag=True, help="Print every figure as JSON.")
@click.option("--by-label", is_flag=True, help="Also print precision/recall/F1 per pair and label.")
@click.option("--by-article", is_flag=True, help="List every article, lowest agreement first.")
@click.option("--plot", type=click.Path(dir_okay=False, path_type=Path),
              help="Also draw the figures to this PNG.")
@as_option
@run_command
def agreement(project_path: Path, as_json: bool, by_label: bool, by_article: bool,
              plot: Path | None, actor: str | None) -> None:
    """Agreement between annotators: span P/R/F1, Cohen's and Fleiss' kappa, Krippendorff's alpha;
    relation and event-argument P/R/F1 (exact and overlap, per type, and against gold).

    Articles with the lowest agreement come first: where a reviewer should start.

    \b
    Examples:
      annotator agreement news.db
      annotator agreement news.db --by-label --by-article
      annotator agreement news.db --json --plot agreement.png
    """
    from annotator.agreement.layers import project_agreement, project_link_agreement

    if plot is not None:
        require_extra("plot")
    with open_project(project_path, read_only=True) as project:  # a reader: never waits on a writer
        session = teams.acting_session(project, actor)
        with progress_bar("reading layers", project.article_count()) as update:
            report = project_agreement(session, update)
        links = project_link_agreement(session)  # relations and event arguments (issue 15)
        schema = project.schema
    if not report.pairs:
        raise AnnotatorError("no article has two annotators yet: nothing to compare")
    if plot is not None:
        _plot(report, plot, schema)
    if as_json:
        data = report.to_dict() | ({} if links.empty else {"links": links.to_dict()})
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(report.format_table(worst=len(report.by_article) if by_article else 10))
    if not links.empty:
        click.echo("\nrelations and event arguments (exact; overlap F1)\n" + links.format_table())
    if by_label:
        click.echo("")
        click.echo(report.format_by_label())
    if plot is not None:
        click.echo(f"wrote {plot}")


def _plot(report, out: Path, schema: Schema) -> None:
    """Label names as the schema shows them, in its language (Arabic for the news schema)."""
    from annotator.agreement.plot import plot_agreement

    plot_agreement(report, out, language=schema.language, schema=schema)


@click.command()
@project_argument
@as_option
@run_command
def adjudicate(project_path: Path, actor: str | None) -> None:
    """Accept every agreement into gold now, and report adjudication progress (reviewers).

    Disagreements are decided in the desk: annotator gui news.db --review --user huda

    \b
    Example:
      annotator adjudicate news.db --as huda
    """
    with open_project(project_path) as project:
        desk = Adjudicator(teams.acting_session(project, actor))
        ids = desk.article_ids()
        accepted = 0
        with progress_bar("accepting agreements", len(ids)) as update:
            for n, article_id in enumerate(ids, 1):
                accepted += desk.accept_agreements(article_id)
                update(n)
        progress = desk.progress()
    click.echo(f"accepted {accepted} agreements into gold; articles adjudicated "
               f"{progress.adjudicated}, to do {progress.to_do}")


def register(group: click.Group) -> None:
    for command in (users, settings, assign, pack, merge, agreement, adjudicate):
        group.add_command(command)
